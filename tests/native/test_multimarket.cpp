// docs/model.md (several markets, one fund): several markets on one fund, what the fund holds, a treasury behind it. Checked
// against exact pathwise consequences, closed forms and (where only statistics can speak)
// standard-error bounds on fixed seeds.
#include <gtest/gtest.h>

#include <cmath>

#include "backstop/io/commands.hpp"
#include "backstop/io/scenario_reader.hpp"
#include "backstop/io/api.hpp"
#include "backstop/model/scenario.hpp"
#include "backstop/simulation/simulation.hpp"

using namespace backstop;

namespace {

Json marketEntry(const std::string& symbol, double vol) {
  return {{"market", {{"symbol", symbol}, {"mark_price", 100}, {"maintenance_margin_rate", 0.01}, {"taker_fee_rate", 0.0},
                      {"daily_volume", 1e8}, {"liquidity", {{"model", "linear"}, {"depth_1pct", 5e7}}}}},
          {"book", {{"open_interest", 5e7}, {"leverage", Json::array({{{"leverage", 5}, {"share", 0.5}},
                                                                     {{"leverage", 25}, {"share", 0.5}}})},
                    {"turnover_per_day", 0.5}}},
          {"price_model", {{"kind", "merton"}, {"daily_volatility", vol}, {"jump_intensity_per_year", 15},
                           {"jump_mean", -0.04}, {"jump_stdev", 0.06}}}};
}

// Two identical markets, no fee inflow and no penalty to the fund: S_k only grows.
Json twoMarkets(double rho, long long paths) {
  return {{"schema", "backstop/scenario@1"},
          {"markets", {marketEntry("A", 0.04), marketEntry("B", 0.04)}},
          {"correlation", {{1, rho}, {rho, 1}}},
          {"fund", {{"balance", 1.5e6}, {"fee_share", 0}}},
          {"policy", {{"penalty", {{"mode", "fee_rate"}, {"rate", 0.0}, {"to_fund", 0}}}}},
          {"simulation", {{"horizon_days", 10}, {"steps_per_day", 6}, {"paths", paths}, {"seed", 3},
                          {"target_depletion_probability", 0.05}}}};
}

// The first market of a multi-market document as a single-market scenario.
Json firstMarketOnly(Json doc) {
  const Json one = doc["markets"][0];
  doc.erase("markets");
  doc.erase("correlation");
  doc["market"] = one["market"];
  doc["book"] = one["book"];
  doc["price_model"] = one["price_model"];
  return doc;
}

Scenario load(const Json& doc) {
  ScenarioNeeds needs;
  needs.priceModel = true;
  return loadScenario(doc, needs);
}

RunOptions twoThreads() {
  RunOptions o;
  o.threads = 2;
  return o;
}

double est(const Json& r) { return r["depletion_probability"]["estimate"].get<double>(); }

}  // namespace

// Identical GBM markets: at correlation 1 nothing is idiosyncratic.
Json twoGbmMarkets(double rho, long long paths) {
  Json d = twoMarkets(rho, paths);
  for (auto& m : d["markets"]) {
    m["price_model"] = {{"kind", "gbm"}, {"daily_volatility", 0.06}};
    m["market"]["liquidity"]["depth_1pct"] = 1e7;  // thinner: a diffusion alone makes bad debt
  }
  return d;
}

TEST(MultiMarket, CorrelationOneIdenticalMarketsDoubleTheBadDebtPathByPath) {
  const Scenario s = load(twoGbmMarkets(1.0, 400));
  const PathBatch b = simulatePaths(s, 0, 400, 1);
  ASSERT_EQ(b.markets, 2);
  double any = 0;
  for (size_t k = 0; k < 400; ++k) {
    const double a = b.marketBadDebt[2 * k], c = b.marketBadDebt[2 * k + 1];
    ASSERT_EQ(a, c) << "path " << k;  // same shocks, same extremes, same book: the same losses
    EXPECT_NEAR(b.badDebt[k], 2 * a, 1e-9 * std::max(1.0, a));
    any += a > 0;
  }
  EXPECT_GT(any, 20) << "the scenario should produce bad debt on some paths";
  // Against one market alone (its own streams): the mean doubles within the standard errors.
  const Json single = firstMarketOnly(twoGbmMarkets(1.0, 4000));
  const PathBatch b1 = simulatePaths(load(single), 0, 4000, 2);
  const PathBatch b2 = simulatePaths(load(twoGbmMarkets(1.0, 4000)), 0, 4000, 2);
  auto meanSe = [](const std::vector<double>& v) {
    double m = 0, ss = 0;
    for (double x : v) m += x;
    m /= double(v.size());
    for (double x : v) ss += (x - m) * (x - m);
    return std::pair<double, double>{m, std::sqrt(ss / double(v.size() - 1) / double(v.size()))};
  };
  const auto [m1, se1] = meanSe(b1.badDebt);
  const auto [m2, se2] = meanSe(b2.badDebt);
  EXPECT_NEAR(m2, 2 * m1, 4 * std::sqrt(se2 * se2 + 4 * se1 * se1)) << m1 << " " << m2;
}

