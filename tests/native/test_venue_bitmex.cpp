// BitMEX preset (docs/formulas.md (loss waterfall)): liquidation at the bankruptcy price with all margin left going
// to the fund, the fund covers a fill entirely or not at all, then ADL ranked by
// PNL% × EffectiveLeverage. Values: BitMEX's "Auto-Deleveraging" page (ranking formula),
// ORACLES.md "Venues" (rank 0.55; the fund sequence 99.25 / 98.75).
#include <gtest/gtest.h>

#include "backstop/stress/stress.hpp"
#include "backstop/venues/venues.hpp"
#include "book_helpers.hpp"

using namespace backstop;
using namespace backstop::test_books;

namespace {

Scenario bitmexScenario(double mmr) {
  Scenario s = presetScenario(Venue::Bitmex, "XBTUSD", 100, mmr);
  s.name = "bitmex";
  s.policy.maintenanceTiers = std::vector<MarginTier>{};  // a linear book: one rate (XBTUSD's risk limits count XBT)
  return s;
}
}  // namespace

TEST(VenueBitmex, DocumentedRankWorkedExample) {
  // ORACLES.md: long, mark value 11,000, entry 10,000, bankrupt 9,000 -> PNL% 0.10, EL 5.5, rank 0.55.
  EXPECT_DOUBLE_EQ(venues::bitmex::effectiveLeverage(11000, 9000), 5.5);
  const double pnlPercent = (11000.0 - 10000.0) / 10000.0;
  EXPECT_NEAR(venues::bitmex::adlRank(pnlPercent, 11000, 11000 - 9000), 0.55, 1e-12);
  // BitMEX ADL page: a losing position ranks PNL% / EffectiveLeverage.
  EXPECT_NEAR(venues::bitmex::adlRank(-0.1, 11000, 2000), -0.1 / 5.5, 1e-12);
}

TEST(VenueBitmex, RankThroughThePositionMatchesTheDocumentedFormula) {
  // The documented example as a book position: long 100 at 100 (entry value 10,000), mark 110
  // (mark value 11,000), bankruptcy price 90 (bankrupt value 9,000) -> collateral 1,000.
  const Position p = pos("l", Side::Long, 100, 100, 1000);
  EXPECT_NEAR(adlScore(AdlRanking::PnlTimesLeverage, p, Contract::Linear, 110, 0.005),
              0.1 * 11000.0 / (11000.0 - 9000.0), 1e-12);
}

TEST(VenueBitmex, PresetParameters) {
  const Policy p = presetPolicy(Venue::Bitmex, "XBTUSD");
  EXPECT_EQ(p.penaltyMode, PenaltyMode::RemainingMargin);  // all margin above bankruptcy to the fund
  EXPECT_DOUBLE_EQ(p.penaltyToFund, 1.0);
  EXPECT_EQ(p.fundCoverage, FundCoverage::Partial);  // the fund covers what it can, ADL the rest
  EXPECT_EQ(p.adlRanking, AdlRanking::PnlTimesLeverage);
  EXPECT_EQ(p.stages, (std::vector<Stage>{Stage::InsuranceFund, Stage::Adl}));
}

