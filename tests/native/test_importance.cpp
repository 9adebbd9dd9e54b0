// Importance sampling and runs to a precision against independent values: the closed-form GBM
// first passage far in the tail, the exact first passage of a tiny block bootstrap, plain Monte
// Carlo on every golden scenario, the mean over many seeds, a long plain run's quantile, and the
// stopping rule of a precision run.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <tuple>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/tools/roots.hpp>

#include "backstop/io/api.hpp"
#include "backstop/io/commands.hpp"
#include "backstop/io/scenario_reader.hpp"
#include "backstop/simulation/simulation.hpp"
#include "backstop/simulation/summary.hpp"

using namespace backstop;

namespace {

double Phi(double x) { return boost::math::cdf(boost::math::normal_distribution<>(), x); }

// P(min_{t<=T} (μt + σW_t) <= b), b < 0 (reflection principle with drift, e.g. Borodin &
// Salminen, Handbook of Brownian Motion, 2.1.1.4); written with the complement so it stays exact at 1e-6.
double firstPassageBelow(double b, double mu, double sigma, double T) {
  const double s = sigma * std::sqrt(T);
  return Phi((b - mu * T) / s) + std::exp(2 * mu * b / (sigma * sigma)) * Phi((b + mu * T) / s);
}

constexpr double kSigma = 0.04, kDays = 5, kMmr = 0.005;

// The log-level whose first-passage probability is p (bisection on the closed form).
double levelFor(double p) {
  const double mu = -0.5 * kSigma * kSigma;
  auto f = [&](double b) { return std::log(firstPassageBelow(b, mu, kSigma, kDays)) - std::log(p); };
  boost::math::tools::eps_tolerance<double> tol(50);
  std::uintmax_t it = 200;
  const auto r = boost::math::tools::bisect(f, -3.0, -1e-3, tol, it);
  return 0.5 * (r.first + r.second);
}

// One explicit long whose liquidation level sits at log-level b; the book is so thin (linear
// impact, depth 1) that the fill leaves far more bad debt than the fund of 1 holds, and no fee
// flows in: the fund is depleted iff the GBM path's minimum reaches the level.
Json tailScenario(double b, long long paths, std::uint64_t seed) {
  const double level = 100.0 * std::exp(b);
  const double collateral = 100.0 - level * (1.0 - kMmr);  // docs/formulas.md (position arithmetic), q = 1
  Json doc = Json::parse(R"({
    "schema": "backstop/scenario@1", "name": "tail",
    "market": {"symbol": "T", "mark_price": 100, "maintenance_margin_rate": 0.005, "taker_fee_rate": 0.0005,
               "daily_volume": 1e8, "liquidity": {"model": "linear", "depth_1pct": 1}},
    "book": {"positions": [{"id": "L", "side": "long", "quantity": 1, "entry_price": 100, "collateral": 10}]},
    "fund": {"balance": 1, "fee_share": 0},
    "price_model": {"kind": "gbm", "daily_volatility": 0.04, "drift_per_year": 0},
    "simulation": {"horizon_days": 5, "steps_per_day": 4, "paths": 1000, "seed": 7, "importance_sampling": "auto"}
  })");
  doc["book"]["positions"][0]["collateral"] = collateral;
  doc["simulation"]["paths"] = paths;
  doc["simulation"]["seed"] = seed;
  return doc;
}

struct TailEstimate {
  double p, se, relativeError, effectivePaths;
  std::string method;
};

TailEstimate depletionOf(const Json& r) {
  const Json& d = r["depletion_probability"];
  const double lo = d["ci95"][0].get<double>(), hi = d["ci95"][1].get<double>();
  return {d["estimate"].get<double>(), (hi - lo) / (2 * 1.959963984540054),
          d["relative_error"].is_null() ? NAN : d["relative_error"].get<double>(), d["effective_paths"].get<double>(),
          d["method"].get<std::string>()};
}

Scenario load(const Json& doc) {
  ScenarioNeeds needs;
  needs.priceModel = true;
  return loadScenario(doc, needs);
}

Json loadGolden(const std::string& name) {
  std::ifstream f(std::string(BACKSTOP_SOURCE_DIR) + "/tests/golden/" + name);
  return Json::parse(f);
}

// A block bootstrap with a tiny block set: daily log-returns in hundredths, blocks of 2 days.
const std::vector<int> kBlockSet = {-6, -3, -1, 0, 1, 2, 4};
constexpr int kBlockDays = 2, kBlockHorizon = 20;

