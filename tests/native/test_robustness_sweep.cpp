// A seeded sweep of random valid scenarios (every preset, price model, contract, liquidity
// model and book kind) through stress and a tiny simulate: probabilities stay in [0, 1], the
// waterfall conserves money, and no NaN or infinity reaches any output.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "backstop/io/api.hpp"

using backstop::Json;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr int kScenarios = 400;  // ASan+UBSan runs ~10x slower: fewer, same checks
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr int kScenarios = 400;
#else
constexpr int kScenarios = 2500;
#endif
#else
constexpr int kScenarios = 2500;
#endif

struct Gen {
  std::mt19937_64 rng;
  double u(double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng); }
  double logU(double a, double b) { return std::exp(u(std::log(a), std::log(b))); }
  int i(int a, int b) { return std::uniform_int_distribution<int>(a, b)(rng); }
  bool coin(double p = 0.5) { return u(0, 1) < p; }
  template <class T>
  const T& pick(std::initializer_list<T> xs) { return *(xs.begin() + i(0, int(xs.size()) - 1)); }

  Json scenario() {
    const double mark = logU(1e-3, 1e6), mmr = logU(1e-3, 0.2);
    const bool inverse = coin(0.2);
    Json market = {{"symbol", pick<const char*>({"BTC-PERP", "ETH-PERP", "MEME"})},
                   {"contract", inverse ? "inverse" : "linear"},
                   {"mark_price", mark},
                   {"maintenance_margin_rate", mmr},
                   {"taker_fee_rate", u(0, 0.002)},
                   {"daily_volume", logU(1e3, 1e11)}};
    const std::string liq = pick<const char*>({"none", "linear", "sqrt"});
    market["liquidity"] = {{"model", liq}, {"depth_1pct", logU(1e2, 1e9)}, {"permanent_impact", u(0, 1)}};
    if (liq == "sqrt") market["liquidity"]["impact_coefficient"] = u(0, 3);

    Json book = Json::object();
    const bool synthetic = coin(0.7), explicitBook = !synthetic || coin(0.3);
    if (synthetic) {
      book["open_interest"] = logU(1e3, 1e12);
      const int n = i(1, 6);
      Json lev = Json::array();
      double left = 1;
      for (int k = 0; k < n; ++k) {
        const double maxLev = std::min(1000.0, 0.99 / mmr);  // 1/leverage must stay above mmr
        const double share = k + 1 == n ? left : left * u(0, 1);
        left -= share;
        lev.push_back({{"leverage", u(1, std::max(1.01, maxLev))}, {"share", share}});
      }
      book["leverage"] = lev;
      book["turnover_per_day"] = u(0, 2);
      book["warmup_days"] = coin(0.3) ? u(0, 1) : 0.0;
    }
    if (explicitBook) {
      Json pos = Json::array();
      const int n = i(1, 12);
      for (int k = 0; k < n; ++k) {
        const double entry = mark * u(0.6, 1.4), qty = logU(1e-3, 1e4);
        const double notional = inverse ? qty / entry * entry : qty * entry;
        pos.push_back({{"id", "p" + std::to_string(k)}, {"side", coin() ? "long" : "short"}, {"quantity", qty},
                       {"entry_price", entry}, {"collateral", notional * logU(1e-3, 2) / (inverse ? entry : 1)}});
      }
      book["positions"] = pos;
    }
    Json fund = {{"balance", coin(0.1) ? 0.0 : logU(1, 1e10)}, {"fee_share", u(0, 1)}, {"backstop_vault", coin() ? 0.0 : logU(1, 1e9)}};
    if (coin(0.2)) fund["max_draw_fraction_per_event"] = u(0.01, 1);
    if (coin(0.1)) fund["floor"] = logU(1, 1e4);
    Json policy = {{"preset", pick<const char*>({"generic", "bitmex", "binance", "dydx_v4", "hyperliquid", "drift", "gmx_v2"})}};
    if (coin(0.3)) policy["adl_ranking"] = pick<const char*>({"pnl_times_leverage", "binance_leverage_pnl", "hyperliquid_index", "pnl", "pro_rata", "random"});
    if (coin(0.3)) policy["socialize_over"] = pick<const char*>({"profitable_pnl", "per_contract", "all_collateral"});
    if (coin(0.2)) policy["adl_trigger"] = {{"kind", "drawdown"}, {"fraction", u(0.01, 1)}, {"window_hours", u(0.5, 48)}};
    if (coin(0.2)) policy["fund_coverage"] = coin() ? "partial" : "all_or_nothing";
    if (coin(0.3)) policy["penalty"] = {{"mode", coin() ? "fee_rate" : "remaining_margin"}, {"rate", u(0, 0.05)}, {"to_fund", u(0, 1)}};

    const std::string kind = pick<const char*>({"gbm", "student_t", "merton", "garch", "bootstrap"});
    Json model = {{"kind", kind}};
    if (kind == "gbm" || kind == "student_t" || kind == "merton") model["daily_volatility"] = logU(1e-4, 0.3);
    if (kind == "student_t") model["dof"] = u(2.1, 30);
    if (kind == "merton") {
      model["jump_intensity_per_year"] = u(0, 100);
      model["jump_mean"] = u(-0.3, 0.3);
      model["jump_stdev"] = u(0, 0.3);
    }
    if (kind == "garch") {
      const double a = u(0, 0.3);
      model["omega"] = logU(1e-7, 1e-3);
      model["alpha"] = a;
      model["beta"] = u(0, 0.99 - a);
    }
    if (kind == "bootstrap") {
      Json r = Json::array();
      for (int k = i(2, 40); k > 0; --k) r.push_back(u(-0.3, 0.3));
      model["returns"] = r;
      model["block_days"] = 1;
    }
    Json shocks = Json::array();
    for (int k = i(1, 5); k > 0; --k) shocks.push_back(u(-0.95, 2));
    return {{"schema", "backstop/scenario@1"}, {"market", market}, {"book", book}, {"fund", fund},
            {"policy", policy}, {"price_model", model}, {"stress", {{"shocks", shocks}}},
            {"simulation", {{"horizon_days", i(1, 3)}, {"steps_per_day", i(1, 6)}, {"paths", i(4, 24)},
                            {"seed", i(0, 1000000)}, {"target_depletion_probability", u(0.001, 0.5)}}}};
  }
};

