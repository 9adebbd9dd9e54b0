// Markdown and CSV for `sweep`: one row per point, the table a delegate pastes under a proposal.
#include <sstream>

#include "format.hpp"

namespace backstop::cli {

namespace {
std::string axisName(const Json& r, size_t i) { return r["parameters"][i].value("pointer", std::string("?")); }
}  // namespace

std::string sweepMarkdown(const Json& input, const Json& r) {
  std::ostringstream o;
  const std::string name = input.is_object() ? input.value("name", std::string("scenario")) : "scenario";
  const size_t axes = r["parameters"].size();
  o << "### backstop sweep: " << name << "\n\n|";
  for (size_t i = 0; i < axes; ++i) o << " `" << axisName(r, i) << "` |";
  o << " P(fund depleted) | 95 % interval | required fund | required / OI | P(ADL or worse) | mean bad debt |\n|";
  for (size_t i = 0; i < axes + 6; ++i) o << "---|";
  o << "\n";
  for (const auto& p : r["points"]) {
    o << "|";
    for (const auto& v : p["at"]) o << " " << fmtNumber(v) << " |";
    const Json& dp = p["depletion_probability"];
    const Json& rf = p["required_fund"];
    o << " " << fmtPercent(dp["estimate"]) << " | " << fmtPercent(dp["ci95"][0]) << " – " << fmtPercent(dp["ci95"][1])
      << " | " << fmtMoney(rf["amount"]) << " | " << fmtPercent(rf["ratio_to_open_interest"]) << " | "
      << fmtPercent(p["adl_probability"]) << " | " << fmtMoney(p["bad_debt"]["mean"]) << " |\n";
  }
  o << "\nRequired fund for P(depletion) = "
    << (r["points"].empty() ? std::string("n/a") : fmtPercent(r["points"][0]["required_fund"]["target"])) << ". "
    << fmtNumber(r["paths"]) << " paths per point, seed " << fmtNumber(r["seed"])
    << ", common random numbers (the same streams at every point), backstop " << r.value("version", "") << ".\n";
  return o.str();
}

std::string sweepCsv(const Json& r) {
  std::ostringstream o;
  const size_t axes = r["parameters"].size();
  for (size_t i = 0; i < axes; ++i) o << axisName(r, i) << ",";
  o << "depletion_probability,ci95_low,ci95_high,events,required_fund,required_fund_ci95_low,required_fund_ci95_high,"
       "ratio_to_open_interest,adl_probability,bad_debt_mean,bad_debt_var99,bad_debt_es99\n";
  for (const auto& p : r["points"]) {
    for (const auto& v : p["at"]) o << fmtNumber(v, 12) << ",";
    const Json& dp = p["depletion_probability"];
    const Json& rf = p["required_fund"];
    const Json& bd = p["bad_debt"];
    for (const Json* v : {&dp["estimate"], &dp["ci95"][0], &dp["ci95"][1], &dp["events"], &rf["amount"], &rf["ci95"][0],
                          &rf["ci95"][1], &rf["ratio_to_open_interest"], &p["adl_probability"], &bd["mean"],
                          &bd["var99"], &bd["es99"]})
      o << (v->is_null() ? std::string() : fmtNumber(*v, 12)) << (v == &bd["es99"] ? "\n" : ",");
  }
  return o.str();
}

}  // namespace backstop::cli
