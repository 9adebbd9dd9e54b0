// Water-filling ADL (Campbell, Hey, Moallemi, Nutz, arXiv 2603.15963): allocations derived by
// hand (each expectation shows its arithmetic), the worked example of ORACLES.md, corner cases,
// and properties over thousands of random books with a fixed seed: water-filling's largest
// post-ADL leverage is at most every queue rule's (run through Waterfall::cover on the same
// event), the closed quantity is what the event needs, splitting an account in two identical
// halves leaves its total ADL unchanged, and the counterparties' losses are the debt covered.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "backstop/model/names.hpp"
#include "backstop/waterfall/waterfall.hpp"
#include "backstop/waterfall/water_filling.hpp"
#include "book_helpers.hpp"

using namespace backstop;
using namespace backstop::test_books;

namespace {

double maxLeverage(const std::vector<AdlAccount>& as, double n, const std::vector<double>& close) {
  double m = 0;
  for (size_t i = 0; i < as.size(); ++i) m = std::max(m, postAdlLeverage(as[i], n, close[i]));
  return m;
}

// ORACLES.md: mark 100, ADL fill at 104 (4 per unit against the mark) for three shorts,
// S1 (q 50, E 500, L 10), S2 (q 30, E 1,000, L 3), S3 (q 20, E 1,000, L 2). As positions:
// S1 short 50 @106 with 200 (UPnL 300), S2 short 30 @110 with 700 (UPnL 300), S3 short 20
// @105 with 900 (UPnL 100): every UPnL per unit (6, 10, 5) is above 4, so no cap binds.
std::vector<Position> oracleShorts() {
  return {pos("S1", Side::Short, 50, 106, 200), pos("S2", Side::Short, 30, 110, 700),
          pos("S3", Side::Short, 20, 105, 900)};
}

}  // namespace

TEST(WaterFilling, OraclesExampleCloseTwentyReducesOnlyTheMostLevered) {
  // Only S1: (50 − 20)·100 / (500 − 4·20) = 3000/420 = 7.142857..., above S2's 3.
  const auto w = waterFill(20, 104, 100, Contract::Linear, oracleShorts());
  EXPECT_DOUBLE_EQ(w.close[0], 20);
  EXPECT_EQ(w.close[1], 0);
  EXPECT_EQ(w.close[2], 0);
  EXPECT_NEAR(w.level, 7.142857142857, 1e-12);
  EXPECT_DOUBLE_EQ(w.closed, 20);
  EXPECT_DOUBLE_EQ(w.loss, 80);  // 20 · 4
}

TEST(WaterFilling, OraclesExampleCloseFortyLevelsTheTwoMostLevered) {
  // S1, S2 reduced: λ = n(Σq − Q)/(ΣE − Q·c) = 100·(80 − 40)/(1500 − 160) = 200/67;
  // x = (n·q − λE)/(n − λc): S1 (335000 − 100000)/5900 = 2350/59, S2 (201000 − 200000)/5900 = 10/59.
  const auto w = waterFill(40, 104, 100, Contract::Linear, oracleShorts());
  EXPECT_NEAR(w.close[0], 39.830508474576, 1e-11);
  EXPECT_NEAR(w.close[1], 0.169491525424, 1e-11);
  EXPECT_NEAR(w.close[0], 2350.0 / 59, 1e-12);
  EXPECT_NEAR(w.close[1], 10.0 / 59, 1e-12);
  EXPECT_EQ(w.close[2], 0);  // S3 stays at 2
  EXPECT_NEAR(w.level, 2.985074626866, 1e-12);
  EXPECT_NEAR(w.level, 200.0 / 67, 1e-14);
  EXPECT_DOUBLE_EQ(w.closed, 40);
  EXPECT_NEAR(w.loss, 160, 1e-12);  // the debt: 40 units · 4
}

