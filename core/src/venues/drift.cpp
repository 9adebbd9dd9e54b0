// Drift v2 (protocol-v2): liquidate_perp's partial liquidation with the insurance-fund fee,
// resolve_perp_bankruptcy's order (fund, fee pool, social loss), the fund keeping one unit.
#include <algorithm>
#include <cmath>

#include "all.hpp"
#include "backstop/market/liquidation.hpp"
#include "backstop/venues/venues.hpp"
#include "stress/shock_run.hpp"

namespace backstop::venues {

namespace drift {
double baseToCoverShortage(double shortage, double mr, double liqFee, double ifFee, double price) {
  return shortage / (price * (mr - liqFee - ifFee));
}
double insuranceFundFee(double shortage, double base, double price, double mr, double liqFee, double maxIfFee) {
  const double implied = 0.95 * (mr - liqFee - shortage / (base * price));
  return std::max(0.0, std::min(maxIfFee, implied));
}
double socialLossPerBase(double loss, double longBase, double shortBase) { return loss / (longBase + shortBase); }
double fundPayout(double loss, double vault, double perMarketCap, double alreadyPaid) {
  return std::max(0.0, std::min({loss, vault - 1.0, perMarketCap - alreadyPaid}));
}
}  // namespace drift

namespace {

Policy preset(const std::string&) {
  // Drift v2 (protocol-v2 controller/liquidation.rs): liquidator fee (1 %) to the liquidator, an
  // insurance-fund fee on top; liquidate_perp sells only the base that restores margin to
  // maintenance + the 2 % liquidation buffer (math/constants.rs); resolve_perp_bankruptcy: the
  // fund pays min(loss, vault − 1, cap − paid), then the fee pool, then a social loss per contract.
  Policy p;
  p.penaltyMode = PenaltyMode::FeeRate;
  p.penaltyRate = 0.01;
  p.penaltyToFund = 0.0;
  p.maxInsuranceFundFee = 0.01;
  p.liquidationMarginBuffer = 0.02;
  p.stages = {Stage::InsuranceFund, Stage::FeePool, Stage::SocializedLoss};
  p.socializeOver = SocializeOver::PerContract;
  return p;
}

// resolve_perp_bankruptcy: min(loss, vault − 1, ...): the fund keeps one unit.
double fundFloor(double configured) { return std::max(configured, 1.0); }

// Drift v2 liquidate_perp: sell only the base that restores margin to maintenance + buffer
// (math/liquidation.rs calculate_base_asset_amount_to_cover_margin_shortage), with the
// liquidator fee and the insurance-fund fee (calculate_perp_if_fee); a bankrupt position is
// closed whole and its loss resolved by resolve_perp_bankruptcy (the waterfall's stages).
bool liquidate(ShockRun& r, size_t i) {
  Position& p = r.book_[i].position;
  PositionOutcome& o = r.outcome_[i];
  const double mrb = r.mmr_ + r.s_.policy.liquidationMarginBuffer;
  const double eq = equity(p, r.c_, r.mark_);
  const double notional = notionalInMargin(p, r.c_, r.mark_);
  const double shortage = std::max(0.0, mrb * notional - eq);
  const double unitPrice = notional / p.quantity;  // base × unitPrice = notional, in margin units
  const double liqFee = r.s_.policy.penaltyRate;
  const double ifFee =
      drift::insuranceFundFee(shortage, p.quantity, unitPrice, mrb, liqFee, r.s_.policy.maxInsuranceFundFee);
  double fraction = 1.0;
  if (eq > 0) {
    const double base = drift::baseToCoverShortage(shortage, mrb, liqFee, ifFee, unitPrice);
    if (std::isfinite(base) && base > 0 && base < p.quantity * (1 - 1e-9)) fraction = base / p.quantity;
  }
  double& w = r.walked(p.side);
  const double q = notionalInQuote(p, r.c_, r.mark_);
  FillOutcome f;
  for (;;) {
    const double x = executionPrice(p.side, r.p1_, impactFraction(r.s_.market(), r.vol_, w + fraction * q));
    f = closeAt(scaled(p, fraction * p.quantity, fraction * p.collateral), r.c_, x, r.s_.policy);
    if (f.badDebt > 0 && fraction < 1) { fraction = 1; continue; }  // impact ate the margin: close it all
    break;
  }
  const Position part = scaled(p, fraction * p.quantity, fraction * p.collateral);
  w += fraction * q;
  r.ev_.liquidatedNotional += fraction * q;
  o.liquidatedQuantity += part.quantity;
  o.executionPrice = f.executionPrice;
  if (f.realisedEquity >= 0) {
    // The insurance-fund fee on top of the liquidator fee, from what is left.
    const double extra = std::min(f.returned, ifFee * notionalInMargin(part, r.c_, f.executionPrice));
    f.penalty += extra;
    f.penaltyToFund += extra;
    f.returned -= extra;
  }
  r.creditPenalty(o, f.penalty, f.penaltyToFund, r.s_.policy.penaltyToVault * f.penalty);
  if (fraction < 1) {
    // The account keeps what the sold part left, against the rest of the position.
    p.collateral = p.collateral * (1 - fraction) + f.returned;
    p.quantity -= part.quantity;
    return true;
  }
  o.returned += f.returned;
  r.closeWhole(i);
  r.cover(o, f.badDebt, part, false);
  return true;
}

}  // namespace

const VenueRules& driftRules() {
  static const VenueRules r{Venue::Drift, "drift", preset, fundFloor, liquidate, nullptr};
  return r;
}

}  // namespace backstop::venues
