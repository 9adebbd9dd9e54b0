// Position arithmetic for linear (quote-margined) and inverse (coin-margined) perpetuals.
// docs/formulas.md (position arithmetic). Inverse contracts are 1 quote unit each: q contracts have notional q in quote units.
#pragma once

#include <optional>
#include <string>
#include <vector>

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

// Tiered maintenance margin (docs/formulas.md (tiered maintenance margin)): MM = N·rate − amount
// for the tier of the position's notional N in margin units. `Mark`: N at the price evaluated, and
// each tier's amount keeps MM continuous (Binance brackets); `Entry`: the tier of N at entry, no
// amount (BitMEX risk limits: the limit the position needed when opened).
enum class TierBasis { Mark, Entry };
struct MarginTier {
  double upTo = 0;    // the tier holds notionals up to this (margin units); the last one beyond it too
  double rate = 0;
  double amount = 0;  // maintenance amount (margin units); derived by maintenanceSchedule()
  bool operator==(const MarginTier& o) const { return upTo == o.upTo && rate == o.rate && amount == o.amount; }
  bool operator!=(const MarginTier& o) const { return !(*this == o); }
};
// One rate, or a tier table. Implicit from a rate, so a single-rate call reads as before.
struct Maintenance {
  double rate = 0;
  std::vector<MarginTier> tiers;  // ascending upTo; empty: `rate` for every size
  TierBasis basis = TierBasis::Mark;
  Maintenance(double r = 0) : rate(r) {}
  // The tier of a notional (margin units) of one account; {rate, 0} without tiers.
  MarginTier tierOf(double notional) const;
};
// A schedule from a table: amounts derived for the mark basis, amount_k = amount_{k−1} +
// upTo_{k−1}·(rate_k − rate_{k−1}) (Binance, "How to Calculate Liquidation Price of USDⓈ-M
// Futures Contracts", maintenance amount formula), 0 for the entry basis.
Maintenance maintenanceSchedule(double rate, std::vector<MarginTier> tiers, TierBasis basis);

// Everything is in margin units: quote for linear, coin for inverse.
double unrealisedPnl(const Position& p, Contract c, double mark);
double equity(const Position& p, Contract c, double mark);
// `accounts` > 1: the position stands for that many equal accounts (a synthetic cohort), each in the
// tier of its own share; +inf: accounts small enough for the first tier.
double maintenanceRequirement(const Position& p, Contract c, double mark, const Maintenance& mm, double accounts = 1);
// The tier (rate, amount scaled to the whole position) that applies to p at `price`.
MarginTier tierAt(const Position& p, Contract c, double price, const Maintenance& mm, double accounts = 1);
// Notional in margin units at a price: q·P (linear) or q/P coin (inverse).
double notionalInMargin(const Position& p, Contract c, double price);
// Notional in quote units (what order-book depth is measured in).
double notionalInQuote(const Position& p, Contract c, double price);

// Price at which equity equals the maintenance requirement; nullopt where it never does
// (a long with collateral >= its notional, a short on an inverse contract with collateral
// >= its coin value).
std::optional<double> liquidationPrice(const Position& p, Contract c, const Maintenance& mm, double accounts = 1);
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
