#include "backstop/stress/stress.hpp"

#include <algorithm>
#include <cmath>

#include "backstop/market/liquidation.hpp"
#include "backstop/venues/venues.hpp"

namespace backstop {

std::vector<BookEntry> initialBook(const Scenario& s) {
  std::vector<BookEntry> book;
  for (const auto& p : s.book().positions) book.push_back({p, true, false});
  if (s.book().synthetic()) {
    const double P = s.market().markPrice;
    for (Side side : {Side::Long, Side::Short}) {
      for (const auto& b : s.book().leverage) {
        if (b.share <= 0) continue;
        Position p;
        p.id = std::string("synthetic:") + toString(side) + ":" + formatValue(b.leverage) + "x";
        p.side = side;
        const double notionalQuote = s.book().openInterest * b.share;
        p.quantity = s.market().contract == Contract::Linear ? notionalQuote / P : notionalQuote;
        p.entryPrice = P;
        p.collateral = notionalInMargin(p, s.market().contract, P) / b.leverage;
        book.push_back({p, true, true});
      }
    }
  }
  return book;
}

namespace {

bool crossed(const Position& p, Contract c, double mark, double mmr) {
  const auto liq = liquidationPrice(p, c, mmr);
  if (!liq) return false;
  return p.side == Side::Long ? mark <= *liq : mark >= *liq;
}

bool hasStage(const Policy& p, Stage s) { return std::find(p.stages.begin(), p.stages.end(), s) != p.stages.end(); }

Position scaled(const Position& p, double quantity, double collateral) {
  Position part = p;
  part.quantity = quantity;
  part.collateral = collateral;
  return part;
}

// One shock applied to the book: the cascade of liquidations, each fill through the waterfall.
class ShockRun {
 public:
  ShockRun(const Scenario& s, double shock)
      : s_(s), c_(s.market().contract), mmr_(s.market().maintenanceMarginRate), vol_(modelDailyVolatility(s.priceModel())),
        book_(initialBook(s)), wf_(s.market(), s.policy, s.fund, s.simulation.seed) {
    wf_.startEvent();
    ev_.shock = shock;
    p1_ = s.market().markPrice * (1.0 + shock);
    mark_ = p1_;
    outcome_.resize(book_.size());
    for (size_t i = 0; i < book_.size(); ++i) outcome_[i].id = book_[i].position.id;
  }

  StressEvent run() {
    std::vector<char> done(book_.size(), 0);
    std::vector<double> triedAt(book_.size(), NAN);  // a partly liquidated position retries only at a new mark
    // Cascade: liquidate what the mark has crossed, in crossing order; permanent impact moves
    // the mark, which may cross more levels. Bounded by the number of positions.
    for (int round = 0; round < (int)book_.size() + 1; ++round) {
      std::vector<size_t> hit;
      for (size_t i = 0; i < book_.size(); ++i)
        if (!done[i] && book_[i].open && !(triedAt[i] == mark_) && crossed(book_[i].position, c_, mark_, mmr_))
          hit.push_back(i);
      if (hit.empty()) break;
      ev_.cascadeRounds = round + 1;
      // Crossing order: on the way down the highest long liquidation level first, on the way up the lowest short one.
      std::sort(hit.begin(), hit.end(), [&](size_t a, size_t b) {
        const Position& pa = book_[a].position;
        const Position& pb = book_[b].position;
        const double la = *liquidationPrice(pa, c_, mmr_), lb = *liquidationPrice(pb, c_, mmr_);
        if (pa.side != pb.side) return pa.side == (ev_.shock <= 0 ? Side::Long : Side::Short);
        if (la != lb) return pa.side == Side::Long ? la > lb : la < lb;
        return pa.id < pb.id;
      });
      for (size_t i : hit) {
        if (!book_[i].open) continue;  // deleveraged to zero by an earlier fill
        outcome_[i].liquidated = true;
        triedAt[i] = mark_;
        if (s_.policy.preset == Venue::DydxV4 && c_ == Contract::Linear) liquidateDydx(i);
        else if (s_.policy.preset == Venue::Drift) liquidateDrift(i);
        else liquidateGeneric(i);
        if (!book_[i].open) done[i] = 1;
      }
      // Permanent impact of everything liquidated so far moves the mark (docs/formulas.md (closing a position) feedback).
      const double perm = s_.market().liquidity.permanentImpact;
      mark_ = p1_ * (1.0 - perm * impactFraction(s_.market(), vol_, sold_)) *
              (1.0 + perm * impactFraction(s_.market(), vol_, bought_));
      if (perm <= 0) break;
    }
    if (s_.policy.maxPnlFactor >= 0 || s_.policy.maxPnlFactorForAdl >= 0) gmxPool();
    for (size_t i = 0; i < book_.size(); ++i)
      if (outcome_[i].liquidated && book_[i].open) outcome_[i].remainingQuantity = book_[i].position.quantity;
    ev_.markAfter = mark_;
    ev_.fundAfter = wf_.fund();
    ev_.vaultAfter = wf_.vault();
    ev_.feePoolAfter = wf_.feePool();
    ev_.treasuryAfter = wf_.treasury();
    ev_.positions = std::move(outcome_);
    return std::move(ev_);
  }