// P(min_{d<=H} S_d <= level/100) of the circular block bootstrap, exactly, by a second implementation:
// dynamic programming over (day index, days left in the block, S in hundredths), the first block's
// start uniform, each next block's start uniform, days within a block consecutive (mod B).
double blockBootstrapFirstPassage(double level) {
  const int B = int(kBlockSet.size());
  std::map<std::tuple<int, int, int>, double> alive;
  for (int j = 0; j < B; ++j) alive[{j, kBlockDays, 0}] += 1.0 / B;
  double hit = 0;
  for (int d = 0; d < kBlockHorizon; ++d) {
    std::map<std::tuple<int, int, int>, double> next;
    for (const auto& [state, p] : alive) {
      const auto [j, left, sum] = state;
      const int s = sum + kBlockSet[size_t(j)];
      if (s <= level) {
        hit += p;
        continue;
      }
      if (left == 1)
        for (int k = 0; k < B; ++k) next[{k, kBlockDays, s}] += p / B;
      else
        next[{(j + 1) % B, left - 1, s}] += p;
    }
    alive = std::move(next);
  }
  return hit;
}

// The single-long scenario of tailScenario, its price a bootstrap of kBlockSet, one step a day: the
// path is the daily partial sums, so the fund is depleted iff a partial sum reaches the level
// (set halfway between two hundredths: no ties).
Json blockTailScenario(double levelHundredths, long long paths, std::uint64_t seed) {
  Json doc = tailScenario(levelHundredths / 100.0, paths, seed);
  Json returns = Json::array();
  for (int r : kBlockSet) returns.push_back(r / 100.0);
  doc["price_model"] = {{"kind", "bootstrap"}, {"returns", returns}, {"block_days", kBlockDays}};
  doc["simulation"]["horizon_days"] = kBlockHorizon;
  doc["simulation"]["steps_per_day"] = 1;
  return doc;
}

// DAX daily log-returns 1991-1998 (tests/data), scaled to a crypto-like volatility.
Json daxReturns(double scale) {
  std::ifstream f(std::string(BACKSTOP_SOURCE_DIR) + "/tests/data/dax-1991-1998.csv");
  std::string line;
  Json r = Json::array();
  double prev = NAN;
  while (std::getline(f, line)) {
    if (line.empty() || line[0] == '#' || line == "close") continue;
    const double p = std::stod(line);
    if (std::isfinite(prev)) r.push_back(scale * std::log(p / prev));
    prev = p;
  }
  return r;
}

}  // namespace

TEST(ImportanceSampling, GbmFirstPassageAt1e5WithinTenPercentFrom1e5Paths) {
  const double p = 1e-5, b = levelFor(p);
  ASSERT_NEAR(firstPassageBelow(b, -0.5 * kSigma * kSigma, kSigma, kDays), p, 1e-9);
  const TailEstimate e = depletionOf(dispatch("simulate", tailScenario(b, 100000, 7), RunOptions{}));
  EXPECT_EQ(e.method, "importance_sampling");
  EXPECT_NEAR(e.p, p, 4 * e.se) << "closed form " << p << ", estimate " << e.p;
  EXPECT_LE(e.relativeError, 0.10);
  EXPECT_GT(e.effectivePaths, 100000.0 * 50);  // plain Monte Carlo would need ~4·10^7 paths for this
}

TEST(ImportanceSampling, GbmFirstPassageAt1e6) {
  const double p = 1e-6, b = levelFor(p);
  const TailEstimate e = depletionOf(dispatch("simulate", tailScenario(b, 100000, 11), RunOptions{}));
  EXPECT_EQ(e.method, "importance_sampling");
  EXPECT_NEAR(e.p, p, 4 * e.se) << "closed form " << p << ", estimate " << e.p;
  EXPECT_LE(e.relativeError, 0.10);
}

TEST(ImportanceSampling, MeanOverManySeedsIsUnbiased) {
  // 40 independent runs at p = 1e-3: their mean within 4 standard errors (of the mean) of the closed form.
  const double p = 1e-3, b = levelFor(p);
  const int runs = 40;
  double sum = 0, sum2 = 0;
  for (int k = 0; k < runs; ++k) {
    const double x = depletionOf(dispatch("simulate", tailScenario(b, 2000, 100 + k), RunOptions{})).p;
    sum += x;
    sum2 += x * x;
  }
  const double mean = sum / runs, sd = std::sqrt((sum2 - runs * mean * mean) / (runs - 1));
  EXPECT_NEAR(mean, p, 4 * sd / std::sqrt(double(runs))) << "sd of one run " << sd;
}

