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

Scenario binanceScenario(const std::string& symbol) { return presetScenario(Venue::Binance, symbol, 100, 0.005); }
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
  // Long 1 @100, margin 10 (liquidation 90/0.995 = 90.45) shocked to 90.3, no impact:
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
