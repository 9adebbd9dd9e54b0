#include "backstop/io/commands.hpp"

#include "backstop/io/json_read.hpp"
#include "backstop/model/position.hpp"
#include "backstop/model/scenario.hpp"
#include "backstop/simulation/simulation.hpp"
#include "backstop/stress/stress.hpp"
#include "backstop/sweep/sweep.hpp"

namespace backstop {

namespace {
Json optionalJson(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }
}  // namespace

// {"contract", "maintenance_margin_rate", "position": {side, quantity, entry_price, collateral}}
Json positionCommand(const Json& input, const RunOptions&) {
  Issues issues;
  if (!input.is_object()) throw InputError(ErrorCode::InvalidInput, {{"", "must be a JSON object"}});
  Reader r(&input, "", issues);
  const std::string contract = r.choice("contract", std::string("linear"), {"linear", "inverse"});
  const double mmr = r.inRange("maintenance_margin_rate", std::nullopt, 0, 1, true, true);
  Reader pr = r.object("position", true);
  Position p;
  p.id = pr.string("id", std::string("position"));
  p.side = pr.choice("side", std::nullopt, {"long", "short"}) == "short" ? Side::Short : Side::Long;
  p.quantity = pr.number("quantity");
  p.entryPrice = pr.number("entry_price");
  p.collateral = pr.number("collateral");
  pr.rejectUnknown();
  r.rejectUnknown();
  issues.throwIfAny();
  const PositionPrices out =
      positionPrices(p, contract == "inverse" ? Contract::Inverse : Contract::Linear, mmr);
  return {{"liquidation_price", optionalJson(out.liquidation)},
          {"bankruptcy_price", optionalJson(out.bankruptcy)},
          {"notional", out.notional},
          {"leverage", std::isfinite(out.leverage) ? Json(out.leverage) : Json(nullptr)}};
}

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"position", positionCommand, "liquidation and bankruptcy price of one position"},
      {"validate", validateCommand, "check a scenario; list every problem by JSON pointer"},
      {"stress", stressCommand, "instantaneous shocks through the liquidation waterfall"},
      {"ruin", ruinCommand, "analytic ruin probability (Cramér–Lundberg)"},
      {"simulate", simulateCommand, "Monte Carlo probability that the fund is depleted within the horizon"},
      {"size", sizeCommand, "fund needed for the target depletion probability, with the curve"},
      {"replay", replayCommand, "a price path (CSV closes, optional high/low) through the waterfall, step by step"},
      {"sweep", sweepCommand, "simulate once per value of a scenario field (common random numbers)"},
      {"sweep_plan", sweepPlanCommand, "the scenario at each sweep point, validated (for the JS API)", true},
  };
  return table;
}

}  // namespace backstop
