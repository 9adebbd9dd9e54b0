// GMX v2 preset (SPEC §4): liquidationFeeUsd = size × liquidationFeeFactor; the LP pool is the
// counterparty and absorbs losses (the backstop_vault stage); trader PnL is capped by
// cappedPoolPnl/poolPnl when pool PnL exceeds pool × maxPnlFactor. Values: GMX synthetics
// docs and contracts (PositionPricingUtils liquidation fee, MarketUtils getCappedPnl), with
// arithmetic applied to them.
#include <gtest/gtest.h>

#include "backstop/stress.hpp"
#include "backstop/venues.hpp"

using namespace backstop;

namespace {
Position pos(const std::string& id, Side s, double q, double e, double m) { return Position{id, s, q, e, m}; }

Scenario gmxScenario() {
  Scenario s;
  s.market.symbol = "ETH/USD";
  s.market.markPrice = 100;
  s.market.maintenanceMarginRate = 0.01;
  s.policy = presetPolicy(Venue::GmxV2, s.market.symbol);
  return s;
}
}  // namespace

TEST(VenueGmx, LiquidationFeeUsd) {
  EXPECT_DOUBLE_EQ(venues::gmx::liquidationFeeUsd(10000, 0.002), 20);
}

TEST(VenueGmx, CappedPnl) {
  // Pool 1,000, max factor 0.9 -> cap 900. Pool PnL 1,000 > 900: each PnL scaled by 0.9.
  EXPECT_NEAR(venues::gmx::cappedPnl(100, 1000, 1000, 0.9), 90, 1e-12);
  // Under the cap, or a pool losing: unchanged.
  EXPECT_DOUBLE_EQ(venues::gmx::cappedPnl(100, 800, 1000, 0.9), 100);
  EXPECT_DOUBLE_EQ(venues::gmx::cappedPnl(-50, -800, 1000, 0.9), -50);
}

TEST(VenueGmx, PresetParameters) {
  const Policy p = presetPolicy(Venue::GmxV2, "ETH/USD");
  EXPECT_DOUBLE_EQ(p.penaltyRate, 0.002);
  EXPECT_EQ(p.stages, (std::vector<Stage>{Stage::BackstopVault, Stage::Adl}));
  EXPECT_DOUBLE_EQ(p.maxPnlFactor, 0.9);
}

TEST(VenueGmx, LiquidationFeeEndToEnd) {
  // Long 1 @100, M 2 (liquidation 98/0.99 = 98.99) shocked to 98.5: R = 0.5, fee
  // min(0.5, 0.2 % × 98.5 = 0.197) = 0.197 = liquidationFeeUsd(98.5, 0.002).
  Scenario s = gmxScenario();
  s.book.positions = {pos("a", Side::Long, 1, 100, 2)};
  const StressEvent e = runShock(s, -0.015);
  ASSERT_TRUE(e.positions[0].liquidated);
  EXPECT_NEAR(e.positions[0].penalty, venues::gmx::liquidationFeeUsd(98.5, 0.002), 1e-12);
  EXPECT_NEAR(e.positions[0].returned, 0.5 - 0.197, 1e-12);
}

TEST(VenueGmx, ThePoolAbsorbsBadDebt) {
  // Long 1 @100, M 5 shocked to 90 owes 5: the LP pool (backstop_vault 1,000) pays it all;
  // the insurance fund is not a stage and no trader is deleveraged.
  Scenario s = gmxScenario();
  s.book.positions = {pos("a", Side::Long, 1, 100, 5), pos("s", Side::Short, 1, 100, 50)};
  s.fund.balance = 500;
  s.fund.backstopVault = 1000;
  const StressEvent e = runShock(s, -0.1);
  EXPECT_NEAR(e.badDebt, 5, 1e-12);
  EXPECT_NEAR(e.waterfall.backstopVault, 5, 1e-12);
  EXPECT_NEAR(e.vaultAfter, 995, 1e-12);
  EXPECT_DOUBLE_EQ(e.fundAfter, 500);
  EXPECT_TRUE(e.adlFills.empty());
}

TEST(VenueGmx, AnEmptyPoolDeleveragesTheLargestProfitFirst) {
  Scenario s = gmxScenario();
  s.book.positions = {pos("a", Side::Long, 2, 100, 10), pos("s1", Side::Short, 1, 95, 50),
                      pos("s2", Side::Short, 1, 100, 50)};
  const StressEvent e = runShock(s, -0.1);  // owes 10 + 2·(90 − 100) = −10 -> 10
  ASSERT_EQ(e.adlFills.size(), 2u);
  EXPECT_EQ(e.adlFills[0].id, "s2");  // UPnL 10 before 5
  EXPECT_NEAR(e.waterfall.adl, 10, 1e-12);
}
