// The C++ API a library user calls with a scenario built in code: resolve, validate, the
// JSON writer of a scenario, stress() and simulate(), and their errors.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>

#include "backstop/io/commands.hpp"
#include "backstop/io/scenario_reader.hpp"
#include "backstop/model/scenario.hpp"
#include "backstop/ruin/ruin.hpp"
#include "backstop/simulation/simulation.hpp"
#include "backstop/simulation/summary.hpp"
#include "backstop/stress/stress.hpp"

using namespace backstop;

namespace {

// 10 longs and 10 shorts at 5x–14x on a Merton market, filled in through the public headers.
Scenario codeBuilt() {
  Scenario s;
  s.name = "ten and ten";
  s.market().symbol = "ETH-PERP";
  s.market().markPrice = 2000;
  s.market().maintenanceMarginRate = 0.01;
  s.market().takerFeeRate = 0.0005;
  s.market().dailyVolume = 1e7;
  for (int i = 0; i < 10; ++i) {
    const double lev = 5 + i;
    s.book().positions.push_back({"L" + std::to_string(i), Side::Long, 10, 2000, 10 * 2000 / lev});
    s.book().positions.push_back({"S" + std::to_string(i), Side::Short, 10, 2000, 10 * 2000 / lev});
  }
  PriceModel& pm = s.priceModel();
  pm.kind = PriceModelKind::Merton;
  pm.dailyVolatility = 0.04;
  pm.jumpIntensityPerYear = 20;
  pm.jumpMean = -0.05;
  pm.jumpStdev = 0.08;
  s.fund.balance = 20000;
  s.fund.feeShare = 0.1;
  s.simulation.horizonDays = 30;
  s.simulation.stepsPerDay = 4;
  s.simulation.paths = 400;
  s.simulation.seed = 7;
  s.stress.shocks = {-0.1, -0.2, 0.15};
  return s;
}

}  // namespace

TEST(CodeBuiltScenario, SimulateEqualsTheSameScenarioReadFromItsJson) {
  const Scenario s = codeBuilt();
  const SimulationResult viaCode = simulate(s, RunOptions{});
  const Json doc = toJson(s);
  const Scenario parsed = scenarioForRun(doc, RunOptions{});
  const Json viaJson = dispatch("simulate", doc, RunOptions{});
  EXPECT_EQ(toJson(viaCode).dump(), viaJson.dump());
  // The typed fields are the JSON's numbers, not a second computation that happens to agree.
  EXPECT_EQ(viaCode.depletion.estimate, viaJson["depletion_probability"]["estimate"].get<double>());
  EXPECT_EQ(viaCode.depletion.events, viaJson["depletion_probability"]["events"].get<double>());
  EXPECT_EQ(viaCode.depletion.estimate, viaCode.depletion.events / double(viaCode.paths));
  EXPECT_EQ(viaCode.paths, parsed.simulation.paths);
  EXPECT_LE(viaCode.depletion.ci95.first, viaCode.depletion.estimate);
  EXPECT_GE(viaCode.depletion.ci95.second, viaCode.depletion.estimate);
  EXPECT_EQ(viaCode.required.amount, viaJson["required_fund"]["amount"].get<double>());
  EXPECT_EQ(viaCode.badDebt.mean, viaJson["bad_debt"]["mean"].get<double>());
  EXPECT_EQ(viaCode.curve.size(), viaJson["curve"].size());
  // Not a silent empty run: positions were liquidated on some path.
  EXPECT_GT(viaCode.liquidationProbability.estimate, 0.0);
  // Open interest of an explicit book: one side's notional at the mark, 10 × 10 × 2000.
  EXPECT_DOUBLE_EQ(viaCode.openInterest, 200000.0);
  // The batch API gives the same records: summarized, the same result.
  EXPECT_EQ(toJson(summarize(resolve(s), simulatePaths(s, RunOptions{}))).dump(), viaJson.dump());
}

