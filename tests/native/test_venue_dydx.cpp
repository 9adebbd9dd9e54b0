// dYdX v4 preset (SPEC §4): fillable price, fee-capped insurance-fund delta, a fill the fund
// cannot cover is rejected and the position deleveraged at its bankruptcy price. Values:
// v4-chain protocol/x/clob/keeper/liquidations_test.go as quoted in ORACLES.md "Venues"
// (BTC $50,000, maintenance 10 %, 0.1 BTC, BA 1.0, SMMR 0.1).
#include <gtest/gtest.h>

#include "backstop/stress.hpp"
#include "backstop/venues.hpp"

using namespace backstop;

namespace {
Position pos(const std::string& id, Side s, double q, double e, double m) { return Position{id, s, q, e, m}; }

Scenario dydxScenario() {
  Scenario s;
  s.market.symbol = "BTC-USD";
  s.market.markPrice = 100;
  s.market.maintenanceMarginRate = 0.01;
  s.policy = presetPolicy(Venue::DydxV4, s.market.symbol);
  return s;
}
}  // namespace

TEST(VenueDydx, FillablePriceFromLiquidationsTest) {
  // long 0.1 at $50,000: PNNV 5,000, PS 0.1, PMMR 500 (10 %).
  // USDC −4,501: TNC 499, TMMR 500 -> 49,999; with bankruptcy adjustment 2.0 -> 49,998.
  EXPECT_NEAR(venues::dydx::fillablePrice(5000, 0.1, 500, 499, 500, 1.0, 0.1), 49999, 1e-9);
  EXPECT_NEAR(venues::dydx::fillablePrice(5000, 0.1, 500, 499, 500, 2.0, 0.1), 49998, 1e-9);
  // USDC −5,000: TNC 0 -> 49,500.
  EXPECT_NEAR(venues::dydx::fillablePrice(5000, 0.1, 500, 0, 500, 1.0, 0.1), 49500, 1e-9);
  // A short mirrors it (signed PNNV and PS): short 0.1 with TNC 0 -> 50,500.
  EXPECT_NEAR(venues::dydx::fillablePrice(-5000, -0.1, 500, 0, 500, 1.0, 0.1), 50500, 1e-9);
}

TEST(VenueDydx, BankruptcyQuotesFromLiquidationsTest) {
  EXPECT_DOUBLE_EQ(venues::dydx::bankruptcyQuote(-4501, 1.0), 4501);  // closing all of USDC −4,501
  EXPECT_DOUBLE_EQ(venues::dydx::bankruptcyQuote(-5000, 1.0), 5000);
  EXPECT_DOUBLE_EQ(venues::dydx::bankruptcyQuote(-5000, 0.5), 2500);  // closing half
}

TEST(VenueDydx, InsuranceFundDeltaFromLiquidationsTest) {
  // long 0.1, USDC −5,100 (bankruptcy quote 5,100), filled at 56,100 (quote received 5,610).
  EXPECT_NEAR(venues::dydx::insuranceFundDelta(5610, 5100, 0.005), 28.05, 1e-9);
  EXPECT_NEAR(venues::dydx::insuranceFundDelta(5610, 5100, 0.025), 140.25, 1e-9);
  EXPECT_NEAR(venues::dydx::insuranceFundDelta(5610, 5100, 1.0), 510, 1e-9);
  // Filled below the bankruptcy quote: the fund pays the difference (negative delta).
  EXPECT_NEAR(venues::dydx::insuranceFundDelta(5000, 5100, 0.005), -100, 1e-9);
}

TEST(VenueDydx, PresetParameters) {
  const Policy p = presetPolicy(Venue::DydxV4, "BTC-USD");
  EXPECT_DOUBLE_EQ(p.penaltyRate, 0.015);  // max_liquidation_fee as the preset documents it (1.5 %)
  EXPECT_DOUBLE_EQ(p.penaltyToFund, 1.0);  // the fee goes 100 % to the insurance fund
  EXPECT_EQ(p.fundCoverage, FundCoverage::AllOrNothing);
  EXPECT_EQ(p.adlRanking, AdlRanking::Random);
  EXPECT_DOUBLE_EQ(p.spreadToMaintenance, 0.1);
  EXPECT_DOUBLE_EQ(p.bankruptcyAdjustment, 1.0);
}