TEST(ImportanceSampling, WeightsAreBoundedByTheDefensiveShare) {
  Json doc = tailScenario(levelFor(1e-4), 4000, 3);
  const PathBatch b = simulatePaths(load(doc), RunOptions{});
  const Tilt t = chooseTilt(resolve(load(doc)));
  ASSERT_TRUE(t.active());
  EXPECT_GE(t.components[0].share, kDefensiveShare - 1e-12);
  double plain = 0;
  for (size_t k = 0; k < b.weight.size(); ++k) {
    EXPECT_GT(b.weight[k], 0.0);
    EXPECT_LE(b.weight[k], 1.0 / t.components[0].share * (1 + 1e-12));
    plain += b.component[k] == 0 ? 1 : 0;
  }
  // The defensive share of paths drawn under the original measure: binomial, 4 SE.
  const double a = t.components[0].share, n = double(b.weight.size());
  EXPECT_NEAR(plain / n, a, 4 * std::sqrt(a * (1 - a) / n));
}

TEST(ImportanceSampling, TheTiltStopsWhereTheFundIsDepleted) {
  // A depleting path's likelihood ratio counts its tilted draws up to the depletion step only (a
  // stopping time: the original measure after it), a surviving path's all of them; the weight is
  // 1 / Σ α_k L_k recomputed from those draws.
  const Scenario s = resolve(load(tailScenario(levelFor(1e-4), 4000, 5)));
  const Tilt t = chooseTilt(s);
  ASSERT_TRUE(t.active());
  ASSERT_TRUE(t.stopAtDepletion);
  const PilotRecords r = simulatePilot(s, t, 777, 2000, 1);
  const double steps = double(s.simulation.steps());
  int depleted = 0;
  for (size_t i = 0; i < r.weight.size(); ++i) {
    const double drawn = r.tallies[i].markets[0].zCount;
    if (r.depletionDay[i] >= 0) {
      ++depleted;
      EXPECT_NEAR(drawn, std::round(r.depletionDay[i] * s.simulation.stepsPerDay), 1e-9) << "path " << i;
    } else {
      EXPECT_EQ(drawn, steps) << "path " << i;
    }
    double mix = 0;
    for (const auto& c : t.components)
      mix += c.share * std::exp(logLikelihoodRatio(c, r.tallies[i], jumpRatesPerStep(s), commonJumpRatePerStep(s)));
    EXPECT_NEAR(r.weight[i], 1.0 / mix, 1e-9 / mix) << "path " << i;
  }
  EXPECT_GT(depleted, 100);  // the tilt makes depletion common (p = 1e-4 under the original measure)
}

TEST(ImportanceSampling, AWiderJumpLawsWeightIsExact) {
  // Merton jumps drawn N(δ, s²) (standardised) under a tilt of the jump count, mean and spread:
  // the drawn jumps have that mean and variance (4 SE), each path's weight is 1/L recomputed here
  // from the normal and Poisson densities, and the weights average 1 (E_Q[dP/dQ] = 1, 4 SE).
  Json doc = tailScenario(-3.0, 4000, 5);  // a level no path reaches: the whole path is tilted
  doc["price_model"] = Json::parse(R"({"kind": "merton", "daily_volatility": 0.04, "drift_per_year": 0,
                                       "jump_intensity_per_year": 365, "jump_mean": -0.02, "jump_stdev": 0.03})");
  const Scenario s = resolve(load(doc));
  const double delta = -0.5, scale = 1.4, eta = 0.4, theta = -0.3;
  Tilt t;
  t.components.resize(1);
  t.components[0].share = 1;
  ProcessTilt q;
  q.z = theta;
  q.jumpLogIntensity = eta;
  q.jumpShift = delta;
  q.jumpLogScale = std::log(scale);
  t.components[0].markets = {q};
  const long long n = 4000;
  const PilotRecords r = simulatePilot(s, t, 31337, n, 1);
  const double rate = 1.0 / s.simulation.stepsPerDay;  // 365 a year: one a day
  double N = 0, X1 = 0, X2 = 0, sw = 0, sw2 = 0;
  for (size_t i = 0; i < size_t(n); ++i) {
    ASSERT_LT(r.depletionDay[i], 0.0);
    const TiltTally& a = r.tallies[i].markets[0];
    ASSERT_EQ(a.jumpSteps, double(s.simulation.steps()));
    N += a.jumps, X1 += a.xiSum, X2 += a.xi2Sum;
    // log L: N(θ,1)/N(0,1) per diffusion draw; Poisson(r e^η)/Poisson(r) per step; N(δ,s²)/N(0,1) per jump.
    const double logL = theta * a.zSum - 0.5 * theta * theta * a.zCount + eta * a.jumps - a.jumpSteps * rate * (std::exp(eta) - 1) -
                        (a.xi2Sum - 2 * delta * a.xiSum + delta * delta * a.jumps) / (2 * scale * scale) + 0.5 * a.xi2Sum -
                        a.jumps * std::log(scale);
    EXPECT_NEAR(r.weight[i], std::exp(-logL), 1e-9 * std::exp(-logL)) << "path " << i;
    sw += r.weight[i], sw2 += r.weight[i] * r.weight[i];
  }
  ASSERT_GT(N, 1000.0);
  const double mean = X1 / N, var = X2 / N - mean * mean;
  EXPECT_NEAR(mean, delta, 4 * scale / std::sqrt(N));
  EXPECT_NEAR(var, scale * scale, 4 * scale * scale * std::sqrt(2.0 / N));
  const double w = sw / double(n), se = std::sqrt((sw2 / double(n) - w * w) / double(n));
  EXPECT_NEAR(w, 1.0, 4 * se) << "SE " << se;
  EXPECT_LT(se, 0.1);
}

