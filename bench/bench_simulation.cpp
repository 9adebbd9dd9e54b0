// Path-steps per second of the full model on bench/scenarios/btc-30d.json, against a
// baseline loop that only draws the same random numbers (our physical limit).
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

#include "backstop/io/commands.hpp"
#include "backstop/io/scenario_reader.hpp"
#include "backstop/io/api.hpp"
#include "backstop/market/price_model.hpp"
#include "backstop/market/random.hpp"
#include "backstop/simulation/simulation.hpp"

using namespace backstop;

namespace {
Scenario loadFile(const char* path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return scenarioForRun(parseJsonText(ss.str()), RunOptions{});
}
const Scenario& benchScenario() {
  static const Scenario s = loadFile(BACKSTOP_SOURCE_DIR "/bench/scenarios/btc-30d.json");
  return s;
}
constexpr long long kPaths = 400;
}  // namespace

static void FullModel(benchmark::State& state) {
  const Scenario& s = benchScenario();
  const int threads = int(state.range(0));
  for (auto _ : state) {
    PathBatch b = simulatePaths(s, 0, kPaths, threads);
    benchmark::DoNotOptimize(b.maxOutflow.data());
  }
  state.counters["path_steps_per_s"] =
      benchmark::Counter(double(kPaths * s.simulation.steps()) * double(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(FullModel)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// The numpy peer's scenario (bench/numpy_peer.py): 20 explicit positions, 1 thread; argument 1
// the event engine, 0 the same model step by step (detail::setEventEngine).
static void ExplicitBook(benchmark::State& state) {
  static const Scenario s = loadFile(BACKSTOP_SOURCE_DIR "/bench/scenarios/explicit-book.json");
  detail::setEventEngine(state.range(0) != 0);
  for (auto _ : state) {
    PathBatch b = simulatePaths(s, 0, kPaths, 1);
    benchmark::DoNotOptimize(b.maxOutflow.data());
  }
  detail::setEventEngine(true);
  state.counters["path_steps_per_s"] =
      benchmark::Counter(double(kPaths * s.simulation.steps()) * double(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(ExplicitBook)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same draws per step as the Merton model with bridge extremes: a normal, a Poisson
// and two uniforms (plus the normals of any jumps), and nothing else.
static void DrawOnly(benchmark::State& state) {
  const Scenario& s = benchScenario();
  for (auto _ : state) {
    double acc = 0;
    for (long long p = 0; p < kPaths; ++p) {
      Rng rng(s.simulation.seed, std::uint64_t(p));
      PriceProcess proc(s.priceModel(), s.simulation.stepsPerDay);
      proc.reset(rng);
      for (long long k = 0; k < s.simulation.steps(); ++k) {
        const StepMove m = proc.step(rng);
        acc += m.diffusion + m.jump + rng.uniform() + rng.uniform();
      }
    }
    benchmark::DoNotOptimize(acc);
  }
  state.counters["path_steps_per_s"] =
      benchmark::Counter(double(kPaths * s.simulation.steps()) * double(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(DrawOnly)->Unit(benchmark::kMillisecond)->UseRealTime();

// Five correlated markets (Cholesky draws, copula bridge extremes, common jumps) on one
// fund: market-steps per second, to compare with FullModel's path-steps.
static void MultiMarket(benchmark::State& state) {
  static const Scenario s = loadFile(BACKSTOP_SOURCE_DIR "/scenarios/alts-pooled.json");
  constexpr long long paths = 100;
  for (auto _ : state) {
    PathBatch b = simulatePaths(s, 0, paths, 1);
    benchmark::DoNotOptimize(b.maxOutflow.data());
  }
  state.counters["market_steps_per_s"] = benchmark::Counter(
      double(paths * s.simulation.steps() * (long long)s.markets.size()) * double(state.iterations()),
      benchmark::Counter::kIsRate);
}
BENCHMARK(MultiMarket)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