TEST(WaterFilling, HandDerivedInverseThreeAccountsAllReduced) {
  // Inverse, 1-USD contracts, mark 100: n = 1/100 = 0.01 coin per contract. Fill at 125: a short
  // buying back loses 1/100 − 1/125 = 0.002 coin per contract against the mark.
  //   A short 1000 @200, M 1: UPnL 1000·(0.01 − 0.005) = 5,  E 6,  L0 = 10/6
  //   B short 2000 @250, M 3: UPnL 2000·(0.01 − 0.004) = 12, E 15, L0 = 20/15
  //   C short  500 @125, M 4: UPnL  500·(0.01 − 0.008) = 1,  E 5,  L0 = 5/5 = 1 (profit per unit = 0.002: the cap just holds)
  // Close 1500 with all three reduced: λ = 0.01·(3500 − 1500)/(26 − 0.002·1500) = 20/23 < 1.
  // n − λc = (0.23 − 0.04)/23 = 0.19/23; x_A = (10 − 6·20/23)/(0.19/23) = 110/0.19 = 11000/19,
  // x_B = (20 − 300/23)·23/0.19 = 160/0.19 = 16000/19, x_C = (5 − 100/23)·23/0.19 = 15/0.19 = 1500/19.
  const std::vector<Position> cps{pos("A", Side::Short, 1000, 200, 1), pos("B", Side::Short, 2000, 250, 3),
                                  pos("C", Side::Short, 500, 125, 4)};
  const auto w = waterFill(1500, 125, 100, Contract::Inverse, cps);
  EXPECT_NEAR(w.level, 20.0 / 23, 1e-14);
  EXPECT_NEAR(w.close[0], 11000.0 / 19, 1e-10);
  EXPECT_NEAR(w.close[1], 16000.0 / 19, 1e-10);
  EXPECT_NEAR(w.close[2], 1500.0 / 19, 1e-10);
  EXPECT_DOUBLE_EQ(w.closed, 1500);
  EXPECT_NEAR(w.loss, 3, 1e-12);  // 1500 · 0.002 coin
  // A after: 421.05 contracts = 4.2105 coin of notional on 6 − 1.1579 = 4.8421 coin of equity.
  const AdlAccount a = adlAccount(cps[0], Contract::Inverse, 100, 0.002);
  EXPECT_NEAR(postAdlLeverage(a, 0.01, w.close[0]), 20.0 / 23, 1e-13);
}

TEST(WaterFilling, HandDerivedProfitCapMakesTheLevelAQuadraticRoot) {
  // Linear, mark 100, fill at 110 (10 per unit against the mark), two shorts:
  //   D short 10 @120, M 100: UPnL 200, E 300, L0 = 1000/300; loses 10 per unit.
  //   F short 10 @105, M 50:  UPnL 50,  E 100, L0 = 10; profit per unit 5 < 10: loses only 5.
  // Close 5: F alone, (1000 − 100λ)/(100 − 5λ) = 5 gives λ = 500/75 = 6.67 > 3.33, so x_F = 5.
  // Close 15: both, (1000 − 100λ)/(100 − 5λ) + (1000 − 300λ)/(100 − 10λ) = 15
  //   ⇔ 200000 − 55000λ + 2500λ² = 150000 − 22500λ + 750λ² ⇔ 7λ² − 130λ + 200 = 0,
  //   λ = (130 − √11300)/14 = (65 − 5√113)/7 (the other root, 16.9, is above both L0).
  const std::vector<Position> cps{pos("D", Side::Short, 10, 120, 100), pos("F", Side::Short, 10, 105, 50)};
  auto w = waterFill(5, 110, 100, Contract::Linear, cps);
  EXPECT_EQ(w.close[0], 0);
  EXPECT_DOUBLE_EQ(w.close[1], 5);
  EXPECT_NEAR(w.level, 500.0 / 75, 1e-13);
  EXPECT_DOUBLE_EQ(w.loss, 25);  // capped: 5 · 5

  w = waterFill(15, 110, 100, Contract::Linear, cps);
  const double lambda = (65 - 5 * std::sqrt(113.0)) / 7;
  const double xF = (1000 - 100 * lambda) / (100 - 5 * lambda), xD = (1000 - 300 * lambda) / (100 - 10 * lambda);
  EXPECT_NEAR(xF + xD, 15, 1e-12);  // the closed form is consistent
  EXPECT_NEAR(w.level, lambda, 1e-13);
  EXPECT_NEAR(w.close[0], xD, 1e-11);
  EXPECT_NEAR(w.close[1], xF, 1e-11);
  EXPECT_DOUBLE_EQ(w.close[0] + w.close[1], 15);
  EXPECT_NEAR(w.loss, 10 * xD + 5 * xF, 1e-11);
}

