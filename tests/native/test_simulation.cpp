// Monte Carlo engine against independent values: closed-form first passage of GBM, model
// moments, conservation of fee inflows, exact merging and thread independence.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <vector>

#include <boost/math/distributions/normal.hpp>

#include "backstop/io/commands.hpp"
#include "backstop/io/scenario_reader.hpp"
#include "backstop/io/api.hpp"
#include "backstop/market/price_model.hpp"
#include "backstop/simulation/simulation.hpp"
#include "backstop/stats/intervals.hpp"

using namespace backstop;

namespace {

Json baseScenario() {
  return Json::parse(R"({
    "schema": "backstop/scenario@1", "name": "test",
    "market": {"symbol": "T", "mark_price": 100, "maintenance_margin_rate": 0.005, "taker_fee_rate": 0.0005,
               "daily_volume": 1e8, "liquidity": {"model": "none"}},
    "book": {"positions": [{"id": "L", "side": "long", "quantity": 1, "entry_price": 100, "collateral": 10}]},
    "fund": {"balance": 1000, "fee_share": 0.1},
    "price_model": {"kind": "gbm", "daily_volatility": 0.04, "drift_per_year": 0},
    "simulation": {"horizon_days": 5, "steps_per_day": 4, "paths": 20000, "seed": 7, "target_depletion_probability": 0.01}
  })");
}

double Phi(double x) { return boost::math::cdf(boost::math::normal_distribution<>(), x); }

// P(min_{t<=T} (μt + σW_t) <= b), b < 0 (reflection principle, e.g. Borodin & Salminen 2.1.1.4).
double firstPassageBelow(double b, double mu, double sigma, double T) {
  const double s = sigma * std::sqrt(T);
  return Phi((b - mu * T) / s) + std::exp(2 * mu * b / (sigma * sigma)) * Phi((b + mu * T) / s);
}

}  // namespace

TEST(Simulation, GbmFirstPassageMatchesClosedForm) {
  // One explicit 10x long, no impact: liquidated iff the GBM path's minimum reaches its level.
  const Json doc = baseScenario();
  const Json r = dispatch("simulate", doc, RunOptions{});
  const double level = (100.0 - 10.0) / (1.0 - 0.005);  // docs/formulas.md (position arithmetic) liquidation price
  const double sigma = 0.04, mu = -0.5 * sigma * sigma;  // log drift per day for a driftless price
  const double expected = firstPassageBelow(std::log(level / 100.0), mu, sigma, 5.0);
  const double p = r["liquidation_probability"]["estimate"].get<double>();
  const double se = std::sqrt(expected * (1 - expected) / 20000.0);
  EXPECT_NEAR(p, expected, 4 * se) << "closed form " << expected;
  // Coarser steps must not change it: the bridge extremes are exact (docs/model.md (price models)).
  Json coarse = doc;
  coarse["simulation"]["steps_per_day"] = 1;
  const double pc = dispatch("simulate", coarse, RunOptions{})["liquidation_probability"]["estimate"].get<double>();
  EXPECT_NEAR(pc, expected, 4 * se);
}

