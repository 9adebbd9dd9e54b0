#include "backstop/waterfall/waterfall.hpp"

#include <algorithm>
#include <cmath>

#include "backstop/market/random.hpp"

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

Waterfall::Waterfall(const Market& market, const Policy& policy, const Fund& fund, std::uint64_t seed)
    : market_(market), policy_(policy), fundPolicy_(fund, policy), fund_(fund.balance), vault_(fund.backstopVault),
      feePool_(policy.feePool),
      // A stress event is instantaneous: a treasury behind a governance delay cannot pay in it.
      treasury_(fundPolicy_.treasuryReleased(0.0) ? fund.treasury.amount : 0.0),
      treasuryReleased_(fundPolicy_.treasuryReleased(0.0)), rng_(splitmix64(seed ^ 0xad1ULL)) {
  startEvent();
}

// The drawdown window of a stress event is the event itself.
void Waterfall::startEvent() {
  fund_.startEvent(fund_.balance);
  ledger_.reset();
}

WaterfallSplit Waterfall::cover(double debt, const Position& bankrupt, double mark, std::vector<BookEntry>& book,
                                std::vector<AdlFill>& fills, bool skipFund, bool skipVault) {
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
        fund_.pay(pay);
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
        if (skipVault) break;
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
  if (!(bankrupt.quantity > 0)) return 0.0;
  const double perUnit = debt / bankrupt.quantity;  // loss per unit taken over
  const std::uint64_t rngBefore = rng_;
  const auto takes = allocateAdl(policy_.adlRanking, book, cpSide, bankrupt.quantity, perUnit, c, mark,
                                 maintenanceOf(market_, policy_), rng_, ledger_.released());
  if (takes.empty()) return 0.0;
  ledger_.beginRound(book, cpSide, bankrupt.quantity, debt, mark, rngBefore, c);
  double paid = 0;
  for (const AdlTake& t : takes) {
    const Position& cp = book[t.index].position;
    const double loss = t.lossPerUnit * t.quantity;
    // Paid out to the trader: the closed part's margin and its PnL at the ADL price.
    const double keep = (cp.quantity - t.quantity) / cp.quantity;
    const double released = cp.collateral * (1 - keep) + unrealisedPnl(cp, c, mark) * t.quantity / cp.quantity - loss;
    ledger_.recordFill(cp.id, t.quantity, loss, released);
    fills.push_back(adlClose(book[t.index], t.quantity, loss, c, mark));
    paid += loss;
  }
  // Water-filling's takes are not a telescoping sum, so Σ take·loss may fall short of the debt
  // by rounding alone: that dust is not a shortfall for the next stage. (The queue rules keep
  // their arithmetic as the goldens pin it.)
  if (policy_.adlRanking == AdlRanking::WaterFilling && debt - paid > 0 && debt - paid <= 1e-12 * debt) paid = debt;
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
