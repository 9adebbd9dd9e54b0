// The one price CSV reader (market/price_csv) as calibrate and replay both use it, and the
// scenario's own replay path as validate checks it.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "backstop/calibrate/calibrate.hpp"
#include "backstop/io/api.hpp"
#include "backstop/market/price_csv.hpp"
#include "backstop/replay/replay.hpp"

using namespace backstop;

namespace {

std::string messageOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.errors().at(0).pointer + ": " + e.errors().at(0).message;
  }
  return "no error";
}

PriceCsvOptions small(bool ranges) {
  PriceCsvOptions o;
  o.maxBytes = 1 << 16;
  o.maxRows = 5;
  o.ranges = ranges;
  return o;
}

// 40 rows oldest first, with a time column in the given form.
std::string series(const std::function<std::string(int)>& time) {
  std::string s = "\xEF\xBB\xBF# exported\r\n\"Date\",\"Open\",\"High\",\"Low\",\"Close\"\r\n";
  for (int i = 0; i < 40; ++i) {
    const double c = 100 * std::pow(1.01, i % 5);
    s += time(i) + ",1," + formatValue(c * 1.02) + "," + formatValue(c * 0.97) + "," + formatValue(c) + "\r\n";
  }
  return s;
}

}  // namespace

TEST(PriceCsv, HeaderColumnsAndRows) {
  const PriceTable t = readPriceTable("# note\n\nTimestamp,Price,Close,High,Low\n1704067200,1,10,11,9\n", small(true));
  EXPECT_EQ(t.headerLine, 3);
  EXPECT_EQ(t.timeColumn, "Timestamp");
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].line, 4);
  EXPECT_EQ(t.rows[0].close, 10);  // close wins over price
  EXPECT_EQ(*t.rows[0].high, 11);
  EXPECT_EQ(*t.rows[0].low, 9);
  // Without ranges, high and low are other columns: not read, not checked.
  const PriceTable u = readPriceTable("close,high,low\n10,x,\n", small(false));
  EXPECT_FALSE(u.rows[0].high.has_value());
  EXPECT_EQ(u.timeColumn, "");
}

TEST(PriceCsv, TimesAgreeWithUnixSeconds) {
  // 2024-01-01T00:00Z is Unix time 1704067200 (366 + 365·... days: 19723 days × 86400 s).
  EXPECT_EQ(*parseTimestampSeconds("2024-01-01"), 1704067200.0);
  EXPECT_EQ(*parseTimestampSeconds("2024-01-01T01:30:00+01:30"), 1704067200.0);
  EXPECT_EQ(*parseTimestampSeconds("2023-12-31T19:00:00-05:00"), 1704067200.0);
  EXPECT_EQ(*parseTimestampSeconds("1704067200"), 1704067200.0);
  EXPECT_EQ(*parseTimestampDays("2024-01-01"), 19723.0);
}

TEST(PriceCsv, LimitsAndErrorsNameTheLine) {
  EXPECT_EQ(messageOf([] { readPriceTable("close\n1\n2\n3\n4\n5\n6\n", small(false)); }),
            "/csv: line 7: more than the limit of 5 rows");
  EXPECT_EQ(messageOf([] { readPriceTable(std::string(1 << 16 | 1, '1'), small(false)); }),
            "/csv: is 65537 bytes, more than the limit of 65536");
  EXPECT_EQ(messageOf([] { readPriceTable("close,high\n1,2\n", small(true)); }),
            "/csv: line 1: give both high and low columns, or neither");
  EXPECT_EQ(messageOf([] { readPriceTable("date,time,close\n", small(false)); }),
            "/csv: line 1: the header has 2 time columns (date, time): keep one, with the full date-time in it");
  EXPECT_EQ(messageOf([] { readPriceTable(std::string("close\n1\n\x01\x00\n", 10), small(false)); }),
            "/csv: line 3: contains a NUL byte: not a text CSV");
  EXPECT_EQ(readPriceTable("close\n", small(false)).rows.size(), 0u);
}

TEST(PriceCsv, CalibrateAndReplayReadTheSameFileAlike) {
  const std::string hourly = series([](int i) { return std::to_string(1704067200 + 3600 * i); });
  const calibrate::ReturnSeries r = calibrate::readPriceCsv(hourly, std::nullopt);
  const PricePath p = readPricePath(hourly, std::nullopt);
  ASSERT_EQ(p.points.size(), 40u);
  ASSERT_EQ(r.returns.size(), 39u);
  EXPECT_NEAR(r.intervalDays, 1.0 / 24, 1e-15);
  for (size_t i = 1; i < p.points.size(); ++i) {
    EXPECT_NEAR(r.returns[i - 1], std::log(p.points[i].close / p.points[i - 1].close), 1e-15);
    EXPECT_NEAR(p.points[i].tDays, (i + 1) / 24.0, 1e-12);
  }
  EXPECT_NEAR(*p.points[0].low, 100 * 0.97, 1e-12);
  // One bad row: the same line and the same words from both commands.
  const std::string bad = hourly.substr(0, hourly.size() - 2) + ",x\r\n";
  const std::string viaCalibrate = messageOf([&] { calibrate::readPriceCsv(bad, std::nullopt); });
  EXPECT_EQ(viaCalibrate, "/csv: line 42: has 6 fields, the header has 5");
  EXPECT_EQ(messageOf([&] { readPricePath(bad, std::nullopt); }), viaCalibrate);
}

TEST(PriceCsv, ValidateChecksTheScenarioReplayField) {
  Json s = parseJsonText(R"({"market": {"mark_price": 100, "maintenance_margin_rate": 0.05},
      "book": {"open_interest": 1e6, "leverage": [{"leverage": 10, "share": 1}]}, "fund": {"balance": 1e4},
      "replay": {"interval_days": 0.5, "close": [99, 98], "high": [101, 99], "low": [98, 97]}})");
  EXPECT_EQ(dispatch("validate", s, RunOptions{}).value("valid", false), true);
  auto firstError = [&](const Json& replay) {
    Json doc = s;
    doc["replay"] = replay;
    const Json v = dispatch("validate", doc, RunOptions{});
    EXPECT_FALSE(v.value("valid", true));
    return v["errors"][0]["pointer"].get<std::string>() + ": " + v["errors"][0]["message"].get<std::string>();
  };
  EXPECT_EQ(firstError({{"close", {99, -1}}}), "/replay/close/1: row 1: close must be a price in [1e-12, 1e12], got -1");
  EXPECT_EQ(firstError({{"close", {99, 98}}, {"high", {101, 99}}, {"low", {98, 98.5}}}),
            "/replay/close/1: row 1: needs low <= close <= high, got low 98.5, close 98, high 99");
  EXPECT_EQ(firstError({{"close", {99, 98}}, {"high", {101}}, {"low", {98}}}),
            "/replay: high and low must both be absent or hold one value per close (2)");
  EXPECT_EQ(firstError({{"close", {99}}, {"interval_days", 400}}),
            "/replay/interval_days: interval_days must be in (0, 365], got 400");
  EXPECT_EQ(firstError({{"close", Json::array()}}), "/replay/close: must hold at least one price");
  EXPECT_EQ(firstError({{"close", {99}}, {"open", {1}}}).substr(0, 13), "/replay/open:");
  EXPECT_EQ(firstError(Json(3)).substr(0, 9), "/replay: ");
}
