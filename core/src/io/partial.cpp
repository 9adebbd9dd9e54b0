// Partial results (docs/outputs.md, partial results): the file is
//   line 1  "backstop-partial 1"
//   line 2  the header, one line of JSON (what identifies the run and this shard)
//   then    the records: encodeBatch() of each point's paths, as IEEE 754 float64 little-endian.
#include "backstop/io/partial.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>

#include "backstop/io/commands.hpp"
#include "backstop/io/sweep.hpp"
#include "backstop/simulation/importance.hpp"
#include "backstop/simulation/simulation.hpp"
#include "backstop/simulation/summary.hpp"

namespace backstop {

namespace {

constexpr const char* kMagic = "backstop-partial 1\n";

// FNV-1a, 64 bits (http://www.isthe.com/chongo/tech/comp/fnv/): identifies a run and catches
// damaged records; not a defence against someone forging a part.
std::string fnv1a64(const char* p, size_t n) {
  std::uint64_t h = 14695981039346656037ull;
  for (size_t i = 0; i < n; ++i) h = (h ^ std::uint8_t(p[i])) * 1099511628211ull;
  char buf[32];
  std::snprintf(buf, sizeof buf, "fnv1a64:%016llx", (unsigned long long)h);
  return buf;
}

std::string dumpLine(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

// The hash of the document the run simulates: the input with the overrides, keys sorted.
std::string scenarioHash(const Json& input, const RunOptions& o) {
  const std::string canonical = dumpLine(withRunOverrides(input, o));
  return fnv1a64(canonical.data(), canonical.size());
}

std::string putDoubles(const std::vector<double>& v) {
  std::string out(v.size() * 8, '\0');
  for (size_t k = 0; k < v.size(); ++k) {
    std::uint64_t u;
    std::memcpy(&u, &v[k], 8);
    for (int i = 0; i < 8; ++i) out[8 * k + size_t(i)] = char((u >> (8 * i)) & 0xff);
  }
  return out;
}

std::vector<double> getDoubles(const char* p, size_t count) {
  std::vector<double> v(count);
  for (size_t k = 0; k < count; ++k) {
    std::uint64_t u = 0;
    for (int i = 0; i < 8; ++i) u |= std::uint64_t(std::uint8_t(p[8 * k + size_t(i)])) << (8 * i);
    std::memcpy(&v[k], &u, 8);
  }
  return v;
}

InputError shardError(const std::string& message) { return InputError(ErrorCode::InvalidInput, {{"/options/shard", message}}); }

// The run a partial belongs to: the scenario(s) with the overrides, loaded as the command does.
struct Run {
  std::string command;
  Json input;
  RunOptions options;
  std::vector<Scenario> points;  // simulate: one; sweep: one per point
  SweepPlan plan;                // sweep only
};

Run loadRun(const std::string& command, const Json& input, const RunOptions& o) {
  Run r{command, input, o, {}, {}};
  if (command == "simulate") {
    r.points.push_back(scenarioForRun(input, o));
  } else if (command == "sweep") {
    r.plan = planSweep(input, o);
    for (size_t k = 0; k < r.plan.documents.size(); ++k) r.points.push_back(sweepPointScenario(r.plan, k));
  } else {
    throw InputError(ErrorCode::InvalidInput, {{"", "only simulate and sweep write partial results, not " + command}});
  }
  return r;
}

}  // namespace

Shard parseShard(const std::string& text) {
  const size_t slash = text.find('/');
  auto whole = [](const std::string& t, long long& out) {
    if (t.empty() || t.size() > 9 || t.find_first_not_of("0123456789") != std::string::npos) return false;
    out = std::stoll(t);
    return true;
  };
  Shard s;
  if (slash == std::string::npos || !whole(text.substr(0, slash), s.index) || !whole(text.substr(slash + 1), s.count))
    throw shardError("must be INDEX/COUNT, e.g. 0/4 (shards are numbered from 0), got \"" + text.substr(0, 40) + "\"");
  if (s.count < 1) throw shardError("is " + text + ": the count must be at least 1");
  if (s.index >= s.count)
    throw shardError("is " + text + ": the index must be 0 to " + std::to_string(s.count - 1) + " (shards are numbered from 0)");
  return s;
}

std::pair<long long, long long> shardRange(const Shard& s, long long paths) {
  // (i·P)/n in 128 bits would be exact for any P; P <= 1e7 and n <= P keep it in 64 bits.
  return {s.index * paths / s.count, (s.index + 1) * paths / s.count};
}

std::string writePartial(const std::string& command, const Json& input, const RunOptions& o, const Shard& shard) {
  const Run run = loadRun(command, input, o);
  for (const Scenario& s : run.points) {
    if (s.simulation.targetRelativeError > 0)
      throw InputError(ErrorCode::InvalidInput,
                       {{"/simulation/target_relative_error", "a run to a precision chooses its paths as it goes: shards need "
                                                              "a fixed number of paths (drop the target and --precision, give --paths)"}});
    if (shard.count > s.simulation.paths)
      throw shardError(std::to_string(shard.count) + " shards for " + std::to_string(s.simulation.paths) +
                       " paths: at most one shard per path");
  }
  std::vector<double> records;
  const double n = double(run.points.size());
  for (size_t k = 0; k < run.points.size(); ++k) {
    const Scenario& s = run.points[k];
    const auto [begin, end] = shardRange(shard, s.simulation.paths);
    std::function<void(double)> progress;
    if (o.progress) progress = [&o, k, n](double f) { o.progress((double(k) + f) / n); };
    // runPaths draws from the run's importance mixture: chooseTilt is a pure function of the
    // scenario and seed, so every shard computes the same one.
    RunOptions po = o;
    po.progress = progress;
    po.pathBegin = begin;
    po.pathEnd = end;
    const std::vector<double> b = encodeBatch(runPaths(s, begin, end, po));
    records.insert(records.end(), b.begin(), b.end());
  }
  const Scenario& first = run.points.front();
  const auto [begin, end] = shardRange(shard, first.simulation.paths);
  const std::string payload = putDoubles(records);
  const Json header = jsonObject(
      {{"command", command},
       {"version", version()},
       {"scenario", input},
       {"overrides",
        jsonObject({{"paths", o.paths > 0 ? Json(o.paths) : Json(nullptr)},
                    {"seed", o.seed >= 0 ? Json(o.seed) : Json(nullptr)},
                    {"importance", o.importance.empty() ? Json(nullptr) : Json(o.importance)}})},
       {"scenario_hash", scenarioHash(input, o)},
       {"paths", first.simulation.paths},
       {"seed", first.simulation.seed},
       {"points", run.points.size()},
       {"shard", jsonObject({{"index", shard.index},
                             {"count", shard.count},
                             {"path_begin", begin},
                             {"path_end", end}})},
       {"records", jsonObject({{"encoding", "float64le"},
                               {"values", records.size()},
                               {"checksum", fnv1a64(payload.data(), payload.size())}})}});
  return kMagic + dumpLine(header) + "\n" + payload;
}

namespace {

// One part, read and checked on its own.
struct Part {
  const PartialFile* file = nullptr;
  Json header;
  Shard shard;
  std::vector<double> values;
};

// Whole numbers up to 2^53 (exact as doubles).
bool wholeIn(const Json& j, long long lo, long long hi) {
  if (!j.is_number_integer()) return false;
  if (j.is_number_unsigned()) {
    const unsigned long long u = j.get<unsigned long long>();
    return u <= (unsigned long long)hi && (long long)u >= lo;
  }
  const long long v = j.get<long long>();
  return v >= lo && v <= hi;
}

constexpr long long kMaxWhole = 9007199254740991LL;

// Reads a part's header and records; adds its problems to `issues` (pointers "<file>: /field").
bool readPart(const PartialFile& f, Part& part, Issues& issues) {
  part.file = &f;
  auto bad = [&](const std::string& field, const std::string& message) {
    issues.add(f.name + ": " + (field.empty() ? "(file)" : field), message);
    return false;
  };
  const std::string& b = f.bytes;
  const size_t magicLen = std::strlen(kMagic);
  if (b.compare(0, magicLen, kMagic) != 0) {
    if (b.rfind("backstop-partial ", 0) == 0)
      return bad("", "is partial-result format \"" + b.substr(0, std::min(b.find('\n'), size_t(40))) +
                         "\"; this backstop reads \"backstop-partial 1\"");
    return bad("", "is not a backstop partial result (it does not start with \"backstop-partial 1\"; write one with "
                   "simulate --shard i/n --partial)");
  }
  const size_t eol = b.find('\n', magicLen);
  if (eol == std::string::npos) return bad("", "is truncated: the header line has no end");
  Json& h = part.header;
  try {
    h = parseJsonText(b.substr(magicLen, eol - magicLen));
  } catch (const InputError& e) {
    return bad("(header)", "is not JSON: " + (e.errors().empty() ? std::string() : e.errors()[0].message));
  }
  if (!h.is_object()) return bad("(header)", "must be a JSON object");
  bool ok = true;
  auto need = [&](const Json& obj, const std::string& at, const char* key) -> const Json* {
    if (obj.is_object() && obj.contains(key)) return &obj[key];
    ok = bad(at + "/" + key, "is missing");
    return nullptr;
  };
  const Json* command = need(h, "", "command");
  if (command && (!command->is_string() || (*command != "simulate" && *command != "sweep")))
    ok = bad("/command", "must be \"simulate\" or \"sweep\", got " + dumpLine(*command).substr(0, 40));
  if (const Json* v = need(h, "", "version"); v && *v != version())
    ok = bad("/version", "was written by backstop " + dumpLine(*v).substr(0, 40) + "; this is backstop " + version() +
                             ": merge with the version that ran the shards");
  const Json* scenario = need(h, "", "scenario");
  const Json* overrides = need(h, "", "overrides");
  RunOptions o;
  if (overrides) {
    const Json* p = need(*overrides, "/overrides", "paths");
    const Json* s = need(*overrides, "/overrides", "seed");
    const Json* is = need(*overrides, "/overrides", "importance");
    if (is && !is->is_null() && *is != "auto" && *is != "off") ok = bad("/overrides/importance", "must be null, \"auto\" or \"off\"");
    if (is && is->is_string()) o.importance = is->get<std::string>();
    if (p && !p->is_null() && !wholeIn(*p, 1, kMaxWhole)) ok = bad("/overrides/paths", "must be null or a whole number >= 1");
    if (s && !s->is_null() && !wholeIn(*s, 0, kMaxWhole)) ok = bad("/overrides/seed", "must be null or a whole number >= 0");
    if (p && p->is_number_integer()) o.paths = p->get<long long>();
    if (s && s->is_number_integer()) o.seed = s->get<long long>();
  }
  const Json* hash = need(h, "", "scenario_hash");
  // Paths and shards within the path limit: shardRange's products stay far inside 64 bits.
  const long long maxPaths = limits::kMaxPaths;
  for (const char* k : {"paths", "seed", "points"})
    if (const Json* v = need(h, "", k); v && !wholeIn(*v, k == std::string("seed") ? 0 : 1, k == std::string("paths") ? maxPaths : kMaxWhole))
      ok = bad(std::string("/") + k, "must be a whole number" + std::string(k == std::string("paths") ? " from 1 to " + std::to_string(maxPaths) : "") +
                                         ", got " + dumpLine(*v).substr(0, 40));
  if (const Json* sh = need(h, "", "shard")) {
    for (const char* k : {"index", "count", "path_begin", "path_end"})
      if (const Json* v = need(*sh, "/shard", k); v && !wholeIn(*v, k == std::string("count") ? 1 : 0, maxPaths))
        ok = bad(std::string("/shard/") + k, "must be a whole number from " + std::string(k == std::string("count") ? "1" : "0") +
                                                 " to " + std::to_string(maxPaths) + ", got " + dumpLine(*v).substr(0, 40));
    if (ok) {
      part.shard = {(*sh)["index"].get<long long>(), (*sh)["count"].get<long long>()};
      if (part.shard.index >= part.shard.count)
        ok = bad("/shard/index", "is " + std::to_string(part.shard.index) + " of " + std::to_string(part.shard.count) +
                                     " shards: it must be 0 to " + std::to_string(part.shard.count - 1));
    }
  }
  const Json* records = need(h, "", "records");
  if (!ok || !records) return false;
  const Json* enc = need(*records, "/records", "encoding");
  const Json* count = need(*records, "/records", "values");
  const Json* sum = need(*records, "/records", "checksum");
  if (!ok) return false;
  if (*enc != "float64le") return bad("/records/encoding", "must be \"float64le\", got " + dumpLine(*enc).substr(0, 40));
  if (!wholeIn(*count, 0, kMaxWhole)) return bad("/records/values", "must be a whole number");
  const size_t have = b.size() - eol - 1;
  const unsigned long long want = count->get<unsigned long long>();
  if (want > have / 8 || have != want * 8)
    return bad("/records", (have < want * 8 ? "is truncated: " : "is longer than its header says: ") +
                               std::to_string(have) + " bytes of records, the header says " + std::to_string(want) +
                               " values (" + std::to_string(want * 8) + " bytes)");
  if (*sum != fnv1a64(b.data() + eol + 1, have))
    return bad("/records/checksum", "does not match the records: the file is damaged");
  try {
    if (*hash != scenarioHash(*scenario, o))
      return bad("/scenario_hash", "does not match the header's scenario and overrides: the header was edited");
  } catch (const InputError& e) {
    for (const auto& fe : e.errors()) bad("/scenario" + fe.pointer, fe.message);
    return false;
  }
  part.values = getDoubles(b.data() + eol + 1, size_t(want));
  return true;
}

// Every number finite and every probability in [0, 1]: records backstop wrote give nothing
// else, so anything else means the parts were edited (the checksum is not a signature).
void checkResult(const Json& j, const std::string& at) {
  auto refuse = [&](const std::string& what) {
    throw InputError(ErrorCode::InvalidInput,
                     {{"(records)", "the merged records give " + what + " at " + at + ": they are not records backstop writes"}});
  };
  if (j.is_number_float() && !std::isfinite(j.get<double>())) refuse("a non-finite number");
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      const bool probability = it.key() != "events" && it.key() != "amount" && it.key().find("probability") != std::string::npos;
      if (probability && it->is_number() && !(it->get<double>() >= 0 && it->get<double>() <= 1))
        refuse("a probability of " + formatValue(it->get<double>()));
      checkResult(*it, at + "/" + it.key());
    }
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) checkResult(j[i], at + "/" + std::to_string(i));
  }
}

}  // namespace

