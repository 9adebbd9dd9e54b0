// BitMEX: ADL ranking and preset (liquidation at the bankruptcy price, all-or-nothing fund).
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
  // BitMEX: liquidated at the bankruptcy price; all margin left goes to the fund; ADL after it.
  Policy p;
  p.penaltyMode = PenaltyMode::RemainingMargin;
  p.penaltyToFund = 1.0;
  p.stages = {Stage::InsuranceFund, Stage::Adl};
  p.adlRanking = AdlRanking::PnlTimesLeverage;
  p.fundCoverage = FundCoverage::AllOrNothing;
  return p;
}
}  // namespace

const VenueRules& bitmexRules() {
  static const VenueRules r{Venue::Bitmex, "bitmex", preset, keepFloor, nullptr, nullptr};
  return r;
}

}  // namespace backstop::venues
