// replay: one step equals stress, money is conserved along long paths, a two-step case and an
// intra-interval fill derived by hand, the CSV reader's errors; stress revalues fund.composition.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "backstop/io/scenario_reader.hpp"
#include "backstop/io/api.hpp"
#include "backstop/replay/replay.hpp"
#include "backstop/stress/stress.hpp"

using namespace backstop;

namespace {

Json readJson(const std::string& rel) {
  std::ifstream f(std::string(BACKSTOP_SOURCE_DIR) + "/" + rel);
  std::stringstream ss;
  ss << f.rdbuf();
  return parseJsonText(ss.str());
}

const char* kSingleMarket[] = {"default", "btc-large-venue", "dex-midcap", "drift-sol", "gmx-eth-pool", "meme-thin",
                               "token-fund"};

void expectNear(double a, double b, const std::string& what) {
  EXPECT_NEAR(a, b, 1e-12 * std::max(1.0, std::fabs(b))) << what;
}

void expectSplitNear(const WaterfallSplit& a, const WaterfallSplit& b, const std::string& what) {
  expectNear(a.insuranceFund, b.insuranceFund, what + " insurance_fund");
  expectNear(a.treasury, b.treasury, what + " treasury");
  expectNear(a.feePool, b.feePool, what + " fee_pool");
  expectNear(a.backstopVault, b.backstopVault, what + " backstop_vault");
  expectNear(a.adl, b.adl, what + " adl");
  expectNear(a.socializedLoss, b.socializedLoss, what + " socialized_loss");
  expectNear(a.uncovered, b.uncovered, what + " uncovered");
}

// A deterministic path with crashes and rebounds (a test input, not market data): a fixed-seed
// LCG random walk with daily moves up to ±12 % and candle ranges around each close.
PricePath longPath(double p0, int n, bool ranges) {
  PricePath path;
  unsigned long long state = 12345;
  auto u = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return double(state >> 11) / 9007199254740992.0;
  };
  double p = p0;
  for (int i = 0; i < n; ++i) {
    PathPoint pt;
    pt.tDays = i + 1;
    const double prev = p;
    p *= std::exp(0.24 * (u() - 0.5) - (i % 17 == 5 ? 0.25 : 0.0));
    pt.close = p;
    if (ranges) {
      pt.high = std::max(prev, p) * (1 + 0.05 * u());
      pt.low = std::min(prev, p) * (1 - 0.05 * u());
    }
    path.points.push_back(pt);
  }
  return path;
}

}  // namespace

TEST(Replay, OneRowPathIsStressEventForEveryShippedScenario) {
  for (const char* name : kSingleMarket) {
    Json doc = readJson(std::string("scenarios/") + name + ".json");
    doc["fund"]["fee_share"] = 0.0;  // no fee inflow: the step is the stress event
    ScenarioNeeds needs;
    needs.stress = true;
    const Scenario s = loadScenario(doc, needs);
    for (double shock : s.stress.shocks) {
      const StressEvent e = runShock(s, shock);
      PricePath path;
      path.points.push_back({1.0, s.market().markPrice * (1.0 + shock), std::nullopt, std::nullopt});
      const ReplayResult r = runReplay(s, path);
      ASSERT_EQ(r.steps.size(), 1u);
      const ReplayStep& st = r.steps[0];
      const std::string what = std::string(name) + " shock " + std::to_string(shock);
      EXPECT_EQ(st.feeInflow, 0.0) << what;
      expectNear(st.liquidatedNotional, e.liquidatedNotional, what + " liquidated_notional");
      expectNear(st.badDebt, e.badDebt, what + " bad_debt");
      expectNear(st.penaltiesToFund, e.penaltiesToFund, what + " penalties_to_fund");
      expectSplitNear(st.waterfall, e.waterfall, what);
      expectNear(st.fundAfter, e.fundAfter, what + " fund_after");
      expectNear(st.vaultAfter, e.vaultAfter, what + " vault_after");
      expectNear(st.treasuryAfter, e.treasuryAfter, what + " treasury_after");
      int liquidated = 0;
      for (const auto& p : e.positions) liquidated += p.liquidated;
      EXPECT_EQ(st.liquidations, liquidated) << what;
    }
  }
}

