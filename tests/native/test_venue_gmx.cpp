// GMX v2 preset: liquidationFeeUsd = size × liquidationFeeFactor, 63 % to the pool; a liquidation
// closes at the oracle with its negative impact capped;
// the LP pool is the counterparty and absorbs losses (the backstop_vault stage); trader PnL is
// capped by cappedPoolPnl/poolPnl when pool PnL exceeds pool × maxPnlFactor, and ADL closes
// profitable positions while pnl/pool exceeds MAX_PNL_FACTOR_FOR_ADL. Values: gmx-synthetics
// contracts (MarketUtils.getCappedPnl, PositionUtils.getPositionPnlUsd, AdlHandler.executeAdl),
// config/markets.ts baseMarketConfig (90 % / 85 % / 77 %), the docs' "Liquidations and ADL"
// page (0.20 % liquidation fee), with arithmetic applied to them.
#include <gtest/gtest.h>

#include <cmath>

#include "backstop/stress/stress.hpp"
#include "backstop/venues/venues.hpp"
#include "book_helpers.hpp"

using namespace backstop;
using namespace backstop::test_books;

namespace {

Scenario gmxScenario() { return presetScenario(Venue::GmxV2, "ETH/USD"); }
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
  EXPECT_DOUBLE_EQ(p.penaltyToVault, 0.63);      // 1 − liquidationFeeReceiverFactor 37 % (config/general.ts:146)
  EXPECT_DOUBLE_EQ(p.maxNegativeImpact, 0.005);  // negativeMaxPositionImpactFactor (config/markets.ts:305)
  EXPECT_EQ(p.stages, (std::vector<Stage>{Stage::BackstopVault, Stage::Adl}));
  EXPECT_DOUBLE_EQ(p.maxPnlFactor, 0.9);          // maxPnlFactorForTraders
  EXPECT_DOUBLE_EQ(p.maxPnlFactorForAdl, 0.85);   // maxPnlFactorForAdl
  EXPECT_DOUBLE_EQ(p.minPnlFactorAfterAdl, 0.77); // minPnlFactorAfterAdl
  EXPECT_DOUBLE_EQ(p.penaltyToFund, 0.0);         // no insurance fund
}

TEST(VenueGmx, AdlCloseFractionLandsOnTheTarget) {
  // Pool USD 460, side PnL 400, a position with PnL 400 paid in full (ratio 1), target 77 %:
  // φ = (400 − 0.77·460)/(400·(1 − 0.77)) = 45.8/92; then (400 − 400φ)/(460 − 400φ) = 0.77.
  const double phi = venues::gmx::adlCloseFraction(400, 460, 400, 1.0, 0.77);
  EXPECT_NEAR(phi, 45.8 / 92, 1e-12);
  EXPECT_NEAR((400 - 400 * phi) / (460 - 400 * phi), 0.77, 1e-12);
  EXPECT_DOUBLE_EQ(venues::gmx::adlCloseFraction(1000, 1000, 600, 0.9, 0.77), 1.0);  // not enough alone
  EXPECT_DOUBLE_EQ(venues::gmx::pnlToPoolFactor(10, 0), INFINITY);
}

TEST(VenueGmx, LiquidationFeeEndToEnd) {
  // Long 1 @100, M 2 (liquidation 98/0.99 = 98.99) shocked to 98.5, no impact: equity 0.5 at the
  // oracle; the fee is on sizeInUsd, the entry value 100 (PositionPricingUtils.getLiquidationFees
  // (sizeDeltaUsd)): 0.2 % × 100 = 0.2; 63 % of it to the pool, 37 % to the fee receiver
  // (gmx-synthetics a5c0c883 config/general.ts:146).
  Scenario s = gmxScenario();
  s.book().positions = {pos("a", Side::Long, 1, 100, 2)};
  const StressEvent e = runShock(s, -0.015);
  ASSERT_TRUE(e.positions[0].liquidated);
  EXPECT_NEAR(e.positions[0].penalty, venues::gmx::liquidationFeeUsd(100, 0.002), 1e-12);
  EXPECT_NEAR(e.positions[0].returned, 0.5 - 0.2, 1e-12);
  EXPECT_NEAR(e.positions[0].executionPrice, 98.5, 1e-12);  // at the oracle
  EXPECT_NEAR(e.penaltiesToVault, 0.63 * 0.2, 1e-12);
  EXPECT_EQ(e.penaltiesToFund, 0.0);
  EXPECT_NEAR(e.vaultAfter, 0.63 * 0.2, 1e-12);
}

