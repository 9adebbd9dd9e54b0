// One venue = one file in core/src/venues/: its formulas (declared in venues.hpp), its preset,
// its fund floor and its stress mechanics, behind this interface; `rules(venue)` finds them.
#pragma once

#include <cstddef>
#include <string>

#include "backstop/model/scenario.hpp"

namespace backstop {
class ShockRun;  // one shock applied to a book (stress); core/src/stress/shock_run.hpp
}

namespace backstop::venues {

struct VenueRules {
  Venue venue;
  const char* name;  // the scenario's policy.preset
  // The venue's policy for a market (`symbol` picks per-contract fees); presetPolicy sets `preset`.
  Policy (*preset)(const std::string& symbol);
  // The least the fund keeps, given the scenario's floor.
  double (*fundFloor)(double configured);
  // Stress: liquidates book entry `i` at the run's mark; false leaves it to the generic engine.
  bool (*liquidate)(ShockRun& run, std::size_t i);
  // Stress: after the cascade (nullptr: nothing).
  void (*afterEvent)(ShockRun& run);
};

const VenueRules& rules(Venue v);

// A symbol as a venue lists it: upper case, without '-', '_', '/' ("btc-usdt" → "BTCUSDT").
std::string contractSymbol(const std::string& symbol);

// The generic engine's pieces a venue may reuse.
double keepFloor(double configured);
bool genericLiquidation(ShockRun& run, std::size_t i);

}  // namespace backstop::venues