TEST(WaterFilling, QuantityBeyondEveryProfitableUnitClosesThemAll) {
  const auto w = waterFill(150, 104, 100, Contract::Linear, oracleShorts());
  EXPECT_EQ(w.close, (std::vector<double>{50, 30, 20}));
  EXPECT_EQ(w.closed, 100);  // 50 units are left for the next stage
  EXPECT_EQ(w.level, 0);
  EXPECT_EQ(w.loss, 400);
}

TEST(WaterFilling, NothingToCloseLeavesTheBookAtItsHighestLeverage) {
  const auto w = waterFill(0, 104, 100, Contract::Linear, oracleShorts());
  EXPECT_EQ(w.close, (std::vector<double>{0, 0, 0}));
  EXPECT_DOUBLE_EQ(w.level, 10);
  EXPECT_EQ(w.loss, 0);
  EXPECT_TRUE(waterFill(5, 104, 100, Contract::Linear, {}).close.empty());
}

TEST(WaterFilling, TiedAccountsAreReducedAlike) {
  // Two copies of S1 (L0 10) and S3 (L0 2), close 30: each copy 15, λ = 100·(100 − 30)/(1000 − 120)
  // = 7000/880 = 7.954545 > 2; x = (5000 − 500λ)/(100 − 4λ) = 15.
  const std::vector<Position> cps{pos("S1a", Side::Short, 50, 106, 200), pos("S3", Side::Short, 20, 105, 900),
                                  pos("S1b", Side::Short, 50, 106, 200)};
  const auto w = waterFill(30, 104, 100, Contract::Linear, cps);
  EXPECT_NEAR(w.close[0], 15, 1e-12);
  EXPECT_NEAR(w.close[2], 15, 1e-12);
  EXPECT_EQ(w.close[1], 0);
  EXPECT_NEAR(w.level, 7000.0 / 880, 1e-13);
}

TEST(WaterFilling, AccountsAFullCloseWouldBankruptAreUsedLastMostLeveredFirst) {
  // Z short 10 @110 with collateral 0 at mark 100, fill at 115: loss capped at its profit per unit
  // (10), so c·q = E = 100: a partial close leaves its leverage at n/c = 10, a full close leaves
  // nothing. W short 10 @150, M 100: E 600, c 15. Close 5: W only, Z stays at 10 (not raised).
  const std::vector<Position> cps{pos("Z", Side::Short, 10, 110, 0), pos("W", Side::Short, 10, 150, 100)};
  auto w = waterFill(5, 115, 100, Contract::Linear, cps);
  EXPECT_EQ(w.close[0], 0);
  EXPECT_DOUBLE_EQ(w.close[1], 5);
  const AdlAccount z = adlAccount(cps[0], Contract::Linear, 100, 15);
  EXPECT_DOUBLE_EQ(z.lossPerUnit, 10);
  EXPECT_DOUBLE_EQ(postAdlLeverage(z, 100, 4), 10);  // 600/60
  // Close 14: W whole (10), then 4 of Z.
  w = waterFill(14, 115, 100, Contract::Linear, cps);
  EXPECT_DOUBLE_EQ(w.close[1], 10);
  EXPECT_DOUBLE_EQ(w.close[0], 4);
  EXPECT_DOUBLE_EQ(w.loss, 150 + 40);
}