TEST(ImportanceSampling, TheUpdateFitsTheJumpSpreadAboutTheShiftItUses) {
  // Weighted tallies of explicit standardised jumps; the fit is the weighted MLE of N(δ, s²) with
  // δ the clamped mean: s² = Σw(ξ - δ)² / Σw·N, computed here from the jumps themselves.
  const auto tally = [](std::vector<double> xi, double steps) {
    TiltTally t;
    for (double x : xi) t.jumps += 1, t.xiSum += x, t.xi2Sum += x * x;
    t.jumpSteps = steps;
    return t;
  };
  const double rate = 0.1;
  {  // mean 4.875 > 3: δ is clamped at 3, and s² = (2(1 + 4 + 12.25) + 0.25 + 2.25) / 8 = 4.625
    const TiltTally a = tally({4.0, 5.0, 6.5}, 10), b = tally({3.5, 4.5}, 10);
    const ProcessTilt q = detail::fitProcessTilt({&a, &b}, {2.0, 1.0}, rate, {});
    EXPECT_DOUBLE_EQ(q.jumpShift, 3.0);
    EXPECT_NEAR(q.jumpLogScale, 0.5 * std::log(4.625), 1e-12);
    // jumps per step 8/30 against 0.1: η = log(8/3)
    EXPECT_NEAR(q.jumpLogIntensity, std::log(8.0 / 3.0), 1e-12);
  }
  {  // inside the clamp: the weighted mean and variance, 0.5 and (1.5² + 0 + 1.5²) / 3
    const TiltTally a = tally({-1.0, 0.5, 2.0}, 10);
    const ProcessTilt q = detail::fitProcessTilt({&a}, {1.0}, rate, {});
    EXPECT_NEAR(q.jumpShift, 0.5, 1e-15);
    EXPECT_NEAR(q.jumpLogScale, 0.5 * std::log(1.5), 1e-12);
  }
}

TEST(ImportanceSampling, ThreadsAndRangesGiveIdenticalRecords) {
  Json doc = tailScenario(levelFor(1e-4), 3000, 5);
  RunOptions one, two;
  two.threads = 2;
  const auto a = encodeBatch(simulatePaths(load(doc), one));
  const auto c = encodeBatch(simulatePaths(load(doc), two));
  EXPECT_EQ(a, c);
  // Two ranges, each computing the tilt itself (as two workers do), appended: the same records.
  RunOptions lo, hi;
  lo.pathEnd = 1234;
  hi.pathBegin = 1234;
  PathBatch joined = simulatePaths(load(doc), lo);
  joined.append(simulatePaths(load(doc), hi));
  EXPECT_EQ(encodeBatch(joined), a);
}

TEST(ImportanceSampling, OffIsThePlainRun) {
  // Component 0's streams are the plain ones: "off" and no field give the same records.
  Json doc = tailScenario(levelFor(1e-3), 2000, 5);
  doc["simulation"]["importance_sampling"] = "off";
  Json none = doc;
  none["simulation"].erase("importance_sampling");
  EXPECT_EQ(encodeBatch(simulatePaths(load(doc), RunOptions{})),
            encodeBatch(simulatePaths(load(none), RunOptions{})));
  const TailEstimate e = depletionOf(dispatch("simulate", doc, RunOptions{}));
  EXPECT_EQ(e.method, "plain");
  EXPECT_EQ(e.effectivePaths, 2000.0);
}

