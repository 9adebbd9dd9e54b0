// Drift v2 preset (docs/formulas.md (loss waterfall)): liquidate_perp sells only the base that restores margin, with a
// liquidator fee plus an insurance-fund fee; resolve_perp_bankruptcy: the fund pays
// min(loss, vault − 1, per-market cap − already paid), then the market's fee pool, then a
// social loss per contract on both sides (protocol-v2 programs/drift/src/controller/liquidation.rs). Values: protocol-v2 programs/drift/src/math/liquidation.rs tests as quoted in
// ORACLES.md "Venues" (the base-to-cover cases also appear in the older
// programs/clearing_house/src/math/liquidation/tests.rs: 1 base, 10/9 base).
#include <gtest/gtest.h>

#include "backstop/io/scenario_reader.hpp"
#include "backstop/stress/stress.hpp"
#include "backstop/venues/venues.hpp"
#include "book_helpers.hpp"

using namespace backstop;
using namespace backstop::test_books;

namespace {

Scenario driftScenario(double mmr) { return presetScenario(Venue::Drift, "SOL-PERP", 100, mmr); }
}  // namespace

TEST(VenueDrift, BaseToCoverMarginShortage) {
  // shortage $10, margin ratio 10 %, price $100.
  EXPECT_NEAR(venues::drift::baseToCoverShortage(10, 0.1, 0, 0, 100), 1.0, 1e-12);
  EXPECT_NEAR(venues::drift::baseToCoverShortage(10, 0.1, 0.01, 0, 100), 1.111111111, 1e-9);
  EXPECT_NEAR(venues::drift::baseToCoverShortage(10, 0.1, 0.01, 0.01, 100), 1.25, 1e-12);
}

TEST(VenueDrift, InsuranceFundFee) {
  // shortage $20, base 10 at $100, margin ratio 5 %, liquidator fee 1 %, max 5 % -> 1.9 %.
  EXPECT_NEAR(venues::drift::insuranceFundFee(20, 10, 100, 0.05, 0.01, 0.05), 0.019, 1e-12);
  // Capped at the max and floored at 0.
  EXPECT_NEAR(venues::drift::insuranceFundFee(20, 10, 100, 0.05, 0.01, 0.01), 0.01, 1e-15);
  EXPECT_EQ(venues::drift::insuranceFundFee(100, 10, 100, 0.05, 0.01, 0.05), 0.0);
}

TEST(VenueDrift, SocialLossPerBase) {
  // loss $100 over 7 long + 4 short base -> 100/11 per base unit on each side.
  EXPECT_NEAR(venues::drift::socialLossPerBase(100, 7, 4), 100.0 / 11, 1e-12);
}

TEST(VenueDrift, FundPayoutKeepsOneUnitAndTheCap) {
  EXPECT_DOUBLE_EQ(venues::drift::fundPayout(50, 30, 1e9, 0), 29);  // vault − 1
  EXPECT_DOUBLE_EQ(venues::drift::fundPayout(50, 1e6, 20, 5), 15);  // cap − already paid
  EXPECT_DOUBLE_EQ(venues::drift::fundPayout(10, 1e6, 1e9, 0), 10);
  EXPECT_DOUBLE_EQ(venues::drift::fundPayout(10, 0.5, 1e9, 0), 0);
}

TEST(VenueDrift, PresetParameters) {
  const Policy p = presetPolicy(Venue::Drift, "SOL-PERP");
  EXPECT_DOUBLE_EQ(p.penaltyRate, 0.01);  // liquidator fee
  EXPECT_DOUBLE_EQ(p.penaltyToFund, 0.0);
  EXPECT_EQ(p.stages, (std::vector<Stage>{Stage::InsuranceFund, Stage::FeePool, Stage::SocializedLoss}));
  EXPECT_DOUBLE_EQ(p.liquidationMarginBuffer, 0.02);  // DEFAULT_LIQUIDATION_MARGIN_BUFFER_RATIO, math/constants.rs
  EXPECT_EQ(p.socializeOver, SocializeOver::PerContract);
}

