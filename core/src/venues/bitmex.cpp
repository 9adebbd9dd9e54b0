// BitMEX: ADL ranking and preset (liquidation at the bankruptcy price, the fund covering partially).
#include <cmath>

#include "all.hpp"
#include "backstop/venues/venues.hpp"

namespace backstop::venues {

namespace bitmex {
double effectiveLeverage(double markValue, double bankruptValue) {
  return std::fabs(markValue) / (markValue - bankruptValue);
}
double adlRank(double pnlPercent, double notionalAtMark, double equityAtMark) {
  const double el = equityAtMark > 0 ? notionalAtMark / equityAtMark : INFINITY;
  if (!(el > 0)) return pnlPercent;
  return pnlPercent > 0 ? pnlPercent * el : pnlPercent / el;
}
}  // namespace bitmex

namespace {

// BitMEX, "Risk Limits Examples" (<https://www.bitmex.com/app/riskLimitsExamples>): XBTUSD base
// maintenance margin 0.50 % up to the base risk limit of 200 XBT, then + 0.50 % per step of
// 150 XBT ("0.50% + (# of Steps * 0.50%)": < 200, < 350, < 500, < 650 XBT ...), steps while the
// rate stays below 100 %. Position value in XBT (the inverse contract's margin unit).
const std::vector<MarginTier>& xbtusdRiskLimits() {
  static const std::vector<MarginTier> t = [] {
    std::vector<MarginTier> v;
    for (int k = 0; 0.005 * (k + 1) < 1.0; ++k) v.push_back({200.0 + 150.0 * k, 0.005 * (k + 1), 0});
    return v;
  }();
  return t;
}

Policy preset(const std::string& symbol) {
  // BitMEX "Liquidation" (bitmex.com/app/liquidation): taken over at the bankruptcy price, the
  // margin left goes to the fund. The fund is spent "aggressing the position in the market";
  // ADL once "the Insurance Fund is depleted" (support.bitmex.com, "What is Auto-Deleveraging"):
  // partial cover, the fund pays what it holds and ADL the rest.
  Policy p;
  p.penaltyMode = PenaltyMode::RemainingMargin;
  p.penaltyToFund = 1.0;
  p.stages = {Stage::InsuranceFund, Stage::Adl};
  p.adlRanking = AdlRanking::PnlTimesLeverage;
  p.fundCoverage = FundCoverage::Partial;
  if (contractSymbol(symbol) == "XBTUSD") p.maintenanceTiers = xbtusdRiskLimits();
  p.maintenanceTierBasis = TierBasis::Entry;  // the risk limit the position took when opened
  return p;
}
}  // namespace

const VenueRules& bitmexRules() {
  static const VenueRules r{Venue::Bitmex, "bitmex", preset, keepFloor, nullptr, nullptr};
  return r;
}

}  // namespace backstop::venues