TEST(MultiMarket, IndependentMarketsSharedFundBetweenSingleMarketAndSplitFunds) {
  // Shared fund U for independent markets A and B, no inflows:
  // - each market alone against U: if A alone exceeds U, so does A + B (S only grows), so
  //   P(shared) >= max(p_A(U), p_B(U)), path by path;
  // - split funds u_A + u_B = U: if neither split fund is depleted, max_k Σ S <= Σ max_k S <= U,
  //   so P(shared) <= P(some split fund depleted), path by path; with independent markets that
  //   equals the product rule 1 − (1 − p_A)(1 − p_B) within its standard error.
  const Json shared = twoMarkets(0.0, 6000);
  const Json r = dispatch("simulate", shared, twoThreads());
  Json split = shared;
  split["fund"]["scope"] = "per_market";
  split["markets"][0]["fund"] = {{"balance", 0.75e6}};
  split["markets"][1]["fund"] = {{"balance", 0.75e6}};
  const Json rs = dispatch("simulate", split, twoThreads());
  const double pShared = est(r), pSplit = est(rs);
  for (const auto& m : r["markets"]) EXPECT_LE(est(m), pShared);
  EXPECT_LE(pShared, pSplit);
  EXPECT_GT(pSplit, pShared) << "pooling should help here";
  const double product = rs["independent_markets_depletion_probability"].get<double>();
  const double pa = est(rs["markets"][0]), pb = est(rs["markets"][1]);
  EXPECT_DOUBLE_EQ(product, 1 - (1 - pa) * (1 - pb));
  EXPECT_NEAR(pSplit, product, 4 * std::sqrt(product * (1 - product) / 6000) + 1e-12);
  // Correlated markets pool less well: the shared fund depletes more often than at rho = 0.
  Json indep = twoGbmMarkets(0.0, 6000), corr = twoGbmMarkets(0.9, 6000);
  indep["fund"]["balance"] = corr["fund"]["balance"] = 9e6;
  const double p0 = est(dispatch("simulate", indep, twoThreads())), p9 = est(dispatch("simulate", corr, twoThreads()));
  EXPECT_GT(p9, p0 + 3 * std::sqrt(p0 * (1 - p0) / 6000 + p9 * (1 - p9) / 6000)) << p0 << " vs " << p9;
}

TEST(MultiMarket, CommonJumpsHitEveryMarketByItsLoading) {
  // No diffusion, no own jumps: only the common factor moves prices. Each jump is ~ -20 %:
  // a 10x long (liquidated at ~ -9.1 %) with loading 1 falls at the first jump, so
  // P(liquidated by T) = 1 − exp(−λT); with loading 0.3 a jump moves it −6 %: two are needed,
  // P = 1 − e^{−λT}(1 + λT).
  Json doc = twoMarkets(0.0, 20000);
  for (auto& m : doc["markets"]) {
    m["price_model"] = {{"kind", "gbm"}, {"daily_volatility", 0}};
    m["book"] = {{"positions", {{{"id", "L"}, {"side", "long"}, {"quantity", 1}, {"entry_price", 100}, {"collateral", 10}}}}};
  }
  doc["common_jumps"] = {{"intensity_per_year", 36.5}, {"mean", -0.2}, {"stdev", 1e-6}, {"loadings", {1.0, 0.3}}};
  doc["simulation"]["horizon_days"] = 10;
  const Json r = dispatch("simulate", doc, twoThreads());
  const double lt = 36.5 / 365.0 * 10;
  const double p0 = 1 - std::exp(-lt), p1 = 1 - std::exp(-lt) * (1 + lt);
  const double got0 = r["markets"][0]["liquidation_probability"]["estimate"].get<double>();
  const double got1 = r["markets"][1]["liquidation_probability"]["estimate"].get<double>();
  EXPECT_NEAR(got0, p0, 4 * std::sqrt(p0 * (1 - p0) / 20000));
  EXPECT_NEAR(got1, p1, 4 * std::sqrt(p1 * (1 - p1) / 20000));
}