TEST(VenueDrift, PartialLiquidationRestoresMarginToMaintenancePlusBuffer) {
  // Long 10 @100, M 60, mmr 5 % (liquidation 940/9.5 = 98.95) shocked to 98.5, no impact:
  // equity 45, requirement with the 2 % buffer 7 % × 985 = 68.95, shortage 23.95. IF fee =
  // min(1 %, 0.95 × (7 % − 1 % − 23.95/985)) = 1 %. liquidate_perp sells only
  // 23.95 / (98.5 × (7 % − 1 % − 1 %)) = 4.8629 base, paying 1 % to the liquidator and 1 % to the fund.
  Scenario s = driftScenario(0.05);
  s.book().positions = {pos("a", Side::Long, 10, 100, 60)};
  s.fund.balance = 100;
  const StressEvent e = runShock(s, -0.015);
  const double base = venues::drift::baseToCoverShortage(23.95, 0.07, 0.01, 0.01, 98.5);
  ASSERT_TRUE(e.positions[0].liquidated);
  EXPECT_NEAR(e.positions[0].liquidatedQuantity, base, 1e-9);
  EXPECT_NEAR(e.positions[0].remainingQuantity, 10 - base, 1e-9);
  // The IF fee goes to the market's fee pool (liquidation.rs update_quote_asset_and_break_even_amount
  // on the market), not to the fund within the event; the liquidator fee to the liquidator.
  EXPECT_EQ(e.penaltiesToFund, 0.0);
  EXPECT_NEAR(e.feePoolAfter, 0.01 * base * 98.5, 1e-9);  // = 4.79
  EXPECT_NEAR(e.positions[0].penalty, 0.02 * base * 98.5, 1e-9);
  EXPECT_EQ(e.positions[0].returned, 0.0);  // the account keeps its margin against what is left
  EXPECT_NEAR(e.fundAfter, 100, 1e-9);
  EXPECT_NEAR(e.positions[0].executionPrice, 98.5, 1e-12);  // transferred at the oracle
  EXPECT_NEAR(e.liquidatedNotional, base * 98.5, 1e-9);
  // What defines base-to-cover: the rest sits exactly at maintenance + buffer (equity 35.42).
  const double rest = 10 - base;
  EXPECT_NEAR(45 - 0.02 * base * 98.5, 0.07 * rest * 98.5, 1e-9);
}

TEST(VenueDrift, IssueCaseTransfersAtTheOracleWithoutBadDebt) {
  // Issue 14's case, hand derivation after liquidate_perp (protocol-v2 0ae3e3b1
  // controller/liquidation.rs:406-510, math/liquidation.rs:32 and :401): long 1,000 @100, 8,000
  // collateral, 5 % maintenance, shocked −4 % to 96. Equity 8,000 − 4,000 = 4,000; requirement
  // with the 2 % buffer 7 % × 96,000 = 6,720, shortage 2,720; IF fee min(1 %, 0.95 × (7 % − 1 % −
  // 2,720/96,000)) = 1 %; base = 2,720 / (96 × (7 % − 1 % − 1 %)) = 566.67 transferred at 96, fees
  // 1 % × 54,400 = 544 to the liquidator and 544 to the fee pool. The rest, 433.33 base, carries
  // equity 4,000 − 1,088 = 2,912 = 7 % × 41,600: at maintenance + buffer, no bad debt. A thin book
  // (which the old engine walked down to 77.57) plays no part.
  Scenario s = driftScenario(0.05);
  s.market().liquidity.model = ImpactModel::Sqrt;
  s.market().dailyVolume = 1e6;
  s.priceModel().dailyVolatility = 0.05;
  s.book().positions = {pos("a", Side::Long, 1000, 100, 8000)};
  s.fund.balance = 1e6;
  const StressEvent e = runShock(s, -0.04);
  const double base = 2720.0 / (96 * 0.05);
  EXPECT_NEAR(base, 566.6666667, 1e-6);
  ASSERT_TRUE(e.positions[0].liquidated);
  EXPECT_NEAR(e.positions[0].liquidatedQuantity, base, 1e-9);
  EXPECT_NEAR(e.positions[0].executionPrice, 96, 1e-12);
  EXPECT_NEAR(e.positions[0].penalty, 544 + 544, 1e-9);
  EXPECT_NEAR(e.feePoolAfter, 544, 1e-9);
  EXPECT_EQ(e.badDebt, 0.0);
  EXPECT_DOUBLE_EQ(e.fundAfter, 1e6);
  EXPECT_NEAR(e.positions[0].remainingQuantity, 1000 - base, 1e-9);
}