// Every number finite (outputs use null where a value does not exist).
int countNonFinite(const Json& j) {
  if (j.is_number()) return std::isfinite(j.get<double>()) ? 0 : 1;
  int n = 0;
  if (j.is_structured())
    for (const auto& v : j) n += countNonFinite(v);
  return n;
}

// With SWEEP_DUMP=file, each scenario is written there first: a crash leaves it behind.
void keepForCrash(const Json& s) {
  if (const char* dump = std::getenv("SWEEP_DUMP")) {
    FILE* f = std::fopen(dump, "w");
    std::fputs(s.dump().c_str(), f);
    std::fclose(f);
  }
}

bool inUnit(const Json& v) { return v.is_number() && v.get<double>() >= 0 && v.get<double>() <= 1; }

}  // namespace

TEST(RobustnessSweep, RandomValidScenariosKeepProbabilitiesMoneyAndNumbersSane) {
  Gen g{std::mt19937_64(20240607)};
  int simulated = 0, stressed = 0, events = 0;
  for (int n = 0; n < kScenarios; ++n) {
    const Json s = g.scenario();
    SCOPED_TRACE(s.dump());
    keepForCrash(s);
    const Json v = backstop::dispatch("validate", s, {});
    ASSERT_TRUE(v["valid"].get<bool>()) << v.dump();

    const Json st = backstop::dispatch("stress", s, {});
    ++stressed;
    ASSERT_EQ(countNonFinite(st), 0);
    for (const auto& e : st["events"]) {
      ++events;
      const auto& w = e["waterfall"];
      const double bad = e["bad_debt"].get<double>();
      double parts = 0;
      // Every stage, the fee pool too (Drift's insurance-fund fees land there within the event).
      for (const char* k : {"insurance_fund", "treasury", "fee_pool", "backstop_vault", "adl", "socialized_loss", "uncovered"}) {
        EXPECT_GE(w[k].get<double>(), 0.0) << k;
        parts += w[k].get<double>();
      }
      const double scale = std::max(1.0, bad + s["fund"]["balance"].get<double>() + e["penalties_to_fund"].get<double>());
      // Money is conserved: every unit of bad debt lands in exactly one stage ...
      EXPECT_NEAR(parts, bad, 1e-9 * scale);
      // ... and the fund moves only by what it paid and the penalties it received.
      EXPECT_NEAR(e["fund_after"].get<double>(),
                  s["fund"]["balance"].get<double>() + e["penalties_to_fund"].get<double>() - w["insurance_fund"].get<double>(),
                  1e-9 * scale);
      EXPECT_GE(e["fund_after"].get<double>(), 0.0);
      double adl = 0;
      for (const auto& f : e["adl_fills"]) adl += f["loss"].get<double>();
      if (!e["adl_fills"].empty()) EXPECT_NEAR(adl, w["adl"].get<double>(), 1e-9 * scale);
    }

    const Json r = backstop::dispatch("simulate", s, {});
    ++simulated;
    ASSERT_EQ(countNonFinite(r), 0);
    const auto& dp = r["depletion_probability"];
    EXPECT_TRUE(inUnit(dp["estimate"]));
    EXPECT_TRUE(inUnit(dp["ci95"][0]) && inUnit(dp["ci95"][1]));
    EXPECT_LE(dp["ci95"][0].get<double>(), dp["estimate"].get<double>());
    EXPECT_GE(dp["ci95"][1].get<double>(), dp["estimate"].get<double>());
    EXPECT_TRUE(inUnit(r["adl_probability"]));
    double last = 1;
    for (const auto& c : r["curve"]) {
      EXPECT_TRUE(inUnit(c["probability"]));
      EXPECT_LE(c["probability"].get<double>(), last + 1e-12);  // a larger fund is never depleted more often
      last = c["probability"].get<double>();
    }
    const auto& bd = r["bad_debt"];
    EXPECT_GE(bd["mean"].get<double>(), 0.0);
    EXPECT_LE(bd["var95"].get<double>(), bd["var99"].get<double>());
    EXPECT_GE(bd["es95"].get<double>(), bd["var95"].get<double>() * (1 - 1e-12));
    const auto& q = r["fund_quantiles"];
    for (size_t d = 0; d < q["days"].size(); ++d) {
      EXPECT_LE(q["p05"][d].get<double>(), q["p50"][d].get<double>());
      EXPECT_LE(q["p50"][d].get<double>(), q["p95"][d].get<double>());
      EXPECT_GE(q["p05"][d].get<double>(), 0.0);
    }
  }
  EXPECT_EQ(simulated, kScenarios);
  EXPECT_EQ(stressed, kScenarios);
  EXPECT_GE(events, kScenarios);
}