TEST(WaterFilling, AnAccountAlreadyOnNoEquityIsClosedFirstInFull) {
  // n = 100, c = 4. B: q 5 on equity −10 (a haircut took its margin): unbounded leverage until
  // closed. A: q 50, E 500 (L0 10). Close 25: B's 5 whole, then A alone with 20 (7.142857).
  const std::vector<AdlAccount> as{{50, 500, 4}, {5, -10, 4}};
  auto w = waterFill(25, 100, as);
  EXPECT_EQ(w.close[1], 5);
  EXPECT_DOUBLE_EQ(w.close[0], 20);
  EXPECT_NEAR(w.level, 3000.0 / 420, 1e-12);
  EXPECT_EQ(postAdlLeverage(as[1], 100, 0), INFINITY);
  EXPECT_EQ(postAdlLeverage(as[1], 100, 5), 0);
  // Close 3: not even B is closed; it stays unbounded whatever ADL does.
  w = waterFill(3, 100, as);
  EXPECT_EQ(w.close[1], 3);
  EXPECT_EQ(w.close[0], 0);
  EXPECT_EQ(maxLeverage(as, 100, w.close), INFINITY);
}

TEST(WaterFilling, BadInputNamesTheField) {
  auto message = [](auto f) {
    try {
      f();
    } catch (const InputError& e) {
      return e.errors().at(0).pointer + ": " + e.errors().at(0).message;
    }
    return std::string("no error");
  };
  EXPECT_EQ(message([] { waterFill(-1, 104, 100, Contract::Linear, oracleShorts()); }),
            "/quantity: must be a finite number >= 0, got -1");
  EXPECT_EQ(message([] { waterFill(NAN, 100.0, {AdlAccount{1, 1, 0}}); }),
            "/quantity: must be a finite number >= 0, got NaN");
  EXPECT_EQ(message([] { waterFill(1, 100.0, {AdlAccount{1, INFINITY, 0}}); }),
            "/accounts/0/equity: must be a finite number, got Infinity");
  EXPECT_EQ(message([] { waterFill(1, 100.0, {AdlAccount{0, 1, 0}}); }),
            "/accounts/0/quantity: must be a positive finite number, got 0");
  EXPECT_EQ(message([] { waterFill(1, 100.0, {AdlAccount{1, 1, -1}}); }),
            "/accounts/0/loss_per_unit: must be a finite number >= 0, got -1");
  EXPECT_EQ(message([] { waterFill(1, 0.0, {}); }), "/notional_per_unit: must be a positive finite number, got 0");
  EXPECT_EQ(message([] { waterFill(1, 96, 100, Contract::Linear, oracleShorts()); }),
            "/fill_price: must cost the short counterparties against the mark 100, got 96");
  EXPECT_EQ(message([] { waterFill(1, 104, 100, Contract::Linear, {pos("L", Side::Short, 1, 90, 10)}); }),
            "/counterparties/0: must be profitable at the mark 100 (ADL takes only profitable positions)");
}

// ---- properties over random books ----

