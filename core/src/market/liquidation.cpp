#include "backstop/market/liquidation.hpp"

#include <algorithm>
#include <cmath>

namespace backstop {

namespace {
constexpr double kImpactCap = 0.99;  // a sale never executes at or below zero
}  // namespace

double impactFraction(const Market& m, double dailyVolatility, double q) {
  double impact = 0;
  switch (m.liquidity.model) {
    case ImpactModel::None: return 0.0;
    case ImpactModel::Linear:
      impact = 0.01 * q / m.liquidity.depth1pct;  // docs/formulas.md (closing a position): 1 % per depth_1pct of notional
      break;
    case ImpactModel::Sqrt:
      // Square-root law: Y·σ_day·sqrt(Q/V_day) (Tóth et al. 2011).
      impact = m.liquidity.impactCoefficient * dailyVolatility * std::sqrt(q / m.dailyVolume);
      break;
  }
  return std::min(impact, kImpactCap);
}

namespace {
// f(u) = slope·u^power below the cap: linear (power 1) or square-root law (power 1/2).
bool impactLaw(const Market& m, double vol, double& slope, double& power) {
  switch (m.liquidity.model) {
    case ImpactModel::None: return false;
    case ImpactModel::Linear: slope = 0.01 / m.liquidity.depth1pct; power = 1.0; return true;
    case ImpactModel::Sqrt:
      slope = m.liquidity.impactCoefficient * vol / std::sqrt(m.dailyVolume);
      power = 0.5;
      return true;
  }
  return false;
}
}  // namespace

double impactIntegral(const Market& m, double vol, double q) {
  double slope = 0, power = 1;
  if (!(q > 0) || !impactLaw(m, vol, slope, power) || !(slope > 0)) return 0.0;
  const double qCap = std::pow(kImpactCap / slope, 1.0 / power);  // where the cap starts
  const double below = std::min(q, qCap);
  return slope * std::pow(below, power + 1.0) / (power + 1.0) + kImpactCap * std::max(0.0, q - qCap);
}

double depthAtImpact(const Market& m, double vol, double impact) {
  double slope = 0, power = 1;
  if (!(impact > 0)) return 0.0;
  if (impact >= kImpactCap || !impactLaw(m, vol, slope, power) || !(slope > 0)) return INFINITY;
  return std::pow(impact / slope, 1.0 / power);
}

FillOutcome closeAt(const Position& p, Contract c, double x, const Policy& policy) {
  FillOutcome o;
  o.executionPrice = x;
  o.realisedEquity = equity(p, c, x);
  if (o.realisedEquity >= 0) {
    const double notional = notionalInMargin(p, c, x);
    o.penalty = policy.penaltyMode == PenaltyMode::RemainingMargin
                    ? o.realisedEquity
                    : std::min(o.realisedEquity, policy.penaltyRate * notional);
    o.penaltyToFund = policy.penaltyToFund * o.penalty;
    o.penaltyToLiquidator = o.penalty - o.penaltyToFund;
    o.returned = o.realisedEquity - o.penalty;
  } else {
    o.badDebt = -o.realisedEquity;
  }
  return o;
}

}  // namespace backstop
