#include "backstop/io/commands.hpp"

#include "backstop/io/calibrate_json.hpp"
#include "backstop/io/json_read.hpp"
#include "backstop/io/report.hpp"
#include "backstop/model/names.hpp"
#include "backstop/model/position.hpp"
#include "backstop/model/scenario.hpp"
#include "backstop/simulation/simulation.hpp"
#include "backstop/stress/stress.hpp"
#include "backstop/io/scenario_reader.hpp"
#include "backstop/io/sweep.hpp"

namespace backstop {

namespace {
Json optionalJson(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }
}  // namespace

// {"contract", "maintenance_margin_rate", "position": {side, quantity, entry_price, collateral}}
PositionResult positionOf(const Json& input) {
  Issues issues;
  if (!input.is_object()) throw InputError(ErrorCode::InvalidInput, {{"", "must be a JSON object"}});
  Reader r(&input, "", issues);
  PositionResult out;
  out.contract = fromId<Contract>(r.choice("contract", std::string("linear"), idsOf<Contract>())).value_or(Contract::Linear);
  out.maintenanceMarginRate = r.inRange("maintenance_margin_rate", std::nullopt, 0, 1, true, true);
  Reader pr = r.object("position", true);
  Position& p = out.position;
  p.id = pr.string("id", std::string("position"));
  p.side = fromId<Side>(pr.choice("side", std::nullopt, idsOf<Side>())).value_or(Side::Long);
  p.quantity = pr.number("quantity");
  p.entryPrice = pr.number("entry_price");
  p.collateral = pr.number("collateral");
  pr.rejectUnknown();
  r.rejectUnknown();
  issues.throwIfAny();
  out.prices = positionPrices(p, out.contract, out.maintenanceMarginRate);
  return out;
}

Json toJson(const PositionResult& r) {
  const PositionPrices& out = r.prices;
  return jsonObject(
      {{"liquidation_price", optionalJson(out.liquidation)},
       {"bankruptcy_price", optionalJson(out.bankruptcy)},
       {"notional", out.notional},
       {"leverage", std::isfinite(out.leverage) ? Json(out.leverage) : Json(nullptr)}});
}

Json positionCommand(const Json& input, const RunOptions&) { return toJson(positionOf(input)); }

// {"<enum>": [{"id", "label"}]}: the name tables (model/names.hpp) for option lists and labels.
Json namesCommand(const Json&, const RunOptions&) {
  Json out = Json::object();
  for (const auto& t : nameTables()) {
    Json list = Json::array();
    for (const auto& e : t.entries) list.push_back(jsonObject({{"id", e.id}, {"label", e.label}}));
    // Plural keys for the JS API ("stages", "venues"); "socialize_over" and a key ending in "s"
    // ("maintenance_tier_basis") stay as they are.
    const std::string key = t.key;
    out[key == "socialize_over" || key.back() == 's' ? key : key + "s"] = std::move(list);
  }
  return out;
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
      {"calibrate", calibrateCommand, "fit the price models to a price series (CSV) by maximum likelihood"},
      {"sweep_plan", sweepPlanCommand, "the scenario at each sweep point, validated (for the JS API)", true},
      {"names", namesCommand, "every enum's JSON ids and labels (for the JS API)", true},
      {"policy", policyCommand, "each market's venue policy in effect, every field (for the JS API)", true},
      {"report", report::reportCommand, "a result as Markdown or CSV, as the CLI writes it (for the JS API)", true},
  };
  return table;
}

}  // namespace backstop
