#include "backstop/io/sweep.hpp"

#include <algorithm>
#include <string>

#include "backstop/io/scenario_reader.hpp"
#include "backstop/simulation/simulation.hpp"

namespace backstop {

namespace {

// What `sweep` and `sweep_plan` share: everything but the points.
Json header(const SweepPlan& p) {
  Json params = Json::array();
  for (const auto& a : p.axes) params.push_back({{"pointer", a.pointer}, {"values", a.values}});
  return {{"parameters", params}, {"paths", p.paths}, {"seed", p.seed}, {"version", version()},
          {"warnings", Json::array()},
          {"common_random_numbers", "every point uses the same seed and per-path streams"}};
}

}  // namespace

const std::vector<const char*>& sweepPointFields() {
  static const std::vector<const char*> f = {"depletion_probability", "required_fund", "adl_probability",
                                             "adl_probability_ci95", "bad_debt", "liquidated_notional",
                                             "markets", "warnings"};
  return f;
}

SweepPlan planSweep(const Json& input, const RunOptions& o) {
  ScenarioNeeds needs;
  needs.priceModel = true;
  const Json doc = withRunOverrides(input, o);
  const Scenario base = loadScenario(doc, needs);
  if (base.sweep.empty())
    throw InputError(ErrorCode::InvalidInput,
                     {{"/sweep", "is required: e.g. {\"parameter\": \"/policy/penalty/rate\", \"values\": [0.0025, 0.005, 0.01]}"}});
  SweepPlan p;
  p.axes = base.sweep;
  p.paths = base.simulation.paths;
  p.seed = base.simulation.seed;
  p.at = sweepPoints(p.axes);
  const long long markets = std::max<long long>(1, (long long)base.markets.size());
  const long long work =
      (long long)p.at.size() * base.simulation.paths * std::max<long long>(1, base.simulation.steps()) * markets;
  if (work > limits::kMaxPathSteps)
    throw InputError(ErrorCode::LimitExceeded,
                     {{"/sweep", std::to_string(p.at.size()) + " points × " + (markets > 1 ? "markets × " : "") +
                                     "paths × steps = " + std::to_string(work) +
                                     " exceeds the limit of " + std::to_string(limits::kMaxPathSteps) + " path-steps"}});
  Issues issues;
  for (const auto& at : p.at) p.documents.push_back(checkSweepPoint(doc, p.axes, at, needs, issues));
  issues.throwIfAny();
  return p;
}

Scenario sweepPointScenario(const SweepPlan& p, size_t k) {
  ScenarioNeeds needs;
  needs.priceModel = true;
  return loadScenario(p.documents[k], needs);
}

Json sweepResult(const SweepPlan& p, const std::function<PathBatch(size_t, const Scenario&)>& batchOf) {
  Json points = Json::array();
  for (size_t k = 0; k < p.documents.size(); ++k) {
    const Scenario s = sweepPointScenario(p, k);
    Json point = sweepPointJson(summarize(s, batchOf(k, s)));
    point["at"] = p.at[k];
    points.push_back(std::move(point));
  }
  Json out = header(p);
  out["points"] = std::move(points);
  return out;
}

Json sweepCommand(const Json& input, const RunOptions& o) {
  const SweepPlan p = planSweep(input, o);
  const double n = double(p.documents.size());
  return sweepResult(p, [&](size_t k, const Scenario& s) {
    std::function<void(double)> progress;
    if (o.progress) progress = [&o, k, n](double f) { o.progress((double(k) + f) / n); };
    if (o.cancel && o.cancel->load()) throw InputError(ErrorCode::Cancelled, {{"", "cancelled"}});
    return simulatePaths(s, 0, s.simulation.paths, o.threads, progress, o.cancel);
  });
}

Json sweepPlanCommand(const Json& input, const RunOptions& o) {
  const SweepPlan p = planSweep(input, o);
  Json points = Json::array();
  for (size_t k = 0; k < p.documents.size(); ++k) points.push_back({{"at", p.at[k]}, {"scenario", p.documents[k]}});
  Json fields = Json::array();
  for (const char* f : sweepPointFields()) fields.push_back(f);
  Json out = header(p);
  out["points"] = std::move(points);
  out["fields"] = std::move(fields);
  return out;
}

}  // namespace backstop
