// Binance: ADL score and preset (clearance fee to the fund, then ADL).
#include <algorithm>

#include "all.hpp"
#include "backstop/venues/venues.hpp"

namespace backstop::venues {

namespace binance {
double adlScore(double upnl, double wb, double mm) {
  const double pnlPercent = std::max(0.0, upnl) / std::max(1.0, wb);
  const double marginRatio = wb + upnl > 0 ? mm / (wb + upnl) : 0.0;
  return pnlPercent * marginRatio;
}
}  // namespace binance

namespace {
Policy preset(const std::string& symbol) {
  // Binance clearance fee: historically 0.3 % on BTC, 0.5 % on other contracts.
  Policy p;
  p.penaltyMode = PenaltyMode::FeeRate;
  p.penaltyRate = symbol.rfind("BTC", 0) == 0 ? 0.003 : 0.005;
  p.penaltyToFund = 1.0;
  p.stages = {Stage::InsuranceFund, Stage::Adl};
  p.adlRanking = AdlRanking::BinanceLeveragePnl;
  return p;
}
}  // namespace

const VenueRules& binanceRules() {
  static const VenueRules r{Venue::Binance, "binance", preset, keepFloor, nullptr, nullptr};
  return r;
}

}  // namespace backstop::venues
