#include "backstop/model/position.hpp"

#include <cmath>

#include "backstop/model/names.hpp"

namespace backstop {

const char* toString(Side s) { return idOf(s); }
const char* toString(Contract c) { return idOf(c); }

double unrealisedPnl(const Position& p, Contract c, double mark) {
  const double s = sign(p.side);
  if (c == Contract::Linear) return s * p.quantity * (mark - p.entryPrice);
  return s * p.quantity * (1.0 / p.entryPrice - 1.0 / mark);
}

double equity(const Position& p, Contract c, double mark) {
  return p.collateral + unrealisedPnl(p, c, mark);
}

double notionalInMargin(const Position& p, Contract c, double price) {
  return c == Contract::Linear ? p.quantity * price : p.quantity / price;
}

double notionalInQuote(const Position& p, Contract c, double price) {
  return c == Contract::Linear ? p.quantity * price : p.quantity;
}

double maintenanceRequirement(const Position& p, Contract c, double mark, double mmr) {
  return mmr * notionalInMargin(p, c, mark);
}

std::optional<double> liquidationPrice(const Position& p, Contract c, double mmr) {
  const double q = p.quantity, E = p.entryPrice, M = p.collateral;
  if (c == Contract::Linear) {
    // docs/formulas.md (position arithmetic): long (qE − M)/(q(1 − mmr)), short (qE + M)/(q(1 + mmr)).
    if (p.side == Side::Long) {
      const double num = q * E - M;
      if (num <= 0) return std::nullopt;
      return num / (q * (1.0 - mmr));
    }
    return (q * E + M) / (q * (1.0 + mmr));
  }
  // Inverse: M + s·q(1/E − 1/P) = mmr·q/P, solved for P.
  if (p.side == Side::Long) return q * (1.0 + mmr) / (M + q / E);
  const double den = q / E - M;
  if (den <= 0) return std::nullopt;
  return q * (1.0 - mmr) / den;
}

std::optional<double> bankruptcyPrice(const Position& p, Contract c) {
  const double q = p.quantity, E = p.entryPrice, M = p.collateral;
  if (c == Contract::Linear) {
    if (p.side == Side::Long) {
      const double v = E - M / q;
      if (v <= 0) return std::nullopt;
      return v;
    }
    return E + M / q;
  }
  if (p.side == Side::Long) return q / (M + q / E);
  const double den = q / E - M;
  if (den <= 0) return std::nullopt;
  return q / den;
}

static bool positiveFinite(double v) { return std::isfinite(v) && v > 0; }

void validatePosition(const Position& p, const std::string& ptr, Issues& issues) {
  if (!positiveFinite(p.quantity))
    issues.add(ptr + "/quantity", "must be a positive finite number, got " + formatValue(p.quantity));
  if (!positiveFinite(p.entryPrice))
    issues.add(ptr + "/entry_price", "must be a positive finite number, got " + formatValue(p.entryPrice));
  if (!(std::isfinite(p.collateral) && p.collateral >= 0))
    issues.add(ptr + "/collateral", "must be a finite number >= 0, got " + formatValue(p.collateral));
}

static void validateMmr(double mmr, Issues& issues) {
  if (!(std::isfinite(mmr) && mmr > 0 && mmr < 1))
    issues.add("/market/maintenance_margin_rate", "must be in (0, 1), got " + formatValue(mmr));
}

PositionPrices positionPrices(const Position& p, Contract c, double mmr) {
  Issues issues;
  validatePosition(p, "/position", issues);
  validateMmr(mmr, issues);
  issues.throwIfAny();
  PositionPrices out;
  out.liquidation = liquidationPrice(p, c, mmr);
  out.bankruptcy = bankruptcyPrice(p, c);
  out.notional = notionalInQuote(p, c, p.entryPrice);
  const double margin = p.collateral;
  out.leverage = margin > 0 ? notionalInMargin(p, c, p.entryPrice) / margin : INFINITY;
  return out;
}

}  // namespace backstop
