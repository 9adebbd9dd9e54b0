#include "backstop/simulation.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>
#include <thread>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/normal.hpp>

#include "backstop/liquidation.hpp"
#include "backstop/price_model.hpp"
#include "backstop/random.hpp"
#include "backstop/ruin.hpp"
#include "cohort_grid.hpp"

namespace backstop {

void PathBatch::append(const PathBatch& o) {
  if (paths() == 0) {
    *this = o;
    return;
  }
  end = o.end;
  auto cat = [](std::vector<double>& a, const std::vector<double>& b) { a.insert(a.end(), b.begin(), b.end()); };
  cat(maxOutflow, o.maxOutflow);
  cat(badDebt, o.badDebt);
  cat(liquidated, o.liquidated);
  cat(depletionDay, o.depletionDay);
  cat(cascadeRounds, o.cascadeRounds);
  cat(fundByDay, o.fundByDay);
  cat(gridDepleted, o.gridDepleted);
  cat(dailyBadDebt, o.dailyBadDebt);
}

bool needsPolicyMode(const Scenario& s) {
  return s.fund.maxDrawFractionPerEvent.has_value() || s.policy.adlTrigger == AdlTriggerKind::Drawdown ||
         s.fund.floor > 0;
}

std::vector<double> policyFundGrid(const Scenario& s) {
  // 0, then 64 sizes log-spaced from 1/100 to 100 times the reference (the fund, or OI/100).
  const double ref = s.fund.balance > 0 ? s.fund.balance : std::max(1.0, s.book.openInterest / 100.0);
  std::vector<double> g{0.0};
  for (int i = 0; i < 64; ++i) g.push_back(ref * std::pow(10.0, -2.0 + 4.0 * i / 63.0));
  return g;
}

namespace {

// One family of synthetic cohorts: a side and a leverage bucket.
struct Family {
  Side side;
  double leverage;
  double targetQuote;  // OI share of this family, quote units
  double logLiq;       // log(liquidation level / entry)
  double logBk;        // log(bankruptcy level / entry)
  detail::CohortGrid grid;
};

// A liquidation candidate: the next position a move would reach.
struct Candidate {
  int family = -1;     // >= 0: a synthetic cell; -1: an explicit position
  int cell = 0;
  size_t explicitIndex = 0;
  double logLevel = 0;  // relative to log P0
};

class PathEngine {
 public:
  explicit PathEngine(const Scenario& s)
      : s_(s), c_(s.market.contract), mmr_(s.market.maintenanceMarginRate), proc_(s.priceModel, s.simulation.stepsPerDay) {
    vol_ = modelDailyVolatility(s.priceModel);
    dt_ = 1.0 / s.simulation.stepsPerDay;
    logP0_ = std::log(s.market.markPrice);
    double minGap = 0.05;
    for (Side side : {Side::Long, Side::Short})
      for (const auto& b : s.book.leverage) {
        if (!(b.share > 0) || !s.book.synthetic()) continue;
        Family f;
        f.side = side;
        f.leverage = b.leverage;
        f.targetQuote = s.book.openInterest * b.share;
        const double il = 1.0 / b.leverage;
        // Levels as multiples of entry (SPEC §2 with M = notional/L).
        if (c_ == Contract::Linear) {
          f.logBk = side == Side::Long ? std::log(1 - il) : std::log(1 + il);
          f.logLiq = side == Side::Long ? std::log((1 - il) / (1 - mmr_)) : std::log((1 + il) / (1 + mmr_));
        } else {
          f.logBk = side == Side::Long ? -std::log(1 + il) : (il < 1 ? -std::log(1 - il) : INFINITY);
          f.logLiq = side == Side::Long ? std::log((1 + mmr_) / (1 + il)) : (il < 1 ? std::log((1 - mmr_) / (1 - il)) : INFINITY);
        }
        if (std::isfinite(f.logBk) && (side == Side::Short || b.leverage > 1))
          minGap = std::min(minGap, std::fabs(f.logLiq - f.logBk));
        families_.push_back(std::move(f));
      }
    // Cell width: a twentieth of the narrowest liquidation-to-bankruptcy gap.
    h_ = std::clamp(minGap / 20.0, 1e-5, 1e-3);
    // Explicit positions sorted in the order a move reaches them.
    for (size_t i = 0; i < s.book.positions.size(); ++i) {
      const auto& p = s.book.positions[i];
      const auto liq = liquidationPrice(p, c_, mmr_);
      if (!liq) continue;
      (p.side == Side::Long ? longs_ : shorts_).push_back({i, std::log(*liq) - logP0_});
    }
    std::sort(longs_.begin(), longs_.end(), [](auto& a, auto& b) { return a.second > b.second; });
    std::sort(shorts_.begin(), shorts_.end(), [](auto& a, auto& b) { return a.second < b.second; });
    fee_ = s.fund.feeShare * s.market.takerFeeRate * s.market.dailyVolume * dt_;
    grid_ = needsPolicyMode(s) ? policyFundGrid(s) : std::vector<double>{};
    windowSteps_ = std::max(1, int(std::lround(s.policy.drawdownWindowHours / 24.0 * s.simulation.stepsPerDay)));
  }

