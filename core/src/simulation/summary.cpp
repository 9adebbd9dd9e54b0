// The `simulate` statistics (docs/outputs.md) from the per-path records of a PathBatch.
#include "backstop/simulation/summary.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "backstop/stats/intervals.hpp"

namespace backstop {

BadDebtStats badDebtStats(std::vector<double> d) {
  std::sort(d.begin(), d.end());
  double mean = 0;
  for (double x : d) mean += x;
  mean /= double(std::max<size_t>(1, d.size()));
  return {mean, quantileSorted(d, 0.95), expectedShortfall(d, 0.95), quantileSorted(d, 0.99),
          expectedShortfall(d, 0.99)};
}

namespace {

DepletionEstimate depletionEstimate(double events, double n) {
  return {events / n, wilson95(events, n), events};
}

// Mean and max of the liquidated notional, and the share of paths with any liquidation.
std::pair<LiquidatedNotional, ProbabilityEstimate> liquidations(const std::vector<double>& liq, double n) {
  double mean = 0, max = 0, paths = 0;
  for (double l : liq) {
    mean += l;
    max = std::max(max, l);
    paths += l > 0 ? 1 : 0;
  }
  return {{mean / n, max}, {paths / n, wilson95(paths, n)}};
}

// P(ADL) needs the path walk once anything but "fund then a fixed vault" stands in the way.
bool adlFromWalk(const Scenario& s, const PathBatch& b) {
  return s.fund.treasury.amount > 0 || !s.fund.composition.empty() || b.gridSize > 0 ||
         (s.fund.scope == FundScope::PerMarket && s.markets.size() > 1);
}

// Per-market breakdown (docs/model.md (several markets, one fund)): each market's bad debt and liquidations, and its own
// flows against its fund (per_market) or against the whole shared fund (shared).
void marketBreakdown(const Scenario& s, const PathBatch& b, SimulationResult& out) {
  const size_t N = size_t(b.markets), P = size_t(b.paths());
  const bool perMarket = s.fund.scope == FundScope::PerMarket;
  const double alpha = s.simulation.targetDepletionProbability;
  std::vector<double> col(P);
  double meanTotal = 0, survive = 1;
  for (double d : b.badDebt) meanTotal += d;
  for (size_t j = 0; j < N; ++j) {
    const MarketSpec& m = s.markets[j];
    auto column = [&](const std::vector<double>& v) {
      for (size_t k = 0; k < P; ++k) col[k] = v[k * N + j];
      return col;
    };
    MarketSummary e;
    e.symbol = m.market.symbol;
    e.openInterest = m.book.openInterest;
    if (perMarket) e.fundBalance = m.balance;
    e.badDebt = badDebtStats(column(b.marketBadDebt));
    e.shareOfBadDebt = meanTotal > 0 ? e.badDebt.mean * double(P) / meanTotal : 0.0;
    const auto liq = liquidations(column(b.marketLiquidated), double(P));
    e.liquidated = liq.first;
    e.liquidationProbability = liq.second;
    std::vector<double> M = column(b.marketMaxOutflow);
    std::sort(M.begin(), M.end());
    const double u = perMarket ? m.balance : s.fund.balance;
    e.depletion = depletionEstimate(countAbove(M, u), double(P));
    e.aloneAgainstFund = u;
    e.required = {alpha, quantileSorted(M, 1.0 - alpha), quantileInterval95(M, 1.0 - alpha), NAN};
    survive *= 1.0 - e.depletion.events / double(P);
    out.markets.push_back(std::move(e));
  }
  out.perMarketFunds = perMarket;
  // What the markets' own depletion probabilities would give if they failed independently.
  out.independentMarketsDepletionProbability = 1.0 - survive;
}

// Fund fan chart: quantiles of the fund at the end of each day (at the current fund size).
FundQuantiles fundQuantiles(const PathBatch& b) {
  FundQuantiles fq;
  std::vector<double> col(size_t(b.paths()));
  for (int d = 0; d < b.days; ++d) {
    for (long long k = 0; k < b.paths(); ++k) col[size_t(k)] = b.fundByDay[size_t(k) * size_t(b.days) + size_t(d)];
    std::sort(col.begin(), col.end());
    fq.days.push_back(d + 1);
    fq.p05.push_back(quantileSorted(col, 0.05));
    fq.p25.push_back(quantileSorted(col, 0.25));
    fq.p50.push_back(quantileSorted(col, 0.50));
    fq.p75.push_back(quantileSorted(col, 0.75));
    fq.p95.push_back(quantileSorted(col, 0.95));
  }
  return fq;
}

TimeToDepletion timeToDepletion(const PathBatch& b) {
  TimeToDepletion t;
  t.histogram.assign(size_t(b.days), 0.0);
  for (double d : b.depletionDay) {
    if (d < 0) ++t.never;
    else t.histogram[size_t(std::min<double>(b.days - 1, std::max(0.0, std::ceil(d) - 1)))] += 1;
  }
  return t;
}

}  // namespace

SimulationResult summarize(const Scenario& s, const PathBatch& b) {
  const double n = double(b.paths());
  const double u0 = currentFundBalance(s), v = s.fund.backstopVault;
  const double oi = totalOpenInterest(s);
  const double alpha = s.simulation.targetDepletionProbability;
  std::vector<double> M = b.maxOutflow;
  std::sort(M.begin(), M.end());
  SimulationResult out;
  auto& warnings = out.warnings;

  double events = 0, required = 0, adlEvents = 0;
  Interval reqCi{0, 0};
  const bool policy = b.gridSize > 0;
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
      out.curve.push_back({u, countAbove(M, u) / n});
    }
  } else {
    const std::vector<double> grid = policyFundGrid(s);
    const size_t G = grid.size();
    std::vector<double> dep(G, 0);
    for (long long k = 0; k < b.paths(); ++k)
      for (size_t g = 0; g < G; ++g) dep[g] += b.gridDepleted[size_t(k) * G + g];
    for (size_t g = 0; g < G; ++g) out.curve.push_back({grid[g], dep[g] / n});
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
  out.depletion = depletionEstimate(events, n);
  out.adlProbability = adlEvents / n;
  out.adlProbabilityCi95 = wilson95(adlEvents, n);
  out.required = {alpha, required, reqCi, oi > 0 && std::isfinite(required) ? required / oi : NAN};
  out.badDebt = badDebtStats(b.badDebt);
  out.fundQuantiles = fundQuantiles(b);
  out.timeToDepletion = timeToDepletion(b);
  const auto liq = liquidations(b.liquidated, n);
  out.liquidated = liq.first;
  out.liquidationProbability = liq.second;
  double casc = 0;
  for (double c : b.cascadeRounds) casc += c;
  out.meanExtraCascadeRounds = casc / n;
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
    RuinResult r = ruinFromFit(fit, u0, ro);
    out.analytic = AnalyticSummary{std::move(r), fit};
  } catch (const std::exception& e) {
    warnings.push_back(std::string("analytic fit unavailable: ") + e.what());
  }
  out.paths = b.paths();
  out.seed = s.simulation.seed;
  out.horizonDays = s.simulation.horizonDays;
  out.fundBalance = u0;
  out.openInterest = oi;
  if (b.markets > 1) marketBreakdown(s, b, out);
  if (s.fund.treasury.amount > 0) out.treasury = s.fund.treasury;
  out.fundInBasket = !s.fund.composition.empty();
  return out;
}

SimulationResult simulate(const Scenario& s, const RunOptions& options) {
  const PathBatch b = simulatePaths(s, options);  // validates s
  return summarize(resolve(s), b);
}

SizeResult sizeOf(const SimulationResult& r) {
  return {r.required, r.curve, r.depletion, r.paths, r.seed, r.warnings};
}

SizeResult size(const Scenario& s, const RunOptions& options) { return sizeOf(simulate(s, options)); }

}  // namespace backstop