TEST(Simulation, EventEngineAgreesWithTheStepByStepEngine) {
  // The same model drawn two ways (detail::setEventEngine): an explicit book on both sides,
  // Merton jumps (frequent, to cut many blocks), linear and permanent impact (cascades), a
  // horizon that ends inside a day. Every record's mean agrees within 4 SE.
  Json doc = baseScenario();
  doc["book"]["positions"] = Json::parse(R"([
    {"id": "L5", "side": "long", "quantity": 300, "entry_price": 100, "collateral": 6000},
    {"id": "L20", "side": "long", "quantity": 500, "entry_price": 101, "collateral": 2525},
    {"id": "L50", "side": "long", "quantity": 400, "entry_price": 99, "collateral": 792},
    {"id": "S10", "side": "short", "quantity": 300, "entry_price": 100, "collateral": 3000},
    {"id": "S25", "side": "short", "quantity": 500, "entry_price": 99, "collateral": 1980},
    {"id": "S100", "side": "short", "quantity": 400, "entry_price": 100, "collateral": 400}])");
  doc["market"]["liquidity"] = {{"model", "linear"}, {"depth_1pct", 20000}, {"permanent_impact", 0.3}};
  doc["price_model"] = Json::parse(R"({"kind": "merton", "daily_volatility": 0.04, "jump_intensity_per_year": 80,
                                      "jump_mean": -0.03, "jump_stdev": 0.06})");
  doc["fund"]["balance"] = 3000;
  doc["simulation"]["horizon_days"] = 7.5;
  doc["simulation"]["steps_per_day"] = 24;
  const long long n = 20000;
  const Scenario s = scenarioForRun(doc, RunOptions{});
  detail::setEventEngine(false);
  const PathBatch a = simulatePaths(s, 0, n, 2);
  detail::setEventEngine(true);
  const PathBatch b = simulatePaths(s, 0, n, 2);
  // A pure function of (scenario, seed, path index): 1 or 3 threads, or a path range alone, change nothing.
  EXPECT_EQ(encodeBatch(simulatePaths(s, 0, 2000, 1)), encodeBatch(simulatePaths(s, 0, 2000, 3)));
  const PathBatch tail = simulatePaths(s, n - 500, n, 1);
  EXPECT_TRUE(std::equal(tail.maxOutflow.begin(), tail.maxOutflow.end(), b.maxOutflow.end() - 500));
  auto agree = [&](const char* what, auto value) {
    double m[2] = {0, 0}, q[2] = {0, 0};
    for (int e = 0; e < 2; ++e) {
      for (long long k = 0; k < n; ++k) {
        const double x = value(e == 0 ? a : b, size_t(k));
        m[e] += x;
        q[e] += x * x;
      }
      m[e] /= double(n);
      q[e] = (q[e] / double(n) - m[e] * m[e]) / double(n);  // squared SE of the mean
    }
    const double se = std::sqrt(q[0] + q[1]);
    EXPECT_LE(std::fabs(m[0] - m[1]), 4 * se + 1e-9 * std::fabs(m[0])) << what << ": step by step " << m[0] << ", events " << m[1];
    EXPECT_GT(se, 0.0) << what;  // the record varies: the comparison has power
  };
  agree("P(depletion)", [](const PathBatch& p, size_t k) { return p.depletionDay[k] >= 0 ? 1.0 : 0.0; });
  agree("depletion by day 2", [](const PathBatch& p, size_t k) { return p.depletionDay[k] >= 0 && p.depletionDay[k] <= 2 ? 1.0 : 0.0; });
  agree("bad debt", [](const PathBatch& p, size_t k) { return p.badDebt[k]; });
  agree("liquidated notional", [](const PathBatch& p, size_t k) { return p.liquidated[k]; });
  agree("cascade rounds", [](const PathBatch& p, size_t k) { return p.cascadeRounds[k]; });
  agree("M_T", [](const PathBatch& p, size_t k) { return p.maxOutflow[k]; });
  for (int d : {0, 3, 7}) {
    agree("fund at a day's end", [d](const PathBatch& p, size_t k) { return p.fundByDay[k * size_t(p.days) + size_t(d)]; });
    agree("bad debt of a day", [d](const PathBatch& p, size_t k) { return p.dailyBadDebt[k * size_t(p.days) + size_t(d)]; });
  }
}

