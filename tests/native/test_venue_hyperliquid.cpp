// Hyperliquid preset: no clearance fee (the remainder stays with the trader); over 100,000 USDC
// 20 % at a time; below 2/3 of maintenance the liquidator vault takes position and margin
// (backstop liquidation) and carries the unwinding; a negative account value goes to ADL by
// (mark/entry) × (notional/account value). Values:
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

// A long of 10,000 at 100 with margin 100,000 under 5 % maintenance, no vault, flat book.
StressEvent largeLongAt(double shock) {
  Scenario s = hlScenario();
  s.market().maintenanceMarginRate = 0.05;
  s.book().positions = {pos("a", Side::Long, 10000, 100, 100000)};
  s.fund.backstopVault = 0;
  return runShock(s, shock);
}
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

TEST(VenueHyperliquid, TheVaultCarriesTheRiskOfUnwinding) {
  // The same backstop at 98.6 (equity 0.6) in a linear book 98.6 deep within 1 %: the vault
  // unwinds the 98.6 of notional at 1 % impact, 98.6 × 0.99 = 97.614, realising 2 − 2.386 = −0.386:
  // the vault loses 0.386 instead of gaining 0.6 (docs, "Liquidations": the vault takes the
  // position and then carries its risk).
  Scenario s = hlScenario();
  s.market().liquidity.model = ImpactModel::Linear;
  s.market().liquidity.depth1pct = 98.6;
  s.book().positions = {pos("a", Side::Long, 1, 100, 2)};
  s.fund.backstopVault = 100;
  const StressEvent e = runShock(s, -0.014);
  EXPECT_TRUE(e.positions[0].backstopped);
  EXPECT_NEAR(e.positions[0].executionPrice, 97.614, 1e-9);
  EXPECT_NEAR(e.waterfall.backstopVault, 0.386, 1e-9);
  EXPECT_NEAR(e.vaultAfter, 100 - 0.386, 1e-9);
}

TEST(VenueHyperliquid, NegativeAccountValueGoesStraightToAdl) {
  // Long 1 @100, M 5 shocked to 90: account value −5. Hyperliquid has no insurance fund and the
  // vault does not take negative accounts (docs, "Auto-deleveraging"): the profitable short takes
  // it over at 95, the bankruptcy price; the vault of 3 is untouched.
  Scenario s = hlScenario();
  s.book().positions = {pos("a", Side::Long, 1, 100, 5), pos("s", Side::Short, 1, 100, 50)};
  s.fund.balance = 1000;  // not a stage of this venue
  s.fund.backstopVault = 3;
  const StressEvent e = runShock(s, -0.1);
  EXPECT_NEAR(e.badDebt, 5, 1e-12);
  EXPECT_EQ(e.waterfall.backstopVault, 0.0);
  EXPECT_NEAR(e.waterfall.adl, 5, 1e-12);
  EXPECT_EQ(e.waterfall.insuranceFund, 0.0);
  ASSERT_EQ(e.adlFills.size(), 1u);
  EXPECT_NEAR(e.adlFills[0].price, 95, 1e-12);
  EXPECT_DOUBLE_EQ(e.vaultAfter, 3);
  EXPECT_DOUBLE_EQ(e.fundAfter, 1000);
}

TEST(VenueHyperliquid, IssueCaseLargePositionLiquidatedTwentyPercentAtATime) {
  // Issue 14's case (docs, "Liquidations": positions over 100,000 USDC are liquidated 20 % at a
  // time): long 10,000 @100, margin 100,000, 5 % maintenance, at −5.5 % (94.5): notional 945,000,
  // equity 45,000 < maintenance 47,250 but above 2/3 of it (31,500): market liquidation. 20 %,
  // 2,000 base = 189,000, goes to the (flat) book; the rest, 756,000, needs 37,800 < 45,000, so
  // liquidation stops. (The old engine sold all 945,000.)
  const StressEvent e = largeLongAt(-0.055);
  ASSERT_TRUE(e.positions[0].liquidated);
  EXPECT_NEAR(e.liquidatedNotional, 189000, 1e-6);
  EXPECT_NEAR(e.positions[0].liquidatedQuantity, 2000, 1e-9);
  EXPECT_NEAR(e.positions[0].remainingQuantity, 8000, 1e-9);
  EXPECT_FALSE(e.positions[0].backstopped);
  EXPECT_EQ(e.badDebt, 0.0);
}

TEST(VenueHyperliquid, StillLiquidatableWithinTheCooldownTheRestGoesWhole) {
  // Docs, "Liquidations": after a partial (20 %) liquidation "there is a cooldown period of 30
  // seconds. During this cooldown period, all market liquidation orders for that user will be for
  // the entire position." Long 10,000 @100, margin 100,000, 5 % maintenance, at −6.5 % (93.5):
  // equity 35,000 < maintenance 46,750, above 2/3 of it (31,167): market liquidation. The 20 %
  // order (2,000 base) leaves 8,000 needing 37,400 > 35,000 (flat book: equity unchanged), so the
  // next order, at the same mark within the cooldown, takes the whole rest: all 935,000 sold,
  // 35,000 returned. (20 % chunks until compliant would have stopped after 4,000 base.)
  const StressEvent e = largeLongAt(-0.065);
  ASSERT_TRUE(e.positions[0].liquidated);
  EXPECT_NEAR(e.liquidatedNotional, 935000, 1e-6);
  EXPECT_NEAR(e.positions[0].liquidatedQuantity, 10000, 1e-9);
  EXPECT_NEAR(e.positions[0].returned, 35000, 1e-6);
  EXPECT_FALSE(e.positions[0].backstopped);
  EXPECT_EQ(e.badDebt, 0.0);
}