TEST(VenueGmx, IssueCaseClosesAtTheOracleWithImpactCapped) {
  // Issue 14's case, hand derivation after DecreasePositionCollateralUtils.sol:151-170 (negative
  // impact capped at sizeDeltaUsd × negativeMaxPositionImpactFactor, 0.5 %, config/markets.ts:305)
  // and PositionPricingUtils (liquidation fee 0.2 %, position fee 0.06 %, both on sizeDeltaUsd):
  // long 1,000 ETH @3,000 (sizeInUsd 3,000,000), 45,000 collateral, 1 % minimum collateral,
  // shocked −0.6 % to 2,982: PnL −18,000. A book so thin that its impact passes the cap: impact
  // 15,000, fees 6,000 + 1,800; the trader keeps 45,000 − 18,000 − 15,000 − 7,800 = 4,200 and the
  // pool pays nothing (the old engine walked the book and made the pool pay 61,923). The pool gets
  // the impact (impact pool) and 63 % of the fees: 15,000 + 4,914.
  Scenario s = gmxScenario();
  s.market().maintenanceMarginRate = 0.01;
  s.market().takerFeeRate = 0.0006;
  s.market().markPrice = 3000;
  s.market().liquidity.model = ImpactModel::Linear;
  s.market().liquidity.depth1pct = 1e5;  // 2,982,000 of notional: 30 % impact, far past the cap
  s.book().positions = {pos("a", Side::Long, 1000, 3000, 45000)};
  s.fund.backstopVault = 1e8;
  StressEvent e = runShock(s, -0.006);
  ASSERT_TRUE(e.positions[0].liquidated);
  EXPECT_NEAR(e.positions[0].returned, 4200, 1e-6);
  EXPECT_EQ(e.badDebt, 0.0);
  EXPECT_NEAR(e.positions[0].penalty, 7800, 1e-6);
  EXPECT_NEAR(e.vaultAfter, 1e8 + 15000 + 0.63 * 7800, 1e-6);
  EXPECT_NEAR(e.positions[0].executionPrice, 2982 - 15, 1e-9);  // 15,000 of impact over 1,000 ETH
  // A deeper book: impact 0.01 × 2,982,000 / 3e7 = 0.000994 of the notional = 2,964.108 < the cap.
  s.market().liquidity.depth1pct = 3e7;
  e = runShock(s, -0.006);
  EXPECT_NEAR(e.positions[0].returned, 45000 - 18000 - 0.000994 * 2982000 - 7800, 1e-6);
}

TEST(VenueGmx, ThePoolAbsorbsBadDebt) {
  // Long 1 @100, M 5 shocked to 90 owes 5: the LP pool (backstop_vault 1,000) pays it all;
  // the insurance fund is not a stage and no trader is deleveraged.
  Scenario s = gmxScenario();
  s.book().positions = {pos("a", Side::Long, 1, 100, 5), pos("s", Side::Short, 1, 100, 50)};
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
  s.book().positions = {pos("a", Side::Long, 2, 100, 10), pos("s1", Side::Short, 1, 95, 50),
                      pos("s2", Side::Short, 1, 100, 50)};
  const StressEvent e = runShock(s, -0.1);  // owes 10 + 2·(90 − 100) = −10 -> 10
  ASSERT_EQ(e.adlFills.size(), 2u);
  EXPECT_EQ(e.adlFills[0].id, "s2");  // UPnL 10 before 5
  EXPECT_NEAR(e.waterfall.adl, 10, 1e-12);
}