TEST(ImportanceSampling, AgreesWithPlainMonteCarloOnEveryGoldenAtModeratePower) {
  // Each golden simulate scenario, its fund set where P(depletion) ~ 2 % by an independent
  // plain run (another seed): plain and importance sampling within 4 combined SE.
  for (const char* name : {"sim-gbm.json", "sim-merton-cascade.json", "sim-student-t-positions.json", "sim-multi-market.json",
                           "sweep-penalty.json"}) {
    Json doc = loadGolden(name);
    doc.erase("sweep");
    doc["simulation"]["paths"] = 4000;
    doc["simulation"]["seed"] = 9001;
    doc["simulation"]["target_depletion_probability"] = 0.02;
    const double fund = dispatch("size", doc, RunOptions{})["amount"].get<double>();
    ASSERT_GT(fund, 0) << name;
    doc["fund"]["balance"] = fund;
    if (doc["fund"].contains("scope") && doc["fund"]["scope"] == "per_market") continue;
    doc["simulation"]["paths"] = 12000;
    doc["simulation"]["seed"] = 1;
    doc["simulation"]["importance_sampling"] = "off";
    const TailEstimate plain = depletionOf(dispatch("simulate", doc, RunOptions{}));
    doc["simulation"]["importance_sampling"] = "auto";
    const TailEstimate is = depletionOf(dispatch("simulate", doc, RunOptions{}));
    const double se = std::sqrt(plain.se * plain.se + is.se * is.se);
    std::cout << "[agreement] " << name << " fund " << fund << " plain " << plain.p << " ± " << plain.se << " IS "
              << is.p << " ± " << is.se << " (" << is.method << ") z " << (is.p - plain.p) / se
              << " variance reduction " << (plain.se * plain.se) / (is.se * is.se) << "\n";
    EXPECT_NEAR(is.p, plain.p, 4 * se) << name;
  }
}

TEST(ImportanceSampling, BlockBootstrapFirstPassageMatchesExactEnumeration) {
  // Independent value: the dynamic program above. The DP's probabilities sum with the survivors to 1
  // (checked at a level no path reaches and at one every path reaches first).
  EXPECT_EQ(blockBootstrapFirstPassage(-1000.5), 0.0);
  EXPECT_NEAR(blockBootstrapFirstPassage(100.5), 1.0, 1e-12);
  for (const auto& [level, paths] : std::vector<std::pair<double, long long>>{{-60.5, 20000}, {-70.5, 40000}}) {
    const double p = blockBootstrapFirstPassage(level);
    const Json r = dispatch("simulate", blockTailScenario(level, paths, 17), RunOptions{});
    const TailEstimate e = depletionOf(r);
    std::cout << "[bootstrap tail] level " << level / 100 << " exact " << p << " IS " << e.p << " ± " << e.se
              << " variance reduction " << e.effectivePaths / double(paths) << "\n";
    EXPECT_EQ(e.method, "importance_sampling");
    EXPECT_NEAR(e.p, p, 4 * e.se) << "exact " << p << ", estimate " << e.p;
    // Plain Monte Carlo would give ±(1.96 / sqrt(p N)): ±100 % and more here.
    EXPECT_LE(e.relativeError, 0.25) << r["depletion_probability"].dump();
    EXPECT_GT(e.effectivePaths, 10.0 * double(paths));
  }
}

TEST(ImportanceSampling, BlockBootstrapTiltPicksBlocksByTheirReturn) {
  // The tilted components lean on the falling blocks: θ < 0 for a crash toward the long's level,
  // and the weights stay within 1/α₀.
  const Json doc = blockTailScenario(-60.5, 4000, 3);
  const Tilt t = chooseTilt(resolve(load(doc)));
  ASSERT_TRUE(t.active());
  for (size_t k = 1; k < t.components.size(); ++k) {
    const ProcessTilt& m = t.components[k].markets[0];
    EXPECT_LT(m.block, 0.0) << "component " << k;
    // blockLogNorm = log((1/B) Σ_b e^{θ r_b}) over the 7 two-day blocks, recomputed here.
    double sum = 0;
    for (size_t b = 0; b < kBlockSet.size(); ++b)
      sum += std::exp(m.block * (kBlockSet[b] + kBlockSet[(b + 1) % kBlockSet.size()]) / 100.0);
    EXPECT_NEAR(m.blockLogNorm, std::log(sum / double(kBlockSet.size())), 1e-12);
  }
  const PathBatch b = simulatePaths(load(doc), RunOptions{});
  for (double w : b.weight) EXPECT_LE(w, 1.0 / t.components[0].share * (1 + 1e-12));
}

