// `stress` as Markdown a delegate can paste into a forum post, and as CSV for spreadsheets.
#include <algorithm>
#include <cstdio>
#include <sstream>
#include <string>

#include "backstop/errors.hpp"
#include "backstop/model/names.hpp"
#include "format.hpp"

namespace backstop::cli {

namespace {

constexpr size_t kMaxPositionRows = 20;

double number(const Json& v) { return v.is_number() ? v.get<double>() : 0.0; }

// A member by reference (never a copy: rows keep pointers into it), or an empty value.
const Json& member(const Json& j, const char* key) {
  static const Json kNull;
  if (!j.is_object()) return kNull;
  const auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}
const Json& list(const Json& j, const char* key) {
  static const Json kEmpty = Json::array();
  const Json& m = member(j, key);
  return m.is_array() ? m : kEmpty;
}

std::string shockLabel(const Json& shock) {
  if (!shock.is_number()) return fmtNumber(shock);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f %%", 100.0 * shock.get<double>());
  return buf;
}

// Markdown table cells must not break the table.
std::string cell(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  return out;
}

std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string csvNumber(const Json& v) {
  if (!v.is_number()) return v.is_boolean() ? (v.get<bool>() ? "true" : "false") : "";
  return formatValue(v.get<double>());  // shortest form that reads back to the same double
}

// The waterfall's columns: every stage of the name table (model/names.hpp), then what is left.
struct Column {
  std::string key, label;
};
const std::vector<Column>& waterfallColumns() {
  static const std::vector<Column> columns = [] {
    std::vector<Column> c;
    for (const auto& e : namesOf<Stage>().entries) c.push_back({e.id, e.label});
    c.push_back({"uncovered", "uncovered (insolvent)"});
    return c;
  }();
  return columns;
}

std::string shareOf(double part, double whole) {
  if (!(whole > 0)) return "";
  return fmtPercent(part / whole, 1);
}

std::string fmtLeverage(const Json& v) { return v.is_number() ? fmtNumber(v, 3) + "×" : std::string("unbounded"); }

// The event's ADL in a sentence, then "who bears the loss": the same ADL allocated once under
// every rule on a copy of the event's book.
void adlSection(std::ostringstream& out, const Json& e) {
  const Json& a = member(e, "adl_summary");
  if (!a.is_object()) return;
  const std::string rule = a.value("rule", std::string());
  out << "ADL (`" << cell(rule) << "`): " << fmtNumber(a.value("counterparties", Json())) << " accounts closed "
      << fmtNumber(a.value("quantity", Json())) << " units and lost " << fmtMoney(a.value("loss", Json()))
      << "; the largest account leverage (remaining notional / equity after the ADL loss) went from "
      << fmtLeverage(a.value("max_leverage_before", Json())) << " to " << fmtLeverage(a.value("max_leverage_after", Json()))
      << "; ADL took at most " << fmtPercent(a.value("largest_haircut_share", Json()), 1)
      << " of one trader's unrealised profit.\n\n";
  const Json& rules = list(e, "adl_comparison");
  if (rules.empty()) return;
  out << "Who bears the loss: this event's ADL quantity, at its average loss per unit, allocated once under each "
         "rule on the book as it stood at the first ADL fill.\n\n"
      << "| rule | accounts hit | loss taken | max leverage after | largest haircut share |\n"
      << "|---|---:|---:|---:|---:|\n";
  for (const auto& r : rules) {
    const std::string name = r.value("rule", std::string());
    const auto known = fromId<AdlRanking>(name);
    out << "| `" << cell(name) << "` " << (known ? labelOf(*known) : "") << (name == rule ? " (this policy)" : "") << " | "
        << fmtNumber(r.value("counterparties", Json())) << " | " << fmtMoney(r.value("loss", Json())) << " | "
        << fmtLeverage(r.value("max_leverage_after", Json())) << " | "
        << fmtPercent(r.value("largest_haircut_share", Json()), 1) << " |\n";
  }
  out << "\n";
}

}  // namespace

std::string stressMarkdown(const Json& input, const Json& result) {
  std::ostringstream out;
  const Json& events = list(result, "events");
  const std::string name = result.value("scenario", std::string("scenario"));
  out << "### Stress test: " << cell(name) << "\n\n";
  if (input.is_object() && input.contains("market") && input["market"].is_object()) {
    const Json& m = input["market"];
    out << "Market " << cell(m.value("symbol", std::string("?"))) << " at " << fmtMoney(m.value("mark_price", Json()))
        << ", maintenance margin " << fmtPercent(m.value("maintenance_margin_rate", Json())) << "; ";
  }
  out << "insurance fund before each shock "
      << fmtMoney(result.value("fund_before", Json()));
  const Json& vault = member(member(input, "fund"), "backstop_vault");
  if (vault.is_number() && vault.get<double>() > 0) out << ", backstop vault " << fmtMoney(vault);
  out << ". Each shock is an independent, instantaneous move of "
      << "the mark applied to the book as it is now. Amounts in quote units.\n\n";
  out << presetLine(input, result.value("preset", std::string("generic")));

  out << "| shock | mark after | liquidated notional | bad debt | penalties to fund |";
  for (const auto& c : waterfallColumns()) out << " " << c.label << " |";
  out << " fund after | ADL fills |\n|---:|---:|---:|---:|---:|";
  for (size_t i = 0; i < waterfallColumns().size(); ++i) out << "---:|";
  out << "---:|---:|\n";
  for (const auto& e : events) {
    const Json& w = member(e, "waterfall");
    out << "| " << shockLabel(e.value("shock", Json())) << " | " << fmtMoney(e.value("mark_after", Json())) << " | "
        << fmtMoney(e.value("liquidated_notional", Json())) << " | " << fmtMoney(e.value("bad_debt", Json())) << " | "
        << fmtMoney(e.value("penalties_to_fund", Json())) << " |";
    for (const auto& c : waterfallColumns()) out << " " << fmtMoney(w.value(c.key, Json())) << " |";
    out << " " << fmtMoney(e.value("fund_after", Json())) << " | " << list(e, "adl_fills").size() << " |\n";
  }

  for (const auto& e : events) {
    const std::string label = shockLabel(e.value("shock", Json()));
    const double debt = number(e.value("bad_debt", Json()));
    out << "\n#### Shock " << label << "\n\n";
    if (debt > 0) {
      const Json& w = member(e, "waterfall");
      out << "Bad debt " << fmtMoney(debt) << " covered by: ";
      bool first = true;
      for (const auto& [key, text] : waterfallColumns()) {
        const double v = number(w.value(key, Json()));
        if (!(v > 0)) continue;
        out << (first ? "" : ", ") << text << " " << fmtMoney(v) << " (" << shareOf(v, debt) << ")";
        first = false;
      }
      out << ".\n\n";
      adlSection(out, e);
    } else {
      out << "No bad debt.\n\n";
    }
    for (const auto& ps : list(e, "pool_pnl")) {
      // GMX v2: the LP pool pays traders' profits, capped, and deleverages above its ADL trigger.
      const Json& f = ps.value("pnl_to_pool_factor", Json());
      out << "Pool: " << cell(ps.value("side", std::string())) << "s' PnL " << fmtMoney(ps.value("pnl", Json()))
          << " against pool " << fmtMoney(ps.value("pool_usd", Json())) << " (PnL/pool "
          << (f.is_number() ? fmtPercent(f, 1) : std::string("unbounded")) << "); profits paid at "
          << fmtPercent(ps.value("capped_pnl_ratio", Json()), 1) << " of their value";
      if (ps.value("adl", false)) {
        const Json& fa = ps.value("pnl_to_pool_factor_after", Json());
        out << "; above the ADL trigger: " << list(ps, "fills").size() << " profitable positions closed, "
            << fmtMoney(ps.value("paid_to_traders", Json())) << " paid, " << fmtMoney(ps.value("haircut", Json()))
            << " withheld by the cap, PnL/pool after " << (fa.is_number() ? fmtPercent(fa, 1) : std::string("unbounded"));
      }
      out << ".\n\n";
    }
    std::vector<const Json*> liquidated;
    for (const auto& p : list(e, "positions"))
      if (p.value("liquidated", false)) liquidated.push_back(&p);
    if (liquidated.empty()) {
      out << "No position liquidated.\n";
      continue;
    }
    // Largest bad debt first, then largest penalty: the rows a reader wants to see.
    std::stable_sort(liquidated.begin(), liquidated.end(), [](const Json* a, const Json* b) {
      const double da = number(a->value("bad_debt", Json())), db = number(b->value("bad_debt", Json()));
      if (da != db) return da > db;
      return number(a->value("penalty", Json())) > number(b->value("penalty", Json()));
    });
    out << "| liquidated position | execution price | bad debt | penalty | returned to trader | note |\n"
        << "|---|---:|---:|---:|---:|---|\n";
    for (size_t i = 0; i < liquidated.size() && i < kMaxPositionRows; ++i) {
      const Json& p = *liquidated[i];
      const bool backstopped = p.value("backstopped", false);
      std::string note;
      const double deleveraged = number(p.value("deleveraged_quantity", Json()));
      const double remaining = number(p.value("remaining_quantity", Json()));
      if (deleveraged > 0)
        note = "book filled " + fmtNumber(p.value("liquidated_quantity", Json()).is_number()
                                              ? Json(number(p.value("liquidated_quantity", Json())) - deleveraged)
                                              : Json()) +
               ", deleveraged " + fmtNumber(Json(deleveraged)) + " at bankruptcy";
      else if (backstopped) note = "taken over at the mark (backstop / deleveraged)";
      if (remaining > 0)
        note += std::string(note.empty() ? "" : "; ") + "partial: " + fmtNumber(p.value("liquidated_quantity", Json())) +
                " closed, " + fmtNumber(Json(remaining)) + " still open";
      out << "| " << cell(p.value("id", std::string())) << " | " << fmtMoney(p.value("execution_price", Json()))
          << " | " << fmtMoney(p.value("bad_debt", Json())) << " | " << fmtMoney(p.value("penalty", Json())) << " | "
          << fmtMoney(p.value("returned", Json())) << " | " << note << " |\n";
    }
    if (liquidated.size() > kMaxPositionRows)
      out << "\n… and " << liquidated.size() - kMaxPositionRows << " more liquidated positions (see --format csv).\n";
    const Json& fills = list(e, "adl_fills");
    if (!fills.empty()) {
      out << "\n| deleveraged counterparty | quantity | close price | loss vs mark |\n|---|---:|---:|---:|\n";
      for (size_t i = 0; i < fills.size() && i < kMaxPositionRows; ++i)
        out << "| " << cell(fills[i].value("id", std::string())) << " | " << fmtNumber(fills[i].value("quantity", Json()))
            << " | " << fmtMoney(fills[i].value("price", Json())) << " | " << fmtMoney(fills[i].value("loss", Json()))
            << " |\n";
      if (fills.size() > kMaxPositionRows)
        out << "\n… and " << fills.size() - kMaxPositionRows << " more ADL fills.\n";
    }
  }
  out << "\n_backstop " << cell(result.value("version", std::string("?"))) << "_\n";
  return out.str();
}

std::string stressCsv(const Json& result) {
  std::ostringstream out;
  const Json& events = list(result, "events");
  out << "shock,mark_after,liquidated_notional,bad_debt,penalties_to_fund,";
  for (const auto& c : waterfallColumns()) out << c.key << ",";
  out << "fund_after,adl_fills\n";
  for (const auto& e : events) {
    const Json& w = member(e, "waterfall");
    out << csvNumber(e.value("shock", Json())) << "," << csvNumber(e.value("mark_after", Json())) << ","
        << csvNumber(e.value("liquidated_notional", Json())) << "," << csvNumber(e.value("bad_debt", Json())) << ","
        << csvNumber(e.value("penalties_to_fund", Json())) << ",";
    for (const auto& c : waterfallColumns()) out << csvNumber(w.value(c.key, Json())) << ",";
    out << csvNumber(e.value("fund_after", Json())) << "," << list(e, "adl_fills").size() << "\n";
  }
  out << "\nshock,id,liquidated,execution_price,bad_debt,penalty,returned,backstopped\n";
  for (const auto& e : events) {
    const std::string shock = csvNumber(e.value("shock", Json()));
    for (const auto& p : list(e, "positions")) {
      out << shock << "," << csvField(p.value("id", std::string())) << ","
          << (p.value("liquidated", false) ? "true" : "false") << "," << csvNumber(p.value("execution_price", Json()))
          << "," << csvNumber(p.value("bad_debt", Json())) << "," << csvNumber(p.value("penalty", Json())) << ","
          << csvNumber(p.value("returned", Json())) << "," << (p.value("backstopped", false) ? "true" : "false")
          << "\n";
    }
  }
  return out.str();
}

}  // namespace backstop::cli
