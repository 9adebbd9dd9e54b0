// `simulate` and `size` as JSON (docs/outputs.md): the summary of the per-path records.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "backstop/io/commands.hpp"
#include "backstop/io/scenario_reader.hpp"
#include "backstop/ruin/ruin.hpp"
#include "backstop/simulation/simulation.hpp"
#include "backstop/stats/intervals.hpp"

namespace backstop {

namespace {

Json badDebtStats(std::vector<double> d) {
  std::sort(d.begin(), d.end());
  double mean = 0;
  for (double x : d) mean += x;
  mean /= double(std::max<size_t>(1, d.size()));
  return {{"mean", mean},
          {"var95", quantileSorted(d, 0.95)}, {"es95", expectedShortfall(d, 0.95)},
          {"var99", quantileSorted(d, 0.99)}, {"es99", expectedShortfall(d, 0.99)}};
}

// P(ADL) needs the path walk once anything but "fund then a fixed vault" stands in the way.
bool adlFromWalk(const Scenario& s, const PathBatch& b) {
  return s.fund.treasury.amount > 0 || !s.fund.composition.empty() || b.gridSize > 0 ||
         (s.fund.scope == FundScope::PerMarket && s.markets.size() > 1);
}

// Per-market breakdown (docs/model.md (several markets, one fund)): each market's bad debt and liquidations, and its own
// flows against its fund (per_market) or against the whole shared fund (shared).
Json marketBreakdown(const Scenario& s, const PathBatch& b, Json& out) {
  const size_t N = size_t(b.markets), P = size_t(b.paths());
  const bool perMarket = s.fund.scope == FundScope::PerMarket;
  const double alpha = s.simulation.targetDepletionProbability;
  Json list = Json::array();
  std::vector<double> col(P);
  double meanTotal = 0, survive = 1;
  for (double d : b.badDebt) meanTotal += d;
  for (size_t j = 0; j < N; ++j) {
    const MarketSpec& m = s.markets[j];
    auto column = [&](const std::vector<double>& v) {
      for (size_t k = 0; k < P; ++k) col[k] = v[k * N + j];
      return col;
    };
    Json e;
    e["symbol"] = m.market.symbol;
    e["open_interest"] = m.book.openInterest;
    e["fund_balance"] = perMarket ? Json(m.balance) : Json(nullptr);
    e["bad_debt"] = badDebtStats(column(b.marketBadDebt));
    e["share_of_bad_debt"] = meanTotal > 0 ? e["bad_debt"]["mean"].get<double>() * double(P) / meanTotal : 0.0;
    std::vector<double> liq = column(b.marketLiquidated);
    double lmean = 0, lmax = 0, lpaths = 0;
    for (double l : liq) {
      lmean += l;
      lmax = std::max(lmax, l);
      lpaths += l > 0 ? 1 : 0;
    }
    e["liquidated_notional"] = {{"mean", lmean / double(P)}, {"max", lmax}};
    const auto lci = wilson95(lpaths, double(P));
    e["liquidation_probability"] = {{"estimate", lpaths / double(P)}, {"ci95", {lci.first, lci.second}}};
    std::vector<double> M = column(b.marketMaxOutflow);
    std::sort(M.begin(), M.end());
    const double u = perMarket ? m.balance : s.fund.balance;
    const double ev = countAbove(M, u);
    const auto ci = wilson95(ev, double(P));
    e["depletion_probability"] = {{"estimate", ev / double(P)}, {"ci95", {ci.first, ci.second}}, {"events", ev}};
    e["alone_against_fund"] = u;  // the fund this market's own flows are measured against
    const auto rci = quantileInterval95(M, 1.0 - alpha);
    e["required_fund"] = {{"target", alpha}, {"amount", quantileSorted(M, 1.0 - alpha)}, {"ci95", {rci.first, rci.second}}};
    survive *= 1.0 - ev / double(P);
    list.push_back(std::move(e));
  }
  out["fund_scope"] = perMarket ? "per_market" : "shared";
  // What the markets' own depletion probabilities would give if they failed independently.
  out["independent_markets_depletion_probability"] = 1.0 - survive;
  return list;
}

}  // namespace

Json summarize(const Scenario& s, const PathBatch& b) {
  const double n = double(b.paths());
  const double u0 = currentFundBalance(s), v = s.fund.backstopVault;
  const double oi = totalOpenInterest(s);
  const double alpha = s.simulation.targetDepletionProbability;
  std::vector<double> M = b.maxOutflow;
  std::sort(M.begin(), M.end());
  Json warnings = Json::array();
  Json out;

  double events = 0, required = 0, adlEvents = 0;
  std::pair<double, double> reqCi{0, 0};
  Json curve = Json::array();
  const bool policy = b.gridSize > 0;
  std::vector<double> grid;
  if (!policy) {
    events = countAbove(M, u0);  // P(depletion ≤ T | u) = P(M_T > u) (docs/model.md (the fund process))
    adlEvents = countAbove(M, u0 + v);  // the fund then a vault of v: ADL iff M_T > u + v
    required = quantileSorted(M, 1.0 - alpha);
    reqCi = quantileInterval95(M, 1.0 - alpha);
    // Per-market funds with a market at 0 are depleted at any total size (M = ∞ on those
    // paths): the curve spans the finite values, and those paths count above every size.
    const auto finiteEnd = std::lower_bound(M.begin(), M.end(), INFINITY);
    const double largest = finiteEnd == M.begin() ? 0.0 : *(finiteEnd - 1);
    const double top = std::max({largest, 1.5 * u0, std::isfinite(required) ? 1.5 * required : 0.0, 1.0});
    for (int i = 0; i <= 80; ++i) {
      const double u = top * i / 80.0;
      curve.push_back({{"fund", u}, {"probability", countAbove(M, u) / n}});
    }
  } else {
    grid = policyFundGrid(s);
    const size_t G = grid.size();
    std::vector<double> dep(G, 0);
    for (long long k = 0; k < b.paths(); ++k)
      for (size_t g = 0; g < G; ++g) dep[g] += b.gridDepleted[size_t(k) * G + g];
    for (size_t g = 0; g < G; ++g) curve.push_back({{"fund", grid[g]}, {"probability", dep[g] / n}});
    // At the current fund: the path records at u0 (depletion = a loss the fund did not cover).
    events = 0;
    for (double d : b.depletionDay) events += d >= 0 ? 1 : 0;
    // Required fund: the smallest grid size whose probability is at most α, and the sizes
    // where the Wilson bounds cross α as its interval.
    required = NAN;
    double lo = NAN, hi = NAN;
    for (size_t g = 0; g < G; ++g) {
      const auto ci = wilson95(dep[g], n);
      if (std::isnan(required) && dep[g] / n <= alpha) required = grid[g];
      if (std::isnan(lo) && ci.first <= alpha) lo = grid[g];
      if (std::isnan(hi) && ci.second <= alpha) hi = grid[g];
    }
    reqCi = {lo, hi};
    warnings.push_back("fund policy (per-event cap, floor or drawdown trigger) simulated per fund size on a grid of " +
                       std::to_string(G) + " sizes; depletion means a loss the fund did not cover");
    if (std::isnan(required)) warnings.push_back("no fund size on the grid reaches the target probability");
  }
  if (adlFromWalk(s, b)) adlEvents = std::accumulate(b.adl.begin(), b.adl.end(), 0.0);
  const auto ci = wilson95(events, n);
  out["depletion_probability"] = {{"estimate", events / n}, {"ci95", {ci.first, ci.second}}, {"events", events}};
  const auto adlCi = wilson95(adlEvents, n);
  out["adl_probability"] = adlEvents / n;
  out["adl_probability_ci95"] = {adlCi.first, adlCi.second};
  auto num = [](double x) { return std::isfinite(x) ? Json(x) : Json(nullptr); };
  out["required_fund"] = {{"target", alpha},
                          {"amount", num(required)},
                          {"ci95", {num(reqCi.first), num(reqCi.second)}},
                          {"ratio_to_open_interest", oi > 0 && std::isfinite(required)
                                                         ? Json(required / oi) : Json(nullptr)}};
  out["bad_debt"] = badDebtStats(b.badDebt);
  out["curve"] = curve;
  // Fund fan chart: quantiles of the fund at the end of each day (at the current fund size).
  Json fq = {{"days", Json::array()}, {"p05", Json::array()}, {"p25", Json::array()}, {"p50", Json::array()},
             {"p75", Json::array()}, {"p95", Json::array()}};
  std::vector<double> col(size_t(b.paths()));
  for (int d = 0; d < b.days; ++d) {
    for (long long k = 0; k < b.paths(); ++k) col[size_t(k)] = b.fundByDay[size_t(k) * size_t(b.days) + size_t(d)];
    std::sort(col.begin(), col.end());
    fq["days"].push_back(d + 1);
    fq["p05"].push_back(quantileSorted(col, 0.05));
    fq["p25"].push_back(quantileSorted(col, 0.25));
    fq["p50"].push_back(quantileSorted(col, 0.50));
    fq["p75"].push_back(quantileSorted(col, 0.75));
    fq["p95"].push_back(quantileSorted(col, 0.95));
  }
  out["fund_quantiles"] = fq;
  std::vector<double> hist(size_t(b.days), 0.0);
  double never = 0;
  for (double d : b.depletionDay) {
    if (d < 0) ++never;
    else hist[size_t(std::min<double>(b.days - 1, std::max(0.0, std::ceil(d) - 1)))] += 1;
  }
  out["time_to_depletion_days"] = {{"histogram", hist}, {"never", never}, {"bin_days", 1}};
  double lmean = 0, lmax = 0, liqPaths = 0, casc = 0;
  for (double l : b.liquidated) {
    lmean += l;
    lmax = std::max(lmax, l);
    liqPaths += l > 0 ? 1 : 0;
  }
  for (double c : b.cascadeRounds) casc += c;
  out["liquidated_notional"] = {{"mean", lmean / n}, {"max", lmax}};
  const auto lci = wilson95(liqPaths, n);
  out["liquidation_probability"] = {{"estimate", liqPaths / n}, {"ci95", {lci.first, lci.second}}};
  out["cascades"] = {{"mean_extra_rounds_per_path", casc / n}};
  if (events < 10)
    warnings.push_back("only " + std::to_string((long long)events) +
                       " depletion events back the probability: run more paths for a tighter estimate");
  // The analytic long-horizon view next to the Monte Carlo (docs/formulas.md (ruin)): a Cramér–Lundberg
  // model fitted from the simulated daily bad debt, premium = the fee inflow per day.
  try {
    double premium = 0;
    for (const auto& m : s.markets)
      premium += m.feeShare * m.market.takerFeeRate * m.market.dailyVolume /
                 (m.market.contract == Contract::Linear ? 1.0 : m.market.markPrice);
    const FittedClaims fit = fitClaimsFromSteps(b.dailyBadDebt, 1.0, premium);
    RuinOptions ro;
    ro.horizon = s.simulation.horizonDays;
    ro.targetProbability = alpha;
    ro.maxGridPoints = 2048;
    Json a = ruinToJson(ruinFromFit(fit, u0, ro));
    a["fit"] = {{"claim_rate_per_day", fit.claimRate}, {"premium_per_day", fit.premiumRate},
                {"days_observed", fit.steps}, {"days_with_bad_debt", fit.claims}};
    a["note"] = "Cramér–Lundberg model fitted from the simulated daily bad debt (empirical claims; penalties not counted as premium)";
    out["analytic"] = a;
  } catch (const std::exception& e) {
    out["analytic"] = nullptr;
    warnings.push_back(std::string("analytic fit unavailable: ") + e.what());
  }
  out["warnings"] = warnings;
  out["paths"] = b.paths();
  out["seed"] = s.simulation.seed;
  out["version"] = version();
  out["horizon_days"] = s.simulation.horizonDays;
  out["fund_balance"] = u0;
  out["open_interest"] = oi;
  if (b.markets > 1) out["markets"] = marketBreakdown(s, b, out);
  if (s.fund.treasury.amount > 0)
    out["treasury"] = {{"amount", s.fund.treasury.amount}, {"delay_days", s.fund.treasury.delayDays}};
  if (!s.fund.composition.empty())
    out["fund_growth_index"] = "fund held in a basket: depletion iff u < max_k Σ X_i/G_i (docs/model.md, what the fund holds)";
  out["generator"] = "xoshiro256++ per path, seeded by SplitMix64(seed, path index); normals by Marsaglia polar";
  return out;
}


Json withRunOverrides(const Json& input, const RunOptions& o) {
  if (o.paths > limits::kMaxPaths)
    throw InputError(ErrorCode::LimitExceeded,
                     {{"/options/paths", "is " + std::to_string(o.paths) + " paths, more than the limit of " +
                                             std::to_string(limits::kMaxPaths)}});
  Json doc = input;
  if (doc.is_object()) {
    if (o.paths > 0) doc["simulation"]["paths"] = o.paths;
    if (o.seed >= 0) doc["simulation"]["seed"] = o.seed;
  }
  return doc;
}

Scenario scenarioForRun(const Json& input, const RunOptions& o) {
  ScenarioNeeds needs;
  needs.priceModel = true;
  return loadScenario(withRunOverrides(input, o), needs);
}

Json simulateCommand(const Json& input, const RunOptions& o) {
  const Scenario s = scenarioForRun(input, o);
  long long begin = o.pathBegin, end = o.pathEnd < 0 ? s.simulation.paths : o.pathEnd;
  if (begin >= end || end > s.simulation.paths)
    throw InputError(ErrorCode::InvalidInput, {{"/options/path_end", "path range [" + std::to_string(begin) + ", " +
                                                                        std::to_string(end) + ") is empty or beyond " +
                                                                        std::to_string(s.simulation.paths) + " paths"}});
  const PathBatch b = simulatePaths(s, begin, end, o.threads, o.progress, o.cancel);
  return summarize(s, b);
}

Json sizeCommand(const Json& input, const RunOptions& o) {
  const Json full = simulateCommand(input, o);
  Json out = full["required_fund"];
  out["curve"] = full["curve"];
  out["depletion_probability"] = full["depletion_probability"];
  out["paths"] = full["paths"];
  out["seed"] = full["seed"];
  out["version"] = full["version"];
  out["warnings"] = full["warnings"];
  return out;
}


}  // namespace backstop
