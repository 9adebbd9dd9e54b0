// Risk-based ADL allocation ("water-filling"): the quantity ADL must close is spread over the
// opposite side's profitable positions so that the largest post-ADL leverage is as small as
// possible. The most levered accounts are reduced first and end at one common level λ*; the
// others are untouched. Under an expected-loss objective this is the unique optimal single-asset
// policy, and it is Sybil- and wash-trade resistant (Campbell, Hey, Moallemi, Nutz, arXiv
// 2603.15963); queue rules can close far more than a deficit needs (Chitra, arXiv 2512.01112).
//
// Post-ADL leverage of an account that closes x of its q units:
//     L(x) = n·(q − x) / (E − c·x)
// n: notional per unit at the mark (P linear, 1/P coin inverse); E: equity at the mark;
// c: what each unit closed by ADL loses against the mark (|X − P| linear, |1/P − 1/X| inverse,
// for a fill at X). All money is in margin units (quote linear, coin inverse).
#pragma once

#include <vector>

#include "backstop/model/position.hpp"

namespace backstop {

// One counterparty as the allocation sees it, in margin units.
struct AdlAccount {
  double quantity = 0;     // q > 0
  double equity = 0;       // E at the mark
  double lossPerUnit = 0;  // c >= 0 against the mark, per unit closed
};

struct WaterFilling {
  std::vector<double> close;  // x_i, in the order of the accounts given
  double level = 0;           // λ*: the common post-ADL leverage of the reduced accounts (0: all closed)
  double closed = 0;          // Σ x_i = min(quantity, what the accounts hold)
  double loss = 0;            // Σ c_i·x_i: what the counterparties pay, the bad debt ADL covers
};

// n·(q − x)/(E − c·x); 0 once nothing is left open; +inf while a position stays open on equity <= 0.
double postAdlLeverage(const AdlAccount& a, double notionalPerUnit, double closed);

// Allocates `quantity` over `accounts` minimising the largest postAdlLeverage. Corner cases: an
// account already on equity <= 0 (a socialised haircut can leave one) is unboundedly levered
// until closed, so it is closed first, in full; an account whose equity a full close would take
// to <= 0 (0 < E <= c·q) gains leverage as it is reduced, so it is used only once the others are
// closed, most levered first. Throws InputError on a negative or non-finite quantity, a
// non-positive n, or an account that is not (q > 0, E finite, c >= 0).
WaterFilling waterFill(double quantity, double notionalPerUnit, const std::vector<AdlAccount>& accounts);

// Margin units per unit of notional at the mark: P (linear) or 1/P (inverse, coin).
double adlNotionalPerUnit(Contract c, double mark);
// Loss against the mark of closing one unit of a counterparty on `side` at `fillPrice`.
double adlLossPerUnit(Contract c, Side side, double mark, double fillPrice);
// A counterparty losing `lossPerUnit` per unit, capped at its unrealised profit per unit: ADL
// never takes more than a trader's profit (the waterfall's invariant, as in Waterfall::adl).
AdlAccount adlAccount(const Position& p, Contract c, double mark, double lossPerUnit);

// The allocation for the bankrupt quantity `quantity` filled at `fillPrice` (its bankruptcy
// price) against profitable `counterparties` (the opposite side) at `mark`.
WaterFilling waterFill(double quantity, double fillPrice, double mark, Contract c,
                       const std::vector<Position>& counterparties);

}  // namespace backstop
