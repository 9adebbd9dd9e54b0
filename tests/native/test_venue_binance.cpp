// Binance preset (docs/formulas.md (loss waterfall)): clearance fee on the liquidated amount (0.3 % BTC, 0.5 % others,
// Binance's liquidation-protocol page, historic), then ADL ("counterparty liquidation") at the
// bankruptcy price ranked by PnlPercent × MarginRatio. Values: ORACLES.md "Venues" (a worked
// score from Binance's public developer forum: PnlPercent 9.4145, score 1.2634).
#include <gtest/gtest.h>

#include "backstop/stress/stress.hpp"
#include "backstop/venues/venues.hpp"
#include "book_helpers.hpp"

using namespace backstop;
using namespace backstop::test_books;

namespace {

// BTCUSDT takes the preset's brackets, whose first rate is 0.4 %.
Scenario binanceScenario(const std::string& symbol) {
  return presetScenario(Venue::Binance, symbol, 100, symbol == "BTCUSDT" ? 0.004 : 0.005);
}
}  // namespace

TEST(VenueBinance, DeveloperForumWorkedScore) {
  // UPnL 40.2, wallet balance 4.27, margin ratio 0.1342 (= MM/(WB + UPnL)).
  const double upnl = 40.2, wb = 4.27, mm = 0.1342 * (wb + upnl);
  EXPECT_NEAR(upnl / wb, 9.4145, 5e-5);  // PnlPercent
  EXPECT_NEAR(venues::binance::adlScore(upnl, wb, mm), 1.2634, 5e-5);
}

TEST(VenueBinance, ScoreEdgeRulesFromTheDefinition) {
  // PnlPercent = max(0, UPnL)/max(1, WB): a losing position scores 0; a wallet below 1 counts as 1.
  EXPECT_EQ(venues::binance::adlScore(-5, 10, 1), 0.0);
  EXPECT_NEAR(venues::binance::adlScore(2, 0.5, 0.25), 2.0 * 0.25 / 2.5, 1e-15);
  // MarginRatio is 0 when WB + UPnL <= 0.
  EXPECT_EQ(venues::binance::adlScore(1, -3, 1), 0.0);
}

TEST(VenueBinance, PresetParameters) {
  EXPECT_DOUBLE_EQ(presetPolicy(Venue::Binance, "BTCUSDT").penaltyRate, 0.003);
  EXPECT_DOUBLE_EQ(presetPolicy(Venue::Binance, "ETHUSDT").penaltyRate, 0.005);
  const Policy p = presetPolicy(Venue::Binance, "ETHUSDT");
  EXPECT_EQ(p.penaltyMode, PenaltyMode::FeeRate);
  EXPECT_EQ(p.adlRanking, AdlRanking::BinanceLeveragePnl);
  EXPECT_EQ(p.stages, (std::vector<Stage>{Stage::InsuranceFund, Stage::Adl}));
}

TEST(VenueBinance, ClearanceFeeGoesToTheFundEndToEnd) {
  // Long 1 @100, margin 10 (liquidation 90/0.995 = 90.45; BTC 90/0.996 = 90.36) shocked to 90.3, no impact:
  // R = 10 − 9.7 = 0.3. ETH: fee min(0.3, 0.5 % × 90.3 = 0.4515) = 0.3, nothing returned.
  // BTC: fee 0.3 % × 90.3 = 0.2709, 0.0291 returned to the trader.
  for (const std::string sym : {"ETHUSDT", "BTCUSDT"}) {
    Scenario s = binanceScenario(sym);
    s.book().positions = {pos("a", Side::Long, 1, 100, 10)};
    s.fund.balance = 1000;
    const StressEvent e = runShock(s, -0.097);
    ASSERT_TRUE(e.positions[0].liquidated);
    const double fee = sym == "BTCUSDT" ? 0.003 * 90.3 : 0.3;
    EXPECT_NEAR(e.positions[0].penalty, fee, 1e-12) << sym;
    EXPECT_NEAR(e.positions[0].returned, 0.3 - fee, 1e-12) << sym;
    EXPECT_NEAR(e.penaltiesToFund, fee, 1e-12) << sym;
    EXPECT_NEAR(e.fundAfter, 1000 + fee, 1e-9) << sym;
  }
}

