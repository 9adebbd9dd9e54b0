// The JSON scenario reader: the whole document, several markets, sweeps, the run limits.
#include "backstop/io/scenario_reader.hpp"

#include <algorithm>
#include <cmath>

#include "backstop/io/commands.hpp"
#include "backstop/simulation/simulation.hpp"
#include "io/scenario_sections.hpp"

namespace backstop {

using namespace detail;

namespace {

// "markets": [{market, book, price_model, fund?}] (docs/model.md (several markets, one fund)). Each entry is read like the
// single-market sections; `fund` (balance, fee_share) only with fund.scope "per_market".
void parseMarkets(Reader& r, const ScenarioNeeds& needs, const Fund& fund, std::vector<MarketSpec>& out, Issues& issues) {
  const Json* list = r.raw("markets");
  r.known("markets");
  if (!list || !list->is_array() || list->empty() || (long long)list->size() > limits::kMaxMarkets) {
    issues.add(r.at("markets"), "must be an array of 1 to " + std::to_string(limits::kMaxMarkets) +
                                    " markets {market, book, price_model}, got " + (list ? describeJson(*list) : "nothing"));
    return;
  }
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string ptr = r.at("markets") + "/" + std::to_string(i);
    if (!(*list)[i].is_object()) {
      issues.add(ptr, "must be an object {market, book, price_model}, got " + describeJson((*list)[i]));
      continue;
    }
    Reader e(&(*list)[i], ptr, issues);
    MarketSpec m;
    parseMarket(e.object("market", true), m.market, issues);
    parseBook(e.object("book", true), m.market, m.book, issues);
    if (needs.priceModel || e.present("price_model"))
      parsePriceModel(e.object("price_model", needs.priceModel), m.priceModel, issues);
    else e.object("price_model", false);
    Reader f = e.object("fund", false);
    if (e.present("fund") && fund.scope != FundScope::PerMarket)
      issues.add(e.at("fund"), "is only read with \"fund\": {\"scope\": \"per_market\"}; a shared fund is /fund");
    m.balance = f.nonNegative("balance", fund.scope == FundScope::PerMarket ? std::nullopt : std::optional<double>(0.0));
    m.feeShare = f.inRange("fee_share", fund.feeShare, 0, 1, false, false);
    m.jumpLoading = e.optionalNumber("loading");  // this market's loading on common_jumps
    checkSize(issues, f.at("balance"), m.balance, limits::kMaxMoney);
    f.rejectUnknown();
    e.rejectUnknown();
    out.push_back(std::move(m));
  }
}

// "correlation": an N×N matrix over the markets' diffusion shocks, validated as a
// correlation matrix that is positive semi-definite (so a Cholesky factor exists).
void parseCorrelation(Reader& r, Scenario& s, Issues& issues) {
  const size_t n = s.markets.size();
  std::vector<std::vector<double>> c(n, std::vector<double>(n, 0.0));
  for (size_t i = 0; i < n; ++i) c[i][i] = 1.0;
  const Json* m = r.raw("correlation");
  r.known("correlation");
  if (m) {
    const std::string ptr = r.at("correlation");
    if (!m->is_array() || m->size() != n) {
      issues.add(ptr, "must be a " + std::to_string(n) + "×" + std::to_string(n) + " matrix (one row per market), got " +
                          describeJson(*m));
      return;
    }
    for (size_t i = 0; i < n; ++i) {
      const Json& row = (*m)[i];
      if (!row.is_array() || row.size() != n) {
        issues.add(ptr + "/" + std::to_string(i), "must be a row of " + std::to_string(n) + " numbers, got " + describeJson(row));
        return;
      }
      for (size_t j = 0; j < n; ++j) {
        const std::string at = ptr + "/" + std::to_string(i) + "/" + std::to_string(j);
        if (!row[j].is_number() || !std::isfinite(row[j].get<double>())) {
          issues.add(at, "must be a finite number, got " + describeJson(row[j]));
          return;
        }
        c[i][j] = row[j].get<double>();
        if (i == j && c[i][j] != 1.0) issues.add(at, "is a diagonal entry: must be 1, got " + formatValue(c[i][j]));
        else if (!(c[i][j] >= -1 && c[i][j] <= 1)) issues.add(at, "must be within [-1, 1], got " + formatValue(c[i][j]));
      }
    }
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < i; ++j)
        if (std::fabs(c[i][j] - c[j][i]) > 1e-12)
          issues.add(ptr + "/" + std::to_string(i) + "/" + std::to_string(j),
                     "is " + formatValue(c[i][j]) + " but entry " + std::to_string(j) + "/" + std::to_string(i) + " is " +
                         formatValue(c[j][i]) + ": the matrix must be symmetric");
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < n; ++j)
        if (i != j && c[i][j] != 0 && s.markets[i].priceModel.kind == PriceModelKind::Bootstrap)
          issues.add(ptr + "/" + std::to_string(i) + "/" + std::to_string(j),
                     "is " + formatValue(c[i][j]) + ", but market " + std::to_string(i) +
                         " replays historical returns (bootstrap), which a correlation matrix cannot move: use 0");
    if (!issues.empty()) return;
  }
  size_t failed = 0;
  if (m) s.correlation = c;
  if (auto l = semidefiniteCholesky(c, &failed)) s.choleskyFactor = std::move(*l);
  else
    issues.add(r.at("correlation"), "is not positive semi-definite (no Cholesky factor: the pivot of row " +
                                        std::to_string(failed) + " is negative), so no joint distribution has it");
}

