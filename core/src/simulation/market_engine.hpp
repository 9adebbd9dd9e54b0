// One market's book and price on a simulated path (docs/model.md, the fund process):
// synthetic cohorts on a grid, explicit positions, liquidations and their bad debt.
// Private to simulation.cpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "backstop/market/liquidation.hpp"
#include "backstop/market/price_model.hpp"
#include "backstop/market/random.hpp"
#include "backstop/model/scenario.hpp"
#include "book/cohort_grid.hpp"

namespace backstop {
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

// Draws a correlated multi-market step takes from the path's stream (docs/model.md (several markets, one fund)).
struct StepDraws {
  double z = 0;         // diffusion shock
  double uLo = 0.5, uHi = 0.5;  // bridge extremes (Gaussian copula with the same correlation)
  double jump = 0;      // common jump factor × this market's loading
};

// One market's book and price on a path: liquidations, their bad debt and fund inflows.
class MarketEngine {
 public:
  MarketEngine(const Scenario& s, const MarketSpec& m)
      : m_(m), c_(m.market.contract), mmr_(m.market.maintenanceMarginRate), mm_(maintenanceOf(m.market, m.policy)),
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
        // Levels as multiples of entry (docs/formulas.md (position arithmetic) with M = notional/L).
        if (c_ == Contract::Linear) {
          f.logBk = side == Side::Long ? std::log(1 - il) : std::log(1 + il);
          f.logLiq = side == Side::Long ? std::log((1 - il) / (1 - mmr_)) : std::log((1 + il) / (1 + mmr_));
        } else {
          f.logBk = side == Side::Long ? -std::log(1 + il) : (il < 1 ? -std::log(1 - il) : INFINITY);
          f.logLiq = side == Side::Long ? std::log((1 + mmr_) / (1 + il)) : (il < 1 ? std::log((1 - mmr_) / (1 - il)) : INFINITY);
        }
        if (!mm_.tiers.empty() && m.book.accountNotional > 0) {
          // Tiered maintenance: the level of one account of book.account_notional (its tier),
          // the same relative to entry wherever a cell opened.
          const double n = m.book.accountNotional, E = m.market.markPrice;
          const Position acct{"", side, c_ == Contract::Linear ? n / E : n * E, E, n / b.leverage};
          const auto liq = liquidationPrice(acct, c_, mm_);
          f.logLiq = liq ? std::log(*liq / E) : (side == Side::Long ? -INFINITY : INFINITY);
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
      const auto liq = liquidationPrice(p, c_, mm_);
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
    StepMove mv = proc_.step(rng, d ? &d->z : nullptr);
    if (d) mv.jump += d->jump;
    double uLo = 0.5, uHi = 0.5;
    if (mv.variance > 0) {
      uLo = d ? d->uLo : rng.uniform();
      uHi = d ? d->uHi : rng.uniform();
    }
    apply(mv, uLo, uHi);
  }

  // One step whose draws are given: the diffusion, its bridge uniforms and the jumps.
  void apply(const StepMove& mv, double uLo, double uHi) {
    debt_ = toFund_ = 0;
    sold_ = bought_ = 0;
    const double x0 = x_;
    const double end = x0 + mv.diffusion;
    if (mv.variance > 0) {
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

  // Importance sampling: draw under `t` from now on (after the warm-up) and tally the draws.
  void setTilt(const ProcessTilt& t) { proc_.setTilt(t); }
  void endTilt() { proc_.endTilt(); }
  const TiltTally& tally() const { return proc_.tally(); }

  // The event engine (simulation.cpp): GBM or Merton on a book without renewal (explicit
  // positions only, linear contract), where nothing happens between liquidations but fees.
  bool eventDriven() const {
    const auto k = m_.priceModel.kind;
    return families_.empty() && c_ == Contract::Linear && (k == PriceModelKind::Gbm || k == PriceModelKind::Merton) &&
           proc_.variancePerStep() > 0;
  }
  const PriceProcess& process() const { return proc_; }
  double nearestLevel(int sd) const { return nearest_[sd]; }
  void setLogReturn(double x) { x_ = x; }
  double fee() const { return fee_; }  // the inflow of a step without liquidations (linear)

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
    Position cell;  // a synthetic cell's cohort; an explicit position is read in place (no copy of its id)
    while (next(side, y, cd)) {
      const double ref = std::exp(logP0_ + (atLevel ? cd.logLevel : y));
      const Position* pp = &cell;
      if (cd.family >= 0) {
        Family& f = families_[size_t(cd.family)];
        cell.side = f.side;
        cell.quantity = f.grid.take(cd.cell);
        setTop(f);
        cell.entryPrice = std::exp(logP0_ + cellLog(cd.cell));
        cell.collateral = notionalInMargin(cell, c_, cell.entryPrice) / f.leverage;
      } else {
        pp = &m_.book.positions[cd.explicitIndex];
        ++(side == Side::Long ? li_ : si_);
      }
      const Position& p = *pp;
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
  double mmr_;
  Maintenance mm_;  // tiers (policy.venue.maintenance_tiers) or the one rate
  double vol_ = 0, dt_ = 0, logP0_ = 0, h_ = 1e-4, fee_ = 0;
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

}  // namespace
}  // namespace backstop