TEST(MultiMarket, CorrelationMustBeAPositiveSemidefiniteCorrelationMatrix) {
  auto errorsOf = [](Json doc) {
    std::string all;
    const Json v = dispatch("validate", doc, RunOptions{});
    for (const auto& e : v.value("errors", Json::array())) all += e["pointer"].get<std::string>() + " " + e["message"].get<std::string>() + "\n";
    return all;
  };
  Json three = twoMarkets(0.0, 100);
  three["markets"].push_back(marketEntry("C", 0.04));
  three["correlation"] = {{1, 0.9, -0.9}, {0.9, 1, 0.9}, {-0.9, 0.9, 1}};  // eigenvalue < 0
  EXPECT_NE(errorsOf(three).find("/correlation is not positive semi-definite"), std::string::npos) << errorsOf(three);
  Json asym = twoMarkets(0.5, 100);
  asym["correlation"][1][0] = 0.4;
  EXPECT_NE(errorsOf(asym).find("/correlation/1/0"), std::string::npos);
  Json diag = twoMarkets(0.5, 100);
  diag["correlation"][0][0] = 2;
  EXPECT_NE(errorsOf(diag).find("/correlation/0/0 is a diagonal entry"), std::string::npos);
  Json dims = twoMarkets(0.5, 100);
  dims["correlation"] = {{1}};
  EXPECT_NE(errorsOf(dims).find("must be a 2×2 matrix"), std::string::npos);
  Json boot = twoMarkets(0.5, 100);
  boot["markets"][1]["price_model"] = {{"kind", "bootstrap"}, {"returns", {0.01, -0.02, 0.03}}, {"block_days", 1}};
  EXPECT_NE(errorsOf(boot).find("/correlation/1/0 is 0.5, but market 1 replays historical returns"), std::string::npos);
  Json mixed = twoMarkets(0.5, 100);
  mixed["market"] = mixed["markets"][0]["market"];
  EXPECT_NE(errorsOf(mixed).find("/market cannot be given together with \"markets\""), std::string::npos);
  // A singular but PSD matrix (rho = 1) is fine, and its factor reproduces it.
  const auto l = semidefiniteCholesky({{1, 1, 0.5}, {1, 1, 0.5}, {0.5, 0.5, 1}});
  ASSERT_TRUE(l.has_value());
  const std::vector<std::vector<double>> c = {{1, 1, 0.5}, {1, 1, 0.5}, {0.5, 0.5, 1}};
  for (size_t i = 0; i < 3; ++i)
    for (size_t j = 0; j < 3; ++j) {
      double v = 0;
      for (size_t k = 0; k < 3; ++k) v += (*l)[i][k] * (*l)[j][k];
      EXPECT_NEAR(v, c[i][j], 1e-12);
    }
}

TEST(FundComposition, UnderlyingHeldFundDepletesMoreOftenForALongHeavyBook) {
  // Only longs: losses come when the price falls, exactly when a fund held in the underlying
  // is worth less. Paired on the same paths (McNemar): paths depleted only with the
  // underlying-held fund must outnumber the reverse by more than 3 standard deviations.
  Json doc = firstMarketOnly(twoMarkets(0.0, 6000));
  // Only longs: 60 explicit positions of 1e6 notional at 8x to 38x.
  doc["book"] = {{"positions", Json::array()}};
  for (int i = 0; i < 60; ++i)
    doc["book"]["positions"].push_back({{"id", "L" + std::to_string(i)}, {"side", "long"}, {"quantity", 1e4},
                                        {"entry_price", 100}, {"collateral", 1e6 / (8 + 0.5 * i)}});
  doc["fund"] = {{"balance", 2e5}, {"fee_share", 0}};
  // The pairing needs the same paths: a quote-held fund would take the event engine, a composition
  // does not, so both run step by step.
  detail::setEventEngine(false);
  const PathBatch q = simulatePaths(load(doc), 0, 6000, 2);
  Json und = doc;
  und["fund"]["composition"] = {{{"asset", "underlying"}, {"share", 1}}};
  const PathBatch u = simulatePaths(load(und), 0, 6000, 2);
  detail::setEventEngine(true);
  double onlyU = 0, onlyQ = 0;
  for (size_t k = 0; k < 6000; ++k) {
    const bool dq = q.depletionDay[k] >= 0, du = u.depletionDay[k] >= 0;
    onlyU += du && !dq;
    onlyQ += dq && !du;
  }
  EXPECT_GT(onlyU - onlyQ, 3 * std::sqrt(onlyU + onlyQ)) << onlyU << " vs " << onlyQ;
}