void parseCommonJumps(Reader r, Scenario& s, Issues& issues) {
  CommonJumps& cj = s.commonJumps;
  // "intensity" is read as the same per-year rate (docs/model.md (several markets, one fund) names it so).
  cj.intensityPerYear = r.present("intensity") && !r.present("intensity_per_year")
                            ? r.inRange("intensity", std::nullopt, 0, 36500, false, false)
                            : r.inRange("intensity_per_year", std::nullopt, 0, 36500, false, false);
  r.known("intensity");
  cj.mean = r.inRange("mean", std::nullopt, -5, 5, false, false);
  cj.stdev = r.inRange("stdev", std::nullopt, 0, 5, false, false);
  const size_t n = s.markets.size();
  if (r.present("loadings")) {
    cj.loadings = r.numbers("loadings", true, size_t(limits::kMaxMarkets));
    if (cj.loadings.size() != n && r.isArray("loadings"))
      issues.add(r.at("loadings"), "needs one loading per market (" + std::to_string(n) + "), got " +
                                       std::to_string(cj.loadings.size()));
    for (size_t i = 0; i < cj.loadings.size(); ++i)
      if (std::fabs(cj.loadings[i]) > 10)
        issues.add(r.at("loadings") + "/" + std::to_string(i), "must be within [-10, 10], got " + formatValue(cj.loadings[i]));
  } else {
    // Each market's own `loading`, else 1.
    r.known("loadings");
    for (size_t i = 0; i < n; ++i) {
      const auto l = s.markets[i].jumpLoading;
      if (l && std::fabs(*l) > 10)
        issues.add("/markets/" + std::to_string(i) + "/loading", "must be within [-10, 10], got " + formatValue(*l));
      cj.loadings.push_back(l.value_or(1.0));
    }
  }
  r.rejectUnknown();
  if (std::isnan(cj.intensityPerYear) || std::isnan(cj.mean) || std::isnan(cj.stdev)) cj.intensityPerYear = 0;
}

// One axis of a sweep: {"parameter": "/json/pointer", "values": [...]}.
void parseSweepAxis(Reader r, const Json& doc, std::vector<SweepAxis>& out, Issues& issues) {
  SweepAxis a;
  a.pointer = r.string("parameter", std::nullopt);
  a.parameterPointer = r.at("parameter");
  a.valuesPointer = r.at("values");
  a.values = r.numbers("values", true, size_t(limits::kMaxSweepValues));
  r.rejectUnknown();
  if (r.present("values") && r.isArray("values") && a.values.empty())
    issues.add(r.at("values"), "is empty: give at least one value");
  if (!r.present("parameter")) return;
  const std::string where = r.at("parameter");
  if (a.pointer.empty() || a.pointer[0] != '/') {
    issues.add(where, "must be a JSON pointer to a numeric field such as \"/policy/penalty/rate\", got \"" +
                          a.pointer.substr(0, 80) + "\"");
    return;
  }
  if (a.pointer == "/sweep" || a.pointer.rfind("/sweep/", 0) == 0 || a.pointer.rfind("/schema", 0) == 0 ||
      a.pointer.rfind("/name", 0) == 0) {
    issues.add(where, "cannot sweep \"" + a.pointer.substr(0, 80) + "\": choose a numeric scenario field");
    return;
  }
  try {
    const Json::json_pointer jp(a.pointer);
    if (doc.contains(jp)) {
      const Json& target = doc.at(jp);
      if (!target.is_number() && !target.is_null())
        issues.add(where, "points at " + describeJson(target) + " in the scenario, not a number");
    } else {
      // The field may be absent (a preset fills it); its parent must then be an object or absent.
      const Json::json_pointer parent = jp.parent_pointer();
      if (!parent.empty() && doc.contains(parent) && !doc.at(parent).is_object())
        issues.add(where, "points inside " + describeJson(doc.at(parent)) + ", not inside an object");
    }
  } catch (const std::exception&) {
    issues.add(where, "is not a valid JSON pointer: \"" + a.pointer.substr(0, 80) + "\"");
    return;
  }
  out.push_back(std::move(a));
}