 private:
  double& walked(Side side) { return side == Side::Long ? sold_ : bought_; }

  void creditPenalty(PositionOutcome& o, double penalty, double toFund, double toVault) {
    o.penalty += penalty;
    if (toFund > 0) {
      wf_.creditFund(toFund);
      ev_.penaltiesToFund += toFund;
    }
    if (toVault > 0) {
      wf_.creditVault(toVault);
      ev_.penaltiesToVault += toVault;
    }
  }

  // Sends bad debt of the closed part `closed` through the waterfall.
  void cover(PositionOutcome& o, double debt, const Position& closed, bool skipFund) {
    if (!(debt > 0)) return;
    o.badDebt += debt;
    ev_.badDebt += debt;
    ev_.waterfall += wf_.cover(debt, closed, mark_, book_, ev_.adlFills, skipFund);
  }

  void closeWhole(size_t i) {
    book_[i].open = false;
    book_[i].position.quantity = 0;
  }

  // docs/formulas.md (closing a position): the whole position as one market order; the penalty split; all_or_nothing cover.
  void liquidateGeneric(size_t i) {
    Position& p = book_[i].position;
    PositionOutcome& o = outcome_[i];
    const double q = notionalInQuote(p, c_, mark_);
    double& w = walked(p.side);
    w += q;
    ev_.liquidatedNotional += q;
    o.liquidatedQuantity += p.quantity;
    // Walking the book: this fill's impact counts everything liquidated before it in the event.
    const double x = executionPrice(p.side, p1_, impactFraction(s_.market(), vol_, w));
    FillOutcome f;
    bool skipFund = false;
    const bool backstop = s_.policy.preset == Venue::Hyperliquid &&
                          equity(p, c_, mark_) < s_.policy.backstopThreshold * maintenanceRequirement(p, c_, mark_, mmr_);
    if (backstop) {
      // Hyperliquid: the liquidator vault takes the position and its margin at the mark.
      f.executionPrice = mark_;
      f.realisedEquity = equity(p, c_, mark_);
      if (f.realisedEquity >= 0) {
        wf_.creditVault(f.realisedEquity);
        f.penalty = f.realisedEquity;
      } else {
        f.badDebt = -f.realisedEquity;
      }
      w -= q;  // not executed in the book
      o.backstopped = true;
    } else {
      f = closeAt(p, c_, x, s_.policy);
      if (f.badDebt > 0 && s_.policy.fundCoverage == FundCoverage::AllOrNothing && equity(p, c_, mark_) < 0 &&
          hasStage(s_.policy, Stage::InsuranceFund) && wf_.fundAvailable() < f.badDebt) {
        // docs/formulas.md (loss waterfall) all_or_nothing (BitMEX, dYdX v4): a fill the fund cannot cover entirely is
        // rejected; the whole position goes to the next stage at its bankruptcy price, so the
        // debt is its equity at the mark, not the impacted fill's, and the book is not walked.
        skipFund = true;
        f = FillOutcome{};
        f.executionPrice = mark_;
        f.realisedEquity = equity(p, c_, mark_);
        f.badDebt = -f.realisedEquity;
        w -= q;
        o.backstopped = true;
      }
    }
    o.executionPrice = f.executionPrice;
    o.returned += f.returned;
    if (backstop) o.penalty += f.penalty;
    else creditPenalty(o, f.penalty, f.penaltyToFund, s_.policy.penaltyToVault * f.penalty);
    const Position closed = p;
    closeWhole(i);
    cover(o, f.badDebt, closed, skipFund);
  }

