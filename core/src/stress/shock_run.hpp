// One shock applied to a book (stress): the cascade lives in stress.cpp; the venue mechanics
// (core/src/venues/*.cpp) liquidate through the members below. Private to the core.
#pragma once

#include <algorithm>
#include <vector>

#include "backstop/stress/stress.hpp"
#include "backstop/waterfall/waterfall.hpp"

namespace backstop {

inline bool hasStage(const Policy& p, Stage s) {
  return std::find(p.stages.begin(), p.stages.end(), s) != p.stages.end();
}

// Adds what every event, replay step and total carries: liquidated notional, bad debt,
// penalties to the fund and the waterfall's split (a multi-market event's markets, a replay).
template <class Total, class Part> void addLosses(Total& to, const Part& from) {
  to.liquidatedNotional += from.liquidatedNotional;
  to.badDebt += from.badDebt;
  to.penaltiesToFund += from.penaltiesToFund;
  to.waterfall += from.waterfall;
}

inline Position scaled(const Position& p, double quantity, double collateral) {
  Position part = p;
  part.quantity = quantity;
  part.collateral = collateral;
  return part;
}

class ShockRun {
 public:
  ShockRun(const Scenario& s, double shock);
  // replay: one step (or one level a candle reached) on a carried book and waterfall at
  // reference price `reference`; `sold`/`bought` walk the book from what the step already took.
  ShockRun(const Scenario& s, double shock, double reference, std::vector<BookEntry> book, const Waterfall& wf,
           double sold, double bought);
  StressEvent run();

  // Quote notional already liquidated on `side`'s way out (longs sell, shorts buy): the next
  // fill's impact counts it.
  double& walked(Side side) { return side == Side::Long ? sold_ : bought_; }
  void creditPenalty(PositionOutcome& o, double penalty, double toFund, double toVault);
  // Sends bad debt of the closed part `closed` through the waterfall.
  void cover(PositionOutcome& o, double debt, const Position& closed, bool skipFund, bool skipVault = false);
  // Sends `quantity` of entry i to the book as a market order walking it; the account realises
  // that part's PnL and keeps its margin against the rest (no penalty: the venue charges its own).
  void sellToBook(size_t i, double quantity);
  void closeWhole(size_t i) {
    book_[i].open = false;
    book_[i].position.quantity = 0;
  }

  const Scenario& s_;
  Contract c_;
  double mmr_, vol_;  // mmr_: the market's one rate (venue mechanics without tiers)
  Maintenance mm_;    // the market's maintenance schedule (tiers, when the policy has them)
  std::vector<BookEntry> book_;
  Waterfall wf_;
  StressEvent ev_;
  std::vector<PositionOutcome> outcome_;
  double p1_ = 0, mark_ = 0;  // the shocked reference price; the mark after permanent impact
  double sold_ = 0, bought_ = 0;  // quote notional liquidated by selling (longs) and buying (shorts)
  double takenOver_ = 0;  // policy.fundTakeoverCap: net notional the fund took over this event (longs +)
};

}  // namespace backstop
