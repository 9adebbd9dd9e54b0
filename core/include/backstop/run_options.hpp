// Options of a run that are not part of a scenario (CLI flags, JS call options).
#pragma once

#include <atomic>
#include <functional>

namespace backstop {

struct RunOptions {
  long long paths = 0;      // 0: the scenario's value
  long long seed = -1;      // <0: the scenario's value
  int threads = 1;
  long long pathBegin = 0;  // a worker's share of the paths: [pathBegin, pathEnd)
  long long pathEnd = -1;
  std::function<void(double)> progress;          // fraction done, from the calling thread
  const std::atomic<bool>* cancel = nullptr;      // polled between chunks of paths; true: error `cancelled`
};

}  // namespace backstop
