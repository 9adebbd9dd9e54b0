// The command table behind dispatch(): each command reads a JSON document and returns JSON.
// The engines take typed scenarios and return typed results; these functions are the only
// place (with the other io/ files) where they meet JSON.
#pragma once

#include <vector>

#include "backstop/io/api.hpp"
#include "backstop/model/position.hpp"
#include "backstop/model/scenario.hpp"
#include "backstop/ruin/ruin.hpp"
#include "backstop/simulation/simulation.hpp"
#include "backstop/simulation/summary.hpp"
#include "backstop/stress/stress.hpp"

namespace backstop {

struct Command {
  const char* name;
  Json (*run)(const Json& input, const RunOptions& options);
  const char* summary;
  bool internal = false;  // for the JS API only: not a CLI subcommand
};

const std::vector<Command>& commands();

// dispatch() and runJson() over a subset of the table: a wasm module that links only the
// commands it names leaves the others' code out (wasm/CMakeLists.txt, the start module).
Json dispatch(const std::string& command, const Json& input, const RunOptions& options,
              const std::vector<Command>& table);
std::string runJson(const std::string& command, const std::string& input, const std::string& options,
                    const std::vector<Command>& table);

Json positionCommand(const Json& input, const RunOptions& options);
Json validateCommand(const Json& input, const RunOptions& options);
Json stressCommand(const Json& input, const RunOptions& options);
Json ruinCommand(const Json& input, const RunOptions& options);
Json simulateCommand(const Json& input, const RunOptions& options);
Json sizeCommand(const Json& input, const RunOptions& options);
Json sweepCommand(const Json& input, const RunOptions& options);
Json sweepPlanCommand(const Json& input, const RunOptions& options);
Json namesCommand(const Json& input, const RunOptions& options);

// The document with --paths/--seed overrides written into /simulation.
Json withRunOverrides(const Json& input, const RunOptions& o);
// Applies --paths/--seed overrides and path ranges; validates them.
Scenario scenarioForRun(const Json& input, const RunOptions& o);

// Writers (docs/outputs.md).
Json toJson(const SimulationResult& r);      // the `simulate` result
Json toJson(const SweepResult& r);           // the `sweep` result
// The members of a `simulate` result a sweep point keeps, as the sweep writer names them (the
// JS API merges worker runs by these names).
std::vector<std::string> sweepPointFieldNames();
Json toJson(const PositionResult& r);        // the `position` result
PositionResult positionOf(const Json& input);  // reads and computes the `position` command
Json toJson(const SizeResult& r);            // the `size` result
Json ruinToJson(const RuinResult& r);
Json toJson(const StressEvent& e);
Json toJson(const StressResult& r);
Json replayCommand(const Json& input, const RunOptions& options);  // io/replay_command.cpp

}  // namespace backstop
