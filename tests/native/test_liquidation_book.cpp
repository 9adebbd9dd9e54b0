// Walking the book (docs/formulas.md (closing a position) impact laws as level curves): impactIntegral and depthAtImpact
// against their closed forms, and the derivative identity d/dQ ∫f = f checked numerically.
#include <gtest/gtest.h>

#include <cmath>

#include "backstop/market/liquidation.hpp"

using namespace backstop;

namespace {
Market linearMarket(double depth) {
  Market m;
  m.markPrice = 100;
  m.maintenanceMarginRate = 0.01;
  m.liquidity.model = ImpactModel::Linear;
  m.liquidity.depth1pct = depth;
  return m;
}
}  // namespace

TEST(LiquidationBook, LinearClosedForms) {
  const Market m = linearMarket(1000);  // f(Q) = 1e-5·Q
  EXPECT_NEAR(impactIntegral(m, 0, 200), 1e-5 * 200 * 200 / 2, 1e-15);
  EXPECT_NEAR(depthAtImpact(m, 0, 0.002), 200, 1e-9);
  // Past the 0.99 cap (Q = 99,000) the level stays at 0.99.
  EXPECT_NEAR(impactIntegral(m, 0, 100000), 1e-5 * 99000.0 * 99000 / 2 + 0.99 * 1000, 1e-6);
  EXPECT_EQ(depthAtImpact(m, 0, 0.995), INFINITY);
}

TEST(LiquidationBook, SqrtClosedFormsAndDerivative) {
  Market m = linearMarket(1);
  m.liquidity.model = ImpactModel::Sqrt;
  m.liquidity.impactCoefficient = 1;
  m.dailyVolume = 1e6;
  const double vol = 0.04;  // f(Q) = 0.04·sqrt(Q/1e6)
  EXPECT_NEAR(impactIntegral(m, vol, 1e4), 0.04 / 1e3 * 2.0 / 3 * std::pow(1e4, 1.5), 1e-12);
  EXPECT_NEAR(depthAtImpact(m, vol, impactFraction(m, vol, 2.5e4)), 2.5e4, 1e-6);
  const double h = 1e-3, q = 5e3;
  EXPECT_NEAR((impactIntegral(m, vol, q + h) - impactIntegral(m, vol, q - h)) / (2 * h), impactFraction(m, vol, q), 1e-9);
}

TEST(LiquidationBook, NoImpactIsAFlatBook) {
  Market m = linearMarket(1);
  m.liquidity.model = ImpactModel::None;
  EXPECT_EQ(impactIntegral(m, 0, 1e9), 0.0);
  EXPECT_EQ(depthAtImpact(m, 0, 0.01), INFINITY);
}
