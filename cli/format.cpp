#include "format.hpp"

#include <cmath>
#include <cstdio>
#include <functional>
#include <sstream>
#include <vector>

namespace backstop::cli {

namespace {

std::string num(const Json& v, int digits = 6) {
  if (v.is_null()) return "n/a";
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  if (!v.is_number()) return v.is_string() ? v.get<std::string>() : v.dump();
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v.get<double>());
  return buf;
}

std::string flatCsv(const Json& result) {
  std::ostringstream out;
  out << "field,value\n";
  std::function<void(const std::string&, const Json&)> walk = [&](const std::string& p, const Json& v) {
    if (v.is_object()) {
      for (auto it = v.begin(); it != v.end(); ++it) walk(p.empty() ? it.key() : p + "." + it.key(), *it);
    } else if (v.is_array()) {
      for (size_t i = 0; i < v.size(); ++i) walk(p + "[" + std::to_string(i) + "]", v[i]);
    } else {
      out << p << "," << (v.is_string() ? v.get<std::string>() : num(v, 12)) << "\n";
    }
  };
  walk("", result);
  return out.str();
}

std::string flatMarkdown(const std::string& command, const Json& result) {
  std::ostringstream out;
  out << "### backstop " << command << "\n\n| field | value |\n|---|---|\n";
  std::function<void(const std::string&, const Json&)> walk = [&](const std::string& p, const Json& v) {
    if (v.is_object()) {
      for (auto it = v.begin(); it != v.end(); ++it) walk(p.empty() ? it.key() : p + "." + it.key(), *it);
    } else if (v.is_array()) {
      for (size_t i = 0; i < v.size() && i < 50; ++i) walk(p + "[" + std::to_string(i) + "]", v[i]);
    } else {
      out << "| " << p << " | " << num(v) << " |\n";
    }
  };
  walk("", result);
  return out.str();
}

}  // namespace

std::string fmtNumber(const Json& v, int digits) { return num(v, digits); }

std::string presetLine(const Json& input, const std::string& preset) {
  // In code spans, backticks and line breaks removed: nothing from the file becomes live Markdown.
  auto code = [](std::string s) {
    std::string out;
    for (char c : s)
      if (c != '`' && c != '\n' && c != '\r') out += c;
    return "`" + out + "`";
  };
  std::ostringstream out;
  out << "Policy " << code(preset);
  std::vector<std::string> given;
  if (input.is_object() && input.contains("policy") && input["policy"].is_object())
    for (auto it = input["policy"].begin(); it != input["policy"].end(); ++it)
      if (it.key() != "preset" && !it->is_null()) given.push_back(code(it.key()) + " = " + code(it->dump()));
  if (given.empty()) {
    out << ", as the preset.\n\n";
  } else {
    out << "; overrides: ";
    for (size_t i = 0; i < given.size(); ++i) out << (i ? ", " : "") << given[i];
    out << ".\n\n";
  }
  return out.str();
}

std::string fmtMoney(const Json& v) {
  if (!v.is_number()) return num(v);
  const double d = v.get<double>();
  char buf[64];
  if (std::fabs(d) >= 1e4) {
    // Thousands separators for amounts a reader compares by eye.
    std::snprintf(buf, sizeof buf, "%.0f", std::fabs(d));
    std::string digits = buf, out;
    for (size_t i = 0; i < digits.size(); ++i) {
      if (i && (digits.size() - i) % 3 == 0) out += ',';
      out += digits[i];
    }
    return (d < 0 ? "-" : "") + out;
  }
  std::snprintf(buf, sizeof buf, "%.6g", d);
  return buf;
}

std::string fmtPercent(const Json& v, int decimals) {
  if (!v.is_number()) return num(v);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f %%", decimals, 100.0 * v.get<double>());
  return buf;
}

std::string render(const std::string& command, const std::string& format, const Json& input,
                   const Json& result) {
  if (format == "json") return result.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
  if (format == "csv" && command == "stress") return stressCsv(result);
  if (format == "csv" && command == "sweep") return sweepCsv(result);
  if (format == "csv" && command == "replay") return replayCsv(result);
  if (command == "replay") return replayMarkdown(input, result);
  if (command == "sweep") return sweepMarkdown(input, result);
  if (command == "calibrate" && format == "markdown") return calibrateMarkdown(result);
  if (format == "csv") return flatCsv(result);
  if (command == "stress") return stressMarkdown(input, result);
  if (command == "ruin") return ruinMarkdown(input, result);
  if (command == "simulate" || command == "size") return simulateMarkdown(input, result);
  (void)input;
  return flatMarkdown(command, result);
}

}  // namespace backstop::cli