namespace {

// One ADL event: profitable counterparties on one side, the bankrupt quantity Q on the other,
// filled at a price that costs the counterparties `loss` per unit against the mark.
struct Event {
  Contract contract = Contract::Linear;
  double mark = 0;
  Side side = Side::Short;  // the counterparties'
  std::vector<Position> cps;
  double loss = 0;  // per unit against the mark, before each account's profit cap
  double quantity = 0;
  double n() const { return adlNotionalPerUnit(contract, mark); }
  std::vector<AdlAccount> accounts() const {
    std::vector<AdlAccount> as;
    for (const auto& p : cps) as.push_back(adlAccount(p, contract, mark, loss));
    return as;
  }
};

Event randomEvent(Gen& g) {
  Event e;
  e.contract = g.coin(0.3) ? Contract::Inverse : Contract::Linear;
  e.mark = g.logUni(0.05, 1e5);
  e.side = g.coin() ? Side::Short : Side::Long;
  const int k = g.integer(1, 30);
  double profitPerUnit = 0;
  for (int i = 0; i < k; ++i) {
    Position p;
    p.id = "c" + std::to_string(i);
    p.side = e.side;
    // Profitable at the mark: shorts entered above it, longs below.
    const double move = g.coin(0.2) ? g.logUni(1e-4, 1e-2) : g.logUni(1e-2, 0.6);
    p.entryPrice = e.mark * (e.side == Side::Short ? 1 + move : 1 - move);
    p.quantity = e.contract == Contract::Linear ? g.logUni(1e-2, 1e3) * 1e4 / e.mark : std::round(g.logUni(1, 1e6));
    if (g.coin(0.15) && i > 0) p.quantity = e.cps[size_t(g.integer(0, i - 1))].quantity;  // ties in size
    p.collateral = notionalInMargin(p, e.contract, p.entryPrice) / g.logUni(1.05, 100);
    e.cps.push_back(p);
    profitPerUnit += unrealisedPnl(p, e.contract, e.mark) / p.quantity / k;
  }
  // Around the typical profit per unit, so the per-account cap binds in some books, not all.
  e.loss = profitPerUnit * (g.coin(0.4) ? g.logUni(1e-3, 0.5) : g.logUni(0.5, 3));
  double held = 0;
  for (const auto& p : e.cps) held += p.quantity;
  e.quantity = held * (g.coin(0.1) ? g.uni(1.0, 1.5) : g.logUni(1e-4, 1.0));
  return e;
}

// The same event through the existing queue/pro-rata code: Waterfall::cover with ADL as the only
// stage, a bankrupt position of Q on the other side and a debt of Q·loss. Returns x_i per account.
std::vector<double> queueAllocation(const Event& e, AdlRanking rule, double* covered) {
  Market m;
  m.symbol = "PROP-PERP";
  m.contract = e.contract;
  m.markPrice = e.mark;
  m.maintenanceMarginRate = 0.01;
  Policy p;
  p.stages = {Stage::Adl};
  p.adlRanking = rule;
  Waterfall wf(m, p, Fund{}, 7);
  std::vector<BookEntry> book;
  for (const auto& c : e.cps) book.push_back({c, true, false});
  std::vector<AdlFill> fills;
  const Position bankrupt = pos("bk", opposite(e.side), e.quantity, e.mark, 0);
  const auto split = wf.cover(e.quantity * e.loss, bankrupt, e.mark, book, fills);
  *covered = split.adl;
  std::map<std::string, double> byId;
  for (const auto& f : fills) byId[f.id] += f.quantity;
  std::vector<double> x;
  for (const auto& c : e.cps) x.push_back(byId[c.id]);
  return x;
}

const AdlRanking kRules[] = {AdlRanking::PnlTimesLeverage, AdlRanking::BinanceLeveragePnl, AdlRanking::HyperliquidIndex,
                             AdlRanking::Pnl, AdlRanking::ProRata, AdlRanking::Random};

constexpr int kBooks = 4000;

}  // namespace

