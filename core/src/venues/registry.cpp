#include <cctype>

#include "all.hpp"

namespace backstop {

Policy presetPolicy(Venue v, const std::string& symbol) {
  Policy p = venues::rules(v).preset(symbol);
  p.preset = v;
  p.presetApplied = true;
  return p;
}

namespace venues {

double keepFloor(double configured) { return configured; }

std::string contractSymbol(const std::string& symbol) {
  std::string out;
  for (char c : symbol)
    if (c != '-' && c != '_' && c != '/') out += char(std::toupper((unsigned char)c));
  return out;
}

const VenueRules& rules(Venue v) {
  switch (v) {
    case Venue::Generic: return genericRules();
    case Venue::Bitmex: return bitmexRules();
    case Venue::Binance: return binanceRules();
    case Venue::DydxV4: return dydxRules();
    case Venue::Hyperliquid: return hyperliquidRules();
    case Venue::Drift: return driftRules();
    case Venue::GmxV2: return gmxRules();
  }
  return genericRules();
}

}  // namespace venues
}  // namespace backstop
