#include "backstop/waterfall/waterfall.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "backstop/market/random.hpp"
#include "backstop/venues/venues.hpp"

namespace backstop {

WaterfallSplit& WaterfallSplit::operator+=(const WaterfallSplit& o) {
  insuranceFund += o.insuranceFund;
  treasury += o.treasury;
  feePool += o.feePool;
  backstopVault += o.backstopVault;
  adl += o.adl;
  socializedLoss += o.socializedLoss;
  uncovered += o.uncovered;
  return *this;
}

double adlScore(AdlRanking rule, const Position& p, Contract c, double mark, double mmr) {
  const double upnl = unrealisedPnl(p, c, mark);
  const double eq = equity(p, c, mark);
  const double notional = notionalInMargin(p, c, mark);
  switch (rule) {
    case AdlRanking::PnlTimesLeverage:
      // BitMEX: PNL% = UPnL/|entry value|, EffectiveLeverage = |mark value|/(mark value − bankrupt value).
      return venues::bitmex::adlRank(upnl / notionalInMargin(p, c, p.entryPrice), notional, eq);
    case AdlRanking::BinanceLeveragePnl:
      return venues::binance::adlScore(upnl, p.collateral, mmr * notional);
    case AdlRanking::HyperliquidIndex:
      return venues::hyperliquid::adlIndex(p.side == Side::Long ? mark / p.entryPrice : p.entryPrice / mark,
                                           notional, eq);
    case AdlRanking::Pnl:
    case AdlRanking::ProRata:
    case AdlRanking::Random:
      return upnl;
  }
  return upnl;
}

Waterfall::Waterfall(const Market& market, const Policy& policy, const Fund& fund, std::uint64_t seed)
    : market_(market), policy_(policy), fund_(fund.balance), vault_(fund.backstopVault), feePool_(policy.feePool),
      // A stress event is instantaneous: a treasury behind a governance delay cannot pay in it.
      treasury_(fund.treasury.delayDays > 0 ? 0.0 : fund.treasury.amount),
      floor_(policy.preset == Venue::Drift ? std::max(fund.floor, 1.0) : fund.floor),
      capFraction_(fund.maxDrawFractionPerEvent), rng_(splitmix64(seed ^ 0xad1ULL)) {
  startEvent();
}

void Waterfall::startEvent() {
  eventStartFund_ = fund_;
  paidThisEvent_ = 0;
}

double Waterfall::fundAvailable() const {
  double avail = std::max(0.0, fund_ - floor_);
  if (capFraction_) avail = std::min(avail, std::max(0.0, *capFraction_ * eventStartFund_ - paidThisEvent_));
  if (policy_.adlTrigger == AdlTriggerKind::Drawdown)
    avail = std::min(avail, std::max(0.0, policy_.drawdownFraction * eventStartFund_ - paidThisEvent_));
  if (policy_.perMarketFundCap >= 0) avail = std::min(avail, std::max(0.0, policy_.perMarketFundCap - paidTotal_));
  return avail;
}

WaterfallSplit Waterfall::cover(double debt, const Position& bankrupt, double mark, std::vector<BookEntry>& book,
                                std::vector<AdlFill>& fills, bool skipFund) {
  WaterfallSplit split;
  double left = debt;
  for (Stage stage : policy_.stages) {
    if (left <= 0) break;
    switch (stage) {
      case Stage::InsuranceFund: {
        if (skipFund) break;
        const double avail = fundAvailable();
        double pay = std::min(left, avail);
        if (policy_.fundCoverage == FundCoverage::AllOrNothing && avail < left) pay = 0;
        fund_ -= pay;
        paidThisEvent_ += pay;
        paidTotal_ += pay;
        split.insuranceFund += pay;
        left -= pay;
        break;
      }
      case Stage::Treasury: {
        const double pay = std::min(left, treasury_);
        treasury_ -= pay;
        split.treasury += pay;
        left -= pay;
        break;
      }
      case Stage::FeePool: {
        // Drift resolve_perp_bankruptcy: after the fund, min(losses remaining, fee pool tokens).
        const double pay = std::min(left, feePool_);
        feePool_ -= pay;
        split.feePool += pay;
        left -= pay;
        break;
      }
      case Stage::BackstopVault: {
        const double pay = std::min(left, vault_);
        vault_ -= pay;
        split.backstopVault += pay;
        left -= pay;
        break;
      }
      case Stage::Adl: {
        const double pay = adl(left, bankrupt, mark, book, fills);
        split.adl += pay;
        left -= pay;
        break;
      }
      case Stage::SocializedLoss: {
        const double pay = socialize(left, bankrupt, mark, book);
        split.socializedLoss += pay;
        left -= pay;
        break;
      }
    }
  }
  // Rounding dust of the stages' arithmetic is not an insolvency.
  split.uncovered = left > 1e-12 * debt ? left : 0.0;
  return split;
}

// ADL: profitable opposite-side positions, ranked, take over the bankrupt quantity at the
// price where their loss against the mark equals the debt; never more than their profit.
double Waterfall::adl(double debt, const Position& bankrupt, double mark, std::vector<BookEntry>& book,
                      std::vector<AdlFill>& fills) {
  const Contract c = market_.contract;
  const Side cpSide = opposite(bankrupt.side);
  std::vector<size_t> cps;
  for (size_t i = 0; i < book.size(); ++i) {
    const auto& e = book[i];
    if (e.open && e.position.side == cpSide && e.position.quantity > 0 && unrealisedPnl(e.position, c, mark) > 0)
      cps.push_back(i);
  }
  if (cps.empty() || !(bankrupt.quantity > 0)) return 0.0;
  std::vector<double> score(book.size(), 0.0);
  for (size_t i : cps) score[i] = adlScore(policy_.adlRanking, book[i].position, c, mark, market_.maintenanceMarginRate);
  auto byId = [&](size_t a, size_t b) { return book[a].position.id < book[b].position.id; };
  if (policy_.adlRanking == AdlRanking::Random) {
    // dYdX v4: offsetting accounts visited from a pseudo-random start.
    std::sort(cps.begin(), cps.end(), byId);
    const size_t start = size_t(nextUniform(rng_) * double(cps.size())) % cps.size();
    std::rotate(cps.begin(), cps.begin() + long(start), cps.end());
  } else {
    std::sort(cps.begin(), cps.end(), [&](size_t a, size_t b) {
      if (score[a] != score[b]) return score[a] > score[b];
      return byId(a, b);
    });
  }
  const double perUnit = debt / bankrupt.quantity;  // loss per unit taken over
  double qtyLeft = bankrupt.quantity;
  double totalQty = 0;
  for (size_t i : cps) totalQty += book[i].position.quantity;
  double paid = 0;
  for (size_t i : cps) {
    if (qtyLeft <= 0) break;
    Position& cp = book[i].position;
    double take = policy_.adlRanking == AdlRanking::ProRata
                      ? std::min(cp.quantity, bankrupt.quantity * cp.quantity / std::max(totalQty, bankrupt.quantity))
                      : std::min(cp.quantity, qtyLeft);
    if (take <= 0) continue;
    const double upnlPerUnit = unrealisedPnl(cp, c, mark) / cp.quantity;
    const double loss = std::min(perUnit, upnlPerUnit) * take;
    // Close price at which this counterparty's loss against the mark is `loss`.
    const double lossPerUnit = loss / take;
    double price;
    if (c == Contract::Linear) {
      price = cp.side == Side::Short ? mark + lossPerUnit : mark - lossPerUnit;
    } else {
      price = cp.side == Side::Short ? 1.0 / (1.0 / mark - lossPerUnit) : 1.0 / (1.0 / mark + lossPerUnit);
    }
    fills.push_back({cp.id, take, price, loss});
    const double keep = (cp.quantity - take) / cp.quantity;
    cp.collateral *= keep;
    cp.quantity -= take;
    if (cp.quantity <= 1e-15 * take) {
      cp.quantity = 0;
      book[i].open = false;
    }
    qtyLeft -= take;
    paid += loss;
  }
  return std::min(paid, debt);
}

// Socialised loss: a haircut pro rata over profitable PnL, per contract (both sides) or
// over all collateral; no position gives more than its equity.
double Waterfall::socialize(double debt, const Position& bankrupt, double mark, std::vector<BookEntry>& book) {
  (void)bankrupt;
  const Contract c = market_.contract;
  std::vector<std::pair<size_t, double>> base;
  double total = 0;
  for (size_t i = 0; i < book.size(); ++i) {
    if (!book[i].open) continue;
    const Position& p = book[i].position;
    double w = 0;
    switch (policy_.socializeOver) {
      case SocializeOver::ProfitablePnl: w = std::max(0.0, unrealisedPnl(p, c, mark)); break;
      case SocializeOver::PerContract: w = p.quantity; break;
      case SocializeOver::AllCollateral: w = p.collateral; break;
    }
    if (w > 0) {
      base.emplace_back(i, w);
      total += w;
    }
  }
  if (total <= 0) return 0.0;
  double paid = 0;
  for (auto& [i, w] : base) {
    Position& p = book[i].position;
    const double capacity = std::max(0.0, equity(p, c, mark));
    const double share = std::min(debt * w / total, capacity);
    p.collateral -= share;  // the haircut comes out of the trader's margin
    paid += share;
  }
  return std::min(paid, debt);
}

}  // namespace backstop
