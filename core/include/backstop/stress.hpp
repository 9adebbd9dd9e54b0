// `stress`: instantaneous shocks applied to the book at its current state (SPEC §12, §13).
#pragma once

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
};

struct StressEvent {
  double shock = 0;
  double markAfter = 0;
  double liquidatedNotional = 0;  // quote units
  double badDebt = 0;
  double penaltiesToFund = 0;
  WaterfallSplit waterfall;
  double fundAfter = 0;
  double vaultAfter = 0;
  int cascadeRounds = 0;
  std::vector<AdlFill> adlFills;
  std::vector<PositionOutcome> positions;
};

StressEvent runShock(const Scenario& s, double shock);
std::vector<StressEvent> runStress(const Scenario& s);

Json toJson(const StressEvent& e);
Json stressCommand(const Json& input, const RunOptions& options);

}  // namespace backstop
