// A scenario built in code, not JSON: 10 longs and 10 shorts on a Merton market, run
// through stress and simulate, checked against conservation and against the same scenario
// saved as JSON and read back (what the CLI and the widget would run).
#include <gtest/gtest.h>

#include <cmath>

#include <backstop/io/commands.hpp>
#include <backstop/io/scenario_reader.hpp>
#include <backstop/model/scenario.hpp>
#include <backstop/simulation/simulation.hpp>
#include <backstop/simulation/summary.hpp>
#include <backstop/stress/stress.hpp>

namespace {

backstop::Scenario tenAndTen() {
  using namespace backstop;
  Scenario s;
  s.name = "ten longs, ten shorts";
  s.market().symbol = "BTC-PERP";
  s.market().markPrice = 60000;
  s.market().maintenanceMarginRate = 0.005;
  s.market().takerFeeRate = 0.0005;
  s.market().dailyVolume = 5e7;
  for (int i = 0; i < 10; ++i) {
    const double leverage = 10 + 2 * i;  // 10x to 28x
    s.book().positions.push_back({"long-" + std::to_string(i), Side::Long, 1, 60000, 60000 / leverage});
    s.book().positions.push_back({"short-" + std::to_string(i), Side::Short, 1, 60000, 60000 / leverage});
  }
  s.priceModel().kind = PriceModelKind::Merton;
  s.priceModel().dailyVolatility = 0.03;
  s.priceModel().jumpIntensityPerYear = 12;
  s.priceModel().jumpMean = -0.04;
  s.priceModel().jumpStdev = 0.06;
  s.fund.balance = 5000;
  s.policy.preset = Venue::Binance;  // the preset alone: the rest of the policy comes from it
  s.simulation.horizonDays = 30;
  s.simulation.stepsPerDay = 8;
  s.simulation.paths = 2000;
  s.simulation.seed = 42;
  s.stress.shocks = {-0.05, -0.1, -0.2, 0.1};
  return s;
}

}  // namespace

TEST(CodeBuiltScenario, StressConservesBadDebt) {
  const backstop::StressResult r = backstop::stress(tenAndTen());
  ASSERT_EQ(r.events.size(), 4u);
  for (const auto& e : r.events) {
    const auto& w = e.waterfall;
    EXPECT_NEAR(e.badDebt, w.insuranceFund + w.treasury + w.feePool + w.backstopVault + w.adl + w.socializedLoss + w.uncovered,
                1e-9 * std::max(1.0, e.badDebt));
  }
  // A 20 % drop is past every long's bankruptcy price (margin 1/28 to 1/10 of notional): bad debt.
  EXPECT_GT(r.events[2].badDebt, 0.0);
}

TEST(CodeBuiltScenario, SimulateEqualsTheScenarioReadBackFromJson) {
  const backstop::Scenario s = tenAndTen();
  const backstop::SimulationResult direct = backstop::simulate(s, backstop::RunOptions{});
  const backstop::Json viaCli = backstop::dispatch("simulate", backstop::toJson(s), backstop::RunOptions{});
  EXPECT_EQ(backstop::toJson(direct).dump(), viaCli.dump());
  // The typed P is the JSON path's P.
  EXPECT_EQ(direct.depletion.estimate, viaCli["depletion_probability"]["estimate"].get<double>());
  EXPECT_GT(direct.depletion.estimate, 0.0);
  EXPECT_LE(direct.depletion.estimate, 1.0);
  EXPECT_EQ(direct.depletion.estimate, direct.depletion.events / 2000.0);
  EXPECT_EQ(direct.paths, 2000);
  EXPECT_DOUBLE_EQ(direct.openInterest, 600000.0);  // 10 × 1 BTC × 60,000 per side
}