TEST(VenueBinance, AdlOrderFollowsTheScoreEndToEnd) {
  // Fund 0; long x (2 @100, M 10) shocked to 90 owes 10 (5 per unit). Shorts at mark 90,
  // MM = 0.5 % × 90 = 0.45:  A 1 @100, M 10: 10/10 × 0.45/20 = 0.0225;
  //                          B 1 @100, M 50: 10/50 × 0.45/60 = 0.0015;
  //                          C 1 @ 96, M  5:  6/5  × 0.45/11 = 0.0491.
  Scenario s = binanceScenario("ETHUSDT");
  s.book().positions = {pos("x", Side::Long, 2, 100, 10), pos("A", Side::Short, 1, 100, 10),
                      pos("B", Side::Short, 1, 100, 50), pos("C", Side::Short, 1, 96, 5)};
  const StressEvent e = runShock(s, -0.1);
  EXPECT_NEAR(e.badDebt, 10, 1e-9);
  ASSERT_EQ(e.adlFills.size(), 2u);
  EXPECT_EQ(e.adlFills[0].id, "C");
  EXPECT_EQ(e.adlFills[1].id, "A");
  for (const auto& f : e.adlFills) EXPECT_NEAR(f.price, 95, 1e-9);  // x's bankruptcy price 100 − 10/2
  EXPECT_NEAR(e.waterfall.adl, 10, 1e-9);
}

TEST(VenueBinance, FundTakesOverOnlyUpToItsSizeTheRestIsCounterpartyLiquidated) {
  // Binance FAQ "Insurance Fund" (2019-09-09): the fund's net notional position may not exceed
  // "100% the size of the insurance fund"; positions beyond it go to counterparty liquidation.
  // Fund 150; longs a and b, 1 @100 with margin 5 each, shocked to 90 (no impact): each is
  // bankrupt at the mark (equity −5, bankruptcy price 95) with 90 of notional. a first (ids
  // break the tie): 90 <= 150, the fund takes it over and pays 5. b: 90 + 90 = 180 > 145 left,
  // so b goes to ADL at 95 against the short C.
  Scenario s = binanceScenario("ETHUSDT");
  EXPECT_DOUBLE_EQ(s.policy.fundTakeoverCap, 1.0);
  s.book().positions = {pos("a", Side::Long, 1, 100, 5), pos("b", Side::Long, 1, 100, 5),
                        pos("C", Side::Short, 2, 100, 50)};
  s.fund.balance = 150;
  const StressEvent e = runShock(s, -0.1);
  EXPECT_NEAR(e.badDebt, 10, 1e-9);
  EXPECT_NEAR(e.waterfall.insuranceFund, 5, 1e-9);
  EXPECT_NEAR(e.waterfall.adl, 5, 1e-9);
  EXPECT_NEAR(e.fundAfter, 145, 1e-9);
  EXPECT_FALSE(e.positions[0].backstopped);
  EXPECT_TRUE(e.positions[1].backstopped);
  ASSERT_EQ(e.adlFills.size(), 1u);
  EXPECT_EQ(e.adlFills[0].id, "C");
  EXPECT_NEAR(e.adlFills[0].price, 95, 1e-9);
  // A cap of twice the fund (180 <= 2 × 145) lets the fund take both; no cap likewise.
  for (double cap : {2.0, -1.0}) {
    s.policy.fundTakeoverCap = cap;
    const StressEvent all = runShock(s, -0.1);
    EXPECT_NEAR(all.waterfall.insuranceFund, 10, 1e-9) << cap;
    EXPECT_NEAR(all.waterfall.adl, 0, 1e-9) << cap;
    EXPECT_NEAR(all.fundAfter, 140, 1e-9) << cap;
  }
}

// Leverage brackets (tiered maintenance margin), BTCUSDT as Binance published them on 2021-03-18
// ("Updates to Leverage and Margin Tiers of Binance Futures Contracts"), and partial liquidation.
namespace {
std::vector<MarginTier> btcBrackets() { return *presetPolicy(Venue::Binance, "BTCUSDT").maintenanceTiers; }
}  // namespace

TEST(VenueBinance, BtcusdtBracketsAreThePublishedTable) {
  // The announcement's table: position (USDT notional) up to -> maintenance margin.
  const std::vector<std::pair<double, double>> published = {
      {50e3, 0.004}, {250e3, 0.005}, {1e6, 0.01},    {10e6, 0.025}, {20e6, 0.05},
      {50e6, 0.10},  {100e6, 0.125}, {200e6, 0.15}, {300e6, 0.25},  {500e6, 0.50}};
  const std::vector<MarginTier> t = btcBrackets();
  ASSERT_EQ(t.size(), published.size());
  for (size_t k = 0; k < published.size(); ++k) {
    EXPECT_EQ(t[k].upTo, published[k].first) << k;
    EXPECT_EQ(t[k].rate, published[k].second) << k;
  }
  // The contract as Binance lists it, separators aside; other symbols keep one rate.
  EXPECT_TRUE(presetPolicy(Venue::Binance, "btc-usdt").maintenanceTiers.has_value());
  EXPECT_FALSE(presetPolicy(Venue::Binance, "BTC-PERP").maintenanceTiers.has_value());
  EXPECT_FALSE(presetPolicy(Venue::Binance, "ETHUSDT").maintenanceTiers.has_value());
}

