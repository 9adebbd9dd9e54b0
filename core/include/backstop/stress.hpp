// `stress`: instantaneous shocks applied to the book at its current state (SPEC §12, §13).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backstop/api.hpp"
#include "backstop/scenario.hpp"
#include "backstop/waterfall.hpp"

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
  bool backstopped = false;  // taken over by the vault (Hyperliquid) or deleveraged (dYdX)
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
};

StressEvent runShock(const Scenario& s, double shock);
std::vector<StressEvent> runStress(const Scenario& s);

Json toJson(const AdlSummary& a);
Json toJson(const StressEvent& e);
Json stressCommand(const Json& input, const RunOptions& options);

}  // namespace backstop
