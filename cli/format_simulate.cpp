// Markdown for `simulate` and `size`: the headline numbers a delegate pastes into a forum post.
#include <sstream>

#include "format.hpp"

namespace backstop::cli {

std::string simulateMarkdown(const Json& input, const Json& r) {
  std::ostringstream o;
  const std::string name = input.is_object() ? input.value("name", std::string("scenario")) : "scenario";
  const bool sizeOnly = !r.contains("depletion_probability") || !r.contains("bad_debt");
  o << "### backstop " << (sizeOnly ? "size" : "simulate") << ": " << name << "\n\n";
  const Json& policy = input.is_object() && input.contains("policy") ? input["policy"] : Json();
  o << presetLine(input, policy.is_object() ? policy.value("preset", std::string("generic")) : "generic");
  const Json& rf = sizeOnly ? r : r["required_fund"];
  const Json& dp = r["depletion_probability"];
  o << "| result | value | 95 % interval |\n|---|---|---|\n";
  if (!dp.is_null())
    o << "| P(fund depleted within horizon) | " << fmtPercent(dp["estimate"]) << " | " << fmtPercent(dp["ci95"][0])
      << " – " << fmtPercent(dp["ci95"][1]) << " |\n";
  o << "| required fund for P = " << fmtPercent(rf["target"]) << " | " << fmtMoney(rf["amount"]) << " | "
    << fmtMoney(rf["ci95"][0]) << " – " << fmtMoney(rf["ci95"][1]) << " |\n";
  o << "| required fund / open interest | " << fmtPercent(rf["ratio_to_open_interest"]) << " | |\n";
  if (!sizeOnly) {
    o << "| P(ADL or worse) | " << fmtPercent(r["adl_probability"]) << " | " << fmtPercent(r["adl_probability_ci95"][0])
      << " – " << fmtPercent(r["adl_probability_ci95"][1]) << " |\n";
    const Json& bd = r["bad_debt"];
    o << "| expected bad debt over the horizon | " << fmtMoney(bd["mean"]) << " | |\n";
    o << "| bad debt VaR 95 % / ES 95 % | " << fmtMoney(bd["var95"]) << " / " << fmtMoney(bd["es95"]) << " | |\n";
    o << "| bad debt VaR 99 % / ES 99 % | " << fmtMoney(bd["var99"]) << " / " << fmtMoney(bd["es99"]) << " | |\n";
    if (bd.contains("var999"))
      o << "| bad debt VaR 99.9 % / ES 99.9 % | " << fmtMoney(bd["var999"]) << " / " << fmtMoney(bd["es999"]) << " | |\n";
    o << "| liquidated notional, mean / max | " << fmtMoney(r["liquidated_notional"]["mean"]) << " / "
      << fmtMoney(r["liquidated_notional"]["max"]) << " | |\n";
  }
  o << "\n";
  if (r.contains("fund_balance"))
    o << "Fund " << fmtMoney(r["fund_balance"]) << ", open interest " << fmtMoney(r["open_interest"]) << " per side, horizon "
      << fmtNumber(r["horizon_days"]) << " days. ";
  o << fmtNumber(r["paths"]) << " paths, seed " << fmtNumber(r["seed"]) << ", backstop " << r.value("version", "")
    << ". Depletion events: " << fmtNumber(dp.is_null() ? Json(nullptr) : dp["events"]) << ".\n";
  if (!dp.is_null() && dp.value("method", std::string()) == "importance_sampling")
    o << "Importance sampling (paths weighted by their likelihood ratios): relative error ±"
      << fmtPercent(dp["relative_error"]) << ", as precise as " << fmtNumber(dp["effective_paths"]) << " plain paths.\n";
  if (r.contains("markets")) {
    const bool own = r.value("fund_scope", std::string()) == "per_market";
    o << "\n#### Per market (" << (own ? "each with its own fund" : "one shared fund") << ")\n\n"
      << "| market | open interest | mean bad debt | share of bad debt | bad debt VaR 99 % | mean liquidated | P(depletes "
      << (own ? "its own fund" : "the whole fund alone") << ") | fund it needs alone |\n|---|---:|---:|---:|---:|---:|---:|---:|\n";
    for (const auto& m : r["markets"])
      o << "| " << m.value("symbol", std::string()) << " | " << fmtMoney(m["open_interest"]) << " | "
        << fmtMoney(m["bad_debt"]["mean"]) << " | " << fmtPercent(m["share_of_bad_debt"], 1) << " | "
        << fmtMoney(m["bad_debt"]["var99"]) << " | " << fmtMoney(m["liquidated_notional"]["mean"]) << " | "
        << fmtPercent(m["depletion_probability"]["estimate"]) << " | " << fmtMoney(m["required_fund"]["amount"]) << " |\n";
    o << "\nIf the markets failed independently, the chance that at least one of them depletes "
      << (own ? "its own fund" : "the fund on its own") << " would be "
      << fmtPercent(r["independent_markets_depletion_probability"]) << ".\n";
  }
  if (r.contains("treasury"))
    o << "\nTreasury " << fmtMoney(r["treasury"]["amount"]) << " released " << fmtNumber(r["treasury"]["delay_days"])
      << " days after the fund first fails to cover a loss; P(ADL or worse) counts it.\n";
  for (const auto& w : r.value("warnings", Json::array())) o << "\n> warning: " << w.get<std::string>() << "\n";
  return o.str();
}

}  // namespace backstop::cli
