// Binance: ADL score and preset (clearance fee to the fund, then ADL).
#include <algorithm>
#include <cmath>

#include "all.hpp"
#include "backstop/venues/venues.hpp"
#include "stress/shock_run.hpp"

namespace backstop::venues {

namespace binance {
double adlScore(double upnl, double wb, double mm) {
  const double pnlPercent = std::max(0.0, upnl) / std::max(1.0, wb);
  const double marginRatio = wb + upnl > 0 ? mm / (wb + upnl) : 0.0;
  return pnlPercent * marginRatio;
}
}  // namespace binance

namespace {

// Binance Futures, "Updates to Leverage and Margin Tiers of Binance Futures Contracts
// (2021-03-18)", <https://www.binance.com/en/support/announcement/86cf9aa472574b8cb2e05bb751c2a9a6>:
// BTCUSDT perpetual, position (USDT notional) up to → maintenance margin rate. The maintenance
// amounts follow from the rates (maintenanceSchedule; Binance's liquidation-price FAQ gives 1,300
// for a 500,000 position, test VenueBinance.BracketAmountsMatchThePublishedTable).
const std::vector<MarginTier>& btcusdtBrackets() {
  static const std::vector<MarginTier> t{{50e3, 0.004, 0},   {250e3, 0.005, 0}, {1e6, 0.01, 0},  {10e6, 0.025, 0},
                                         {20e6, 0.05, 0},    {50e6, 0.10, 0},   {100e6, 0.125, 0}, {200e6, 0.15, 0},
                                         {300e6, 0.25, 0},   {500e6, 0.50, 0}};
  return t;
}

Policy preset(const std::string& symbol) {
  // Binance clearance fee: historically 0.3 % on BTC, 0.5 % on other contracts.
  Policy p;
  p.penaltyMode = PenaltyMode::FeeRate;
  p.penaltyRate = symbol.rfind("BTC", 0) == 0 ? 0.003 : 0.005;
  p.penaltyToFund = 1.0;
  p.stages = {Stage::InsuranceFund, Stage::Adl};
  p.adlRanking = AdlRanking::BinanceLeveragePnl;
  if (contractSymbol(symbol) == "BTCUSDT") p.maintenanceTiers = btcusdtBrackets();
  p.maintenanceTierBasis = TierBasis::Mark;  // brackets of the notional at the mark
  // Binance FAQ "Insurance Fund" (<https://www.binance.com/en/support/faq/360033525371>, 2019-09-09):
  // "a maximum net notional position check ... by default, this is 100% the size of the insurance
  // fund. Any positions that would increase beyond the max notional will be subject to
  // counterparty-liquidation."
  p.fundTakeoverCap = 1.0;
  return p;
}

// Binance, "Liquidation" (<https://www.binance.com/en/support/faq/360033525271>): the engine
// "attempt[s] to reduce the user's margin" with one IOC order "without fully liquidating", stops
// once the account is margin compliant after the realised loss and the fee, else closes the rest at
// the bankruptcy price for the insurance fund; the fee is charged "on the amount liquidated only".
// With brackets, each order brings the position down to the top of the next lower bracket (at the
// mark) and compliance is checked against that bracket; in the first bracket the whole position is
// closed (the generic market order: fee, then the fund and ADL). Without brackets, or a synthetic
// cohort of small accounts (book.account_notional 0), the generic close.
bool liquidate(ShockRun& r, size_t i) {
  const double accounts = r.book_[i].accounts;
  if (r.mm_.tiers.empty() || !std::isfinite(accounts)) return false;
  Position& p = r.book_[i].position;
  PositionOutcome& o = r.outcome_[i];
  const auto& tiers = r.mm_.tiers;
  size_t k = 0;
  while (k + 1 < tiers.size() && notionalInMargin(p, r.c_, r.mark_) > tiers[k].upTo * accounts) ++k;
  // One bracket down per order (k counts down, so rounding at a bracket's edge cannot repeat a step).
  for (; k > 0; --k) {
    const MarginTier& lower = tiers[k - 1];
    const double notional = notionalInMargin(p, r.c_, r.mark_);
    const double sold = p.quantity - p.quantity * std::min(1.0, lower.upTo * accounts / notional);
    if (sold > 0) {
      r.sellToBook(i, sold);
      // The fee on the amount liquidated, at most the equity left (it never makes bad debt).
      const double fee = std::min(std::max(0.0, equity(p, r.c_, r.mark_)),
                                  r.s_.policy.penaltyRate * sold * notionalInMargin(p, r.c_, o.executionPrice) / p.quantity);
      p.collateral -= fee;
      r.creditPenalty(o, fee, r.s_.policy.penaltyToFund * fee, r.s_.policy.penaltyToVault * fee);
    }
    if (p.collateral < 0) return false;  // bankrupt: the rest closes with its debt
    const double mm = lower.rate * notionalInMargin(p, r.c_, r.mark_) - lower.amount * accounts;
    if (equity(p, r.c_, r.mark_) >= mm) return true;  // compliant in the lower bracket: stop
  }
  return false;  // the first bracket: full liquidation
}

}  // namespace

const VenueRules& binanceRules() {
  static const VenueRules r{Venue::Binance, "binance", preset, keepFloor, liquidate, nullptr};
  return r;
}

}  // namespace backstop::venues