TEST(VenueBinance, BracketAmountsMatchThePublishedTable) {
  // Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts": maintenance
  // amount_n = floor_n × (rate_n − rate_{n−1}) + amount_{n−1}; a 500,000 BTCUSDT position has
  // amount 1,300 and a 264,000 one rate 1 %. By hand down the table: 50,000 × 0.001 = 50;
  // + 250,000 × 0.005 = 1,300; + 1 M × 0.015 = 16,300; + 10 M × 0.025 = 266,300;
  // + 20 M × 0.05 = 1,266,300; + 50 M × 0.025 = 2,516,300; + 100 M × 0.025 = 5,016,300;
  // + 200 M × 0.10 = 25,016,300; + 300 M × 0.25 = 100,016,300.
  const Maintenance mm = maintenanceSchedule(0.004, btcBrackets(), TierBasis::Mark);
  const double amounts[] = {0, 50, 1300, 16300, 266300, 1266300, 2516300, 5016300, 25016300, 100016300};
  for (size_t k = 0; k < mm.tiers.size(); ++k) EXPECT_NEAR(mm.tiers[k].amount, amounts[k], 1e-6) << k;
  // MM = notional × rate − amount: 264,000 -> 2,640 − 1,300 = 1,340; 500,000 -> 5,000 − 1,300 = 3,700.
  EXPECT_NEAR(maintenanceRequirement(pos("a", Side::Long, 2.64, 100000, 0), Contract::Linear, 100000, mm), 1340, 1e-9);
  EXPECT_NEAR(maintenanceRequirement(pos("b", Side::Long, 5, 100000, 0), Contract::Linear, 100000, mm), 3700, 1e-9);
  // The tier follows the notional at the mark: the same 5 BTC at 40,000 (200,000) is in the 0.5 % bracket.
  EXPECT_NEAR(maintenanceRequirement(pos("b", Side::Long, 5, 100000, 0), Contract::Linear, 40000, mm),
              200000 * 0.005 - 50, 1e-9);
}

TEST(VenueBinance, LiquidationPriceTakesTheBracketAtTheLiquidationPrice) {
  // Binance's FAQ: when the position at the liquidation price is in another level than at entry,
  // recalculate with that level. Long 10 @ 30,000 (300,000: 1 %, amount 1,300), margin 60,000.
  // With the entry bracket: (300,000 − 60,000 − 1,300)/(10 × 0.99) = 24,111.11, where the notional
  // (241,111) is in the 0.5 % bracket; with it: (300,000 − 60,000 − 50)/(10 × 0.995) = 24,115.58
  // (241,155.8, in (50,000, 250,000]). Check: equity 60,000 − 10 × 5,884.42 = 1,155.78 =
  // 241,155.78 × 0.005 − 50.
  const Maintenance mm = maintenanceSchedule(0.004, btcBrackets(), TierBasis::Mark);
  const Position l = pos("l", Side::Long, 10, 30000, 60000);
  const double liq = *liquidationPrice(l, Contract::Linear, mm);
  EXPECT_NEAR(liq, 239950.0 / 9.95, 1e-8);
  EXPECT_NEAR(equity(l, Contract::Linear, liq), maintenanceRequirement(l, Contract::Linear, liq, mm), 1e-6);
  // Short 10 @ 24,000 (240,000: 0.5 %), margin 30,000, crossing up into the 1 % bracket:
  // (240,000 + 30,000 + 1,300)/(10 × 1.01) = 26,861.39 (268,613.9, in (250,000, 1 M]); the
  // entry bracket would give (240,000 + 30,000 + 50)/(10 × 1.005) = 26,870.65, outside it.
  const Position s = pos("s", Side::Short, 10, 24000, 30000);
  EXPECT_NEAR(*liquidationPrice(s, Contract::Linear, mm), 271300.0 / 10.1, 1e-8);
}

namespace {
// A BTCUSDT book with the preset's brackets, no impact: fills at the shocked mark.
Scenario btcBook(std::vector<Position> positions) {
  Scenario s = binanceScenario("BTCUSDT");
  s.market().markPrice = 30000;
  s.book().positions = std::move(positions);
  s.fund.balance = 1e6;
  return s;
}
}  // namespace

