#include "fuzz_harness.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "backstop/io/api.hpp"

namespace backstop::fuzz {

namespace {

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz finding: %s\n", what.c_str());
  std::abort();
}

// Every number in an output is finite; every "probability"/"estimate" member is in [0, 1].
void checkOutput(const Json& j, const std::string& path) {
  if (j.is_number_float() && !std::isfinite(j.get<double>())) fail("non-finite number at " + path);
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string p = path + "/" + it.key();
      // effective_paths and relative_error are a count and a ratio, not probabilities.
      const bool isProbability = it.key() != "events" && it.key() != "amount" && it.key() != "effective_paths" &&
                                 it.key() != "relative_error" &&
                                 (p.find("probability") != std::string::npos || it.key() == "psi");
      if (isProbability && it->is_number()) {
        const double v = it->get<double>();
        if (!(v >= 0 && v <= 1)) fail("probability out of [0, 1] at " + p + ": " + std::to_string(v));
      }
      checkOutput(*it, p);
    }
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) checkOutput(j[i], path + "/" + std::to_string(i));
  }
}

void checkError(const InputError& e, const char* command) {
  if (e.errors().empty()) fail(std::string(command) + ": InputError without field errors");
  for (const auto& fe : e.errors())
    if (fe.message.empty()) fail(std::string(command) + ": empty message at " + fe.pointer);
}

// Keeps the Monte Carlo tiny so each input runs in milliseconds; the limits themselves are
// checked by the first, unclamped validation.
void clampWork(Json& doc) {
  if (!doc.is_object()) return;
  auto clampNum = [](Json& obj, const char* key, double cap) {
    if (obj.is_object() && obj.contains(key) && obj[key].is_number() && obj[key].get<double>() > cap) obj[key] = cap;
  };
  // An absent section means the defaults (10,000 paths over 30 days): make them tiny too.
  if (!doc.contains("simulation")) doc["simulation"] = {{"paths", 3}, {"horizon_days", 2}, {"steps_per_day", 4}};
  Json& s = doc["simulation"];
  if (s.is_object()) {
    for (const char* k : {"paths", "horizon_days", "steps_per_day"})
      if (!s.contains(k)) s[k] = 2;
    clampNum(s, "paths", 3);
    clampNum(s, "horizon_days", 2);
    clampNum(s, "steps_per_day", 4);
  }
  if (doc.contains("book")) clampNum(doc["book"], "warmup_days", 1);
  if (doc.contains("markets") && doc["markets"].is_array())
    for (auto& m : doc["markets"])
      if (m.is_object() && m.contains("book")) clampNum(m["book"], "warmup_days", 1);
  // A sweep runs one simulation per point: keep at most three values per axis.
  auto firstThree = [](Json& axis) {
    if (axis.is_object() && axis.contains("values") && axis["values"].is_array() && axis["values"].size() > 3)
      axis["values"].erase(axis["values"].begin() + 3, axis["values"].end());
  };
  // A replay path runs the book once per row: keep at most 50 rows.
  if (doc.contains("replay") && doc["replay"].is_object())
    for (const char* k : {"close", "high", "low"})
      if (doc["replay"].contains(k) && doc["replay"][k].is_array() && doc["replay"][k].size() > 50)
        doc["replay"][k].erase(doc["replay"][k].begin() + 50, doc["replay"][k].end());
  if (doc.contains("sweep") && doc["sweep"].is_object()) {
    firstThree(doc["sweep"]);
    if (doc["sweep"].contains("parameters") && doc["sweep"]["parameters"].is_array())
      for (auto& a : doc["sweep"]["parameters"]) firstThree(a);
  }
}

void runCommand(const char* command, const Json& doc, const RunOptions& options) {
  try {
    checkOutput(dispatch(command, doc, options), std::string("/") + command);
  } catch (const InputError& e) {
    checkError(e, command);
  } catch (const std::exception& e) {
    fail(std::string(command) + ": escaped exception: " + e.what());
  }
}

// A small market for replaying fuzzed price CSVs.
const Json& replayBase() {
  static const Json base = Json::parse(R"({"market": {"mark_price": 100, "maintenance_margin_rate": 0.05},
      "book": {"open_interest": 1e6, "leverage": [{"leverage": 10, "share": 1}], "turnover_per_day": 0.5},
      "fund": {"balance": 1e4}})");
  return base;
}

}  // namespace

int runOne(const std::uint8_t* data, std::size_t size) {
  Json doc;
  try {
    doc = parseJsonText(std::string(reinterpret_cast<const char*>(data), size));
  } catch (const InputError& e) {
    checkError(e, "parse");
    return 0;
  }
  // validate never throws for a parsed document and reports {valid} or a non-empty list.
  const std::string envelope = runJson("validate", doc.dump(), "");
  const Json v = Json::parse(envelope);
  if (!v.value("ok", false)) fail("validate failed: " + envelope.substr(0, 300));
  const Json& res = v["result"];
  if (!res.value("valid", false) && (!res.contains("errors") || res["errors"].empty()))
    fail("validate: invalid without errors");

  Json small = doc;
  clampWork(small);
  RunOptions options;
  options.threads = 1;
  runCommand("stress", small, options);
  runCommand("simulate", small, options);
  runCommand("sweep", small, options);
  runCommand("ruin", small, options);
  runCommand("position", small, options);
  // replay twice: on the scenario's own path, and with the input's bytes read as a price CSV.
  runCommand("replay", Json{{"scenario", small}}, options);
  const std::string bytes(reinterpret_cast<const char*>(data), std::min<std::size_t>(size, 4096));
  runCommand("replay", Json{{"scenario", replayBase()}, {"csv", bytes}}, options);
  return 0;
}

int runOneCsv(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // Long series only cost time (each fit is linear in the rows): keep the first 400 lines.
  size_t cut = 0;
  for (int lines = 0; cut != std::string::npos && lines < 400; ++lines) cut = text.find('\n', cut + 1);
  Json doc = {{"csv", cut == std::string::npos ? text : text.substr(0, cut)}};
  RunOptions options;
  runCommand("calibrate", doc, options);
  doc["interval_days"] = 0.25;  // not daily: the notes path, no bootstrap
  runCommand("calibrate", doc, options);
  // The same reader under replay (market/price_csv): high/low columns, the price range, at most 50 rows.
  cut = 0;
  for (int lines = 0; cut != std::string::npos && lines < 50; ++lines) cut = text.find('\n', cut + 1);
  options.threads = 1;
  runCommand("replay", Json{{"scenario", replayBase()}, {"csv", cut == std::string::npos ? text : text.substr(0, cut)}},
             options);
  return 0;
}

}  // namespace backstop::fuzz
