#include "format.hpp"

#include <functional>
#include <sstream>

#include "backstop/io/report.hpp"

namespace backstop::cli {

namespace {

using report::Unit;

double number(const Json& v) { return v.is_number() ? v.get<double>() : NAN; }

// ruin and calibrate as CSV: one field,value row per member (dotted paths, [i] for arrays).
std::string flatCsv(const Json& result) {
  report::Table t{"result", {{"field", "field", Unit::Text}, {"value", "value", Unit::Text}}, {}};
  std::function<void(const std::string&, const Json&)> walk = [&](const std::string& p, const Json& v) {
    if (v.is_object()) {
      for (auto it = v.begin(); it != v.end(); ++it) walk(p.empty() ? it.key() : p + "." + it.key(), *it);
    } else if (v.is_array()) {
      for (size_t i = 0; i < v.size(); ++i) walk(p + "[" + std::to_string(i) + "]", v[i]);
    } else {
      const std::string value = v.is_string() ? v.get<std::string>()
                                : v.is_boolean() ? (v.get<bool>() ? "true" : "false")
                                                 : report::csvNumber(number(v), Unit::Number);
      t.rows.push_back({report::txt(p), report::txt(value)});
    }
  };
  walk("", result);
  return report::csv(t);
}

}  // namespace

std::string fmtNumber(const Json& v) {
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  if (v.is_string()) return text(v);
  return report::formatNumber(number(v), Unit::Number);
}
std::string fmtMoney(const Json& v) { return report::formatNumber(number(v), Unit::Money); }
std::string fmtPercent(const Json& v) { return report::formatNumber(number(v), Unit::Probability); }
std::string text(const Json& v) { return report::markdownText(v.is_string() ? v.get<std::string>() : v.dump()); }

std::string render(const std::string& command, const std::string& format, const std::string& table, const Json& input,
                   const Json& result) {
  if (format == "json") return result.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
  const bool csv = format == "csv";
  if (!report::tableNames(command).empty())
    return report::render(command, csv ? report::Format::Csv : report::Format::Markdown, table, input, result);
  if (command == "replay") return csv ? replayCsv(result) : replayMarkdown(input, result);
  if (csv) return flatCsv(result);
  if (command == "ruin") return ruinMarkdown(input, result);
  return calibrateMarkdown(result);
}

}  // namespace backstop::cli
