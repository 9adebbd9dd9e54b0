// `simulate` and `size` as JSON (docs/outputs.md): the writer of SimulationResult.
#include <algorithm>
#include <cmath>

#include "backstop/io/commands.hpp"
#include "backstop/io/scenario_reader.hpp"
#include "backstop/ruin/ruin.hpp"
#include "backstop/simulation/simulation.hpp"
#include "backstop/simulation/summary.hpp"

namespace backstop {

namespace {

Json num(double x) { return std::isfinite(x) ? Json(x) : Json(nullptr); }
Json pair(const Interval& i) { return {i.first, i.second}; }

Json toJson(const BadDebtStats& d) {
  return jsonObject({{"mean", d.mean},
                     {"var95", d.var95},
                     {"es95", d.es95},
                     {"var99", d.var99},
                     {"es99", d.es99},
                     {"var999", d.var999},
                     {"es999", d.es999}});
}
Json toJson(const DepletionEstimate& d) {
  return jsonObject({{"estimate", d.estimate},
                     {"ci95", pair(d.ci95)},
                     {"events", d.events},
                     {"method", d.importanceSampling ? "importance_sampling" : "plain"},
                     {"relative_error", num(d.relativeError)},
                     {"effective_paths", d.effectivePaths}});
}
Json toJson(const ProbabilityEstimate& p) {
  return jsonObject({{"estimate", p.estimate}, {"ci95", pair(p.ci95)}});
}
Json toJson(const LiquidatedNotional& l) {
  return jsonObject({{"mean", l.mean}, {"max", l.max}});
}
Json toJson(const RequiredFund& r) {
  return jsonObject({{"target", r.target},
                     {"amount", num(r.amount)},
                     {"ci95", {num(r.ci95.first), num(r.ci95.second)}},
                     {"ratio_to_open_interest", num(r.ratioToOpenInterest)}});
}

Json toJson(const MarketSummary& m) {
  Json e;
  e["symbol"] = m.symbol;
  e["open_interest"] = m.openInterest;
  e["fund_balance"] = m.fundBalance ? Json(*m.fundBalance) : Json(nullptr);
  e["bad_debt"] = toJson(m.badDebt);
  e["share_of_bad_debt"] = m.shareOfBadDebt;
  e["liquidated_notional"] = toJson(m.liquidated);
  e["liquidation_probability"] = toJson(m.liquidationProbability);
  e["depletion_probability"] = toJson(m.depletion);
  e["alone_against_fund"] = m.aloneAgainstFund;
  e["required_fund"] = jsonObject({{"target", m.required.target},
                                   {"amount", m.required.amount},
                                   {"ci95", pair(m.required.ci95)}});
  return e;
}

Json marketsJson(const SimulationResult& r) {
  Json list = Json::array();
  for (const auto& m : r.markets) list.push_back(toJson(m));
  return list;
}

Json curveJson(const std::vector<CurvePoint>& points) {
  Json curve = Json::array();
  for (const auto& c : points)
    curve.push_back(jsonObject({{"fund", c.fund}, {"probability", c.probability}}));
  return curve;
}

}  // namespace

Json toJson(const SimulationResult& r) {
  Json out;
  out["depletion_probability"] = toJson(r.depletion);
  out["adl_probability"] = r.adlProbability;
  out["adl_probability_ci95"] = pair(r.adlProbabilityCi95);
  out["required_fund"] = toJson(r.required);
  out["bad_debt"] = toJson(r.badDebt);
  out["curve"] = curveJson(r.curve);
  const FundQuantiles& q = r.fundQuantiles;
  out["fund_quantiles"] = jsonObject({{"days", q.days},
                                      {"p05", q.p05},
                                      {"p25", q.p25},
                                      {"p50", q.p50},
                                      {"p75", q.p75},
                                      {"p95", q.p95}});
  out["time_to_depletion_days"] = jsonObject({{"histogram", r.timeToDepletion.histogram},
                                              {"never", r.timeToDepletion.never},
                                              {"bin_days", r.timeToDepletion.binDays}});
  out["liquidated_notional"] = toJson(r.liquidated);
  out["liquidation_probability"] = toJson(r.liquidationProbability);
  out["cascades"] = jsonObject({{"mean_extra_rounds_per_path", r.meanExtraCascadeRounds}});
  if (r.analytic) {
    const FittedClaims& fit = r.analytic->fit;
    Json a = ruinToJson(r.analytic->ruin);
    a["fit"] = jsonObject({{"claim_rate_per_day", fit.claimRate},
                           {"premium_per_day", fit.premiumRate},
                           {"days_observed", fit.steps},
                           {"days_with_bad_debt", fit.claims}});
    a["note"] = "Cramér–Lundberg model fitted from the simulated daily bad debt (empirical claims; penalties not counted as premium)";
    out["analytic"] = a;
  } else {
    out["analytic"] = nullptr;
  }
  out["warnings"] = r.warnings;
  out["paths"] = r.paths;
  out["seed"] = r.seed;
  out["version"] = version();
  out["horizon_days"] = r.horizonDays;
  out["fund_balance"] = r.fundBalance;
  out["open_interest"] = r.openInterest;
  if (!r.markets.empty()) {
    out["markets"] = marketsJson(r);
    out["fund_scope"] = r.perMarketFunds ? "per_market" : "shared";
    out["independent_markets_depletion_probability"] = r.independentMarketsDepletionProbability;
  }
  if (r.treasury)
    out["treasury"] =
        jsonObject({{"amount", r.treasury->amount}, {"delay_days", r.treasury->delayDays}});
  if (r.fundInBasket)
    out["fund_growth_index"] = "fund held in a basket: depletion iff u < max_k Σ X_i/G_i (docs/model.md, what the fund holds)";
  out["generator"] = "xoshiro256++ per path, seeded by SplitMix64(seed, path index); normals by Marsaglia polar";
  return out;
}

namespace {

// A sweep point's members, each with its writer: the one list of their names. A writer that
// returns null leaves its member out (markets of a single-market scenario).
struct PointField {
  const char* name;
  Json (*write)(const SimulationResult&);
};
const std::vector<PointField>& sweepPointFields() {
  static const std::vector<PointField> fields = {
      {"depletion_probability", [](const SimulationResult& r) { return toJson(r.depletion); }},
      {"required_fund", [](const SimulationResult& r) { return toJson(r.required); }},
      {"adl_probability", [](const SimulationResult& r) { return Json(r.adlProbability); }},
      {"adl_probability_ci95", [](const SimulationResult& r) { return pair(r.adlProbabilityCi95); }},
      {"bad_debt", [](const SimulationResult& r) { return toJson(r.badDebt); }},
      {"liquidated_notional", [](const SimulationResult& r) { return toJson(r.liquidated); }},
      {"markets", [](const SimulationResult& r) { return r.markets.empty() ? Json() : marketsJson(r); }},
      {"warnings", [](const SimulationResult& r) { return Json(r.warnings); }},
  };
  return fields;
}

Json sweepPointJson(const SimulationResult& r) {
  Json point;
  for (const auto& f : sweepPointFields()) {
    Json v = f.write(r);
    if (!v.is_null()) point[f.name] = std::move(v);
  }
  return point;
}

}  // namespace

std::vector<std::string> sweepPointFieldNames() {
  std::vector<std::string> names;
  for (const auto& f : sweepPointFields()) names.push_back(f.name);
  return names;
}

Json toJson(const SweepResult& r) {
  Json params = Json::array();
  for (const auto& a : r.axes)
    params.push_back(jsonObject({{"pointer", a.pointer}, {"values", a.values}}));
  Json points = Json::array();
  for (const auto& p : r.points) {
    Json point = sweepPointJson(p.result);
    point["at"] = p.at;
    points.push_back(std::move(point));
  }
  return jsonObject(
      {{"parameters", params},
       {"paths", r.paths},
       {"seed", r.seed},
       {"version", version()},
       {"warnings", Json::array()},
       {"common_random_numbers", "every point uses the same seed and per-path streams"},
       {"points", std::move(points)}});
}

Json withRunOverrides(const Json& input, const RunOptions& o) {
  if (o.paths > limits::kMaxPaths)
    throw InputError(ErrorCode::LimitExceeded,
                     {{"/options/paths", "is " + std::to_string(o.paths) + " paths, more than the limit of " +
                                             std::to_string(limits::kMaxPaths)}});
  Json doc = input;
  if (doc.is_object()) {
    if (o.paths > 0) doc["simulation"]["paths"] = o.paths;
    if (o.seed >= 0) doc["simulation"]["seed"] = o.seed;
    if (!o.importance.empty()) doc["simulation"]["importance_sampling"] = o.importance;
    if (o.precision > 0) doc["simulation"]["target_relative_error"] = o.precision;
  }
  return doc;
}

Scenario scenarioForRun(const Json& input, const RunOptions& o) {
  ScenarioNeeds needs;
  needs.priceModel = true;
  return loadScenario(withRunOverrides(input, o), needs);
}

namespace {

// The scenario with the run's overrides, simulated over options' path range.
SimulationResult simulateDocument(const Json& input, const RunOptions& o) {
  const Scenario s = scenarioForRun(input, o);
  return summarizeRun(s, runPaths(s, o.pathBegin, pathRangeEnd(s, o), o));
}

}  // namespace

Json simulateCommand(const Json& input, const RunOptions& o) { return toJson(simulateDocument(input, o)); }

Json toJson(const SizeResult& r) {
  Json out = toJson(r.required);
  out["curve"] = curveJson(r.curve);
  out["depletion_probability"] = toJson(r.depletion);
  out["paths"] = r.paths;
  out["seed"] = r.seed;
  out["version"] = version();
  out["warnings"] = r.warnings;
  return out;
}

Json sizeCommand(const Json& input, const RunOptions& o) { return toJson(sizeOf(simulateDocument(input, o))); }

}  // namespace backstop
