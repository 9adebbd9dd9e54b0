// Calibration sweeps (docs/model.md (several markets, one fund)): the simulation once per value of one or two scenario
// fields, with common random numbers (every point uses the same seed and per-path streams),
// so neighbouring points differ by the parameter, not by noise.
#pragma once

#include <vector>

#include "backstop/io/commands.hpp"
#include "backstop/model/scenario.hpp"

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

}  // namespace backstop