TEST(Simulation, ShippedScenariosTakeTheEngineTheirModelAllows) {
  // Every shipped simulate input and the engine its plain paths take (detail::takesEventEngine):
  // the event engine needs one linear market with an explicit book (no renewing buckets), GBM
  // or Merton, and a plain fund (no policy grid, no holdings). A new model or fund feature that
  // changes a file's engine, or a new file, fails here until listed. "-": not a simulate input.
  // (A run importance sampling tilts steps whatever the file: tail-gbm-* once the tilt is on.)
  const std::map<std::string, std::string> expected = {
      {"scenarios/adl-water-filling.json", "event"},  // nine positions, GBM
      {"scenarios/alts-pooled.json", "step"},         // several markets
      {"scenarios/binance-btcusdt.json", "step"},     // leverage buckets renew
      {"scenarios/btc-large-venue.json", "step"},
      {"scenarios/default.json", "step"},
      {"scenarios/dex-midcap.json", "step"},
      {"scenarios/drift-sol.json", "step"},
      {"scenarios/gmx-eth-pool.json", "step"},
      {"scenarios/meme-thin.json", "step"},
      {"scenarios/token-fund.json", "step"},
      {"bench/scenarios/btc-30d.json", "step"},
      {"bench/scenarios/default-1e-4.json", "step"},
      {"bench/scenarios/explicit-book.json", "event"},  // 20 positions, Merton
      {"bench/scenarios/tail-bootstrap-2e-4.json", "step"},
      {"bench/scenarios/tail-bootstrap-8e-6.json", "step"},
      {"bench/scenarios/tail-gbm-1e-3.json", "event"},
      {"bench/scenarios/tail-gbm-1e-4.json", "event"},
      {"bench/scenarios/tail-gbm-1e-5.json", "event"},
      {"bench/scenarios/tail-gbm-1e-6.json", "event"},
      {"tests/golden/position-linear-long.json", "-"},
      {"tests/golden/replay-hand.json", "-"},
      {"tests/golden/ruin-exponential.json", "-"},
      {"tests/golden/ruin-lognormal.json", "-"},
      {"tests/golden/ruin-lomax.json", "-"},
      {"tests/golden/ruin-mixture.json", "-"},
      {"tests/golden/sim-gbm.json", "step"},
      {"tests/golden/sim-importance-merton.json", "step"},
      {"tests/golden/sim-importance-tail.json", "event"},
      {"tests/golden/sim-merton-cascade.json", "step"},
      {"tests/golden/sim-multi-market.json", "step"},
      {"tests/golden/sim-student-t-positions.json", "step"},  // Student-t
      {"tests/golden/sweep-penalty.json", "step"},
  };
  namespace fs = std::filesystem;
  const fs::path root(BACKSTOP_SOURCE_DIR);
  std::map<std::string, std::string> found;
  for (const char* dir : {"scenarios", "bench/scenarios", "tests/golden"})
    for (const auto& f : fs::directory_iterator(root / dir)) {
      const std::string name = f.path().filename().string();
      if (f.path().extension() != ".json" || name.find(".expected.") != std::string::npos) continue;
      std::ifstream in(f.path());
      std::stringstream text;
      text << in.rdbuf();
      std::string engine = "-";
      try {
        const Scenario s = resolvedValid(scenarioForRun(parseJsonText(text.str()), RunOptions{}));
        engine = detail::takesEventEngine(s) ? "event" : "step";
      } catch (const InputError&) {
      }
      found[std::string(dir) + "/" + name] = engine;
    }
  EXPECT_EQ(found, expected);
}

TEST(Simulation, CloseExecutionWithoutBridgeUnderstatesCrossings) {
  // Student-t has no continuous path: it checks levels at the close only, so with a
  // near-normal t (dof 1e5) at one step a day it must see fewer crossings than the bridge.
  Json doc = baseScenario();
  doc["simulation"]["steps_per_day"] = 1;
  const double bridge = dispatch("simulate", doc, RunOptions{})["liquidation_probability"]["estimate"].get<double>();
  doc["price_model"] = {{"kind", "student_t"}, {"daily_volatility", 0.04}, {"dof", 100000}};
  const double close = dispatch("simulate", doc, RunOptions{})["liquidation_probability"]["estimate"].get<double>();
  EXPECT_LT(close, bridge - 0.02);
}

TEST(Simulation, FeeInflowIsConservedWhenNothingIsLiquidated) {
  // No position can be liquidated (1x long): the fund grows by fee_share·fee·volume per day.
  Json doc = baseScenario();
  doc["book"]["positions"][0]["collateral"] = 100;  // leverage 1: no liquidation price
  doc["simulation"]["paths"] = 200;
  const Json r = dispatch("simulate", doc, RunOptions{});
  const double perDay = 0.1 * 0.0005 * 1e8;
  const auto& q = r["fund_quantiles"];
  for (size_t d = 0; d < 5; ++d) {
    EXPECT_NEAR(q["p05"][d].get<double>(), 1000 + perDay * double(d + 1), 1e-6);
    EXPECT_NEAR(q["p95"][d].get<double>(), 1000 + perDay * double(d + 1), 1e-6);
  }
  EXPECT_EQ(r["bad_debt"]["mean"].get<double>(), 0.0);
  EXPECT_EQ(r["depletion_probability"]["events"].get<double>(), 0.0);
  // A horizon that ends inside a day: its last record is the fund after the last step.
  doc["simulation"]["horizon_days"] = 4.5;
  const Json h = dispatch("simulate", doc, RunOptions{});
  EXPECT_NEAR(h["fund_quantiles"]["p50"][4].get<double>(), 1000 + perDay * 4.5, 1e-6);
  EXPECT_NEAR(h["fund_quantiles"]["p50"][3].get<double>(), 1000 + perDay * 4.0, 1e-6);
}