TEST(WaterFillingProperties, OptimalityCertificateQuantityAndConservation) {
  Gen g(20260318);
  int reducedSeveral = 0, capped = 0;
  for (int t = 0; t < kBooks; ++t) {
    const Event e = randomEvent(g);
    const auto as = e.accounts();
    const double n = e.n();
    const auto w = waterFill(e.quantity, n, as);
    SCOPED_TRACE("book " + std::to_string(t));
    double held = 0, loss = 0;
    for (size_t i = 0; i < as.size(); ++i) {
      held += as[i].quantity;
      loss += as[i].lossPerUnit * w.close[i];
      ASSERT_GE(w.close[i], 0);
      ASSERT_LE(w.close[i], as[i].quantity);
      ASSERT_LE(as[i].lossPerUnit * w.close[i], unrealisedPnl(e.cps[i], e.contract, e.mark) * (1 + 1e-12));
      if (as[i].lossPerUnit < e.loss) ++capped;
    }
    // The closed quantity is what the event needs, or everything there is.
    ASSERT_NEAR(w.closed, std::min(e.quantity, held), 1e-12 * held);
    // Conservation: the counterparties' losses are the debt ADL covers; all of Q·loss when no cap binds.
    ASSERT_NEAR(w.loss, loss, 1e-12 * std::max(1.0, loss));
    ASSERT_LE(w.loss, e.quantity * e.loss * (1 + 1e-12));
    // Optimality certificate: every reduced account ends at λ*, every untouched one is at or below
    // it. Any allocation with a lower maximum would have to close more of each reduced account
    // (their leverage falls as they close) and so more than Q in all.
    int reduced = 0;
    for (size_t i = 0; i < as.size(); ++i) {
      const double l = postAdlLeverage(as[i], n, w.close[i]);
      if (w.close[i] > 0 && w.close[i] < as[i].quantity) {
        ++reduced;
        ASSERT_NEAR(l, w.level, 1e-8 * w.level) << "account " << i;
      } else if (w.close[i] == 0) {
        ASSERT_LE(l, w.level * (1 + 1e-12)) << "account " << i;
      }
    }
    if (reduced > 1) ++reducedSeveral;
  }
  // The books exercise what they are meant to.
  EXPECT_GT(reducedSeveral, kBooks / 4);
  EXPECT_GT(capped, kBooks / 10);
}

TEST(WaterFillingProperties, MaxLeverageNeverAboveAnyQueueRuleOnTheSameEvent) {
  Gen g(777);
  int strictlyBetter = 0;
  for (int t = 0; t < kBooks; ++t) {
    const Event e = randomEvent(g);
    const auto as = e.accounts();
    const double n = e.n();
    const auto w = waterFill(e.quantity, n, as);
    const double best = maxLeverage(as, n, w.close);
    SCOPED_TRACE("book " + std::to_string(t));
    bool better = true;
    for (AdlRanking rule : kRules) {
      double covered = 0;
      const auto x = queueAllocation(e, rule, &covered);
      double closed = 0;
      for (double v : x) closed += v;
      // Same event: the same quantity closed; each rule's counterparties pay what it covers
      // (with capped losses the rules cover different amounts, the rest goes to the next stage).
      ASSERT_NEAR(closed, w.closed, 1e-9 * w.closed) << toString(rule);
      double paid = 0;
      for (size_t i = 0; i < as.size(); ++i) paid += as[i].lossPerUnit * x[i];
      ASSERT_NEAR(covered, paid, 1e-9 * paid) << toString(rule);
      const double theirs = maxLeverage(as, n, x);
      ASSERT_LE(best, theirs * (1 + 1e-9)) << toString(rule);
      better = better && best < theirs * (1 - 1e-9);
    }
    strictlyBetter += better;
  }
  EXPECT_GT(strictlyBetter, kBooks / 4);  // not merely tied with one of the rules
}

