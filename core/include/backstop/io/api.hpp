// The JSON boundary shared by the CLI and the wasm facade: one codec, one error mapping.
#pragma once

#include <functional>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "backstop/errors.hpp"
#include "backstop/run_options.hpp"

namespace backstop {

using Json = nlohmann::json;

// A key and its value, for jsonObject.
struct JsonField {
  std::string_view key;
  // mutable: moved out of the (const) initializer list, as nlohmann's json_ref does
  mutable Json value;
};

// The object {key: value, ...}, as Json{{"key", value}, ...} makes it (a repeated key keeps its
// first value), in a fraction of the code: nlohmann's initializer list builds a two-element
// array per field inline, ~170 B of wasm each against ~20 B here (bench/README.md "JSON writers").
Json jsonObject(std::initializer_list<JsonField> fields);

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
