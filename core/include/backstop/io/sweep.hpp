// Calibration sweeps (docs/model.md (several markets, one fund)): the simulation once per value of one or two scenario
// fields, with common random numbers (every point uses the same seed and per-path streams),
// so neighbouring points differ by the parameter, not by noise.
#pragma once

#include <functional>
#include <vector>

#include "backstop/io/commands.hpp"
#include "backstop/model/scenario.hpp"
#include "backstop/simulation/simulation.hpp"

namespace backstop {

struct SweepPlan {
  std::vector<SweepAxis> axes;
  std::vector<std::vector<double>> at;  // row-major over the first axis, then the second
  std::vector<Json> documents;          // the validated scenario at each point
  long long paths = 0;
  std::uint64_t seed = 0;
};

// Expands and validates every point; errors name the sweep value that makes a point invalid.
SweepPlan planSweep(const Json& input, const RunOptions& options);

// Simulates every point of the plan (common random numbers).
SweepResult runSweep(const SweepPlan& plan, const RunOptions& options);

// The scenario at point k of the plan, loaded.
Scenario sweepPointScenario(const SweepPlan& p, size_t k);

// The sweep from each point's records of all its paths: batchOf(k, point k's scenario).
// runSweep simulates them; `merge` puts them together from the shards' parts.
SweepResult sweepOf(const SweepPlan& p, const std::function<PathBatch(size_t, const Scenario&)>& batchOf);

}  // namespace backstop
