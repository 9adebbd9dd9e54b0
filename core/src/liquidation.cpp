#include "backstop/liquidation.hpp"

#include <algorithm>
#include <cmath>

namespace backstop {

double impactFraction(const Market& m, double dailyVolatility, double q) {
  double impact = 0;
  switch (m.liquidity.model) {
    case ImpactModel::None: return 0.0;
    case ImpactModel::Linear:
      impact = 0.01 * q / m.liquidity.depth1pct;  // SPEC §3: 1 % per depth_1pct of notional
      break;
    case ImpactModel::Sqrt:
      // Square-root law: Y·σ_day·sqrt(Q/V_day) (Tóth et al. 2011).
      impact = m.liquidity.impactCoefficient * dailyVolatility * std::sqrt(q / m.dailyVolume);
      break;
  }
  return std::min(impact, 0.99);  // a sale never executes at or below zero
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
