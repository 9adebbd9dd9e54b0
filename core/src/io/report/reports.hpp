// Inside the report module: the typed results read back from their JSON (the inverse of the
// io/ writers) and each command's tables and Markdown.
#pragma once

#include <string>
#include <vector>

#include "backstop/errors.hpp"
#include "backstop/io/report.hpp"
#include "backstop/model/position.hpp"
#include "backstop/simulation/summary.hpp"
#include "backstop/stress/stress.hpp"

namespace backstop::report {

// Readers: a member that is missing or null reads as NaN (shown "n/a"), never as 0.
StressResult readStress(const Json& result);
SimulationResult readSimulation(const Json& result);
SizeResult readSize(const Json& result);
SweepResult readSweep(const Json& result);
std::vector<FieldError> readValidation(const Json& result);
PositionResult readPosition(const Json& input, const Json& result);

struct Validation {
  std::vector<FieldError> errors;
  std::string kind;  // "scenario" or "position"
};

std::vector<Table> stressTables(const StressResult& r, const Json& input);
std::string stressMarkdown(const StressResult& r, const Json& input);
std::vector<Table> simulateTables(const SimulationResult& r, const Json& input);
std::string simulateMarkdown(const SimulationResult& r, const Json& input);
std::vector<Table> sizeTables(const SizeResult& r, const Json& input);
std::string sizeMarkdown(const SizeResult& r, const Json& input);
std::vector<Table> sweepTables(const SweepResult& r);
std::string sweepMarkdown(const SweepResult& r, const Json& input);
std::vector<Table> validateTables(const std::vector<FieldError>& errors);
std::string validateMarkdown(const std::vector<FieldError>& errors, const Json& input);
std::vector<Table> positionTables(const PositionResult& r);
std::string positionMarkdown(const PositionResult& r);

// "Policy generic; overrides: a = 1, ...": the policy fields the scenario sets over its preset.
std::string presetLine(const Json& input, const std::string& preset);
// The scenario's name for a title, escaped.
std::string titleName(const Json& input, const std::string& fallback);

}  // namespace backstop::report
