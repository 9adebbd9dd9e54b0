// Which report each command writes, `validate` and `position` reports, and the wasm `report`
// command (io/report.hpp).

#include "backstop/io/json_read.hpp"
#include "backstop/io/scenario_reader.hpp"
#include "backstop/model/names.hpp"
#include "reports.hpp"

namespace backstop::report {


namespace {
// A value as JSON text with numbers in plain decimal: 200000.0 in a file and 200000 from JS
// read the same.
std::string plainJson(const Json& v) {
  if (v.is_number()) return csvNumber(v.get<double>(), Unit::Number);
  if (v.is_array()) {
    std::string out = "[";
    for (size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + plainJson(v[i]);
    return out + "]";
  }
  if (v.is_object()) {
    std::string out = "{";
    for (auto it = v.begin(); it != v.end(); ++it)
      out += (it == v.begin() ? "" : ",") + Json(it.key()).dump() + ":" + plainJson(*it);
    return out + "}";
  }
  return v.dump(-1, ' ', false, Json::error_handler_t::replace);
}
}  // namespace

std::string presetLine(const Json& input, const std::string& preset) {
  Text out;
  out << "Policy " << markdownText(preset);
  std::vector<std::string> given;
  const Json& policy = member(input, "policy");
  if (policy.is_object())
    for (auto it = policy.begin(); it != policy.end(); ++it)
      if (it.key() != "preset" && !it->is_null())
        given.push_back(markdownText(it.key()) + " = " + markdownText(plainJson(*it)));
  if (given.empty()) {
    out << ", as the preset.";
  } else {
    out << "; overrides: ";
    for (size_t i = 0; i < given.size(); ++i) out << (i ? ", " : "") << given[i];
    out << ".";
  }
  return out.str() + inEffectLine(input) + "\n\n";
}

std::string inEffectLine(const Json& input) {
  std::vector<std::pair<std::string, Json>> markets;
  try {
    const Json all = policyCommand(input, RunOptions{});
    for (const auto& m : all["markets"]) markets.emplace_back(m["symbol"].get<std::string>(), m["policy"]);
  } catch (const std::exception&) {
    return "";  // no scenario to read (a result reported on its own)
  }
  // Markets under one policy are named once.
  bool same = true;
  for (const auto& m : markets) same = same && m.second == markets[0].second;
  if (same && markets.size() > 1) markets.resize(1);
  Text out;
  out << " In effect";
  for (size_t i = 0; i < markets.size(); ++i) {
    const Json& p = markets[i].second;
    const Json& pen = p["penalty"];
    if (markets.size() > 1) out << (i ? "; " : " (") << markdownText(markets[i].first) << ":";
    else out << ":";
    if (pen["mode"] == "remaining_margin") out << " liquidation penalty the remaining margin";
    else out << " liquidation penalty " << formatNumber(pen["rate"].get<double>(), Unit::Probability) << " of the notional closed";
    // The ranking by its label, as the tables below name it.
    const std::string ranking = p["adl_ranking"].get<std::string>();
    const auto rule = fromId<AdlRanking>(ranking);
    out << " (" << formatNumber(pen["to_fund"].get<double>(), Unit::Share) << " to the fund), ADL ranking "
        << markdownText(rule ? labelOf(*rule) : ranking);
  }
  out << (markets.size() > 1 ? ")." : ".");
  return out.str();
}

std::vector<Table> validateTables(const std::vector<FieldError>& errors) {
  Table t{"errors", {{"pointer", "field (JSON pointer)", Unit::Text}, {"message", "problem", Unit::Text}}, {}};
  for (const auto& e : errors) t.rows.push_back({txt(e.pointer.empty() ? "(document)" : e.pointer), txt(e.message)});
  return {t};
}

std::string validateMarkdown(const std::vector<FieldError>& errors, const Json& input) {
  Text o;
  o << "### backstop validate: " << titleName(input, "document") << "\n\n";
  if (errors.empty()) return o.str() + "Valid: no problems found.\n";
  o << formatNumber(double(errors.size()), Unit::Count) << (errors.size() == 1 ? " problem" : " problems")
    << ", each at its field's JSON pointer:\n\n";
  Table t = validateTables(errors)[0];
  // Even one problem reads as a table with headers, not as field/value rows.
  o << "| " << markdownText(t.columns[0].label) << " | " << markdownText(t.columns[1].label) << " |\n|---|---|\n";
  for (const auto& row : t.rows) o << "| " << markdownText(row[0].text) << " | " << markdownText(row[1].text) << " |\n";
  return o.str();
}

std::vector<Table> positionTables(const PositionResult& r) {
  const PositionPrices& p = r.prices;
  return {{"position",
           {{"id", "position", Unit::Text},
            {"side", "side", Unit::Text},
            {"contract", "contract", Unit::Text},
            {"quantity", "quantity", Unit::Quantity},
            {"entry_price", "entry price", Unit::Price},
            {"collateral", r.contract == Contract::Inverse ? "collateral (coin)" : "collateral", Unit::Price},
            {"maintenance_margin_rate", "maintenance margin", Unit::Probability},
            {"liquidation_price", "liquidation price", Unit::Price},
            {"bankruptcy_price", "bankruptcy price", Unit::Price},
            {"notional", "notional at entry", Unit::Money},
            {"leverage", "leverage at entry", Unit::Leverage}},
           {{txt(r.position.id), txt(idOf(r.position.side)), txt(idOf(r.contract)), num(r.position.quantity),
             num(r.position.entryPrice), num(r.position.collateral), num(r.maintenanceMarginRate),
             num(p.liquidation.value_or(NAN)), num(p.bankruptcy.value_or(NAN)), num(p.notional), num(p.leverage)}}}};
}

std::string positionMarkdown(const PositionResult& r) {
  std::string out = "### backstop position: " + markdownText(r.position.id) + "\n\n" + markdown(positionTables(r)[0]);
  if (!r.prices.liquidation) out += "\nNo liquidation price: the collateral covers the position at any price.\n";
  return out;
}

std::vector<std::string> tableNames(const std::string& command) {
  if (command == "stress") return {"events", "positions", "adl_fills"};
  if (command == "simulate") return {"summary", "curve", "fund_quantiles", "markets"};
  if (command == "size") return {"summary", "curve"};
  if (command == "sweep") return {"points"};
  if (command == "validate") return {"errors"};
  if (command == "position") return {"position"};
  return {};
}

namespace {

std::string pick(const std::string& command, std::vector<Table> tables, const std::string& name) {
  if (name.empty()) return csv(tables.front());
  for (const auto& t : tables)
    if (t.name == name) return csv(t);
  // simulate's `markets` exists only for several markets: an empty table with its header then.
  std::string names;
  for (const auto& n : tableNames(command)) names += (names.empty() ? "" : ", ") + n;
  bool known = false;
  for (const auto& n : tableNames(command)) known = known || n == name;
  if (known) return "";
  throw InputError(ErrorCode::InvalidInput,
                   {{"/table", "\"" + name.substr(0, 40) + "\" is not a table of " + command + "; expected one of " + names}});
}

}  // namespace

std::string render(const std::string& command, Format format, const std::string& table, const Json& input,
                   const Json& result) {
  const bool md = format == Format::Markdown;
  if (command == "stress") {
    const StressResult r = readStress(result);
    return md ? stressMarkdown(r, input) : pick(command, stressTables(r, input), table);
  }
  if (command == "simulate") {
    const SimulationResult r = readSimulation(result);
    return md ? simulateMarkdown(r, input) : pick(command, simulateTables(r, input), table);
  }
  if (command == "size") {
    const SizeResult r = readSize(result);
    return md ? sizeMarkdown(r, input) : pick(command, sizeTables(r, input), table);
  }
  if (command == "sweep") {
    const SweepResult r = readSweep(result);
    return md ? sweepMarkdown(r, input) : pick(command, sweepTables(r), table);
  }
  if (command == "validate") {
    const std::vector<FieldError> errors = readValidation(result);
    return md ? validateMarkdown(errors, input) : pick(command, validateTables(errors), table);
  }
  if (command == "position") {
    const PositionResult r = readPosition(input, result);
    return md ? positionMarkdown(r) : pick(command, positionTables(r), table);
  }
  throw InputError(ErrorCode::InvalidInput,
                   {{"/command", "\"" + command.substr(0, 40) +
                                     "\" has no report here; expected stress, simulate, size, sweep, validate or position"}});
}

namespace {

const std::vector<std::pair<const char*, Unit>>& unitNames() {
  static const std::vector<std::pair<const char*, Unit>> names = {
      {"text", Unit::Text},         {"money", Unit::Money}, {"price", Unit::Price}, {"quantity", Unit::Quantity},
      {"probability", Unit::Probability}, {"share", Unit::Share}, {"point_change", Unit::PointChange},
      {"shock", Unit::Shock},       {"count", Unit::Count}, {"id", Unit::Id},       {"days", Unit::Days},
      {"leverage", Unit::Leverage}, {"number", Unit::Number}};
  return names;
}

// {"columns": [{"key", "label", "unit"}], "rows": [[number | string | null]]}: a caller's own
// table (the widget's parameter comparison) written by the same escape and number rules.
Table readTable(const Json& j, Issues& issues) {
  Table t{"table", {}, {}};
  const Json& cols = member(j, "columns");
  if (!cols.is_array() || cols.empty()) issues.add("/result/columns", "must be a non-empty array of {key, label, unit}");
  for (size_t i = 0; cols.is_array() && i < cols.size(); ++i) {
    Reader c(&cols[i], "/result/columns/" + std::to_string(i), issues);
    Column col;
    col.key = c.string("key", std::nullopt);
    col.label = c.string("label", col.key);
    std::vector<const char*> ids;
    for (const auto& u : unitNames()) ids.push_back(u.first);
    const std::string unit = c.choice("unit", std::string("text"), ids);
    for (const auto& u : unitNames())
      if (unit == u.first) col.unit = u.second;
    c.rejectUnknown();
    t.columns.push_back(col);
  }
  const Json& rows = member(j, "rows");
  if (!rows.is_array()) issues.add("/result/rows", "must be an array of rows");
  for (size_t i = 0; rows.is_array() && i < rows.size(); ++i) {
    const std::string at = "/result/rows/" + std::to_string(i);
    if (!rows[i].is_array() || rows[i].size() != t.columns.size()) {
      issues.add(at, "must be an array of " + std::to_string(t.columns.size()) + " cells");
      continue;
    }
    std::vector<Cell> row;
    for (size_t k = 0; k < t.columns.size(); ++k) {
      const Json& v = rows[i][k];
      if (t.columns[k].unit == Unit::Text) row.push_back(txt(v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump()));
      else if (v.is_number() || v.is_null()) row.push_back(num(v.is_number() ? v.get<double>() : NAN));
      else issues.add(at + "/" + std::to_string(k), "must be a number or null (the column's unit is not text)");
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

// Two simulate results side by side; probability changes in percentage points.
std::string comparisonMarkdown(const Json& input, const Json& result, const Json& proposedInput, const Json& proposed) {
  const Table a = simulateTables(readSimulation(result), input)[0];
  const Table b = simulateTables(readSimulation(proposed), proposedInput)[0];
  Table t{"comparison",
          {{"field", "result", Unit::Text}, {"current", "current", Unit::Text}, {"proposed", "proposed", Unit::Text},
           {"change", "change", Unit::Text}},
          {}};
  for (size_t i = 0; i < a.columns.size(); ++i) {
    const Column& c = a.columns[i];
    auto shown = [&c](const Cell& x) { return c.unit == Unit::Text ? x.text : formatNumber(x.number, c.unit); };
    const double delta = b.rows[0][i].number - a.rows[0][i].number;
    const std::string change = c.unit == Unit::Probability && std::isfinite(delta) ? formatNumber(delta, Unit::PointChange) : "";
    t.rows.push_back({txt(c.label), txt(shown(a.rows[0][i])), txt(shown(b.rows[0][i])), txt(change)});
  }
  return "### backstop simulate: " + titleName(input, "current") + " and " + titleName(proposedInput, "proposed") + "\n\n" +
         markdown(t);
}

}  // namespace

Json reportCommand(const Json& doc, const RunOptions&) {
  Issues issues;
  if (!doc.is_object()) throw InputError(ErrorCode::InvalidInput, {{"", "must be a JSON object"}});
  Reader r(&doc, "", issues);
  const std::string command =
      r.choice("command", std::nullopt, {"stress", "simulate", "size", "sweep", "validate", "position", "table"});
  const std::string format = r.choice("format", std::nullopt, {"markdown", "csv"});
  const std::string table = r.string("table", std::string());
  for (const char* k : {"input", "result", "proposed", "proposed_input"}) r.known(k);
  if (!member(doc, "result").is_object()) issues.add("/result", "is required: the command's result object");
  const bool compare = member(doc, "proposed").is_object();
  if (compare && command != "simulate") issues.add("/proposed", "is for command simulate only");
  r.rejectUnknown();
  issues.throwIfAny();
  const Format f = format == "csv" ? Format::Csv : Format::Markdown;
  const Json& input = member(doc, "input");
  if (command == "table") {
    const Table t = readTable(doc["result"], issues);
    issues.throwIfAny();
    return {{"text", f == Format::Csv ? csv(t) : markdown(t)}};
  }
  if (compare && f == Format::Markdown)
    return {{"text", comparisonMarkdown(input, doc["result"], member(doc, "proposed_input"), doc["proposed"])}};
  if (compare) {
    // Both summaries in one table: the current row, then the proposed.
    Table t = simulateTables(readSimulation(doc["result"]), input)[0];
    t.rows.push_back(simulateTables(readSimulation(doc["proposed"]), member(doc, "proposed_input"))[0].rows[0]);
    return {{"text", csv(t)}};
  }
  return {{"text", render(command, f, table, input, doc["result"])}};
}

}  // namespace backstop::report
