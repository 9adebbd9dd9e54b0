// The `simulate` statistics (docs/outputs.md) from the per-path records of a PathBatch.
#include "backstop/simulation/summary.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "backstop/stats/intervals.hpp"
#include "backstop/stats/weighted.hpp"

namespace backstop {

BadDebtStats badDebtStats(std::vector<double> d) {
  std::sort(d.begin(), d.end());
  double mean = 0;
  for (double x : d) mean += x;
  mean /= double(std::max<size_t>(1, d.size()));
  return {mean,
          quantileSorted(d, 0.95),
          expectedShortfall(d, 0.95),
          quantileSorted(d, 0.99),
          expectedShortfall(d, 0.99),
          quantileSorted(d, 0.999),
          expectedShortfall(d, 0.999)};
}

BadDebtStats badDebtStats(const std::vector<double>& d, const std::vector<double>& w) {
  const WeightedTail t(d, w);
  return {t.mean(), t.quantileAbove(0.05),   t.expectedShortfall(0.05),  t.quantileAbove(0.01),
          t.expectedShortfall(0.01), t.quantileAbove(0.001), t.expectedShortfall(0.001)};
}

namespace {

bool isWeighted(const PathBatch& b) {
  return std::any_of(b.weight.begin(), b.weight.end(), [](double w) { return w != 1.0; });
}

DepletionEstimate depletionEstimate(double events, double n) {
  DepletionEstimate d{events / n, wilson95(events, n), events};
  d.relativeError = d.estimate > 0 ? 0.5 * (d.ci95.second - d.ci95.first) / d.estimate : NAN;
  d.effectivePaths = n;
  return d;
}

// Σ w 1{event} over n paths (sum and sum of squares): the weighted estimate and its interval.
DepletionEstimate weightedEstimate(double events, double sum, double sumSquares, double weightSum,
                                   double weightSquares, double n) {
  const WeightedMean m = weightedMean(sum, sumSquares, n);
  DepletionEstimate d{m.mean, normalInterval95(m), events};
  d.importanceSampling = true;
  // The unclipped half-width (the interval is clipped at 0).
  d.relativeError = m.mean > 0 ? 1.959963984540054 * m.se / m.mean : NAN;
  // Plain paths giving the same variance; with no event, Kish's effective sample size.
  d.effectivePaths = m.se > 0 ? m.mean * (1 - m.mean) / (m.se * m.se) : weightSum * weightSum / weightSquares;
  return d;
}

// A probability over paths: plain (Wilson) or weighted, from per-path 0/1 flags.
DepletionEstimate probability(const std::vector<double>& flag, const std::vector<double>* w, size_t stride = 1,
                              size_t offset = 0) {
  const size_t P = flag.size() / stride;
  double events = 0, s1 = 0, s2 = 0, ws = 0, ws2 = 0;
  for (size_t k = 0; k < P; ++k) {
    const double f = flag[k * stride + offset] > 0 ? 1.0 : 0.0;
    events += f;
    if (!w) continue;
    const double wk = (*w)[k];
    s1 += f * wk;
    s2 += f * wk * wk;
    ws += wk;
    ws2 += wk * wk;
  }
  return w ? weightedEstimate(events, s1, s2, ws, ws2, double(P)) : depletionEstimate(events, double(P));
}

std::vector<double> above(const std::vector<double>& x, double u) {
  std::vector<double> f(x.size());
  for (size_t k = 0; k < x.size(); ++k) f[k] = x[k] > u ? 1.0 : 0.0;
  return f;
}

// Mean and max of the liquidated notional, and the share of paths with any liquidation.
std::pair<LiquidatedNotional, ProbabilityEstimate> liquidations(const std::vector<double>& liq, double n,
                                                                const std::vector<double>* w = nullptr) {
  double mean = 0, max = 0, paths = 0;
  for (size_t k = 0; k < liq.size(); ++k) {
    mean += w ? (*w)[k] * liq[k] : liq[k];
    max = std::max(max, liq[k]);
    paths += liq[k] > 0 ? 1 : 0;
  }
  if (w) {
    const DepletionEstimate p = probability(above(liq, 0.0), w);
    return {{mean / n, max}, {p.estimate, p.ci95}};
  }
  return {{mean / n, max}, {paths / n, wilson95(paths, n)}};
}

// The required fund: the (1 − α) quantile of M_T with its interval (order statistics when plain).
std::pair<double, Interval> requiredFund(const std::vector<double>& sortedM, const std::vector<double>& M,
                                         const std::vector<double>* w, double alpha) {
  if (!w) return {quantileSorted(sortedM, 1.0 - alpha), quantileInterval95(sortedM, 1.0 - alpha)};
  const WeightedTail t(M, *w);
  return {t.quantileAbove(alpha), t.quantileAboveInterval95(alpha)};
}

// P(ADL) needs the path walk once anything but "fund then a fixed vault" stands in the way.
bool adlFromWalk(const Scenario& s, const PathBatch& b) {
  return s.fund.treasury.amount > 0 || !s.fund.composition.empty() || b.gridSize > 0 ||
         (s.fund.scope == FundScope::PerMarket && s.markets.size() > 1);
}

// Per-market breakdown (docs/model.md (several markets, one fund)): each market's bad debt and liquidations, and its own
// flows against its fund (per_market) or against the whole shared fund (shared).
void marketBreakdown(const Scenario& s, const PathBatch& b, SimulationResult& out, const std::vector<double>* w) {
  const size_t N = size_t(b.markets), P = size_t(b.paths());
  const bool perMarket = s.fund.scope == FundScope::PerMarket;
  const double alpha = s.simulation.targetDepletionProbability;
  std::vector<double> col(P);
  double meanTotal = 0, survive = 1;
  for (size_t k = 0; k < P; ++k) meanTotal += w ? (*w)[k] * b.badDebt[k] : b.badDebt[k];
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
    e.badDebt = w ? badDebtStats(column(b.marketBadDebt), *w) : badDebtStats(column(b.marketBadDebt));
    e.shareOfBadDebt = meanTotal > 0 ? e.badDebt.mean * double(P) / meanTotal : 0.0;
    const auto liq = liquidations(column(b.marketLiquidated), double(P), w);
    e.liquidated = liq.first;
    e.liquidationProbability = liq.second;
    const std::vector<double> M = column(b.marketMaxOutflow);
    std::vector<double> sorted = M;
    std::sort(sorted.begin(), sorted.end());
    const double u = perMarket ? m.balance : s.fund.balance;
    e.depletion = w ? probability(above(M, u), w) : depletionEstimate(countAbove(sorted, u), double(P));
    e.aloneAgainstFund = u;
    const auto req = requiredFund(sorted, M, w, alpha);
    e.required = {alpha, req.first, req.second, NAN};
    survive *= 1.0 - (w ? e.depletion.estimate : e.depletion.events / double(P));
    out.markets.push_back(std::move(e));
  }
  out.perMarketFunds = perMarket;
  // What the markets' own depletion probabilities would give if they failed independently.
  out.independentMarketsDepletionProbability = 1.0 - survive;
}

// Fund fan chart: quantiles of the fund at the end of each day (at the current fund size).
FundQuantiles fundQuantiles(const PathBatch& b, const std::vector<double>* w) {
  FundQuantiles fq;
  std::vector<double> col(size_t(b.paths()));
  for (int d = 0; d < b.days; ++d) {
    for (long long k = 0; k < b.paths(); ++k) col[size_t(k)] = b.fundByDay[size_t(k) * size_t(b.days) + size_t(d)];
    fq.days.push_back(d + 1);
    if (w) {  // self-normalised weights: the body of the distribution, where they are stable
      for (auto [p, v] : {std::pair{0.05, &fq.p05}, {0.25, &fq.p25}, {0.5, &fq.p50}, {0.75, &fq.p75}, {0.95, &fq.p95}})
        v->push_back(weightedQuantile(col, *w, p));
      continue;
    }
    const std::vector<double> q = quantilesBySelection(col, {0.05, 0.25, 0.5, 0.75, 0.95});
    fq.p05.push_back(q[0]);
    fq.p25.push_back(q[1]);
    fq.p50.push_back(q[2]);
    fq.p75.push_back(q[3]);
    fq.p95.push_back(q[4]);
  }
  return fq;
}

// Paths first depleted per day; weighted: expected paths (Σ w), so the bins still add up to ~n.
TimeToDepletion timeToDepletion(const PathBatch& b, const std::vector<double>* w) {
  TimeToDepletion t;
  t.histogram.assign(size_t(b.days), 0.0);
  for (size_t k = 0; k < b.depletionDay.size(); ++k) {
    const double d = b.depletionDay[k], add = w ? (*w)[k] : 1.0;
    if (d < 0) t.never += add;
    else t.histogram[size_t(std::min<double>(b.days - 1, std::max(0.0, std::ceil(d) - 1)))] += add;
  }
  // Weighted: the histogram estimates n·P(first depleted on day d) (Σ w 1{...}, as P(depletion));
  // `never` is the rest of the n paths, so that the two sum to the paths as in a plain run (Σ w ≠ n).
  if (w) t.never = double(b.depletionDay.size()) - std::accumulate(t.histogram.begin(), t.histogram.end(), 0.0);
  return t;
}

// Per-path depletion flags at the current fund (the records of the policy mode when it ran).
std::vector<double> depletedAtFund(const Scenario& s, const PathBatch& b) {
  if (b.gridSize > 0) {
    std::vector<double> f(b.depletionDay.size());
    for (size_t k = 0; k < f.size(); ++k) f[k] = b.depletionDay[k] >= 0 ? 1.0 : 0.0;
    return f;
  }
  return above(b.maxOutflow, currentFundBalance(s));
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
  // Importance sampling: every statistic weighted by the paths' likelihood ratios.
  const std::vector<double>* w = isWeighted(b) ? &b.weight : nullptr;
  std::optional<WeightedTail> tail;
  if (w) tail.emplace(b.maxOutflow, b.weight);

  double events = 0, required = 0, adlEvents = 0;
  Interval reqCi{0, 0};
  const bool policy = b.gridSize > 0;
  if (!policy) {
    events = countAbove(M, u0);  // P(depletion ≤ T | u) = P(M_T > u) (docs/model.md (the fund process))
    adlEvents = countAbove(M, u0 + v);  // the fund then a vault of v: ADL iff M_T > u + v
    std::tie(required, reqCi) = requiredFund(M, b.maxOutflow, w, alpha);
    // Per-market funds with a market at 0 are depleted at any total size (M = ∞ on those
    // paths): the curve spans the finite values, and those paths count above every size.
    const auto finiteEnd = std::lower_bound(M.begin(), M.end(), INFINITY);
    const double largest = finiteEnd == M.begin() ? 0.0 : *(finiteEnd - 1);
    const double top = std::max({largest, 1.5 * u0, std::isfinite(required) ? 1.5 * required : 0.0, 1.0});
    for (int i = 0; i <= 80; ++i) {
      const double u = top * i / 80.0;
      out.curve.push_back({u, w ? tail->above(u).mean : countAbove(M, u) / n});
    }
  } else {
    const std::vector<double> grid = policyFundGrid(s);
    const size_t G = grid.size();
    std::vector<double> dep(G, 0);
    std::vector<Interval> ci(G);
    for (size_t g = 0; g < G; ++g) {
      if (w) {
        const DepletionEstimate e = probability(b.gridDepleted, w, G, g);
        dep[g] = e.estimate * n;
        ci[g] = e.ci95;
        continue;
      }
      for (long long k = 0; k < b.paths(); ++k) dep[g] += b.gridDepleted[size_t(k) * G + g];
      ci[g] = wilson95(dep[g], n);
    }
    for (size_t g = 0; g < G; ++g) out.curve.push_back({grid[g], dep[g] / n});
    // At the current fund: the path records at u0 (depletion = a loss the fund did not cover).
    events = 0;
    for (double d : b.depletionDay) events += d >= 0 ? 1 : 0;
    // Required fund: the smallest grid size whose probability is at most α, and the sizes
    // where the interval's bounds (Wilson, or weighted) cross α as its interval.
    required = NAN;
    double lo = NAN, hi = NAN;
    for (size_t g = 0; g < G; ++g) {
      if (std::isnan(required) && dep[g] / n <= alpha) required = grid[g];
      if (std::isnan(lo) && ci[g].first <= alpha) lo = grid[g];
      if (std::isnan(hi) && ci[g].second <= alpha) hi = grid[g];
    }
    reqCi = {lo, hi};
    warnings.push_back("fund policy (per-event cap, floor or drawdown trigger) simulated per fund size on a grid of " +
                       std::to_string(G) + " sizes; depletion means a loss the fund did not cover");
    if (std::isnan(required)) warnings.push_back("no fund size on the grid reaches the target probability");
  }
  if (adlFromWalk(s, b)) adlEvents = std::accumulate(b.adl.begin(), b.adl.end(), 0.0);
  out.depletion = w ? probability(depletedAtFund(s, b), w) : depletionEstimate(events, n);
  if (w) {
    const DepletionEstimate a = probability(adlFromWalk(s, b) ? b.adl : above(b.maxOutflow, u0 + v), w);
    out.adlProbability = a.estimate;
    out.adlProbabilityCi95 = a.ci95;
  } else {
    out.adlProbability = adlEvents / n;
    out.adlProbabilityCi95 = wilson95(adlEvents, n);
  }
  out.required = {alpha, required, reqCi, oi > 0 && std::isfinite(required) ? required / oi : NAN};
  out.badDebt = w ? badDebtStats(b.badDebt, *w) : badDebtStats(b.badDebt);
  out.fundQuantiles = fundQuantiles(b, w);
  out.timeToDepletion = timeToDepletion(b, w);
  const auto liq = liquidations(b.liquidated, n, w);
  out.liquidated = liq.first;
  out.liquidationProbability = liq.second;
  double casc = 0;
  for (size_t k = 0; k < b.cascadeRounds.size(); ++k) casc += w ? (*w)[k] * b.cascadeRounds[k] : b.cascadeRounds[k];
  out.meanExtraCascadeRounds = casc / n;
  if (!w && s.simulation.importanceSampling == ImportanceSampling::Auto)
    warnings.push_back("importance sampling \"auto\" ran plain Monte Carlo: depletion is not rare at this fund, or the "
                       "pilot found no path toward depletion");
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
    // Under importance sampling the fit takes the paths of the original measure (component 0) only.
    std::vector<double> plainDays;
    if (w)
      for (long long k = 0; k < b.paths(); ++k)
        if (b.component[size_t(k)] == 0)
          plainDays.insert(plainDays.end(), b.dailyBadDebt.begin() + k * b.days, b.dailyBadDebt.begin() + (k + 1) * b.days);
    const FittedClaims fit = fitClaimsFromSteps(w ? plainDays : b.dailyBadDebt, 1.0, premium);
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
  if (b.markets > 1) marketBreakdown(s, b, out, w);
  if (s.fund.treasury.amount > 0) out.treasury = s.fund.treasury;
  out.fundInBasket = !s.fund.composition.empty();
  return out;
}

DepletionEstimate depletionAtFund(const Scenario& s, const PathBatch& b) {
  const std::vector<double> f = depletedAtFund(s, b);
  return probability(f, isWeighted(b) ? &b.weight : nullptr);
}

long long precisionCap(const Scenario& s) {
  const long long steps = std::max<long long>(1, s.simulation.steps() + std::llround(s.markets.empty() ? 0.0 : s.markets[0].book.warmupDays * s.simulation.stepsPerDay));
  const long long cap = s.simulation.maxPaths > 0 ? s.simulation.maxPaths : kDefaultMaxPaths;
  return std::max<long long>(kPrecisionBatch, std::min({cap, limits::kMaxPaths, limits::kMaxPathSteps / steps}));
}

bool precisionReached(const Scenario& s, const PathBatch& b) {
  // At least 10 depleted paths, so that the interval itself is estimated from events.
  const DepletionEstimate d = depletionAtFund(s, b);
  return d.events >= 10 && d.relativeError <= s.simulation.targetRelativeError;
}

PathBatch runPaths(const Scenario& s, long long begin, long long end, const RunOptions& o) {
  const Tilt tilt = chooseTilt(s, o.threads);  // once per run: every batch draws from the same mixture
  const bool whole = o.pathBegin == 0 && o.pathEnd < 0;  // a worker's or shard's range runs as given
  if (!(s.simulation.targetRelativeError > 0) || !whole)
    return simulatePaths(s, begin, end, o.threads, o.progress, o.cancel, &tilt);
  const long long cap = precisionCap(s);
  PathBatch all;
  for (long long at = 0; at < cap; at += kPrecisionBatch) {
    const long long to = std::min(cap, at + kPrecisionBatch);
    std::function<void(double)> progress;
    if (o.progress) progress = [&](double f) { o.progress((double(at) + f * double(to - at)) / double(cap)); };
    all.append(simulatePaths(s, at, to, o.threads, progress, o.cancel, &tilt));
    if (precisionReached(s, all)) break;
  }
  if (o.progress) o.progress(1.0);
  return all;
}

SimulationResult simulate(const Scenario& in, const RunOptions& options) {
  const Scenario s = resolvedValid(in);
  return summarizeRun(s, runPaths(s, options.pathBegin, pathRangeEnd(s, options), options));
}

SimulationResult summarizeRun(const Scenario& s, const PathBatch& b) {
  SimulationResult r = summarize(s, b);
  if (s.simulation.targetRelativeError > 0 && !precisionReached(s, b))
    r.warnings.push_back("precision target not reached: relative error " +
                         (std::isfinite(r.depletion.relativeError) ? std::to_string(r.depletion.relativeError) : std::string("undefined (no depletion)")) +
                         " after " + std::to_string(b.paths()) + " paths (simulation.max_paths " +
                         std::to_string(precisionCap(s)) + ")");
  return r;
}

SizeResult sizeOf(const SimulationResult& r) {
  return {r.required, r.curve, r.depletion, r.paths, r.seed, r.warnings};
}

SizeResult size(const Scenario& s, const RunOptions& options) { return sizeOf(simulate(s, options)); }

}  // namespace backstop
