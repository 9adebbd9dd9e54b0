// The loss waterfall (docs/formulas.md (loss waterfall)), stage by stage, against values computed by hand from the
// definitions in docs/formulas.md (position arithmetic, closing a position, loss waterfall).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "backstop/stress/stress.hpp"
#include "backstop/waterfall/waterfall.hpp"
#include "book_helpers.hpp"

using namespace backstop;
using namespace backstop::test_books;

namespace {

Market market(double mmr = 0.01) {
  Market m;
  m.symbol = "TEST-PERP";
  m.markPrice = 100;
  m.maintenanceMarginRate = mmr;
  return m;
}

Policy policy(std::vector<Stage> stages) {
  Policy p;
  p.stages = std::move(stages);
  return p;
}

Fund fund(double balance, double vault = 0) {
  Fund f;
  f.balance = balance;
  f.backstopVault = vault;
  return f;
}


std::vector<BookEntry> book(std::vector<Position> ps) {
  std::vector<BookEntry> b;
  for (auto& p : ps) b.push_back({p, true, false});
  return b;
}

// A long of 2 at 100 closed at mark 90 with 6 of bad debt (collateral 14: 14 + 2·(90 − 100) = −6).
const Position kBankruptLong = pos("bankrupt", Side::Long, 2, 100, 14);

// Three profitable shorts at mark 90 (docs/formulas.md (loss waterfall) rankings computed by hand below).
//   A: short 1 @100, M 10: UPnL 10, equity 20, notional 90.
//   B: short 1 @100, M 50: UPnL 10, equity 60.
//   C: short 1 @ 95, M  5: UPnL  5, equity 10.
std::vector<BookEntry> threeShorts() {
  return book({pos("A", Side::Short, 1, 100, 10), pos("B", Side::Short, 1, 100, 50), pos("C", Side::Short, 1, 95, 5)});
}

std::vector<std::string> fillOrder(AdlRanking rule) {
  Policy p = policy({Stage::Adl});
  p.adlRanking = rule;
  Waterfall wf(market(), p, fund(0), 1);
  auto b = threeShorts();
  std::vector<AdlFill> fills;
  // Bankrupt long of 3 with a debt of 3 (1 per unit, below every counterparty's profit per unit).
  const auto split = wf.cover(3, pos("x", Side::Long, 3, 100, 0), 90, b, fills);
  EXPECT_NEAR(split.adl, 3, 1e-12);
  std::vector<std::string> ids;
  for (const auto& f : fills) ids.push_back(f.id);
  return ids;
}

}  // namespace

TEST(Waterfall, InsuranceFundAlonePaysWhatItHolds) {
  Waterfall wf(market(), policy({Stage::InsuranceFund}), fund(100), 1);
  std::vector<BookEntry> b;
  std::vector<AdlFill> fills;
  auto s = wf.cover(30, kBankruptLong, 90, b, fills);
  EXPECT_DOUBLE_EQ(s.insuranceFund, 30);
  EXPECT_DOUBLE_EQ(wf.fund(), 70);
  s = wf.cover(150, kBankruptLong, 90, b, fills);
  EXPECT_DOUBLE_EQ(s.insuranceFund, 70);  // all it has left
  EXPECT_DOUBLE_EQ(s.uncovered, 80);
  EXPECT_DOUBLE_EQ(wf.fund(), 0);
}

TEST(Waterfall, BackstopVaultAloneAbsorbsUpToItsBalance) {
  Waterfall wf(market(), policy({Stage::BackstopVault}), fund(1000, 40), 1);
  std::vector<BookEntry> b;
  std::vector<AdlFill> fills;
  const auto s = wf.cover(50, kBankruptLong, 90, b, fills);
  EXPECT_DOUBLE_EQ(s.backstopVault, 40);
  EXPECT_DOUBLE_EQ(s.insuranceFund, 0);  // not a stage here
  EXPECT_DOUBLE_EQ(s.uncovered, 10);
  EXPECT_DOUBLE_EQ(wf.vault(), 0);
  EXPECT_DOUBLE_EQ(wf.fund(), 1000);
}

