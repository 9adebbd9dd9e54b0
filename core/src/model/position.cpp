#include "backstop/model/position.hpp"

#include <algorithm>
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

MarginTier Maintenance::tierOf(double notional) const {
  if (tiers.empty()) return {INFINITY, rate, 0};
  for (const auto& t : tiers)
    if (notional <= t.upTo) return t;
  return tiers.back();  // beyond the table: its last rate
}

Maintenance maintenanceSchedule(double rate, std::vector<MarginTier> tiers, TierBasis basis) {
  Maintenance m(rate);
  m.basis = basis;
  for (size_t k = 0; k < tiers.size(); ++k)
    tiers[k].amount = basis == TierBasis::Entry || k == 0
                          ? 0.0
                          : tiers[k - 1].amount + tiers[k - 1].upTo * (tiers[k].rate - tiers[k - 1].rate);
  m.tiers = std::move(tiers);
  return m;
}

MarginTier tierAt(const Position& p, Contract c, double price, const Maintenance& mm, double accounts) {
  if (mm.tiers.empty()) return mm.tierOf(0);
  if (!std::isfinite(accounts)) return mm.tiers.front();  // small accounts: the first tier (amount 0)
  const double n = notionalInMargin(p, c, mm.basis == TierBasis::Entry ? p.entryPrice : price);
  MarginTier t = mm.tierOf(n / accounts);
  t.upTo *= accounts;
  t.amount *= accounts;
  return t;
}

double maintenanceRequirement(const Position& p, Contract c, double mark, const Maintenance& mm, double accounts) {
  const MarginTier t = tierAt(p, c, mark, mm, accounts);
  return t.rate * notionalInMargin(p, c, mark) - t.amount;
}

namespace {
// Price at which equity equals rate·N − amount (docs/formulas.md (position arithmetic); the
// amount as in Binance's liquidation-price formula, cumB).
std::optional<double> solveLiquidation(const Position& p, Contract c, double mmr, double amount) {
  const double q = p.quantity, E = p.entryPrice, M = p.collateral;
  if (c == Contract::Linear) {
    // Long (qE − M − A)/(q(1 − mmr)), short (qE + M + A)/(q(1 + mmr)).
    if (p.side == Side::Long) {
      const double num = q * E - M - amount;
      if (num <= 0) return std::nullopt;
      return num / (q * (1.0 - mmr));
    }
    return (q * E + M + amount) / (q * (1.0 + mmr));
  }
  // Inverse: M + s·q(1/E − 1/P) = mmr·q/P − A, solved for P.
  if (p.side == Side::Long) return q * (1.0 + mmr) / (M + q / E + amount);
  const double den = q / E - M - amount;
  if (den <= 0) return std::nullopt;
  return q * (1.0 - mmr) / den;
}
}  // namespace

std::optional<double> liquidationPrice(const Position& p, Contract c, const Maintenance& mm, double accounts) {
  if (mm.tiers.empty() || mm.basis == TierBasis::Entry || !std::isfinite(accounts)) {
    const MarginTier t = tierAt(p, c, p.entryPrice, mm, accounts);
    return solveLiquidation(p, c, t.rate, t.amount);
  }
  // Mark basis: MM is continuous and equity − MM monotone in the price, so exactly one tier's
  // root lies in its own notional range (Binance: recalculate with the tier at the liquidation price).
  double lo = 0;
  for (size_t k = 0; k < mm.tiers.size(); ++k) {
    const double hi = k + 1 == mm.tiers.size() ? INFINITY : mm.tiers[k].upTo * accounts;
    const auto price = solveLiquidation(p, c, mm.tiers[k].rate, mm.tiers[k].amount * accounts);
    if (price && *price > 0) {
      const double n = notionalInMargin(p, c, *price), tol = 1e-12 * std::max(1.0, n);
      if (n >= lo - tol && n <= hi + tol) return price;
    }
    lo = hi;
  }
  return std::nullopt;
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
