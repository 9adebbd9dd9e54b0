// `replay` at the JSON edge: {"scenario", "csv"?, "interval_days"?} in, steps and totals out
// (docs/outputs.md "replay"). Without "csv" the path is the scenario's own "replay" field.
#include "backstop/io/commands.hpp"
#include "backstop/io/json_read.hpp"
#include "backstop/io/scenario_reader.hpp"
#include "backstop/replay/replay.hpp"
#include "io/scenario_sections.hpp"

namespace backstop {

namespace {

Json splitJson(const WaterfallSplit& w) {
  return jsonObject({{"insurance_fund", w.insuranceFund},
                     {"treasury", w.treasury},
                     {"fee_pool", w.feePool},
                     {"backstop_vault", w.backstopVault},
                     {"adl", w.adl},
                     {"socialized_loss", w.socializedLoss},
                     {"uncovered", w.uncovered}});
}

// The scenario's own path ("replay"), checked as `validate` checks it.
PricePath scenarioPath(const Json& doc) {
  Issues issues;
  Reader top(&doc, "", issues);
  if (!top.present("replay"))
    throw InputError(ErrorCode::InvalidInput,
                     {{"/replay", "no path: give a CSV (backstop replay SCENARIO PATH.csv) or a \"replay\" field"}});
  const auto path = detail::parseReplay(top.object("replay", true), issues);
  issues.throwIfAny();
  return *path;
}

}  // namespace

Json toJson(const ReplayResult& r) {
  Json steps = Json::array();
  for (const auto& st : r.steps)
    steps.push_back(jsonObject({{"t_days", st.tDays},
                                {"price", st.price},
                                {"liquidated_notional", st.liquidatedNotional},
                                {"bad_debt", st.badDebt},
                                {"penalties_to_fund", st.penaltiesToFund},
                                {"fee_inflow", st.feeInflow},
                                {"revaluation", st.revaluation},
                                {"waterfall", splitJson(st.waterfall)},
                                {"fund_after", st.fundAfter},
                                {"vault_after", st.vaultAfter},
                                {"treasury_after", st.treasuryAfter},
                                {"liquidations", st.liquidations}}));
  const ReplayTotals& t = r.totals;
  return jsonObject(
      {{"fund_before", r.fundBefore},
       {"steps", steps},
       {"totals", jsonObject({{"bad_debt", t.badDebt},
                              {"liquidated_notional", t.liquidatedNotional},
                              {"penalties_to_fund", t.penaltiesToFund},
                              {"fee_inflow", t.feeInflow},
                              {"revaluation", t.revaluation},
                              {"waterfall", splitJson(t.waterfall)},
                              {"fund_after", t.fundAfter},
                              {"fund_min", t.fundMin},
                              {"depleted", t.depleted},
                              {"depleted_at_days",
                               t.depletedAtDays ? Json(*t.depletedAtDays) : Json(nullptr)}})}});
}

Json replayCommand(const Json& input, const RunOptions&) {
  if (!input.is_object() || !input.contains("scenario"))
    throw InputError(ErrorCode::InvalidInput, {{"", "must be an object {\"scenario\", \"csv\", \"interval_days\"}"}});
  Issues issues;
  Reader r(&input, "", issues);
  const Json& doc = input["scenario"];
  r.known("scenario");
  std::optional<double> interval = r.optionalNumber("interval_days");
  std::optional<std::string> csv;
  if (r.present("csv")) csv = r.string("csv", std::nullopt);
  r.rejectUnknown();
  issues.throwIfAny();
  const Scenario s = loadScenario(doc, ScenarioNeeds{});
  if (s.multiMarket)
    throw InputError(ErrorCode::InvalidInput, {{"/markets", "replay runs one market; this scenario has several"}});
  const PricePath path = csv ? readPricePath(*csv, interval) : scenarioPath(doc);
  Json out = toJson(runReplay(s, path));
  out["scenario"] = s.name;
  out["preset"] = toString(s.policy.preset);
  out["version"] = version();
  return out;
}

}  // namespace backstop