TEST(Waterfall, AdlAloneTakesOverAtThePriceWhereLossEqualsDebt) {
  // Debt 6 over 2 units: 3 per unit. Ranking pnl: S2 (UPnL 30) before S1 (UPnL 20... per unit 20).
  Policy p = policy({Stage::Adl});
  p.adlRanking = AdlRanking::Pnl;
  Waterfall wf(market(), p, fund(0), 1);
  auto b = book({pos("S1", Side::Short, 1, 110, 10), pos("S2", Side::Short, 3, 100, 30),
                 pos("L1", Side::Long, 5, 80, 100)});  // a profitable long: same side, never deleveraged
  std::vector<AdlFill> fills;
  const auto s = wf.cover(6, kBankruptLong, 90, b, fills);
  EXPECT_DOUBLE_EQ(s.adl, 6);
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].id, "S2");
  EXPECT_DOUBLE_EQ(fills[0].quantity, 2);
  EXPECT_DOUBLE_EQ(fills[0].price, 93);  // 90 + 3: S2 closes 2 at 93, a loss of 6 against the mark
  EXPECT_DOUBLE_EQ(fills[0].loss, 6);
  // The bankrupt long's bankruptcy price is 100 − 14/2 = 93: the fill is at it (impact none).
  EXPECT_DOUBLE_EQ(fills[0].price, *bankruptcyPrice(kBankruptLong, Contract::Linear));
  EXPECT_DOUBLE_EQ(b[1].position.quantity, 1);
  EXPECT_DOUBLE_EQ(b[1].position.collateral, 10);  // margin released pro rata: 30 · 1/3
  EXPECT_DOUBLE_EQ(b[2].position.quantity, 5);
}

TEST(Waterfall, AdlNeverTakesMoreThanACounterpartyHoldsOrItsProfit) {
  // Debt 30 over 2 units (15 per unit) against one short of 1 with UPnL 10: it gives 1 unit and
  // at most its 10 of profit; the other 20 is left to the next stage (uncovered here).
  Policy p = policy({Stage::Adl});
  p.adlRanking = AdlRanking::Pnl;
  Waterfall wf(market(), p, fund(0), 1);
  auto b = book({pos("S", Side::Short, 1, 100, 20)});
  std::vector<AdlFill> fills;
  const auto s = wf.cover(30, pos("x", Side::Long, 2, 100, 0), 90, b, fills);
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_DOUBLE_EQ(fills[0].quantity, 1);
  EXPECT_DOUBLE_EQ(fills[0].loss, 10);
  EXPECT_DOUBLE_EQ(fills[0].price, 100);  // its entry: realised PnL exactly zero
  EXPECT_DOUBLE_EQ(s.adl, 10);
  EXPECT_DOUBLE_EQ(s.uncovered, 20);
  EXPECT_FALSE(b[0].open);
}

TEST(Waterfall, SocializedLossAloneOverProfitablePnl) {
  // Debt 6 over UPnL 10 (X) and 20 (Y): haircuts 2 and 4; the losing Z gives nothing.
  Policy p = policy({Stage::SocializedLoss});
  p.socializeOver = SocializeOver::ProfitablePnl;
  Waterfall wf(market(), p, fund(0), 1);
  auto b = book({pos("X", Side::Short, 1, 100, 50), pos("Y", Side::Short, 2, 100, 50),
                 pos("Z", Side::Long, 1, 95, 50)});
  std::vector<AdlFill> fills;
  const auto s = wf.cover(6, kBankruptLong, 90, b, fills);
  EXPECT_DOUBLE_EQ(s.socializedLoss, 6);
  EXPECT_DOUBLE_EQ(b[0].position.collateral, 48);
  EXPECT_DOUBLE_EQ(b[1].position.collateral, 46);
  EXPECT_DOUBLE_EQ(b[2].position.collateral, 50);
  EXPECT_TRUE(fills.empty());
}

TEST(Waterfall, SocializedLossPerContractOnBothSides) {
  // Drift's worked example: 100 over 7 long + 4 short base -> 100/11 per base unit.
  Policy p = policy({Stage::SocializedLoss});
  p.socializeOver = SocializeOver::PerContract;
  Waterfall wf(market(), p, fund(0), 1);
  auto b = book({pos("L1", Side::Long, 3, 90, 500), pos("L2", Side::Long, 4, 90, 500), pos("S1", Side::Short, 4, 90, 500)});
  std::vector<AdlFill> fills;
  const auto s = wf.cover(100, pos("x", Side::Short, 1, 90, 0), 90, b, fills);
  EXPECT_NEAR(s.socializedLoss, 100, 1e-12);
  EXPECT_NEAR(b[0].position.collateral, 500 - 300.0 / 11, 1e-12);
  EXPECT_NEAR(b[1].position.collateral, 500 - 400.0 / 11, 1e-12);
  EXPECT_NEAR(b[2].position.collateral, 500 - 400.0 / 11, 1e-12);
}