TEST(WaterFillingProperties, SplittingAnAccountInTwoHalvesLeavesItsTotalUnchanged) {
  Gen g(4242);
  for (int t = 0; t < kBooks; ++t) {
    Event e = randomEvent(g);
    const auto w = waterFill(e.quantity, e.n(), e.accounts());
    const size_t j = size_t(g.integer(0, int(e.cps.size()) - 1));
    Event split = e;
    Position half = e.cps[j];
    half.quantity /= 2;
    half.collateral /= 2;
    split.cps[j] = half;
    half.id += "-sybil";
    split.cps.push_back(half);
    const auto ws = waterFill(split.quantity, split.n(), split.accounts());
    SCOPED_TRACE("book " + std::to_string(t));
    const double tol = 1e-9 * e.quantity;
    ASSERT_NEAR(ws.close[j] + ws.close.back(), w.close[j], tol);
    ASSERT_NEAR(ws.close[j], ws.close.back(), tol);
    for (size_t i = 0; i < e.cps.size(); ++i)
      if (i != j) ASSERT_NEAR(ws.close[i], w.close[i], tol) << "account " << i;
    ASSERT_NEAR(ws.level, w.level, 1e-9 * std::max(1.0, w.level));
  }
}

// ---- in the waterfall: policy.adl_ranking = water_filling ----

namespace {

Waterfall adlOnly(AdlRanking rule) {
  Market m;
  m.symbol = "TEST-PERP";
  m.markPrice = 100;
  m.maintenanceMarginRate = 0.01;
  Policy p;
  p.stages = {Stage::Adl};
  p.adlRanking = rule;
  return Waterfall(m, p, Fund{}, 1);
}

std::vector<BookEntry> oracleBook() {
  std::vector<BookEntry> b;
  for (const auto& p : oracleShorts()) b.push_back({p, true, false});
  b.push_back({pos("L", Side::Long, 10, 90, 100), true, false});  // profitable but on the bankrupt's side
  return b;
}

const AdlSummary& row(const std::vector<AdlSummary>& rows, AdlRanking rule) {
  for (const auto& r : rows)
    if (r.rule == rule) return r;
  throw std::runtime_error("no row");
}

}  // namespace

TEST(WaterFillingInWaterfall, OneRoundFillsTheOraclesAllocationAtTheBankruptcyPrice) {
  // A bankrupt long of 40 with a debt of 160 at mark 100: 4 per unit, the fill at 104 (ORACLES.md).
  Waterfall wf = adlOnly(AdlRanking::WaterFilling);
  wf.startEvent();
  auto book = oracleBook();
  std::vector<AdlFill> fills;
  const auto split = wf.cover(160, pos("bk", Side::Long, 40, 108, 160), 100, book, fills);
  EXPECT_DOUBLE_EQ(split.adl, 160);
  EXPECT_EQ(split.socializedLoss + split.uncovered, 0);
  ASSERT_EQ(fills.size(), 2u);
  EXPECT_EQ(fills[0].id, "S1");  // the most levered first
  EXPECT_NEAR(fills[0].quantity, 2350.0 / 59, 1e-12);
  EXPECT_NEAR(fills[0].price, 104, 1e-12);
  EXPECT_NEAR(fills[0].loss, 4 * 2350.0 / 59, 1e-10);
  EXPECT_EQ(fills[1].id, "S2");
  EXPECT_NEAR(fills[1].quantity, 10.0 / 59, 1e-12);
  EXPECT_NEAR(book[0].position.quantity, 50 - 2350.0 / 59, 1e-12);
  EXPECT_EQ(book[2].position.quantity, 20);

  // adl_summary: S1 and S2 hit; leverage 10 before, 200/67 after; S1 gave 4·2350/59 of its
  // 300 of profit = 94/177.
  const AdlSummary s = wf.adlLedger().summary(AdlRanking::WaterFilling, book, Contract::Linear);
  EXPECT_EQ(s.counterparties, 2);
  EXPECT_NEAR(s.quantity, 40, 1e-12);
  EXPECT_NEAR(s.loss, 160, 1e-10);
  EXPECT_NEAR(s.maxLeverageBefore, 10, 1e-12);
  EXPECT_NEAR(s.maxLeverageAfter, 200.0 / 67, 1e-12);
  EXPECT_NEAR(s.largestHaircutShare, 94.0 / 177, 1e-12);

  // Who bears the loss, the same 40 at 4 per unit under each rule:
  const auto rows = wf.adlLedger().compare(Contract::Linear, 0.01);
  ASSERT_EQ(rows.size(), valuesOf<AdlRanking>().size());
  const AdlSummary& w = row(rows, AdlRanking::WaterFilling);  // one round: the event itself
  EXPECT_EQ(w.counterparties, 2);
  EXPECT_NEAR(w.maxLeverageAfter, 200.0 / 67, 1e-12);
  EXPECT_NEAR(w.largestHaircutShare, 94.0 / 177, 1e-12);
  // BitMEX scores S1 300/5300 × 10 = 0.566, S2 300/3300 × 3 = 0.273, S3 100/2100 × 2 = 0.095:
  // S1 closes all 40 (10 left on 500 − 160 = 340: 2.94) and S2 stays at 3; S1 gave 160/300.
  const AdlSummary& bitmex = row(rows, AdlRanking::PnlTimesLeverage);
  EXPECT_EQ(bitmex.counterparties, 1);
  EXPECT_NEAR(bitmex.loss, 160, 1e-12);
  EXPECT_NEAR(bitmex.maxLeverageAfter, 3, 1e-12);
  EXPECT_NEAR(bitmex.largestHaircutShare, 160.0 / 300, 1e-12);
  // Pro rata: 40·q/100 = 20, 12, 8; S1 at 30·100/(500 − 80) = 7.142857, S2 80/... gives 8·4/100.
  const AdlSummary& pr = row(rows, AdlRanking::ProRata);
  EXPECT_EQ(pr.counterparties, 3);
  EXPECT_NEAR(pr.maxLeverageAfter, 3000.0 / 420, 1e-12);
  EXPECT_NEAR(pr.largestHaircutShare, 32.0 / 100, 1e-12);  // S3: 8·4 of its 100
  for (const auto& r : rows) EXPECT_NEAR(r.maxLeverageBefore, 10, 1e-12);
}

