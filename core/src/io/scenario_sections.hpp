// The JSON scenario reader's sections (market, book, fund, policy, price model, simulation),
// shared by io/scenario_reader.cpp. Private to the core.
#pragma once

#include <optional>
#include <string>

#include "backstop/io/json_read.hpp"
#include "backstop/model/scenario.hpp"
#include "backstop/replay/replay.hpp"

namespace backstop::detail {

// Rejects a finite but absurd magnitude (docs/scenario-format.md, limits), naming the field and the value.
void checkSize(Issues& issues, const std::string& pointer, double v, double max);
void checkPrice(Issues& issues, const std::string& pointer, double v);
void parseMarket(Reader r, Market& m, Issues& issues);
void parseBook(Reader r, const Market& market, Book& b, Issues& issues);
void parseTreasury(Reader t, Treasury& out, Issues& issues);
void parseFund(Reader r, Fund& f, Issues& issues);
void parsePolicy(Reader r, const Market& market, Policy& p, Issues& issues);
void parsePriceModel(Reader r, PriceModel& m, Issues& issues);
void parseSimulation(Reader r, SimulationSettings& s, Issues& issues);
// The scenario's "replay" path {interval_days?, close, high?, low?}: `validate` and `replay` read
// it with the checks a CSV path gets (positive prices, low <= close <= high, one high and low per close).
std::optional<PricePath> parseReplay(Reader r, Issues& issues);

}  // namespace backstop::detail
