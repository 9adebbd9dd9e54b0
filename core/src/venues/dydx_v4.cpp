// dYdX v4 (v4-chain x/clob): fillable price, fund delta and fill rejection, the liquidation
// order walking the book level by level, deleveraging what it could not fill.
#include <algorithm>
#include <cmath>

#include "all.hpp"
#include "backstop/market/liquidation.hpp"
#include "backstop/venues/venues.hpp"
#include "stress/shock_run.hpp"

namespace backstop::venues {

namespace dydx {
double fillablePrice(double pnnv, double ps, double pmmr, double tnc, double tmmr, double ba, double smmr) {
  const double abr = tmmr > 0 ? std::clamp(ba * (1.0 - tnc / tmmr), 0.0, 1.0) : 1.0;
  return (pnnv - abr * smmr * pmmr) / ps;
}
double bankruptcyQuote(double usdcBalance, double fraction) { return -usdcBalance * fraction; }
double insuranceFundDelta(double quoteReceived, double bq, double maxFee) {
  const double d = quoteReceived - bq;
  if (d <= 0) return d;
  return std::min(std::fabs(quoteReceived) * maxFee, d);
}
LiquidationMatch matchLiquidation(int side, double size, double usdc, const std::vector<BookLevel>& levels,
                                  double fillable, double maxFee, double fund) {
  LiquidationMatch m;
  for (const BookLevel& l : levels) {
    const double left = size - m.filled;
    if (!(left > 0)) break;
    if (side > 0 ? l.price < fillable : l.price > fillable) break;  // levels come best first
    const double dq = std::min(l.quantity, left);
    if (!(dq > 0)) continue;
    const double quoteReceived = side * dq * l.price;
    const double delta = insuranceFundDelta(quoteReceived, bankruptcyQuote(usdc, dq / size), maxFee);
    if (delta < 0 && fund + delta < 0) {
      m.rejected = true;
      break;
    }
    fund += delta;
    m.filled += dq;
    m.quote += dq * l.price;
    if (delta < 0) {
      m.fundPaid -= delta;
    } else {
      m.fees += delta;
      m.kept += quoteReceived - bankruptcyQuote(usdc, dq / size) - delta;
    }
  }
  return m;
}
}  // namespace dydx

namespace {

Policy preset(const std::string&) {
  // dYdX v4 mainnet liquidations_config (v4-chain 84d4664b protocol/testing/mainnet/genesis.json:951-962):
  // max_liquidation_fee_ppm 15000 (fee = min(quoteReceived·1.5 %, d)), bankruptcy_adjustment_ppm
  // 1000000, spread_to_maintenance_margin_ratio_ppm 1500000; a fill the fund cannot cover
  // entirely is rejected (x/clob/keeper/process_single_match.go), then deleveraging.
  Policy p;
  p.penaltyMode = PenaltyMode::FeeRate;
  p.penaltyRate = 0.015;
  p.penaltyToFund = 1.0;
  p.stages = {Stage::InsuranceFund, Stage::Adl};
  p.adlRanking = AdlRanking::Random;
  p.fundCoverage = FundCoverage::AllOrNothing;
  p.bankruptcyAdjustment = 1.0;
  p.spreadToMaintenance = 1.5;  // not 0.1, the keeper's test default (types/liquidations_config_keeper.go)
  return p;
}

// dYdX v4 (v4-chain x/clob): the liquidation order walks the book level by level, filling only
// at prices no worse than the fillable price; a fill the fund cannot cover is rejected. What is
// left is deleveraged at its bankruptcy price when the account's equity is negative, and stays
// open otherwise (only negative-TNC accounts are deleveraged).
bool liquidate(ShockRun& r, size_t i) {
  if (r.c_ != Contract::Linear) return false;  // modelled for linear (USDC) markets only
  Position& p = r.book_[i].position;
  PositionOutcome& o = r.outcome_[i];
  const double sgn = sign(p.side);
  const double nnv = p.quantity * r.mark_;
  const double tnc = equity(p, r.c_, r.mark_);
  const double fillable = dydx::fillablePrice(sgn * nnv, sgn * p.quantity, r.mmr_ * nnv, tnc, r.mmr_ * nnv,
                                                      r.s_.policy.bankruptcyAdjustment, r.s_.policy.spreadToMaintenance);
  double& w = r.walked(p.side);
  // The continuous book as levels: slices between what the event already took and the depth
  // where the level price reaches the fillable price, each at its exact average price.
  const double impactAtFillable = p.side == Side::Long ? 1.0 - fillable / r.p1_ : fillable / r.p1_ - 1.0;
  const bool flat = r.s_.market().liquidity.model == ImpactModel::None;
  const double fillableDepth = impactAtFillable < 0 ? 0.0
                               : flat                ? INFINITY
                                                     : depthAtImpact(r.s_.market(), r.vol_, impactAtFillable);
  const double reach = std::clamp(fillableDepth - w, 0.0, nnv);
  std::vector<dydx::BookLevel> levels;
  const int slices = flat ? 1 : 16;  // a flat book is one level at the reference price
  for (int k = 0; k < slices && reach > 0; ++k) {
    const double a = w + reach * k / slices, b = w + reach * (k + 1) / slices;
    const double avgImpact = (impactIntegral(r.s_.market(), r.vol_, b) - impactIntegral(r.s_.market(), r.vol_, a)) / (b - a);
    levels.push_back({executionPrice(p.side, r.p1_, avgImpact), (b - a) / r.mark_});
  }
  const double usdc = p.collateral - sgn * p.quantity * p.entryPrice;
  const double maxFee = r.s_.policy.penaltyMode == PenaltyMode::RemainingMargin ? INFINITY : r.s_.policy.penaltyRate;
  const double fund = hasStage(r.s_.policy, Stage::InsuranceFund) ? r.wf_.fundAvailable() : 0.0;
  const dydx::LiquidationMatch m =
      dydx::matchLiquidation(int(sgn), p.quantity, usdc, levels, fillable, maxFee, fund);

  const double q0 = p.quantity;
  const double filledFraction = std::min(1.0, m.filled / q0);
  const Position filled = scaled(p, m.filled, p.collateral * filledFraction);
  if (m.filled > 0) {
    w += m.filled * r.mark_;
    r.ev_.liquidatedNotional += m.filled * r.mark_;
    o.liquidatedQuantity += m.filled;
    o.executionPrice = m.quote / m.filled;
    const double toFund = r.s_.policy.penaltyToFund * m.fees;
    r.creditPenalty(o, m.fees, toFund, std::min(m.fees - toFund, r.s_.policy.penaltyToVault * m.fees));
  }
  p.quantity = q0 - m.filled;
  p.collateral = p.collateral * (1 - filledFraction) + m.kept;
  if (m.filled > 0) r.cover(o, m.fundPaid, filled, false);  // the fund pays each fill below bankruptcy
  if (p.quantity <= 1e-12 * q0) {
    o.returned += p.collateral;
    r.closeWhole(i);
    return true;
  }
  const double eqLeft = equity(p, r.c_, r.mark_);
  // Stays open: only negative-TNC accounts are deleveraged (rounding at exactly bankruptcy is not negative).
  if (eqLeft >= -1e-12 * notionalInMargin(p, r.c_, r.mark_)) return true;
  // Deleveraged at the bankruptcy price: offsetting positions take the debt, the fund is not asked.
  const Position rest = p;
  r.ev_.liquidatedNotional += rest.quantity * r.mark_;
  o.deleveragedQuantity += rest.quantity;
  o.liquidatedQuantity += rest.quantity;
  o.backstopped = true;
  if (m.filled <= 0) o.executionPrice = r.mark_;
  r.closeWhole(i);
  r.cover(o, -eqLeft, rest, true);
  return true;
}

}  // namespace

const VenueRules& dydxRules() {
  static const VenueRules r{Venue::DydxV4, "dydx_v4", preset, keepFloor, liquidate, nullptr};
  return r;
}

}  // namespace backstop::venues
