// The fund policy (waterfall/fund.hpp) — the one implementation stress's Waterfall and
// simulate's PathEngine both call — and the venue registry, against values worked by hand.
#include <gtest/gtest.h>

#include <string>

#include "backstop/venues/rules.hpp"
#include "backstop/venues/venues.hpp"
#include "backstop/waterfall/adl.hpp"
#include "backstop/waterfall/fund.hpp"

using namespace backstop;

namespace {
Fund fund(double floor = 0) {
  Fund f;
  f.balance = 100;
  f.floor = floor;
  return f;
}
}  // namespace

TEST(FundPolicy, CapPerEventAndFloorOverASequenceOfLosses) {
  Fund f = fund(10);
  f.maxDrawFractionPerEvent = 0.25;
  const FundPolicy policy(f, Policy{});
  FundState s(100);
  EXPECT_DOUBLE_EQ(policy.available(s), 25);  // min(100 − 10, 0.25 × 100)
  s.pay(25);
  EXPECT_DOUBLE_EQ(policy.available(s), 0);  // the cap is spent for this event
  s.startEvent(s.balance);
  EXPECT_DOUBLE_EQ(policy.available(s), 18.75);  // 0.25 × 75
  s.pay(18.75);
  s.startEvent(s.balance);
  EXPECT_DOUBLE_EQ(policy.available(s), 14.0625);  // 0.25 × 56.25
  FundState low(12);
  EXPECT_DOUBLE_EQ(policy.available(low), 2);  // only what is above the floor of 10
}

TEST(FundPolicy, DrawdownTriggerKeepsTheFundAboveItsPeakLessTheFraction) {
  Policy p;
  p.adlTrigger = AdlTriggerKind::Drawdown;
  p.drawdownFraction = 0.3;
  const FundPolicy policy(fund(), p);
  FundState s(100);
  s.startEvent(120);  // the window's peak was 120
  EXPECT_DOUBLE_EQ(policy.available(s), 16);  // 100 − 0.7 × 120
  s.credit(10);
  EXPECT_DOUBLE_EQ(policy.available(s), 26);  // 110 − 84
  s.credit(20);
  EXPECT_DOUBLE_EQ(policy.available(s), 39);  // a new peak of 130: 130 − 91
  FundState one(100);
  one.startEvent(100);
  EXPECT_DOUBLE_EQ(policy.available(one), 30);  // the window is the event: 30 % of 100
  one.pay(30);
  EXPECT_DOUBLE_EQ(policy.available(one), 0);
}

TEST(FundPolicy, PerMarketCapCountsEveryPayout) {
  Policy p;
  p.perMarketFundCap = 50;
  const FundPolicy policy(fund(), p);
  FundState s(100);
  s.pay(40);
  s.startEvent(s.balance);
  EXPECT_DOUBLE_EQ(policy.available(s), 10);  // 50 − 40 paid in an earlier event
}

TEST(FundPolicy, TreasuryPaysOnlyAfterItsDelay) {
  Fund f = fund();
  f.treasury.amount = 1000;
  f.treasury.delayDays = 2;
  const FundPolicy delayed(f, Policy{});
  EXPECT_FALSE(delayed.treasuryReleased(0));  // a stress event is instantaneous
  EXPECT_FALSE(delayed.treasuryReleased(1.5));
  EXPECT_TRUE(delayed.treasuryReleased(2));
  f.treasury.delayDays = 0;
  EXPECT_TRUE(FundPolicy(f, Policy{}).treasuryReleased(0));
}

TEST(FundPolicy, DriftKeepsOneUnitAsItsBankruptcyResolutionDoes) {
  const FundPolicy policy(fund(), presetPolicy(Venue::Drift, "SOL-PERP"));
  EXPECT_DOUBLE_EQ(policy.floor(), 1);
  // resolve_perp_bankruptcy: min(loss, vault − 1, cap − paid) = 99 for a loss of 200.
  EXPECT_DOUBLE_EQ(policy.available(FundState(100)), venues::drift::fundPayout(200, 100, 1e9, 0));
  EXPECT_DOUBLE_EQ(FundPolicy(fund(), presetPolicy(Venue::Bitmex, "XBTUSD")).floor(), 0);
}

TEST(VenueRegistry, EveryVenueIsFoundByItsEnumAndName) {
  for (Venue v : {Venue::Generic, Venue::Bitmex, Venue::Binance, Venue::DydxV4, Venue::Hyperliquid, Venue::Drift,
                  Venue::GmxV2}) {
    const venues::VenueRules& r = venues::rules(v);
    EXPECT_EQ(r.venue, v);
    EXPECT_EQ(std::string(r.name), toString(v));
    EXPECT_EQ(presetPolicy(v, "BTC-PERP").preset, v);
  }
  // Per-symbol presets: Binance's clearance fee is 0.3 % on BTC, 0.5 % elsewhere.
  EXPECT_DOUBLE_EQ(presetPolicy(Venue::Binance, "BTCUSDT").penaltyRate, 0.003);
  EXPECT_DOUBLE_EQ(presetPolicy(Venue::Binance, "ETHUSDT").penaltyRate, 0.005);
  // Only the venues with their own liquidation carry one.
  EXPECT_EQ(venues::rules(Venue::Bitmex).liquidate, nullptr);
  EXPECT_NE(venues::rules(Venue::Drift).liquidate, nullptr);
  EXPECT_NE(venues::rules(Venue::GmxV2).afterEvent, nullptr);
}

TEST(AdlClose, TakesOverAtThePriceOfTheLossAndShrinksCollateralProRata) {
  BookEntry e;
  e.position.id = "S";
  e.position.side = Side::Short;
  e.position.quantity = 10;
  e.position.entryPrice = 100;
  e.position.collateral = 20;
  // A short closing 4 with a loss of 8 against a mark of 90 pays 2 per unit over it: 92.
  const AdlFill fill = adlClose(e, 4, 8, Contract::Linear, 90);
  EXPECT_DOUBLE_EQ(fill.price, 92);
  EXPECT_DOUBLE_EQ(fill.quantity, 4);
  EXPECT_DOUBLE_EQ(e.position.quantity, 6);
  EXPECT_DOUBLE_EQ(e.position.collateral, 12);  // 20 × 6/10
  EXPECT_TRUE(e.open);
  adlClose(e, 6, 0, Contract::Linear, 90);
  EXPECT_FALSE(e.open);
  // Inverse: a long losing 1/900 coin per contract at 90 closes at 1/(1/90 + 1/900) = 900/11.
  EXPECT_DOUBLE_EQ(adlClosePrice(Side::Long, Contract::Inverse, 90, 1.0 / 900), 900.0 / 11);
}