TEST(ImportanceSampling, BlockReturnsAreTheWrappedBlockSums) {
  // The running window against a direct sum, over a series longer than its refresh period (1024).
  PriceModel m;
  m.kind = PriceModelKind::Bootstrap;
  for (const auto& r : daxReturns(1.0)) m.returns.push_back(r.get<double>());
  m.blockDays = 5;
  const std::vector<double> r = blockReturns(m);
  ASSERT_EQ(r.size(), m.returns.size());
  for (size_t b = 0; b < r.size(); ++b) {
    double direct = 0;
    for (size_t d = 0; d < 5; ++d) direct += m.returns[(b + d) % m.returns.size()];
    EXPECT_NEAR(r[b], direct, 1e-14) << b;
  }
  EXPECT_TRUE(blockReturns(PriceModel{}).empty());  // GBM: no blocks
}

TEST(ImportanceSampling, BlockBootstrapAgreesWithPlainMonteCarloOnASyntheticBook) {
  // sim-gbm's book under a bootstrap of scaled DAX returns (5-day blocks), its fund at P ~ 2 % by
  // another seed's plain run: plain and importance sampling within 4 combined SE.
  Json doc = loadGolden("sim-gbm.json");
  doc["price_model"] = {{"kind", "bootstrap"}, {"returns", daxReturns(4.0)}, {"block_days", 5}};
  doc["simulation"]["paths"] = 4000;
  doc["simulation"]["seed"] = 9001;
  doc["simulation"]["target_depletion_probability"] = 0.02;
  doc["simulation"]["importance_sampling"] = "off";
  const double fund = dispatch("size", doc, RunOptions{})["amount"].get<double>();
  ASSERT_GT(fund, 0);
  doc["fund"]["balance"] = fund;
  doc["simulation"]["paths"] = 12000;
  doc["simulation"]["seed"] = 1;
  const TailEstimate plain = depletionOf(dispatch("simulate", doc, RunOptions{}));
  doc["simulation"]["importance_sampling"] = "auto";
  const TailEstimate is = depletionOf(dispatch("simulate", doc, RunOptions{}));
  const double se = std::sqrt(plain.se * plain.se + is.se * is.se);
  std::cout << "[agreement] bootstrap (DAX x4) fund " << fund << " plain " << plain.p << " ± " << plain.se << " IS "
            << is.p << " ± " << is.se << " z " << (is.p - plain.p) / se << " variance reduction "
            << (plain.se * plain.se) / (is.se * is.se) << "\n";
  EXPECT_EQ(is.method, "importance_sampling");
  EXPECT_NEAR(is.p, plain.p, 4 * se);
}

TEST(ImportanceSampling, RequiredFundIntervalCoversALongPlainRunsQuantile) {
  // A synthetic book (sim-gbm) at α = 1e-3: the weighted quantile's interval from 8,000 IS paths
  // covers the quantile of 100,000 plain paths (another seed). The tilt aims at the current fund:
  // set it near that quantile, as a user sizing the fund would.
  Json doc = loadGolden("sim-gbm.json");
  doc["simulation"]["target_depletion_probability"] = 1e-3;
  doc["simulation"]["paths"] = 100000;
  doc["simulation"]["seed"] = 4242;
  RunOptions two;
  two.threads = 2;
  const double plain = dispatch("size", doc, two)["amount"].get<double>();
  doc["simulation"]["paths"] = 8000;
  doc["simulation"]["seed"] = 5;
  doc["fund"]["balance"] = plain;
  doc["simulation"]["importance_sampling"] = "auto";
  const Json r = dispatch("size", doc, RunOptions{});
  EXPECT_EQ(r["depletion_probability"]["method"], "importance_sampling");
  EXPECT_LE(r["ci95"][0].get<double>(), plain) << r.dump();
  EXPECT_GE(r["ci95"][1].get<double>(), plain) << r.dump();
}

// A probability's standard error from its reported 95 % interval (normal for weighted, Wilson for plain).
double seOf(const Json& ci) { return (ci[1].get<double>() - ci[0].get<double>()) / (2 * 1.959963984540054); }

