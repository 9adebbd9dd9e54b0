// `replay`: a price path (closes of consecutive intervals, optional high/low) through the same
// liquidation and waterfall engine as `stress`, carrying the book, the fund and every stage's
// balance from step to step (docs/outputs.md "replay", docs/scenario-format.md "replay").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backstop/model/scenario.hpp"
#include "backstop/waterfall/waterfall.hpp"

namespace backstop {

namespace limits {
inline constexpr long long kMaxReplaySteps = 20000;
inline constexpr long long kMaxReplayCsvBytes = 8LL << 20;
}  // namespace limits

struct PathPoint {
  double tDays = 0;  // since the scenario's mark price (the path's start)
  double close = 0;
  std::optional<double> high, low;  // both or neither
};

struct PricePath {
  std::vector<PathPoint> points;
};

// CSV with a header row: a `close` or `price` column (any case), optional `high` and `low`
// (both or neither), optional `time`, `date` or `timestamp` (ISO 8601 date or date-time, or Unix
// seconds; the first row is one interval after the start). Without a time column rows are
// `intervalDays` apart. Lines starting with '#' and blank lines are skipped. Errors are
// InputErrors at `pointer` naming the line.
PricePath readPricePath(const std::string& csv, std::optional<double> intervalDays, const std::string& pointer = "/csv");
// The same checks on a path given as numbers (the scenario's "replay" field); errors at `pointer`/<field>/<index>.
PricePath pricePathFromArrays(const std::vector<double>& close, const std::vector<double>& high,
                              const std::vector<double>& low, double intervalDays, const std::string& pointer);

struct ReplayStep {
  double tDays = 0;
  double price = 0;              // the close
  double liquidatedNotional = 0;
  double badDebt = 0;
  double penaltiesToFund = 0;
  double feeInflow = 0;
  double revaluation = 0;        // change of the fund's value from what it holds (fund.composition)
  WaterfallSplit waterfall;
  double fundAfter = 0;
  double vaultAfter = 0;
  double treasuryAfter = 0;
  int liquidations = 0;          // positions liquidated in the step
};

struct ReplayTotals {
  double badDebt = 0;
  double liquidatedNotional = 0;
  double penaltiesToFund = 0;
  double feeInflow = 0;
  double revaluation = 0;
  WaterfallSplit waterfall;
  double fundAfter = 0;
  double fundMin = 0;
  bool depleted = false;
  std::optional<double> depletedAtDays;
};

struct ReplayResult {
  double fundBefore = 0;
  std::vector<ReplayStep> steps;
  ReplayTotals totals;
};

// Runs the path on a validated single-market scenario.
ReplayResult runReplay(const Scenario& s, const PricePath& path);

}  // namespace backstop