TEST(CodeBuiltScenario, StressConservesMoneyAndEqualsItsJson) {
  const Scenario s = codeBuilt();
  const StressResult r = stress(s);
  ASSERT_EQ(r.events.size(), 3u);
  for (const auto& e : r.events) EXPECT_NEAR(e.waterfall.total(), e.badDebt, 1e-9 * std::max(1.0, e.badDebt));
  EXPECT_GT(r.events[1].badDebt, 0.0);
  ScenarioNeeds needs;
  needs.stress = true;
  EXPECT_EQ(toJson(r).dump(), stressCommand(toJson(s), RunOptions{}).dump());
}

TEST(CodeBuiltScenario, SizeIsTheSimulationsRequiredFund) {
  const Scenario s = codeBuilt();
  const SizeResult r = size(s, RunOptions{});
  const Json viaJson = dispatch("size", toJson(s), RunOptions{});
  EXPECT_EQ(toJson(r).dump(), viaJson.dump());
  EXPECT_EQ(r.required.amount, viaJson["amount"].get<double>());
  EXPECT_EQ(r.required.target, s.simulation.targetDepletionProbability);
  // The curve it is read from: P(depletion) falls as the fund grows, and at the fund's
  // current size the curve's estimate is the run's.
  ASSERT_FALSE(r.curve.empty());
  for (size_t i = 1; i < r.curve.size(); ++i) EXPECT_LE(r.curve[i].probability, r.curve[i - 1].probability);
  EXPECT_EQ(r.depletion.events, simulate(s, RunOptions{}).depletion.events);
}

TEST(CodeBuiltScenario, WithoutMarketsIsAnErrorNotAnEmptyRun) {
  Scenario s;
  s.fund.balance = 1;
  try {
    simulate(s, RunOptions{});
    FAIL() << "an empty scenario ran";
  } catch (const InputError& e) {
    ASSERT_FALSE(e.errors().empty());
    EXPECT_EQ(e.errors()[0].pointer, "/markets");
  }
  EXPECT_THROW(simulatePaths(s, 0, 10, 1), InputError);
}

TEST(CodeBuiltScenario, NegativeMarkPriceIsAFieldError) {
  Scenario s = codeBuilt();
  s.market().markPrice = -5;
  EXPECT_THROW(runShock(s, -0.1), InputError);
  try {
    stress(s);
    FAIL() << "a negative mark ran";
  } catch (const InputError& e) {
    bool named = false;
    for (const auto& f : e.errors()) named = named || f.pointer == "/market/mark_price";
    EXPECT_TRUE(named) << e.what();
  }
  // The same problem as the JSON reader reports for the same document.
  Issues issues;
  ScenarioNeeds needs;
  parseScenario(toJson(s), needs, issues);
  ASSERT_EQ(validate(s, needs).size(), issues.errors().size());
  EXPECT_EQ(validate(s, needs)[0].message, issues.errors()[0].message);
}

TEST(CodeBuiltScenario, PresetFieldAloneGivesThePresetsPolicy) {
  // docs/venues.md (drift): long x 10 @100 with margin 100 shocked to 80 owes 100; the fund of
  // 41 pays 40 (keeps 1 unit) and the other 60 is a social loss, no ADL (ORACLES: 60 over 7 + 4 base).
  Scenario s;
  s.market().symbol = "SOL-PERP";
  s.market().markPrice = 100;
  s.market().maintenanceMarginRate = 0.01;
  s.book().positions = {{"x", Side::Long, 10, 100, 100}, {"L1", Side::Long, 3, 80, 200},
                        {"L2", Side::Long, 4, 80, 200}, {"S1", Side::Short, 4, 80, 200}};
  s.fund.balance = 41;
  s.policy.preset = Venue::Drift;  // no presetPolicy() call
  s.stress.shocks = {-0.2};
  const StressEvent e = stress(s).events.at(0);
  EXPECT_NEAR(e.badDebt, 100, 1e-9);
  EXPECT_NEAR(e.waterfall.insuranceFund, 40, 1e-9);
  EXPECT_NEAR(e.waterfall.socializedLoss, 60, 1e-9);
  EXPECT_EQ(e.waterfall.adl, 0.0);
  // A field set by hand is kept; the rest come from the preset.
  Policy p;
  p.preset = Venue::Binance;
  p.penaltyRate = 0.02;
  applyPreset(p, "ETH-USDT");
  EXPECT_EQ(p.penaltyRate, 0.02);
  EXPECT_EQ(p.adlRanking, AdlRanking::BinanceLeveragePnl);
}