  // Simulates one path and writes its records at slot `k` of `out`.
  void run(long long pathIndex, PathBatch& out, long long k) {
    Rng rng(s_.simulation.seed, std::uint64_t(pathIndex));
    proc_.reset(rng);
    x_ = 0;
    shift_ = 0;
    for (auto& f : families_) {
      f.grid.clear();
      restore(f, std::exp(logP0_), cellOf(0.0));
    }
    li_ = 0;
    si_ = 0;
    // Warm-up: the book seasons on the model's path; then the price is re-anchored at the mark.
    const long long warm = std::llround(s_.book.warmupDays * s_.simulation.stepsPerDay);
    accounting_ = false;
    for (long long i = 0; i < warm; ++i) step(rng);
    shift_ += x_;
    x_ = 0;
    li_ = 0;
    si_ = 0;  // explicit positions are the book now, not seasoned
    accounting_ = true;

    const int days = out.days;
    const long long steps = s_.simulation.steps();
    const double u0 = s_.fund.balance;
    double S = 0, M = 0, fund = u0, total = 0;
    liquidated_ = 0;
    cascades_ = 0;
    double depletionDay = -1;
    const size_t G = grid_.size();
    gf_.assign(G, 0.0);
    gDepleted_.assign(G, 0.0);
    for (size_t g = 0; g < G; ++g) gf_[g] = grid_[g];
    if (G && s_.policy.adlTrigger == AdlTriggerKind::Drawdown) {
      ring_.assign(G * size_t(windowSteps_), 0.0);
      for (size_t g = 0; g < G; ++g)
        for (int w = 0; w < windowSteps_; ++w) ring_[g * size_t(windowSteps_) + size_t(w)] = grid_[g];
    }
    double* fundDays = &out.fundByDay[size_t(k) * size_t(days)];
    double* debtDays = &out.dailyBadDebt[size_t(k) * size_t(days)];
    std::fill(debtDays, debtDays + days, 0.0);
    for (long long i = 0; i < steps; ++i) {
      debt_ = 0;
      toFund_ = 0;
      step(rng);
      const double inflow = (c_ == Contract::Linear ? fee_ : fee_ / std::exp(logP0_ + x_)) + toFund_;
      const double X = debt_ - inflow;  // net outflow of the step (SPEC §7)
      S += X;
      if (S > M) M = S;
      total += debt_;
      fund = std::max(0.0, fund - X);
      if (depletionDay < 0 && S > u0) depletionDay = double(i + 1) * dt_;
      if (G) policyStep(i, inflow);
      const int day = std::min(days - 1, int(double(i) * dt_));
      debtDays[day] += debt_;
      if ((i + 1) % s_.simulation.stepsPerDay == 0 || i + 1 == steps) fundDays[day] = fund;
    }
    out.maxOutflow[size_t(k)] = M;
    out.badDebt[size_t(k)] = total;
    out.liquidated[size_t(k)] = liquidated_;
    out.depletionDay[size_t(k)] = depletionDay;
    out.cascadeRounds[size_t(k)] = cascades_;
    for (size_t g = 0; g < G; ++g) out.gridDepleted[size_t(k) * G + g] = gDepleted_[g];
  }