TEST(Waterfall, SocializedLossOverAllCollateral) {
  // Debt 20 over collateral 10, 30, 60 (total 100): 2, 6, 12.
  Policy p = policy({Stage::SocializedLoss});
  p.socializeOver = SocializeOver::AllCollateral;
  Waterfall wf(market(), p, fund(0), 1);
  auto b = book({pos("a", Side::Long, 1, 90, 10), pos("b", Side::Short, 1, 90, 30), pos("c", Side::Long, 1, 90, 60)});
  std::vector<AdlFill> fills;
  const auto s = wf.cover(20, kBankruptLong, 90, b, fills);
  EXPECT_NEAR(s.socializedLoss, 20, 1e-12);
  EXPECT_NEAR(b[0].position.collateral, 8, 1e-12);
  EXPECT_NEAR(b[1].position.collateral, 24, 1e-12);
  EXPECT_NEAR(b[2].position.collateral, 48, 1e-12);
}

TEST(Waterfall, SocializedHaircutNeverExceedsEquity) {
  // Debt 100 over all collateral 10 + 10; each has equity 10 at the mark: 20 paid, 80 uncovered.
  Policy p = policy({Stage::SocializedLoss});
  p.socializeOver = SocializeOver::AllCollateral;
  Waterfall wf(market(), p, fund(0), 1);
  auto b = book({pos("a", Side::Long, 1, 90, 10), pos("b", Side::Short, 1, 90, 10)});
  std::vector<AdlFill> fills;
  const auto s = wf.cover(100, kBankruptLong, 90, b, fills);
  EXPECT_NEAR(s.socializedLoss, 20, 1e-12);
  EXPECT_NEAR(s.uncovered, 80, 1e-12);
}

TEST(Waterfall, PartialCoverPassesTheRemainderOn) {
  Policy p = policy({Stage::InsuranceFund, Stage::Adl});
  p.fundCoverage = FundCoverage::Partial;
  Waterfall wf(market(), p, fund(5), 1);
  auto b = book({pos("S", Side::Short, 10, 100, 100)});  // UPnL 10 per unit at 90
  std::vector<AdlFill> fills;
  const auto s = wf.cover(6, kBankruptLong, 90, b, fills);
  EXPECT_DOUBLE_EQ(s.insuranceFund, 5);
  EXPECT_DOUBLE_EQ(s.adl, 1);
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_DOUBLE_EQ(fills[0].price, 90.5);  // the remainder 1 over 2 units: loss equals the remainder
  EXPECT_DOUBLE_EQ(wf.fund(), 0);
}

TEST(Waterfall, AllOrNothingLeavesTheFundUntouched) {
  Policy p = policy({Stage::InsuranceFund, Stage::Adl});
  p.fundCoverage = FundCoverage::AllOrNothing;
  Waterfall wf(market(), p, fund(5), 1);
  auto b = book({pos("S", Side::Short, 10, 100, 100)});
  std::vector<AdlFill> fills;
  auto s = wf.cover(6, kBankruptLong, 90, b, fills);
  EXPECT_DOUBLE_EQ(s.insuranceFund, 0);
  EXPECT_DOUBLE_EQ(s.adl, 6);
  EXPECT_DOUBLE_EQ(fills.at(0).price, 93);  // the bankruptcy price of the bankrupt long
  EXPECT_DOUBLE_EQ(wf.fund(), 5);
  s = wf.cover(5, kBankruptLong, 90, b, fills);  // exactly what it holds: covered entirely
  EXPECT_DOUBLE_EQ(s.insuranceFund, 5);
  EXPECT_DOUBLE_EQ(s.adl, 0);
  EXPECT_DOUBLE_EQ(wf.fund(), 0);
}