// "sweep": one axis, or {"parameters": [axis, axis]} for a grid (docs/model.md (several markets, one fund)).
void parseSweep(Reader r, const Json& doc, std::vector<SweepAxis>& out, Issues& issues) {
  if (const Json* list = r.raw("parameters")) {
    r.known("parameters");
    if (!list->is_array() || list->empty() || list->size() > 2) {
      issues.add(r.at("parameters"), "must be an array of one or two {parameter, values}, got " + describeJson(*list));
    } else {
      for (size_t i = 0; i < list->size(); ++i) {
        const std::string ptr = r.at("parameters") + "/" + std::to_string(i);
        if (!(*list)[i].is_object()) issues.add(ptr, "must be an object {parameter, values}, got " + describeJson((*list)[i]));
        else parseSweepAxis(Reader(&(*list)[i], ptr, issues), doc, out, issues);
      }
    }
    r.rejectUnknown();
  } else if (const Json* p = r.raw("parameter"); p && p->is_array()) {
    // Grid written as parallel arrays: {"parameter": [a, b], "values": [[...], [...]]}.
    const Json* v = r.raw("values");
    r.known("parameter");
    r.known("values");
    if (p->empty() || p->size() > 2 || !v || !v->is_array() || v->size() != p->size()) {
      issues.add(r.at("values"), "with \"parameter\" as an array of " + std::to_string(p->size()) +
                                     " pointers, must be an array of as many value arrays, got " +
                                     (v ? describeJson(*v) : "nothing"));
    } else {
      for (size_t i = 0; i < p->size(); ++i) {
        const Json axis = jsonObject({{"parameter", (*p)[i]}, {"values", (*v)[i]}});
        Reader ar(&axis, r.pointer(), issues);
        const size_t before = out.size();
        parseSweepAxis(ar, doc, out, issues);
        if (out.size() > before) {
          out.back().parameterPointer = r.at("parameter") + "/" + std::to_string(i);
          out.back().valuesPointer = r.at("values") + "/" + std::to_string(i);
        }
      }
    }
    r.rejectUnknown();
  } else {
    parseSweepAxis(r, doc, out, issues);
  }
  if (out.size() == 2 && out[0].pointer == out[1].pointer)
    issues.add(r.at("parameters") + "/1/parameter", "sweeps \"" + out[1].pointer + "\" twice");
  long long points = 1;
  for (const auto& a : out) points *= (long long)std::max<size_t>(1, a.values.size());
  if (points > limits::kMaxSweepPoints)
    issues.limit(r.pointer(), "has " + std::to_string(points) + " points, more than the limit of " +
                                  std::to_string(limits::kMaxSweepPoints));
}