namespace {

// docs/model.md (several markets, one fund) documents: 2-4 linear markets from the single-market generator, a random
// correlation C = D·B·Bᵀ·D (PSD by construction), optional common jumps, shared or
// per-market funds, a random composition and treasury.
Json multiMarketScenario(Gen& g) {
  const int n = g.i(2, 4);
  Json markets = Json::array();
  std::vector<bool> boot;
  for (int k = 0; k < n; ++k) {
    Json one = g.scenario();
    one["market"]["contract"] = "linear";
    one["market"]["symbol"] = "M" + std::to_string(k);
    if (one["book"].contains("positions"))  // collateral was drawn for the contract type: redraw as linear
      for (auto& p : one["book"]["positions"])
        p["collateral"] = p["quantity"].get<double>() * p["entry_price"].get<double>() * g.logU(1e-3, 2);
    boot.push_back(one["price_model"]["kind"] == "bootstrap");
    markets.push_back({{"market", one["market"]}, {"book", one["book"]}, {"price_model", one["price_model"]}});
  }
  std::vector<std::vector<double>> b(size_t(n), std::vector<double>(3));
  for (auto& row : b)
    for (double& x : row) x = g.u(-1, 1);
  Json corr = Json::array();
  for (int i = 0; i < n; ++i) {
    Json row = Json::array();
    for (int j = 0; j < n; ++j) {
      double c = 0, ni = 0, nj = 0;
      for (int k = 0; k < 3; ++k) {
        c += b[size_t(i)][size_t(k)] * b[size_t(j)][size_t(k)];
        ni += b[size_t(i)][size_t(k)] * b[size_t(i)][size_t(k)];
        nj += b[size_t(j)][size_t(k)] * b[size_t(j)][size_t(k)];
      }
      c /= std::sqrt(ni * nj);
      if (i == j) c = 1;
      else if (boot[size_t(i)] || boot[size_t(j)]) c = 0;  // replayed history cannot be correlated
      row.push_back(i == j ? 1.0 : std::round(c * 1e6) / 1e6 * 0.999);  // shrunk off-diagonal: stays PSD
    }
    corr.push_back(row);
  }
  const bool perMarket = g.coin();
  Json fund = {{"balance", g.logU(1, 1e10)}, {"fee_share", g.u(0, 1)}, {"scope", perMarket ? "per_market" : "shared"}};
  if (perMarket)
    for (auto& m : markets) m["fund"] = {{"balance", g.coin(0.1) ? 0.0 : g.logU(1, 1e9)}};
  if (g.coin(0.5)) {
    const double a = g.u(0, 1), c = g.u(0, 1 - a);
    fund["composition"] = {{{"asset", "quote"}, {"share", 1 - a - c}},
                           {{"asset", "underlying"}, {"share", a}, {"market", g.i(0, n - 1)}},
                           {{"asset", "token"}, {"share", c}, {"daily_volatility", g.u(0, 0.2)}, {"beta", g.u(-2, 3)}}};
  }
  if (g.coin(0.5)) fund["treasury"] = {{"amount", g.logU(1, 1e9)}, {"delay_days", g.coin() ? 0.0 : g.u(0, 3)}};
  Json doc = {{"schema", "backstop/scenario@1"}, {"markets", markets}, {"correlation", corr}, {"fund", fund},
              {"policy", {{"preset", g.pick<const char*>({"generic", "bitmex", "binance", "hyperliquid", "drift"})}}},
              {"stress", {{"shocks", {g.u(-0.9, 1)}}}},
              {"simulation", {{"horizon_days", g.i(1, 3)}, {"steps_per_day", g.i(1, 6)}, {"paths", g.i(4, 24)},
                              {"seed", g.i(0, 1000000)}, {"target_depletion_probability", g.u(0.001, 0.5)}}}};
  if (g.coin(0.4))
    doc["common_jumps"] = {{"intensity_per_year", g.u(0, 200)}, {"mean", g.u(-0.3, 0.1)}, {"stdev", g.u(0, 0.2)}};
  return doc;
}

}  // namespace