TEST(Waterfall, PerEventCapLimitsTheFundAndRestartsWithEachEvent) {
  Policy p = policy({Stage::InsuranceFund});
  Fund f = fund(100);
  f.maxDrawFractionPerEvent = 0.25;
  Waterfall wf(market(), p, f, 1);
  std::vector<BookEntry> b;
  std::vector<AdlFill> fills;
  auto s = wf.cover(40, kBankruptLong, 90, b, fills);
  EXPECT_DOUBLE_EQ(s.insuranceFund, 25);  // 25 % of 100
  EXPECT_DOUBLE_EQ(s.uncovered, 15);
  s = wf.cover(10, kBankruptLong, 90, b, fills);
  EXPECT_DOUBLE_EQ(s.insuranceFund, 0);  // the cap is per event, not per fill
  wf.startEvent();
  s = wf.cover(40, kBankruptLong, 90, b, fills);
  EXPECT_DOUBLE_EQ(s.insuranceFund, 18.75);  // 25 % of the 75 left
}

TEST(Waterfall, FundFloorIsNeverPaidOut) {
  Fund f = fund(100);
  f.floor = 10;
  Waterfall wf(market(), policy({Stage::InsuranceFund}), f, 1);
  std::vector<BookEntry> b;
  std::vector<AdlFill> fills;
  const auto s = wf.cover(200, kBankruptLong, 90, b, fills);
  EXPECT_DOUBLE_EQ(s.insuranceFund, 90);
  EXPECT_DOUBLE_EQ(wf.fund(), 10);
  // Drift keeps one unit in its vault (min(loss, vault − 1, ...)) even with floor 0.
  Policy d = presetPolicy(Venue::Drift, "SOL-PERP");
  d.stages = {Stage::InsuranceFund};
  Waterfall dw(market(), d, fund(100), 1);
  EXPECT_DOUBLE_EQ(dw.cover(200, kBankruptLong, 90, b, fills).insuranceFund, 99);
}

TEST(Waterfall, DrawdownTriggerSendsTheRestToAdl) {
  // OKX-style trigger: at most 30 % of the fund in the window; the rest is deleveraged.
  Policy p = policy({Stage::InsuranceFund, Stage::Adl});
  p.adlTrigger = AdlTriggerKind::Drawdown;
  p.drawdownFraction = 0.3;
  Waterfall wf(market(), p, fund(100), 1);
  auto b = book({pos("S", Side::Short, 10, 100, 100)});
  std::vector<AdlFill> fills;
  const auto s = wf.cover(50, pos("x", Side::Long, 10, 100, 0), 90, b, fills);
  EXPECT_DOUBLE_EQ(s.insuranceFund, 30);
  EXPECT_DOUBLE_EQ(s.adl, 20);
  EXPECT_DOUBLE_EQ(wf.fund(), 70);
}

TEST(Waterfall, StagesRunInTheConfiguredOrder) {
  // Vault before fund: the vault pays first.
  Waterfall wf(market(), policy({Stage::BackstopVault, Stage::InsuranceFund}), fund(100, 30), 1);
  std::vector<BookEntry> b;
  std::vector<AdlFill> fills;
  const auto s = wf.cover(50, kBankruptLong, 90, b, fills);
  EXPECT_DOUBLE_EQ(s.backstopVault, 30);
  EXPECT_DOUBLE_EQ(s.insuranceFund, 20);
  EXPECT_DOUBLE_EQ(s.total(), 50);
}