  // Drift v2 liquidate_perp: sell only the base that restores margin to maintenance + buffer
  // (math/liquidation.rs calculate_base_asset_amount_to_cover_margin_shortage), with the
  // liquidator fee and the insurance-fund fee (calculate_perp_if_fee); a bankrupt position is
  // closed whole and its loss resolved by resolve_perp_bankruptcy (the waterfall's stages).
  void liquidateDrift(size_t i) {
    Position& p = book_[i].position;
    PositionOutcome& o = outcome_[i];
    const double mrb = mmr_ + s_.policy.liquidationMarginBuffer;
    const double eq = equity(p, c_, mark_);
    const double notional = notionalInMargin(p, c_, mark_);
    const double shortage = std::max(0.0, mrb * notional - eq);
    const double unitPrice = notional / p.quantity;  // base × unitPrice = notional, in margin units
    const double liqFee = s_.policy.penaltyRate;
    const double ifFee =
        venues::drift::insuranceFundFee(shortage, p.quantity, unitPrice, mrb, liqFee, s_.policy.maxInsuranceFundFee);
    double fraction = 1.0;
    if (eq > 0) {
      const double base = venues::drift::baseToCoverShortage(shortage, mrb, liqFee, ifFee, unitPrice);
      if (std::isfinite(base) && base > 0 && base < p.quantity * (1 - 1e-9)) fraction = base / p.quantity;
    }
    double& w = walked(p.side);
    const double q = notionalInQuote(p, c_, mark_);
    FillOutcome f;
    for (;;) {
      const double x = executionPrice(p.side, p1_, impactFraction(s_.market(), vol_, w + fraction * q));
      f = closeAt(scaled(p, fraction * p.quantity, fraction * p.collateral), c_, x, s_.policy);
      if (f.badDebt > 0 && fraction < 1) { fraction = 1; continue; }  // impact ate the margin: close it all
      break;
    }
    const Position part = scaled(p, fraction * p.quantity, fraction * p.collateral);
    w += fraction * q;
    ev_.liquidatedNotional += fraction * q;
    o.liquidatedQuantity += part.quantity;
    o.executionPrice = f.executionPrice;
    if (f.realisedEquity >= 0) {
      // The insurance-fund fee on top of the liquidator fee, from what is left.
      const double extra = std::min(f.returned, ifFee * notionalInMargin(part, c_, f.executionPrice));
      f.penalty += extra;
      f.penaltyToFund += extra;
      f.returned -= extra;
    }
    creditPenalty(o, f.penalty, f.penaltyToFund, s_.policy.penaltyToVault * f.penalty);
    if (fraction < 1) {
      // The account keeps what the sold part left, against the rest of the position.
      p.collateral = p.collateral * (1 - fraction) + f.returned;
      p.quantity -= part.quantity;
      return;
    }
    o.returned += f.returned;
    closeWhole(i);
    cover(o, f.badDebt, part, false);
  }