MergedRun mergePartials(const std::vector<PartialFile>& files) {
  if (files.empty()) throw InputError(ErrorCode::InvalidInput, {{"", "no parts to merge"}});
  Issues issues;
  std::vector<Part> parts(files.size());
  for (size_t i = 0; i < files.size(); ++i) readPart(files[i], parts[i], issues);
  issues.throwIfAny();

  // One run: the fields that identify it agree with the first part's.
  const Part& first = parts.front();
  for (const Part& p : parts) {
    for (const char* k : {"command", "paths", "seed", "points", "scenario_hash"})
      if (p.header[k] != first.header[k])
        issues.add(p.file->name + ": /" + k, "is " + dumpLine(p.header[k]).substr(0, 60) + " but " + first.file->name +
                                                 " has " + dumpLine(first.header[k]).substr(0, 60) +
                                                 ": the parts are from different runs");
    if (p.shard.count != first.shard.count)
      issues.add(p.file->name + ": /shard/count", "is " + std::to_string(p.shard.count) + " but " + first.file->name +
                                                      " has " + std::to_string(first.shard.count) +
                                                      ": the parts are from runs split differently");
  }
  issues.throwIfAny();

  // Every shard once.
  std::vector<const Part*> order;
  for (const Part& p : parts) order.push_back(&p);
  std::stable_sort(order.begin(), order.end(), [](const Part* a, const Part* b) { return a->shard.index < b->shard.index; });
  const long long count = first.shard.count;
  for (size_t i = 1; i < order.size(); ++i)
    if (order[i]->shard.index == order[i - 1]->shard.index)
      issues.add(order[i]->file->name + ": /shard/index",
                 "shard " + std::to_string(order[i]->shard.index) + "/" + std::to_string(count) + " is given twice: also " +
                     order[i - 1]->file->name);
  issues.throwIfAny();
  const long long paths = first.header["paths"].get<long long>();
  if ((long long)order.size() != count) {
    std::string missing;
    long long shown = 0, expect = 0;
    auto note = [&](long long i) {
      if (shown++ < 8) {
        const auto [b, e] = shardRange({i, count}, paths);
        missing += (missing.empty() ? "" : ", ") + std::to_string(i) + " (paths " + std::to_string(b) + " to " +
                   std::to_string(e) + ")";
      }
    };
    for (const Part* p : order) {
      for (; expect < p->shard.index && shown <= 8; ++expect) note(expect);
      expect = p->shard.index + 1;
    }
    for (; expect < count && shown <= 8; ++expect) note(expect);
    const long long absent = count - (long long)order.size();
    throw InputError(ErrorCode::InvalidInput,
                     {{"/shard", std::to_string(absent) + " of " + std::to_string(count) + " shards missing: " + missing +
                                     (absent > 8 ? ", ..." : "")}});
  }

  // The run, rebuilt from the header as the command would have it.
  RunOptions o;
  const Json& ov = first.header["overrides"];
  if (ov["paths"].is_number_integer()) o.paths = ov["paths"].get<long long>();
  if (ov["seed"].is_number_integer()) o.seed = ov["seed"].get<long long>();
  if (ov["importance"].is_string()) o.importance = ov["importance"].get<std::string>();
  const std::string command = first.header["command"].get<std::string>();
  Run run;
  try {
    run = loadRun(command, first.header["scenario"], o);
  } catch (const InputError& e) {
    std::vector<FieldError> named;
    for (auto fe : e.errors()) {
      fe.pointer = first.file->name + ": /scenario" + fe.pointer;
      named.push_back(fe);
    }
    throw InputError(e.code(), named);
  }
  const Scenario& s0 = run.points.front();
  if (first.header["paths"] != Json(s0.simulation.paths) || first.header["seed"] != Json(s0.simulation.seed) ||
      first.header["points"] != Json(run.points.size()))
    throw InputError(ErrorCode::InvalidInput, {{first.file->name + ": (header)", "paths, seed or points disagree with its scenario"}});

  // Each part's records: per point, the batch of exactly its shard's paths, shaped as the scenario.
  std::vector<PathBatch> merged(run.points.size());
  for (const Part* p : order) {
    const std::string name = p->file->name;
    const auto [b0, e0] = shardRange(p->shard, paths);
    if (p->header["shard"]["path_begin"] != Json(b0) || p->header["shard"]["path_end"] != Json(e0))
      issues.add(name + ": /shard", "paths " + dumpLine(p->header["shard"]["path_begin"]) + " to " +
                                        dumpLine(p->header["shard"]["path_end"]) + " are not shard " +
                                        std::to_string(p->shard.index) + "/" + std::to_string(count) + "'s (" +
                                        std::to_string(b0) + " to " + std::to_string(e0) + ")");
    const std::vector<double>& v = p->values;
    for (size_t i = 0; i < v.size(); ++i)
      if (std::isnan(v[i])) {
        issues.add(name + ": /records", "value " + std::to_string(i) + " is NaN: backstop never writes one");
        break;
      }
    if (!issues.empty()) continue;
    size_t at = 0;
    for (size_t k = 0; k < run.points.size(); ++k) {
      const Scenario& s = run.points[k];
      const auto [b, e] = shardRange(p->shard, s.simulation.paths);
      const Tilt plain;  // the shape only: no pilot
      const PathBatch shape = simulatePaths(s, b, b, 1, {}, nullptr, &plain);
      const std::string where = name + ": /records" + (run.points.size() > 1 ? " (point " + std::to_string(k) + ")" : "");
      // The header of encodeBatch: version, begin, end, days, grid size, markets.
      if (v.size() - at < 6 || v[at + 1] != double(b) || v[at + 2] != double(e) || v[at + 3] != double(shape.days) ||
          v[at + 4] != double(shape.gridSize) || v[at + 5] != double(shape.markets)) {
        issues.add(where, "do not hold paths " + std::to_string(b) + " to " + std::to_string(e) + " with " +
                              std::to_string(shape.days) + " days, " + std::to_string(shape.gridSize) + " fund sizes and " +
                              std::to_string(shape.markets) + " markets as the scenario has");
        break;
      }
      size_t len = 0;
      try {
        len = encodedBatchLength(v.data() + at, v.size() - at);
      } catch (const InputError&) {
        issues.add(where, "are malformed (shorter than their header says)");
        break;
      }
      merged[k].append(decodeBatch(v.data() + at, len));
      at += len;
    }
    if (issues.empty() && at != v.size())
      issues.add(name + ": /records", std::to_string(v.size() - at) + " values after the last point's records");
  }
  issues.throwIfAny();

  MergedRun out{command, first.header["scenario"], Json()};
  if (command == "simulate") out.result = toJson(summarizeRun(s0, merged[0]));
  else out.result = toJson(sweepOf(run.plan, [&](size_t k, const Scenario&) { return merged[k]; }));
  checkResult(out.result, "");
  return out;
}

}  // namespace backstop