TEST(VenueDrift, BankruptAccountIsClosedWhole) {
  // Equity below zero at the mark: no base restores margin, the whole position is closed.
  Scenario s = driftScenario(0.05);
  s.book().positions = {pos("a", Side::Long, 10, 100, 60), pos("S", Side::Short, 10, 90, 500)};
  s.fund.balance = 1000;
  const StressEvent e = runShock(s, -0.1);  // equity 60 − 100 = −40
  EXPECT_NEAR(e.positions[0].liquidatedQuantity, 10, 1e-12);
  EXPECT_EQ(e.positions[0].remainingQuantity, 0.0);
  EXPECT_NEAR(e.badDebt, 40, 1e-9);
  EXPECT_NEAR(e.waterfall.insuranceFund, 40, 1e-9);
}

TEST(VenueDrift, FeePoolPaysAfterTheFundThenSocialLoss) {
  // resolve_perp_bankruptcy: loss 100; the fund of 41 pays 40 (keeps 1), the fee pool of 25
  // pays min(60, 25) = 25, the other 35 is a social loss over the 7 + 4 base left.
  Scenario s = driftScenario(0.01);
  s.book().positions = {pos("x", Side::Long, 10, 100, 100), pos("L1", Side::Long, 3, 80, 200),
                      pos("L2", Side::Long, 4, 80, 200), pos("S1", Side::Short, 4, 80, 200)};
  s.fund.balance = 41;
  s.policy.feePool = 25;
  const StressEvent e = runShock(s, -0.2);
  EXPECT_NEAR(e.waterfall.insuranceFund, 40, 1e-9);
  EXPECT_NEAR(e.waterfall.feePool, 25, 1e-9);
  EXPECT_NEAR(e.waterfall.socializedLoss, 35, 1e-9);
  EXPECT_NEAR(e.feePoolAfter, 0, 1e-12);
  EXPECT_NEAR(e.waterfall.total(), e.badDebt, 1e-9);
  for (const auto& p : e.positions)
    if (p.id == "S1") EXPECT_FALSE(p.liquidated);
  // A larger fee pool covers the rest: no social loss.
  s.policy.feePool = 100;
  const StressEvent f = runShock(s, -0.2);
  EXPECT_NEAR(f.waterfall.feePool, 60, 1e-9);
  EXPECT_EQ(f.waterfall.socializedLoss, 0.0);
  EXPECT_NEAR(f.feePoolAfter, 40, 1e-9);
}

TEST(VenueDrift, FundKeepsOneUnitThenSocialLossPerContract) {
  // Long x 10 @100, M 100 shocked to 80 owes 100. The fund of 41 pays 40 (keeps 1); the other
  // 60 is charged per contract over the 7 long + 4 short base left: 60/11 per base unit.
  Scenario s = driftScenario(0.01);
  s.book().positions = {pos("x", Side::Long, 10, 100, 100), pos("L1", Side::Long, 3, 80, 200),
                      pos("L2", Side::Long, 4, 80, 200), pos("S1", Side::Short, 4, 80, 200)};
  s.fund.balance = 41;
  const StressEvent e = runShock(s, -0.2);
  EXPECT_NEAR(e.badDebt, 100, 1e-9);
  EXPECT_NEAR(e.waterfall.insuranceFund, 40, 1e-9);
  EXPECT_NEAR(e.waterfall.socializedLoss, 60, 1e-9);
  EXPECT_NEAR(e.fundAfter, 1, 1e-9);
  EXPECT_EQ(e.waterfall.adl, 0.0);
  // Per position, through the preset's waterfall directly: the ORACLES loss of 100 over 7 + 4.
  Policy p = presetPolicy(Venue::Drift, "SOL-PERP");
  Waterfall wf(s.market(), p, Fund{}, 1);
  std::vector<BookEntry> book{{s.book().positions[1], true, false}, {s.book().positions[2], true, false},
                              {s.book().positions[3], true, false}};
  std::vector<AdlFill> fills;
  wf.cover(100, s.book().positions[0], 80, book, fills);
  for (const auto& b : book)
    EXPECT_NEAR(200 - b.position.collateral, b.position.quantity * venues::drift::socialLossPerBase(100, 7, 4), 1e-9)
        << b.position.id;
}