TEST(CodeBuiltScenario, OpenInterestOfAnExplicitBookIsTheLargerSide) {
  MarketSpec m;
  m.market.markPrice = 100;
  m.book.positions = {{"a", Side::Long, 1, 90, 10}, {"b", Side::Long, 1, 110, 10}, {"c", Side::Short, 3, 100, 30}};
  EXPECT_DOUBLE_EQ(openInterest(m), 300.0);  // longs 200, shorts 300 at the mark
  m.market.contract = Contract::Inverse;     // inverse: quantity is quote notional already
  EXPECT_DOUBLE_EQ(openInterest(m), 3.0);
}

TEST(CodeBuiltScenario, CancelledSimulateIsAnErrorNotAPartialResult) {
  const Scenario s = resolve(codeBuilt());
  std::atomic<bool> cancel{true};
  try {
    simulatePaths(s, 0, s.simulation.paths, 2, {}, &cancel);
    FAIL() << "a cancelled run returned";
  } catch (const InputError& e) {
    EXPECT_EQ(e.code(), ErrorCode::Cancelled);
    EXPECT_STREQ(toString(e.code()), "cancelled");
  }
}

TEST(RuinRequiredSurplus, LargeSurplusGivesFiniteBoundsNotInfinity) {
  // Fuzz finding (tests/fuzz/regressions/analytic-required-surplus-nonfinite.json): with R·u
  // beyond 709, C·exp(−R·u)·exp(R·u) overflowed and the search started at an infinite surplus.
  // Claims 1, 2, 3 equally likely, λ = 1, c = 3 (θ = 0.5), u = 1e5: ψ(u) underflows, and the
  // required surplus for 1 % is near the Cramér–Lundberg inverse log(C/α)/R.
  SurplusProcess p;
  p.initialSurplus = 1e5;
  p.premiumRate = 3;
  p.claimRate = 1;
  p.claim = ClaimModel::empirical({1, 2, 3});
  RuinOptions o;
  o.targetProbability = 0.01;
  const RuinResult r = analyseRuin(p, o);
  ASSERT_TRUE(r.requiredSurplus.value.has_value()) << r.requiredSurplus.method;
  ASSERT_TRUE(r.requiredSurplusLower && r.requiredSurplusUpper);
  EXPECT_TRUE(std::isfinite(*r.requiredSurplusLower) && std::isfinite(*r.requiredSurplusUpper));
  EXPECT_LE(*r.requiredSurplusLower, *r.requiredSurplus.value);
  EXPECT_GE(*r.requiredSurplusUpper, *r.requiredSurplus.value);
  // Independent: R solves λ(M(r) − 1) = c·r by bisection, C = (c − λμ)/(λM'(R) − c).
  auto f = [](double r) { return (std::exp(r) + std::exp(2 * r) + std::exp(3 * r)) / 3 - 1 - 3 * r; };
  double lo = 1e-6, hi = 5;
  for (int i = 0; i < 200; ++i) (f(0.5 * (lo + hi)) < 0 ? lo : hi) = 0.5 * (lo + hi);
  const double R = 0.5 * (lo + hi);
  const double dM = (std::exp(R) + 2 * std::exp(2 * R) + 3 * std::exp(3 * R)) / 3;
  const double C = (3 - 2.0) / (dM - 3);
  const double approx = std::log(C / 0.01) / R;
  EXPECT_NEAR(*r.requiredSurplus.value, approx, 0.15 * approx);
}
