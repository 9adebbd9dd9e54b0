#include "backstop/venues.hpp"

#include <algorithm>
#include <cmath>

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

namespace binance {
double adlScore(double upnl, double wb, double mm) {
  const double pnlPercent = std::max(0.0, upnl) / std::max(1.0, wb);
  const double marginRatio = wb + upnl > 0 ? mm / (wb + upnl) : 0.0;
  return pnlPercent * marginRatio;
}
}  // namespace binance

namespace hyperliquid {
double liquidationPrice(double price, int side, double marginAvailable, double size, double maintenanceLeverage) {
  const double l = 1.0 / maintenanceLeverage;
  return price - side * marginAvailable / size / (1.0 - l * side);
}
double adlIndex(double priceRatio, double notional, double accountValue) {
  return accountValue > 0 ? priceRatio * notional / accountValue : INFINITY;
}
}  // namespace hyperliquid

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
}  // namespace dydx

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

namespace gmx {
double liquidationFeeUsd(double sizeUsd, double factor) { return sizeUsd * factor; }
double cappedPnl(double positionPnl, double poolPnl, double poolValue, double maxPnlFactor) {
  const double cap = poolValue * maxPnlFactor;
  if (poolPnl <= cap || poolPnl <= 0) return positionPnl;
  return positionPnl * cap / poolPnl;
}
}  // namespace gmx

}  // namespace backstop::venues
