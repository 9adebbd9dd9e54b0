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
Policy preset(const std::string&) {
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
  return p;
}
}  // namespace

const VenueRules& bitmexRules() {
  static const VenueRules r{Venue::Bitmex, "bitmex", preset, keepFloor, nullptr, nullptr};
  return r;
}

}  // namespace backstop::venues