TEST(RobustnessSweep, RandomMultiMarketScenariosKeepProbabilitiesMoneyAndNumbersSane) {
  Gen g{std::mt19937_64(20261124)};
  const int count = kScenarios / 5;
  int withDebt = 0;
  for (int n = 0; n < count; ++n) {
    const Json s = multiMarketScenario(g);
    SCOPED_TRACE(s.dump());
    keepForCrash(s);
    const Json v = backstop::dispatch("validate", s, {});
    ASSERT_TRUE(v["valid"].get<bool>()) << v.dump();
    const Json st = backstop::dispatch("stress", s, {});
    ASSERT_EQ(countNonFinite(st), 0);
    for (const auto& e : st["events"]) {
      double parts = 0, perMarket = 0;
      for (auto it = e["waterfall"].begin(); it != e["waterfall"].end(); ++it) parts += it->get<double>();
      for (const auto& m : e["markets"]) perMarket += m["bad_debt"].get<double>();
      const double bad = e["bad_debt"].get<double>(), scale = std::max(1.0, bad);
      EXPECT_NEAR(parts, bad, 1e-9 * scale);  // every stage counted once, across markets
      EXPECT_NEAR(perMarket, bad, 1e-9 * scale);
      EXPECT_GE(e["fund_after"].get<double>(), 0.0);
    }
    const Json r = backstop::dispatch("simulate", s, {});
    ASSERT_EQ(countNonFinite(r), 0);
    EXPECT_TRUE(inUnit(r["depletion_probability"]["estimate"]));
    EXPECT_TRUE(inUnit(r["adl_probability"]));
    EXPECT_TRUE(inUnit(r["independent_markets_depletion_probability"]));
    double last = 1, sum = 0;
    for (const auto& c : r["curve"]) {
      EXPECT_TRUE(inUnit(c["probability"]));
      EXPECT_LE(c["probability"].get<double>(), last + 1e-12);
      last = c["probability"].get<double>();
    }
    ASSERT_EQ(r["markets"].size(), s["markets"].size());
    for (const auto& m : r["markets"]) {
      EXPECT_TRUE(inUnit(m["depletion_probability"]["estimate"]));
      EXPECT_TRUE(inUnit(m["liquidation_probability"]["estimate"]));
      sum += m["bad_debt"]["mean"].get<double>();
    }
    // The markets' bad debt adds up to the total, path by path and so in the mean.
    EXPECT_NEAR(sum, r["bad_debt"]["mean"].get<double>(), 1e-9 * std::max(1.0, sum));
    withDebt += sum > 0;
  }
  EXPECT_GT(withDebt, count / 10) << "the generator should reach bad debt often";
}
