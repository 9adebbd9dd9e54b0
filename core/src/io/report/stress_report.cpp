// `stress` as tables (CSV) and Markdown a delegate can paste into a forum post. Every stage of
// the waterfall and every balance after the event is a column, so each row adds up: the stages
// plus `uncovered` equal `bad_debt`.
#include <algorithm>
#include <sstream>

#include "backstop/model/names.hpp"
#include "reports.hpp"

namespace backstop::report {

namespace {

constexpr size_t kMaxPositionRows = 20;

double stageAmount(const WaterfallSplit& w, Stage s) {
  switch (s) {
    case Stage::InsuranceFund: return w.insuranceFund;
    case Stage::Treasury: return w.treasury;
    case Stage::FeePool: return w.feePool;
    case Stage::BackstopVault: return w.backstopVault;
    case Stage::Adl: return w.adl;
    case Stage::SocializedLoss: return w.socializedLoss;
  }
  return 0;
}

// The events table's columns: the one list the CSV and the Markdown both use.
std::vector<Column> eventColumns() {
  std::vector<Column> c = {{"shock", "shock", Unit::Shock},
                           {"market", "market", Unit::Text},
                           {"mark_after", "mark after", Unit::Price},
                           {"liquidated_notional", "liquidated notional", Unit::Money},
                           {"bad_debt", "bad debt", Unit::Money}};
  for (const auto& e : namesOf<Stage>().entries) c.push_back({e.id, std::string("paid by ") + e.label, Unit::Money});
  c.push_back({"uncovered", "uncovered (insolvent)", Unit::Money});
  for (const Column& k : std::vector<Column>{{"penalties_to_fund", "penalties to fund", Unit::Money},
                                             {"penalties_to_vault", "penalties to vault", Unit::Money},
                                             {"fund_after", "fund after", Unit::Money},
                                             {"vault_after", "vault after", Unit::Money},
                                             {"fee_pool_after", "fee pool after", Unit::Money},
                                             {"treasury_after", "treasury after", Unit::Money},
                                             {"cascade_rounds", "cascade rounds", Unit::Count},
                                             {"adl_fills", "ADL fills", Unit::Count}})
    c.push_back(k);
  return c;
}

std::vector<Cell> eventRow(const StressEvent& e, double shock, const std::string& market) {
  std::vector<Cell> row = {num(shock), txt(market), num(e.markAfter), num(e.liquidatedNotional), num(e.badDebt)};
  for (const auto& s : namesOf<Stage>().entries) row.push_back(num(stageAmount(e.waterfall, Stage(s.value))));
  for (double v : {e.waterfall.uncovered, e.penaltiesToFund, e.penaltiesToVault, e.fundAfter, e.vaultAfter, e.feePoolAfter,
                   e.treasuryAfter, double(e.cascadeRounds), double(e.adlFills.size())})
    row.push_back(num(v));
  return row;
}

const char* const kAllMarkets = "all markets";

const Json& member(const Json& j, const char* key) {
  static const Json kNull;
  return j.is_object() && j.contains(key) ? j[key] : kNull;
}

// A single market's symbol (its events carry none of their own).
std::string singleSymbol(const Json& input) {
  const Json& symbol = member(member(input, "market"), "symbol");
  return symbol.is_string() ? symbol.get<std::string>() : std::string();
}

Table eventsTable(const StressResult& r, const Json& input) {
  Table t{"events", eventColumns(), {}};
  for (const auto& e : r.events) {
    // Several markets: each market's own row, then the event as a whole.
    for (const auto& m : e.markets) t.rows.push_back(eventRow(m, e.shock, m.symbol));
    t.rows.push_back(eventRow(e, e.shock, e.markets.empty() ? singleSymbol(input) : kAllMarkets));
  }
  return t;
}

std::vector<Column> positionColumns() {
  return {{"shock", "shock", Unit::Shock},
          {"id", "position", Unit::Text},
          {"liquidated", "liquidated", Unit::Text},
          {"execution_price", "execution price", Unit::Price},
          {"liquidated_quantity", "closed", Unit::Quantity},
          {"deleveraged_quantity", "deleveraged at bankruptcy", Unit::Quantity},
          {"remaining_quantity", "still open", Unit::Quantity},
          {"bad_debt", "bad debt", Unit::Money},
          {"penalty", "penalty", Unit::Money},
          {"returned", "returned to trader", Unit::Money},
          {"backstopped", "taken over (backstop / deleveraged)", Unit::Text}};
}

std::vector<Cell> positionRow(double shock, const PositionOutcome& p) {
  const bool l = p.liquidated;
  return {num(shock),
          txt(p.id),
          txt(l ? "yes" : "no"),
          num(l ? p.executionPrice : NAN),
          num(l ? p.liquidatedQuantity : 0),
          num(p.deleveragedQuantity),
          num(p.remainingQuantity),
          num(p.badDebt),
          num(p.penalty),
          num(p.returned),
          txt(p.backstopped ? "yes" : "no")};
}

std::vector<Column> fillColumns() {
  return {{"shock", "shock", Unit::Shock},
          {"id", "deleveraged counterparty", Unit::Text},
          {"quantity", "quantity", Unit::Quantity},
          {"price", "close price", Unit::Price},
          {"loss", "loss vs mark", Unit::Money}};
}

std::vector<Cell> fillRow(double shock, const AdlFill& f) {
  return {num(shock), txt(f.id), num(f.quantity), num(f.price), num(f.loss)};
}

void adlSection(std::ostringstream& out, const StressEvent& e) {
  if (!e.adlSummary) return;
  const AdlSummary& a = *e.adlSummary;
  out << "ADL (" << markdownText(labelOf(a.rule)) << "): " << formatNumber(a.counterparties, Unit::Count)
      << " accounts closed " << formatNumber(a.quantity, Unit::Quantity) << " units and lost "
      << formatNumber(a.loss, Unit::Money) << "; the largest account leverage (remaining notional / equity after the ADL loss) went from "
      << formatNumber(a.maxLeverageBefore, Unit::Leverage) << " to " << formatNumber(a.maxLeverageAfter, Unit::Leverage)
      << "; ADL took at most " << formatNumber(a.largestHaircutShare, Unit::Share) << " of one trader's unrealised profit.\n\n";
  if (e.adlComparison.empty()) return;
  Table t{"adl_comparison",
          {{"rule", "rule", Unit::Text},
           {"counterparties", "accounts hit", Unit::Count},
           {"loss", "loss taken", Unit::Money},
           {"max_leverage_after", "max leverage after", Unit::Leverage},
           {"largest_haircut_share", "largest haircut share", Unit::Share}},
          {}};
  for (const auto& r : e.adlComparison)
    t.rows.push_back({txt(std::string(labelOf(r.rule)) + (r.rule == a.rule ? " (this policy)" : "")),
                      num(r.counterparties), num(r.loss), num(r.maxLeverageAfter), num(r.largestHaircutShare)});
  out << "Who bears the loss: this event's ADL quantity, at its average loss per unit, allocated once under each "
         "rule on the book as it stood at the first ADL fill.\n\n"
      << markdown(t) << "\n";
}

void poolSection(std::ostringstream& out, const StressEvent& e) {
  for (const auto& ps : e.pool) {
    // GMX v2: the LP pool pays traders' profits, capped, and deleverages above its ADL trigger.
    out << "Pool: " << toString(ps.side) << "s' PnL " << formatNumber(ps.pnl, Unit::Money) << " against pool "
        << formatNumber(ps.poolUsd, Unit::Money) << " (PnL/pool "
        << (std::isfinite(ps.factor) ? formatNumber(ps.factor, Unit::Share) : "unbounded") << "); profits paid at "
        << formatNumber(ps.cappedRatio, Unit::Share) << " of their value";
    if (ps.adl)
      out << "; above the ADL trigger: " << ps.fills.size() << " profitable positions closed, "
          << formatNumber(ps.paid, Unit::Money) << " paid, " << formatNumber(ps.haircut, Unit::Money)
          << " withheld by the cap, PnL/pool after "
          << (std::isfinite(ps.factorAfter) ? formatNumber(ps.factorAfter, Unit::Share) : "unbounded");
    out << ".\n\n";
  }
}

void eventSection(std::ostringstream& out, const StressEvent& e) {
  out << "#### Shock " << formatNumber(e.shock, Unit::Shock) << "\n\n";
  if (e.badDebt > 0) {
    out << "Bad debt " << formatNumber(e.badDebt, Unit::Money) << " covered by: ";
    bool first = true;
    auto part = [&](const std::string& label, double v) {
      if (!(v > 0)) return;
      out << (first ? "" : ", ") << label << " " << formatNumber(v, Unit::Money) << " ("
          << formatNumber(v / e.badDebt, Unit::Share) << ")";
      first = false;
    };
    for (const auto& s : namesOf<Stage>().entries) part(s.label, stageAmount(e.waterfall, Stage(s.value)));
    part("uncovered (insolvent)", e.waterfall.uncovered);
    out << ".\n\n";
    adlSection(out, e);
  } else {
    out << "No bad debt.\n\n";
  }
  poolSection(out, e);
  std::vector<const PositionOutcome*> liquidated;
  for (const auto& p : e.positions)
    if (p.liquidated) liquidated.push_back(&p);
  if (liquidated.empty()) {
    out << "No position liquidated.\n\n";
    return;
  }
  // Largest bad debt first, then largest penalty: the rows a reader wants to see.
  std::stable_sort(liquidated.begin(), liquidated.end(), [](const PositionOutcome* a, const PositionOutcome* b) {
    if (a->badDebt != b->badDebt) return a->badDebt > b->badDebt;
    return a->penalty > b->penalty;
  });
  Table t{"positions", positionColumns(), {}};
  for (size_t i = 0; i < liquidated.size() && i < kMaxPositionRows; ++i) t.rows.push_back(positionRow(e.shock, *liquidated[i]));
  out << markdown(t);
  if (liquidated.size() > kMaxPositionRows)
    out << "\n… and " << liquidated.size() - kMaxPositionRows << " more liquidated positions (CSV table `positions`).\n";
  out << "\n";
  if (!e.adlFills.empty()) {
    Table f{"adl_fills", fillColumns(), {}};
    for (size_t i = 0; i < e.adlFills.size() && i < kMaxPositionRows; ++i) f.rows.push_back(fillRow(e.shock, e.adlFills[i]));
    out << markdown(f);
    if (e.adlFills.size() > kMaxPositionRows)
      out << "\n… and " << e.adlFills.size() - kMaxPositionRows << " more ADL fills (CSV table `adl_fills`).\n";
    out << "\n";
  }
}

// "Market SOL-USDT at 150, maintenance margin 1.00 %": each market of the input.
std::string marketsLine(const Json& input) {
  std::vector<const Json*> markets;
  if (member(input, "market").is_object()) markets.push_back(&input["market"]);
  for (const auto& m : member(input, "markets").is_array() ? input["markets"] : Json::array())
    if (member(m, "market").is_object()) markets.push_back(&m["market"]);
  std::string out;
  for (const Json* m : markets) {
    const Json& mark = member(*m, "mark_price");
    const Json& mmr = member(*m, "maintenance_margin_rate");
    out += (out.empty() ? "Market " : "; market ") + markdownText(member(*m, "symbol").is_string() ? (*m)["symbol"].get<std::string>() : "?") +
           " at " + formatNumber(mark.is_number() ? mark.get<double>() : NAN, Unit::Price) + ", maintenance margin " +
           formatNumber(mmr.is_number() ? mmr.get<double>() : NAN, Unit::Probability);
  }
  return out.empty() ? out : out + ". ";
}

}  // namespace

std::vector<Table> stressTables(const StressResult& r, const Json& input) {
  Table positions{"positions", positionColumns(), {}}, adlFills{"adl_fills", fillColumns(), {}};
  for (const auto& e : r.events) {
    for (const auto& p : e.positions) positions.rows.push_back(positionRow(e.shock, p));
    for (const auto& f : e.adlFills) adlFills.rows.push_back(fillRow(e.shock, f));
  }
  return {eventsTable(r, input), positions, adlFills};
}

std::string stressMarkdown(const StressResult& r, const Json& input) {
  std::ostringstream out;
  out << "### Stress test: " << markdownText(r.scenario.empty() ? "scenario" : r.scenario) << "\n\n";
  out << marketsLine(input) << "Insurance fund before each shock " << formatNumber(r.fundBefore, Unit::Money);
  const Json& vault = member(member(input, "fund"), "backstop_vault");
  if (vault.is_number() && vault.get<double>() > 0) out << ", backstop vault " << formatNumber(vault.get<double>(), Unit::Money);
  out << ". Each shock is an independent, instantaneous move of the mark applied to the book as it is now. "
         "Amounts in quote units; each row's stages and uncovered part add up to its bad debt.\n\n";
  out << presetLine(input, idOf(r.preset));
  out << markdown(eventsTable(r, input)) << "\n";
  for (const auto& e : r.events) eventSection(out, e);
  out << "_backstop " << markdownText(version()) << "_\n";
  return out.str();
}

}  // namespace backstop::report