TEST(Replay, OneRowPathThroughTheJsonEdgeEqualsStressEventFields) {
  Json doc = readJson("scenarios/dex-midcap.json");
  doc["fund"]["fee_share"] = 0.0;
  const double p0 = doc["market"]["mark_price"].get<double>();
  const Json stress = dispatch("stress", doc, RunOptions{});
  for (const Json& ev : stress["events"]) {
    Json one = doc;
    one["replay"] = {{"close", {p0 * (1.0 + ev["shock"].get<double>())}}};
    const Json r = dispatch("replay", Json{{"scenario", one}}, RunOptions{});
    const Json& st = r["steps"][0];
    for (const char* k : {"liquidated_notional", "bad_debt", "penalties_to_fund", "fund_after", "vault_after",
                          "treasury_after"})
      EXPECT_NEAR(st[k].get<double>(), ev[k].get<double>(), 1e-12 * std::max(1.0, std::fabs(ev[k].get<double>()))) << k;
    for (auto it = ev["waterfall"].begin(); it != ev["waterfall"].end(); ++it)
      EXPECT_NEAR(st["waterfall"][it.key()].get<double>(), it->get<double>(), 1e-12 * std::max(1.0, it->get<double>()))
          << it.key();
    EXPECT_EQ(r["totals"]["bad_debt"], st["bad_debt"]);
  }
}

// Conservation: per step and in total, bad debt = Σ stages + uncovered; the fund moves only by
// revaluation, fee inflow, penalties and what it pays.
TEST(Replay, MoneyIsConservedOnLongPaths) {
  for (const char* name : kSingleMarket) {
    for (bool ranges : {false, true}) {
      const Scenario s = loadScenario(readJson(std::string("scenarios/") + name + ".json"), ScenarioNeeds{});
      const ReplayResult r = runReplay(s, longPath(s.market().markPrice, 400, ranges));
      const std::string what = std::string(name) + (ranges ? " (high/low)" : " (closes)");
      double fund = r.fundBefore, debt = 0, fundMin = r.fundBefore;
      WaterfallSplit sum;
      int liquidations = 0;
      for (const auto& st : r.steps) {
        const double scale = std::max(1.0, st.badDebt);
        EXPECT_NEAR(st.waterfall.total(), st.badDebt, 1e-9 * scale) << what << " day " << st.tDays;
        const double expected = fund + st.revaluation + st.feeInflow + st.penaltiesToFund - st.waterfall.insuranceFund;
        EXPECT_NEAR(st.fundAfter, expected, 1e-9 * std::max(1.0, fund + st.feeInflow + st.penaltiesToFund))
            << what << " day " << st.tDays;
        EXPECT_GE(st.fundAfter, -1e-9) << what;
        fund = st.fundAfter;
        fundMin = std::min(fundMin, fund);
        debt += st.badDebt;
        sum += st.waterfall;
        liquidations += st.liquidations;
      }
      EXPECT_GT(liquidations, 0) << what << ": the path must exercise the engine";
      EXPECT_NEAR(r.totals.badDebt, debt, 1e-9 * std::max(1.0, debt)) << what;
      EXPECT_NEAR(r.totals.waterfall.total(), r.totals.badDebt, 1e-9 * std::max(1.0, debt)) << what;
      EXPECT_NEAR(r.totals.waterfall.adl, sum.adl, 1e-9 * std::max(1.0, debt)) << what;
      EXPECT_DOUBLE_EQ(r.totals.fundAfter, fund) << what;
      EXPECT_DOUBLE_EQ(r.totals.fundMin, fundMin) << what;
    }
  }
}

namespace {
// Generic venue, no impact, 5 % maintenance, 1 % penalty to the fund; fees of 1 per day to the fund.
Json handBook() {
  return Json::parse(R"({
    "schema": "backstop/scenario@1",
    "market": {"symbol": "T", "mark_price": 100, "maintenance_margin_rate": 0.05, "taker_fee_rate": 0.001,
               "daily_volume": 10000, "liquidity": {"model": "none"}},
    "book": {"positions": [
      {"id": "L1", "side": "long", "quantity": 1, "entry_price": 100, "collateral": 10},
      {"id": "L2", "side": "long", "quantity": 1, "entry_price": 100, "collateral": 8},
      {"id": "S", "side": "short", "quantity": 2, "entry_price": 100, "collateral": 100}]},
    "fund": {"balance": 3, "fee_share": 0.1},
    "policy": {"preset": "generic", "penalty": {"mode": "fee_rate", "rate": 0.01, "to_fund": 1},
               "stages": ["insurance_fund", "adl"]}
  })");
}
}  // namespace

