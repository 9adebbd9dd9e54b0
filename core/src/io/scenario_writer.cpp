// A scenario as its JSON document (docs/scenario-format.md), and validate(const Scenario&):
// the document checked by the reader, so a scenario built in code gets the same field errors.
#include <cmath>
#include <optional>

#include "backstop/io/scenario_reader.hpp"
#include "backstop/model/names.hpp"

namespace backstop {

namespace {

Json marketJson(const Market& m) {
  return jsonObject(
      {{"symbol", m.symbol},
       {"contract", idOf(m.contract)},
       {"mark_price", m.markPrice},
       {"maintenance_margin_rate", m.maintenanceMarginRate},
       {"taker_fee_rate", m.takerFeeRate},
       {"daily_volume", m.dailyVolume},
       {"liquidity", jsonObject({{"model", idOf(m.liquidity.model)},
                                 {"depth_1pct", m.liquidity.depth1pct},
                                 {"impact_coefficient", m.liquidity.impactCoefficient},
                                 {"permanent_impact", m.liquidity.permanentImpact}})}});
}

Json bookJson(const Book& b) {
  Json j = jsonObject({{"turnover_per_day", b.turnoverPerDay}, {"warmup_days", b.warmupDays}});
  if (b.accountNotional > 0) j["account_notional"] = b.accountNotional;
  if (b.openInterest > 0 || !b.leverage.empty()) {
    j["open_interest"] = b.openInterest;
    Json lev = Json::array();
    for (const auto& l : b.leverage)
      lev.push_back(jsonObject({{"leverage", l.leverage}, {"share", l.share}}));
    j["leverage"] = lev;
  }
  if (!b.positions.empty() || b.openInterest <= 0) {
    Json pos = Json::array();
    for (const auto& p : b.positions)
      pos.push_back(jsonObject({{"id", p.id},
                                {"side", toString(p.side)},
                                {"quantity", p.quantity},
                                {"entry_price", p.entryPrice},
                                {"collateral", p.collateral}}));
    j["positions"] = pos;
  }
  return j;
}

Json priceModelJson(const PriceModel& m) {
  Json j = jsonObject({{"kind", idOf(m.kind)},
                       {"daily_volatility", m.dailyVolatility},
                       {"drift_per_year", m.driftPerYear}});
  if (m.kind == PriceModelKind::StudentT || m.kind == PriceModelKind::Garch) j["dof"] = m.dof;
  if (m.kind == PriceModelKind::Merton) {
    j["jump_intensity_per_year"] = m.jumpIntensityPerYear;
    j["jump_mean"] = m.jumpMean;
    j["jump_stdev"] = m.jumpStdev;
  }
  if (m.kind == PriceModelKind::Garch) {
    j["omega"] = m.omega;
    j["alpha"] = m.alpha;
    j["beta"] = m.beta;
  }
  if (m.kind == PriceModelKind::Bootstrap) {
    j["returns"] = m.returns;
    j["block_days"] = m.blockDays;
  }
  return j;
}

// The fields that differ from `base`; every field when there is none.
Json policyFields(const Policy& p, const std::optional<Policy>& given) {
  const bool all = !given;
  const Policy base = given.value_or(Policy{});
  Json j = jsonObject({{"preset", toString(p.preset)}});
  Json pen = Json::object(), venue = Json::object(), trig = Json::object();
  if (all || p.penaltyMode != base.penaltyMode) pen["mode"] = idOf(p.penaltyMode);
  if (all || p.penaltyRate != base.penaltyRate) pen["rate"] = p.penaltyRate;
  if (all || p.penaltyToFund != base.penaltyToFund || p.penaltyToVault != base.penaltyToVault) {
    pen["to_fund"] = p.penaltyToFund;
    pen["to_vault"] = p.penaltyToVault;
  }
  if (!pen.empty()) j["penalty"] = pen;
  if (all || p.stages != base.stages) {
    Json st = Json::array();
    for (Stage s : p.stages) st.push_back(toString(s));
    j["stages"] = st;
  }
  if (all || p.adlRanking != base.adlRanking) j["adl_ranking"] = toString(p.adlRanking);
  if (all || p.socializeOver != base.socializeOver) j["socialize_over"] = idOf(p.socializeOver);
  if (all || p.adlTrigger != base.adlTrigger) trig["kind"] = idOf(p.adlTrigger);
  if (all || p.drawdownFraction != base.drawdownFraction) trig["fraction"] = p.drawdownFraction;
  if (all || p.drawdownWindowHours != base.drawdownWindowHours) trig["window_hours"] = p.drawdownWindowHours;
  if (!trig.empty()) j["adl_trigger"] = trig;
  if (all || p.fundCoverage != base.fundCoverage)
    j["fund_coverage"] = idOf(p.fundCoverage);
  auto venueField = [&](const char* key, double v, double b, bool optional) {
    if ((all || v != b) && (!optional || v >= 0)) venue[key] = v;
  };
  venueField("backstop_threshold", p.backstopThreshold, base.backstopThreshold, false);
  venueField("spread_to_maintenance", p.spreadToMaintenance, base.spreadToMaintenance, false);
  venueField("bankruptcy_adjustment", p.bankruptcyAdjustment, base.bankruptcyAdjustment, false);
  venueField("max_insurance_fund_fee", p.maxInsuranceFundFee, base.maxInsuranceFundFee, false);
  venueField("per_market_fund_cap", p.perMarketFundCap, base.perMarketFundCap, true);
  venueField("fee_pool", p.feePool, base.feePool, false);
  venueField("liquidation_margin_buffer", p.liquidationMarginBuffer, base.liquidationMarginBuffer, false);
  venueField("max_pnl_factor", p.maxPnlFactor, base.maxPnlFactor, true);
  venueField("max_pnl_factor_for_adl", p.maxPnlFactorForAdl, base.maxPnlFactorForAdl, true);
  venueField("min_pnl_factor_after_adl", p.minPnlFactorAfterAdl, base.minPnlFactorAfterAdl, true);
  venueField("max_negative_impact", p.maxNegativeImpact, base.maxNegativeImpact, true);
  venueField("fund_takeover_cap", p.fundTakeoverCap, base.fundTakeoverCap, true);
  if (all || p.maintenanceTiers != base.maintenanceTiers) {
    Json t = Json::array();
    for (const auto& m : p.maintenanceTiers.value_or(std::vector<MarginTier>{}))
      t.push_back(jsonObject({{"up_to", m.upTo}, {"rate", m.rate}}));
    venue["maintenance_tiers"] = t;
  }
  if (all || p.maintenanceTierBasis != base.maintenanceTierBasis) venue["maintenance_tier_basis"] = idOf(p.maintenanceTierBasis);
  if (!venue.empty()) j["venue"] = venue;
  return j;
}

// The fields that differ from what the reader starts from: the preset's policy once applied
// (the reader applies it again, per market symbol), else the generic defaults (then the
// reader gives the rest the preset's values, as resolve() does).
Json policyJson(const Policy& p, const std::string& symbol) {
  return policyFields(p, p.presetApplied ? presetPolicy(p.preset, symbol) : Policy{});
}

}  // namespace

Json policyInEffect(const Policy& p) { return policyFields(p, std::nullopt); }

Json policyCommand(const Json& input, const RunOptions&) {
  const Scenario s = resolve(loadScenario(input, ScenarioNeeds{}));
  Json markets = Json::array();
  if (s.markets.empty())
    markets.push_back(jsonObject({{"symbol", ""}, {"policy", policyInEffect(s.policy)}}));
  for (const auto& m : s.markets)
    markets.push_back(
        jsonObject({{"symbol", m.market.symbol}, {"policy", policyInEffect(m.policy)}}));
  return jsonObject({{"markets", markets}});
}

Json toJson(const Scenario& s) {
  Json doc = {{"schema", kScenarioSchema}, {"name", s.name}};
  const bool perMarket = s.fund.scope == FundScope::PerMarket;
  Json fund = jsonObject({{"balance", s.fund.balance},
                          {"fee_share", s.fund.feeShare},
                          {"backstop_vault", s.fund.backstopVault},
                          {"floor", s.fund.floor},
                          {"scope", idOf(s.fund.scope)},
                          {"treasury", jsonObject({{"amount", s.fund.treasury.amount},
                                                   {"delay_days", s.fund.treasury.delayDays}})}});
  if (s.fund.maxDrawFractionPerEvent) fund["max_draw_fraction_per_event"] = *s.fund.maxDrawFractionPerEvent;
  if (!s.fund.composition.empty()) {
    Json comp = Json::array();
    for (const auto& h : s.fund.composition) {
      Json e = jsonObject({{"asset", idOf(h.asset)}, {"share", h.share}, {"market", h.market}});
      if (h.asset == FundAsset::Token) {
        e["daily_volatility"] = h.dailyVolatility;
        e["beta"] = h.beta;
      }
      comp.push_back(e);
    }
    fund["composition"] = comp;
  }
  doc["fund"] = fund;
  const bool several = s.multiMarket || s.markets.size() > 1;
  if (several) {
    Json list = Json::array();
    for (const auto& m : s.markets) {
      Json e = jsonObject({{"market", marketJson(m.market)},
                           {"book", bookJson(m.book)},
                           {"price_model", priceModelJson(m.priceModel)}});
      if (perMarket) e["fund"] = jsonObject({{"balance", m.balance}, {"fee_share", m.feeShare}});
      list.push_back(e);
    }
    doc["markets"] = list;
    if (!s.correlation.empty()) doc["correlation"] = s.correlation;
    if (s.commonJumps.active())
      doc["common_jumps"] = jsonObject({{"intensity_per_year", s.commonJumps.intensityPerYear},
                                        {"mean", s.commonJumps.mean},
                                        {"stdev", s.commonJumps.stdev},
                                        {"loadings", s.commonJumps.loadings}});
  } else if (!s.markets.empty()) {
    const MarketSpec& m = s.markets[0];
    doc["market"] = marketJson(m.market);
    doc["book"] = bookJson(m.book);
    doc["price_model"] = priceModelJson(m.priceModel);
  }
  doc["policy"] = policyJson(s.policy, s.markets.empty() ? std::string() : s.markets[0].market.symbol);
  const SimulationSettings& sim = s.simulation;
  doc["simulation"] = jsonObject({{"horizon_days", sim.horizonDays},
                                  {"steps_per_day", sim.stepsPerDay},
                                  {"paths", sim.paths},
                                  {"seed", sim.seed},
                                  {"target_depletion_probability", sim.targetDepletionProbability},
                                  {"importance_sampling", idOf(sim.importanceSampling)}});
  if (sim.targetRelativeError > 0) doc["simulation"]["target_relative_error"] = sim.targetRelativeError;
  if (sim.maxPaths > 0) doc["simulation"]["max_paths"] = sim.maxPaths;
  if (!s.stress.shocks.empty()) doc["stress"] = jsonObject({{"shocks", s.stress.shocks}});
  if (!s.sweep.empty()) {
    Json axes = Json::array();
    for (const auto& a : s.sweep)
      axes.push_back(jsonObject({{"parameter", a.pointer}, {"values", a.values}}));
    doc["sweep"] = jsonObject({{"parameters", axes}});
  }
  return doc;
}

std::vector<FieldError> validate(const Scenario& s, const ScenarioNeeds& needs) {
  if (s.markets.empty())
    return {{"/markets", "is empty: a scenario needs a market (fill Scenario::markets, or write through "
                         "Scenario::market(), book() and priceModel())"}};
  Issues issues;
  parseScenario(toJson(s), needs, issues);
  return issues.errors();
}

std::vector<FieldError> validate(const Scenario& s) {
  ScenarioNeeds needs;
  needs.priceModel = true;
  return validate(s, needs);
}

}  // namespace backstop