TEST(ImportanceSampling, MultiMarketStatisticsAreWeightedAndAgreeWithPlain) {
  // sim-multi-market (three Merton markets, common jumps, a basket fund and a treasury), its fund at
  // P ~ 2 % by another seed's plain run: P(ADL), each market's P(depletion) and the required fund
  // agree with a plain run within 4 combined SE; the time-to-depletion histogram and the fan chart
  // are the weighted ones (the tilted sample's raw depletion share is far above P).
  Json doc = loadGolden("sim-multi-market.json");
  doc["simulation"]["paths"] = 4000;
  doc["simulation"]["seed"] = 9001;
  doc["simulation"]["target_depletion_probability"] = 0.02;
  doc["simulation"]["importance_sampling"] = "off";
  doc["fund"]["balance"] = dispatch("size", doc, RunOptions{})["amount"].get<double>();
  doc["simulation"]["paths"] = 12000;
  doc["simulation"]["seed"] = 1;
  const Json plain = dispatch("simulate", doc, RunOptions{});
  doc["simulation"]["importance_sampling"] = "auto";
  const Json is = dispatch("simulate", doc, RunOptions{});
  ASSERT_EQ(is["depletion_probability"]["method"], "importance_sampling");
  auto agree = [](const char* what, double a, double sa, double b, double sb) {
    const double se = std::sqrt(sa * sa + sb * sb);
    std::cout << "[multi-market] " << what << " plain " << a << " IS " << b << " z " << (b - a) / se << "\n";
    EXPECT_NEAR(b, a, 4 * se) << what;
  };
  agree("P(ADL)", plain["adl_probability"].get<double>(), seOf(plain["adl_probability_ci95"]),
        is["adl_probability"].get<double>(), seOf(is["adl_probability_ci95"]));
  ASSERT_EQ(plain["markets"].size(), is["markets"].size());
  for (size_t j = 0; j < is["markets"].size(); ++j) {
    const Json &p = plain["markets"][j]["depletion_probability"], &q = is["markets"][j]["depletion_probability"];
    EXPECT_EQ(q["method"], "importance_sampling");
    agree("market depletion", p["estimate"].get<double>(), seOf(p["ci95"]), q["estimate"].get<double>(), seOf(q["ci95"]));
  }
  // The required fund at α = 2 %: the interval of a weighted quantile is that of P(M_T > u) turned
  // into fund sizes; compare the two amounts on the scale of the two intervals.
  const Json &rp = plain["required_fund"], &ri = is["required_fund"];
  agree("required fund", rp["amount"].get<double>(), seOf(rp["ci95"]), ri["amount"].get<double>(), seOf(ri["ci95"]));
  // Time to depletion in (weighted) paths: the histogram holds n·P(depletion), `never` the rest of the n.
  const Json& t = is["time_to_depletion_days"];
  double inHorizon = 0;
  for (const auto& h : t["histogram"]) inHorizon += h.get<double>();
  const double p = is["depletion_probability"]["estimate"].get<double>();
  EXPECT_NEAR(inHorizon, 12000.0 * p, 1e-9 * 12000.0);
  EXPECT_NEAR(t["never"].get<double>(), 12000.0 * (1 - p), 1e-9 * 12000.0);
  EXPECT_GT(is["depletion_probability"]["events"].get<double>() / 12000.0, 3 * p);  // the raw share is not P
  // The fan chart's median fund on the last day, within 4 SE of the plain run's (the body of the distribution):
  // the SE of a median from the plain run's quartiles, (p75 − p25) / 1.349 × 1.2533 / √n, × √5 under IS (weights ≤ 1/α₀ = 5).
  const double last = plain["fund_quantiles"]["p50"].back().get<double>();
  const double iqr = plain["fund_quantiles"]["p75"].back().get<double>() - plain["fund_quantiles"]["p25"].back().get<double>();
  const double seMedian = iqr / 1.349 * 1.2533 / std::sqrt(12000.0);
  EXPECT_NEAR(is["fund_quantiles"]["p50"].back().get<double>(), last, 4 * std::sqrt(5.0) * seMedian + 1e-9 * std::fabs(last));
}

