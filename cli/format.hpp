// Renders a command's JSON result as json, markdown (for forum posts) or csv. stress, simulate,
// size, sweep, validate and position go through the core's report module (io/report.hpp), the
// same code the widget's exports call through wasm; ruin, replay and calibrate are written here
// with its escape, CSV writer and number formatter.
#pragma once

#include <string>

#include "backstop/io/api.hpp"

namespace backstop::cli {

// `table`: which CSV table ("" = the command's first).
std::string render(const std::string& command, const std::string& format, const std::string& table, const Json& input,
                   const Json& result);

std::string ruinMarkdown(const Json& input, const Json& result);
std::string calibrateMarkdown(const Json& result);
std::string replayMarkdown(const Json& input, const Json& result);
std::string replayCsv(const Json& result);

// Shared helpers for those three, all through report::formatNumber / report::markdownText.
std::string fmtNumber(const Json& v);
std::string fmtMoney(const Json& v);
std::string fmtPercent(const Json& v);
std::string text(const Json& v);  // a string from a file or a result, as inert Markdown

}  // namespace backstop::cli
