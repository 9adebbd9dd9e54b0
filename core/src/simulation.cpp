#include "backstop/simulation.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>
#include <thread>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/erf.hpp>

#include "backstop/liquidation.hpp"
#include "backstop/price_model.hpp"
#include "backstop/random.hpp"
#include "backstop/ruin.hpp"
#include "cohort_grid.hpp"

namespace backstop {

namespace {

// Every per-path record of a batch in encoding order, with its number of values per path:
// the one list that allocation, append, encode and decode share. B is PathBatch or const.
template <class B>
auto columns(B& b) {
  using V = decltype(&b.maxOutflow);
  const size_t d = size_t(b.days), g = size_t(b.gridSize), m = size_t(b.markets);
  return std::vector<std::pair<V, size_t>>{
      {&b.maxOutflow, 1},    {&b.badDebt, 1},       {&b.liquidated, 1},       {&b.depletionDay, 1},
      {&b.cascadeRounds, 1}, {&b.fundByDay, d},     {&b.gridDepleted, g},     {&b.dailyBadDebt, d},
      {&b.adl, 1},           {&b.marketBadDebt, m}, {&b.marketLiquidated, m}, {&b.marketMaxOutflow, m}};
}

}  // namespace

void PathBatch::append(const PathBatch& o) {
  if (paths() == 0) {
    *this = o;
    return;
  }
  end = o.end;
  const auto mine = columns(*this);
  const auto theirs = columns(o);
  for (size_t c = 0; c < mine.size(); ++c)
    mine[c].first->insert(mine[c].first->end(), theirs[c].first->begin(), theirs[c].first->end());
}

int drawdownWindowSteps(const Scenario& s) {
  // A window longer than the run looks back to the start either way: clamping it is exact.
  const double w = std::lround(s.policy.drawdownWindowHours / 24.0 * s.simulation.stepsPerDay);
  return int(std::clamp<double>(w, 1.0, double(std::max<long long>(1, s.simulation.steps()))));
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
  int slot = -1;       // index of its level in MarketEngine::tops_ (finite levels only)
  detail::CohortGrid grid;
};

// A liquidation candidate: the next position a move would reach.
struct Candidate {
  int family = -1;     // >= 0: a synthetic cell; -1: an explicit position
  int cell = 0;
  size_t explicitIndex = 0;
  double logLevel = 0;  // relative to log P0
};

// Draws a correlated multi-market step takes from the path's stream (SPEC §14).
struct StepDraws {
  double z = 0;         // diffusion shock
  double uLo = 0.5, uHi = 0.5;  // bridge extremes (Gaussian copula with the same correlation)
  double jump = 0;      // common jump factor × this market's loading
};

// One market's book and price on a path: liquidations, their bad debt and fund inflows.
class MarketEngine {
 public:
  MarketEngine(const Scenario& s, const MarketSpec& m)
      : m_(m), c_(m.market.contract), mmr_(m.market.maintenanceMarginRate),
        proc_(m.priceModel, s.simulation.stepsPerDay) {
    vol_ = modelDailyVolatility(m.priceModel);
    dt_ = 1.0 / s.simulation.stepsPerDay;
    logP0_ = std::log(m.market.markPrice);
    double minGap = 0.05;
    for (Side side : {Side::Long, Side::Short})
      for (const auto& b : m.book.leverage) {
        if (!(b.share > 0) || !m.book.synthetic()) continue;
        Family f;
        f.side = side;
        f.leverage = b.leverage;
        f.targetQuote = m.book.openInterest * b.share;
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
    for (size_t i = 0; i < families_.size(); ++i)
      if (std::isfinite(families_[i].logLiq)) bySide_[sideIndex(families_[i].side)].push_back(int(i));
    // One flat array of family tops, the long side's first; the extreme level offset per side
    // bounds every family's new cell (the nearest level after a step's renewal).
    for (int sd : {0, 1})
      for (int fi : bySide_[sd]) {
        families_[size_t(fi)].slot = int(tops_.size());
        tops_.push_back(none(sd));
        reachLiq_[sd] = nearer(sd, reachLiq_[sd], families_[size_t(fi)].logLiq);
      }
    // Cell width: a twentieth of the narrowest liquidation-to-bankruptcy gap.
    h_ = std::clamp(minGap / 20.0, 1e-5, 1e-3);
    // Explicit positions sorted in the order a move reaches them.
    for (size_t i = 0; i < m.book.positions.size(); ++i) {
      const auto& p = m.book.positions[i];
      const auto liq = liquidationPrice(p, c_, mmr_);
      if (!liq) continue;
      (p.side == Side::Long ? longs_ : shorts_).push_back({i, std::log(*liq) - logP0_});
    }
    std::sort(longs_.begin(), longs_.end(), [](auto& a, auto& b) { return a.second > b.second; });
    std::sort(shorts_.begin(), shorts_.end(), [](auto& a, auto& b) { return a.second < b.second; });
    fee_ = m.feeShare * m.market.takerFeeRate * m.market.dailyVolume * dt_;
  }

  // A new path: the book at the start price; explicit positions not yet seasoned.
  void reset(Rng& rng) {
    proc_.reset(rng);
    x_ = 0;
    shift_ = 0;
    for (auto& f : families_) {
      if (f.slot >= 0) tops_[size_t(f.slot)] = none(sideIndex(f.side));
      f.grid.clear();
      restore(f, std::exp(logP0_), cellOf(0.0));
    }
    li_ = si_ = 0;
    refreshNearest(0);
    refreshNearest(1);
    accounting_ = false;
    liquidated_ = cascades_ = 0;
  }

  // After the warm-up the price is re-anchored at the mark; explicit positions are the book now.
  void startAccounting() {
    shift_ += x_;
    x_ = 0;
    li_ = si_ = 0;
    for (auto& f : families_) setTop(f);  // the levels moved with the shift
    refreshNearest(0);
    refreshNearest(1);
    accounting_ = true;
  }

  // One step; `d` null draws everything from `rng` in the single-market order.
  void step(Rng& rng, const StepDraws* d) {
    debt_ = toFund_ = 0;
    StepMove mv = proc_.step(rng, d ? &d->z : nullptr);
    if (d) mv.jump += d->jump;
    sold_ = bought_ = 0;
    const double x0 = x_;
    const double end = x0 + mv.diffusion;
    if (mv.variance > 0) {
      const double uLo = d ? d->uLo : rng.uniform();
      const double uHi = d ? d->uHi : rng.uniform();
      // The extremes (a log and a sqrt each) only where the nearest level may be in reach.
      if (mayReach(0, x0, mv.diffusion, mv.variance, uLo))
        sweep(Side::Long, x0 + bridgeMin(mv.diffusion, mv.variance, uLo), true);
      if (mayReach(1, x0, mv.diffusion, mv.variance, uHi))
        sweep(Side::Short, x0 + bridgeMax(mv.diffusion, mv.variance, uHi), true);
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
    const double perm = m_.market.liquidity.permanentImpact;
    if (perm > 0 && (sold_ > 0 || bought_ > 0)) {
      for (long long it = 0; it < limits::kMaxCascadeIterations; ++it) {
        const double before = sold_ + bought_;
        const double moved = y + std::log1p(-perm * impactFraction(m_.market, vol_, sold_)) +
                             std::log1p(perm * impactFraction(m_.market, vol_, bought_));
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
    const double keep = 1.0 - std::min(1.0, m_.book.turnoverPerDay * dt_);
    if (families_.empty()) return;
    const double P = std::exp(logP0_ + x_);
    const int cell = cellOf(x_);
    for (auto& f : families_) {
      if (keep < 1.0) f.grid.decay(keep);
      restore(f, P, cell);
    }
    // The renewed cells may be nearer than the nearest level: bound it once per side (an
    // over-near bound only costs a scan in sweep(), which decides exactly).
    for (int sd : {0, 1})
      if (!bySide_[sd].empty()) nearest_[sd] = nearer(sd, nearest_[sd], cellLog(cell) + reachLiq_[sd]);
  }

  double debt() const { return debt_; }
  // Fee share of the step's taker fees (in coin for inverse contracts) plus penalties to the fund.
  double inflow() const { return (c_ == Contract::Linear ? fee_ : fee_ / std::exp(logP0_ + x_)) + toFund_; }
  double logReturn() const { return x_; }  // log(P / P0) since the end of the warm-up
  double liquidated() const { return liquidated_; }
  double cascades() const { return cascades_; }
  Contract contract() const { return c_; }

 private:
  double cellLog(int cell) const { return cell * h_ - shift_; }  // entry, relative to log P0
  // Per-side arrays: 0 long (levels below the price, nearest = highest), 1 short (mirrored).
  static int sideIndex(Side s) { return s == Side::Long ? 0 : 1; }
  static double none(int sd) { return sd == 0 ? -INFINITY : INFINITY; }
  static double nearer(int sd, double a, double b) { return sd == 0 ? std::max(a, b) : std::min(a, b); }
  // Has log-price y reached `level` on side sd?
  static bool reached(int sd, double level, double y) { return sd == 0 ? level >= y : level <= y; }
  int cellOf(double x) const { return int(std::floor((x + shift_) / h_ + 0.5)); }

  // Tops the family up to its target notional with a cohort at price P in `cell`.
  __attribute__((always_inline)) void restore(Family& f, double P, int cell) {
    const double have = c_ == Contract::Linear ? f.grid.total() * P : f.grid.total();
    const double need = f.targetQuote - have;
    if (need > 1e-9 * f.targetQuote) {
      f.grid.add(cell, c_ == Contract::Linear ? need / P : need);
      if (f.slot >= 0) {  // the new cell may be the family's extreme one
        double& top = tops_[size_t(f.slot)];
        top = nearer(sideIndex(f.side), top, cellLog(cell) + f.logLiq);
      }
    }
  }

  // The level of the family's extreme cell, the one a move reaches first (none when empty).
  void setTop(const Family& f) {
    if (f.slot < 0) return;
    const int sd = sideIndex(f.side);
    tops_[size_t(f.slot)] =
        f.grid.empty() ? none(sd) : cellLog(sd == 0 ? f.grid.highest() : f.grid.lowest()) + f.logLiq;
  }

  // The nearest level on a side: the families' tops and the next explicit position. A sweep
  // whose price has not reached it has nothing to do.
  void refreshNearest(int sd) {
    double n = none(sd);
    const size_t b = sd == 0 ? 0 : bySide_[0].size(), e = sd == 0 ? b + bySide_[0].size() : tops_.size();
    for (size_t j = b; j < e; ++j) n = nearer(sd, n, tops_[j]);
    const auto& list = sd == 0 ? longs_ : shorts_;
    const size_t idx = sd == 0 ? li_ : si_;
    if (idx < list.size()) n = nearer(sd, n, list[idx].second);
    nearest_[sd] = n;
  }

  // False only when the bridge extreme drawn from u certainly stays short of the nearest level.
  // For a level at d beyond min(0, b) (long; the short side mirrors), the minimum reaches it iff
  // -ln u >= t = 2d(d - b)/v (invert bridgeMin); e^-t <= 1/(1 + t), so u(1 + t) > 1 means no hit.
  // The margins (t > 1e-3, 1e-9) dwarf rounding: where this says "maybe", sweep() decides exactly.
  bool mayReach(int sd, double x0, double b, double v, double u) const {
    const double n = nearest_[sd];
    if (!std::isfinite(n)) return false;
    const double d = n - x0;
    if (sd == 0 ? d >= std::min(0.0, b) : d <= std::max(0.0, b)) return true;
    const double t = 2.0 * d * (d - b) / v;
    return !(t > 1e-3 && u * (1.0 + t) > 1.0 + 1e-9);
  }

  // The next candidate on `side` whose level the log-price `y` has reached, if any.
  bool next(Side side, double y, Candidate& best) {
    bool found = false;
    // One pass over the side's flat array of family tops (first family wins a tie).
    const int sd = sideIndex(side);
    const double* tops = tops_.data() + (sd == 0 ? 0 : bySide_[0].size());
    const size_t count = bySide_[sd].size();
    double bl = none(sd);
    int k = -1;
    for (size_t j = 0; j < count; ++j)
      if (reached(sd, tops[j], y) && (sd == 0 ? tops[j] > bl : tops[j] < bl)) {
        bl = tops[j];
        k = int(j);
      }
    if (k >= 0) {
      const int fi = bySide_[sd][size_t(k)];
      const Family& f = families_[size_t(fi)];
      best = {fi, sd == 0 ? f.grid.highest() : f.grid.lowest(), 0, bl};
      found = true;
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
    const int sd = sideIndex(side);
    if (!reached(sd, nearest_[sd], y)) return;  // the common case: nothing in reach
    Candidate cd;
    while (next(side, y, cd)) {
      const double ref = std::exp(logP0_ + (atLevel ? cd.logLevel : y));
      Position p;
      if (cd.family >= 0) {
        Family& f = families_[size_t(cd.family)];
        p.side = f.side;
        p.quantity = f.grid.take(cd.cell);
        setTop(f);
        p.entryPrice = std::exp(logP0_ + cellLog(cd.cell));
        p.collateral = notionalInMargin(p, c_, p.entryPrice) / f.leverage;
      } else {
        p = m_.book.positions[cd.explicitIndex];
        ++(side == Side::Long ? li_ : si_);
      }
      if (!(p.quantity > 0)) continue;
      const double q = notionalInQuote(p, c_, ref);
      double& walked = side == Side::Long ? sold_ : bought_;
      walked += q;
      if (!accounting_) continue;
      const double x = executionPrice(side, ref, impactFraction(m_.market, vol_, walked));
      const FillOutcome o = closeAt(p, c_, x, m_.policy);
      debt_ += o.badDebt;
      toFund_ += o.penaltyToFund;
      liquidated_ += q;
    }
    refreshNearest(sd);
  }

  const MarketSpec& m_;
  Contract c_;
  double mmr_, vol_ = 0, dt_ = 0, logP0_ = 0, h_ = 1e-4, fee_ = 0;
  PriceProcess proc_;
  std::vector<Family> families_;
  std::vector<int> bySide_[2];    // families with a finite liquidation level, per side
  std::vector<double> tops_;      // their extreme cells' levels, longs then shorts (none when empty)
  double reachLiq_[2] = {-INFINITY, INFINITY};  // per side, the logLiq nearest to a family's entry
  double nearest_[2] = {-INFINITY, INFINITY};   // nearest level per side (or nearer), explicit positions included
  std::vector<std::pair<size_t, double>> longs_, shorts_;
  size_t li_ = 0, si_ = 0;
  double x_ = 0, shift_ = 0;
  double sold_ = 0, bought_ = 0, debt_ = 0, toFund_ = 0, liquidated_ = 0, cascades_ = 0;
  bool accounting_ = true;
};

double standardNormalCdf(double x) { return 0.5 * boost::math::erfc(-x / std::sqrt(2.0)); }

// The markets of a path, their joint draws, and the fund(s) they draw on (SPEC §7, §14).
class PathEngine {
 public:
  explicit PathEngine(const Scenario& s) : s_(s) {
    for (const auto& m : s.markets) markets_.emplace_back(s, m);
    n_ = markets_.size();
    joint_ = n_ > 1 || s.commonJumps.active();
    draws_.resize(n_);
    e_.resize(n_);
    dt_ = 1.0 / s.simulation.stepsPerDay;
    perMarket_ = s.fund.scope == FundScope::PerMarket && n_ > 1;
    // Per-market funds as shares of the total: the curve scales all of them together.
    double total = 0;
    for (const auto& m : s.markets) total += perMarket_ ? m.balance : 0;
    for (const auto& m : s.markets) {
      double w = 1.0 / double(n_);
      if (total > 0) w = m.balance / total;
      else if (totalOpenInterest(s) > 0) w = m.book.openInterest / totalOpenInterest(s);
      weights_.push_back(w);
    }
    u0_ = perMarket_ ? total : s.fund.balance;
    grid_ = needsPolicyMode(s) ? policyFundGrid(s) : std::vector<double>{};
    if (!grid_.empty()) grid_.push_back(u0_);  // the current fund, tracked under the same policy
    windowSteps_ = drawdownWindowSteps(s);
    // The joint warm-up lasts the longest one; market j starts stepping at warmStart_[j].
    std::vector<long long> own;
    for (const auto& m : s.markets) own.push_back(std::llround(m.book.warmupDays * s.simulation.stepsPerDay));
    warm_ = own.empty() ? 0 : *std::max_element(own.begin(), own.end());
    for (long long w : own) warmStart_.push_back(warm_ - w);
    // Stages after the fund that hold money: treasury and vault, in the policy's order.
    for (Stage st : s.policy.stages)
      if (st == Stage::Treasury || st == Stage::BackstopVault) afterFund_.push_back(st);
    if (std::find(afterFund_.begin(), afterFund_.end(), Stage::BackstopVault) == afterFund_.end())
      afterFund_.push_back(Stage::BackstopVault);
  }

  // Simulates one path and writes its records at slot `k` of `out`.
  void run(long long pathIndex, PathBatch& out, long long k) {
    Rng rng(s_.simulation.seed, std::uint64_t(pathIndex));
    for (auto& m : markets_) m.reset(rng);
    // Warm-up: each book seasons on the model's path over its own last warmup_days.
    for (long long i = 0; i < warm_; ++i) {
      if (joint_) drawJoint(rng);
      for (size_t j = 0; j < n_; ++j)
        if (i >= warmStart_[j]) markets_[j].step(rng, joint_ ? &draws_[j] : nullptr);
    }
    for (auto& m : markets_) m.startAccounting();
    resetFunds();

    const int days = out.days;
    const long long steps = s_.simulation.steps();
    double total = 0, depletionDay = -1, adl = 0, tau = -1;
    double treasuryLeft = s_.fund.treasury.amount, vaultLeft = s_.fund.backstopVault;
    std::vector<double> mDebt(n_, 0.0);
    double* fundDays = &out.fundByDay[size_t(k) * size_t(days)];
    double* debtDays = &out.dailyBadDebt[size_t(k) * size_t(days)];
    std::fill(debtDays, debtDays + days, 0.0);
    for (long long i = 0; i < steps; ++i) {
      if (joint_) drawJoint(rng);
      for (size_t j = 0; j < n_; ++j) markets_[j].step(rng, joint_ ? &draws_[j] : nullptr);
      const double gPrev = g_;
      updateGrowth(rng);
      double debt = 0, inflow = 0;
      for (size_t j = 0; j < n_; ++j) {
        debt += markets_[j].debt();
        inflow += markets_[j].inflow();
        mDebt[j] += markets_[j].debt();
      }
      total += debt;
      double shortfall = flows();
      if (!grid_.empty()) shortfall = policyStep(i, debt, inflow, gPrev);
      const double t = double(i + 1) * dt_;
      if (depletionDay < 0 && depleted_) depletionDay = t;
      // What the fund did not cover goes to the treasury (once released) and the vault;
      // anything left reaches ADL or worse (SPEC §4, §14).
      if (shortfall > 1e-12 * std::max(1.0, debt)) {
        if (tau < 0) tau = t;
        double rem = shortfall;
        for (Stage st : afterFund_) {
          double& left = st == Stage::Treasury ? treasuryLeft : vaultLeft;
          if (st == Stage::Treasury && t < tau + s_.fund.treasury.delayDays - 1e-12) continue;
          const double pay = std::min(rem, left);
          left -= pay;
          rem -= pay;
        }
        if (rem > 1e-12 * std::max(1.0, debt)) adl = 1;
      }
      const int day = std::min(days - 1, int(double(i) * dt_));
      debtDays[day] += debt;
      if ((i + 1) % s_.simulation.stepsPerDay == 0 || i + 1 == steps) fundDays[day] = fundValue();
    }
    out.maxOutflow[size_t(k)] = headlineMax();
    out.badDebt[size_t(k)] = total;
    double liq = 0, casc = 0;
    for (auto& m : markets_) {
      liq += m.liquidated();
      casc += m.cascades();
    }
    out.liquidated[size_t(k)] = liq;
    out.depletionDay[size_t(k)] = depletionDay;
    out.cascadeRounds[size_t(k)] = casc;
    out.adl[size_t(k)] = adl;
    const size_t G = size_t(out.gridSize);
    for (size_t g = 0; g < G; ++g) out.gridDepleted[size_t(k) * G + g] = gDepleted_[g];
    if (out.markets > 1)
      for (size_t j = 0; j < n_; ++j) {
        out.marketBadDebt[size_t(k) * n_ + j] = mDebt[j];
        out.marketLiquidated[size_t(k) * n_ + j] = markets_[j].liquidated();
        out.marketMaxOutflow[size_t(k) * n_ + j] = mMax_[j];
      }
  }

 private:
  // Correlated normals by the Cholesky factor; the bridge uniforms by a Gaussian copula with
  // the same factor (identical markets at correlation 1 see identical intra-step extremes).
  void drawJoint(Rng& rng) {
    const auto& L = s_.choleskyFactor;
    auto correlated = [&](auto set) {
      for (size_t j = 0; j < n_; ++j) e_[j] = rng.normal();
      for (size_t j = 0; j < n_; ++j) {
        double v = 0;
        for (size_t q = 0; q <= j; ++q) v += L[j][q] * e_[q];
        set(draws_[j], v);
      }
    };
    correlated([](StepDraws& d, double v) { d.z = v; });
    correlated([](StepDraws& d, double v) { d.uLo = std::clamp(standardNormalCdf(v), 1e-300, 1.0); });
    correlated([](StepDraws& d, double v) { d.uHi = std::clamp(standardNormalCdf(v), 1e-300, 1.0); });
    double jump = 0;
    const auto& cj = s_.commonJumps;
    if (cj.active()) {
      const int k = rng.poisson(cj.intensityPerYear / 365.0 * dt_);
      for (int i = 0; i < k; ++i) jump += cj.mean + cj.stdev * rng.normal();
    }
    for (size_t j = 0; j < n_; ++j) draws_[j].jump = cj.active() ? cj.loadings[j] * jump : 0.0;
  }

  void resetFunds() {
    g_ = 1;
    tokenLog_.assign(s_.fund.composition.size(), 0.0);
    prevX_.assign(n_, 0.0);
    S_ = M_ = 0;
    units_ = u0_;
    mS_.assign(n_, 0.0);
    mMax_.assign(n_, 0.0);
    mUnits_.clear();
    for (size_t j = 0; j < n_; ++j) mUnits_.push_back(perMarket_ ? s_.markets[j].balance : 0.0);
    depleted_ = false;
    const size_t G = grid_.size();
    gf_ = grid_;
    gDepleted_.assign(G, 0.0);
    if (G && s_.policy.adlTrigger == AdlTriggerKind::Drawdown) {
      // The window starts full of the initial fund: one entry, step -1, stands for all of it.
      const size_t cap = size_t(windowSteps_) + 1;
      qIdx_.assign(G * cap, 0);
      qVal_.assign(G * cap, 0.0);
      qHead_.assign(G, 0);
      qSize_.assign(G, 1);
      for (size_t g = 0; g < G; ++g) {
        qIdx_[g * cap] = -1;
        qVal_[g * cap] = grid_[g];
      }
    }
  }

  // The fund's growth index G_k (SPEC §14): the value of one unit of its starting holdings.
  void updateGrowth(Rng& rng) {
    const auto& comp = s_.fund.composition;
    if (comp.empty()) return;
    double g = 0;
    for (size_t a = 0; a < comp.size(); ++a) {
      const FundHolding& h = comp[a];
      const MarketEngine& ref = markets_[size_t(h.market)];
      const double x = ref.logReturn();
      const bool inverse = ref.contract() == Contract::Inverse;  // money in coin
      double r = 1;
      if (h.asset == FundAsset::Quote) r = inverse ? std::exp(-x) : 1.0;
      else if (h.asset == FundAsset::Underlying) r = inverse ? 1.0 : std::exp(x);
      else {
        // Token: beta on the reference market's log-return plus its own shock (Itô-corrected).
        const double sd = h.dailyVolatility * std::sqrt(dt_);
        tokenLog_[a] += h.beta * (x - prevX_[size_t(h.market)]) + sd * rng.normal() - 0.5 * sd * sd;
        r = std::exp(tokenLog_[a] + (inverse ? -x : 0.0));
      }
      g += h.share * r;
    }
    for (size_t j = 0; j < n_; ++j) prevX_[j] = markets_[j].logReturn();
    g_ = g;
  }

  // Fund(s) at the current size: units of the holdings, outflows sold at G_k, so that
  // F_k = G_k·(u − Σ X_i/G_i). Returns the shortfall the fund(s) could not pay (quote).
  double flows() {
    double shortfall = 0;
    auto walk = [&](double x, double& units) {
      const double need = x / g_;
      if (need > units) shortfall += (need - units) * g_;
      units = std::max(0.0, units - need);
    };
    if (!perMarket_) {
      double x = 0;
      for (auto& m : markets_) x += m.debt() - m.inflow();
      S_ += x / g_;
      M_ = std::max(M_, S_);
      if (S_ > u0_) depleted_ = true;
      walk(x, units_);
    }
    for (size_t j = 0; j < n_; ++j) {
      const double x = markets_[j].debt() - markets_[j].inflow();
      mS_[j] += x / g_;
      mMax_[j] = std::max(mMax_[j], mS_[j]);
      if (perMarket_) {
        if (mS_[j] > s_.markets[j].balance) depleted_ = true;
        walk(x, mUnits_[j]);
      }
    }
    return shortfall;
  }

  // Per-market funds: depleted at total size U iff some market's M_j exceeds its share w_j·U.
  double headlineMax() const {
    if (!perMarket_) return M_;
    double z = 0;
    for (size_t j = 0; j < n_; ++j) z = std::max(z, weights_[j] > 0 ? mMax_[j] / weights_[j] : (mMax_[j] > 0 ? INFINITY : 0));
    return z;
  }

  double fundValue() const {
    if (!grid_.empty()) return gf_.back();
    if (!perMarket_) return units_ * g_;
    double v = 0;
    for (double u : mUnits_) v += u * g_;
    return v;
  }

  // The fund per size on the grid under the cap / floor / drawdown policy: depleted when a
  // step's bad debt is not covered in full. The last entry is the current fund; returns its
  // shortfall.
  double policyStep(long long i, double debt, double inflow, double gPrev) {
    const size_t G = grid_.size();
    const double cap = s_.fund.maxDrawFractionPerEvent.value_or(1.0);
    const bool dd = s_.policy.adlTrigger == AdlTriggerKind::Drawdown;
    double shortfall = 0;
    for (size_t g = 0; g < G; ++g) {
      double F = gf_[g] * (g_ / gPrev) + inflow;
      double avail = std::min(std::max(0.0, F - s_.fund.floor), cap * F);
      if (dd) {
        // Peak of the fund over steps [i - window, i - 1]: a monotonic queue per size gives it
        // in O(1) amortised (a scan of the window made each step O(window)).
        const size_t qc = size_t(windowSteps_) + 1, base = g * qc;
        while (qSize_[g] && qIdx_[base + qHead_[g]] < i - windowSteps_) {
          qHead_[g] = (qHead_[g] + 1) % qc;
          --qSize_[g];
        }
        const double peak = qSize_[g] ? std::max(F, qVal_[base + qHead_[g]]) : F;
        avail = std::min(avail, std::max(0.0, F - (1.0 - s_.policy.drawdownFraction) * peak));
      }
      const double pay = std::min(debt, avail);
      if (debt - pay > 1e-12 * std::max(1.0, debt)) gDepleted_[g] = 1.0;
      F -= pay;
      gf_[g] = F;
      if (dd) {
        const size_t qc = size_t(windowSteps_) + 1, base = g * qc;
        while (qSize_[g] && qVal_[base + (qHead_[g] + qSize_[g] - 1) % qc] <= F) --qSize_[g];
        const size_t at = base + (qHead_[g] + qSize_[g]) % qc;
        qIdx_[at] = i;
        qVal_[at] = F;
        ++qSize_[g];
      }
      if (g + 1 == G) shortfall = debt - pay;
    }
    depleted_ = gDepleted_.back() > 0;
    return shortfall;
  }

  const Scenario& s_;
  std::vector<MarketEngine> markets_;
  size_t n_ = 1;
  bool joint_ = false, perMarket_ = false, depleted_ = false;
  std::vector<StepDraws> draws_;
  std::vector<double> e_, weights_;
  double dt_ = 0, u0_ = 0, g_ = 1, S_ = 0, M_ = 0, units_ = 0;
  std::vector<double> tokenLog_, prevX_, mS_, mMax_, mUnits_;
  std::vector<double> grid_, gf_, gDepleted_;
  std::vector<long long> qIdx_;  // drawdown window: monotonic queue per fund size (ring of window + 1)
  std::vector<double> qVal_;
  std::vector<size_t> qHead_, qSize_;
  std::vector<Stage> afterFund_;
  long long warm_ = 0;
  std::vector<long long> warmStart_;
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
  b.markets = s.markets.size() > 1 ? int(s.markets.size()) : 0;
  const size_t n = size_t(end - begin);
  for (const auto& [values, perPath] : columns(b)) values->assign(n * perPath, 0.0);
  b.depletionDay.assign(n, -1);  // never depleted until a path says so
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
  // Rounding must not push the interval off the estimate at k = 0 or k = n.
  return {k <= 0 ? 0.0 : std::max(0.0, centre - half), k >= n ? 1.0 : std::min(1.0, centre + half)};
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

// Mean, VaR and ES (95 %, 99 %) of per-path horizon bad debt.
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

// Per-market breakdown (SPEC §14): each market's bad debt and liquidations, and its own
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
    events = countAbove(M, u0);  // P(depletion ≤ T | u) = P(M_T > u) (SPEC §7)
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
  // The analytic long-horizon view next to the Monte Carlo (SPEC §8): a Cramér–Lundberg
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
    out["fund_growth_index"] = "fund held in a basket: depletion iff u < max_k Σ X_i/G_i (SPEC §14)";
  out["generator"] = "xoshiro256++ per path, seeded by SplitMix64(seed, path index); normals by Marsaglia polar";
  return out;
}

std::vector<double> encodeBatch(const PathBatch& b) {
  std::vector<double> out{2.0, double(b.begin), double(b.end), double(b.days), double(b.gridSize), double(b.markets)};
  for (const auto& [values, perPath] : columns(b)) out.insert(out.end(), values->begin(), values->end());
  return out;
}

size_t encodedBatchLength(const double* d, size_t available) {
  auto bad = [] { throw InputError(ErrorCode::InvalidInput, {{"", "malformed path batch"}}); };
  // Header: version, begin, end, days, grid size, markets; then per path 6 + 2·days + grid + 3·markets.
  if (available < 6 || d[0] != 2.0) bad();
  const double paths = d[2] - d[1], days = d[3], grid = d[4], markets = d[5];
  if (!(paths >= 0 && days >= 1 && grid >= 0 && markets >= 0 && markets <= double(limits::kMaxMarkets))) bad();
  const double len = 6 + paths * (6 + 2 * days + grid + 3 * markets);
  if (!(len <= double(available))) bad();
  return size_t(len);
}

PathBatch decodeBatch(const double* d, size_t n) {
  if (encodedBatchLength(d, n) != n) throw InputError(ErrorCode::InvalidInput, {{"", "malformed path batch"}});
  PathBatch b;
  b.begin = (long long)d[1];
  b.end = (long long)d[2];
  b.days = int(d[3]);
  b.gridSize = int(d[4]);
  b.markets = int(d[5]);
  const size_t p = size_t(b.end - b.begin);
  size_t at = 6;
  for (const auto& [values, perPath] : columns(b)) {
    values->assign(d + at, d + at + p * perPath);
    at += p * perPath;
  }
  return b;
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
