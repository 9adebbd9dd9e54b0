// Venue formulas that differ from the generic engine, each from the venue's public
// documents or source (cited per function), defined in the venue's own file
// (core/src/venues/<venue>.cpp, with its preset and mechanics: venues/rules.hpp); each has a
// test suite in tests/native/.
#pragma once

#include <string>
#include <vector>

namespace backstop::venues {

namespace bitmex {
// BitMEX ADL ranking: PNL% × EffectiveLeverage if PNL% > 0, else PNL% / EffectiveLeverage;
// EffectiveLeverage = |MarkValue| / (MarkValue − BankruptValue) (= notional / equity).
double effectiveLeverage(double markValue, double bankruptValue);
double adlRank(double pnlPercent, double notionalAtMark, double equityAtMark);
}  // namespace bitmex

namespace binance {
// Binance ADL: PnlPercent = max(0, UPnL)/max(1, WB); MarginRatio = MM/(WB + UPnL), 0 if <= 0.
double adlScore(double unrealisedPnl, double walletBalance, double maintenanceMargin);
}  // namespace binance

namespace hyperliquid {
// Hyperliquid docs: liq price = price − side·margin_available/size/(1 − l·side), l = 1/maintenance leverage.
double liquidationPrice(double price, int side, double marginAvailable, double size, double maintenanceLeverage);
// ADL index (mark/entry) × (notional/account value), mark/entry inverted for shorts by the caller.
double adlIndex(double priceRatio, double notional, double accountValue);
}  // namespace hyperliquid

namespace dydx {
// v4-chain x/clob liquidations: ABR = clamp(BA·(1 − TNC/TMMR), 0, 1);
// fillable price = (PNNV − ABR·SMMR·PMMR) / PS (signed net notional and size).
double fillablePrice(double pnnv, double ps, double pmmr, double tnc, double tmmr, double ba, double smmr);
// Bankruptcy quote for closing `fraction` of a single-position account with quote balance `usdc`.
double bankruptcyQuote(double usdcBalance, double fraction);
// Insurance-fund delta of a fill: d = quoteReceived − bankruptcyQuote; d <= 0: fund pays |d|
// (returns d); else the fee min(|quoteReceived|·maxLiquidationFee, d).
double insuranceFundDelta(double quoteReceived, double bankruptcyQuote, double maxLiquidationFee);

// A resting maker order the liquidation order can match: price and base quantity.
struct BookLevel {
  double price = 0;
  double quantity = 0;
};

struct LiquidationMatch {
  double filled = 0;     // base quantity filled
  double quote = 0;      // |quote| exchanged for it
  double fees = 0;       // insurance-fund fees (fills above the bankruptcy quote)
  double fundPaid = 0;   // paid by the fund (fills below the bankruptcy quote)
  double kept = 0;       // d − fee the account keeps from fills above the bankruptcy quote
  bool rejected = false; // matching stopped at a fill that would take the fund below 0
};

// Matches a liquidation order for `size` of a single-position account (`side` +1 long sells,
// −1 short buys; `usdcBalance` its quote balance) against `levels`, best first, at prices no
// worse than `fillablePrice`; each fill's fund delta per insuranceFundDelta; the first fill that
// would take `fundBalance` below 0 is rejected and matching stops (v4-chain x/clob).
LiquidationMatch matchLiquidation(int side, double size, double usdcBalance, const std::vector<BookLevel>& levels,
                                  double fillablePrice, double maxLiquidationFee, double fundBalance);
}  // namespace dydx

namespace drift {
// programs/drift/src/math/liquidation.rs: base to sell to cover a margin shortage.
double baseToCoverShortage(double shortage, double marginRatio, double liquidatorFee, double ifFee, double price);
// IF fee = min(max_if_fee, 0.95·(MR − liqFee − shortage/(base·price))), floored at 0.
double insuranceFundFee(double shortage, double base, double price, double marginRatio, double liquidatorFee,
                        double maxIfFee);
// Social loss charged per base unit on both sides.
double socialLossPerBase(double loss, double longBase, double shortBase);
// Fund payout: min(loss, vault − 1, per-market cap − already paid), floored at 0.
double fundPayout(double loss, double vault, double perMarketCap, double alreadyPaid);
// The most quote_max_insurance may be for a contract tier ("a", "b", "c", "speculative",
// "highly_speculative", "isolated"): 100 M, 1 M, 100 k, then 0.
double tierInsuranceMax(const std::string& tier);
}  // namespace drift

namespace gmx {
// liquidationFeeUsd = size · liquidationFeeFactor.
double liquidationFeeUsd(double sizeUsd, double liquidationFeeFactor);
// A position's PnL when pool PnL exceeds pool × maxPnlFactor: pnl × cappedPoolPnl / poolPnl.
double cappedPnl(double positionPnl, double poolPnl, double poolValue, double maxPnlFactor);
// MarketUtils.getPnlToPoolFactor: a side's PnL over the pool's USD (+inf for profit on an empty pool).
double pnlToPoolFactor(double poolPnl, double poolUsd);
// The fraction of a profitable position (PnL `positionPnl`, paid at `cappedRatio` of it) an ADL
// order closes so the side's factor falls to `target` (AdlHandler: not below the min after ADL);
// 1 when closing all of it is not enough.
double adlCloseFraction(double poolPnl, double poolUsd, double positionPnl, double cappedRatio, double target);
}  // namespace gmx

}  // namespace backstop::venues
