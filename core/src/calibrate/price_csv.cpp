// Price series from CSV text or a list of numbers, checked row by row; errors name the line.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "backstop/calibrate/calibrate.hpp"

namespace backstop::calibrate {

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

// Shows a field as the user wrote it, shortened.
std::string shown(const std::string& s) {
  std::string t = s.size() > 40 ? s.substr(0, 40) + "..." : s;
  for (auto& c : t)
    if ((unsigned char)c < 0x20) c = '?';
  return "\"" + t + "\"";
}

std::optional<double> parseNumber(const std::string& s) {
  if (s.empty()) return std::nullopt;
  // strtod accepts "nan", "inf" and hex: only plain decimal numbers are prices.
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

std::string describeCount(size_t n, const char* what) { return std::to_string(n) + " " + what + (n == 1 ? "" : "s"); }

// Log-returns and their checks; `where(i)` names the i-th price (a line or an index).
template <class Where>
std::vector<double> logReturns(const std::vector<double>& prices, const std::string& pointer, Where where) {
  std::vector<double> r;
  r.reserve(prices.size());
  for (size_t i = 1; i < prices.size(); ++i) {
    const double x = std::log(prices[i] / prices[i - 1]);
    if (!(std::fabs(x) <= limits::kMaxAbsLogReturn))
      fail(pointer, where(i) + ": the price moves from " + formatValue(prices[i - 1]) + " to " + formatValue(prices[i]) +
                        ", a log-return of " + formatValue(x) + " (at most 5 in one step): a bad row?");
    r.push_back(x);
  }
  bool moves = false;
  for (double x : r) moves = moves || x != 0;
  if (!moves) fail(pointer, "the price never changes: nothing to fit");
  return r;
}

}  // namespace

namespace {
// Seconds since 1970-01-01T00:00Z: whole seconds stay exact, so spacings are exact too.
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
}  // namespace

std::optional<double> parseTimestampDays(const std::string& text) {
  const auto s = parseTimestampSeconds(text);
  return s ? std::optional<double>(*s / 86400.0) : std::nullopt;
}

ReturnSeries readPriceCsv(const std::string& text, std::optional<double> intervalDays, const std::string& pointer) {
  std::vector<std::string> header;
  int headerLine = 0;
  long priceCol = -1, timeCol = -1;
  std::string timeName;
  std::vector<double> prices, times;
  std::vector<int> lines;
  if (text.size() > limits::kMaxCsvBytes)
    fail(pointer, "is " + std::to_string(text.size()) + " bytes, more than the limit of " +
                      std::to_string(limits::kMaxCsvBytes), ErrorCode::LimitExceeded);
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
    if (line.find('\0') != std::string::npos) fail(pointer, "line " + std::to_string(lineNo) + ": contains a NUL byte: not a text CSV");
    const std::vector<std::string> fields = splitFields(line);
    if (headerLine == 0) {
      headerLine = lineNo;
      header = fields;
      std::vector<std::string> timeNames;
      long closeCol = -1, plainPriceCol = -1;
      for (size_t i = 0; i < fields.size(); ++i) {
        const std::string name = lower(fields[i]);
        if (name == "close" && closeCol < 0) closeCol = long(i);
        if (name == "price" && plainPriceCol < 0) plainPriceCol = long(i);
        if (name == "time" || name == "date" || name == "timestamp") {
          timeNames.push_back(fields[i]);
          if (timeCol < 0) timeCol = long(i), timeName = fields[i];
        }
      }
      priceCol = closeCol >= 0 ? closeCol : plainPriceCol;
      if (priceCol < 0)
        fail(pointer, "line " + std::to_string(lineNo) + ": the header " + shown(t) +
                          " has no price column: name it \"close\" or \"price\"");
      if (timeNames.size() > 1)
        fail(pointer, "line " + std::to_string(lineNo) + ": the header has " + std::to_string(timeNames.size()) +
                          " time columns (" + timeNames[0] + ", " + timeNames[1] +
                          "): keep one, with the full date-time in it");
      if (timeCol >= 0 && intervalDays)
        fail("/interval_days", "is given, but the CSV's \"" + timeName + "\" column (line " + std::to_string(lineNo) +
                                   ") already gives the spacing: give one or the other");
      continue;
    }
    const std::string at = "line " + std::to_string(lineNo);
    if (fields.size() != header.size())
      fail(pointer, at + ": has " + describeCount(fields.size(), "field") + ", the header has " +
                        std::to_string(header.size()));
    if (prices.size() >= limits::kMaxPrices)
      fail(pointer, at + ": more than " + std::to_string(limits::kMaxPrices) + " prices", ErrorCode::LimitExceeded);
    const std::string& p = fields[size_t(priceCol)];
    const auto v = parseNumber(p);
    if (!v) fail(pointer, at + ": price " + shown(p) + " is not a number");
    if (!(*v > 0)) fail(pointer, at + ": price " + shown(p) + " must be positive");
    if (timeCol >= 0) {
      const std::string& ts = fields[size_t(timeCol)];
      const auto d = parseTimestampSeconds(ts);
      if (!d)
        fail(pointer, at + ": " + timeName + " " + shown(ts) +
                          " is neither an ISO 8601 date-time (2024-01-31, 2024-01-31T16:00:00Z) nor Unix seconds");
      if (!times.empty() && !(*d > times.back()))
        fail(pointer, at + ": " + timeName + " " + shown(ts) + " is not after the previous row's (line " +
                          std::to_string(lines.back()) + "): sort the rows oldest first, without duplicates");
      times.push_back(*d);
    }
    prices.push_back(*v);
    lines.push_back(lineNo);
  }
  if (headerLine == 0) fail(pointer, "is empty: expected a header row with a \"close\" or \"price\" column, then one row per price");
  if (prices.size() < limits::kMinReturns + 1)
    fail(pointer, "line " + std::to_string(lineNo) + ": the file ends after " + describeCount(prices.size(), "price") +
                      "; calibration needs at least " + std::to_string(limits::kMinReturns + 1) + " (" +
                      std::to_string(limits::kMinReturns) + " returns)");
  ReturnSeries out;
  out.observations = prices.size();
  out.timeColumn = timeCol >= 0 ? timeName : "";
  if (timeCol >= 0) {
    // The spacing is the median step; every step must be within the tolerance of it.
    std::vector<double> steps;
    for (size_t i = 1; i < times.size(); ++i) steps.push_back((times[i] - times[i - 1]) / 86400.0);
    std::vector<double> sorted = steps;
    std::nth_element(sorted.begin(), sorted.begin() + long(sorted.size() / 2), sorted.end());
    const double median = sorted[sorted.size() / 2];
    for (size_t i = 0; i < steps.size(); ++i)
      if (std::fabs(steps[i] / median - 1) > limits::kSpacingTolerance)
        fail(pointer, "line " + std::to_string(lines[i + 1]) + ": " + formatValue(steps[i]) +
                          " days after the previous row, but the series is spaced " + formatValue(median) +
                          " days: a gap or an irregular step (fill or cut the series, or drop the time column and "
                          "give interval_days to treat the rows as consecutive intervals)");
    out.intervalDays = median;
  } else {
    out.intervalDays = intervalDays.value_or(1.0);
    if (!(out.intervalDays > 0) || !(out.intervalDays <= 365))
      fail("/interval_days", "must be in (0, 365] days, got " + formatValue(out.intervalDays));
  }
  out.returns = logReturns(prices, pointer, [&](size_t i) { return "line " + std::to_string(lines[i]); });
  return out;
}

ReturnSeries returnsFromPrices(const std::vector<double>& prices, double intervalDays, const std::string& pointer) {
  if (!(intervalDays > 0) || !(intervalDays <= 365))
    fail("/interval_days", "must be in (0, 365] days, got " + formatValue(intervalDays));
  if (prices.size() > limits::kMaxPrices)
    fail(pointer, "has " + std::to_string(prices.size()) + " prices, more than " + std::to_string(limits::kMaxPrices),
         ErrorCode::LimitExceeded);
  for (size_t i = 0; i < prices.size(); ++i)
    if (!(prices[i] > 0) || !std::isfinite(prices[i]))
      fail(pointer + "/" + std::to_string(i), "must be a positive price, got " + formatValue(prices[i]));
  if (prices.size() < limits::kMinReturns + 1)
    fail(pointer, "has " + describeCount(prices.size(), "price") + "; calibration needs at least " +
                      std::to_string(limits::kMinReturns + 1) + " (" + std::to_string(limits::kMinReturns) + " returns)");
  ReturnSeries out;
  out.observations = prices.size();
  out.intervalDays = intervalDays;
  out.returns = logReturns(prices, pointer, [&](size_t i) { return "price " + std::to_string(i); });
  return out;
}

}  // namespace backstop::calibrate
