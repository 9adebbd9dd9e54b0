// The generic venue: the engine's defaults (Policy's own), liquidation as one market order
// (stress.cpp's ShockRun::liquidateGeneric).
#include "all.hpp"

namespace backstop::venues {

namespace {
Policy preset(const std::string&) { return Policy{}; }
}  // namespace

const VenueRules& genericRules() {
  static const VenueRules r{Venue::Generic, "generic", preset, keepFloor, nullptr, nullptr};
  return r;
}

}  // namespace backstop::venues
