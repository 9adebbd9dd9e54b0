// How an exchange cross-checks its own liquidation engine against backstop: the same
// position through both, and one stress event end to end.
#include <gtest/gtest.h>

#include <backstop/io/api.hpp>
#include <backstop/model/position.hpp>
#include <backstop/model/scenario.hpp>
#include <backstop/stress/stress.hpp>

namespace {

backstop::Position ourPosition() {
  // 2 BTC long at 60,000 with 12,000 of isolated margin (5x), maintenance 0.5 %.
  return backstop::Position{"acct-42", backstop::Side::Long, 2.0, 60000.0, 12000.0};
}

}  // namespace

TEST(OurLiquidationEngine, PricesAgreeWithBackstop) {
  const auto p = ourPosition();
  // Our engine: bankruptcy = entry − margin/qty; liquidation = (qty·entry − margin)/(qty·(1 − mmr)).
  const double ourBankruptcy = 60000.0 - 12000.0 / 2.0;
  const double ourLiquidation = (2.0 * 60000.0 - 12000.0) / (2.0 * (1.0 - 0.005));
  EXPECT_DOUBLE_EQ(*backstop::bankruptcyPrice(p, backstop::Contract::Linear), ourBankruptcy);
  EXPECT_NEAR(*backstop::liquidationPrice(p, backstop::Contract::Linear, 0.005), ourLiquidation, 1e-9);
}

TEST(OurLiquidationEngine, GapThroughBankruptcyIsPaidByTheFund) {
  // A 15 % gap to 51,000 (below the 54,000 bankruptcy price), no book impact: the position
  // owes 6,000, which our insurance fund of 1,000,000 pays (Binance's fund takes over a bankrupt
  // position only up to a net notional of its own size: 102,000 here, well inside).
  backstop::Scenario s;
  s.market().symbol = "BTC-PERP";
  s.market().markPrice = 60000;
  s.market().maintenanceMarginRate = 0.005;
  s.book().positions = {ourPosition()};
  s.fund.balance = 1000000;
  s.policy = backstop::presetPolicy(backstop::Venue::Binance, s.market().symbol);
  const backstop::StressEvent e = backstop::runShock(s, -0.15);
  ASSERT_EQ(e.positions.size(), 1u);
  EXPECT_TRUE(e.positions[0].liquidated);
  EXPECT_DOUBLE_EQ(e.positions[0].executionPrice, 51000);
  EXPECT_DOUBLE_EQ(e.badDebt, 6000);
  EXPECT_DOUBLE_EQ(e.waterfall.insuranceFund, 6000);
  EXPECT_DOUBLE_EQ(e.fundAfter, 994000);
  EXPECT_TRUE(e.adlFills.empty());
}

TEST(OurLiquidationEngine, ScenarioJsonThroughTheSameCodec) {
  // The scenario format the CLI and the widget read, parsed by the installed library.
  const auto doc = backstop::parseJsonText(R"({
    "schema": "backstop/scenario@1",
    "market": { "symbol": "BTC-PERP", "mark_price": 60000, "maintenance_margin_rate": 0.005 },
    "book": { "positions": [ { "id": "acct-42", "side": "long", "quantity": 2, "entry_price": 60000, "collateral": 12000 } ] },
    "fund": { "balance": 100000 }, "policy": { "preset": "binance" }, "stress": { "shocks": [-0.15] } })");
  const auto result = backstop::dispatch("stress", doc, backstop::RunOptions{});
  EXPECT_DOUBLE_EQ(result["events"][0]["bad_debt"].get<double>(), 6000);
}