// Work limits of a Monte Carlo run, from numbers already range-checked (no overflow):
// checked here, before simulatePaths allocates anything.
void checkRunLimits(const Scenario& s, Issues& issues) {
  const SimulationSettings& sim = s.simulation;
  if (std::isnan(sim.horizonDays)) return;
  long long warm = 0;  // the longest warm-up: markets step together
  for (const auto& m : s.markets) {
    if (std::isnan(m.book.warmupDays)) return;
    warm = std::max(warm, std::llround(m.book.warmupDays * sim.stepsPerDay));
  }
  const long long steps = warm + sim.steps();
  if (steps > limits::kMaxStepsPerPath) {
    issues.limit(warm > 0 ? "/book/warmup_days" : "/simulation/horizon_days",
                 "gives " + std::to_string(steps) + " steps per path (" + std::to_string(warm) + " warm-up + " +
                     std::to_string(sim.steps()) + " horizon), more than the limit of " +
                     std::to_string(limits::kMaxStepsPerPath));
    return;
  }
  const long long nm = std::max<long long>(1, (long long)s.markets.size());
  const long long pathSteps = sim.paths * std::max<long long>(1, steps) * nm;
  if (pathSteps > limits::kMaxPathSteps)
    issues.limit("/simulation/paths", std::string(nm > 1 ? "markets × " : "") + "paths × steps = " +
                                          (nm > 1 ? std::to_string(nm) + " × " : std::string()) + std::to_string(sim.paths) +
                                          " × " + std::to_string(steps) + " = " + std::to_string(pathSteps) +
                                          " exceeds the limit of " + std::to_string(limits::kMaxPathSteps) + " path-steps");
  if (s.policy.adlTrigger == AdlTriggerKind::Drawdown && !std::isnan(s.policy.drawdownWindowHours) &&
      drawdownWindowSteps(s) > limits::kMaxDrawdownWindowSteps)
    issues.limit("/policy/adl_trigger/window_hours",
                 "is " + formatValue(s.policy.drawdownWindowHours) + " hours: " + std::to_string(drawdownWindowSteps(s)) +
                     " steps of look-back, more than the limit of " + std::to_string(limits::kMaxDrawdownWindowSteps));
  const long long days = std::max(1LL, (long long)std::ceil(sim.horizonDays - 1e-9));
  // Per path (PathBatch): 6 numbers, 2 per day, the policy grid, 3 per market when several.
  const long long cells = sim.paths * (6 + 2 * days + (needsPolicyMode(s) ? (long long)policyFundGrid(s).size() : 0) +
                                       (nm > 1 ? 3 * nm : 0));
  if (cells > limits::kMaxRecordCells)
    issues.limit("/simulation/paths", std::to_string(sim.paths) + " paths over " + std::to_string(days) +
                                          " days keep " + std::to_string(cells) +
                                          " per-path records, more than the limit of " +
                                          std::to_string(limits::kMaxRecordCells));
}

}  // namespace

Json sweepPointDocument(const Json& doc, const std::vector<SweepAxis>& axes, const std::vector<double>& at) {
  Json d = doc;
  d.erase("sweep");
  for (size_t i = 0; i < axes.size() && i < at.size(); ++i) d[Json::json_pointer(axes[i].pointer)] = at[i];
  return d;
}

Json checkSweepPoint(const Json& doc, const std::vector<SweepAxis>& axes, const std::vector<double>& at,
                     const ScenarioNeeds& needs, Issues& issues) {
  Json d = sweepPointDocument(doc, axes, at);
  Issues pointIssues;
  parseScenario(d, needs, pointIssues);
  std::string point;
  for (size_t i = 0; i < at.size(); ++i) point += (i ? ", " : "") + axes[i].pointer + " = " + formatValue(at[i]);
  for (const auto& e : pointIssues.errors()) {
    // Name the sweep entry that made the point invalid: the value, or the pointer itself.
    std::string where = e.pointer;
    for (size_t i = 0; i < axes.size(); ++i) {
      if (e.pointer != axes[i].pointer) continue;
      const auto& vals = axes[i].values;
      where = e.message == "is not a known field"
                  ? axes[i].parameterPointer
                  : axes[i].valuesPointer + "/" + std::to_string(std::find(vals.begin(), vals.end(), at[i]) - vals.begin());
    }
    issues.add(where, "at sweep point " + point + ": " + e.pointer + " " + e.message);
  }
  return d;
}

