// Thin Embind facade: no logic of its own. Every entry point catches every exception and
// returns it as data, so no C++ exception ever crosses into JS (TOOLCHAIN.md pitfall 5).
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <emscripten/stack.h>
#include <malloc.h>
#include <emscripten/val.h>

#include <map>
#include <new>
#include <string>
#include <vector>

#include "backstop/io/commands.hpp"
#include "backstop/io/scenario_reader.hpp"
#include "backstop/io/api.hpp"
#include "backstop/simulation/simulation.hpp"
#include "backstop/simulation/summary.hpp"

namespace {

using backstop::Json;
using emscripten::val;

// The same envelope runJson returns for failures.
std::string failure(const char* code, const std::string& message, Json errors = Json::array()) {
  return Json{{"ok", false}, {"code", code}, {"message", message}, {"errors", std::move(errors)}}.dump(
      -1, ' ', false, Json::error_handler_t::replace);
}

std::string failure(const backstop::InputError& e) {
  Json errs = Json::array();
  for (const auto& fe : e.errors()) errs.push_back({{"pointer", fe.pointer}, {"message", fe.message}});
  return failure(backstop::toString(e.code()), e.what(), std::move(errs));
}

// Runs `body`, turning any exception into a failure envelope (a JS string).
template <class F>
val guarded(F&& body) {
  try {
    return body();
  } catch (const backstop::InputError& e) {
    return val(failure(e));
  } catch (const std::bad_alloc&) {
    return val(failure("limit_exceeded", "out of memory"));
  } catch (const std::exception& e) {
    return val(failure("internal", e.what()));
  } catch (...) {
    return val(failure("internal", "unknown error"));
  }
}

struct Run {
  backstop::Scenario scenario;
  backstop::RunOptions options;
};

Run prepare(const std::string& scenarioJson, const std::string& optionsJson) {
  const Json doc = backstop::parseJsonText(scenarioJson);
  backstop::Issues issues;
  Run r{{}, backstop::parseRunOptions(optionsJson.empty() ? Json() : backstop::parseJsonText(optionsJson), issues)};
  issues.throwIfAny();
  r.scenario = backstop::scenarioForRun(doc, r.options);
  return r;
}

// The commands this module links. The start module (BACKSTOP_WASM_START, wasm/CMakeLists.txt)
// holds only what the calculator runs at load, on input and in its runs; leaving the others out
// of the table leaves their code out of the module. The JS API sends the rest to the full module
// (a sweep's plan too: a click loads it, and the points then run here).
const std::vector<backstop::Command>& table() {
#ifdef BACKSTOP_WASM_START
  static const std::vector<backstop::Command> t = {
      {"validate", backstop::validateCommand, ""}, {"stress", backstop::stressCommand, ""},
      {"simulate", backstop::simulateCommand, ""}, {"names", backstop::namesCommand, ""},
      {"policy", backstop::policyCommand, ""},
  };
  return t;
#else
  return backstop::commands();
#endif
}

std::string call(const std::string& command, const std::string& input, const std::string& options) {
  return backstop::runJson(command, input, options, table());  // never throws
}

// The names of the commands `call` runs here, comma-separated (the JS API routes by them).
std::string commandNames() {
  std::string names;
  for (const auto& c : table()) names += (names.empty() ? "" : ",") + std::string(c.name);
  return names;
}

// The resolved path count and seed after overrides, validating the input: lets the JS pool
// split the work and fail early with the same errors as a single call.
std::string simulatePlan(const std::string& scenarioJson, const std::string& optionsJson) {
  return guarded([&] {
           const Run r = prepare(scenarioJson, optionsJson);
           const backstop::SimulationSettings& sim = r.scenario.simulation;
           Json result = {{"paths", sim.paths}, {"seed", sim.seed}};
           if (!r.options.importance.empty()) result["importance"] = r.options.importance;
           if (sim.targetRelativeError > 0)  // a run to a precision: whole batches from path 0 (summary.hpp)
             result["precision"] = {{"target", sim.targetRelativeError},
                                    {"batch", backstop::kPrecisionBatch},
                                    {"max_paths", backstop::precisionCap(r.scenario)}};
           return val(Json{{"ok", true}, {"result", result}}.dump());
         })
      .as<std::string>();
}

// The importance-sampling tilt of the last scenario this worker ran: a pure function of the
// resolved scenario, so its ranges (and a precision run's batches) share one pilot run.
const backstop::Tilt& tiltFor(const backstop::Scenario& s) {
  static std::string key;
  static backstop::Tilt tilt;
  std::string k = backstop::toJson(s).dump();
  if (k != key) {
    tilt = backstop::chooseTilt(s);
    key = std::move(k);
  }
  return tilt;
}

// Records of paths [path_begin, path_end) as a Float64Array owned by JS (encodeBatch form);
// a failure envelope (string) on error. A precision run's batches may go past `paths`, up to its cap.
val simulateBatch(const std::string& scenarioJson, const std::string& optionsJson) {
  return guarded([&] {
    const Run r = prepare(scenarioJson, optionsJson);
    const backstop::SimulationSettings& sim = r.scenario.simulation;
    const long long last = sim.targetRelativeError > 0 ? backstop::precisionCap(r.scenario) : sim.paths;
    const long long end = r.options.pathEnd < 0 ? sim.paths : r.options.pathEnd;
    if (r.options.pathBegin >= end || end > last)
      throw backstop::InputError(backstop::ErrorCode::InvalidInput,
                                 {{"/options/path_end", "path range [" + std::to_string(r.options.pathBegin) + ", " +
                                                            std::to_string(end) + ") is empty or beyond " +
                                                            std::to_string(last) + " paths"}});
    const std::vector<double> data = backstop::encodeBatch(backstop::simulatePaths(
        r.scenario, r.options.pathBegin, end, r.options.threads, {}, nullptr, &tiltFor(r.scenario)));
    // slice() copies out of the wasm heap before `data` is freed.
    return val(emscripten::typed_memory_view(data.size(), data.data())).call<val>("slice");
  });
}

// Decodes concatenated batches (in path order) and appends them to `all`.
void appendBatches(backstop::PathBatch& all, const val& batches) {
  const std::vector<double> flat = emscripten::convertJSArrayToNumberVector<double>(batches);
  size_t at = 0;
  while (at < flat.size()) {
    const size_t len = backstop::encodedBatchLength(flat.data() + at, flat.size() - at);
    const backstop::PathBatch b = backstop::decodeBatch(flat.data() + at, len);
    if (all.paths() > 0 && b.begin != all.end)
      throw backstop::InputError(backstop::ErrorCode::InvalidInput,
                                 {{"", "path batches are not contiguous: " + std::to_string(all.end) + " then " +
                                           std::to_string(b.begin)}});
    all.append(b);
    at += len;
  }
}

// The summary envelope of a run's records, as runJson("simulate") would return it.
std::string summaryOf(const Run& r, const backstop::PathBatch& all) {
  const Json result = backstop::toJson(backstop::summarizeRun(r.scenario, all));
  return Json{{"ok", true}, {"result", result}}.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Appends concatenated batches and returns the summary envelope, as runJson("simulate") would.
std::string simulateMerge(const std::string& scenarioJson, const std::string& optionsJson, const val& batches) {
  return guarded([&] {
           const Run r = prepare(scenarioJson, optionsJson);
           backstop::PathBatch all;
           appendBatches(all, batches);
           return val(summaryOf(r, all));
         })
      .as<std::string>();
}

// A run to a precision keeps its records here between batches, so that each batch costs its
// own decoding and one pass of the stopping rule, not a merge and summary of every batch so far.
// Handles, not an Embind class: runs on one module may interleave, and functions keep the glue small.
std::map<int, backstop::PathBatch>& precisionRuns() {
  static std::map<int, backstop::PathBatch> runs;
  return runs;
}

int precisionOpen() {
  static int next = 0;
  precisionRuns()[++next];
  return next;
}

void precisionClose(int run) { precisionRuns().erase(run); }

// The records of open run `run`; a closed or unknown handle is an input error.
backstop::PathBatch& openRun(int run) {
  const auto it = precisionRuns().find(run);
  if (it == precisionRuns().end())
    throw backstop::InputError(backstop::ErrorCode::InvalidInput, {{"", "no open precision run " + std::to_string(run)}});
  return it->second;
}

// Appends the batches to run `run`; {"ok": true, "result": {"precision_reached": bool, "paths": n}}.
std::string precisionAppend(int run, const std::string& scenarioJson, const std::string& optionsJson, const val& batches) {
  return guarded([&] {
           const Run r = prepare(scenarioJson, optionsJson);
           backstop::PathBatch& records = openRun(run);
           appendBatches(records, batches);
           // The core's own stopping rule on the batches so far (summary.hpp).
           const Json result = {{"precision_reached", backstop::precisionReached(r.scenario, records)},
                                {"paths", records.paths()}};
           return val(Json{{"ok", true}, {"result", result}}.dump());
         })
      .as<std::string>();
}

// The summary envelope of run `run`'s records so far.
std::string precisionResult(int run, const std::string& scenarioJson, const std::string& optionsJson) {
  return guarded([&] {
           const Run r = prepare(scenarioJson, optionsJson);
           return val(summaryOf(r, openRun(run)));
         })
      .as<std::string>();
}

std::string versionString() { return backstop::version(); }

// Memory figures for leak checks (the soak test): linear memory size, bytes malloc'd, and
// the stack pointer as seen from a binding call (a leaked exception frame moves it).
val memoryStats() {
  val out = val::object();
  out.set("memory", double(emscripten_get_heap_size()));
  out.set("heapInUse", double(mallinfo().uordblks));
  out.set("stackPointer", double(emscripten_stack_get_current()));
  return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(backstop) {
  emscripten::function("call", &call);
  emscripten::function("commands", &commandNames);
  emscripten::function("simulatePlan", &simulatePlan);
  emscripten::function("simulateBatch", &simulateBatch);
  emscripten::function("simulateMerge", &simulateMerge);
  emscripten::function("precisionOpen", &precisionOpen);
  emscripten::function("precisionAppend", &precisionAppend);
  emscripten::function("precisionResult", &precisionResult);
  emscripten::function("precisionClose", &precisionClose);
  emscripten::function("version", &versionString);
  emscripten::function("memoryStats", &memoryStats);
}