TEST(VenueDrift, PerMarketCapOnFundPayouts) {
  // A per-market cap of 25: the fund pays at most 25 over the event, the rest is social loss.
  Scenario s = driftScenario(0.01);
  s.policy.perMarketFundCap = 25;
  s.book().positions = {pos("x", Side::Long, 10, 100, 100), pos("S1", Side::Short, 10, 80, 2000)};
  s.fund.balance = 1000;
  const StressEvent e = runShock(s, -0.2);
  EXPECT_NEAR(e.waterfall.insuranceFund, 25, 1e-9);
  EXPECT_NEAR(e.waterfall.socializedLoss, 75, 1e-9);
}

TEST(VenueDrift, ContractTierSetsThePerMarketCap) {
  // protocol-v2 0ae3e3b1 instructions/admin.rs:2725-2738, math/constants.rs:146-149: a market's
  // quote_max_insurance is at most 100 M (tier A), 1 M (B), 100 k (C), 0 (speculative and below).
  EXPECT_DOUBLE_EQ(venues::drift::tierInsuranceMax("a"), 100e6);
  EXPECT_DOUBLE_EQ(venues::drift::tierInsuranceMax("b"), 1e6);
  EXPECT_DOUBLE_EQ(venues::drift::tierInsuranceMax("c"), 100e3);
  EXPECT_DOUBLE_EQ(venues::drift::tierInsuranceMax("speculative"), 0.0);
  auto doc = [](const std::string& venue) {
    return Json::parse(R"({"schema": "backstop/scenario@1", "name": "t",
      "market": {"symbol": "SOL-PERP", "mark_price": 100, "maintenance_margin_rate": 0.05},
      "book": {"positions": [{"id": "a", "side": "long", "quantity": 1, "entry_price": 100, "collateral": 10}]},
      "fund": {"balance": 1000}, "policy": {"preset": "drift", "venue": )" + venue + R"(}, "stress": {"shocks": [-0.1]}})");
  };
  ScenarioNeeds needs;
  needs.stress = true;
  EXPECT_DOUBLE_EQ(loadScenario(doc(R"({"contract_tier": "c"})"), needs).policy.perMarketFundCap, 100e3);
  EXPECT_DOUBLE_EQ(loadScenario(doc(R"({"contract_tier": "speculative"})"), needs).policy.perMarketFundCap, 0.0);
  // A cap the scenario gives wins over the tier's.
  EXPECT_DOUBLE_EQ(
      loadScenario(doc(R"({"contract_tier": "a", "per_market_fund_cap": 5})"), needs).policy.perMarketFundCap, 5.0);
  EXPECT_THROW(loadScenario(doc(R"({"contract_tier": "z"})"), needs), InputError);
  // A speculative market's fund pays nothing: a loss of 40 goes to the fee pool and social loss.
  Scenario s = loadScenario(doc(R"({"contract_tier": "speculative"})"), needs);
  s.book().positions = {pos("a", Side::Long, 10, 100, 60), pos("S", Side::Short, 10, 90, 500)};
  const StressEvent e = runShock(s, -0.1);
  EXPECT_NEAR(e.badDebt, 40, 1e-9);
  EXPECT_EQ(e.waterfall.insuranceFund, 0.0);
  EXPECT_NEAR(e.waterfall.socializedLoss, 40, 1e-9);
}
