// Liquidation of one position (docs/formulas.md (closing a position)): execution through an impact model, realised
// equity, the penalty and its split, or the bad debt that enters the waterfall.
#pragma once

#include "backstop/model/position.hpp"
#include "backstop/model/scenario.hpp"

namespace backstop {

// Temporary impact as a fraction of the price for `notionalQuote` liquidated at once;
// capped below 1. `dailyVolatility` feeds the square-root law.
double impactFraction(const Market& market, double dailyVolatility, double notionalQuote);

// Walking the book: the level at depth Q (quote notional already taken in the event) sits at a
// relative distance f(Q) from the reference price, f the impact law above (capped below 1).
// impactIntegral(Q) = ∫_0^Q f(u) du, so a slice [a, b] fills on average at
// (impactIntegral(b) − impactIntegral(a)) / (b − a).
double impactIntegral(const Market& market, double dailyVolatility, double depthQuote);
// The depth at which f reaches `impact` (its inverse); +inf where it never does.
double depthAtImpact(const Market& market, double dailyVolatility, double impact);

// Execution price of a market order closing a position of `side` at reference `price`.
inline double executionPrice(Side side, double price, double impact) {
  return side == Side::Long ? price * (1.0 - impact) : price * (1.0 + impact);
}

struct FillOutcome {
  double executionPrice = 0;
  double realisedEquity = 0;  // R = M + s·q·(X − E) (margin units)
  double penalty = 0;         // taken from R when R >= 0
  double penaltyToFund = 0;
  double penaltyToLiquidator = 0;
  double returned = 0;        // back to the trader
  double badDebt = 0;         // −R when R < 0
};

// Closes all of `p` at execution price `x` under the policy's penalty rules.
FillOutcome closeAt(const Position& p, Contract c, double x, const Policy& policy);

}  // namespace backstop
