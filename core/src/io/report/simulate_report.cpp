// `simulate`, `size` and `sweep` as tables and Markdown. simulate's CSV is one headline row
// (table `summary`); the curve, the fund quantiles and the markets are tables of their own.
#include <sstream>

#include "reports.hpp"

namespace backstop::report {

namespace {

const Json& member(const Json& j, const char* key) {
  static const Json kNull;
  return j.is_object() && j.contains(key) ? j[key] : kNull;
}

struct Field {
  Column column;
  double (*get)(const SimulationResult&);
};

// The headline members of a simulate result, in the order a reader wants them. Sweep points
// carry the first ones (up to `liquidated_notional_max`).
const std::vector<Field>& headline() {
  static const std::vector<Field> f = {
      {{"depletion_probability", "P(fund depleted within horizon)", Unit::Probability}, [](const SimulationResult& r) { return r.depletion.estimate; }},
      {{"depletion_probability_ci95_low", "P(depleted), 95 % interval low", Unit::Probability}, [](const SimulationResult& r) { return r.depletion.ci95.first; }},
      {{"depletion_probability_ci95_high", "P(depleted), 95 % interval high", Unit::Probability}, [](const SimulationResult& r) { return r.depletion.ci95.second; }},
      {{"depletion_events", "depletion events", Unit::Count}, [](const SimulationResult& r) { return r.depletion.events; }},
      {{"depletion_relative_error", "P(depleted), 95 % half-width / estimate", Unit::Share}, [](const SimulationResult& r) { return r.depletion.relativeError; }},
      {{"depletion_effective_paths", "P(depleted), as precise as plain paths", Unit::Count}, [](const SimulationResult& r) { return r.depletion.effectivePaths; }},
      {{"required_fund_target", "target P(depletion)", Unit::Probability}, [](const SimulationResult& r) { return r.required.target; }},
      {{"required_fund", "required fund", Unit::Money}, [](const SimulationResult& r) { return r.required.amount; }},
      {{"required_fund_ci95_low", "required fund, 95 % interval low", Unit::Money}, [](const SimulationResult& r) { return r.required.ci95.first; }},
      {{"required_fund_ci95_high", "required fund, 95 % interval high", Unit::Money}, [](const SimulationResult& r) { return r.required.ci95.second; }},
      {{"required_fund_ratio_to_open_interest", "required fund / open interest", Unit::Probability}, [](const SimulationResult& r) { return r.required.ratioToOpenInterest; }},
      {{"adl_probability", "P(ADL or worse)", Unit::Probability}, [](const SimulationResult& r) { return r.adlProbability; }},
      {{"adl_probability_ci95_low", "P(ADL or worse), 95 % interval low", Unit::Probability}, [](const SimulationResult& r) { return r.adlProbabilityCi95.first; }},
      {{"adl_probability_ci95_high", "P(ADL or worse), 95 % interval high", Unit::Probability}, [](const SimulationResult& r) { return r.adlProbabilityCi95.second; }},
      {{"bad_debt_mean", "expected bad debt over the horizon", Unit::Money}, [](const SimulationResult& r) { return r.badDebt.mean; }},
      {{"bad_debt_var95", "bad debt VaR 95 %", Unit::Money}, [](const SimulationResult& r) { return r.badDebt.var95; }},
      {{"bad_debt_es95", "bad debt ES 95 %", Unit::Money}, [](const SimulationResult& r) { return r.badDebt.es95; }},
      {{"bad_debt_var99", "bad debt VaR 99 %", Unit::Money}, [](const SimulationResult& r) { return r.badDebt.var99; }},
      {{"bad_debt_es99", "bad debt ES 99 %", Unit::Money}, [](const SimulationResult& r) { return r.badDebt.es99; }},
      {{"bad_debt_var999", "bad debt VaR 99.9 %", Unit::Money}, [](const SimulationResult& r) { return r.badDebt.var999; }},
      {{"bad_debt_es999", "bad debt ES 99.9 %", Unit::Money}, [](const SimulationResult& r) { return r.badDebt.es999; }},
      {{"liquidated_notional_mean", "liquidated notional, mean", Unit::Money}, [](const SimulationResult& r) { return r.liquidated.mean; }},
      {{"liquidated_notional_max", "liquidated notional, max", Unit::Money}, [](const SimulationResult& r) { return r.liquidated.max; }},
      {{"paths", "paths", Unit::Count}, [](const SimulationResult& r) { return double(r.paths); }},
      {{"seed", "seed", Unit::Id}, [](const SimulationResult& r) { return double(r.seed); }},
      {{"horizon_days", "horizon (days)", Unit::Days}, [](const SimulationResult& r) { return r.horizonDays; }},
      {{"fund_balance", "fund", Unit::Money}, [](const SimulationResult& r) { return r.fundBalance; }},
      {{"open_interest", "open interest per side", Unit::Money}, [](const SimulationResult& r) { return r.openInterest; }},
  };
  return f;
}
constexpr size_t kPointFields = 23;  // headline()'s members a sweep point has

std::string scenarioName(const Json& input) {
  return member(input, "name").is_string() ? input["name"].get<std::string>() : "scenario";
}

Table summaryTable(const SimulationResult& r, const Json& input) {
  Table t{"summary", {{"scenario", "scenario", Unit::Text}}, {{txt(scenarioName(input))}}};
  for (const auto& f : headline()) {
    t.columns.push_back(f.column);
    t.rows[0].push_back(num(f.get(r)));
  }
  t.columns.push_back({"version", "backstop", Unit::Text});
  t.rows[0].push_back(txt(version()));
  return t;
}

Table curveTable(const std::vector<CurvePoint>& curve) {
  Table t{"curve", {{"fund", "fund", Unit::Money}, {"probability", "P(fund depleted)", Unit::Probability}}, {}};
  for (const auto& c : curve) t.rows.push_back({num(c.fund), num(c.probability)});
  return t;
}

Table quantilesTable(const FundQuantiles& q) {
  Table t{"fund_quantiles",
          {{"day", "day", Unit::Days}, {"p05", "fund 5 %", Unit::Money}, {"p25", "fund 25 %", Unit::Money},
           {"p50", "fund median", Unit::Money}, {"p75", "fund 75 %", Unit::Money}, {"p95", "fund 95 %", Unit::Money}},
          {}};
  auto at = [](const std::vector<double>& v, size_t i) { return i < v.size() ? v[i] : NAN; };
  for (size_t i = 0; i < q.days.size(); ++i)
    t.rows.push_back({num(q.days[i]), num(at(q.p05, i)), num(at(q.p25, i)), num(at(q.p50, i)), num(at(q.p75, i)), num(at(q.p95, i))});
  return t;
}

Table marketsTable(const SimulationResult& r) {
  const bool own = r.perMarketFunds;
  Table t{"markets",
          {{"symbol", "market", Unit::Text},
           {"open_interest", "open interest", Unit::Money},
           {"bad_debt_mean", "mean bad debt", Unit::Money},
           {"share_of_bad_debt", "share of bad debt", Unit::Share},
           {"bad_debt_var99", "bad debt VaR 99 %", Unit::Money},
           {"liquidated_notional_mean", "mean liquidated", Unit::Money},
           {"depletion_probability", own ? "P(depletes its own fund)" : "P(depletes the whole fund alone)", Unit::Probability},
           {"required_fund", "fund it needs alone", Unit::Money}},
          {}};
  for (const auto& m : r.markets)
    t.rows.push_back({txt(m.symbol), num(m.openInterest), num(m.badDebt.mean), num(m.shareOfBadDebt), num(m.badDebt.var99),
                      num(m.liquidated.mean), num(m.depletion.estimate), num(m.required.amount)});
  return t;
}

void warnings(std::ostringstream& o, const std::vector<std::string>& ws) {
  for (const auto& w : ws) o << "\n> warning: " << markdownText(w) << "\n";
}

}  // namespace

std::string titleName(const Json& input, const std::string& fallback) {
  return markdownText(member(input, "name").is_string() ? input["name"].get<std::string>() : fallback);
}

std::vector<Table> simulateTables(const SimulationResult& r, const Json& input) {
  std::vector<Table> out = {summaryTable(r, input), curveTable(r.curve), quantilesTable(r.fundQuantiles)};
  if (!r.markets.empty()) out.push_back(marketsTable(r));
  return out;
}

std::string simulateMarkdown(const SimulationResult& r, const Json& input) {
  std::ostringstream o;
  o << "### backstop simulate: " << titleName(input, "scenario") << "\n\n";
  const Json& policy = member(input, "policy");
  o << presetLine(input, member(policy, "preset").is_string() ? policy["preset"].get<std::string>() : "generic");
  o << markdown(summaryTable(r, input)) << "\n";
  o << "Fund " << formatNumber(r.fundBalance, Unit::Money) << ", open interest " << formatNumber(r.openInterest, Unit::Money)
    << " per side, horizon " << formatNumber(r.horizonDays, Unit::Days) << " days; " << formatNumber(double(r.paths), Unit::Count)
    << " paths, seed " << formatNumber(double(r.seed), Unit::Id) << ". Amounts in quote units. The curve and the fund's "
    << "quantiles by day are CSV tables `curve` and `fund_quantiles`.\n";
  if (r.depletion.importanceSampling)
    o << "Importance sampling (paths weighted by their likelihood ratios): P(depleted) to ±"
      << formatNumber(r.depletion.relativeError, Unit::Share) << ", as precise as "
      << formatNumber(r.depletion.effectivePaths, Unit::Count) << " plain paths.\n";
  if (!r.markets.empty()) {
    o << "\n#### Per market (" << (r.perMarketFunds ? "each with its own fund" : "one shared fund") << ")\n\n"
      << markdown(marketsTable(r)) << "\nIf the markets failed independently, the chance that at least one of them depletes "
      << (r.perMarketFunds ? "its own fund" : "the fund on its own") << " would be "
      << formatNumber(r.independentMarketsDepletionProbability, Unit::Probability) << ".\n";
  }
  if (r.treasury)
    o << "\nTreasury " << formatNumber(r.treasury->amount, Unit::Money) << " released "
      << formatNumber(r.treasury->delayDays, Unit::Days) << " days after the fund first fails to cover a loss; P(ADL or worse) counts it.\n";
  warnings(o, r.warnings);
  return o.str();
}

namespace {
Table sizeSummary(const SizeResult& r, const Json& input) {
  return {"summary",
          {{"scenario", "scenario", Unit::Text},
           {"required_fund_target", "target P(depletion)", Unit::Probability},
           {"required_fund", "required fund", Unit::Money},
           {"required_fund_ci95_low", "required fund, 95 % interval low", Unit::Money},
           {"required_fund_ci95_high", "required fund, 95 % interval high", Unit::Money},
           {"required_fund_ratio_to_open_interest", "required fund / open interest", Unit::Probability},
           {"depletion_probability", "P(current fund depleted)", Unit::Probability},
           {"depletion_events", "depletion events", Unit::Count},
           {"paths", "paths", Unit::Count},
           {"seed", "seed", Unit::Id},
           {"version", "backstop", Unit::Text}},
          {{txt(scenarioName(input)), num(r.required.target), num(r.required.amount), num(r.required.ci95.first),
            num(r.required.ci95.second), num(r.required.ratioToOpenInterest), num(r.depletion.estimate),
            num(r.depletion.events), num(double(r.paths)), num(double(r.seed)), txt(version())}}};
}
}  // namespace

std::vector<Table> sizeTables(const SizeResult& r, const Json& input) { return {sizeSummary(r, input), curveTable(r.curve)}; }

std::string sizeMarkdown(const SizeResult& r, const Json& input) {
  std::ostringstream o;
  o << "### backstop size: " << titleName(input, "scenario") << "\n\n" << markdown(sizeSummary(r, input))
    << "\nThe curve: P(fund depleted within the horizon) for each fund size (amounts in quote units).\n\n"
    << markdown(curveTable(r.curve));
  warnings(o, r.warnings);
  return o.str();
}

std::vector<Table> sweepTables(const SweepResult& r) {
  Table t{"points", {}, {}};
  for (const auto& a : r.axes) t.columns.push_back({a.pointer, a.pointer, Unit::Number});
  for (size_t i = 0; i < kPointFields; ++i) t.columns.push_back(headline()[i].column);
  for (const auto& p : r.points) {
    std::vector<Cell> row;
    for (size_t i = 0; i < r.axes.size(); ++i) row.push_back(num(i < p.at.size() ? p.at[i] : NAN));
    for (size_t i = 0; i < kPointFields; ++i) row.push_back(num(headline()[i].get(p.result)));
    t.rows.push_back(std::move(row));
  }
  return {t};
}

std::string sweepMarkdown(const SweepResult& r, const Json& input) {
  std::ostringstream o;
  o << "### backstop sweep: " << titleName(input, "scenario") << "\n\n";
  // The Markdown keeps the columns a reader compares; the CSV has every one.
  Table all = sweepTables(r)[0], t{"points", {}, {}};
  std::vector<size_t> keep;
  for (size_t i = 0; i < all.columns.size(); ++i) {
    const std::string& k = all.columns[i].key;
    if (i < r.axes.size() || k == "depletion_probability" || k == "depletion_probability_ci95_low" ||
        k == "depletion_probability_ci95_high" || k == "required_fund" || k == "required_fund_ratio_to_open_interest" ||
        k == "adl_probability" || k == "bad_debt_mean")
      keep.push_back(i);
  }
  for (size_t i : keep) t.columns.push_back(all.columns[i]);
  for (const auto& row : all.rows) {
    std::vector<Cell> cells;
    for (size_t i : keep) cells.push_back(row[i]);
    t.rows.push_back(std::move(cells));
  }
  o << markdown(t) << "\nRequired fund for P(depletion) = "
    << (r.points.empty() ? std::string("n/a") : formatNumber(r.points[0].result.required.target, Unit::Probability)) << ". "
    << formatNumber(double(r.paths), Unit::Count) << " paths per point, seed " << formatNumber(double(r.seed), Unit::Id)
    << ", common random numbers (the same streams at every point), backstop " << markdownText(version()) << ".\n";
  return o.str();
}

}  // namespace backstop::report
