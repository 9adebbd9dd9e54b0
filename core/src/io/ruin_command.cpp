// `ruin` as JSON (docs/outputs.md): the /ruin section read, the analysis written.
#include <cmath>

#include "backstop/io/commands.hpp"
#include "backstop/io/json_read.hpp"
#include "backstop/model/names.hpp"
#include "backstop/model/scenario.hpp"
#include "backstop/ruin/ruin.hpp"

namespace backstop {

namespace {
bool finite(double v) { return std::isfinite(v); }
Json opt(const std::optional<double>& v) { return v && finite(*v) ? Json(*v) : Json(nullptr); }
}  // namespace

Json ruinToJson(const RuinResult& r) {
  Json j;
  j["psi"] = r.psi;
  j["psi_bounds"] = Json::array({r.psiLower, r.psiUpper});
  j["method"] = r.method;
  j["loading"] = finite(r.loading) ? Json(r.loading) : Json(nullptr);
  j["lundberg"] = jsonObject({{"adjustment_coefficient", opt(r.adjustmentCoefficient.value)},
                              {"bound", opt(r.lundbergBound.value)}});
  j["cramer_lundberg"] = opt(r.cramerLundberg.value);
  j["de_vylder"] = opt(r.deVylder.value);
  if (r.horizon)
    j["finite_horizon"] = jsonObject({{"horizon", *r.horizon},
                                      {"diffusion", opt(r.diffusion.value)},
                                      {"exact", opt(r.exactFinite.value)}});
  else
    j["finite_horizon"] = nullptr;
  Json rs = jsonObject({{"target", r.target}, {"amount", opt(r.requiredSurplus.value)}});
  // Bounds only where both exist and are finite (a non-finite one was a fuzz finding).
  rs["amount_bounds"] = r.requiredSurplusLower && r.requiredSurplusUpper && finite(*r.requiredSurplusLower) &&
                                finite(*r.requiredSurplusUpper)
                            ? Json::array({*r.requiredSurplusLower, *r.requiredSurplusUpper})
                            : Json(nullptr);
  j["required_surplus"] = rs;
  j["bound_width"] = std::isfinite(r.psiUpper - r.psiLower) ? Json(r.psiUpper - r.psiLower) : Json(nullptr);
  j["claim_mean"] = r.claimMean;
  j["grid"] =
      r.gridPoints ? jsonObject({{"points", r.gridPoints}, {"step", r.gridStep}}) : Json(nullptr);
  Json methods = jsonObject(
      {{"psi", r.method},
       {"psi_bounds",
        r.gridPoints
            ? "Pollaczek-Khinchine with ladder-height mass moved down (lower) and up (upper)"
            : r.method},
       {"lundberg.adjustment_coefficient", r.adjustmentCoefficient.method},
       {"lundberg.bound", r.lundbergBound.method},
       {"cramer_lundberg", r.cramerLundberg.method},
       {"de_vylder", r.deVylder.method},
       {"required_surplus", r.requiredSurplus.method}});
  if (r.horizon) {
    methods["finite_horizon.diffusion"] = r.diffusion.method;
    methods["finite_horizon.exact"] = r.exactFinite.method;
  }
  j["methods"] = methods;
  j["notes"] = r.notes;
  return j;
}

Json ruinCommand(const Json& input, const RunOptions&) {
  if (!input.is_object()) throw InputError(ErrorCode::InvalidInput, {{"", "must be a JSON object"}});
  Issues issues;
  Reader top(&input, "", issues);
  Reader rr = top.object("ruin", true);
  issues.throwIfAny();
  SurplusProcess p;
  RuinOptions o;
  p.initialSurplus = rr.nonNegative("initial_surplus");
  // Beyond money's documented maximum the grid step overflowed the ladder heights (psi NaN; fuzz).
  if (p.initialSurplus > limits::kMaxMoney)
    issues.add(rr.at("initial_surplus"), "is " + formatValue(p.initialSurplus) + ", beyond the documented maximum of " +
                                             formatValue(limits::kMaxMoney));
  p.premiumRate = rr.positive("premium_rate");
  p.claimRate = rr.positive("claim_rate");
  o.horizon = rr.optionalNumber("horizon");
  o.targetProbability = rr.inRange("target_probability", 0.01, 0, 1, true, true);
  Reader cr = rr.object("claim", true);
  const std::string dist = cr.choice("distribution", std::nullopt, idsOf<ClaimKind>());
  ClaimModel& m = p.claim;
  if (dist == "exponential") {
    m = ClaimModel::exponential(cr.positive("mean"));
  } else if (dist == "gamma") {
    const double shape = cr.positive("shape");
    m = ClaimModel::gamma(shape, cr.positive("scale"));
  } else if (dist == "lognormal") {
    const double ml = cr.number("meanlog");
    m = ClaimModel::lognormal(ml, cr.positive("sdlog"));
  } else if (dist == "pareto") {
    const double shape = cr.positive("shape");
    m = ClaimModel::lomax(shape, cr.positive("scale"));
  } else if (dist == "exponential_mixture") {
    auto w = cr.numbers("weights", true, kMaxClaimEntries);
    m = ClaimModel::exponentialMixture(std::move(w), cr.numbers("means", true, kMaxClaimEntries));
  } else if (dist == "empirical") {
    auto v = cr.numbers("values", true, kMaxClaimEntries);
    m = ClaimModel::empirical(std::move(v), cr.numbers("weights", false, kMaxClaimEntries));
  }
  cr.rejectUnknown();
  rr.rejectUnknown();
  // Range checks the reader did not make (weights summing to 1, Lomax shape > 1, ...),
  // skipping fields it already reported.
  if (!dist.empty()) {
    Issues more;
    RuinOptions checkOptions = o;
    if (std::isnan(checkOptions.targetProbability)) checkOptions.targetProbability = 0.5;
    SurplusProcess q = p;
    if (std::isnan(q.initialSurplus)) q.initialSurplus = 0;
    if (std::isnan(q.premiumRate)) q.premiumRate = 1;
    if (std::isnan(q.claimRate)) q.claimRate = 1;
    validateProcess(q, checkOptions, more);
    for (const auto& e : more.errors()) {
      bool seen = false;
      for (const auto& f : issues.errors())
        if (e.pointer == f.pointer || e.pointer.rfind(f.pointer + "/", 0) == 0) seen = true;
      if (!seen) issues.add(e);  // a limit stays a limit (its flag, not its wording)
    }
  }
  issues.throwIfAny();
  return ruinToJson(analyseRuin(p, o));
}

}  // namespace backstop