  // dYdX v4 (v4-chain x/clob): the liquidation order walks the book level by level, filling only
  // at prices no worse than the fillable price; a fill the fund cannot cover is rejected. What is
  // left is deleveraged at its bankruptcy price when the account's equity is negative, and stays
  // open otherwise (only negative-TNC accounts are deleveraged).
  void liquidateDydx(size_t i) {
    Position& p = book_[i].position;
    PositionOutcome& o = outcome_[i];
    const double sgn = sign(p.side);
    const double nnv = p.quantity * mark_;
    const double tnc = equity(p, c_, mark_);
    const double fillable = venues::dydx::fillablePrice(sgn * nnv, sgn * p.quantity, mmr_ * nnv, tnc, mmr_ * nnv,
                                                        s_.policy.bankruptcyAdjustment, s_.policy.spreadToMaintenance);
    double& w = walked(p.side);
    // The continuous book as levels: slices between what the event already took and the depth
    // where the level price reaches the fillable price, each at its exact average price.
    const double impactAtFillable = p.side == Side::Long ? 1.0 - fillable / p1_ : fillable / p1_ - 1.0;
    const bool flat = s_.market().liquidity.model == ImpactModel::None;
    const double fillableDepth = impactAtFillable < 0 ? 0.0
                                 : flat                ? INFINITY
                                                       : depthAtImpact(s_.market(), vol_, impactAtFillable);
    const double reach = std::clamp(fillableDepth - w, 0.0, nnv);
    std::vector<venues::dydx::BookLevel> levels;
    const int slices = flat ? 1 : 16;  // a flat book is one level at the reference price
    for (int k = 0; k < slices && reach > 0; ++k) {
      const double a = w + reach * k / slices, b = w + reach * (k + 1) / slices;
      const double avgImpact = (impactIntegral(s_.market(), vol_, b) - impactIntegral(s_.market(), vol_, a)) / (b - a);
      levels.push_back({executionPrice(p.side, p1_, avgImpact), (b - a) / mark_});
    }
    const double usdc = p.collateral - sgn * p.quantity * p.entryPrice;
    const double maxFee = s_.policy.penaltyMode == PenaltyMode::RemainingMargin ? INFINITY : s_.policy.penaltyRate;
    const double fund = hasStage(s_.policy, Stage::InsuranceFund) ? wf_.fundAvailable() : 0.0;
    const venues::dydx::LiquidationMatch m =
        venues::dydx::matchLiquidation(int(sgn), p.quantity, usdc, levels, fillable, maxFee, fund);

    const double q0 = p.quantity;
    const double filledFraction = std::min(1.0, m.filled / q0);
    const Position filled = scaled(p, m.filled, p.collateral * filledFraction);
    if (m.filled > 0) {
      w += m.filled * mark_;
      ev_.liquidatedNotional += m.filled * mark_;
      o.liquidatedQuantity += m.filled;
      o.executionPrice = m.quote / m.filled;
      const double toFund = s_.policy.penaltyToFund * m.fees;
      creditPenalty(o, m.fees, toFund, std::min(m.fees - toFund, s_.policy.penaltyToVault * m.fees));
    }
    p.quantity = q0 - m.filled;
    p.collateral = p.collateral * (1 - filledFraction) + m.kept;
    if (m.filled > 0) cover(o, m.fundPaid, filled, false);  // the fund pays each fill below bankruptcy
    if (p.quantity <= 1e-12 * q0) {
      o.returned += p.collateral;
      closeWhole(i);
      return;
    }
    const double eqLeft = equity(p, c_, mark_);
    // Stays open: only negative-TNC accounts are deleveraged (rounding at exactly bankruptcy is not negative).
    if (eqLeft >= -1e-12 * notionalInMargin(p, c_, mark_)) return;
    // Deleveraged at the bankruptcy price: offsetting positions take the debt, the fund is not asked.
    const Position rest = p;
    ev_.liquidatedNotional += rest.quantity * mark_;
    o.deleveragedQuantity += rest.quantity;
    o.liquidatedQuantity += rest.quantity;
    o.backstopped = true;
    if (m.filled <= 0) o.executionPrice = mark_;
    closeWhole(i);
    cover(o, -eqLeft, rest, true);
  }

