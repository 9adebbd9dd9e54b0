// The insurance fund's payout policy — floor, cap per event, drawdown trigger, per-market cap,
// a treasury behind a governance delay: ONE implementation, used by the stress Waterfall (one
// event) and by simulate's PathEngine (each step an event, per fund size on its grid).
#pragma once

#include <vector>

#include "backstop/model/scenario.hpp"

namespace backstop {

// The fund's running state for the policy: the balance now and at the event's start, what it
// paid in this event and in total, and its peak over the drawdown window.
struct FundState {
  double balance = 0;
  double eventStart = 0;
  double paidThisEvent = 0;
  double paidTotal = 0;
  double peak = 0;

  explicit FundState(double b = 0) : balance(b), eventStart(b), peak(b) {}
  // A new event: the cap restarts from the balance now. `peak` is the window's (the caller's
  // when the window outlasts the event; the balance when the window is the event).
  void startEvent(double windowPeak) {
    eventStart = balance;
    paidThisEvent = 0;
    peak = windowPeak;
  }
  void credit(double amount) {
    balance += amount;
    if (balance > peak) peak = balance;
  }
  void pay(double amount) {
    balance -= amount;
    paidThisEvent += amount;
    paidTotal += amount;
  }
};

// Value of one unit of the fund's starting holdings after the reference market's log-price moved
// by x (docs/formulas.md "Fund composition and the growth index", without the token's own noise):
// quote 1, underlying e^x, token e^{beta·x} (log-linear); for an inverse market money is coin, so
// each is divided by e^x. Empty composition: 1.
double holdingsValue(const std::vector<FundHolding>& composition, double x, bool inverse);

class FundPolicy {
 public:
  // The floor is the venue's (venues::rules(preset).fundFloor: Drift keeps one unit).
  FundPolicy(const Fund& fund, const Policy& policy);

  // What the fund may pay now: the balance above the floor; at most cap × the balance at the
  // event's start, less what it paid in the event; with the drawdown trigger, not below
  // (1 − fraction) × its peak in the window; at most the per-market cap less what it paid in total.
  double available(const FundState& s) const;
  bool drawdownTrigger() const { return drawdown_ >= 0; }
  double floor() const { return floor_; }

  // The treasury pays `delayDays` after the first loss the fund did not cover; a stress event
  // is instantaneous (elapsed 0), so a delayed treasury cannot pay in it.
  bool treasuryReleased(double daysSinceFirstShortfall) const {
    return daysSinceFirstShortfall >= treasuryDelay_ - 1e-12;
  }
  double treasury() const { return treasury_; }

 private:
  double floor_ = 0;
  double capFraction_ = -1;  // < 0: no cap per event
  double drawdown_ = -1;     // < 0: ADL only when the fund is depleted
  double perMarketCap_ = -1; // < 0: none
  double treasury_ = 0;
  double treasuryDelay_ = 0;
};

}  // namespace backstop