 private:
  // The fund per size on the grid under the cap / floor / drawdown policy: depleted when a
  // step's bad debt is not covered in full.
  void policyStep(long long i, double inflow) {
    const size_t G = grid_.size();
    const double cap = s_.fund.maxDrawFractionPerEvent.value_or(1.0);
    const bool dd = s_.policy.adlTrigger == AdlTriggerKind::Drawdown;
    for (size_t g = 0; g < G; ++g) {
      double F = gf_[g] + inflow;
      double avail = std::min(std::max(0.0, F - s_.fund.floor), cap * F);
      if (dd) {
        double peak = F;
        const double* r = &ring_[g * size_t(windowSteps_)];
        for (int w = 0; w < windowSteps_; ++w) peak = std::max(peak, r[w]);
        avail = std::min(avail, std::max(0.0, F - (1.0 - s_.policy.drawdownFraction) * peak));
      }
      const double pay = std::min(debt_, avail);
      if (debt_ - pay > 1e-12 * std::max(1.0, debt_)) gDepleted_[g] = 1.0;
      F -= pay;
      gf_[g] = F;
      if (dd) ring_[g * size_t(windowSteps_) + size_t(i % windowSteps_)] = F;
    }
  }

  double cellLog(int cell) const { return cell * h_ - shift_; }  // entry, relative to log P0
  int cellOf(double x) const { return int(std::floor((x + shift_) / h_ + 0.5)); }

  // Tops the family up to its target notional with a cohort at price P in `cell`.
  void restore(Family& f, double P, int cell) {
    const double have = c_ == Contract::Linear ? f.grid.total() * P : f.grid.total();
    const double need = f.targetQuote - have;
    if (need > 1e-9 * f.targetQuote) f.grid.add(cell, c_ == Contract::Linear ? need / P : need);
  }

  // The next candidate on `side` whose level the log-price `y` has reached, if any.
  bool next(Side side, double y, Candidate& best) {
    bool found = false;
    for (size_t fi = 0; fi < families_.size(); ++fi) {
      Family& f = families_[fi];
      if (f.side != side || f.grid.empty() || !std::isfinite(f.logLiq)) continue;
      const int cell = side == Side::Long ? f.grid.highest() : f.grid.lowest();
      const double lvl = cellLog(cell) + f.logLiq;
      const bool hit = side == Side::Long ? lvl >= y : lvl <= y;
      if (hit && (!found || (side == Side::Long ? lvl > best.logLevel : lvl < best.logLevel))) {
        best = {int(fi), cell, 0, lvl};
        found = true;
      }
    }
    auto& list = side == Side::Long ? longs_ : shorts_;
    size_t& idx = side == Side::Long ? li_ : si_;
    if (idx < list.size()) {
      const double lvl = list[idx].second;
      const bool hit = side == Side::Long ? lvl >= y : lvl <= y;
      if (hit && (!found || (side == Side::Long ? lvl > best.logLevel : lvl < best.logLevel))) {
        best = {-1, 0, list[idx].first, lvl};
        found = true;
      }
    }
    return found;
  }

