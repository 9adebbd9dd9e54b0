// Auto-deleveraging, rank then close: ONE implementation, used by the waterfall's ADL stage
// (stress and its bankrupt positions) and by GMX's pool ADL (venues/gmx_v2.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backstop/model/position.hpp"
#include "backstop/model/scenario.hpp"

namespace backstop {

struct AdlFill {
  std::string id;
  double quantity = 0;
  double price = 0;  // the counterparty's close price: its loss against the mark is `loss`
  double loss = 0;
};

// A position in a book that can be liquidated, deleveraged or haircut.
struct BookEntry {
  Position position;
  bool open = true;
  bool synthetic = false;
  double accounts = 1;  // a synthetic cohort: how many accounts it stands for (cohortAccounts)
};

// ADL priority score of a counterparty at `mark` (higher is deleveraged first); the venue
// formulas live in venues/*.cpp.
double adlScore(AdlRanking rule, const Position& p, Contract c, double mark, const Maintenance& mm,
                double accounts = 1);

// The open, profitable positions of `side` at `mark`, in deleveraging order: by `rule`'s score,
// highest first, ties by id; Random (dYdX v4): by id from a pseudo-random start drawn from `rng`.
std::vector<size_t> adlQueue(const std::vector<BookEntry>& book, Side side, AdlRanking rule, Contract c, double mark,
                             const Maintenance& mm, std::uint64_t& rng);

// The close price at which a position of `side` loses `lossPerUnit` (margin units) against `mark`.
double adlClosePrice(Side side, Contract c, double mark, double lossPerUnit);

// Closes `take` of `e` at the price where its loss against the mark is `loss` (its collateral
// shrinks pro rata; closed when nothing is left) and returns the fill.
AdlFill adlClose(BookEntry& e, double take, double loss, Contract c, double mark);

}  // namespace backstop
