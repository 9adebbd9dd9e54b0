// dYdX v4 preset (docs/formulas.md (loss waterfall)): fillable price, fee-capped insurance-fund delta, a fill the fund
// cannot cover is rejected and the position deleveraged at its bankruptcy price. Values:
// v4-chain protocol/x/clob/keeper/liquidations_test.go as quoted in ORACLES.md "Venues"
// (BTC $50,000, maintenance 10 %, 0.1 BTC, BA 1.0, SMMR 0.1).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "backstop/io/scenario_reader.hpp"
#include "backstop/stress/stress.hpp"
#include "backstop/venues/venues.hpp"
#include "book_helpers.hpp"

using namespace backstop;
using namespace backstop::test_books;

namespace {

// The hand values below use the keeper tests' SMMR 0.1 (liquidations_test.go); mainnet's 1.5 has its own cases.
Scenario dydxScenario() {
  Scenario s = presetScenario(Venue::DydxV4, "BTC-USD");
  s.policy.spreadToMaintenance = 0.1;
  return s;
}

// Long 1 @100, margin 5 (bankruptcy 95) and a profitable short, in a linear book `depth1pct` deep.
Scenario longAndShortInLinearBook(double depth1pct) {
  Scenario s = dydxScenario();
  s.market().liquidity.model = ImpactModel::Linear;
  s.market().liquidity.depth1pct = depth1pct;
  s.book().positions = {pos("a", Side::Long, 1, 100, 5), pos("s", Side::Short, 1, 100, 50)};
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
  // Mainnet genesis (v4-chain 84d4664b protocol/testing/mainnet/genesis.json:961-962):
  // spread_to_maintenance_margin_ratio_ppm 1500000, bankruptcy_adjustment_ppm 1000000.
  EXPECT_DOUBLE_EQ(p.spreadToMaintenance, 1.5);
  EXPECT_DOUBLE_EQ(p.bankruptcyAdjustment, 1.0);
}

TEST(VenueDydx, MainnetSpreadLetsTheOrderFillDeeperInTheBook) {
  // Long 1 @100, M 5 at mark 90 (TNC −5, TMMR 0.9, ABR 1), mainnet SMMR 1.5 (genesis.json:962):
  // fillable 90 − 1 × 1.5 × 0.9 = 88.65. Linear book, depth 90 within 1 %: the level at depth Q is
  // 90·(1 − Q/9000), which reaches 88.65 only at Q = 135 > the 90 of notional, so the whole order
  // fills, on average at 90·(1 − 45/9000) = 89.55; the fund pays 95 − 89.55 = 5.45, nobody is
  // deleveraged (with the keeper's 0.1 only 0.1 base filled and 0.9 was deleveraged, see above).
  Scenario s = longAndShortInLinearBook(90);
  s.policy.spreadToMaintenance = presetPolicy(Venue::DydxV4, "BTC-USD").spreadToMaintenance;  // 1.5
  s.fund.balance = 1e6;
  const StressEvent e = runShock(s, -0.1);
  EXPECT_NEAR(venues::dydx::fillablePrice(90, 1, 0.9, -5, 0.9, 1.0, 1.5), 88.65, 1e-12);
  EXPECT_NEAR(e.positions[0].executionPrice, 89.55, 1e-9);
  EXPECT_EQ(e.positions[0].deleveragedQuantity, 0.0);
  EXPECT_TRUE(e.adlFills.empty());
  EXPECT_NEAR(e.waterfall.insuranceFund, 5.45, 1e-9);
}

TEST(VenueDydx, FeeIsCappedInsuranceFundDeltaEndToEnd) {
  // Long 1 @100, M 5, mmr 1 % (liquidation 95/0.99 = 95.96) shocked to 95.5, no impact:
  // d = quoteReceived − bankruptcyQuote = 95.5 − 95 = 0.5; fee min(1.5 % × 95.5, 0.5) = 0.5.
  Scenario s = dydxScenario();
  s.book().positions = {pos("a", Side::Long, 1, 100, 5)};
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
  s.book().positions = {pos("a", Side::Long, 1, 100, 5), pos("s", Side::Short, 1, 100, 50)};
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
  s.market().liquidity.model = ImpactModel::Linear;
  // Depth 1,800 within 1 %: the fill of 90 costs 0.05 % (89.955, above the fillable 89.91).
  s.market().liquidity.depth1pct = 1800;
  s.book().positions = {pos("a", Side::Long, 1, 100, 5), pos("s", Side::Short, 1, 100, 50)};
  s.fund.balance = 0;
  const StressEvent e = runShock(s, -0.1);
  EXPECT_NEAR(e.badDebt, 5, 1e-12);
  ASSERT_EQ(e.adlFills.size(), 1u);
  EXPECT_NEAR(e.adlFills[0].price, 95, 1e-12);
  EXPECT_TRUE(e.positions[0].backstopped);
}

TEST(VenueDydx, MatchingFromLiquidationDeleveragingE2eTests) {
  using venues::dydx::BookLevel;
  // Carl short 1 BTC, USDC 50,499 (bankruptcy 50,499), max liquidation fee 0.5 %, empty fund.
  const double fillable = venues::dydx::fillablePrice(-50000, -1, 5000, 499, 5000, 1.0, 1.0);  // 54,501
  // v4-chain x/clob/e2e/liquidation_deleveraging_test.go "fully filled and does not require deleveraging": fee 250.
  auto m = venues::dydx::matchLiquidation(-1, 1, 50499, {{50000, 1}}, fillable, 0.005, 0);
  EXPECT_DOUBLE_EQ(m.filled, 1);
  EXPECT_NEAR(m.fees, 250, 1e-9);
  EXPECT_NEAR(50499 - m.quote - m.fees, 50499 - 50000 - 250, 1e-9);
  // Same file, "partially filled and does not require deleveraging": 0.25 @ 50,000 fills (fee 62.5), 60,000 is past the fillable price.
  m = venues::dydx::matchLiquidation(-1, 1, 50499, {{50000, 0.25}, {60000, 1}}, fillable, 0.005, 0);
  EXPECT_DOUBLE_EQ(m.filled, 0.25);
  EXPECT_NEAR(m.fees, 62.5, 1e-9);
  EXPECT_FALSE(m.rejected);
  EXPECT_NEAR(50499 - m.quote - m.fees, 50499 - 12500 - 62.5, 1e-9);
  // Same file, "unfilled and full position size is deleveraged": 50,500 needs $0.25 from an empty fund.
  m = venues::dydx::matchLiquidation(-1, 1, 50499, {{50500, 0.25}}, 55550, 0.005, 0);
  EXPECT_EQ(m.filled, 0.0);
  EXPECT_TRUE(m.rejected);
  // Same file, "partially-filled and deleveraging is skipped": 0.25 @ 50,498 pays the fund $0.25, then 0.75 @ 50,500 needs $0.75 and is rejected.
  m = venues::dydx::matchLiquidation(-1, 1, 50499, {{50498, 0.25}, {50500, 1}}, 55550, 0.005, 0);
  EXPECT_DOUBLE_EQ(m.filled, 0.25);
  EXPECT_NEAR(m.fees, 0.25, 1e-9);
  EXPECT_TRUE(m.rejected);
  EXPECT_NEAR(50499 - m.quote - m.fees, 50499 - 50498.0 / 4 - 0.25, 1e-9);
  // Same file, "partially-filled and cannot be deleveraged": USDC 49,999, 0.25 @ 49,999 is exactly bankruptcy (delta 0).
  m = venues::dydx::matchLiquidation(-1, 1, 49999, {{49999, 0.25}, {50000, 0.25}}, 54000, 0.005, 0);
  EXPECT_DOUBLE_EQ(m.filled, 0.25);
  EXPECT_NEAR(49999 - m.quote, 49999 - 12499.75, 1e-9);
  EXPECT_EQ(m.fundPaid, 0.0);
}

TEST(VenueDydx, PartFillsWithinTheFillablePriceTheRestIsDeleveraged) {
  // Long 1 @100, M 5 at mark 90: TNC −5, TMMR 0.9 -> ABR 1, fillable 90 − 0.1 × 0.9 = 89.91.
  // Linear book, depth 90 within 1 %: the level at depth Q is 90·(1 − Q/9000), so levels down to
  // 89.91 hold Q = 9 quote = 0.1 base, filled on average at 90·(1 − 4.5/9000) = 89.955. That
  // fill is 0.1·(95 − 89.955) = 0.5045 below bankruptcy: the fund pays it. The other 0.9 cannot
  // fill there and the account is negative: deleveraged at 95, its 0.9 × 5 = 4.5 to the short.
  Scenario s = longAndShortInLinearBook(90);
  s.fund.balance = 1e6;
  const StressEvent e = runShock(s, -0.1);
  EXPECT_NEAR(venues::dydx::fillablePrice(90, 1, 0.9, -5, 0.9, 1.0, 0.1), 89.91, 1e-12);
  const PositionOutcome& a = e.positions[0];
  EXPECT_NEAR(a.executionPrice, 89.955, 1e-9);
  EXPECT_NEAR(a.liquidatedQuantity, 1, 1e-12);
  EXPECT_NEAR(a.deleveragedQuantity, 0.9, 1e-9);
  EXPECT_TRUE(a.backstopped);
  EXPECT_NEAR(e.waterfall.insuranceFund, 0.5045, 1e-9);
  EXPECT_NEAR(e.waterfall.adl, 4.5, 1e-9);
  EXPECT_NEAR(e.badDebt, 0.5045 + 4.5, 1e-9);
  EXPECT_NEAR(e.adlFills.at(0).price, 95, 1e-9);
  EXPECT_NEAR(e.fundAfter, 1e6 - 0.5045, 1e-6);
}

TEST(VenueDydx, GapShockWithDepthFillsInTheBookInsteadOfDeleveraging) {
  // The same long shocked to 90 with depth 9,000 within 1 %: all 90 quote fills at levels down to
  // 90·(1 − 90/900000) = 89.991 >= 89.91, on average 90·(1 − 45/900000) = 89.9955: the fund pays
  // 95 − 89.9955 = 5.0045 and nobody is deleveraged (the whole order was worse than fillable before).
  Scenario s = longAndShortInLinearBook(9000);
  s.fund.balance = 100;
  const StressEvent e = runShock(s, -0.1);
  EXPECT_NEAR(e.positions[0].executionPrice, 89.9955, 1e-9);
  EXPECT_EQ(e.positions[0].deleveragedQuantity, 0.0);
  EXPECT_TRUE(e.adlFills.empty());
  EXPECT_NEAR(e.waterfall.insuranceFund, 5.0045, 1e-9);
}

TEST(VenueDydx, NonNegativeAccountLeftOpenWhenTheBookRunsOut) {
  // Short 1 @100, M 5 at mark 101 (liquidation 105/1.01 = 103.96... so shock to 104): TNC 1,
  // TMMR 1.04, ABR 1 − 1/1.04, fillable 104 + ABR·0.1·1.04 = 104.004. A thin book (depth 1) fills
  // only the levels up to 104.004; the rest of a non-negative account stays open, unfilled.
  Scenario s = dydxScenario();
  s.market().liquidity.model = ImpactModel::Linear;
  s.market().liquidity.depth1pct = 1;
  s.book().positions = {pos("b", Side::Short, 1, 100, 5)};
  s.fund.balance = 0;
  const StressEvent e = runShock(s, 0.04);
  const double fillable = venues::dydx::fillablePrice(-104, -1, 1.04, 1, 1.04, 1.0, 0.1);
  EXPECT_NEAR(fillable, 104.004, 1e-9);
  // Depth reached: 104·(1 + Q/100) = 104.004 -> Q = 0.00384615 quote, i.e. Q/104 base.
  const double q = 100 * (fillable / 104 - 1) / 104;
  EXPECT_NEAR(e.positions[0].liquidatedQuantity, q, 1e-12);
  EXPECT_NEAR(e.positions[0].remainingQuantity, 1 - q, 1e-12);
  EXPECT_EQ(e.positions[0].deleveragedQuantity, 0.0);
  EXPECT_EQ(e.badDebt, 0.0);
}

TEST(VenueDydx, IssueCaseDexMidcapWithMainnetSpread) {
  // Issue 14's figures on scenarios/dex-midcap.json as it stood then (3 % maintenance, a 20x
  // bucket): with mainnet's SMMR 1.5 the fund pays 4,487,747 at −20 % and keeps 34,575 at −35 %;
  // with the keeper's 0.1 it paid 138,944 (3.40 M went to ADL) and kept 4,666,252.
  std::ifstream f(std::string(BACKSTOP_SOURCE_DIR) + "/scenarios/dex-midcap.json");
  std::stringstream text;
  text << f.rdbuf();
  Json doc = Json::parse(text.str());
  doc["market"]["maintenance_margin_rate"] = 0.03;
  doc["book"]["leverage"] = Json::parse(
      R"([{"leverage": 2, "share": 0.3}, {"leverage": 5, "share": 0.4}, {"leverage": 10, "share": 0.2},
          {"leverage": 20, "share": 0.1}])");
  ScenarioNeeds needs;
  needs.stress = true;
  Scenario s = loadScenario(doc, needs);
  ASSERT_DOUBLE_EQ(s.policy.spreadToMaintenance, 1.5);
  StressEvent e = runShock(s, -0.2);
  EXPECT_NEAR(e.waterfall.insuranceFund, 4487747, 1);
  EXPECT_NEAR(e.waterfall.adl, 0, 1);
  e = runShock(s, -0.35);
  EXPECT_NEAR(e.fundAfter, 34575, 1);
  s.policy.spreadToMaintenance = 0.1;
  e = runShock(s, -0.2);
  EXPECT_NEAR(e.waterfall.insuranceFund, 138944, 1);
  EXPECT_NEAR(e.waterfall.adl, 3.40e6, 0.01e6);
  e = runShock(s, -0.35);
  EXPECT_NEAR(e.fundAfter, 4666252, 1);
}
