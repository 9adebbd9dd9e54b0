// Reports: every command's Markdown (for forum posts) and CSV (for spreadsheets), written from
// its typed result through one list of columns per table (docs/outputs.md, "Reports"). The CLI
// and the wasm `report` command (the widget's exports) both call render(), so they agree.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "backstop/io/api.hpp"

namespace backstop::report {

// ---- Text: the one Markdown escape, the one CSV field writer, the one number formatter ----

// Inline Markdown text that renders as itself: line breaks become spaces; `\`, `|`, `<`, `>`,
// `[`, `]`, backticks, `#`, `*`, `_`, `!`, `~` and `&` are backslash-escaped (CommonMark lets
// any ASCII punctuation be escaped), so no name becomes a link, image, heading, HTML or a new cell.
std::string markdownText(const std::string& s);

// One CSV field per RFC 4180: quoted when it holds a comma, a quote or a line break (quotes
// doubled). Text that a spreadsheet would run as a formula (leading =, +, -, @, tab, CR) is
// prefixed with an apostrophe first.
std::string csvText(const std::string& s);

// What a number measures: each unit has fixed rules for people and for CSV.
enum class Unit {
  Text,         // not a number
  Money,        // quote units: whole units with separators; CSV to 6 decimals
  Price,        // 6 significant digits with separators; CSV 12 significant digits
  Quantity,     // 6 significant digits, at most 6 decimals (no float residue)
  Probability,  // a fraction shown as a percentage; CSV as the fraction
  Share,        // a fraction shown as a percentage with 1 decimal; CSV as the fraction
  PointChange,  // a change of probability, in percentage points (+1.11 pp); CSV as the fraction
  Shock,        // a relative price move: +10 %, -30 %; CSV as the fraction
  Count,        // whole number with separators
  Id,           // whole number without separators (seeds)
  Days,
  Leverage,     // 2 decimals and ×; "unbounded" when not finite
  Number,       // 6 significant digits
};

// For people (Markdown): plain decimals, never an exponent; "n/a" when not finite.
std::string formatNumber(double v, Unit unit);
// For CSV: plain decimal (no exponent, no separators), fixed rules per unit; empty when not finite.
std::string csvNumber(double v, Unit unit);

// ---- Tables ----

struct Column {
  std::string key;    // CSV header
  std::string label;  // Markdown header
  Unit unit = Unit::Number;
};

struct Cell {
  double number = NAN;
  std::string text;  // used when the column's unit is Text
};
inline Cell num(double v) { return {v, {}}; }
inline Cell txt(std::string s) { return {NAN, std::move(s)}; }

struct Table {
  std::string name;  // "events", "positions", ...: what `--table` selects
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
};

std::string csv(const Table& t);       // header row, then the rows; CRLF line ends
std::string markdown(const Table& t);  // a GFM table; a one-row table as "field | value" rows

// ---- Rendering a command's result ----

enum class Format { Markdown, Csv };

// A command's result as Markdown or CSV. `result` is the command's JSON result (read back into
// its typed result), `input` the document the command ran on. `table` selects a CSV table
// ("" = the command's first); Markdown shows them all. Throws InputError naming a bad
// command, format or table.
std::string render(const std::string& command, Format format, const std::string& table, const Json& input,
                   const Json& result);
// The CSV tables a command writes, first = the default.
std::vector<std::string> tableNames(const std::string& command);

// {"command", "format": "markdown"|"csv", "table"?, "input"?, "result"} -> {"text": ...}: the
// wasm `report` command.
Json reportCommand(const Json& doc, const RunOptions& options);

}  // namespace backstop::report