  // Liquidates everything on `side` that log-price `y` has reached; a fill executes at its
  // own level when `atLevel` (continuous path), else at exp(y) (gap or close).
  void sweep(Side side, double y, bool atLevel) {
    Candidate cd;
    while (next(side, y, cd)) {
      const double ref = std::exp(logP0_ + (atLevel ? cd.logLevel : y));
      Position p;
      if (cd.family >= 0) {
        Family& f = families_[size_t(cd.family)];
        p.side = f.side;
        p.quantity = f.grid.take(cd.cell);
        p.entryPrice = std::exp(logP0_ + cellLog(cd.cell));
        p.collateral = notionalInMargin(p, c_, p.entryPrice) / f.leverage;
      } else {
        p = s_.book.positions[cd.explicitIndex];
        ++(side == Side::Long ? li_ : si_);
      }
      if (!(p.quantity > 0)) continue;
      const double q = notionalInQuote(p, c_, ref);
      double& walked = side == Side::Long ? sold_ : bought_;
      walked += q;
      if (!accounting_) continue;
      const double x = executionPrice(side, ref, impactFraction(s_.market, vol_, walked));
      const FillOutcome o = closeAt(p, c_, x, s_.policy);
      debt_ += o.badDebt;
      toFund_ += o.penaltyToFund;
      liquidated_ += q;
    }
  }

  void step(Rng& rng) {
    const StepMove mv = proc_.step(rng);
    sold_ = bought_ = 0;
    const double x0 = x_;
    const double end = x0 + mv.diffusion;
    if (mv.variance > 0) {
      const double lo = x0 + bridgeMin(mv.diffusion, mv.variance, rng.uniform());
      const double hi = x0 + bridgeMax(mv.diffusion, mv.variance, rng.uniform());
      sweep(Side::Long, lo, true);
      sweep(Side::Short, hi, true);
    } else {
      sweep(Side::Long, end, false);
      sweep(Side::Short, end, false);
    }
    double y = end + mv.jump;
    if (mv.jump != 0) {
      sweep(Side::Long, y, false);
      sweep(Side::Short, y, false);
    }
    // Cascade: permanent impact of this step's forced flow moves the mark; iterate (bounded).
    const double perm = s_.market.liquidity.permanentImpact;
    if (perm > 0 && (sold_ > 0 || bought_ > 0)) {
      for (long long it = 0; it < limits::kMaxCascadeIterations; ++it) {
        const double before = sold_ + bought_;
        const double moved = y + std::log1p(-perm * impactFraction(s_.market, vol_, sold_)) +
                             std::log1p(perm * impactFraction(s_.market, vol_, bought_));
        sweep(Side::Long, moved, false);
        sweep(Side::Short, moved, false);
        if (sold_ + bought_ == before) {
          y = moved;
          break;
        }
        if (accounting_) ++cascades_;
        y = moved;
      }
    }
    x_ = y;
    // Turnover closes a fraction of every cohort at the mark; new cohorts restore the OI.
    const double keep = 1.0 - std::min(1.0, s_.book.turnoverPerDay * dt_);
    if (families_.empty()) return;
    const double P = std::exp(logP0_ + x_);
    const int cell = cellOf(x_);
    for (auto& f : families_) {
      if (keep < 1.0) f.grid.decay(keep);
      restore(f, P, cell);
    }
  }

