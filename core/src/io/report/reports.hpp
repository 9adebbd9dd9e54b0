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

// A string built with <<, without iostreams (their locale machinery costs ~300 KB of wasm).
struct Text {
  std::string s;
  Text& operator<<(const std::string& x) { s += x; return *this; }
  Text& operator<<(const char* x) { s += x; return *this; }
  Text& operator<<(char c) { s += c; return *this; }
  Text& operator<<(int n) { s += std::to_string(n); return *this; }
  Text& operator<<(size_t n) { s += std::to_string(n); return *this; }
  std::string str() const { return s; }
};

// j[key] when j is an object that has it, else null (never throws, never inserts).
const Json& member(const Json& j, const char* key);

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
// " In effect: liquidation penalty 1.50 % of the notional closed (100.0 % to the fund), ADL
// ranking ...": each market's policy in effect (policyInEffect), so a field left to the venue
// shows its value; "" without a readable scenario.
std::string inEffectLine(const Json& input);
// The scenario's name for a title, escaped.
std::string titleName(const Json& input, const std::string& fallback);

}  // namespace backstop::report