Scenario parseScenario(const Json& doc, const ScenarioNeeds& needs, Issues& issues) {
  Scenario s;
  if (!doc.is_object()) {
    issues.add("", "a scenario must be a JSON object, got " + describeJson(doc));
    return s;
  }
  Reader r(&doc, "", issues);
  if (r.present("schema")) {
    const std::string schema = r.string("schema", std::nullopt);
    if (schema != kScenarioSchema)
      issues.add("/schema", std::string("must be \"") + kScenarioSchema + "\", got \"" + schema.substr(0, 60) + "\"");
  } else r.string("schema", std::string(kScenarioSchema));
  s.name = r.string("name", std::string("unnamed scenario"));
  s.hasMarket = r.present("market");
  s.hasBook = r.present("book");
  s.hasPriceModel = r.present("price_model");
  s.hasStress = r.present("stress");
  s.hasRuin = r.present("ruin");
  const bool hasMarkets = r.present("markets");
  // The fund first: per-market funds default to its fee share.
  parseFund(r.object("fund", false), s.fund, issues);
  if (hasMarkets) {
    s.multiMarket = true;
    for (const char* key : {"market", "book", "price_model"})
      if (r.present(key))
        issues.add(r.at(key), "cannot be given together with \"markets\": put it in each entry of markets");
    parseMarkets(r, needs, s.fund, s.markets, issues);
    // One money unit across markets: inverse contracts count money in their own coin.
    for (size_t i = 0; s.markets.size() > 1 && i < s.markets.size(); ++i)
      if (s.markets[i].market.contract == Contract::Inverse)
        issues.add("/markets/" + std::to_string(i) + "/market/contract",
                   "is \"inverse\" (money in coin); markets sharing a scenario must be linear so money is in one quote unit");
    r.known("market"); r.known("book"); r.known("price_model");
    if (!s.markets.empty()) {
      s.hasMarket = s.hasBook = true;
      s.hasPriceModel = needs.priceModel;
    }
  } else {
    r.known("markets");
    const bool wantMarket = needs.marketAndBook || s.hasMarket || s.hasBook;
    MarketSpec only;
    if (wantMarket) {
      parseMarket(r.object("market", true), only.market, issues);
      parseBook(r.object("book", true), only.market, only.book, issues);
    } else {
      r.object("market", false); r.object("book", false);
    }
    if (needs.priceModel || s.hasPriceModel) parsePriceModel(r.object("price_model", needs.priceModel), only.priceModel, issues);
    else r.object("price_model", false);
    only.balance = s.fund.balance;
    only.feeShare = s.fund.feeShare;
    s.markets.push_back(std::move(only));
  }
  parsePolicy(r.object("policy", false), s.markets.empty() ? Market{} : s.markets[0].market, s.policy, issues);
  // Presets depend on the symbol (e.g. Binance's clearance fee): each market reads the policy
  // with its own symbol; problems were reported once, above.
  for (size_t i = 0; i < s.markets.size(); ++i) {
    if (i == 0) { s.markets[i].policy = s.policy; continue; }
    Issues again;
    parsePolicy(r.object("policy", false), s.markets[i].market, s.markets[i].policy, again);
  }
  // A tier table sets the maintenance rate of the smallest positions: the market's rate must be its first.
  for (size_t i = 0; i < s.markets.size(); ++i) {
    const MarketSpec& m = s.markets[i];
    const std::string at = hasMarkets ? "/markets/" + std::to_string(i) : "";
    if (!m.policy.maintenanceTiers || m.policy.maintenanceTiers->empty()) continue;
    const std::string problem = maintenanceTierProblem(m.market, m.policy);
    if (!problem.empty()) issues.add(at + "/market/maintenance_margin_rate", problem);
    // A cohort whose accounts' tier needs more than its initial margin would be liquidated at once.
    const Maintenance mm = maintenanceOf(m.market, m.policy);
    for (size_t b = 0; m.book.accountNotional > 0 && b < m.book.leverage.size(); ++b) {
      const double L = m.book.leverage[b].leverage, n = m.book.accountNotional;
      const Position acct{"", Side::Long, n / m.market.markPrice, m.market.markPrice, n / L};
      const double need = maintenanceRequirement(acct, Contract::Linear, m.market.markPrice, mm) / n;
      if (!(1.0 / L > need))
        issues.add(at + "/book/leverage/" + std::to_string(b) + "/leverage",
                   "is " + formatValue(L) + ": an account of book.account_notional " + formatValue(n) +
                       " needs maintenance " + formatValue(need) + " of its notional, not below its initial margin 1/leverage, so it would be liquidated at once");
    }
  }
  if (r.present("treasury")) {  // docs/model.md (several markets, one fund) calls it a stage: accepted at the top level too
    if (doc.contains("fund") && doc["fund"].is_object() && doc["fund"].contains("treasury"))
      issues.add("/treasury", "is given twice: here and at /fund/treasury; keep one");
    else parseTreasury(r.object("treasury", false), s.fund.treasury, issues);
  } else {
    r.known("treasury");
  }
  if (placeTreasuryStage(s.policy, s.fund))
    for (auto& m : s.markets) m.policy.stages = s.policy.stages;
  if (r.present("correlation") && !hasMarkets)
    issues.add("/correlation", "needs \"markets\": it correlates the markets' diffusion shocks");
  parseCorrelation(r, s, issues);
  if (r.present("common_jumps")) parseCommonJumps(r.object("common_jumps", false), s, issues);
  else r.object("common_jumps", false);
  if (s.fund.scope == FundScope::PerMarket &&
      (s.fund.maxDrawFractionPerEvent || s.fund.floor > 0 || s.policy.adlTrigger == AdlTriggerKind::Drawdown))
    issues.add("/fund/scope", "\"per_market\" funds with a per-event cap, floor or drawdown trigger are not supported: "
                              "use \"shared\" or drop the fund policy");
  for (size_t i = 0; i < s.fund.composition.size(); ++i)
    if (s.fund.composition[i].market >= (int)s.markets.size())
      issues.add("/fund/composition/" + std::to_string(i) + "/market",
                 "is " + std::to_string(s.fund.composition[i].market) + ", but there are " +
                     std::to_string(s.markets.size()) + " markets (indices from 0)");
  parseSimulation(r.object("simulation", false), s.simulation, issues);
  if (needs.stress || s.hasStress) {
    Reader st = r.object("stress", needs.stress);
    s.stress.shocks = st.numbers("shocks", needs.stress, limits::kMaxShocks);
    for (size_t i = 0; i < s.stress.shocks.size(); ++i)
      if (!(s.stress.shocks[i] > -1 && s.stress.shocks[i] <= 10))
        issues.add(st.at("shocks") + "/" + std::to_string(i),
                   "must be a relative move in (-1, 10], got " + formatValue(s.stress.shocks[i]));
    if (needs.stress && st.isArray("shocks") && s.stress.shocks.empty())
      issues.add(st.at("shocks"), "is empty: give at least one shock, e.g. -0.1");
    st.rejectUnknown();
  } else r.object("stress", false);
  if (r.present("sweep")) parseSweep(r.object("sweep", false), doc, s.sweep, issues);
  else r.object("sweep", false);
  r.known("ruin");    // read by the ruin command
  if (r.present("replay")) parseReplay(r.object("replay", false), issues);  // run by io/replay_command.cpp
  else r.object("replay", false);
  r.rejectUnknown();
  if (needs.priceModel || s.hasPriceModel) checkRunLimits(s, issues);
  return s;
}

