// A replay path from a price CSV (read by market/price_csv) or arrays; errors name the line (or index).

#include "backstop/market/price_csv.hpp"
#include "backstop/replay/replay.hpp"

namespace backstop {

namespace {

[[noreturn]] void fail(const std::string& pointer, const std::string& message,
                       ErrorCode code = ErrorCode::InvalidInput) {
  throw InputError(code, {{pointer, message}});
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
  if (intervalDays) checkInterval(*intervalDays, "/options/interval_days");
  PriceCsvOptions options;
  options.maxBytes = limits::kMaxReplayCsvBytes;
  options.maxRows = limits::kMaxReplaySteps;
  options.ranges = true;
  options.pointer = pointer;
  const PriceTable table = readPriceTable(csv, options);
  if (table.rows.empty()) fail(pointer, "has a header but no price rows");
  PricePath path;
  for (const PriceRow& row : table.rows) {
    PathPoint p;
    p.close = row.close;
    p.high = row.high;
    p.low = row.low;
    checkPoint(p, pointer, "line " + std::to_string(row.line));
    path.points.push_back(p);
  }
  // The first row closes one interval after the start: the first spacing, else interval_days.
  const auto& rows = table.rows;
  const bool timed = !table.timeColumn.empty();
  const double first = timed && rows.size() >= 2 && !intervalDays ? (*rows[1].seconds - *rows[0].seconds) / 86400.0
                                                                    : intervalDays.value_or(1.0);
  for (size_t i = 0; i < rows.size(); ++i)
    path.points[i].tDays = timed ? (*rows[i].seconds - *rows[0].seconds) / 86400.0 + first : double(i + 1) * first;
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