TEST(VenueGmx, ProfitsAboveTheCapAreDeleveragedDownToTheMinFactor) {
  // Two shorts at 100 with ample margin, the mark falls to 90: PnL 600 (60 base) and 400 (40
  // base), side PnL 1,000. The pool's value is 0, so its USD backing is 0 + 1,000 = 1,000 and
  // pnl/pool = 1.0 > 85 %: ADL. The cap pays 900/1,000 = 0.9 per unit of PnL (getCappedPnl).
  //  1. s1 (largest PnL): closing all of it leaves (1000 − 600)/(1000 − 540) = 0.8696 > 0.77, so
  //     it is closed whole, paid 540, giving up 60 (close price 90 + 60/60 = 91).
  //  2. s2: PnL 400 on pool 460 is under the cap (ratio 1); closing 45.8/92 of it lands on 0.77.
  Scenario s = gmxScenario();
  s.book().positions = {pos("s1", Side::Short, 60, 100, 1000), pos("s2", Side::Short, 40, 100, 1000)};
  const StressEvent e = runShock(s, -0.1);
  ASSERT_EQ(e.pool.size(), 1u);
  const PoolSide& ps = e.pool[0];
  EXPECT_EQ(ps.side, Side::Short);
  EXPECT_NEAR(ps.pnl, 1000, 1e-9);
  EXPECT_NEAR(ps.poolUsd, 1000, 1e-9);
  EXPECT_NEAR(ps.factor, 1.0, 1e-12);
  EXPECT_NEAR(ps.cappedRatio, venues::gmx::cappedPnl(1, 1000, 1000, 0.9), 1e-12);
  ASSERT_TRUE(ps.adl);
  ASSERT_EQ(ps.fills.size(), 2u);
  EXPECT_EQ(ps.fills[0].id, "s1");
  EXPECT_NEAR(ps.fills[0].quantity, 60, 1e-9);
  EXPECT_NEAR(ps.fills[0].loss, 60, 1e-9);
  EXPECT_NEAR(ps.fills[0].price, 91, 1e-9);
  EXPECT_EQ(ps.fills[1].id, "s2");
  EXPECT_NEAR(ps.fills[1].quantity, 40 * 45.8 / 92, 1e-9);
  EXPECT_NEAR(ps.fills[1].loss, 0, 1e-9);
  EXPECT_NEAR(ps.paid, 540 + 400 * 45.8 / 92, 1e-9);
  EXPECT_NEAR(ps.factorAfter, 0.77, 1e-12);
  // The pool keeps what the cap withheld: its value rises by the haircut.
  EXPECT_NEAR(e.vaultAfter, 60, 1e-9);
  EXPECT_EQ(e.badDebt, 0.0);  // ADL here protects the pool; it covers no bad debt
  EXPECT_TRUE(e.adlFills.empty());
}

TEST(VenueGmx, NoAdlBelowTheTrigger) {
  // The same shorts against a pool worth 1,000: pool USD 2,000, factor 0.5 < 85 %, cap ratio 1.
  Scenario s = gmxScenario();
  s.book().positions = {pos("s1", Side::Short, 60, 100, 1000), pos("s2", Side::Short, 40, 100, 1000)};
  s.fund.backstopVault = 1000;
  const StressEvent e = runShock(s, -0.1);
  ASSERT_EQ(e.pool.size(), 1u);
  EXPECT_NEAR(e.pool[0].factor, 0.5, 1e-12);
  EXPECT_DOUBLE_EQ(e.pool[0].cappedRatio, 1.0);
  EXPECT_FALSE(e.pool[0].adl);
  EXPECT_TRUE(e.pool[0].fills.empty());
  EXPECT_NEAR(e.vaultAfter, 1000, 1e-12);
}
