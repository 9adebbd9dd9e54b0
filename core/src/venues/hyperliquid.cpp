// Hyperliquid: liquidation price, ADL index, preset, and the liquidator vault (HLP) taking
// over positions below the backstop threshold × maintenance (docs, "Liquidations").
#include <cmath>

#include "all.hpp"
#include "backstop/venues/venues.hpp"
#include "stress/shock_run.hpp"

namespace backstop::venues {

namespace hyperliquid {
double liquidationPrice(double price, int side, double marginAvailable, double size, double maintenanceLeverage) {
  const double l = 1.0 / maintenanceLeverage;
  return price - side * marginAvailable / size / (1.0 - l * side);
}
double adlIndex(double priceRatio, double notional, double accountValue) {
  return accountValue > 0 ? priceRatio * notional / accountValue : INFINITY;
}
}  // namespace hyperliquid

namespace {

Policy preset(const std::string&) {
  // Hyperliquid: no clearance fee; the liquidator vault (HLP) backstops, then ADL.
  Policy p;
  p.penaltyMode = PenaltyMode::FeeRate;
  p.penaltyRate = 0.0;
  p.penaltyToFund = 0.0;
  p.stages = {Stage::BackstopVault, Stage::Adl};
  p.adlRanking = AdlRanking::HyperliquidIndex;
  return p;
}

// Below the threshold the vault takes the position and its margin at the mark, without
// walking the book; above it, the generic market order.
bool liquidate(ShockRun& r, size_t i) {
  Position& p = r.book_[i].position;
  const double eq = equity(p, r.c_, r.mark_);
  if (!(eq < r.s_.policy.backstopThreshold * maintenanceRequirement(p, r.c_, r.mark_, r.mmr_))) return false;
  PositionOutcome& o = r.outcome_[i];
  r.ev_.liquidatedNotional += notionalInQuote(p, r.c_, r.mark_);
  o.liquidatedQuantity += p.quantity;
  o.executionPrice = r.mark_;
  o.backstopped = true;
  double badDebt = 0;
  if (eq >= 0) {
    r.wf_.creditVault(eq);
    o.penalty += eq;
  } else {
    badDebt = -eq;
  }
  const Position closed = p;
  r.closeWhole(i);
  r.cover(o, badDebt, closed, false);
  return true;
}

}  // namespace

const VenueRules& hyperliquidRules() {
  static const VenueRules r{Venue::Hyperliquid, "hyperliquid", preset, keepFloor, liquidate, nullptr};
  return r;
}

}  // namespace backstop::venues
