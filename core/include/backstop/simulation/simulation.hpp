// Fund-depletion Monte Carlo (SPEC §5-§7, §9). Each path draws from its own stream derived
// from (seed, path index): results do not depend on threads or workers, and batches of
// paths merge exactly because the summary is computed from per-path records.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "backstop/io/api.hpp"
#include "backstop/model/scenario.hpp"

namespace backstop {

// Per-path records of a range of paths [begin, end).
struct PathBatch {
  long long begin = 0, end = 0;
  int days = 0;       // fund balance recorded at the end of each day
  int gridSize = 0;   // policy mode: fund sizes simulated one by one
  int markets = 0;    // multi-market: per-market records below (0 for one market)
  std::vector<double> maxOutflow;       // M_T = max_k Σ X_i/G_i (>= 0); per-market funds: max_j M_j/w_j
  std::vector<double> badDebt;          // gross bad debt over the horizon
  std::vector<double> liquidated;       // liquidated notional (quote)
  std::vector<double> depletionDay;     // first day (fraction) the current fund is depleted, −1 never
  std::vector<double> cascadeRounds;    // extra cascade rounds over the path
  std::vector<double> fundByDay;        // path-major: days values per path
  std::vector<double> gridDepleted;     // policy mode: path-major gridSize 0/1 flags
  std::vector<double> dailyBadDebt;     // path-major: days values (for the ruin fit)
  std::vector<double> adl;              // 1 when a loss passed fund, treasury and vault (current sizes)
  std::vector<double> marketBadDebt;    // path-major: markets values
  std::vector<double> marketLiquidated; // path-major: markets values
  std::vector<double> marketMaxOutflow; // path-major: each market's own M_T (its flows alone)
  long long paths() const { return end - begin; }
  void append(const PathBatch& o);
};

// The fund sizes the policy mode simulates (cap per event, drawdown trigger): a fixed grid.
std::vector<double> policyFundGrid(const Scenario& s);
bool needsPolicyMode(const Scenario& s);
// Steps in the drawdown ADL trigger's look-back window (at most the run's steps).
int drawdownWindowSteps(const Scenario& s);

// Simulates paths [begin, end) on `threads` threads; `progress` gets fractions in [0, 1];
// polling `cancel` stops early with an InputError of code "cancelled"? No: returns what it has.
PathBatch simulatePaths(const Scenario& s, long long begin, long long end, int threads,
                        const std::function<void(double)>& progress = {}, const bool* cancel = nullptr);

// The SPEC §13 `simulate` result from the records of all paths.
Json summarize(const Scenario& s, const PathBatch& all);

// Flat binary form of a batch (for Web Workers): doubles with a small header.
std::vector<double> encodeBatch(const PathBatch& b);
PathBatch decodeBatch(const double* data, size_t n);
// Length of the encoded batch starting at `data` (from its header); throws when malformed.
size_t encodedBatchLength(const double* data, size_t available);

// The document with --paths/--seed overrides written into /simulation.
Json withRunOverrides(const Json& input, const RunOptions& o);
// Applies --paths/--seed overrides and path ranges; validates them.
Scenario scenarioForRun(const Json& input, const RunOptions& o);

Json simulateCommand(const Json& input, const RunOptions& options);
Json sizeCommand(const Json& input, const RunOptions& options);

// Wilson score interval (95 %) for k successes in n trials.
std::pair<double, double> wilson95(double k, double n);
// Distribution-free 95 % interval for the p-quantile of n sorted values (order statistics).
std::pair<double, double> quantileInterval95(const std::vector<double>& sorted, double p);

}  // namespace backstop
