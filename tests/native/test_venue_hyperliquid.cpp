// Hyperliquid preset (docs/formulas.md (loss waterfall)): no clearance fee (the remainder stays with the trader); below
// 2/3 of maintenance the liquidator vault takes position and margin (backstop liquidation);
// losses go to the vault, then ADL by (mark/entry) × (notional/account value). Values:
// Hyperliquid docs "Liquidations" (liquidation price formula, the 2/3 backstop rule) and
// ORACLES.md "Venues" (isolated long 1 at 100,000, margin 10,000, maintenance 1 % -> 90,909.09).
#include <gtest/gtest.h>

#include <random>

#include "backstop/stress/stress.hpp"
#include "backstop/venues/venues.hpp"
#include "book_helpers.hpp"

using namespace backstop;
using namespace backstop::test_books;

namespace {

Scenario hlScenario() { return presetScenario(Venue::Hyperliquid, "BTC"); }
}  // namespace

TEST(VenueHyperliquid, DocumentedLiquidationPrice) {
  // margin_available = isolated margin − maintenance margin = 10,000 − 1 % × 100,000 = 9,000;
  // l = 1/maintenance leverage = 1 % -> 100,000 − 9,000/1/(1 − 0.01) = 90,909.09.
  EXPECT_NEAR(venues::hyperliquid::liquidationPrice(100000, 1, 9000, 1, 100), 90909.0909090909, 1e-6);
  const Position p = pos("p", Side::Long, 1, 100000, 10000);
  EXPECT_NEAR(*liquidationPrice(p, Contract::Linear, 0.01), 90909.0909090909, 1e-6);
}

TEST(VenueHyperliquid, DocumentedFormulaAgreesWithTheEngineOnBothSides) {
  // The docs' formula and docs/formulas.md (position arithmetic)'s are the same algebra for isolated positions.
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(0, 1);
  for (int i = 0; i < 1000; ++i) {
    const Side side = u(rng) < 0.5 ? Side::Long : Side::Short;
    const double E = 1 + 1e5 * u(rng), q = 0.01 + 100 * u(rng), mmr = 0.002 + 0.05 * u(rng);
    const double M = q * E * (mmr + (1 - mmr) * u(rng) * 0.9);
    const Position p = pos("p", side, q, E, M);
    const double doc = venues::hyperliquid::liquidationPrice(E, int(sign(side)), M - mmr * q * E, q, 1.0 / mmr);
    EXPECT_NEAR(*liquidationPrice(p, Contract::Linear, mmr), doc, 1e-9 * E);
  }
}

TEST(VenueHyperliquid, AdlIndex) {
  // (mark/entry) × (notional/account value): long at 100, mark 110, notional 110, equity 20 -> 6.05.
  EXPECT_NEAR(venues::hyperliquid::adlIndex(110.0 / 100, 110, 20), 6.05, 1e-12);
  EXPECT_NEAR(adlScore(AdlRanking::HyperliquidIndex, pos("l", Side::Long, 1, 100, 10), Contract::Linear, 110, 0.01),
              6.05, 1e-12);
}

TEST(VenueHyperliquid, PresetParameters) {
  const Policy p = presetPolicy(Venue::Hyperliquid, "BTC");
  EXPECT_DOUBLE_EQ(p.penaltyRate, 0.0);
  EXPECT_NEAR(p.backstopThreshold, 2.0 / 3.0, 1e-15);
  EXPECT_EQ(p.stages, (std::vector<Stage>{Stage::BackstopVault, Stage::Adl}));
  EXPECT_EQ(p.adlRanking, AdlRanking::HyperliquidIndex);
}

TEST(VenueHyperliquid, MarketLiquidationReturnsTheRemainder) {
  // Long 1 @100, M 2 (liquidation 98/0.99 = 98.99). At 98.9: equity 0.9, maintenance 0.989,
  // 2/3 of it 0.659 -> a market liquidation; no fee: all 0.9 back to the trader.
  Scenario s = hlScenario();
  s.book().positions = {pos("a", Side::Long, 1, 100, 2)};
  s.fund.backstopVault = 100;
  const StressEvent e = runShock(s, -0.011);
  ASSERT_TRUE(e.positions[0].liquidated);
  EXPECT_FALSE(e.positions[0].backstopped);
  EXPECT_NEAR(e.positions[0].returned, 0.9, 1e-12);
  EXPECT_EQ(e.positions[0].penalty, 0.0);
  EXPECT_DOUBLE_EQ(e.vaultAfter, 100);
}

TEST(VenueHyperliquid, BelowTwoThirdsOfMaintenanceTheVaultTakesOver) {
  // At 98.6: equity 0.6 < 2/3 × 0.986 = 0.657 -> backstop: the vault takes position and margin.
  Scenario s = hlScenario();
  s.book().positions = {pos("a", Side::Long, 1, 100, 2)};
  s.fund.backstopVault = 100;
  const StressEvent e = runShock(s, -0.014);
  ASSERT_TRUE(e.positions[0].liquidated);
  EXPECT_TRUE(e.positions[0].backstopped);
  EXPECT_NEAR(e.positions[0].returned, 0.0, 1e-12);
  EXPECT_NEAR(e.vaultAfter, 100.6, 1e-12);
  EXPECT_EQ(e.badDebt, 0.0);
}

TEST(VenueHyperliquid, VaultAbsorbsBadDebtThenAdl) {
  // Long 1 @100, M 5 shocked to 90 owes 5: a vault of 3 pays 3, the profitable short the other 2
  // at 90 + 2 = 92 (the loss it takes equals the remainder).
  Scenario s = hlScenario();
  s.book().positions = {pos("a", Side::Long, 1, 100, 5), pos("s", Side::Short, 1, 100, 50)};
  s.fund.balance = 1000;  // not a stage of this venue
  s.fund.backstopVault = 3;
  const StressEvent e = runShock(s, -0.1);
  EXPECT_NEAR(e.badDebt, 5, 1e-12);
  EXPECT_NEAR(e.waterfall.backstopVault, 3, 1e-12);
  EXPECT_NEAR(e.waterfall.adl, 2, 1e-12);
  EXPECT_EQ(e.waterfall.insuranceFund, 0.0);
  ASSERT_EQ(e.adlFills.size(), 1u);
  EXPECT_NEAR(e.adlFills[0].price, 92, 1e-12);
  EXPECT_DOUBLE_EQ(e.fundAfter, 1000);
}
