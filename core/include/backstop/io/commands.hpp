// The command table behind dispatch(): each command reads a JSON document and returns JSON.
#pragma once

#include <vector>

#include "backstop/io/api.hpp"

namespace backstop {

struct Command {
  const char* name;
  Json (*run)(const Json& input, const RunOptions& options);
  const char* summary;
  bool internal = false;  // for the JS API only: not a CLI subcommand
};

const std::vector<Command>& commands();

// Individual commands (defined next to the domain code they expose).
Json positionCommand(const Json& input, const RunOptions& options);
Json ruinCommand(const Json& input, const RunOptions& options);  // ruin.cpp
Json replayCommand(const Json& input, const RunOptions& options);  // io/replay_command.cpp

}  // namespace backstop