// Day 1 closes at 96: L2 (liquidation price 92/0.95 = 96.84) closes at 96 with equity 8 − 4 = 4,
// penalty min(4, 0.01·96) = 0.96 to the fund: 3 + 1 (fees) + 0.96 = 4.96.
// Day 2 closes at 80: L1 (liquidation price 90/0.95) closes at 80 with equity 10 − 20 = −10;
// the fund holds 4.96 + 1 = 5.96 and pays it all; ADL (S, profit 40) covers 4.04.
TEST(Replay, TwoStepCaseByHand) {
  const Scenario s = loadScenario(handBook(), ScenarioNeeds{});
  const ReplayResult r = runReplay(s, pricePathFromArrays({96, 80}, {}, {}, 1.0, "/replay"));
  ASSERT_EQ(r.steps.size(), 2u);
  const ReplayStep& a = r.steps[0];
  EXPECT_DOUBLE_EQ(a.feeInflow, 1.0);
  EXPECT_DOUBLE_EQ(a.liquidatedNotional, 96.0);
  EXPECT_DOUBLE_EQ(a.penaltiesToFund, 0.96);
  EXPECT_DOUBLE_EQ(a.badDebt, 0.0);
  EXPECT_DOUBLE_EQ(a.fundAfter, 4.96);
  EXPECT_EQ(a.liquidations, 1);
  const ReplayStep& b = r.steps[1];
  EXPECT_DOUBLE_EQ(b.tDays, 2.0);
  EXPECT_DOUBLE_EQ(b.liquidatedNotional, 80.0);
  EXPECT_DOUBLE_EQ(b.badDebt, 10.0);
  EXPECT_NEAR(b.waterfall.insuranceFund, 5.96, 1e-12);
  EXPECT_NEAR(b.waterfall.adl, 4.04, 1e-12);
  EXPECT_EQ(b.waterfall.uncovered, 0.0);
  EXPECT_NEAR(b.fundAfter, 0.0, 1e-12);
  EXPECT_DOUBLE_EQ(r.totals.badDebt, 10.0);
  EXPECT_DOUBLE_EQ(r.totals.liquidatedNotional, 176.0);
  EXPECT_NEAR(r.totals.fundMin, 0.0, 1e-12);
  EXPECT_TRUE(r.totals.depleted);
  ASSERT_TRUE(r.totals.depletedAtDays.has_value());
  EXPECT_DOUBLE_EQ(*r.totals.depletedAtDays, 2.0);
}

// A candle whose low reaches L2's level liquidates it there, not at the close: at 92/0.95 the
// penalty is 0.01·92/0.95; with closes only, 98 liquidates nothing.
TEST(Replay, CandleRangeLiquidatesAtTheLevel) {
  const Scenario s = loadScenario(handBook(), ScenarioNeeds{});
  const double level = 92.0 / 0.95;
  const ReplayResult withRange = runReplay(s, pricePathFromArrays({98}, {101}, {96}, 1.0, "/replay"));
  EXPECT_EQ(withRange.steps[0].liquidations, 1);
  EXPECT_NEAR(withRange.steps[0].liquidatedNotional, level, 1e-12);
  EXPECT_NEAR(withRange.steps[0].penaltiesToFund, 0.01 * level, 1e-14);
  const ReplayResult closes = runReplay(s, pricePathFromArrays({98}, {}, {}, 1.0, "/replay"));
  EXPECT_EQ(closes.steps[0].liquidations, 0);
  EXPECT_EQ(closes.steps[0].penaltiesToFund, 0.0);
}

