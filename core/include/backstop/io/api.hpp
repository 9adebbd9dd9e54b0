// The JSON boundary shared by the CLI and the wasm facade: one codec, one error mapping.
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "backstop/errors.hpp"
#include "backstop/run_options.hpp"

namespace backstop {

using Json = nlohmann::json;

RunOptions parseRunOptions(const Json& options, Issues& issues);

// Runs a command ("position", "validate", "stress", "simulate", "size", "ruin", ...) on a
// parsed document. Throws InputError for bad input.
Json dispatch(const std::string& command, const Json& input, const RunOptions& options);

// Never throws: {"ok": true, "result": ...} or {"ok": false, "code", "message", "errors"}.
std::string runJson(const std::string& command, const std::string& input, const std::string& options);

// Parses JSON text with a byte limit and a nesting limit; throws InputError naming the position.
Json parseJsonText(const std::string& text);

const char* version();

}  // namespace backstop