Scenario loadScenario(const Json& doc, const ScenarioNeeds& needs) {
  Issues issues;
  Scenario s = parseScenario(doc, needs, issues);
  issues.throwIfAny();
  return s;
}

Json validateCommand(const Json& input, const RunOptions&) {
  Issues issues;
  if (input.is_object() && input.contains("position") && !input.contains("market") && !input.contains("markets") &&
      !input.contains("book")) {
    // A position document (the `position` command's input) is checked as one.
    try {
      positionOf(input);
    } catch (const InputError& e) {
      for (const auto& fe : e.errors()) issues.add(fe);
    }
  } else {
    ScenarioNeeds needs;
    needs.marketAndBook = !(input.is_object() && input.contains("ruin") && !input.contains("market") && !input.contains("book"));
    const Scenario s = parseScenario(input, needs, issues);
    // Every sweep point must be a valid scenario too (checked while the document is sound).
    if (issues.empty() && !s.sweep.empty() && sweepPoints(s.sweep).size() <= size_t(limits::kMaxSweepPoints))
      for (const auto& at : sweepPoints(s.sweep)) checkSweepPoint(input, s.sweep, at, needs, issues);
  }
  if (issues.empty()) return jsonObject({{"valid", true}});
  Json errs = Json::array();
  for (const auto& e : issues.errors())
    errs.push_back(jsonObject({{"pointer", e.pointer}, {"message", e.message}}));
  return jsonObject({{"valid", false}, {"errors", errs}});
}

}  // namespace backstop
