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
        // Levels as multiples of entry (docs/formulas.md (position arithmetic) with M = notional/L).
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
      f.grid.clear();
      restore(f, std::exp(logP0_), cellOf(0.0));
    }
    li_ = si_ = 0;
    accounting_ = false;
    liquidated_ = cascades_ = 0;
  }

  // After the warm-up the price is re-anchored at the mark; explicit positions are the book now.
  void startAccounting() {
    shift_ += x_;
    x_ = 0;
    li_ = si_ = 0;
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
      sweep(Side::Long, x0 + bridgeMin(mv.diffusion, mv.variance, uLo), true);
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
  }

  const MarketSpec& m_;
  Contract c_;
  double mmr_, vol_ = 0, dt_ = 0, logP0_ = 0, h_ = 1e-4, fee_ = 0;
  PriceProcess proc_;
  std::vector<Family> families_;
  std::vector<std::pair<size_t, double>> longs_, shorts_;
  size_t li_ = 0, si_ = 0;
  double x_ = 0, shift_ = 0;
  double sold_ = 0, bought_ = 0, debt_ = 0, toFund_ = 0, liquidated_ = 0, cascades_ = 0;
  bool accounting_ = true;
};

}  // namespace
}  // namespace backstop
