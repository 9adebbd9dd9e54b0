// The price CSV reader shared by calibrate and replay (market/price_csv.hpp).
#include "backstop/market/price_csv.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "backstop/errors.hpp"

namespace backstop {

namespace {

[[noreturn]] void fail(const std::string& pointer, const std::string& message,
                       ErrorCode code = ErrorCode::InvalidInput) {
  throw InputError(code, {{pointer, message}});
}

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace((unsigned char)s[b])) ++b;
  while (e > b && std::isspace((unsigned char)s[e - 1])) --e;
  std::string out = s.substr(b, e - b);
  if (out.size() >= 2 && out.front() == '"' && out.back() == '"') out = out.substr(1, out.size() - 2);
  return out;
}

std::string lower(std::string s) {
  for (auto& c : s) c = char(std::tolower((unsigned char)c));
  return s;
}

std::vector<std::string> splitFields(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    if (c == ',' && !quoted) {
      out.push_back(trim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(trim(cur));
  return out;
}

// The field as the user wrote it, shortened, control characters masked (messages are shown as text).
std::string shown(const std::string& s) {
  std::string t = s.size() > 40 ? s.substr(0, 40) + "..." : s;
  for (auto& c : t)
    if ((unsigned char)c < 0x20 || (unsigned char)c == 0x7f) c = '?';
  return "\"" + t + "\"";
}

std::string describeCount(size_t n, const char* what) { return std::to_string(n) + " " + what + (n == 1 ? "" : "s"); }

// Plain decimal numbers only: strtod also accepts "nan", "inf" and hex.
std::optional<double> parseNumber(const std::string& s) {
  if (s.empty() || s.size() > 64) return std::nullopt;
  for (char c : s)
    if (!(std::isdigit((unsigned char)c) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'))
      return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant, "chrono-Compatible
// Low-Level Date Algorithms", days_from_civil).
long long daysFromCivil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = unsigned(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (long long)doe - 719468;
}

bool digitsAt(const std::string& s, size_t at, size_t n, int& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (!std::isdigit((unsigned char)s[i])) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// The header's columns: the first `close`, else the first `price`; `high`/`low`; one time column.
struct Columns {
  long price = -1, high = -1, low = -1, time = -1;
  size_t width = 0;
  std::string timeName;
};

Columns readHeader(const std::vector<std::string>& fields, const std::string& text, int lineNo,
                   const PriceCsvOptions& o) {
  Columns c;
  c.width = fields.size();
  const std::string at = "line " + std::to_string(lineNo);
  long close = -1, price = -1;
  std::vector<std::string> timeNames;
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string name = lower(fields[i]);
    long* slot = name == "close" ? &close : name == "price" ? &price : name == "high" ? &c.high
               : name == "low" ? &c.low : nullptr;
    if (slot && *slot >= 0) fail(o.pointer, at + ": column " + shown(fields[i]) + " appears twice");
    if (slot) *slot = long(i);
    if (name == "time" || name == "date" || name == "timestamp") {
      timeNames.push_back(fields[i]);
      if (c.time < 0) c.time = long(i), c.timeName = fields[i];
    }
  }
  c.price = close >= 0 ? close : price;
  if (c.price < 0)
    fail(o.pointer, at + ": the header " + shown(text) + " has no price column: name it \"close\" or \"price\"");
  if (timeNames.size() > 1)
    fail(o.pointer, at + ": the header has " + std::to_string(timeNames.size()) + " time columns (" + timeNames[0] +
                        ", " + timeNames[1] + "): keep one, with the full date-time in it");
  if (!o.ranges) c.high = c.low = -1;
  if ((c.high < 0) != (c.low < 0)) fail(o.pointer, at + ": give both high and low columns, or neither");
  return c;
}

}  // namespace

std::optional<double> parseTimestampSeconds(const std::string& text) {
  const std::string s = trim(text);
  if (s.empty()) return std::nullopt;
  if (const auto n = parseNumber(s)) {
    // Unix seconds; beyond year 9999 it is probably milliseconds, which we do not guess.
    if (*n < -62135596800.0 || *n > 253402300799.0) return std::nullopt;
    return *n;
  }
  int y, mo, d;
  if (!digitsAt(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digitsAt(s, 5, 2, mo) || s[7] != '-' ||
      !digitsAt(s, 8, 2, d))
    return std::nullopt;
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap)) return std::nullopt;
  const double days = double(daysFromCivil(y, unsigned(mo), unsigned(d))) * 86400.0;
  size_t at = 10;
  if (at == s.size()) return days;
  if (s[at] != 'T' && s[at] != 't' && s[at] != ' ') return std::nullopt;
  int hh, mm, ss = 0;
  if (!digitsAt(s, at + 1, 2, hh) || s.size() < at + 6 || s[at + 3] != ':' || !digitsAt(s, at + 4, 2, mm))
    return std::nullopt;
  at += 6;
  double frac = 0;
  if (at < s.size() && s[at] == ':') {
    if (!digitsAt(s, at + 1, 2, ss)) return std::nullopt;
    at += 3;
    if (at < s.size() && (s[at] == '.' || s[at] == ',')) {
      double scale = 0.1;
      size_t k = at + 1;
      for (; k < s.size() && std::isdigit((unsigned char)s[k]); ++k, scale /= 10) frac += (s[k] - '0') * scale;
      if (k == at + 1) return std::nullopt;
      at = k;
    }
  }
  if (hh > 24 || mm > 59 || ss > 60 || (hh == 24 && (mm || ss || frac))) return std::nullopt;
  double offsetMin = 0;
  if (at < s.size()) {
    if ((s[at] == 'Z' || s[at] == 'z') && at + 1 == s.size()) {
    } else if (s[at] == '+' || s[at] == '-') {
      int oh, om = 0;
      if (!digitsAt(s, at + 1, 2, oh)) return std::nullopt;
      size_t k = at + 3;
      if (k < s.size() && s[k] == ':') ++k;
      if (k < s.size() && !digitsAt(s, k, 2, om)) return std::nullopt;
      if (k < s.size()) k += 2;
      if (k != s.size() || oh > 23 || om > 59) return std::nullopt;
      offsetMin = (s[at] == '-' ? -1 : 1) * (oh * 60.0 + om);
    } else {
      return std::nullopt;
    }
  }
  return days + (hh * 3600.0 + mm * 60.0 + ss + frac - offsetMin * 60.0);
}

std::optional<double> parseTimestampDays(const std::string& text) {
  const auto s = parseTimestampSeconds(text);
  return s ? std::optional<double>(*s / 86400.0) : std::nullopt;
}

PriceTable readPriceTable(const std::string& text, const PriceCsvOptions& o) {
  if ((long long)text.size() > o.maxBytes)
    fail(o.pointer, "is " + std::to_string(text.size()) + " bytes, more than the limit of " + std::to_string(o.maxBytes),
         ErrorCode::LimitExceeded);
  PriceTable out;
  Columns cols;
  int lineNo = 0;
  size_t pos = 0;
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) pos = 3;  // UTF-8 byte-order mark
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    ++lineNo;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    const std::string at = "line " + std::to_string(lineNo);
    if (line.find('\0') != std::string::npos) fail(o.pointer, at + ": contains a NUL byte: not a text CSV");
    const std::vector<std::string> fields = splitFields(line);
    if (out.headerLine == 0) {
      cols = readHeader(fields, t, lineNo, o);
      out.headerLine = lineNo;
      out.timeColumn = cols.time >= 0 ? cols.timeName : "";
      continue;
    }
    if (fields.size() != cols.width)
      fail(o.pointer, at + ": has " + describeCount(fields.size(), "field") + ", the header has " +
                          std::to_string(cols.width));
    if ((long long)out.rows.size() >= o.maxRows)
      fail(o.pointer, at + ": more than the limit of " + std::to_string(o.maxRows) + " rows", ErrorCode::LimitExceeded);
    auto price = [&](long col, const char* name) {
      const std::string& f = fields[size_t(col)];
      const auto v = parseNumber(f);
      if (!v) fail(o.pointer, at + ": " + name + " " + shown(f) + " is not a number");
      if (!(*v > 0)) fail(o.pointer, at + ": " + name + " " + shown(f) + " must be positive");
      return *v;
    };
    PriceRow row;
    row.line = lineNo;
    row.close = price(cols.price, "price");
    if (cols.high >= 0) {
      row.high = price(cols.high, "high");
      row.low = price(cols.low, "low");
    }
    if (cols.time >= 0) {
      const std::string& ts = fields[size_t(cols.time)];
      row.seconds = parseTimestampSeconds(ts);
      if (!row.seconds)
        fail(o.pointer, at + ": " + cols.timeName + " " + shown(ts) +
                            " is neither an ISO 8601 date-time (2024-01-31, 2024-01-31T16:00:00Z) nor Unix seconds");
      if (!out.rows.empty() && !(*row.seconds > *out.rows.back().seconds))
        fail(o.pointer, at + ": " + cols.timeName + " " + shown(ts) + " is not after the previous row's (line " +
                            std::to_string(out.rows.back().line) + "): sort the rows oldest first, without duplicates");
    }
    out.rows.push_back(row);
  }
  out.lastLine = lineNo;
  if (out.headerLine == 0)
    fail(o.pointer, "is empty: expected a header row with a \"close\" or \"price\" column, then one row per price");
  return out;
}

}  // namespace backstop