TEST(VenueDydx, FeeIsCappedInsuranceFundDeltaEndToEnd) {
  // Long 1 @100, M 5, mmr 1 % (liquidation 95/0.99 = 95.96) shocked to 95.5, no impact:
  // d = quoteReceived − bankruptcyQuote = 95.5 − 95 = 0.5; fee min(1.5 % × 95.5, 0.5) = 0.5.
  Scenario s = dydxScenario();
  s.book.positions = {pos("a", Side::Long, 1, 100, 5)};
  s.fund.balance = 10;
  const StressEvent e = runShock(s, -0.045);
  ASSERT_TRUE(e.positions[0].liquidated);
  EXPECT_NEAR(e.positions[0].penalty, venues::dydx::insuranceFundDelta(95.5, 95, 0.015), 1e-12);
  EXPECT_NEAR(e.fundAfter, 10.5, 1e-12);
}

TEST(VenueDydx, FundTooSmallPaysNothingAndTheLossIsDeleveragedAtBankruptcy) {
  // Long 1 @100, M 5 (bankruptcy 95) shocked to 90 owes 5. A fund of 4 would go below 0:
  // the fill is rejected, the fund is untouched and the short takes the long over at 95.
  Scenario s = dydxScenario();
  s.book.positions = {pos("a", Side::Long, 1, 100, 5), pos("s", Side::Short, 1, 100, 50)};
  s.fund.balance = 4;
  StressEvent e = runShock(s, -0.1);
  EXPECT_NEAR(e.badDebt, 5, 1e-12);
  EXPECT_EQ(e.waterfall.insuranceFund, 0.0);
  EXPECT_NEAR(e.waterfall.adl, 5, 1e-12);
  EXPECT_DOUBLE_EQ(e.fundAfter, 4);
  ASSERT_EQ(e.adlFills.size(), 1u);
  EXPECT_NEAR(e.adlFills[0].price, 95, 1e-12);
  // A fund of 6 covers it entirely: no deleveraging.
  s.fund.balance = 6;
  e = runShock(s, -0.1);
  EXPECT_NEAR(e.waterfall.insuranceFund, 5, 1e-12);
  EXPECT_TRUE(e.adlFills.empty());
  EXPECT_NEAR(e.fundAfter, 1, 1e-12);
}

TEST(VenueDydx, RejectedFillIgnoresTheBooksImpact) {
  // With impact the order book would fill worse than the bankruptcy price; when the fund
  // cannot cover the fill, the whole position is deleveraged at its bankruptcy price (95),
  // not at the impacted price.
  Scenario s = dydxScenario();
  s.market.liquidity.model = ImpactModel::Linear;
  // Depth 1,800 within 1 %: the fill of 90 costs 0.05 % (89.955, above the fillable 89.91).
  s.market.liquidity.depth1pct = 1800;
  s.book.positions = {pos("a", Side::Long, 1, 100, 5), pos("s", Side::Short, 1, 100, 50)};
  s.fund.balance = 0;
  const StressEvent e = runShock(s, -0.1);
  EXPECT_NEAR(e.badDebt, 5, 1e-12);
  ASSERT_EQ(e.adlFills.size(), 1u);
  EXPECT_NEAR(e.adlFills[0].price, 95, 1e-12);
  EXPECT_TRUE(e.positions[0].backstopped);
}

TEST(VenueDydx, UnfillableNegativeEquityIsDeleveragedEvenWithALargeFund) {
  // Impact pushes the fill below the fillable price (at mark 90, TNC −5, TMMR 0.9 -> ABR 1,
  // fillable 90 − 0.1 × 0.9 = 89.91): with negative equity the position is deleveraged at
  // its bankruptcy price without asking the fund (SPEC §4 dydx_v4 row: unfilled, negative equity).
  Scenario s = dydxScenario();
  s.market.liquidity.model = ImpactModel::Linear;
  s.market.liquidity.depth1pct = 90;
  s.book.positions = {pos("a", Side::Long, 1, 100, 5), pos("s", Side::Short, 1, 100, 50)};
  s.fund.balance = 1e6;
  const StressEvent e = runShock(s, -0.1);
  EXPECT_NEAR(venues::dydx::fillablePrice(90, 1, 0.9, -5, 0.9, 1.0, 0.1), 89.91, 1e-12);
  EXPECT_TRUE(e.positions[0].backstopped);
  EXPECT_EQ(e.waterfall.insuranceFund, 0.0);
  EXPECT_NEAR(e.waterfall.adl, 5, 1e-12);
  EXPECT_NEAR(e.adlFills.at(0).price, 95, 1e-12);
  EXPECT_DOUBLE_EQ(e.fundAfter, 1e6);
}
