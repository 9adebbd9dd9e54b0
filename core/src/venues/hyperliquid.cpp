// Hyperliquid: liquidation price, ADL index, preset, partial market liquidation, the liquidator
// vault (HLP) taking over positions below the backstop threshold × maintenance with their
// unwinding risk, and negative account value straight to ADL (docs, "Liquidations", "Auto-deleveraging").
#include <cmath>

#include "all.hpp"
#include "backstop/market/liquidation.hpp"
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

// Hyperliquid docs, "Liquidations" (hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations):
// "For liquidatable positions larger than 100k USDC ..., only 20% of the position will be sent as a
// market liquidation order to the book. After a block where any position of a user is partially
// liquidated, there is a cooldown period of 30 seconds. During this cooldown period, all market
// liquidation orders for that user will be for the entire position." Smaller positions go whole.
constexpr double kPartialAbove = 100000;
constexpr double kPartialShare = 0.2;

// Hyperliquid: below the backstop threshold × maintenance the liquidator vault (HLP) takes the
// position and its margin and carries the risk of unwinding it: it closes it in the book, keeping
// what is left or losing what the fill lacks (its loss through the waterfall, vault first). A
// negative account value goes straight to ADL (docs, "Auto-deleveraging"), not to the vault. Above
// the threshold, market liquidation: one 20 % order for positions over 100,000 USDC; if the account
// is still below maintenance, the event's mark falls within the cooldown, so the rest goes whole.
bool liquidate(ShockRun& r, size_t i) {
  Position& p = r.book_[i].position;
  PositionOutcome& o = r.outcome_[i];
  const double eq = equity(p, r.c_, r.mark_);
  if (eq < 0) {
    r.ev_.liquidatedNotional += notionalInQuote(p, r.c_, r.mark_);
    o.liquidatedQuantity += p.quantity;
    o.deleveragedQuantity += p.quantity;
    o.executionPrice = r.mark_;
    o.backstopped = true;
    const Position closed = p;
    r.closeWhole(i);
    r.cover(o, -eq, closed, true, true);
    return true;
  }
  if (eq < r.s_.policy.backstopThreshold * maintenanceRequirement(p, r.c_, r.mark_, r.mmr_)) {
    o.backstopped = true;
    const Position taken = p;
    r.sellToBook(i, p.quantity);
    const double result = p.collateral;  // the vault's margin after unwinding in the book
    r.closeWhole(i);
    if (result >= 0) {
      r.wf_.creditVault(result);
      o.penalty += result;
    }
    r.cover(o, std::max(0.0, -result), taken, true);
    return true;
  }
  if (notionalInQuote(p, r.c_, r.mark_) > kPartialAbove) {
    r.sellToBook(i, kPartialShare * p.quantity);
    const double left = equity(p, r.c_, r.mark_);
    if (left >= maintenanceRequirement(p, r.c_, r.mark_, r.mmr_)) return true;  // back above maintenance
    if (left < r.s_.policy.backstopThreshold * maintenanceRequirement(p, r.c_, r.mark_, r.mmr_))
      return liquidate(r, i);  // the rest falls to the vault (or ADL)
  }
  // Whole (or, after a partial order, the rest within the cooldown).
  const Position closed = p;
  r.sellToBook(i, p.quantity);
  o.returned += std::max(0.0, p.collateral);
  const double debt = std::max(0.0, -p.collateral);
  r.closeWhole(i);
  r.cover(o, debt, closed, true, true);  // a negative account value goes to ADL
  return true;
}

}  // namespace

const VenueRules& hyperliquidRules() {
  static const VenueRules r{Venue::Hyperliquid, "hyperliquid", preset, keepFloor, liquidate, nullptr};
  return r;
}

}  // namespace backstop::venues