TEST(Simulation, LeverageOneBookHasNoBadDebt) {
  Json doc = baseScenario();
  doc["book"] = Json::parse(R"({"open_interest": 1e6, "leverage": [{"leverage": 1, "share": 1}], "turnover_per_day": 1})");
  doc["simulation"]["paths"] = 500;
  doc["simulation"]["horizon_days"] = 30;
  const Json r = dispatch("simulate", doc, RunOptions{});
  EXPECT_EQ(r["bad_debt"]["mean"].get<double>(), 0.0);
  EXPECT_EQ(r["bad_debt"]["var99"].get<double>(), 0.0);
}

namespace {
Json cascadeScenario() {
  Json doc = baseScenario();
  doc["book"] = Json::parse(R"({"open_interest": 5e7, "leverage": [{"leverage": 5, "share": 0.5}, {"leverage": 25, "share": 0.5}], "turnover_per_day": 0.5,
    "positions": [{"id": "whale", "side": "short", "quantity": 1000, "entry_price": 100, "collateral": 5000}]})");
  doc["market"]["liquidity"] = {{"model", "sqrt"}, {"impact_coefficient", 1.0}, {"permanent_impact", 0.5}};
  doc["price_model"] = Json::parse(R"({"kind": "merton", "daily_volatility": 0.04, "jump_intensity_per_year": 20, "jump_mean": -0.05, "jump_stdev": 0.05})");
  doc["fund"]["balance"] = 2e5;
  doc["simulation"]["paths"] = 600;
  return doc;
}
}  // namespace

TEST(Simulation, ThreadCountDoesNotChangeResults) {
  const Json doc = cascadeScenario();
  RunOptions one, two, three;
  two.threads = 2;
  three.threads = 3;
  const std::string a = dispatch("simulate", doc, one).dump();
  EXPECT_EQ(a, dispatch("simulate", doc, two).dump());
  EXPECT_EQ(a, dispatch("simulate", doc, three).dump());
}

TEST(Simulation, BatchesMergeExactly) {
  const Json doc = cascadeScenario();
  const Scenario s = scenarioForRun(doc, RunOptions{});
  PathBatch whole = simulatePaths(s, 0, 600, 1);
  PathBatch a = simulatePaths(s, 0, 250, 1), b = simulatePaths(s, 250, 600, 2);
  const std::vector<double> ea = encodeBatch(a), eb = encodeBatch(b);
  PathBatch merged = decodeBatch(ea.data(), ea.size());
  merged.append(decodeBatch(eb.data(), eb.size()));
  EXPECT_EQ(toJson(summarize(s, whole)).dump(), toJson(summarize(s, merged)).dump());
}

TEST(Simulation, CurveIsNonIncreasingAndConsistent) {
  const Json r = dispatch("simulate", cascadeScenario(), RunOptions{});
  double prev = 1.0;
  for (const auto& pt : r["curve"]) {
    EXPECT_LE(pt["probability"].get<double>(), prev);
    prev = pt["probability"].get<double>();
  }
  // At fund 0 the curve is P(M_T > 0); the required fund sits where the curve reaches the target.
  const double req = r["required_fund"]["amount"].get<double>();
  for (const auto& pt : r["curve"])
    if (pt["fund"].get<double>() >= req) EXPECT_LE(pt["probability"].get<double>(), 0.01 + 1e-12);
  const auto ci = r["required_fund"]["ci95"];
  EXPECT_LE(ci[0].get<double>(), req);
  EXPECT_GE(ci[1].get<double>(), req);
}

TEST(Simulation, QuantileIntervalBracketsLongRun) {
  // The order-statistic interval of a short run must contain the quantile of a long run.
  Json doc = cascadeScenario();
  doc["simulation"]["target_depletion_probability"] = 0.05;
  doc["simulation"]["paths"] = 800;
  const Json shortRun = dispatch("simulate", doc, RunOptions{});
  doc["simulation"]["paths"] = 8000;
  doc["simulation"]["seed"] = 99;
  RunOptions two;
  two.threads = 2;
  const double ref = dispatch("simulate", doc, two)["required_fund"]["amount"].get<double>();
  const auto ci = shortRun["required_fund"]["ci95"];
  EXPECT_LE(ci[0].get<double>(), ref);
  EXPECT_GE(ci[1].get<double>(), ref);
}

