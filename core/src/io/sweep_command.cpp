#include "backstop/io/sweep.hpp"

#include <algorithm>
#include <string>

#include "backstop/io/scenario_reader.hpp"
#include "backstop/simulation/simulation.hpp"
#include "backstop/simulation/summary.hpp"

namespace backstop {

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

SweepResult sweepOf(const SweepPlan& p, const std::function<PathBatch(size_t, const Scenario&)>& batchOf) {
  SweepResult out;
  out.axes = p.axes;
  out.paths = p.paths;
  out.seed = p.seed;
  for (size_t k = 0; k < p.documents.size(); ++k) {
    const Scenario s = sweepPointScenario(p, k);
    out.points.push_back({p.at[k], summarizeRun(s, batchOf(k, s))});
  }
  return out;
}

SweepResult runSweep(const SweepPlan& p, const RunOptions& o) {
  const double n = double(p.documents.size());
  return sweepOf(p, [&](size_t k, const Scenario& s) {
    std::function<void(double)> progress;
    if (o.progress) progress = [&o, k, n](double f) { o.progress((double(k) + f) / n); };
    if (o.cancel && o.cancel->load()) throw InputError(ErrorCode::Cancelled, {{"", "cancelled"}});
    RunOptions po = o;  // each point: the whole run, to its precision when the scenario asks
    po.progress = progress;
    po.pathBegin = 0;
    po.pathEnd = -1;
    return runPaths(s, 0, s.simulation.paths, po);
  });
}

Json sweepCommand(const Json& input, const RunOptions& o) { return toJson(runSweep(planSweep(input, o), o)); }

Json sweepPlanCommand(const Json& input, const RunOptions& o) {
  const SweepPlan p = planSweep(input, o);
  // The header is the sweep result's without points.
  SweepResult header;
  header.axes = p.axes;
  header.paths = p.paths;
  header.seed = p.seed;
  Json out = toJson(header);
  Json points = Json::array();
  for (size_t k = 0; k < p.documents.size(); ++k)
    points.push_back(jsonObject({{"at", p.at[k]}, {"scenario", p.documents[k]}}));
  out["points"] = std::move(points);
  out["fields"] = sweepPointFieldNames();
  return out;
}

}  // namespace backstop
