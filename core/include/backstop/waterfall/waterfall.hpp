// The loss waterfall (docs/formulas.md (loss waterfall)): bad debt is covered stage by stage — insurance fund, the
// market's fee pool (Drift), backstop vault, ADL against ranked counterparties, socialised
// loss — and what is left is uncovered. Money is conserved: bad debt = sum of the stages + uncovered.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backstop/model/position.hpp"
#include "backstop/model/scenario.hpp"

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
};

// ADL priority score of a counterparty at `mark` (higher is deleveraged first).
double adlScore(AdlRanking rule, const Position& p, Contract c, double mark, double mmr);

class Waterfall {
 public:
  Waterfall(const Market& market, const Policy& policy, const Fund& fund, std::uint64_t seed);

  // Opens a new event: the per-event cap and the drawdown window restart from the balance now.
  void startEvent();
  void creditFund(double amount) { fund_ += amount; }
  void creditVault(double amount) { vault_ += amount; }
  double fund() const { return fund_; }
  double vault() const { return vault_; }
  double feePool() const { return feePool_; }
  double treasury() const { return treasury_; }

  // Covers bad debt `debt` of `bankrupt` (quantity already closed) at `mark`. `skipFund`
  // sends it past the insurance fund only (a fill the fund rejected, a deleveraged dYdX
  // position); later stages still pay. ADL fills and haircuts change the counterparties in `book`.
  WaterfallSplit cover(double debt, const Position& bankrupt, double mark, std::vector<BookEntry>& book,
                       std::vector<AdlFill>& fills, bool skipFund = false);

  // What the fund may pay now under its floor, per-event cap and drawdown trigger.
  double fundAvailable() const;

 private:
  double adl(double debt, const Position& bankrupt, double mark, std::vector<BookEntry>& book,
             std::vector<AdlFill>& fills);
  double socialize(double debt, const Position& bankrupt, double mark, std::vector<BookEntry>& book);

  Market market_;
  Policy policy_;
  double fund_;
  double vault_;
  double feePool_;
  double treasury_;
  double floor_;
  std::optional<double> capFraction_;
  double eventStartFund_ = 0;
  double paidThisEvent_ = 0;
  double paidTotal_ = 0;
  std::uint64_t rng_;
};

}  // namespace backstop
