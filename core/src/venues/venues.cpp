#include "backstop/venues/venues.hpp"

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
LiquidationMatch matchLiquidation(int side, double size, double usdc, const std::vector<BookLevel>& levels,
                                  double fillable, double maxFee, double fund) {
  LiquidationMatch m;
  for (const BookLevel& l : levels) {
    const double left = size - m.filled;
    if (!(left > 0)) break;
    if (side > 0 ? l.price < fillable : l.price > fillable) break;  // levels come best first
    const double dq = std::min(l.quantity, left);
    if (!(dq > 0)) continue;
    const double quoteReceived = side * dq * l.price;
    const double delta = insuranceFundDelta(quoteReceived, bankruptcyQuote(usdc, dq / size), maxFee);
    if (delta < 0 && fund + delta < 0) {
      m.rejected = true;
      break;
    }
    fund += delta;
    m.filled += dq;
    m.quote += dq * l.price;
    if (delta < 0) {
      m.fundPaid -= delta;
    } else {
      m.fees += delta;
      m.kept += quoteReceived - bankruptcyQuote(usdc, dq / size) - delta;
    }
  }
  return m;
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
double pnlToPoolFactor(double poolPnl, double poolUsd) {
  if (poolUsd > 0) return poolPnl / poolUsd;
  return poolPnl > 0 ? INFINITY : 0.0;
}
double adlCloseFraction(double poolPnl, double poolUsd, double positionPnl, double cappedRatio, double target) {
  // (P − φp)/(T − φp·r) = target  =>  φ = (P − target·T)/(p·(1 − target·r)).
  const double denom = positionPnl * (1.0 - target * cappedRatio);
  if (!(denom > 0)) return 1.0;
  return std::clamp((poolPnl - target * poolUsd) / denom, 0.0, 1.0);
}
}  // namespace gmx

}  // namespace backstop::venues