TEST(FundComposition, GrowthIndexIdentityEqualsDirectPerFundSizeSimulation) {
  // F_k = G_k(u − Σ X_i/G_i) (docs/model.md (several markets, one fund)): the one-simulation curve P(max_k Σ X_i/G_i > u)
  // must equal simulating each fund size directly (the policy mode with a cap of 1 steps
  // F ← F·G_k/G_{k−1} + inflow − min(debt, F)) on the same seed, size by size.
  Json doc = firstMarketOnly(twoMarkets(0.0, 3000));
  doc["market"]["taker_fee_rate"] = 0.0005;
  doc["fund"] = {{"balance", 1e6}, {"fee_share", 0.2},
                 {"composition", {{{"asset", "quote"}, {"share", 0.4}}, {{"asset", "underlying"}, {"share", 0.3}},
                                  {{"asset", "token"}, {"share", 0.3}, {"daily_volatility", 0.06}, {"beta", 1.5}}}}};
  const Scenario s = load(doc);
  const PathBatch ident = simulatePaths(s, 0, 3000, 2);
  Json direct = doc;
  direct["fund"]["max_draw_fraction_per_event"] = 1.0;
  const Json r = dispatch("simulate", direct, twoThreads());
  const auto grid = policyFundGrid(s);
  ASSERT_EQ(r["curve"].size(), grid.size());
  int compared = 0;
  for (size_t g = 0; g < grid.size(); ++g) {
    double above = 0;
    for (double m : ident.maxOutflow) above += m > grid[g];
    const double direct_p = r["curve"][g]["probability"].get<double>();
    // Equal up to a path sitting within rounding of the boundary.
    EXPECT_NEAR(direct_p * 3000, above, 1.0) << "u = " << grid[g];
    compared += above > 0 && above < 3000;
  }
  EXPECT_GT(compared, 10) << "the grid should cross the interesting range";
}

TEST(Treasury, ReleasedAtOnceItActsLikeAVaultAndADelayOnlyAddsAdl) {
  Json doc = twoMarkets(0.0, 3000);
  doc["fund"]["balance"] = 5e5;
  // Treasury with no delay = a vault of the same size: ADL iff M_T > u + A (two computations).
  Json t0 = doc;
  t0["fund"]["treasury"] = {{"amount", 1e6}, {"delay_days", 0}};
  Json v = doc;
  v["fund"]["backstop_vault"] = 1e6;
  const Json rt = dispatch("simulate", t0, twoThreads());
  const Json rv = dispatch("simulate", v, twoThreads());
  EXPECT_EQ(rt["depletion_probability"], rv["depletion_probability"]);
  EXPECT_NEAR(rt["adl_probability"].get<double>(), rv["adl_probability"].get<double>(), 1.0 / 3000 + 1e-15);
  EXPECT_LT(rv["adl_probability"].get<double>(), est(rv));
  // A longer vote delay never lowers P(ADL) (path by path), from the no-delay value up to
  // the no-treasury value when the delay outlasts the horizon.
  Json sw = t0;
  sw["sweep"] = {{"parameter", "/fund/treasury/delay_days"}, {"values", {0, 1, 3, 6, 11}}};
  const Json rsw = dispatch("sweep", sw, twoThreads());
  double prev = -1;
  for (const auto& p : rsw["points"]) {
    EXPECT_GE(p["adl_probability"].get<double>(), prev);
    prev = p["adl_probability"].get<double>();
  }
  EXPECT_DOUBLE_EQ(rsw["points"][0]["adl_probability"].get<double>(), rt["adl_probability"].get<double>());
  EXPECT_DOUBLE_EQ(prev, est(rv));  // never released within 10 days: every depletion reaches ADL
}

TEST(Treasury, StressPaysAfterTheFundOnlyWithoutADelay) {
  // One 20x long explicitly bankrupt by a -10 % gap: bad debt is the equity below zero.
  Json doc = {{"schema", "backstop/scenario@1"},
              {"market", {{"symbol", "T"}, {"mark_price", 100}, {"maintenance_margin_rate", 0.01}}},
              {"book", {{"positions", {{{"id", "L"}, {"side", "long"}, {"quantity", 100}, {"entry_price", 100}, {"collateral", 500}},
                                       {{"id", "S"}, {"side", "short"}, {"quantity", 100}, {"entry_price", 100}, {"collateral", 5000}}}}}},
              {"fund", {{"balance", 100}, {"treasury", {{"amount", 250}, {"delay_days", 0}}}}},
              {"policy", {{"penalty", {{"mode", "fee_rate"}, {"rate", 0}}}, {"stages", {"insurance_fund", "treasury", "adl"}}}},
              {"stress", {{"shocks", {-0.1}}}}};
  // Loss at 90: 100 × (100 − 90) = 1000 against 500 collateral -> bad debt 500.
  const Json e = dispatch("stress", doc, RunOptions{})["events"][0];
  EXPECT_DOUBLE_EQ(e["bad_debt"].get<double>(), 500);
  EXPECT_DOUBLE_EQ(e["waterfall"]["insurance_fund"].get<double>(), 100);
  EXPECT_DOUBLE_EQ(e["waterfall"]["treasury"].get<double>(), 250);
  EXPECT_DOUBLE_EQ(e["waterfall"]["adl"].get<double>(), 150);
  EXPECT_DOUBLE_EQ(e["treasury_after"].get<double>(), 0);
  // Behind a governance delay the treasury cannot pay within an instantaneous event.
  doc["fund"]["treasury"]["delay_days"] = 3;
  const Json d = dispatch("stress", doc, RunOptions{})["events"][0];
  EXPECT_DOUBLE_EQ(d["waterfall"]["treasury"].get<double>(), 0);
  EXPECT_DOUBLE_EQ(d["waterfall"]["adl"].get<double>(), 400);
}

