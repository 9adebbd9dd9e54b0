// Options of a run that are not part of a scenario (CLI flags, JS call options).
#pragma once

#include <atomic>
#include <functional>
#include <string>

namespace backstop {

struct RunOptions {
  long long paths = 0;      // 0: the scenario's value
  long long seed = -1;      // <0: the scenario's value
  int threads = 1;
  long long pathBegin = 0;  // a worker's share of the paths: [pathBegin, pathEnd)
  long long pathEnd = -1;
  std::string importance;   // "auto" | "off" overrides simulation.importance_sampling ("" keeps it)
  double precision = 0;     // > 0 overrides simulation.target_relative_error
  std::function<void(double)> progress;          // fraction done, from the calling thread
  const std::atomic<bool>* cancel = nullptr;      // polled between chunks of paths; true: error `cancelled`
};

}  // namespace backstop