TEST(Simulation, PolicyReplayWithoutCapEqualsTheRunningMaximum) {
  // docs/model.md (the fund process): with no cap, simulating the fund per size gives P(M_T > u) for every u.
  Json doc = cascadeScenario();
  doc["fund"]["max_draw_fraction_per_event"] = 1.0;
  const Scenario s = scenarioForRun(doc, RunOptions{});
  const PathBatch b = simulatePaths(s, 0, 600, 2);
  const std::vector<double> grid = policyFundGrid(s);
  for (size_t g = 0; g < grid.size(); ++g) {
    long long viaMax = 0, viaPolicy = 0;
    for (long long k = 0; k < b.paths(); ++k) {
      viaMax += b.maxOutflow[size_t(k)] > grid[g] * (1 + 1e-12) + 1e-9 ? 1 : 0;
      viaPolicy += b.gridDepleted[size_t(k) * grid.size() + g] > 0 ? 1 : 0;
    }
    EXPECT_NEAR(double(viaPolicy), double(viaMax), 1.0) << "fund " << grid[g];
  }
}

TEST(Simulation, PerEventCapMakesDepletionMoreLikely) {
  Json doc = cascadeScenario();
  const double free = dispatch("simulate", doc, RunOptions{})["depletion_probability"]["estimate"].get<double>();
  doc["fund"]["max_draw_fraction_per_event"] = 0.05;
  const double capped = dispatch("simulate", doc, RunOptions{})["depletion_probability"]["estimate"].get<double>();
  EXPECT_GE(capped, free);
}

TEST(Simulation, WilsonIntervalMatchesReference) {
  // ORACLES.md: R prop.test(correct=FALSE).
  auto a = wilson95(3, 1e4);
  EXPECT_NEAR(a.first, 1.020322e-4, 1e-9);
  EXPECT_NEAR(a.second, 8.817358e-4, 1e-9);
  auto b = wilson95(120, 1e6);
  EXPECT_NEAR(b.first, 1.003656e-4, 1e-9);
  EXPECT_NEAR(b.second, 1.434750e-4, 1e-9);
}

TEST(Simulation, QuantilesBySelectionAreTheSortedOrderStatistics) {
  // Type-1 quantile by hand: n = 10, p = 0.25 → rank ceil(2.5) = 3 → the 3rd smallest.
  std::vector<double> ten = {9, 1, 8, 2, 7, 3, 6, 4, 5, 0};
  const std::vector<double> q = quantilesBySelection(ten, {0.05, 0.25, 0.5, 0.75, 0.95});
  EXPECT_EQ(q, (std::vector<double>{0, 2, 4, 7, 9}));
  // Against a full sort (ties, every size from 1 to 40, repeated ranks at small n).
  std::mt19937_64 g(3);
  for (size_t n = 1; n <= 40; ++n) {
    std::vector<double> v(n);
    for (double& x : v) x = double(g() % 7);
    std::vector<double> sorted = v;
    std::sort(sorted.begin(), sorted.end());
    const std::vector<double> ps = {0.05, 0.25, 0.5, 0.75, 0.95};
    const std::vector<double> got = quantilesBySelection(v, ps);
    for (size_t j = 0; j < ps.size(); ++j) EXPECT_EQ(got[j], quantileSorted(sorted, ps[j])) << n << " " << ps[j];
  }
}

TEST(Simulation, ExcessivePathStepsRefusedBeforeWork) {
  Json doc = baseScenario();
  doc["simulation"]["paths"] = 10000000;
  doc["simulation"]["horizon_days"] = 3650;
  doc["simulation"]["steps_per_day"] = 1440;
  try {
    dispatch("simulate", doc, RunOptions{});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.code(), ErrorCode::LimitExceeded);
  }
}

// --- price models: moments of simulated log-returns against closed forms ---