// stress revalues what the fund holds: token-fund.json is 50 % quote, 50 % a token with beta 1.5,
// so at −30 % the fund is worth 3e6 · (0.5 + 0.5 · 0.7^1.5) = 2,378,493.03 (log-linear beta).
TEST(Replay, StressRevaluesTheFundsTokenHolding) {
  ScenarioNeeds needs;
  needs.stress = true;
  const Scenario s = loadScenario(readJson("scenarios/token-fund.json"), needs);
  const StressEvent e = runShock(s, -0.3);
  const double worth = 3e6 * (0.5 + 0.5 * std::pow(0.7, 1.5));
  EXPECT_NEAR(worth, 2378493.03, 0.01);
  EXPECT_GT(e.waterfall.adl, 0.0);  // the fund is exhausted
  EXPECT_NEAR(e.waterfall.insuranceFund, worth + e.penaltiesToFund, 1e-6);
  EXPECT_LT(e.waterfall.insuranceFund, 3e6 - 5e5);
  // Up 30 %: the token is worth 1.3^1.5, so the fund pays more than it held.
  const StressEvent up = runShock(s, 0.3);
  EXPECT_NEAR(up.waterfall.insuranceFund, 3e6 * (0.5 + 0.5 * std::pow(1.3, 1.5)) + up.penaltiesToFund, 1e-6);
}

TEST(Replay, CsvTimesAndColumns) {
  const PricePath p = readPricePath("Date,Open,High,Low,Close\n2020-03-11,1,9,7,8\n2020-03-12,8,8.5,4,5\n"
                                    "2020-03-14,5,6,4.5,5.5\n",
                                    std::nullopt);
  ASSERT_EQ(p.points.size(), 3u);
  EXPECT_DOUBLE_EQ(p.points[0].tDays, 1.0);
  EXPECT_DOUBLE_EQ(p.points[1].tDays, 2.0);
  EXPECT_DOUBLE_EQ(p.points[2].tDays, 4.0);
  EXPECT_DOUBLE_EQ(*p.points[1].low, 4.0);
  const PricePath q = readPricePath("# comment\nPRICE\n10\n\n11\n", 0.5);
  ASSERT_EQ(q.points.size(), 2u);
  EXPECT_DOUBLE_EQ(q.points[1].tDays, 1.0);
  EXPECT_FALSE(q.points[0].high.has_value());
}

TEST(Replay, CsvErrorsNameTheLine) {
  auto message = [](const std::string& csv) {
    try {
      readPricePath(csv, std::nullopt);
    } catch (const InputError& e) {
      return e.errors().at(0).pointer + ": " + e.errors().at(0).message;
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("time,open\n1,2\n"),
            "/csv: line 1: the header \"time,open\" has no price column: name it \"close\" or \"price\"");
  EXPECT_EQ(message("close\n10\nabc\n"), "/csv: line 3: price \"abc\" is not a number");
  EXPECT_EQ(message("close\n10\n-1\n"), "/csv: line 3: price \"-1\" must be positive");
  EXPECT_EQ(message("close\n10\n2e12\n"), "/csv: line 3: close must be a price in [1e-12, 1e12], got 2e+12");
  EXPECT_EQ(message("close,high,low\n10,x,9\n"), "/csv: line 2: high \"x\" is not a number");
  EXPECT_EQ(message("close,high\n1,2\n"), "/csv: line 1: give both high and low columns, or neither");
  EXPECT_EQ(message("close,high,low\n10,11,10.5\n"),
            "/csv: line 2: needs low <= close <= high, got low 10.5, close 10, high 11");
  EXPECT_EQ(message("date,close\n2020-01-02,1\n2020-01-01,1\n"),
            "/csv: line 3: date \"2020-01-01\" is not after the previous row's (line 2): sort the rows oldest first, "
            "without duplicates");
  EXPECT_EQ(message("close,x\n1\n"), "/csv: line 2: has 1 field, the header has 2");
  EXPECT_EQ(message("close,Close\n1,1\n"), "/csv: line 1: column \"Close\" appears twice");
  EXPECT_EQ(message("close\n"), "/csv: has a header but no price rows");
  EXPECT_EQ(message(""), "/csv: is empty: expected a header row with a \"close\" or \"price\" column, then one row per price");
  EXPECT_EQ(message("close\nnan\n"), "/csv: line 2: price \"nan\" is not a number");
}
