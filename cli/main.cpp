// backstop <command> SCENARIO.json|- [--format json|markdown|csv] [--table NAME]
//   simulate, size, sweep: [--paths N] [--seed S] [--threads N]; sweep: [--parameter /json/pointer --values a,b,c]
// backstop calibrate PRICES.csv|- [--model gbm|student_t|merton|garch|bootstrap|all] [--interval-days D]
// Exit codes: 0 ok, 2 invalid input (messages on stderr), 1 internal error.
#include <unistd.h>

#include <algorithm>
#include <cctype>
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
#include "backstop/io/report.hpp"
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

// Edit distance, for "did you mean" on a misspelt subcommand.
size_t distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// The first argument when it is not a subcommand: the nearest one, or "" when none is close.
std::string nearestCommand(const std::string& word) {
  std::string best;
  size_t bestDistance = 3;  // at most two edits away
  for (const auto& c : backstop::commands()) {
    if (c.internal) continue;
    const size_t d = distance(word, c.name);
    if (d < bestDistance) bestDistance = d, best = c.name;
  }
  return best;
}

// What each subcommand's --help ends with.
std::string examples(const std::string& command) {
  const std::string p = "\nExamples:\n  backstop " + command + " ";
  if (command == "position") return p + "tests/golden/position-linear-long.json --format markdown\n";
  if (command == "validate")
    return p + "scenarios/default.json\n  backstop validate tests/golden/position-linear-long.json -f markdown\n";
  if (command == "stress")
    return p + "scenarios/drift-sol.json -f markdown\n  backstop stress scenarios/token-fund.json -f csv --table events\n"
               "  backstop stress scenarios/drift-sol.json -f csv --table positions\n";
  if (command == "ruin") return p + "tests/golden/ruin-lognormal.json --format markdown\n";
  if (command == "simulate")
    return p + "scenarios/default.json --threads 2 -f markdown\n  backstop simulate scenarios/default.json --paths 1e5 --seed 7 -f csv\n"
               "  backstop simulate scenarios/alts-pooled.json -f csv --table markets\n";
  if (command == "size") return p + "scenarios/default.json --paths 50000 --seed 7 -f markdown\n";
  if (command == "replay") return p + "scenarios/default.json tests/data/dax-1991-1998.csv -f markdown\n";
  if (command == "sweep")
    return p + "scenarios/dex-midcap.json --parameter /policy/penalty/rate --values 0,0.0025,0.005,0.01 -f markdown\n";
  if (command == "calibrate") return p + "tests/data/dax-1991-1998.csv --model gbm --format markdown\n";
  return "";
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
  if (argc > 1 && argv[1][0] != '-') {
    const std::string word = argv[1];
    bool known = false;
    for (const auto& c : backstop::commands()) known = known || (!c.internal && word == c.name);
    if (!known) {
      const std::string near = nearestCommand(word);
      std::cerr << "backstop: unknown command \"" << word.substr(0, 40) << "\""
                << (near.empty() ? "" : "; did you mean " + near + "?") << "\nRun backstop --help for the list.\n";
      return 2;
    }
  }
  CLI::App app{"backstop: insurance-fund sizing and stress testing for derivatives venues"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(backstop::version()));
  app.footer("\nExamples:\n  backstop validate scenarios/default.json\n  backstop stress scenarios/drift-sol.json -f markdown\n"
             "  backstop simulate scenarios/default.json --threads 2 -f markdown\n  backstop <command> --help\n");
  std::string input, format = "json", table;
  std::string pathsText;
  long long seed = -1;
  int threads = 1;
  std::string importance;
  double precision = 0;
  std::string sweepParameter;
  std::vector<double> sweepValues;
  std::string model = "all", intervalText;
  std::string replayPath;
  std::optional<double> intervalDays;
  for (const auto& c : backstop::commands()) {
    if (c.internal) continue;
    const std::string name = c.name;
    auto* sub = app.add_subcommand(c.name, c.summary);
    sub->footer(examples(name));
    if (name == "calibrate") {
      sub->add_option("prices", input, "CSV of prices (header with close or price, optional time/date/timestamp), or -")
          ->required();
      sub->add_option("--model", model, "model to fit")
          ->check(CLI::IsMember({"gbm", "student_t", "merton", "garch", "bootstrap", "all"}));
      sub->add_option("--interval-days", intervalText, "days between rows when the CSV has no time column (default 1)");
      sub->add_option("--format,-f", format, "output format")->check(CLI::IsMember({"json", "markdown", "csv"}));
      continue;
    }
    sub->add_option("scenario", input, name == "position" ? "position JSON file, or - for standard input"
                                                          : "scenario JSON file, or - for standard input")
        ->required();
    sub->add_option("--format,-f", format, "output format")
        ->check(CLI::IsMember({"json", "markdown", "csv"}));
    const std::vector<std::string> tables = backstop::report::tableNames(name);
    if (tables.size() > 1) {
      std::string list;
      for (const auto& t : tables) list += (list.empty() ? "" : ", ") + t;
      sub->add_option("--table", table, "CSV table to write (default " + tables.front() + "): " + list)
          ->check(CLI::IsMember(tables));
    }
    // Only the Monte Carlo commands take run options: elsewhere the flag is an error.
    if (name == "simulate" || name == "size" || name == "sweep") {
      sub->add_option("--paths", pathsText, "Monte Carlo paths (overrides the scenario; 1e6 is accepted)");
      sub->add_option("--seed", seed, "random seed (overrides the scenario)")
          ->check(CLI::Range(0LL, 9007199254740991LL));
      sub->add_option("--threads", threads, "worker threads (results do not depend on it)")
          ->check(CLI::Range(1, 256));
      sub->add_option("--importance", importance, "importance sampling of the depletion event (overrides the scenario)")
          ->check(CLI::IsMember({"auto", "off"}));
      sub->add_option("--precision", precision,
                      "run batches until the 95 % half-width of P(depletion) is at most this share of it (e.g. 0.1)")
          ->check(CLI::Range(1e-6, 1.0));
    }
    if (name == "sweep") {
      sub->add_option("--parameter", sweepParameter, "JSON pointer of the swept field (overrides the scenario's sweep)");
      sub->add_option("--values", sweepValues, "comma-separated values of the swept field")->delimiter(',');
    }
    if (name == "replay") {
      sub->add_option("path", replayPath, "price path CSV (close or price column, optional high/low, time), or -");
      sub->add_option("--interval-days", intervalDays, "days between rows when the CSV has no time column (default 1)");
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // A flag the subcommand does not take: name it and the command, not just "not expected".
    CLI::App* sub = nullptr;
    for (CLI::App* c : app.get_subcommands({}))
      if (argc > 1 && c->get_name() == argv[1]) sub = c;
    for (int i = 2; sub && i < argc; ++i) {
      const std::string arg = argv[i];
      if (arg.size() < 2 || arg[0] != '-' || std::isdigit((unsigned char)arg[1]) || arg[1] == '.') continue;
      const std::string flag = arg.substr(0, arg.find('='));
      if (sub->get_option_no_throw(flag) != nullptr || flag == "--help" || flag == "-h") continue;
      std::cerr << "backstop " << argv[1] << ": " << flag << " is not an option of " << argv[1]
                << (flag == "--paths" || flag == "--seed" || flag == "--threads" ? " (only simulate, size and sweep run paths)" : "")
                << "\nRun backstop " << argv[1] << " --help for its options.\n";
      return 2;
    }
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  const std::string command = app.get_subcommands().front()->get_name();
  try {
    backstop::RunOptions options;
    options.paths = pathsText.empty() ? 0 : parsePaths(pathsText);
    options.seed = seed;
    options.threads = threads;
    options.importance = importance;
    options.precision = precision;
    ProgressBar bar;
    options.progress = [&bar](double f) { bar(f); };
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
      std::cout << backstop::cli::render(command, format, table, doc, result);
      return 0;
    }
    const backstop::Json result = backstop::dispatch(command, doc, options);
    std::cout << backstop::cli::render(command, format, table, doc, result);
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