namespace {
struct Moments {
  double mean = 0, var = 0, kurt = 0;
};
Moments sampleMoments(const PriceModel& m, int stepsPerDay, int n, std::uint64_t seed) {
  PriceProcess proc(m, stepsPerDay);
  Rng rng(seed, 0);
  proc.reset(rng);
  std::vector<double> x(static_cast<size_t>(n), 0.0);
  for (auto& v : x) {
    const StepMove s = proc.step(rng);
    v = s.diffusion + s.jump;
  }
  Moments o;
  for (double v : x) o.mean += v;
  o.mean /= n;
  double m4 = 0;
  for (double v : x) {
    o.var += (v - o.mean) * (v - o.mean);
    m4 += std::pow(v - o.mean, 4);
  }
  o.var /= (n - 1);
  o.kurt = m4 / n / (o.var * o.var);
  return o;
}
// Standard error of a sample variance: σ²·sqrt((κ − 1)/n) for kurtosis κ.
double varSe(double var, double kurt, int n) { return var * std::sqrt((kurt - 1) / n); }
}  // namespace

TEST(PriceModel, GbmVariance) {
  PriceModel m;
  m.kind = PriceModelKind::Gbm;
  m.dailyVolatility = 0.03;
  const int n = 200000;
  const Moments s = sampleMoments(m, 1, n, 1);
  EXPECT_NEAR(s.var, 0.03 * 0.03, 4 * varSe(0.0009, 3, n));
  EXPECT_NEAR(s.mean, -0.5 * 0.0009, 4 * 0.03 / std::sqrt(n));
}

TEST(PriceModel, StudentTUnitVarianceAndKurtosis) {
  PriceModel m;
  m.kind = PriceModelKind::StudentT;
  m.dailyVolatility = 0.02;
  m.dof = 12;  // excess kurtosis 6/(ν − 4) = 0.75
  const int n = 400000;
  const Moments s = sampleMoments(m, 1, n, 2);
  const double kurt = 3 + 6.0 / (12 - 4);
  EXPECT_NEAR(s.var, 0.0004, 4 * varSe(0.0004, kurt, n));
  EXPECT_NEAR(s.kurt, kurt, 0.25);  // SE of sample kurtosis at ν = 12 is ~0.05 here
  EXPECT_GT(s.kurt, 3.3);
}

TEST(PriceModel, MertonVarianceIncludesJumps) {
  PriceModel m;
  m.kind = PriceModelKind::Merton;
  m.dailyVolatility = 0.02;
  m.jumpIntensityPerYear = 365 * 0.2;  // 0.2 jumps a day
  m.jumpMean = -0.03;
  m.jumpStdev = 0.04;
  const int n = 400000;
  const Moments s = sampleMoments(m, 1, n, 3);
  // Var = σ² + λ(μ_J² + σ_J²) per day; kurtosis from the compound Poisson cumulants.
  const double lam = 0.2, varJ = 0.03 * 0.03 + 0.04 * 0.04;
  const double var = 0.0004 + lam * varJ;
  const double k4 = lam * (std::pow(0.03, 4) + 6 * 0.03 * 0.03 * 0.04 * 0.04 + 3 * std::pow(0.04, 4));
  const double kurt = 3 + k4 / (var * var);
  EXPECT_NEAR(s.var, var, 4 * varSe(var, kurt, n));
}

TEST(PriceModel, GarchUnconditionalVariance) {
  PriceModel m;
  m.kind = PriceModelKind::Garch;
  m.omega = 0.00002;
  m.alpha = 0.08;
  m.beta = 0.9;
  m.dof = 1e6;
  const int n = 1000000;
  const Moments s = sampleMoments(m, 1, n, 4);
  const double var = 0.00002 / (1 - 0.98);  // ω/(1 − α − β)
  // Volatility clustering makes returns dependent: allow 8 % (the autocorrelated SE is
  // several times the i.i.d. one at persistence 0.98).
  EXPECT_NEAR(s.var, var, 0.08 * var);
  EXPECT_GT(s.kurt, 3.0);  // GARCH returns are leptokurtic even with normal innovations
}

TEST(PriceModel, BootstrapReproducesTheSeriesMean) {
  PriceModel m;
  m.kind = PriceModelKind::Bootstrap;
  m.returns = {0.01, -0.02, 0.03, -0.01, 0.005};
  m.blockDays = 2;
  const Moments s = sampleMoments(m, 1, 200000, 5);
  EXPECT_NEAR(s.mean, 0.003, 4 * 0.0187 / std::sqrt(200000 / 2.0));
}