TEST(VenueBitmex, DocumentedFundSequenceEndToEnd) {
  // ORACLES.md: two longs at 100 with bankruptcy 99.00 (1 unit, margin 1 each), fund 0. The first
  // fills at 99.25 -> fund +0.25; the next at 98.75 -> fund pays 0.25 -> fund 0, no ADL.
  // Reproduced with a linear book: shock to 99.75 and depth such that walking the book costs
  // 0.50 per unit of notional liquidated (99.75 − 0.5 = 99.25, 99.75 − 1.0 = 98.75); mmr 0.0076
  // puts both liquidation levels (99/0.9924 = 99.758) just above the shocked mark.
  Scenario s = bitmexScenario(0.0076);
  s.market().liquidity.model = ImpactModel::Linear;
  s.market().liquidity.depth1pct = 0.01 * 99.75 * 99.75 / 0.5;
  s.book().positions = {pos("a", Side::Long, 1, 100, 1), pos("b", Side::Long, 1, 100, 1),
                      pos("s", Side::Short, 2, 100, 100)};
  s.fund.balance = 0;
  const StressEvent e = runShock(s, -0.0025);
  ASSERT_TRUE(e.positions[0].liquidated);
  ASSERT_TRUE(e.positions[1].liquidated);
  EXPECT_NEAR(e.positions[0].executionPrice, 99.25, 1e-12);
  EXPECT_NEAR(e.positions[0].penalty, 0.25, 1e-12);
  EXPECT_NEAR(e.positions[1].executionPrice, 98.75, 1e-12);
  EXPECT_NEAR(e.positions[1].badDebt, 0.25, 1e-12);
  EXPECT_NEAR(e.penaltiesToFund, 0.25, 1e-12);
  EXPECT_NEAR(e.waterfall.insuranceFund, 0.25, 1e-12);
  EXPECT_NEAR(e.fundAfter, 0.0, 1e-12);
  EXPECT_EQ(e.waterfall.adl, 0.0);
  EXPECT_TRUE(e.adlFills.empty());
}

TEST(VenueBitmex, FundTooSmallPaysWhatItHoldsAndAdlTakesTheRest) {
  // Issue 14's case. BitMEX spends the fund "aggressing the position in the market" and
  // deleverages once "the Insurance Fund is depleted" (support.bitmex.com, "What is
  // Auto-Deleveraging"). A long 1 @100, margin 1 (bankruptcy 99) gapped to 98.75 owes 0.25: a fund
  // of 0.20 pays 0.20 and ADL takes 0.05, the short closing at 98.75 + 0.05 = 98.80 (its loss
  // against the mark equal to the 0.05 left).
  Scenario s = bitmexScenario(0.005);
  s.book().positions = {pos("a", Side::Long, 1, 100, 1), pos("s", Side::Short, 1, 100, 100)};
  s.fund.balance = 0.2;
  const StressEvent e = runShock(s, -0.0125);
  EXPECT_NEAR(e.badDebt, 0.25, 1e-12);
  EXPECT_NEAR(e.waterfall.insuranceFund, 0.20, 1e-12);
  EXPECT_NEAR(e.waterfall.adl, 0.05, 1e-12);
  EXPECT_NEAR(e.fundAfter, 0.0, 1e-12);
  ASSERT_EQ(e.adlFills.size(), 1u);
  EXPECT_NEAR(e.adlFills[0].price, 98.80, 1e-12);
  EXPECT_NEAR(e.adlFills[0].loss, 0.05, 1e-12);
}

TEST(VenueBitmex, EachSideRankedSeparatelyHighestRankFirst) {
  // A bankrupt short deleverages longs only, highest PNL% × leverage first (mark 110):
  //   L1 1 @100, M 50: PNL% 0.1, EL 110/60 -> 0.1833;  L2 1 @100, M 5: EL 110/15 -> 0.7333;
  //   S  (same side as the bankrupt) is never touched.
  Scenario s = bitmexScenario(0.005);
  s.book().positions = {pos("x", Side::Short, 2, 100, 10), pos("L1", Side::Long, 1, 100, 50),
                      pos("L2", Side::Long, 1, 100, 5), pos("S", Side::Short, 1, 80, 100)};
  const StressEvent e = runShock(s, 0.1);
  ASSERT_TRUE(e.positions[0].liquidated);
  EXPECT_NEAR(e.badDebt, 10, 1e-9);  // 10 + 2·(100 − 110)
  ASSERT_EQ(e.adlFills.size(), 2u);
  EXPECT_EQ(e.adlFills[0].id, "L2");
  EXPECT_EQ(e.adlFills[1].id, "L1");
  for (const auto& f : e.adlFills) EXPECT_NEAR(f.price, 105, 1e-9);  // the short's bankruptcy price
}

