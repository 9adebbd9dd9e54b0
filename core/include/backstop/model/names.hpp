// One name table per enum: the JSON spelling (id) and a label for people. The reader, the
// writers, the CLI's reports and the widget (through the `names` command) all use these.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backstop/model/position.hpp"
#include "backstop/model/scenario.hpp"
#include "backstop/ruin/ruin.hpp"

namespace backstop {

struct NameEntry {
  int value;          // the enum value
  const char* id;     // as written in JSON
  const char* label;  // for reports and option lists
};

struct NameTable {
  const char* key;  // e.g. "stage", "venue"
  std::vector<NameEntry> entries;
};

// Every table, in a fixed order (the `names` command lists them).
const std::vector<NameTable>& nameTables();

template <class E> struct EnumKey;
#define BACKSTOP_ENUM_KEY(E, K) \
  template <> struct EnumKey<E> { static constexpr const char* key = K; };
BACKSTOP_ENUM_KEY(Stage, "stage")
BACKSTOP_ENUM_KEY(AdlRanking, "adl_ranking")
BACKSTOP_ENUM_KEY(Venue, "venue")
BACKSTOP_ENUM_KEY(PriceModelKind, "price_model")
BACKSTOP_ENUM_KEY(ImpactModel, "impact_model")
BACKSTOP_ENUM_KEY(PenaltyMode, "penalty_mode")
BACKSTOP_ENUM_KEY(SocializeOver, "socialize_over")
BACKSTOP_ENUM_KEY(AdlTriggerKind, "adl_trigger")
BACKSTOP_ENUM_KEY(FundCoverage, "fund_coverage")
BACKSTOP_ENUM_KEY(FundScope, "fund_scope")
BACKSTOP_ENUM_KEY(FundAsset, "fund_asset")
BACKSTOP_ENUM_KEY(Contract, "contract")
BACKSTOP_ENUM_KEY(Side, "side")
BACKSTOP_ENUM_KEY(TierBasis, "maintenance_tier_basis")
BACKSTOP_ENUM_KEY(ClaimKind, "claim_distribution")
BACKSTOP_ENUM_KEY(ImportanceSampling, "importance_sampling")
#undef BACKSTOP_ENUM_KEY

const NameTable& nameTable(const char* key);

template <class E> const NameTable& namesOf() { return nameTable(EnumKey<E>::key); }

template <class E> const NameEntry& nameOf(E v) {
  for (const auto& e : namesOf<E>().entries)
    if (e.value == int(v)) return e;
  return namesOf<E>().entries.front();
}
template <class E> const char* idOf(E v) { return nameOf(v).id; }
template <class E> const char* labelOf(E v) { return nameOf(v).label; }
template <class E> std::optional<E> fromId(const std::string& id) {
  for (const auto& e : namesOf<E>().entries)
    if (id == e.id) return E(e.value);
  return std::nullopt;
}
template <class E> std::vector<E> valuesOf() {
  std::vector<E> out;
  for (const auto& e : namesOf<E>().entries) out.push_back(E(e.value));
  return out;
}
template <class E> std::vector<const char*> idsOf() {
  std::vector<const char*> out;
  for (const auto& e : namesOf<E>().entries) out.push_back(e.id);
  return out;
}

}  // namespace backstop
