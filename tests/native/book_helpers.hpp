// Shared by the venue and waterfall suites: a position literal and a one-market scenario
// under a venue preset, as each suite's cases start from; a seeded generator for the
// property suites.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
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

// Draws for random books, from one fixed seed per suite.
struct Gen {
  std::mt19937_64 rng;
  explicit Gen(std::uint64_t seed) : rng(seed) {}
  double uni(double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng); }
  double logUni(double a, double b) { return std::exp(uni(std::log(a), std::log(b))); }
  int integer(int a, int b) { return std::uniform_int_distribution<int>(a, b)(rng); }
  bool coin(double p = 0.5) { return uni(0, 1) < p; }
};

}  // namespace backstop::test_books
