// Who ADL closes, and how much, under each `policy.adl_ranking`: the one allocation that
// Waterfall::adl applies, and that a stress event reruns under every rule on a copy of its
// book to show who bears the loss. The event's ledger follows each counterparty's account
// (its position plus the cash its ADL closes released) for the event's `adl_summary`.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "backstop/model/position.hpp"
#include "backstop/model/scenario.hpp"
#include "backstop/waterfall/adl.hpp"

namespace backstop {

struct AdlTake {
  size_t index = 0;          // into the book
  double quantity = 0;       // closed against the bankrupt position
  double lossPerUnit = 0;    // against the mark: the event's D/Q, capped at the counterparty's profit per unit
};

// The open, profitable positions on `side` at `mark`, allocated `quantity` under `rule`, each
// losing min(perUnit, its unrealised profit per unit). Queue rules close in adlQueue's order
// (scores, ties by id; `random` from a seeded start, advancing `rng`), `pro_rata` in proportion to
// quantity, `water_filling` so the largest post-ADL leverage is smallest (water_filling.hpp),
// counting `released[id]` (cash earlier ADL closes in the event paid out) in the account's equity.
std::vector<AdlTake> allocateAdl(AdlRanking rule, const std::vector<BookEntry>& book, Side side, double quantity,
                                 double perUnit, Contract c, double mark, const Maintenance& mm, std::uint64_t& rng,
                                 const std::map<std::string, double>& released = {});

// An event's ADL in one line: accounts hit, quantity closed, loss taken; the largest account
// leverage (remaining notional / equity after the ADL losses) before and after; the largest
// share of one trader's unrealised profit taken.
struct AdlSummary {
  AdlRanking rule = AdlRanking::PnlTimesLeverage;
  int counterparties = 0;
  double quantity = 0;
  double loss = 0;
  double maxLeverageBefore = 0;
  double maxLeverageAfter = 0;
  double largestHaircutShare = 0;
};

// Follows one event's ADL rounds (each bankrupt fill that reaches the ADL stage is one).
class AdlLedger {
 public:
  void reset();
  bool empty() const { return rounds_ == 0; }
  // Before a round's fills: notes the round's counterparties as they are; the first round also
  // keeps a copy of the book, its mark and the rng state.
  void beginRound(const std::vector<BookEntry>& book, Side side, double quantity, double debt, double mark,
                  std::uint64_t rng, Contract c);
  // After each fill: cash released to the trader by closing `take` (its collateral share plus
  // the PnL realised at the ADL price).
  void recordFill(const std::string& id, double quantity, double loss, double released);
  const std::map<std::string, double>& released() const { return released_; }

  // What happened, every account valued at the last round's mark (before: its position before
  // the event's first ADL fill; the haircut share against its profit when first a counterparty).
  AdlSummary summary(AdlRanking rule, const std::vector<BookEntry>& book, Contract c) const;
  // Each rule's allocation of the event's whole ADL quantity, at its average loss per unit,
  // on the book as it stood at the first round (one allocation, not the event's rounds).
  std::vector<AdlSummary> compare(Contract c, const Maintenance& mm) const;

 private:
  struct Account {
    Position before;  // at the round it was first a counterparty
    double markBefore = 0;
    double closed = 0, loss = 0;
  };
  int rounds_ = 0;
  Side side_ = Side::Long;
  std::vector<BookEntry> firstBook_;
  double firstMark_ = 0, lastMark_ = 0;
  std::uint64_t firstRng_ = 0;
  double quantity_ = 0, debt_ = 0;
  std::map<std::string, Account> accounts_;
  std::map<std::string, double> released_;
};

}  // namespace backstop
