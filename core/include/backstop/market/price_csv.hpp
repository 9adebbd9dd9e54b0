// One reader for price CSVs, shared by `calibrate` and `replay`: the header (a `close` or
// `price` column, optional `high`/`low`, an optional `time`/`date`/`timestamp`), plain decimal
// numbers, positive prices, ISO 8601 or Unix-second times in increasing order. Each command
// adds its own checks (how many rows, the spacing, the price range); errors name the line.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace backstop {

struct PriceRow {
  int line = 0;                     // 1-based line of the text
  double close = 0;                 // > 0
  std::optional<double> high, low;  // > 0; only when PriceCsvOptions::ranges and the header has both
  std::optional<double> seconds;    // since 1970-01-01T00:00Z; only with a time column
};

struct PriceTable {
  std::vector<PriceRow> rows;
  std::string timeColumn;  // as the header spells it; "" without one
  int headerLine = 0;
  int lastLine = 0;        // the last line of the text (for "the file ends after ...")
};

struct PriceCsvOptions {
  long long maxBytes = 0;
  long long maxRows = 0;
  bool ranges = false;  // read `high` and `low` (both or neither); otherwise they are ignored
  std::string pointer = "/csv";
};

// Lines starting with '#' and blank lines are skipped, a UTF-8 byte-order mark and CR line ends
// are accepted. Throws InputError at options.pointer; a header with no rows is not an error here.
PriceTable readPriceTable(const std::string& text, const PriceCsvOptions& options);

// Seconds since 1970-01-01T00:00Z of an ISO 8601 date or date-time (with a Z or ±hh:mm offset)
// or of Unix seconds; nullopt if unreadable (milliseconds are not guessed).
std::optional<double> parseTimestampSeconds(const std::string& text);
// The same in days.
std::optional<double> parseTimestampDays(const std::string& text);

}  // namespace backstop
