// The scenario as JSON (docs/scenario-format.md): the reader (parse + validate, every problem
// by JSON pointer) and the writer (a scenario built in code, saved for the CLI and the widget).
#pragma once

#include <vector>

#include "backstop/io/api.hpp"
#include "backstop/model/scenario.hpp"

namespace backstop {

// Parses and validates; collects every problem in `issues` (never throws).
Scenario parseScenario(const Json& doc, const ScenarioNeeds& needs, Issues& issues);
// Parses, validates, throws InputError listing every problem.
Scenario loadScenario(const Json& doc, const ScenarioNeeds& needs);

// The document of a scenario: parseScenario(toJson(s)) runs exactly as resolve(s) does.
// Derived fields (Cholesky factor, per-market policies) are not written; the reader derives them.
Json toJson(const Scenario& s);

// The scenario document at one sweep point: values written at the axes' pointers, the
// `sweep` block removed.
Json sweepPointDocument(const Json& doc, const std::vector<SweepAxis>& axes, const std::vector<double>& at);
// The document at one point; its problems go to `issues`, naming the sweep value at fault.
Json checkSweepPoint(const Json& doc, const std::vector<SweepAxis>& axes, const std::vector<double>& at,
                     const ScenarioNeeds& needs, Issues& issues);

// Every field of a policy as it is in effect (the venue preset's values where the scenario
// sets none), in the scenario format's names: what reports show for fields left to the venue.
Json policyInEffect(const Policy& p);

// `policy`: {"markets": [{"symbol", "policy"}]}, each market's policy in effect (for the JS API).
Json policyCommand(const Json& input, const RunOptions& options);

// `validate`: {"valid": true} or {"valid": false, "errors": [...]}.
Json validateCommand(const Json& input, const RunOptions& options);

}  // namespace backstop
