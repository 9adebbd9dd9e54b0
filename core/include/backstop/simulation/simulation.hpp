// Fund-depletion Monte Carlo (docs/model.md (the fund process, price models)). Each path draws from its own stream derived
// from (seed, path index): results do not depend on threads or workers, and batches of
// paths merge exactly because the summary is computed from per-path records.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "backstop/model/scenario.hpp"
#include "backstop/run_options.hpp"
#include "backstop/simulation/importance.hpp"
#include "backstop/stats/intervals.hpp"

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
  std::vector<double> weight;           // likelihood ratio dP/dQ of the path (1 for plain Monte Carlo)
  std::vector<double> component;        // the mixture component the path was drawn from (0: original measure)
  long long paths() const { return end - begin; }
  void append(const PathBatch& o);
};

// The fund sizes the policy mode simulates (cap per event, drawdown trigger): a fixed grid.
std::vector<double> policyFundGrid(const Scenario& s);
bool needsPolicyMode(const Scenario& s);
// Steps in the drawdown ADL trigger's look-back window (at most the run's steps).
int drawdownWindowSteps(const Scenario& s);

// Simulates paths [begin, end) on `threads` threads of a resolved, valid scenario (resolve(),
// validate()); `progress` gets fractions in [0, 1]. When `cancel` turns true (polled between
// chunks of paths) it throws InputError with code `cancelled`: never a partial batch whose
// unrun paths would count as survivors. A scenario without markets is an InputError too.
// `tilt`: the importance-sampling mixture; null computes it with chooseTilt(s) (the original
// measure when the scenario's importance_sampling is "off").
PathBatch simulatePaths(const Scenario& s, long long begin, long long end, int threads,
                        const std::function<void(double)>& progress = {},
                        const std::atomic<bool>* cancel = nullptr, const Tilt* tilt = nullptr);

// Pilot paths for the cross-entropy method: paths [begin, end) of stream indices apart from the
// run's, under `tilt`, with what the tilt update needs per path.
struct PilotRecords {
  std::vector<double> maxOutflow, weight, logReturn;  // M_T, likelihood ratio, market 0's log-return at T
  std::vector<double> lowest, highest;                // market 0's lowest and highest log-return on the path
  std::vector<double> depletionDay;                   // first day (fraction) the current fund is depleted, −1 never
  std::vector<double> logReturnAtDepletion;           // market 0's log-return then (at T if never)
  std::vector<double> logReturnAtPeakOutflow;         // market 0's log-return when M_T last rose (0 if never)
  std::vector<PathTally> tallies;                     // the draws the likelihood ratio counts
  std::vector<PathTally> talliesAtDepletion;          // the tilted draws up to depletion (all if never)
};
PilotRecords simulatePilot(const Scenario& s, const Tilt& tilt, std::uint64_t streamBegin, long long n, int threads);

namespace detail {
// The event engine for books without renewal (on by default); off runs every path step by step,
// the same model drawn differently (tests and benchmarks compare the two). Set before a run.
void setEventEngine(bool on);
// Whether a resolved scenario's plain (untilted) paths take the event engine; a tilted run
// (importance sampling) always steps.
bool takesEventEngine(const Scenario& s);
}  // namespace detail

// Validates and resolves a scenario built in code, then simulates options.pathBegin..pathEnd
// (all paths by default). Throws InputError (field errors, limits, cancelled). The summary of
// the records is simulate() (simulation/summary.hpp).
PathBatch simulatePaths(const Scenario& s, const RunOptions& options);
// The resolved scenario, validated (throws InputError with the field errors), and the end of
// the options' path range checked against it.
Scenario resolvedValid(const Scenario& s);
long long pathRangeEnd(const Scenario& s, const RunOptions& options);

// Flat binary form of a batch (for Web Workers): doubles with a small header.
std::vector<double> encodeBatch(const PathBatch& b);
PathBatch decodeBatch(const double* data, size_t n);
// Length of the encoded batch starting at `data` (from its header); throws when malformed.
size_t encodedBatchLength(const double* data, size_t available);


}  // namespace backstop