  const Scenario& s_;
  Contract c_;
  double mmr_, vol_ = 0, dt_ = 0, logP0_ = 0, h_ = 1e-4, fee_ = 0;
  PriceProcess proc_;
  std::vector<Family> families_;
  std::vector<std::pair<size_t, double>> longs_, shorts_;
  size_t li_ = 0, si_ = 0;
  double x_ = 0, shift_ = 0;
  double sold_ = 0, bought_ = 0, debt_ = 0, toFund_ = 0, liquidated_ = 0, cascades_ = 0;
  bool accounting_ = true;
  std::vector<double> grid_, gf_, gDepleted_, ring_;
  int windowSteps_ = 1;
};

}  // namespace

PathBatch simulatePaths(const Scenario& s, long long begin, long long end, int threads,
                        const std::function<void(double)>& progress, const bool* cancel) {
  PathBatch b;
  b.begin = begin;
  b.end = end;
  b.days = std::max(1, int(std::ceil(s.simulation.horizonDays - 1e-9)));
  b.gridSize = needsPolicyMode(s) ? int(policyFundGrid(s).size()) : 0;
  const size_t n = size_t(end - begin);
  b.maxOutflow.assign(n, 0);
  b.badDebt.assign(n, 0);
  b.liquidated.assign(n, 0);
  b.depletionDay.assign(n, -1);
  b.cascadeRounds.assign(n, 0);
  b.fundByDay.assign(n * size_t(b.days), 0);
  b.dailyBadDebt.assign(n * size_t(b.days), 0);
  b.gridDepleted.assign(n * size_t(b.gridSize), 0);
  threads = std::max(1, std::min<int>(threads, int(std::max<size_t>(1, n / 64))));
  std::atomic<long long> nextPath{0}, done{0};
  std::atomic<bool> stop{false};
  // Paths are handed out in chunks; each path's stream depends only on its index, so the
  // split between threads never changes a result. The calling thread reports progress.
  auto work = [&](bool report) {
    PathEngine engine(s);
    for (;;) {
      const long long k0 = nextPath.fetch_add(16);
      if (k0 >= (long long)n || stop.load()) break;
      const long long k1 = std::min<long long>(k0 + 16, (long long)n);
      for (long long k = k0; k < k1; ++k) engine.run(begin + k, b, k);
      done.fetch_add(k1 - k0);
      if (report && progress) progress(double(done.load()) / double(n));
      if (cancel && *cancel) stop.store(true);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, false);
  work(true);
  for (auto& t : pool) t.join();
  if (progress) progress(1.0);
  return b;
}

std::pair<double, double> wilson95(double k, double n) {
  if (n <= 0) return {0.0, 1.0};
  // Wilson score interval (Wilson 1927); z = Φ⁻¹(0.975).
  const double z = boost::math::quantile(boost::math::complement(boost::math::normal_distribution<>(), 0.025));
  const double p = k / n, z2 = z * z;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

std::pair<double, double> quantileInterval95(const std::vector<double>& sorted, double p) {
  // Order-statistic interval: ranks from Binomial(n, p) quantiles (e.g. Hahn & Meeker 1991, §5.2).
  const size_t n = sorted.size();
  if (n == 0) return {0.0, 0.0};
  boost::math::binomial_distribution<> bin(double(n), p);
  double lo = boost::math::quantile(bin, 0.025);
  double hi = boost::math::quantile(boost::math::complement(bin, 0.025)) + 1;
  const size_t l = size_t(std::clamp(lo, 1.0, double(n))) - 1;
  const size_t h = size_t(std::clamp(hi, 1.0, double(n))) - 1;
  return {sorted[l], sorted[h]};
}

namespace {

double quantileSorted(const std::vector<double>& v, double p) {
  // Type-1 empirical quantile: the smallest value with at least p of the sample at or below it.
  if (v.empty()) return 0.0;
  const double r = std::ceil(p * double(v.size()));
  const size_t i = size_t(std::clamp(r, 1.0, double(v.size()))) - 1;
  return v[i];
}

double expectedShortfall(const std::vector<double>& sorted, double p) {
  const size_t n = sorted.size();
  if (n == 0) return 0.0;
  const size_t i = size_t(std::clamp(std::ceil(p * double(n)), 1.0, double(n))) - 1;
  double s = 0;
  for (size_t j = i; j < n; ++j) s += sorted[j];
  return s / double(n - i);
}

double countAbove(const std::vector<double>& sorted, double u) {
  return double(sorted.end() - std::upper_bound(sorted.begin(), sorted.end(), u));
}

}  // namespace

Json summarize(const Scenario& s, const PathBatch& b) {
  const double n = double(b.paths());
  const double u0 = s.fund.balance, v = s.fund.backstopVault;
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
    events = countAbove(M, u0);  // P(depletion ≤ T | u) = P(M_T > u) (SPEC §7)
    adlEvents = countAbove(M, u0 + v);
    required = quantileSorted(M, 1.0 - alpha);
    reqCi = quantileInterval95(M, 1.0 - alpha);
    const double top = std::max({M.empty() ? 0.0 : M.back(), 1.5 * u0, 1.5 * required, 1.0});
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
    adlEvents = countAbove(M, u0 + v);
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
  const auto ci = wilson95(events, n);
  out["depletion_probability"] = {{"estimate", events / n}, {"ci95", {ci.first, ci.second}}, {"events", events}};
  const auto adlCi = wilson95(adlEvents, n);
  out["adl_probability"] = adlEvents / n;
  out["adl_probability_ci95"] = {adlCi.first, adlCi.second};
  auto num = [](double x) { return std::isfinite(x) ? Json(x) : Json(nullptr); };
  out["required_fund"] = {{"target", alpha},
                          {"amount", num(required)},
                          {"ci95", {num(reqCi.first), num(reqCi.second)}},
                          {"ratio_to_open_interest", s.book.openInterest > 0 && std::isfinite(required)
                                                         ? Json(required / s.book.openInterest) : Json(nullptr)}};
  std::vector<double> D = b.badDebt;
  std::sort(D.begin(), D.end());
  double mean = 0;
  for (double d : D) mean += d;
  mean /= n;
  out["bad_debt"] = {{"mean", mean},
                     {"var95", quantileSorted(D, 0.95)}, {"es95", expectedShortfall(D, 0.95)},
                     {"var99", quantileSorted(D, 0.99)}, {"es99", expectedShortfall(D, 0.99)}};
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
  // The analytic long-horizon view next to the Monte Carlo (SPEC §8): a Cramér–Lundberg
  // model fitted from the simulated daily bad debt, premium = the fee inflow per day.
  try {
    const double premium = s.fund.feeShare * s.market.takerFeeRate * s.market.dailyVolume /
                           (s.market.contract == Contract::Linear ? 1.0 : s.market.markPrice);
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
  out["open_interest"] = s.book.openInterest;
  out["generator"] = "xoshiro256++ per path, seeded by SplitMix64(seed, path index); normals by Marsaglia polar";
  return out;
}

std::vector<double> encodeBatch(const PathBatch& b) {
  std::vector<double> out{1.0, double(b.begin), double(b.end), double(b.days), double(b.gridSize)};
  for (const auto* v : {&b.maxOutflow, &b.badDebt, &b.liquidated, &b.depletionDay, &b.cascadeRounds, &b.fundByDay,
                        &b.gridDepleted, &b.dailyBadDebt})
    out.insert(out.end(), v->begin(), v->end());
  return out;
}

PathBatch decodeBatch(const double* d, size_t n) {
  auto bad = [] { throw InputError(ErrorCode::InvalidInput, {{"", "malformed path batch"}}); };
  if (n < 5 || d[0] != 1.0) bad();
  PathBatch b;
  b.begin = (long long)d[1];
  b.end = (long long)d[2];
  b.days = int(d[3]);
  b.gridSize = int(d[4]);
  const size_t p = size_t(b.end - b.begin);
  if (b.end < b.begin || b.days < 1 || b.gridSize < 0) bad();
  const size_t need = 5 + p * (5 + 2 * size_t(b.days) + size_t(b.gridSize));
  if (n != need) bad();
  size_t at = 5;
  auto take = [&](std::vector<double>& v, size_t len) {
    v.assign(d + at, d + at + len);
    at += len;
  };
  take(b.maxOutflow, p);
  take(b.badDebt, p);
  take(b.liquidated, p);
  take(b.depletionDay, p);
  take(b.cascadeRounds, p);
  take(b.fundByDay, p * size_t(b.days));
  take(b.gridDepleted, p * size_t(b.gridSize));
  take(b.dailyBadDebt, p * size_t(b.days));
  return b;
}

Json withRunOverrides(const Json& input, const RunOptions& o) {
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