TEST(AdlRankingScores, HandComputedAtMark90) {
  const Contract c = Contract::Linear;
  const auto b = threeShorts();
  const Position& A = b[0].position;
  const Position& B = b[1].position;
  const Position& C = b[2].position;
  // BitMEX: PNL% × notional/equity. A: 0.1 × 90/20 = 0.45; B: 0.1 × 1.5 = 0.15; C: (5/95) × 9.
  EXPECT_NEAR(adlScore(AdlRanking::PnlTimesLeverage, A, c, 90, 0.01), 0.45, 1e-12);
  EXPECT_NEAR(adlScore(AdlRanking::PnlTimesLeverage, B, c, 90, 0.01), 0.15, 1e-12);
  EXPECT_NEAR(adlScore(AdlRanking::PnlTimesLeverage, C, c, 90, 0.01), 45.0 / 95, 1e-12);
  // Binance: UPnL/WB × MM/(WB + UPnL), MM = 1 % of 90. A: 1 × 0.9/20; B: 0.2 × 0.9/60; C: 1 × 0.9/10.
  EXPECT_NEAR(adlScore(AdlRanking::BinanceLeveragePnl, A, c, 90, 0.01), 0.045, 1e-12);
  EXPECT_NEAR(adlScore(AdlRanking::BinanceLeveragePnl, B, c, 90, 0.01), 0.003, 1e-12);
  EXPECT_NEAR(adlScore(AdlRanking::BinanceLeveragePnl, C, c, 90, 0.01), 0.09, 1e-12);
  // Hyperliquid: (entry/mark for a short) × notional/equity. A: 100/90 × 4.5 = 5; C: 95/90 × 9 = 9.5.
  EXPECT_NEAR(adlScore(AdlRanking::HyperliquidIndex, A, c, 90, 0.01), 5, 1e-12);
  EXPECT_NEAR(adlScore(AdlRanking::HyperliquidIndex, B, c, 90, 0.01), 100.0 / 60, 1e-12);
  EXPECT_NEAR(adlScore(AdlRanking::HyperliquidIndex, C, c, 90, 0.01), 9.5, 1e-12);
}

TEST(AdlRanking, EachRuleOrdersCounterpartiesAsDocumented) {
  using V = std::vector<std::string>;
  EXPECT_EQ(fillOrder(AdlRanking::PnlTimesLeverage), (V{"C", "A", "B"}));    // 0.474, 0.45, 0.15
  EXPECT_EQ(fillOrder(AdlRanking::BinanceLeveragePnl), (V{"C", "A", "B"}));  // 0.09, 0.045, 0.003
  EXPECT_EQ(fillOrder(AdlRanking::HyperliquidIndex), (V{"C", "A", "B"}));    // 9.5, 5, 1.67
  EXPECT_EQ(fillOrder(AdlRanking::Pnl), (V{"A", "B", "C"}));                 // 10, 10 (by id), 5
  // Random (dYdX): a rotation of the id order from a seeded start; every counterparty once.
  const V r = fillOrder(AdlRanking::Random);
  ASSERT_EQ(r.size(), 3u);
  const V ids{"A", "B", "C"};
  bool rotation = false;
  for (size_t k = 0; k < 3; ++k) rotation |= (r == V{ids[k], ids[(k + 1) % 3], ids[(k + 2) % 3]});
  EXPECT_TRUE(rotation);
  EXPECT_EQ(fillOrder(AdlRanking::Random), r);  // same seed, same order
}

TEST(AdlRanking, ProRataSplitsByQuantity) {
  // Bankrupt long of 2 with debt 2 (1 per unit); shorts of 1 and 3: they take 0.5 and 1.5.
  Policy p = policy({Stage::Adl});
  p.adlRanking = AdlRanking::ProRata;
  Waterfall wf(market(), p, fund(0), 1);
  auto b = book({pos("s1", Side::Short, 1, 100, 50), pos("s3", Side::Short, 3, 100, 50)});
  std::vector<AdlFill> fills;
  const auto s = wf.cover(2, pos("x", Side::Long, 2, 100, 0), 90, b, fills);
  EXPECT_NEAR(s.adl, 2, 1e-12);
  ASSERT_EQ(fills.size(), 2u);
  double q1 = 0, q3 = 0;
  for (const auto& f : fills) (f.id == "s1" ? q1 : q3) += f.quantity;
  EXPECT_NEAR(q1, 0.5, 1e-12);
  EXPECT_NEAR(q3, 1.5, 1e-12);
  for (const auto& f : fills) EXPECT_NEAR(f.price, 91, 1e-12);
}

TEST(AdlRanking, ShortBankruptDeleveragesProfitableLongsOnly) {
  // A short of 1 at 100 (M 5) at mark 110 owes 5: longs in profit take it over at 105.
  Policy p = policy({Stage::Adl});
  p.adlRanking = AdlRanking::Pnl;
  Waterfall wf(market(), p, fund(0), 1);
  auto b = book({pos("L", Side::Long, 2, 100, 20), pos("S", Side::Short, 2, 90, 100), pos("Lloss", Side::Long, 1, 120, 50)});
  std::vector<AdlFill> fills;
  const Position bankrupt = pos("x", Side::Short, 1, 100, 5);
  const auto s = wf.cover(5, bankrupt, 110, b, fills);
  EXPECT_DOUBLE_EQ(s.adl, 5);
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].id, "L");
  EXPECT_DOUBLE_EQ(fills[0].price, 105);
  EXPECT_DOUBLE_EQ(fills[0].price, *bankruptcyPrice(bankrupt, Contract::Linear));
}

