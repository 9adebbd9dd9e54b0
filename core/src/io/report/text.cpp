// The one Markdown escape, CSV field writer and number formatter (io/report.hpp).
#include <cmath>
#include <cstdio>

#include "reports.hpp"

namespace backstop::report {

std::string markdownText(const std::string& s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    switch (c) {
      case '\n': case '\r': case '\t': out += ' '; break;
      case '\\': case '|': case '<': case '>': case '[': case ']': case '`': case '#': case '*': case '_':
      case '!': case '~': case '&':
      // Linkify (markdown-it's `linkify: true`, as forums render) finds bare links within one
      // run of text; an escape splits the run, so "http:", "me@host" and "host.tld" stay text.
      case ':': case '@':
        out += '\\';
        out += c;
        break;
      case '.': {
        // A dot before a letter could end a domain ("example.org"); "0.5" and "end." stay as they are.
        const unsigned char next = i + 1 < s.size() ? (unsigned char)s[i + 1] : 0;
        if (next > ' ' && !(next >= '0' && next <= '9')) out += '\\';
        out += c;
        break;
      }
      default: out += c;
    }
  }
  return out;
}

std::string csvText(const std::string& s) {
  std::string v = s;
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r'))
    v = "'" + v;
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

namespace {

// Separators every three digits of the integer part ("1234567.5" -> "1,234,567.5").
std::string group(const std::string& s) {
  const size_t start = s[0] == '-' ? 1 : 0;
  size_t end = s.find('.');
  if (end == std::string::npos) end = s.size();
  std::string out = s.substr(0, start);
  for (size_t i = start; i < end; ++i) {
    if (i > start && (end - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return out + s.substr(end);
}

// `decimals` digits after the point, then trailing zeros dropped when `trim`; never "-0".
std::string fixed(double v, int decimals, bool trim) {
  char buf[512];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (trim && s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

// `sig` significant digits as a plain decimal with at most `maxDecimals` decimals.
std::string significant(double v, int sig, int maxDecimals) {
  if (v == 0) return "0";
  const int magnitude = int(std::floor(std::log10(std::fabs(v))));
  int decimals = sig - 1 - magnitude;
  if (decimals < 0) decimals = 0;
  if (decimals > maxDecimals) decimals = maxDecimals;
  return fixed(v, decimals, true);
}

std::string percent(double fraction) {
  const double v = 100 * fraction;
  if (v == 0) return "0 %";
  // Two decimals from 0.1 % up; below, two significant digits (0.0042 %).
  if (std::fabs(v) >= 0.1) return fixed(v, 2, false) + " %";
  return significant(v, 2, 8) + " %";
}

}  // namespace

std::string formatNumber(double v, Unit unit) {
  if (unit == Unit::Leverage && !std::isfinite(v)) return "unbounded";
  if (!std::isfinite(v)) return "n/a";
  switch (unit) {
    case Unit::Text: return "";
    case Unit::Money: return group(fixed(v, 0, false));
    case Unit::Price: return group(significant(v, 6, 8));
    case Unit::Quantity: return group(significant(v, 6, 6));
    case Unit::Probability: return percent(v);
    case Unit::Share: return fixed(100 * v, 1, false) + " %";
    case Unit::PointChange: return (v > 0 ? "+" : "") + fixed(100 * v, 2, false) + " pp";
    case Unit::Shock: return (v > 0 ? "+" : "") + significant(100 * v, 3, 1) + " %";
    case Unit::Count: return group(fixed(v, 0, false));
    case Unit::Id: return fixed(v, 0, false);
    case Unit::Days: return group(significant(v, 4, 2));
    case Unit::Leverage: return fixed(v, 2, false) + "×";
    case Unit::Number: return group(significant(v, 6, 10));
  }
  return "";
}

std::string csvNumber(double v, Unit unit) {
  if (!std::isfinite(v)) return "";
  switch (unit) {
    case Unit::Text: return "";
    case Unit::Money: return fixed(v, 6, true);
    case Unit::Price: case Unit::Number: case Unit::Leverage: return significant(v, 12, 12);
    case Unit::Quantity: return significant(v, 12, 8);
    case Unit::Probability: case Unit::Share: case Unit::PointChange: case Unit::Shock: return significant(v, 12, 15);
    case Unit::Count: case Unit::Id: return fixed(v, 0, false);
    case Unit::Days: return significant(v, 12, 6);
  }
  return "";
}

std::string csv(const Table& t) {
  Text out;
  for (size_t i = 0; i < t.columns.size(); ++i) out << (i ? "," : "") << csvText(t.columns[i].key);
  out << "\r\n";
  for (const auto& row : t.rows) {
    for (size_t i = 0; i < t.columns.size(); ++i) {
      const Cell& c = i < row.size() ? row[i] : Cell{};
      out << (i ? "," : "") << (t.columns[i].unit == Unit::Text ? csvText(c.text) : csvNumber(c.number, t.columns[i].unit));
    }
    out << "\r\n";
  }
  return out.str();
}

namespace {
std::string shown(const Column& col, const Cell& c) {
  return col.unit == Unit::Text ? markdownText(c.text) : formatNumber(c.number, col.unit);
}
}  // namespace

std::string markdown(const Table& t) {
  Text out;
  if (t.rows.size() == 1) {
    // One row reads better down the page.
    out << "| field | value |\n|---|---:|\n";
    for (size_t i = 0; i < t.columns.size(); ++i)
      out << "| " << markdownText(t.columns[i].label) << " | " << shown(t.columns[i], t.rows[0][i]) << " |\n";
    return out.str();
  }
  out << "|";
  for (const auto& c : t.columns) out << " " << markdownText(c.label) << " |";
  out << "\n|";
  for (const auto& c : t.columns) out << (c.unit == Unit::Text ? "---|" : "---:|");
  out << "\n";
  for (const auto& row : t.rows) {
    out << "|";
    for (size_t i = 0; i < t.columns.size(); ++i) out << " " << shown(t.columns[i], i < row.size() ? row[i] : Cell{}) << " |";
    out << "\n";
  }
  return out.str();
}

}  // namespace backstop::report