TEST(MultiMarket, StressCarriesTheSharedFundFromMarketToMarket) {
  Json doc = twoGbmMarkets(0.5, 10);
  doc["stress"] = {{"shocks", {-0.3}}};
  doc["fund"]["balance"] = 2e6;
  const Json r = dispatch("stress", doc, RunOptions{});
  const Json& e = r["events"][0];
  const Json& a = e["markets"][0];
  const Json& b = e["markets"][1];
  // Each market alone is the single-market stress of that market with the fund it found.
  EXPECT_DOUBLE_EQ(e["bad_debt"].get<double>(), a["bad_debt"].get<double>() + b["bad_debt"].get<double>());
  EXPECT_DOUBLE_EQ(e["waterfall"]["insurance_fund"].get<double>(),
                   a["waterfall"]["insurance_fund"].get<double>() + b["waterfall"]["insurance_fund"].get<double>());
  EXPECT_DOUBLE_EQ(b["fund_after"].get<double>(), e["fund_after"].get<double>());
  EXPECT_NEAR(2e6 - e["waterfall"]["insurance_fund"].get<double>() + e["penalties_to_fund"].get<double>(),
              e["fund_after"].get<double>(), 1e-6);
  EXPECT_GT(a["bad_debt"].get<double>(), 0);
  EXPECT_EQ(e["positions"][0]["id"].get<std::string>().rfind("A/", 0), 0u);
  // Per-market funds: each market draws only on its own.
  Json own = doc;
  own["fund"]["scope"] = "per_market";
  own["markets"][0]["fund"] = {{"balance", 1e6}};
  own["markets"][1]["fund"] = {{"balance", 1e6}};
  const Json ro = dispatch("stress", own, RunOptions{});
  EXPECT_DOUBLE_EQ(ro["fund_before"].get<double>(), 2e6);
  for (const auto& m : ro["events"][0]["markets"]) EXPECT_LE(m["waterfall"]["insurance_fund"].get<double>(), 1e6);
}

TEST(MultiMarket, SpecSpellingsGiveTheSameScenario) {
  // docs/model.md (several markets, one fund) words it as "common_jumps: intensity, ..., and each market's loading" and "a
  // treasury stage": those spellings read the same as common_jumps.intensity_per_year /
  // loadings and fund.treasury.
  Json a = twoMarkets(0.3, 300);
  a["common_jumps"] = {{"intensity_per_year", 20}, {"mean", -0.1}, {"stdev", 0.05}, {"loadings", {1.0, 0.5}}};
  a["fund"]["treasury"] = {{"amount", 2e5}, {"delay_days", 1}};
  Json b = twoMarkets(0.3, 300);
  b["common_jumps"] = {{"intensity", 20}, {"mean", -0.1}, {"stdev", 0.05}};
  b["markets"][0]["loading"] = 1.0;
  b["markets"][1]["loading"] = 0.5;
  b["treasury"] = {{"amount", 2e5}, {"delay_days", 1}};
  const Json ra = dispatch("simulate", a, twoThreads()), rb = dispatch("simulate", b, twoThreads());
  EXPECT_EQ(ra["markets"], rb["markets"]);
  EXPECT_EQ(ra["adl_probability"], rb["adl_probability"]);
  EXPECT_EQ(ra["treasury"], rb["treasury"]);
  Json both = b;
  both["fund"]["treasury"] = {{"amount", 1}};
  const Json v = dispatch("validate", both, RunOptions{});
  ASSERT_FALSE(v["valid"].get<bool>());
  EXPECT_EQ(v["errors"][0]["pointer"], "/treasury");
}
