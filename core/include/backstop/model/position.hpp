// Position arithmetic for linear (quote-margined) and inverse (coin-margined) perpetuals.
// docs/formulas.md (position arithmetic). Inverse contracts are 1 quote unit each: q contracts have notional q in quote units.
#pragma once

#include <optional>
#include <string>

#include "backstop/errors.hpp"

namespace backstop {

enum class Side { Long = 1, Short = -1 };
enum class Contract { Linear, Inverse };

inline double sign(Side s) { return s == Side::Long ? 1.0 : -1.0; }
inline Side opposite(Side s) { return s == Side::Long ? Side::Short : Side::Long; }
const char* toString(Side s);
const char* toString(Contract c);

struct Position {
  std::string id;
  Side side = Side::Long;
  double quantity = 0;    // base units (linear) or contracts (inverse)
  double entryPrice = 0;  // quote per base
  double collateral = 0;  // isolated margin: quote (linear) or coin (inverse)
};

// Everything is in margin units: quote for linear, coin for inverse.
double unrealisedPnl(const Position& p, Contract c, double mark);
double equity(const Position& p, Contract c, double mark);
double maintenanceRequirement(const Position& p, Contract c, double mark, double mmr);
// Notional in margin units at a price: q·P (linear) or q/P coin (inverse).
double notionalInMargin(const Position& p, Contract c, double price);
// Notional in quote units (what order-book depth is measured in).
double notionalInQuote(const Position& p, Contract c, double price);

// Price at which equity equals the maintenance requirement; nullopt where it never does
// (a long with collateral >= its notional, a short on an inverse contract with collateral
// >= its coin value).
std::optional<double> liquidationPrice(const Position& p, Contract c, double mmr);
// Price at which equity is zero; nullopt where it never is.
std::optional<double> bankruptcyPrice(const Position& p, Contract c);

// Checks one position; pointer is the JSON pointer of the position object.
void validatePosition(const Position& p, const std::string& pointer, Issues& issues);

struct PositionPrices {
  std::optional<double> liquidation;
  std::optional<double> bankruptcy;
  double notional = 0;  // at entry, quote units
  double leverage = 0;  // notional / collateral at entry, in the same units
};

// The first slice of every layer: validates, then computes both prices. Throws InputError.
PositionPrices positionPrices(const Position& p, Contract c, double mmr);

// The `position` command's result: the position as given and its prices.
struct PositionResult {
  Position position;
  Contract contract = Contract::Linear;
  double maintenanceMarginRate = 0;
  PositionPrices prices;
};

}  // namespace backstop
