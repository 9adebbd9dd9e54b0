// GMX v2 (gmx-synthetics): liquidation at the oracle with capped impact and fees, the pool's PnL
// cap (MarketUtils.getCappedPnl) and its ADL (AdlHandler) after an event; the LP pool is the counterparty.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "all.hpp"
#include "backstop/market/liquidation.hpp"
#include "backstop/venues/venues.hpp"
#include "backstop/waterfall/adl.hpp"
#include "stress/shock_run.hpp"

namespace backstop::venues {

namespace gmx {
double liquidationFeeUsd(double sizeUsd, double factor) { return sizeUsd * factor; }
double cappedPnl(double positionPnl, double poolPnl, double poolValue, double maxPnlFactor) {
  const double cap = poolValue * maxPnlFactor;
  if (poolPnl <= cap || poolPnl <= 0) return positionPnl;
  return positionPnl * cap / poolPnl;
}
double pnlToPoolFactor(double poolPnl, double poolUsd) {
  if (poolUsd > 0) return poolPnl / poolUsd;
  return poolPnl > 0 ? INFINITY : 0.0;
}
double adlCloseFraction(double poolPnl, double poolUsd, double positionPnl, double cappedRatio, double target) {
  // (P − φp)/(T − φp·r) = target  =>  φ = (P − target·T)/(p·(1 − target·r)).
  const double denom = positionPnl * (1.0 - target * cappedRatio);
  if (!(denom > 0)) return 1.0;
  return std::clamp((poolPnl - target * poolUsd) / denom, 0.0, 1.0);
}
}  // namespace gmx

namespace {

Policy preset(const std::string&) {
  // GMX v2 (gmx-synthetics a5c0c883): liquidationFeeUsd = sizeInUsd·liquidationFeeFactor, 0.2 %
  // (config/markets.ts:344); 37 % of liquidation and position fees to the fee receiver on mainnet
  // (config/general.ts:143-146; the 0 at general.ts:69 is the hardhat block), the rest to the pool;
  // a liquidation's negative impact capped at negativeMaxPositionImpactFactor 0.5 %
  // (config/markets.ts:305, DecreasePositionCollateralUtils.sol:151-170); the LP pool is the
  // counterparty and absorbs losses; baseMarketConfig (config/markets.ts:290-292):
  // maxPnlFactorForTraders 90 %, maxPnlFactorForAdl 85 %, minPnlFactorAfterAdl 77 %.
  Policy p;
  p.penaltyMode = PenaltyMode::FeeRate;
  p.penaltyRate = 0.002;
  p.penaltyToFund = 0.0;
  p.penaltyToVault = 0.63;
  p.stages = {Stage::BackstopVault, Stage::Adl};
  p.adlRanking = AdlRanking::Pnl;
  p.maxPnlFactor = 0.9;
  p.maxPnlFactorForAdl = 0.85;
  p.minPnlFactorAfterAdl = 0.77;
  p.maxNegativeImpact = 0.005;
  return p;
}

// GMX v2 liquidation (DecreasePositionUtils via LiquidationUtils): the position is closed against
// the pool at the oracle price, not in a book. Its negative price impact (GMX's own from the OI
// imbalance; here the scenario's impact law stands in for it) is capped at
// maxNegativeImpact × sizeInUsd and paid into the position impact pool, which belongs to the LPs
// (MarketUtils.sol:289); the liquidation fee (penalty.rate) and the position fee (the market's taker
// fee, positionFeeFactorForNegativeImpact 0.06 % in config/markets.ts:298) are charged on sizeInUsd,
// the entry value (PositionPricingUtils.getPositionFees). The pool pays only the equity at the
// oracle that is negative. Linear (USD) markets only.
bool liquidate(ShockRun& r, size_t i) {
  if (r.c_ != Contract::Linear) return false;
  Position& p = r.book_[i].position;
  PositionOutcome& o = r.outcome_[i];
  const Policy& pol = r.s_.policy;
  const double sizeInUsd = p.quantity * p.entryPrice;
  const double q = notionalInQuote(p, r.c_, r.mark_);
  double& w = r.walked(p.side);
  w += q;
  r.ev_.liquidatedNotional += q;
  o.liquidatedQuantity += p.quantity;
  double impactUsd = impactFraction(r.s_.market(), r.vol_, w) * q;
  if (pol.maxNegativeImpact >= 0) impactUsd = std::min(impactUsd, pol.maxNegativeImpact * sizeInUsd);
  const double eq = equity(p, r.c_, r.mark_);
  const double impactPaid = std::clamp(impactUsd, 0.0, std::max(0.0, eq));
  const double fees = std::clamp((pol.penaltyRate + r.s_.market().takerFeeRate) * sizeInUsd, 0.0,
                                 std::max(0.0, eq - impactPaid));
  o.executionPrice = r.mark_ * (1.0 - sign(p.side) * impactPaid / q);
  r.creditPenalty(o, fees, pol.penaltyToFund * fees, pol.penaltyToVault * fees);
  r.creditPenalty(o, 0.0, 0.0, impactPaid);  // the position impact pool: counted in penalties_to_vault
  o.returned += std::max(0.0, eq) - impactPaid - fees;
  const Position closed = p;
  r.closeWhole(i);
  r.cover(o, std::max(0.0, -eq), closed, false);
  return true;
}

// GMX v2 after the event: a side's PnL capped by the pool (getCappedPnl) and ADL while its
// pnl-to-pool factor exceeds MAX_PNL_FACTOR_FOR_ADL, closing the ranked profitable positions
// with capped PnL down to MIN_PNL_FACTOR_AFTER_ADL. The vault is the pool's value (getPoolValue
// = pool USD − net pending PnL), so pool USD = vault + the open positions' net PnL.
void afterEvent(ShockRun& r) {
  const Policy& pol = r.s_.policy;
  if (pol.maxPnlFactor < 0 && pol.maxPnlFactorForAdl < 0) return;  // the policy turned the pool rules off
  auto sidePnl = [&](Side side) {
    double sum = 0;
    for (const auto& e : r.book_)
      if (e.open && e.position.side == side) sum += unrealisedPnl(e.position, r.c_, r.mark_);
    return sum;
  };
  auto capRatio = [&](double pnl, double poolUsd) {
    if (pol.maxPnlFactor < 0 || !(pnl > 0)) return 1.0;
    return gmx::cappedPnl(1.0, pnl, std::max(0.0, poolUsd), pol.maxPnlFactor);
  };
  for (Side side : {Side::Long, Side::Short}) {
    PoolSide ps;
    ps.side = side;
    ps.pnl = sidePnl(side);
    if (!(ps.pnl > 0)) continue;
    ps.poolUsd = r.wf_.vault() + ps.pnl + sidePnl(opposite(side));
    ps.factor = gmx::pnlToPoolFactor(ps.pnl, ps.poolUsd);
    ps.cappedRatio = capRatio(ps.pnl, ps.poolUsd);
    ps.adl = pol.maxPnlFactorForAdl >= 0 && ps.factor > pol.maxPnlFactorForAdl;
    double pnl = ps.pnl, poolUsd = ps.poolUsd, factor = ps.factor;
    if (ps.adl) {
      const double target = pol.minPnlFactorAfterAdl >= 0 ? pol.minPnlFactorAfterAdl : pol.maxPnlFactorForAdl;
      // Profitable positions of the side, highest score first (a random order has no meaning
      // for the pool: ranked by PnL).
      const AdlRanking rule = pol.adlRanking == AdlRanking::Random ? AdlRanking::Pnl : pol.adlRanking;
      std::uint64_t noDraw = 0;
      for (size_t i : adlQueue(r.book_, side, rule, r.c_, r.mark_, r.mm_, noDraw)) {
        if (!(factor > target)) break;
        Position& p = r.book_[i].position;
        const double upnl = unrealisedPnl(p, r.c_, r.mark_);
        const double ratio = capRatio(pnl, poolUsd);
        const double fraction = gmx::adlCloseFraction(pnl, poolUsd, upnl, ratio, target);
        if (!(fraction > 0)) break;
        const double qty = fraction * p.quantity, realised = fraction * upnl, paid = realised * ratio;
        const double haircut = realised - paid;
        // Closed at the price where the trader realises only the capped PnL.
        ps.fills.push_back(adlClose(r.book_[i], qty, haircut, r.c_, r.mark_));
        ps.paid += paid;
        ps.haircut += haircut;
        r.wf_.creditVault(haircut);  // pool value: USD −paid, pending PnL −realised
        pnl -= realised;
        poolUsd -= paid;
        factor = gmx::pnlToPoolFactor(pnl, poolUsd);
      }
    }
    ps.factorAfter = factor;
    r.ev_.pool.push_back(std::move(ps));
  }
}

}  // namespace

const VenueRules& gmxRules() {
  static const VenueRules r{Venue::GmxV2, "gmx_v2", preset, keepFloor, liquidate, afterEvent};
  return r;
}

}  // namespace backstop::venues
