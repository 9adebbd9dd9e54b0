// Drift v2 (protocol-v2): liquidate_perp's partial transfer at the oracle with the insurance-fund
// fee, resolve_perp_bankruptcy's order (fund, fee pool, social loss), the fund keeping one unit.
#include <algorithm>
#include <cmath>

#include "all.hpp"
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
// protocol-v2 0ae3e3b1 instructions/admin.rs:2725-2738 (quote_max_insurance <= max_insurance_for_tier)
// and math/constants.rs:146-149 (INSURANCE_A_MAX 100 M, B 1 M, C 100 k, SPECULATIVE 0).
double tierInsuranceMax(const std::string& tier) {
  if (tier == "a") return 100e6;
  if (tier == "b") return 1e6;
  if (tier == "c") return 100e3;
  return 0.0;  // speculative, highly_speculative, isolated: INSURANCE_SPECULATIVE_MAX
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

// Drift v2 liquidate_perp (protocol-v2 0ae3e3b1 programs/drift/src/controller/liquidation.rs:78-540):
// the liquidator takes base at the oracle price (base_asset_value at oracle_price, no book), only
// what restores margin to maintenance + buffer (math/liquidation.rs:32
// calculate_base_asset_amount_to_cover_margin_shortage), the account paying the liquidator fee and
// the insurance-fund fee (math/liquidation.rs:401 calculate_perp_if_fee) on that value. The IF fee
// goes to the market's fee pool (update_quote_asset_and_break_even_amount on the market), which
// reaches the fund only through the periodic revenue settlement (controller/insurance.rs): within
// an event it stands in the fee pool, the stage after the fund. A bankrupt account is taken whole
// and its loss at the oracle resolved by resolve_perp_bankruptcy (the waterfall's stages).
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
  const Position part = scaled(p, fraction * p.quantity, fraction * p.collateral);
  const double value = fraction * notional;  // base_asset_value at the oracle
  // Fees come out of the account's equity; a bankrupt account pays none.
  const double toLiquidator = std::clamp(liqFee * value, 0.0, std::max(0.0, eq));
  const double toFeePool = std::clamp(ifFee * value, 0.0, std::max(0.0, eq - toLiquidator));
  r.ev_.liquidatedNotional += fraction * notionalInQuote(p, r.c_, r.mark_);
  o.liquidatedQuantity += part.quantity;
  o.executionPrice = r.mark_;
  r.creditPenalty(o, toLiquidator, r.s_.policy.penaltyToFund * toLiquidator, r.s_.policy.penaltyToVault * toLiquidator);
  o.penalty += toFeePool;
  r.wf_.creditFeePool(toFeePool);
  if (fraction < 1) {
    // The account realises the sold part's PnL and pays the fees; it keeps the rest open.
    p.collateral += fraction * unrealisedPnl(p, r.c_, r.mark_) - toLiquidator - toFeePool;
    p.quantity -= part.quantity;
    return true;
  }
  o.returned += std::max(0.0, eq) - toLiquidator - toFeePool;
  r.closeWhole(i);
  r.cover(o, std::max(0.0, -eq), part, false);
  return true;
}

}  // namespace

const VenueRules& driftRules() {
  static const VenueRules r{Venue::Drift, "drift", preset, fundFloor, liquidate, nullptr};
  return r;
}

}  // namespace backstop::venues