TEST(WaterFillingInWaterfall, TwoRoundsOfAnEventEndWhereOneRoundOfTheirSumDoes) {
  // Two bankrupt longs of 20 (debt 80 each) in one event. After the first, S1's account holds 30
  // units on 500 − 80 = 420 of equity: its position's 300 plus the 120 the close paid out
  // (margin 80 + PnL at 104 of 20·2). Water-filling counts that cash, so the second round
  // continues from λ = 7.14 and the event ends at the one-round allocation of 40:
  // S1 2350/59, S2 10/59 (λ = 100·(60 − 20)/(1420 − 80) = 200/67 in the second round).
  Waterfall wf = adlOnly(AdlRanking::WaterFilling);
  wf.startEvent();
  auto book = oracleBook();
  std::vector<AdlFill> fills;
  wf.cover(80, pos("bk1", Side::Long, 20, 108, 80), 100, book, fills);
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_DOUBLE_EQ(fills[0].quantity, 20);
  EXPECT_NEAR(wf.adlLedger().released().at("S1"), 80 + 20 * 2, 1e-12);
  wf.cover(80, pos("bk2", Side::Long, 20, 108, 80), 100, book, fills);
  double s1 = 0, s2 = 0;
  for (const auto& f : fills) (f.id == "S1" ? s1 : s2) += f.quantity;
  EXPECT_NEAR(s1, 2350.0 / 59, 1e-11);
  EXPECT_NEAR(s2, 10.0 / 59, 1e-11);
  const AdlSummary s = wf.adlLedger().summary(AdlRanking::WaterFilling, book, Contract::Linear);
  EXPECT_NEAR(s.maxLeverageAfter, 200.0 / 67, 1e-12);
  EXPECT_NEAR(s.quantity, 40, 1e-12);
  // A new event starts a new ledger.
  wf.startEvent();
  EXPECT_TRUE(wf.adlLedger().empty());
}
