// The venues the registry (registry.cpp) knows, one file each. Private to the core.
#pragma once

#include "backstop/venues/rules.hpp"

namespace backstop::venues {
const VenueRules& genericRules();
const VenueRules& bitmexRules();
const VenueRules& binanceRules();
const VenueRules& dydxRules();
const VenueRules& hyperliquidRules();
const VenueRules& driftRules();
const VenueRules& gmxRules();
}  // namespace backstop::venues