TEST(ImportanceSampling, SweepAndSizeHonourImportanceSamplingAndPrecision) {
  // Every sweep point is the run of its own scenario: importance sampling and the precision target
  // applied per point, the same estimates as `simulate` of that point. `size` is `simulate`'s sizing.
  Json doc = loadGolden("sweep-penalty.json");
  doc["simulation"]["importance_sampling"] = "auto";
  doc["simulation"]["target_relative_error"] = 0.25;
  doc["simulation"]["max_paths"] = 8000;
  doc["fund"]["balance"] = 3e7;  // P(depletion) ~ 1e-3 on the base scenario
  doc["sweep"]["values"] = {0.0, 0.01};
  const Json sweep = dispatch("sweep", doc, RunOptions{});
  ASSERT_EQ(sweep["points"].size(), 2u);
  for (size_t k = 0; k < 2; ++k) {
    const Json& pt = sweep["points"][k];
    Json one = doc;
    one.erase("sweep");
    one["policy"]["penalty"]["rate"] = pt["at"][0];
    const Json r = dispatch("simulate", one, RunOptions{});
    EXPECT_EQ(pt["depletion_probability"], r["depletion_probability"]) << k;
    EXPECT_EQ(pt["required_fund"], r["required_fund"]) << k;
    EXPECT_EQ(pt["adl_probability_ci95"], r["adl_probability_ci95"]) << k;
    EXPECT_EQ(pt["bad_debt"]["es999"], r["bad_debt"]["es999"]) << k;
    EXPECT_EQ(pt["depletion_probability"]["method"], "importance_sampling") << k;
    const double re = pt["depletion_probability"]["relative_error"].get<double>();
    bool capped = false;
    for (const auto& w : pt["warnings"]) capped = capped || w.get<std::string>().rfind("precision target not reached", 0) == 0;
    EXPECT_TRUE(re <= 0.25 || capped) << pt.dump();
    if (k == 0) {
      const Json z = dispatch("size", one, RunOptions{});
      EXPECT_EQ(z["depletion_probability"], r["depletion_probability"]);
      EXPECT_EQ(z["amount"], r["required_fund"]["amount"]);
      EXPECT_EQ(z["ci95"], r["required_fund"]["ci95"]);
    }
  }
}

TEST(Precision, StopsAtTheFirstBatchThatReachesTheTarget) {
  Json doc = tailScenario(levelFor(1e-4), 1000, 21);
  doc["simulation"]["target_relative_error"] = 0.05;
  const Scenario s = resolve(load(doc));
  const PathBatch b = runPaths(s, 0, s.simulation.paths, RunOptions{});
  ASSERT_EQ(b.paths() % kPrecisionBatch, 0);
  EXPECT_TRUE(precisionReached(s, b));
  EXPECT_LE(depletionAtFund(s, b).relativeError, 0.05);
  // One batch fewer had not reached it.
  EXPECT_GT(b.paths(), kPrecisionBatch);
  {
    const Tilt t = chooseTilt(s);
    EXPECT_FALSE(precisionReached(s, simulatePaths(s, 0, b.paths() - kPrecisionBatch, 1, {}, nullptr, &t)));
  }
  // The same with two threads, and through the JSON command.
  RunOptions two;
  two.threads = 2;
  EXPECT_EQ(encodeBatch(runPaths(s, 0, s.simulation.paths, two)), encodeBatch(b));
  const Json r = dispatch("simulate", doc, RunOptions{});
  EXPECT_EQ(r["paths"].get<long long>(), b.paths());
}

TEST(Precision, StopsAtTheCapWithAWarning) {
  Json doc = tailScenario(levelFor(1e-4), 1000, 21);
  doc["simulation"]["importance_sampling"] = "off";
  doc["simulation"]["target_relative_error"] = 0.01;
  doc["simulation"]["max_paths"] = 4000;
  const Json r = dispatch("simulate", doc, RunOptions{});
  EXPECT_EQ(r["paths"].get<long long>(), 4000);
  bool warned = false;
  for (const auto& w : r["warnings"]) warned = warned || w.get<std::string>().rfind("precision target not reached", 0) == 0;
  EXPECT_TRUE(warned) << r["warnings"].dump();
}

TEST(Precision, BadValuesNameTheField) {
  Json doc = tailScenario(levelFor(1e-4), 1000, 21);
  doc["simulation"]["target_relative_error"] = 0;
  doc["simulation"]["importance_sampling"] = "sometimes";
  try {
    dispatch("simulate", doc, RunOptions{});
    FAIL() << "accepted";
  } catch (const InputError& e) {
    std::string all;
    for (const auto& f : e.errors()) all += f.pointer + ": " + f.message + "\n";
    EXPECT_NE(all.find("/simulation/target_relative_error: must be in (0, 1], got 0"), std::string::npos) << all;
    EXPECT_NE(all.find("/simulation/importance_sampling"), std::string::npos) << all;
    EXPECT_NE(all.find("sometimes"), std::string::npos) << all;
  }
}