// Risk limits (tiered maintenance margin): BitMEX, "Risk Limits Examples"
// (https://www.bitmex.com/app/riskLimitsExamples): XBTUSD 0.50 % below the base risk limit of
// 200 XBT, then + 0.50 % per step of 150 XBT; the position's value in XBT.
TEST(VenueBitmex, XbtusdRiskLimitsAreThePublishedSteps) {
  const Policy p = presetPolicy(Venue::Bitmex, "XBTUSD");
  ASSERT_TRUE(p.maintenanceTiers.has_value());
  EXPECT_EQ(p.maintenanceTierBasis, TierBasis::Entry);
  const auto& t = *p.maintenanceTiers;
  // The page's table: < 200 XBT 0.50 %, < 350 1.00 %, < 500 1.50 %, < 650 2.00 %.
  const double upTo[] = {200, 350, 500, 650}, rate[] = {0.005, 0.01, 0.015, 0.02};
  for (int k = 0; k < 4; ++k) {
    EXPECT_DOUBLE_EQ(t[size_t(k)].upTo, upTo[k]);
    EXPECT_DOUBLE_EQ(t[size_t(k)].rate, rate[k]);
  }
  EXPECT_LT(t.back().rate, 1.0);
  EXPECT_FALSE(presetPolicy(Venue::Bitmex, "BTC-PERP").maintenanceTiers.has_value());
}

TEST(VenueBitmex, PagesTradeExample) {
  // The page's example: a position worth 180 XBT needs 0.50 % (0.90 XBT); grown to 230 XBT it is one
  // step above the base limit: 1.00 % (2.30 XBT). Inverse XBTUSD at 10,000: 1 contract = 1 USD.
  const Policy p = presetPolicy(Venue::Bitmex, "XBTUSD");
  const Maintenance mm = maintenanceSchedule(0.005, *p.maintenanceTiers, p.maintenanceTierBasis);
  EXPECT_NEAR(maintenanceRequirement(pos("a", Side::Long, 1.8e6, 10000, 18), Contract::Inverse, 10000, mm), 0.90, 1e-12);
  EXPECT_NEAR(maintenanceRequirement(pos("b", Side::Long, 2.3e6, 10000, 23), Contract::Inverse, 10000, mm), 2.30, 1e-12);
}

TEST(VenueBitmex, RiskLimitIsTheOneTakenAtEntry) {
  // A long of 1.9 M contracts at 10,000 (190 XBT, under the 200 XBT base limit) with 19 XBT keeps
  // 0.50 %: liquidation where 19 + 190 − 1.9 M/P = 0.005 × 1.9 M/P, P = 1.9 M × 1.005/209 =
  // 9,136.36, although its value there (207.96 XBT) is above the base limit: the user's risk
  // limit, not the mark, sets the step. A long of 2.3 M (230 XBT) with 23 XBT: 1 %,
  // P = 2.3 M × 1.01/253 = 9,181.82.
  Scenario s = presetScenario(Venue::Bitmex, "XBTUSD", 10000, 0.005);
  s.market().contract = Contract::Inverse;
  const Maintenance mm = maintenanceOf(s.market(), s.policy);
  EXPECT_NEAR(*liquidationPrice(pos("a", Side::Long, 1.9e6, 10000, 19), Contract::Inverse, mm), 1.9e6 * 1.005 / 209, 1e-8);
  EXPECT_NEAR(*liquidationPrice(pos("b", Side::Long, 2.3e6, 10000, 23), Contract::Inverse, mm), 2.3e6 * 1.01 / 253, 1e-8);
  // End to end: at 9,170 (between the two levels) only the 230 XBT long is liquidated.
  s.book().positions = {pos("a", Side::Long, 1.9e6, 10000, 19), pos("b", Side::Long, 2.3e6, 10000, 23)};
  s.fund.balance = 100;
  const StressEvent e = runShock(s, 9170.0 / 10000 - 1);
  EXPECT_FALSE(e.positions[0].liquidated);
  EXPECT_TRUE(e.positions[1].liquidated);
}

TEST(VenueBitmex, XbtusdRiskLimitsNeedTheInverseContract) {
  // The table counts XBT; on a linear market it would read USD as XBT: an error, not a silent unit change.
  Scenario s = presetScenario(Venue::Bitmex, "XBTUSD", 10000, 0.005);
  s.book().positions = {pos("a", Side::Long, 1, 10000, 1000)};
  EXPECT_THROW(runShock(s, -0.1), InputError);
}
