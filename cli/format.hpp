// Renders a command's JSON result as json, markdown (for forum posts) or csv.
#pragma once

#include <string>

#include "backstop/io/api.hpp"

namespace backstop::cli {

std::string render(const std::string& command, const std::string& format, const Json& input,
                   const Json& result);

// Per-command Markdown renderers (one file each: format_<command>.cpp).
std::string stressMarkdown(const Json& input, const Json& result);
std::string stressCsv(const Json& result);
std::string simulateMarkdown(const Json& input, const Json& result);
std::string ruinMarkdown(const Json& input, const Json& result);
std::string sweepMarkdown(const Json& input, const Json& result);
std::string sweepCsv(const Json& result);
std::string calibrateMarkdown(const Json& result);
std::string replayMarkdown(const Json& input, const Json& result);
std::string replayCsv(const Json& result);

// Shared helpers for the renderers.
std::string fmtNumber(const Json& v, int digits = 6);
std::string fmtMoney(const Json& v);
std::string fmtPercent(const Json& v, int decimals = 2);
// "Policy `venue`; overrides: `field` = `value`, ...": the policy fields the scenario sets over its
// preset (a preset fills only what the scenario leaves out), or "Policy `venue`, as the preset." Ends with ".\n\n".
std::string presetLine(const Json& input, const std::string& preset);

}  // namespace backstop::cli
