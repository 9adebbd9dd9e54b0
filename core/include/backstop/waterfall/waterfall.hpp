// The loss waterfall (docs/formulas.md (loss waterfall)): bad debt is covered stage by stage — insurance fund, the
// market's fee pool (Drift), backstop vault, ADL against ranked counterparties, socialised
// loss — and what is left is uncovered. Money is conserved: bad debt = sum of the stages + uncovered.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backstop/model/position.hpp"
#include "backstop/model/scenario.hpp"
#include "backstop/waterfall/adl.hpp"
#include "backstop/waterfall/adl_allocation.hpp"
#include "backstop/waterfall/fund.hpp"

namespace backstop {

struct WaterfallSplit {
  double insuranceFund = 0;
  double treasury = 0;
  double feePool = 0;
  double backstopVault = 0;
  double adl = 0;
  double socializedLoss = 0;
  double uncovered = 0;
  double total() const { return insuranceFund + treasury + feePool + backstopVault + adl + socializedLoss + uncovered; }
  WaterfallSplit& operator+=(const WaterfallSplit& o);
};

class Waterfall {
 public:
  Waterfall(const Market& market, const Policy& policy, const Fund& fund, std::uint64_t seed);

  // Opens a new event: the per-event cap and the drawdown window restart from the balance now.
  void startEvent();
  void creditFund(double amount) { fund_.credit(amount); }
  void creditVault(double amount) { vault_ += amount; }
  void creditFeePool(double amount) { feePool_ += amount; }
  double fund() const { return fund_.balance; }
  double vault() const { return vault_; }
  double feePool() const { return feePool_; }
  double treasury() const { return treasury_; }
  // The fund's holdings changed value by `factor` (fund.composition; docs/formulas.md "Fund composition").
  void revalueFund(double factor) {
    fund_.balance *= factor;
    if (fund_.balance > fund_.peak) fund_.peak = fund_.balance;
  }
  // replay: the governance delay has passed since the first shortfall; the treasury can pay (once).
  void releaseTreasury() {
    if (!treasuryReleased_) treasury_ = fundPolicy_.treasury();
    treasuryReleased_ = true;
  }

  // Covers bad debt `debt` of `bankrupt` (quantity already closed) at `mark`. `skipFund`
  // sends it past the insurance fund only (a fill the fund rejected, a deleveraged dYdX
  // position), `skipVault` past the backstop vault (Hyperliquid's negative account value goes
  // straight to ADL); later stages still pay. ADL fills and haircuts change the counterparties in `book`.
  WaterfallSplit cover(double debt, const Position& bankrupt, double mark, std::vector<BookEntry>& book,
                       std::vector<AdlFill>& fills, bool skipFund = false, bool skipVault = false);

  // What the fund may pay now under its floor, per-event cap and drawdown trigger.
  double fundAvailable() const { return fundPolicy_.available(fund_); }
  // This event's ADL rounds so far (reset by startEvent).
  const AdlLedger& adlLedger() const { return ledger_; }

 private:
  // ADL: the bankrupt quantity taken over by ranked opposite positions (waterfall/adl.hpp).
  double adl(double debt, const Position& bankrupt, double mark, std::vector<BookEntry>& book,
             std::vector<AdlFill>& fills);
  double socialize(double debt, const Position& bankrupt, double mark, std::vector<BookEntry>& book);

  Market market_;
  Policy policy_;
  FundPolicy fundPolicy_;
  FundState fund_;
  double vault_;
  double feePool_;
  double treasury_;
  bool treasuryReleased_;
  std::uint64_t rng_;
  AdlLedger ledger_;
};

}  // namespace backstop
