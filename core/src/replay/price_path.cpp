// A replay path from CSV text or arrays, checked row by row; errors name the line (or index).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "backstop/replay/replay.hpp"

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

std::vector<std::string> fields(const std::string& line) {
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

// The field as written, shortened, control characters masked (messages are shown as text).
std::string shown(const std::string& s) {
  std::string t = s.size() > 40 ? s.substr(0, 40) + "..." : s;
  for (auto& c : t)
    if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f) c = '?';
  return "\"" + t + "\"";
}

// Plain decimal numbers only (strtod also takes "nan", "inf" and hex).
std::optional<double> number(const std::string& s) {
  if (s.empty() || s.size() > 64) return std::nullopt;
  for (char c : s)
    if (!(std::isdigit((unsigned char)c) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'))
      return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// Days from 1970-01-01 (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", days_from_civil).
long long daysFromCivil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = unsigned(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (long long)doe - 719468;
}

bool digits(const std::string& s, size_t at, size_t n, int& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (!std::isdigit((unsigned char)s[i])) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// ISO 8601 date (YYYY-MM-DD) or date-time (THH:MM[:SS][Z]), or Unix seconds: days since 1970-01-01.
std::optional<double> timeDays(const std::string& s) {
  int y, mo, d;
  if (digits(s, 0, 4, y) && s.size() >= 10 && s[4] == '-' && s[7] == '-' && digits(s, 5, 2, mo) && digits(s, 8, 2, d)) {
    if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
    double day = double(daysFromCivil(y, unsigned(mo), unsigned(d)));
    if (s.size() == 10) return day;
    int h, mi, sec = 0;
    if ((s[10] != 'T' && s[10] != ' ') || !digits(s, 11, 2, h) || s.size() < 16 || s[13] != ':' || !digits(s, 14, 2, mi))
      return std::nullopt;
    size_t at = 16;
    if (at < s.size() && s[at] == ':') {
      if (!digits(s, at + 1, 2, sec)) return std::nullopt;
      at += 3;
    }
    const std::string rest = s.substr(at);
    if (!(rest.empty() || rest == "Z" || rest == "+00:00") || h > 23 || mi > 59 || sec > 60) return std::nullopt;
    return day + (h * 3600.0 + mi * 60.0 + sec) / 86400.0;
  }
  const auto v = number(s);
  if (!v || *v < 0 || *v > 1e11) return std::nullopt;
  return *v / 86400.0;
}

// One point's checks: a price in the documented range, low <= close <= high.
void checkPoint(const PathPoint& p, const std::string& pointer, const std::string& where) {
  auto price = [&](double v, const char* name) {
    if (!(v >= limits::kMinPrice && v <= limits::kMaxPrice))
      fail(pointer, where + ": " + name + " must be a price in [1e-12, 1e12], got " + formatValue(v));
  };
  price(p.close, "close");
  if (p.high) {
    price(*p.high, "high");
    price(*p.low, "low");
    if (!(*p.low <= p.close && p.close <= *p.high))
      fail(pointer, where + ": needs low <= close <= high, got low " + formatValue(*p.low) + ", close " +
                        formatValue(p.close) + ", high " + formatValue(*p.high));
  }
}

void checkInterval(double d, const std::string& pointer) {
  if (!(d > 0 && d <= 365)) fail(pointer, "interval_days must be in (0, 365], got " + formatValue(d));
}

}  // namespace

PricePath readPricePath(const std::string& csv, std::optional<double> intervalDays, const std::string& pointer) {
  if ((long long)csv.size() > limits::kMaxReplayCsvBytes)
    fail(pointer, "is " + std::to_string(csv.size()) + " bytes, more than the limit of " +
                      std::to_string(limits::kMaxReplayCsvBytes),
         ErrorCode::LimitExceeded);
  if (csv.find('\0') != std::string::npos) fail(pointer, "contains a NUL byte: not a text CSV");
  if (intervalDays) checkInterval(*intervalDays, "/options/interval_days");
  int closeCol = -1, highCol = -1, lowCol = -1, timeCol = -1;
  size_t width = 0;
  bool header = false;
  PricePath path;
  std::vector<double> times;
  size_t start = 0, lineNo = 0;
  while (start <= csv.size()) {
    size_t end = csv.find('\n', start);
    if (end == std::string::npos) end = csv.size();
    std::string line = csv.substr(start, end - start);
    start = end + 1;
    ++lineNo;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (lineNo == 1 && line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line = line.substr(3);
    if (trim(line).empty() || trim(line)[0] == '#') continue;
    const std::string where = "line " + std::to_string(lineNo);
    const auto f = fields(line);
    if (!header) {
      header = true;
      width = f.size();
      for (size_t i = 0; i < f.size(); ++i) {
        std::string name = f[i];
        for (auto& c : name) c = char(std::tolower((unsigned char)c));
        int* slot = name == "close" ? &closeCol : name == "price" ? (closeCol < 0 ? &closeCol : nullptr)
                  : name == "high" ? &highCol : name == "low" ? &lowCol
                  : (name == "time" || name == "date" || name == "timestamp") ? &timeCol : nullptr;
        if (slot && *slot >= 0 && name != "price") fail(pointer, where + ": column " + shown(f[i]) + " appears twice");
        if (slot && *slot < 0) *slot = int(i);
      }
      if (closeCol < 0) fail(pointer, where + ": the header needs a close or price column, got " + shown(line));
      if ((highCol < 0) != (lowCol < 0)) fail(pointer, where + ": give both high and low columns, or neither");
      continue;
    }
    if (f.size() != width)
      fail(pointer, where + ": has " + std::to_string(f.size()) + " fields, the header has " + std::to_string(width));
    if ((long long)path.points.size() >= limits::kMaxReplaySteps)
      fail(pointer, where + ": more than the limit of " + std::to_string(limits::kMaxReplaySteps) + " rows",
           ErrorCode::LimitExceeded);
    PathPoint p;
    auto read = [&](int col, const char* name) {
      const auto v = number(f[size_t(col)]);
      if (!v) fail(pointer, where + ": " + name + " must be a number, got " + shown(f[size_t(col)]));
      return *v;
    };
    p.close = read(closeCol, "close");
    if (highCol >= 0) {
      p.high = read(highCol, "high");
      p.low = read(lowCol, "low");
    }
    checkPoint(p, pointer, where);
    if (timeCol >= 0) {
      const auto t = timeDays(f[size_t(timeCol)]);
      if (!t) fail(pointer, where + ": time must be an ISO 8601 date or Unix seconds, got " + shown(f[size_t(timeCol)]));
      if (!times.empty() && !(*t > times.back()))
        fail(pointer, where + ": time " + shown(f[size_t(timeCol)]) + " is not after the previous row's");
      times.push_back(*t);
    }
    path.points.push_back(p);
  }
  if (!header) fail(pointer, "is empty: needs a header row and at least one price row");
  if (path.points.empty()) fail(pointer, "has a header but no price rows");
  // The first row closes one interval after the start: the first spacing, else interval_days.
  const double first = times.size() >= 2 && !intervalDays ? times[1] - times[0] : intervalDays.value_or(1.0);
  for (size_t i = 0; i < path.points.size(); ++i)
    path.points[i].tDays = times.empty() ? double(i + 1) * first : times[i] - times[0] + first;
  return path;
}

PricePath pricePathFromArrays(const std::vector<double>& close, const std::vector<double>& high,
                              const std::vector<double>& low, double intervalDays, const std::string& pointer) {
  checkInterval(intervalDays, pointer + "/interval_days");
  if (close.empty()) fail(pointer + "/close", "must hold at least one price");
  if ((long long)close.size() > limits::kMaxReplaySteps)
    fail(pointer + "/close", "has " + std::to_string(close.size()) + " prices, more than the limit of " +
                                 std::to_string(limits::kMaxReplaySteps),
         ErrorCode::LimitExceeded);
  if (high.size() != low.size() || (!high.empty() && high.size() != close.size()))
    fail(pointer, "high and low must both be absent or hold one value per close (" + std::to_string(close.size()) + ")");
  PricePath path;
  for (size_t i = 0; i < close.size(); ++i) {
    PathPoint p;
    p.tDays = double(i + 1) * intervalDays;
    p.close = close[i];
    if (!high.empty()) {
      p.high = high[i];
      p.low = low[i];
    }
    checkPoint(p, pointer + "/close/" + std::to_string(i), "row " + std::to_string(i));
    path.points.push_back(p);
  }
  return path;
}

}  // namespace backstop
