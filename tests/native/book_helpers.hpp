// Shared by the venue and waterfall suites: a position literal and a one-market scenario
// under a venue preset, as each suite's cases start from.
#pragma once

#include <string>

#include "backstop/model/position.hpp"
#include "backstop/model/scenario.hpp"

namespace backstop::test_books {

inline Position pos(const std::string& id, Side s, double q, double e, double m) { return Position{id, s, q, e, m}; }

inline Scenario presetScenario(Venue v, const std::string& symbol, double mark = 100, double mmr = 0.01) {
  Scenario s;
  s.market().symbol = symbol;
  s.market().markPrice = mark;
  s.market().maintenanceMarginRate = mmr;
  s.policy = presetPolicy(v, symbol);
  return s;
}

}  // namespace backstop::test_books