  // GMX v2 after the event: a side's PnL capped by the pool (getCappedPnl) and ADL while its
  // pnl-to-pool factor exceeds MAX_PNL_FACTOR_FOR_ADL, closing the ranked profitable positions
  // with capped PnL down to MIN_PNL_FACTOR_AFTER_ADL. The vault is the pool's value (getPoolValue
  // = pool USD − net pending PnL), so pool USD = vault + the open positions' net PnL.
  void gmxPool() {
    const Policy& pol = s_.policy;
    auto sidePnl = [&](Side side) {
      double sum = 0;
      for (const auto& e : book_)
        if (e.open && e.position.side == side) sum += unrealisedPnl(e.position, c_, mark_);
      return sum;
    };
    auto capRatio = [&](double pnl, double poolUsd) {
      if (pol.maxPnlFactor < 0 || !(pnl > 0)) return 1.0;
      return venues::gmx::cappedPnl(1.0, pnl, std::max(0.0, poolUsd), pol.maxPnlFactor);
    };
    for (Side side : {Side::Long, Side::Short}) {
      PoolSide ps;
      ps.side = side;
      ps.pnl = sidePnl(side);
      if (!(ps.pnl > 0)) continue;
      ps.poolUsd = wf_.vault() + ps.pnl + sidePnl(opposite(side));
      ps.factor = venues::gmx::pnlToPoolFactor(ps.pnl, ps.poolUsd);
      ps.cappedRatio = capRatio(ps.pnl, ps.poolUsd);
      ps.adl = pol.maxPnlFactorForAdl >= 0 && ps.factor > pol.maxPnlFactorForAdl;
      double pnl = ps.pnl, poolUsd = ps.poolUsd, factor = ps.factor;
      if (ps.adl) {
        const double target = pol.minPnlFactorAfterAdl >= 0 ? pol.minPnlFactorAfterAdl : pol.maxPnlFactorForAdl;
        std::vector<size_t> cps;
        std::vector<double> score(book_.size(), 0.0);
        for (size_t i = 0; i < book_.size(); ++i) {
          const Position& p = book_[i].position;
          if (!book_[i].open || p.side != side || !(p.quantity > 0) || !(unrealisedPnl(p, c_, mark_) > 0)) continue;
          cps.push_back(i);
          const bool ranked = pol.adlRanking != AdlRanking::Random && pol.adlRanking != AdlRanking::ProRata;
          score[i] = adlScore(ranked ? pol.adlRanking : AdlRanking::Pnl, p, c_, mark_, mmr_);
        }
        std::sort(cps.begin(), cps.end(), [&](size_t a, size_t b) {
          if (score[a] != score[b]) return score[a] > score[b];
          return book_[a].position.id < book_[b].position.id;
        });
        for (size_t i : cps) {
          if (!(factor > target)) break;
          Position& p = book_[i].position;
          const double upnl = unrealisedPnl(p, c_, mark_);
          const double ratio = capRatio(pnl, poolUsd);
          const double fraction = venues::gmx::adlCloseFraction(pnl, poolUsd, upnl, ratio, target);
          if (!(fraction > 0)) break;
          const double qty = fraction * p.quantity, realised = fraction * upnl, paid = realised * ratio;
          const double haircut = realised - paid;
          // The close price at which the trader realises only the capped PnL.
          const double perUnit = haircut / qty;
          double price;
          if (c_ == Contract::Linear) price = p.side == Side::Long ? mark_ - perUnit : mark_ + perUnit;
          else price = p.side == Side::Long ? 1.0 / (1.0 / mark_ + perUnit) : 1.0 / (1.0 / mark_ - perUnit);
          ps.fills.push_back({p.id, qty, price, haircut});
          ps.paid += paid;
          ps.haircut += haircut;
          wf_.creditVault(haircut);  // pool value: USD −paid, pending PnL −realised
          pnl -= realised;
          poolUsd -= paid;
          factor = venues::gmx::pnlToPoolFactor(pnl, poolUsd);
          p.collateral *= 1 - fraction;
          p.quantity -= qty;
          if (fraction >= 1) closeWhole(i);
        }
      }
      ps.factorAfter = factor;
      ev_.pool.push_back(std::move(ps));
    }
  }

