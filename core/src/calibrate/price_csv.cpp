// Return series from a price CSV (read by market/price_csv) or a list of numbers; errors name the line.
#include <algorithm>
#include <cmath>

#include "backstop/calibrate/calibrate.hpp"
#include "backstop/market/price_csv.hpp"

namespace backstop::calibrate {

namespace {

[[noreturn]] void fail(const std::string& pointer, const std::string& message,
                       ErrorCode code = ErrorCode::InvalidInput) {
  throw InputError(code, {{pointer, message}});
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

ReturnSeries readPriceCsv(const std::string& text, std::optional<double> intervalDays, const std::string& pointer) {
  PriceCsvOptions options;
  options.maxBytes = (long long)limits::kMaxCsvBytes;
  options.maxRows = (long long)limits::kMaxPrices;
  options.pointer = pointer;
  const PriceTable table = readPriceTable(text, options);
  if (!table.timeColumn.empty() && intervalDays)
    fail("/interval_days", "is given, but the CSV's \"" + table.timeColumn + "\" column (line " +
                               std::to_string(table.headerLine) + ") already gives the spacing: give one or the other");
  const auto& rows = table.rows;
  if (rows.size() < limits::kMinReturns + 1)
    fail(pointer, "line " + std::to_string(table.lastLine) + ": the file ends after " +
                      describeCount(rows.size(), "price") + "; calibration needs at least " +
                      std::to_string(limits::kMinReturns + 1) + " (" + std::to_string(limits::kMinReturns) + " returns)");
  ReturnSeries out;
  out.observations = rows.size();
  out.timeColumn = table.timeColumn;
  if (!table.timeColumn.empty()) {
    // The spacing is the median step; every step must be within the tolerance of it.
    std::vector<double> steps;
    for (size_t i = 1; i < rows.size(); ++i) steps.push_back((*rows[i].seconds - *rows[i - 1].seconds) / 86400.0);
    std::vector<double> sorted = steps;
    std::nth_element(sorted.begin(), sorted.begin() + long(sorted.size() / 2), sorted.end());
    const double median = sorted[sorted.size() / 2];
    for (size_t i = 0; i < steps.size(); ++i)
      if (std::fabs(steps[i] / median - 1) > limits::kSpacingTolerance)
        fail(pointer, "line " + std::to_string(rows[i + 1].line) + ": " + formatValue(steps[i]) +
                          " days after the previous row, but the series is spaced " + formatValue(median) +
                          " days: a gap or an irregular step (fill or cut the series, or drop the time column and "
                          "give interval_days to treat the rows as consecutive intervals)");
    out.intervalDays = median;
  } else {
    out.intervalDays = intervalDays.value_or(1.0);
    if (!(out.intervalDays > 0) || !(out.intervalDays <= 365))
      fail("/interval_days", "must be in (0, 365] days, got " + formatValue(out.intervalDays));
  }
  std::vector<double> prices;
  prices.reserve(rows.size());
  for (const auto& r : rows) prices.push_back(r.close);
  out.returns = logReturns(prices, pointer, [&](size_t i) { return "line " + std::to_string(rows[i].line); });
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
