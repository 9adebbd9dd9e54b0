// Venue formulas that differ from the generic engine, each from the venue's public
// documents or source (cited per function); each has a test suite in tests/native/.
#pragma once

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
}  // namespace drift

namespace gmx {
// liquidationFeeUsd = size · liquidationFeeFactor.
double liquidationFeeUsd(double sizeUsd, double liquidationFeeFactor);
// A position's PnL when pool PnL exceeds pool × maxPnlFactor: pnl × cappedPoolPnl / poolPnl.
double cappedPnl(double positionPnl, double poolPnl, double poolValue, double maxPnlFactor);
}  // namespace gmx

}  // namespace backstop::venues