TEST(Waterfall, AdlAtTheBankruptcyPriceEndToEnd) {
  // runShock with impact none, an empty fund and only ADL: long 1 @100, M 5 (bankruptcy 95)
  // shocked to 90 owes 5; the profitable short closes at 95, the bankruptcy price.
  Scenario s;
  s.market() = market(0.01);
  s.book().positions = {pos("long", Side::Long, 1, 100, 5), pos("short", Side::Short, 1, 100, 50)};
  s.policy.stages = {Stage::InsuranceFund, Stage::Adl};
  s.fund.balance = 0;
  const StressEvent e = runShock(s, -0.1);
  EXPECT_DOUBLE_EQ(e.badDebt, 5);
  EXPECT_DOUBLE_EQ(e.waterfall.adl, 5);
  ASSERT_EQ(e.adlFills.size(), 1u);
  EXPECT_EQ(e.adlFills[0].id, "short");
  EXPECT_DOUBLE_EQ(e.adlFills[0].price, 95);
  EXPECT_DOUBLE_EQ(e.adlFills[0].price, *bankruptcyPrice(s.book().positions[0], Contract::Linear));
  EXPECT_DOUBLE_EQ(e.adlFills[0].loss, 5);
}

TEST(Waterfall, InverseAdlPriceGivesTheLossInCoin) {
  // Inverse: a short counterparty of q contracts closed at price X loses q·(1/mark − 1/X) coin
  // against the mark; the fill price must make that equal the debt.
  Market m = market(0.01);
  m.contract = Contract::Inverse;
  Policy p = policy({Stage::Adl});
  p.adlRanking = AdlRanking::Pnl;
  Waterfall wf(m, p, fund(0), 1);
  auto b = book({pos("S", Side::Short, 1000, 100, 5)});  // UPnL at 90: 1000·(1/90 − 1/100) = 1.111 coin
  std::vector<AdlFill> fills;
  wf.cover(0.5, pos("x", Side::Long, 1000, 100, 0), 90, b, fills);
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_NEAR(1000 * (1.0 / 90 - 1.0 / fills[0].price), 0.5, 1e-12);
}

TEST(Waterfall, SkippingTheFundStillAsksTheVault) {
  // A fill the fund rejected (all_or_nothing) skips the insurance fund only: the vault of 4
  // pays 4 of the 6, ADL the other 2.
  Waterfall wf(market(), policy({Stage::InsuranceFund, Stage::BackstopVault, Stage::Adl}), fund(100, 4), 1);
  auto b = threeShorts();
  std::vector<AdlFill> fills;
  const auto s = wf.cover(6, kBankruptLong, 90, b, fills, /*skipFund=*/true);
  EXPECT_EQ(s.insuranceFund, 0.0);
  EXPECT_DOUBLE_EQ(s.backstopVault, 4);
  EXPECT_NEAR(s.adl, 2, 1e-12);
  EXPECT_DOUBLE_EQ(wf.fund(), 100);
  EXPECT_DOUBLE_EQ(wf.vault(), 0);
}

TEST(Waterfall, AllOrNothingRejectionGoesToTheVault) {
  // Long 1 @100, M 5 shocked to 90 owes 5; the fund of 4 cannot cover it all, so it pays nothing
  // (docs/formulas.md (loss waterfall) all_or_nothing) and the vault of 10 pays the 5.
  Scenario s;
  s.market() = market();
  s.policy = policy({Stage::InsuranceFund, Stage::BackstopVault, Stage::Adl});
  s.policy.fundCoverage = FundCoverage::AllOrNothing;
  s.book().positions = {pos("a", Side::Long, 1, 100, 5)};
  s.fund = fund(4, 10);
  const StressEvent e = runShock(s, -0.1);
  EXPECT_EQ(e.waterfall.insuranceFund, 0.0);
  EXPECT_NEAR(e.waterfall.backstopVault, 5, 1e-12);
  EXPECT_NEAR(e.vaultAfter, 5, 1e-12);
  EXPECT_DOUBLE_EQ(e.fundAfter, 4);
}