TEST(VenueBinance, PartialLiquidationStopsOnceTheLowerBracketIsMet) {
  // Long 20 @ 30,000 (600,000: 1 %, amount 1,300), margin 60,000, shocked to 27,150: equity
  // 60,000 − 20 × 2,850 = 3,000 < MM 543,000 × 0.01 − 1,300 = 4,130. One order brings the
  // notional to the top of the 0.5 % bracket (250,000): 293,000 sold at 27,150, fee 0.3 % =
  // 879; equity 3,000 − 879 = 2,121 >= 250,000 × 0.005 − 50 = 1,200: liquidation stops with
  // 250,000/27,150 = 9.2081 BTC left. Without brackets the whole position closes (fee 1,629).
  const StressEvent e = runShock(btcBook({pos("l", Side::Long, 20, 30000, 60000)}), 27150.0 / 30000 - 1);
  const PositionOutcome& o = e.positions[0];
  ASSERT_TRUE(o.liquidated);
  EXPECT_NEAR(o.liquidatedQuantity, 20 - 250000.0 / 27150, 1e-9);
  EXPECT_NEAR(o.remainingQuantity, 250000.0 / 27150, 1e-9);
  EXPECT_NEAR(o.penalty, 879, 1e-6);
  EXPECT_NEAR(e.penaltiesToFund, 879, 1e-6);
  EXPECT_EQ(e.badDebt, 0);
}

TEST(VenueBinance, PartialLiquidationStepsDownBracketByBracket) {
  // The same long at 27,100: equity 2,000 < MM 542,000 × 0.01 − 1,300 = 4,120. To 250,000:
  // fee 0.3 % × 292,000 = 876, equity 1,124 < 1,200; to 50,000 (top of the 0.4 % bracket):
  // fee 0.3 % × 200,000 = 600, equity 524 >= 50,000 × 0.004 = 200: stops, 50,000/27,100 left.
  const StressEvent e = runShock(btcBook({pos("l", Side::Long, 20, 30000, 60000)}), 27100.0 / 30000 - 1);
  const PositionOutcome& o = e.positions[0];
  EXPECT_NEAR(o.remainingQuantity, 50000.0 / 27100, 1e-9);
  EXPECT_NEAR(o.penalty, 876 + 600, 1e-6);
  EXPECT_EQ(e.badDebt, 0);
}

TEST(VenueBinance, PartialLiquidationEndsInAFullCloseWhenTheFirstBracketFails) {
  // At 27,020: equity 400. The first order's fee (0.3 % × 290,400 = 871.20) is capped at the
  // equity, 400; equity 0 < 1,200, then 0 < 200 in the first bracket: the rest closes at the
  // mark with nothing left, no bad debt. The fund gains the 400.
  const StressEvent e = runShock(btcBook({pos("l", Side::Long, 20, 30000, 60000)}), 27020.0 / 30000 - 1);
  const PositionOutcome& o = e.positions[0];
  EXPECT_NEAR(o.liquidatedQuantity, 20, 1e-9);
  EXPECT_NEAR(o.remainingQuantity, 0, 1e-12);
  EXPECT_NEAR(o.penalty, 400, 1e-6);
  EXPECT_NEAR(e.badDebt, 0, 1e-6);
  EXPECT_NEAR(e.fundAfter, 1e6 + 400, 1e-6);
}

TEST(VenueBinance, SyntheticCohortTakesTheBracketOfItsAccounts) {
  // A 10x long cohort of accounts of 600,000 (1 %, amount 1,300) is liquidated at
  // (600,000 − 60,000 − 1,300)/(600,000 × 0.99) = 0.906902 of entry; small accounts (0.4 %)
  // at 0.9/0.996 = 0.903614. A shock of −9.5 % reaches the first, not the second.
  for (double account : {0.0, 600000.0}) {
    Scenario s = btcBook({});
    s.book().openInterest = 1e8;
    s.book().leverage = {{10, 1}};
    s.book().accountNotional = account;
    const StressEvent e = runShock(s, -0.095);
    bool longLiquidated = false;
    for (const auto& o : e.positions)
      if (o.id.find("long") != std::string::npos) longLiquidated = o.liquidated;
    EXPECT_EQ(longLiquidated, account > 0) << account;
  }
  const Position acct = pos("a", Side::Long, 20, 30000, 60000);
  EXPECT_NEAR(*liquidationPrice(acct, Contract::Linear, maintenanceSchedule(0.004, btcBrackets(), TierBasis::Mark)) / 30000,
              538700.0 / 594000, 1e-12);
}

TEST(VenueBinance, RateAndBracketsMustAgree) {
  // The market's one rate is the first bracket's; a contradiction is an error naming both.
  Scenario s = binanceScenario("BTCUSDT");
  s.market().maintenanceMarginRate = 0.005;
  s.book().positions = {pos("a", Side::Long, 1, 100, 10)};
  try {
    runShock(s, -0.1);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    ASSERT_EQ(e.errors().size(), 1u);
    EXPECT_EQ(e.errors()[0].pointer, "/market/maintenance_margin_rate");
    EXPECT_NE(e.errors()[0].message.find("0.004"), std::string::npos) << e.errors()[0].message;
    EXPECT_NE(e.errors()[0].message.find("0.005"), std::string::npos) << e.errors()[0].message;
  }
}
