// Markdown and CSV for `replay`: the totals, then one row per step.
#include <algorithm>
#include <sstream>

#include "backstop/io/report.hpp"
#include "format.hpp"

namespace backstop::cli {

namespace {
const char* const kStages[] = {"insurance_fund", "treasury", "fee_pool", "backstop_vault", "adl", "socialized_loss",
                               "uncovered"};
}  // namespace

std::string replayMarkdown(const Json& input, const Json& r) {
  std::ostringstream o;
  const std::string name = text(Json(input.is_object() ? input.value("name", std::string("scenario")) : "scenario"));
  const Json& t = r["totals"];
  o << "### backstop replay: " << name << "\n\n| total | value |\n|---|---|\n"
    << "| steps | " << r["steps"].size() << " |\n"
    << "| fund before | " << fmtMoney(r["fund_before"]) << " |\n"
    << "| fund after | " << fmtMoney(t["fund_after"]) << " |\n"
    << "| fund minimum | " << fmtMoney(t["fund_min"]) << " |\n"
    << "| depleted | " << (t["depleted"].get<bool>() ? "yes, day " + fmtNumber(t["depleted_at_days"]) : "no") << " |\n"
    << "| liquidated notional | " << fmtMoney(t["liquidated_notional"]) << " |\n"
    << "| bad debt | " << fmtMoney(t["bad_debt"]) << " |\n";
  for (const char* k : kStages)
    if (t["waterfall"][k].get<double>() != 0) o << "| paid by " << k << " | " << fmtMoney(t["waterfall"][k]) << " |\n";
  o << "\n| day | price | liquidated | bad debt | fund paid | beyond the fund | fee inflow | revaluation | fund after |\n"
       "|---|---|---|---|---|---|---|---|---|\n";
  const size_t n = std::min<size_t>(r["steps"].size(), 200);
  for (size_t i = 0; i < n; ++i) {
    const Json& s = r["steps"][i];
    double beyond = 0;
    for (const char* k : kStages)
      if (std::string(k) != "insurance_fund") beyond += s["waterfall"][k].get<double>();
    o << "| " << fmtNumber(s["t_days"]) << " | " << fmtNumber(s["price"]) << " | " << fmtMoney(s["liquidated_notional"])
      << " | " << fmtMoney(s["bad_debt"]) << " | " << fmtMoney(s["waterfall"]["insurance_fund"]) << " | "
      << fmtMoney(Json(beyond)) << " | " << fmtMoney(s["fee_inflow"]) << " | " << fmtMoney(s["revaluation"]) << " | "
      << fmtMoney(s["fund_after"]) << " |\n";
  }
  if (r["steps"].size() > n) o << "\n(first " << n << " of " << r["steps"].size() << " steps; the JSON and CSV have all)\n";
  o << "\nbackstop " << r.value("version", "") << ".\n";
  return o.str();
}

std::string replayCsv(const Json& r) {
  using report::Unit;
  report::Table t{"steps", {{"t_days", "day", Unit::Days}, {"price", "price", Unit::Price}}, {}};
  for (const char* k : {"liquidated_notional", "bad_debt", "penalties_to_fund", "fee_inflow", "revaluation"})
    t.columns.push_back({k, k, Unit::Money});
  for (const char* k : kStages) t.columns.push_back({k, k, Unit::Money});
  for (const char* k : {"fund_after", "vault_after", "treasury_after"}) t.columns.push_back({k, k, Unit::Money});
  t.columns.push_back({"liquidations", "liquidations", Unit::Count});
  auto n = [](const Json& v) { return report::num(v.is_number() ? v.get<double>() : NAN); };
  for (const auto& s : r["steps"]) {
    std::vector<report::Cell> row;
    for (const char* k : {"t_days", "price", "liquidated_notional", "bad_debt", "penalties_to_fund", "fee_inflow", "revaluation"})
      row.push_back(n(s[k]));
    for (const char* k : kStages) row.push_back(n(s["waterfall"][k]));
    for (const char* k : {"fund_after", "vault_after", "treasury_after", "liquidations"}) row.push_back(n(s[k]));
    t.rows.push_back(std::move(row));
  }
  return report::csv(t);
}

}  // namespace backstop::cli
