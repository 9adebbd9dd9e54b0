// backstop <command> SCENARIO.json|- [--format json|markdown|csv] [--paths N] [--seed S] [--threads N]
//   sweep: [--parameter /json/pointer --values a,b,c]
//   simulate, sweep: [--shard i/n --partial] writes shard i's records (docs/outputs.md, partial results)
// backstop merge PART... [--format json|markdown|csv]: the parts of every shard, as the unsplit run prints
// backstop calibrate PRICES.csv|- [--model gbm|student_t|merton|garch|bootstrap|all] [--interval-days D]
// Exit codes: 0 ok, 2 invalid input (messages on stderr), 1 internal error.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>

#include <CLI/CLI.hpp>

#include "backstop/io/api.hpp"
#include "backstop/io/commands.hpp"
#include "backstop/io/partial.hpp"
#include "backstop/model/scenario.hpp"
#include "format.hpp"

namespace {

std::string readInput(const std::string& path) {
  std::ostringstream ss;
  if (path == "-") {
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream f(path, std::ios::binary);
  if (!f)
    throw backstop::InputError(backstop::ErrorCode::InvalidInput,
                               {{"", "cannot read file \"" + path + "\""}});
  ss << f.rdbuf();
  return ss.str();
}

// `calibrateInput`: the CSV's path, so its errors name the file rather than the /csv member.
void printErrors(const backstop::InputError& e, const std::string& calibrateInput = "") {
  std::cerr << "backstop: invalid input (" << backstop::toString(e.code()) << ")\n";
  for (const auto& fe : e.errors()) {
    // Run options came from flags here: /options/paths is --paths.
    std::string where = fe.pointer.empty() ? "(document)" : fe.pointer;
    if (!calibrateInput.empty() && where == "/csv") where = calibrateInput == "-" ? "(stdin)" : calibrateInput;
    if (!calibrateInput.empty() && where == "/interval_days") where = "--interval-days";
    if (where.rfind("/options/", 0) == 0) {
      where = "--" + where.substr(9);
      std::replace(where.begin(), where.end(), '_', '-');
    }
    std::cerr << "  " << where << ": " << fe.message << "\n";
  }
}

// --paths as a whole number, also in exponent form (1e6); past the limit it is limit_exceeded
// like the same number given in the scenario, not a flag-syntax error.
long long parsePaths(const std::string& text) {
  char* end = nullptr;
  const double d = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || !std::isfinite(d) || d < 1 || std::floor(d) != d)
    throw backstop::InputError(backstop::ErrorCode::InvalidInput,
                               {{"/options/paths", "must be a whole number >= 1, got \"" + text.substr(0, 40) + "\""}});
  if (d > double(backstop::limits::kMaxPaths))
    throw backstop::InputError(backstop::ErrorCode::LimitExceeded,
                               {{"/options/paths", "is " + (d < 9e18 ? std::to_string((long long)d) : backstop::formatValue(d)) + " paths, more than the limit of " +
                                                       std::to_string(backstop::limits::kMaxPaths)}});
  return (long long)d;
}

// A one-line progress bar on stderr, only when stderr is a terminal.
struct ProgressBar {
  bool enabled = isatty(STDERR_FILENO);
  int last = -1;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  void operator()(double f) {
    // Only runs that take over a second get a bar.
    if (!enabled || (last < 0 && std::chrono::steady_clock::now() - start < std::chrono::seconds(1))) return;
    const int pct = int(f * 100);
    if (pct == last) return;
    last = pct;
    const int width = 30, filled = pct * width / 100;
    std::fprintf(stderr, "\r[%s%s] %3d%%", std::string(filled, '#').c_str(),
                 std::string(width - filled, ' ').c_str(), pct);
    if (pct >= 100) std::fprintf(stderr, "\r%*s\r", width + 8, "");
    std::fflush(stderr);
  }
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"backstop: insurance-fund sizing and stress testing for derivatives venues"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(backstop::version()));
  std::string input, format = "json";
  std::string pathsText;
  long long seed = -1;
  int threads = 1;
  std::string sweepParameter;
  std::vector<double> sweepValues;
  std::string model = "all", intervalText;
  std::string replayPath;
  std::optional<double> intervalDays;
  std::string shardText;
  bool partial = false;
  std::vector<std::string> parts;
  for (const auto& c : backstop::commands()) {
    if (c.internal) continue;
    auto* sub = app.add_subcommand(c.name, c.summary);
    if (std::string(c.name) == "calibrate") {
      sub->add_option("prices", input, "CSV of prices (header with close or price, optional time/date/timestamp), or -")
          ->required();
      sub->add_option("--model", model, "model to fit")
          ->check(CLI::IsMember({"gbm", "student_t", "merton", "garch", "bootstrap", "all"}));
      sub->add_option("--interval-days", intervalText, "days between rows when the CSV has no time column (default 1)");
      sub->add_option("--format,-f", format, "output format")->check(CLI::IsMember({"json", "markdown", "csv"}));
      continue;
    }
    sub->add_option("scenario", input, "scenario JSON file, or - for standard input")->required();
    sub->add_option("--format,-f", format, "output format")
        ->check(CLI::IsMember({"json", "markdown", "csv"}));
    sub->add_option("--paths", pathsText, "Monte Carlo paths (overrides the scenario; 1e6 is accepted)");
    sub->add_option("--seed", seed, "random seed (overrides the scenario)")
        ->check(CLI::Range(0LL, 9007199254740991LL));
    sub->add_option("--threads", threads, "worker threads (results do not depend on it)")
        ->check(CLI::Range(1, 256));
    if (std::string(c.name) == "simulate" || std::string(c.name) == "sweep") {
      sub->add_option("--shard", shardText, "run shard INDEX/COUNT of the paths (from 0/COUNT), with --partial");
      sub->add_flag("--partial", partial, "write the per-path records (a partial result for `merge`) to standard output");
    }
    if (std::string(c.name) == "sweep") {
      sub->add_option("--parameter", sweepParameter, "JSON pointer of the swept field (overrides the scenario's sweep)");
      sub->add_option("--values", sweepValues, "comma-separated values of the swept field")->delimiter(',');
    }
    if (std::string(c.name) == "replay") {
      sub->add_option("path", replayPath, "price path CSV (close or price column, optional high/low, time), or -");
      sub->add_option("--interval-days", intervalDays, "days between rows when the CSV has no time column (default 1)");
    }
  }
  auto* merge = app.add_subcommand("merge", "put the partial results of every shard together: prints what the unsplit run prints");
  merge->add_option("parts", parts, "partial results (files, or - once for standard input)")->required();
  merge->add_option("--format,-f", format, "output format")->check(CLI::IsMember({"json", "markdown", "csv"}));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  const std::string command = app.get_subcommands().front()->get_name();
  try {
    backstop::RunOptions options;
    options.paths = pathsText.empty() ? 0 : parsePaths(pathsText);
    options.seed = seed;
    options.threads = threads;
    ProgressBar bar;
    options.progress = [&bar](double f) { bar(f); };
    if (command == "merge") {
      std::vector<backstop::PartialFile> files;
      if (std::count(parts.begin(), parts.end(), "-") > 1)
        throw backstop::InputError(backstop::ErrorCode::InvalidInput, {{"", "only one PART can be -"}});
      for (const auto& p : parts) files.push_back({p == "-" ? "(stdin)" : p, readInput(p)});
      const backstop::MergedRun m = backstop::mergePartials(files);
      std::cout << backstop::cli::render(m.command, format, m.input, m.result);
      return 0;
    }
    auto* sub = app.get_subcommands().front();
    if (!shardText.empty() && !partial)
      throw backstop::InputError(backstop::ErrorCode::InvalidInput,
                                 {{"/options/shard", "needs --partial: a shard's records are merged with `backstop merge`"}});
    if (partial && sub->get_option("--format")->count() > 0)
      throw backstop::InputError(backstop::ErrorCode::InvalidInput,
                                 {{"/options/format", "does not apply to --partial (binary records): give it to `backstop merge`"}});
    if (partial && isatty(STDOUT_FILENO))
      throw backstop::InputError(backstop::ErrorCode::InvalidInput,
                                 {{"/options/partial", "writes binary records: redirect standard output to a file"}});
    const backstop::Shard shard = shardText.empty() ? backstop::Shard{} : backstop::parseShard(shardText);
    backstop::Json doc;
    if (command == "calibrate") {
      doc = {{"csv", readInput(input)}, {"model", model}};
      if (!intervalText.empty()) {
        char* end = nullptr;
        const double d = std::strtod(intervalText.c_str(), &end);
        if (end == intervalText.c_str() || *end != '\0' || !std::isfinite(d))
          throw backstop::InputError(backstop::ErrorCode::InvalidInput,
                                     {{"/interval_days", "must be a number of days, got \"" + intervalText.substr(0, 40) + "\""}});
        doc["interval_days"] = d;
      }
    } else {
      doc = backstop::parseJsonText(readInput(input));
    }
    if (command == "sweep" && (!sweepParameter.empty() || !sweepValues.empty()) && doc.is_object()) {
      // Flags replace the matching members of the scenario's own sweep block.
      backstop::Json sw = doc.contains("sweep") && doc["sweep"].is_object() ? doc["sweep"] : backstop::Json::object();
      if (!sweepParameter.empty()) sw["parameter"] = sweepParameter;
      if (!sweepValues.empty()) sw["values"] = sweepValues;
      doc["sweep"] = sw;
    }
    if (command == "replay") {
      // The command reads {scenario, csv, interval_days}; without a CSV the scenario's own path.
      if (input == "-" && replayPath == "-")
        throw backstop::InputError(backstop::ErrorCode::InvalidInput, {{"", "only one of SCENARIO and PATH can be -"}});
      backstop::Json wrapped = {{"scenario", doc}};
      if (!replayPath.empty()) wrapped["csv"] = readInput(replayPath);
      if (intervalDays) wrapped["interval_days"] = *intervalDays;
      const backstop::Json result = backstop::dispatch(command, wrapped, options);
      std::cout << backstop::cli::render(command, format, doc, result);
      return 0;
    }
    if (partial) {
      const std::string bytes = backstop::writePartial(command, doc, options, shard);
      std::cout.write(bytes.data(), std::streamsize(bytes.size()));
      return std::cout.good() ? 0 : 1;
    }
    const backstop::Json result = backstop::dispatch(command, doc, options);
    std::cout << backstop::cli::render(command, format, doc, result);
    if (command == "validate" && !result.value("valid", false)) return 2;
    return 0;
  } catch (const backstop::InputError& e) {
    printErrors(e, command == "calibrate" ? input : "");
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "backstop: internal error: " << e.what() << "\n";
    return 1;
  }
}
