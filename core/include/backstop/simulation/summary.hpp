// The `simulate` result as data (docs/outputs.md): statistics of the per-path records of a
// PathBatch. io/ writes it as JSON; the statistics stay in small functions so weighted
// estimators can replace them one by one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "backstop/model/scenario.hpp"
#include "backstop/ruin/ruin.hpp"
#include "backstop/simulation/simulation.hpp"

namespace backstop {

using Interval = std::pair<double, double>;

// A probability estimated from n paths: plain (events / n, Wilson 95 % interval) or weighted
// (Σ w 1{event} / n, 95 % interval from the weighted variance). `events`: paths with the event.
struct DepletionEstimate {
  double estimate = 0;
  Interval ci95{0, 0};
  double events = 0;
  bool importanceSampling = false;  // method: "importance_sampling" or "plain"
  double relativeError = NAN;       // 95 % half-width / estimate (NaN at estimate 0)
  double effectivePaths = 0;        // plain paths with the same variance: p(1 − p) / SE²
};

struct ProbabilityEstimate {
  double estimate = 0;
  Interval ci95{0, 0};
};

struct BadDebtStats {
  double mean = 0, var95 = 0, es95 = 0, var99 = 0, es99 = 0, var999 = 0, es999 = 0;
};

struct LiquidatedNotional {
  double mean = 0, max = 0;
};

// Smallest fund whose depletion probability is at most `target`; NaN = not reached / not defined.
struct RequiredFund {
  double target = 0;
  double amount = 0;
  Interval ci95{0, 0};
  double ratioToOpenInterest = 0;  // NaN when open interest is 0 or the amount is not finite
};

struct CurvePoint {
  double fund = 0, probability = 0;
};

// Quantiles of the fund at the end of each day (fan chart).
struct FundQuantiles {
  std::vector<int> days;
  std::vector<double> p05, p25, p50, p75, p95;
};

struct TimeToDepletion {
  std::vector<double> histogram;  // paths first depleted in day d+1
  double never = 0;
  int binDays = 1;
};

struct MarketSummary {
  std::string symbol;
  double openInterest = 0;
  std::optional<double> fundBalance;  // per-market funds only
  BadDebtStats badDebt;
  double shareOfBadDebt = 0;
  LiquidatedNotional liquidated;
  ProbabilityEstimate liquidationProbability;
  DepletionEstimate depletion;
  double aloneAgainstFund = 0;  // the fund this market's own flows are measured against
  RequiredFund required;        // ratioToOpenInterest unused
};

// The Cramér–Lundberg model fitted from the simulated daily bad debt.
struct AnalyticSummary {
  RuinResult ruin;
  FittedClaims fit;
};

struct SimulationResult {
  DepletionEstimate depletion;
  double adlProbability = 0;
  Interval adlProbabilityCi95{0, 0};
  RequiredFund required;
  BadDebtStats badDebt;
  std::vector<CurvePoint> curve;
  FundQuantiles fundQuantiles;
  TimeToDepletion timeToDepletion;
  LiquidatedNotional liquidated;
  ProbabilityEstimate liquidationProbability;
  double meanExtraCascadeRounds = 0;
  std::optional<AnalyticSummary> analytic;  // empty when the fit failed (a warning says why)
  std::vector<std::string> warnings;
  long long paths = 0;
  std::uint64_t seed = 0;
  double horizonDays = 0;
  double fundBalance = 0;
  double openInterest = 0;
  // Several markets: the breakdown, the fund scope and the independent-markets product.
  std::vector<MarketSummary> markets;
  bool perMarketFunds = false;
  double independentMarketsDepletionProbability = 0;
  std::optional<Treasury> treasury;  // when the scenario has one
  bool fundInBasket = false;         // fund held in a basket (fund_growth_index)
};

// The `size` result: the required fund with the curve it is read from.
struct SizeResult {
  RequiredFund required;
  std::vector<CurvePoint> curve;
  DepletionEstimate depletion;
  long long paths = 0;
  std::uint64_t seed = 0;
  std::vector<std::string> warnings;
};

// The `sweep` result: the simulation at every point of the grid (docs/outputs.md).
struct SweepPoint {
  std::vector<double> at;  // one value per axis
  SimulationResult result;
};
struct SweepResult {
  std::vector<SweepAxis> axes;
  long long paths = 0;
  std::uint64_t seed = 0;
  std::vector<SweepPoint> points;  // row-major over the first axis, then the second
};

// The statistics of the records of all paths of `s` (resolved and valid).
SimulationResult summarize(const Scenario& s, const PathBatch& all);

// Validates and resolves a scenario built in code, simulates options.pathBegin..pathEnd (all
// paths by default) and summarizes them. Throws InputError (field errors, limits, cancelled).
SimulationResult simulate(const Scenario& s, const RunOptions& options);

// simulate(), kept to the required fund and its curve.
SizeResult size(const Scenario& s, const RunOptions& options);
SizeResult sizeOf(const SimulationResult& r);

// Generic pieces: plain, and weighted by each path's likelihood ratio.
BadDebtStats badDebtStats(std::vector<double> values);
BadDebtStats badDebtStats(const std::vector<double>& values, const std::vector<double>& weights);

// P(depletion) at the current fund from the records so far (what a precision run watches).
DepletionEstimate depletionAtFund(const Scenario& s, const PathBatch& b);

// Paths per batch of a run to a precision: the stopping rule looks at whole batches in path
// order, so the answer does not depend on threads or workers.
inline constexpr long long kPrecisionBatch = 2000;
inline constexpr long long kDefaultMaxPaths = 1000000;
// Whether a precision run stops after the records `b` (all its batches so far).
bool precisionReached(const Scenario& s, const PathBatch& b);
// The path cap of a precision run (simulation.max_paths, else the default, within the work limit).
long long precisionCap(const Scenario& s);

// The records of a run of a resolved, valid scenario: paths [begin, end) of the importance-
// sampling mixture chosen once (chooseTilt) or, with simulation.target_relative_error, whole
// batches from path 0 until precisionReached or the cap.
PathBatch runPaths(const Scenario& s, long long begin, long long end, const RunOptions& o);
// summarize() plus a warning when a precision run stopped at its cap.
SimulationResult summarizeRun(const Scenario& s, const PathBatch& b);

}  // namespace backstop