  const Scenario& s_;
  Contract c_;
  double mmr_, vol_;
  std::vector<BookEntry> book_;
  Waterfall wf_;
  StressEvent ev_;
  std::vector<PositionOutcome> outcome_;
  double p1_ = 0, mark_ = 0;
  double sold_ = 0, bought_ = 0;  // quote notional liquidated by selling (longs) and buying (shorts)
};

}  // namespace

StressEvent runShock(const Scenario& s, double shock) {
  // The engine's own preconditions: a scenario built in code reaches it without the reader.
  Issues issues;
  const Market& m = s.market();
  if (!(std::isfinite(m.markPrice) && m.markPrice > 0))
    issues.add("/market/mark_price", "must be a finite number > 0, got " + formatValue(m.markPrice));
  if (!(m.maintenanceMarginRate > 0 && m.maintenanceMarginRate < 1))
    issues.add("/market/maintenance_margin_rate", "must be within (0, 1), got " + formatValue(m.maintenanceMarginRate));
  if (!(shock > -1 && shock <= 10)) issues.add("/stress/shocks", "must be a relative move in (-1, 10], got " + formatValue(shock));
  issues.throwIfAny();
  return ShockRun(s, shock).run();
}

std::vector<StressEvent> runStress(const Scenario& s) {
  std::vector<StressEvent> out;
  for (double shock : s.stress.shocks) out.push_back(runShock(s, shock));
  return out;
}

namespace {

// The single-market scenario of market j, drawing on `fund` and `vault` as they stand.
Scenario marketScenario(const Scenario& s, size_t j, double fund, double vault, double treasury) {
  Scenario one = s;
  const MarketSpec& m = s.markets[j];
  one.policy = m.policy;
  one.fund.balance = fund;
  one.fund.backstopVault = vault;
  one.fund.treasury.amount = treasury;
  one.markets = {m};
  one.multiMarket = false;
  return one;
}

// A shock moves every market by the same relative amount; the markets' liquidations go
// through the waterfall in the order listed, one shared fund carried from market to market
// (or each market's own fund with scope per_market). docs/model.md (several markets).
StressEvent multiMarketEvent(const Scenario& s, double shock) {
  const bool perMarket = s.fund.scope == FundScope::PerMarket;
  double fund = s.fund.balance, vault = s.fund.backstopVault, fundAfter = 0, treasury = s.fund.treasury.amount;
  StressEvent agg;
  agg.shock = shock;
  for (size_t j = 0; j < s.markets.size(); ++j) {
    StressEvent e = runShock(marketScenario(s, j, perMarket ? s.markets[j].balance : fund, vault, treasury), shock);
    const std::string prefix = s.markets[j].market.symbol.empty() ? "market-" + std::to_string(j) : s.markets[j].market.symbol;
    agg.liquidatedNotional += e.liquidatedNotional;
    agg.badDebt += e.badDebt;
    agg.penaltiesToFund += e.penaltiesToFund;
    agg.penaltiesToVault += e.penaltiesToVault;
    agg.feePoolAfter += e.feePoolAfter;
    agg.cascadeRounds += e.cascadeRounds;
    agg.waterfall += e.waterfall;
    for (AdlFill f : e.adlFills) {
      f.id = prefix + "/" + f.id;
      agg.adlFills.push_back(std::move(f));
    }
    for (PositionOutcome p : e.positions) {
      p.id = prefix + "/" + p.id;
      agg.positions.push_back(std::move(p));
    }
    if (perMarket) fundAfter += e.fundAfter;
    else fund = fundAfter = e.fundAfter;
    vault = e.vaultAfter;
    if (s.fund.treasury.delayDays <= 0) treasury = e.treasuryAfter;
    e.symbol = s.markets[j].market.symbol;
    agg.markets.push_back(std::move(e));
  }
  agg.markAfter = agg.markets.empty() ? 0.0 : agg.markets[0].markAfter;  // the first market's; each market's is in `markets`
  agg.fundAfter = fundAfter;
  agg.vaultAfter = vault;
  agg.treasuryAfter = treasury;
  return agg;
}

}  // namespace

StressResult runStressEvents(const Scenario& s) {
  StressResult r;
  r.scenario = s.name;
  r.preset = s.policy.preset;
  r.fundBefore = currentFundBalance(s);
  if (s.multiMarket) {
    for (double shock : s.stress.shocks) r.events.push_back(multiMarketEvent(s, shock));
  } else {
    r.events = runStress(s);
  }
  return r;
}

StressResult stress(const Scenario& in, const RunOptions&) {
  const Scenario s = resolve(in);
  ScenarioNeeds needs;
  needs.stress = true;
  const std::vector<FieldError> errors = validate(s, needs);
  if (!errors.empty()) throw InputError(ErrorCode::InvalidInput, errors);
  return runStressEvents(s);
}

}  // namespace backstop
