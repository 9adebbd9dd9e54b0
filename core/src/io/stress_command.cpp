// `stress` as JSON (docs/outputs.md).
#include <cmath>

#include "backstop/io/commands.hpp"
#include "backstop/io/scenario_reader.hpp"
#include "backstop/model/names.hpp"

namespace backstop {

namespace {
Json fillsJson(const std::vector<AdlFill>& fs) {
  Json fills = Json::array();
  for (const auto& f : fs)
    fills.push_back(
        jsonObject({{"id", f.id}, {"quantity", f.quantity}, {"price", f.price}, {"loss", f.loss}}));
  return fills;
}
Json adlJson(const AdlSummary& a) {
  auto number = [](double v) { return std::isfinite(v) ? Json(v) : Json(); };  // +inf: an account left on equity <= 0
  return jsonObject({{"rule", idOf(a.rule)},
                     {"counterparties", a.counterparties},
                     {"quantity", a.quantity},
                     {"loss", a.loss},
                     {"max_leverage_before", number(a.maxLeverageBefore)},
                     {"max_leverage_after", number(a.maxLeverageAfter)},
                     {"largest_haircut_share", a.largestHaircutShare}});
}
}  // namespace

Json toJson(const StressEvent& e) {
  const Json fills = fillsJson(e.adlFills);
  Json positions = Json::array();
  for (const auto& p : e.positions) {
    Json j = jsonObject({{"id", p.id}, {"liquidated", p.liquidated}});
    if (p.liquidated) {
      j["execution_price"] = p.executionPrice;
      j["bad_debt"] = p.badDebt;
      j["penalty"] = p.penalty;
      j["returned"] = p.returned;
      if (p.backstopped) j["backstopped"] = true;
      j["liquidated_quantity"] = p.liquidatedQuantity;
      if (p.deleveragedQuantity > 0) j["deleveraged_quantity"] = p.deleveragedQuantity;
      if (p.remainingQuantity > 0) j["remaining_quantity"] = p.remainingQuantity;
    } else {
      j["execution_price"] = nullptr;
      j["bad_debt"] = 0.0;
      j["penalty"] = 0.0;
      j["returned"] = 0.0;
    }
    positions.push_back(j);
  }
  Json out = jsonObject({{"shock", e.shock},
                         {"mark_after", e.markAfter},
                         {"liquidated_notional", e.liquidatedNotional},
                         {"bad_debt", e.badDebt},
                         {"penalties_to_fund", e.penaltiesToFund},
                         {"penalties_to_vault", e.penaltiesToVault},
                         {"waterfall", jsonObject({{"insurance_fund", e.waterfall.insuranceFund},
                                                   {"treasury", e.waterfall.treasury},
                                                   {"fee_pool", e.waterfall.feePool},
                                                   {"backstop_vault", e.waterfall.backstopVault},
                                                   {"adl", e.waterfall.adl},
                                                   {"socialized_loss", e.waterfall.socializedLoss},
                                                   {"uncovered", e.waterfall.uncovered}})},
                         {"fund_after", e.fundAfter},
                         {"vault_after", e.vaultAfter},
                         {"fee_pool_after", e.feePoolAfter},
                         {"treasury_after", e.treasuryAfter},
                         {"cascade_rounds", e.cascadeRounds},
                         {"adl_fills", fills},
                         {"positions", positions}});
  if (e.adlSummary) out["adl_summary"] = adlJson(*e.adlSummary);
  if (!e.adlComparison.empty()) {
    Json rules = Json::array();
    for (const auto& r : e.adlComparison) {
      Json j = adlJson(r);
      j.erase("max_leverage_before");  // the same for every rule: in adl_summary
      rules.push_back(std::move(j));
    }
    out["adl_comparison"] = rules;
  }
  if (!e.pool.empty()) {
    Json pool = Json::array();
    for (const auto& ps : e.pool)
      pool.push_back(
          jsonObject({{"side", toString(ps.side)},
                      {"pnl", ps.pnl},
                      {"pool_usd", ps.poolUsd},
                      {"pnl_to_pool_factor", std::isfinite(ps.factor) ? Json(ps.factor) : Json()},
                      {"capped_pnl_ratio", ps.cappedRatio},
                      {"adl", ps.adl},
                      {"pnl_to_pool_factor_after",
                       std::isfinite(ps.factorAfter) ? Json(ps.factorAfter) : Json()},
                      {"paid_to_traders", ps.paid},
                      {"haircut", ps.haircut},
                      {"fills", fillsJson(ps.fills)}}));
    out["pool_pnl"] = pool;
  }
  if (!e.markets.empty()) {
    Json markets = Json::array();
    for (const auto& m : e.markets) {
      Json j = toJson(m);
      j["symbol"] = m.symbol;
      markets.push_back(std::move(j));
    }
    out["markets"] = std::move(markets);
  }
  return out;
}

Json toJson(const StressResult& r) {
  Json events = Json::array();
  for (const auto& e : r.events) events.push_back(toJson(e));
  return jsonObject({{"scenario", r.scenario},
                     {"preset", toString(r.preset)},
                     {"fund_before", r.fundBefore},
                     {"events", events},
                     {"version", version()}});
}

Json stressCommand(const Json& input, const RunOptions&) {
  ScenarioNeeds needs;
  needs.stress = true;
  return toJson(runStressEvents(loadScenario(input, needs)));
}

}  // namespace backstop
