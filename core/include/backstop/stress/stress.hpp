// `stress`: instantaneous shocks applied to the book at its current state (docs/scenario-format.md; docs/outputs.md).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backstop/run_options.hpp"
#include "backstop/model/scenario.hpp"
#include "backstop/waterfall/waterfall.hpp"

namespace backstop {

// The book as positions: explicit ones, then one synthetic position per (side, leverage)
// bucket opened at the mark with collateral = notional/leverage.
std::vector<BookEntry> initialBook(const Scenario& s);

struct PositionOutcome {
  std::string id;
  bool liquidated = false;
  double executionPrice = 0;
  double badDebt = 0;
  double penalty = 0;
  double returned = 0;
  bool backstopped = false;  // taken over by the vault (Hyperliquid) or deleveraged (dYdX; Binance past the fund's takeover cap)
  double liquidatedQuantity = 0;   // closed by liquidation (Drift and dYdX may close part)
  double deleveragedQuantity = 0;  // dYdX: what the book could not take, closed at bankruptcy
  double remainingQuantity = 0;    // still open after the event
};

// GMX v2 pool PnL rules for one side after the event (MarketUtils, AdlHandler).
struct PoolSide {
  Side side = Side::Long;
  double pnl = 0;           // the side's net pending PnL at the mark after
  double poolUsd = 0;       // the pool's USD backing: vault (pool value) + net pending PnL
  double factor = 0;        // pnl / poolUsd
  double cappedRatio = 1;   // what a profitable position is paid per unit of PnL
  bool adl = false;         // factor above max_pnl_factor_for_adl
  double factorAfter = 0;
  double paid = 0;          // capped PnL paid to deleveraged traders by the pool
  double haircut = 0;       // PnL they gave up to the cap (stays in the pool)
  std::vector<AdlFill> fills;
};

struct StressEvent {
  double shock = 0;
  double markAfter = 0;
  double liquidatedNotional = 0;  // quote units
  double badDebt = 0;
  double penaltiesToFund = 0;
  double penaltiesToVault = 0;
  WaterfallSplit waterfall;
  double fundAfter = 0;
  double vaultAfter = 0;
  double feePoolAfter = 0;
  double treasuryAfter = 0;
  std::vector<PoolSide> pool;  // gmx_v2 only
  int cascadeRounds = 0;
  std::vector<AdlFill> adlFills;
  std::vector<PositionOutcome> positions;
  std::optional<AdlSummary> adlSummary;       // events with ADL fills (not GMX's pool ADL)
  std::vector<AdlSummary> adlComparison;      // the same ADL allocated once under every rule
  std::string symbol;               // a market's own event within a multi-market one
  std::vector<StressEvent> markets;  // several markets: each market's event (this one sums them)
};

struct StressResult {
  std::string scenario;
  Venue preset = Venue::Generic;
  double fundBefore = 0;
  std::vector<StressEvent> events;  // one per shock
};

// One shock on the first market of a resolved scenario (engine level: a mark price or
// maintenance rate out of range is an InputError; stress() checks everything).
StressEvent runShock(const Scenario& s, double shock);
std::vector<StressEvent> runStress(const Scenario& s);
// Every shock of a resolved, valid scenario, several markets together.
StressResult runStressEvents(const Scenario& s);

// Validates and resolves a scenario built in code, then runs its shocks (stress.shocks).
StressResult stress(const Scenario& s, const RunOptions& options = {});

}  // namespace backstop
