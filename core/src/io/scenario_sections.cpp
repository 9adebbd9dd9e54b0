// The JSON scenario reader, one section at a time (docs/scenario-format.md).
#include "io/scenario_sections.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "backstop/model/names.hpp"
#include "backstop/venues/venues.hpp"

namespace backstop::detail {

namespace {

// One of an enum's JSON ids (model/names.hpp); a bad or missing value reads as the fallback,
// else the table's first entry (reported by the reader either way).
template <class E>
E pick(Reader& r, const char* key, std::optional<E> fallback) {
  const std::string id = r.choice(key, fallback ? std::optional<std::string>(idOf(*fallback)) : std::nullopt, idsOf<E>());
  return fromId<E>(id).value_or(fallback.value_or(E(namesOf<E>().entries.front().value)));
}

}  // namespace


// Rejects a finite but absurd magnitude (docs/scenario-format.md (limits)), naming the field and the value.
void checkSize(Issues& issues, const std::string& pointer, double v, double max) {
  if (std::isfinite(v) && std::fabs(v) > max)
    issues.add(pointer, "is " + formatValue(v) + ", beyond the documented maximum of " + formatValue(max));
}

void checkPrice(Issues& issues, const std::string& pointer, double v) {
  checkSize(issues, pointer, v, limits::kMaxPrice);
  if (v > 0 && v < limits::kMinPrice)
    issues.add(pointer, "is " + formatValue(v) + ", below the documented minimum of " + formatValue(limits::kMinPrice));
}


void parseMarket(Reader r, Market& m, Issues& issues) {
  m.symbol = r.string("symbol", std::string(""));
  m.contract = pick<Contract>(r, "contract", Contract::Linear);
  m.markPrice = r.positive("mark_price");
  m.maintenanceMarginRate = r.inRange("maintenance_margin_rate", std::nullopt, 0, 1, true, true);
  m.takerFeeRate = r.inRange("taker_fee_rate", 0.0, 0, 0.1, false, false);
  m.dailyVolume = r.nonNegative("daily_volume", 0.0);
  Reader l = r.object("liquidity", false);
  m.liquidity.model = pick<ImpactModel>(l, "model", ImpactModel::None);
  m.liquidity.depth1pct = l.number("depth_1pct", 0.0);
  if (m.liquidity.model == ImpactModel::Linear && !(m.liquidity.depth1pct > 0))
    issues.add(l.at("depth_1pct"), "must be > 0 for the linear impact model, got " +
                                       formatValue(m.liquidity.depth1pct));
  m.liquidity.impactCoefficient = l.nonNegative("impact_coefficient", 1.0);
  m.liquidity.permanentImpact = l.inRange("permanent_impact", 0.0, 0, 1, false, false);
  if (m.liquidity.model == ImpactModel::Sqrt && !(m.dailyVolume > 0))
    issues.add(r.at("daily_volume"), "must be > 0 for the sqrt impact model, got " + formatValue(m.dailyVolume));
  checkPrice(issues, r.at("mark_price"), m.markPrice);
  checkSize(issues, r.at("daily_volume"), m.dailyVolume, limits::kMaxMoney);
  checkSize(issues, l.at("depth_1pct"), m.liquidity.depth1pct, limits::kMaxMoney);
  l.rejectUnknown();
  r.rejectUnknown();
}

void parseBook(Reader r, const Market& market, Book& b, Issues& issues) {
  b.openInterest = r.nonNegative("open_interest", 0.0);
  checkSize(issues, r.at("open_interest"), b.openInterest, limits::kMaxMoney);
  b.turnoverPerDay = r.inRange("turnover_per_day", 0.0, 0, 100, false, false);
  b.warmupDays = r.inRange("warmup_days", 0.0, 0, 3650, false, false);
  b.accountNotional = r.nonNegative("account_notional", 0.0);
  checkSize(issues, r.at("account_notional"), b.accountNotional, limits::kMaxMoney);
  const nlohmann::json* lev = r.raw("leverage");
  r.known("leverage");
  if (lev) {
    if (!lev->is_array()) {
      issues.add(r.at("leverage"), "must be an array of {leverage, share}, got " + describeJson(*lev));
    } else if ((long long)lev->size() > limits::kMaxLeverageBuckets) {
      issues.limit(r.at("leverage"), "has " + std::to_string(lev->size()) + " buckets, more than the limit of " +
                                         std::to_string(limits::kMaxLeverageBuckets));
    } else {
      double total = 0;
      bool allGood = true;
      for (size_t i = 0; i < lev->size(); ++i) {
        Reader e(&(*lev)[i], r.at("leverage") + "/" + std::to_string(i), issues);
        if (!(*lev)[i].is_object()) {
          issues.add(e.pointer(), "must be an object {leverage, share}, got " + describeJson((*lev)[i]));
          allGood = false;
          continue;
        }
        LeverageBucket lb;
        lb.leverage = e.inRange("leverage", std::nullopt, 0, 1000, true, false);
        lb.share = e.inRange("share", std::nullopt, 0, 1, false, false);
        e.rejectUnknown();
        if (std::isnan(lb.leverage) || std::isnan(lb.share)) { allGood = false; continue; }
        // A long at leverage L is liquidated at E(1 − 1/L)/(1 − mmr): at once if that is >= E.
        if (market.maintenanceMarginRate > 0 && 1.0 / lb.leverage <= market.maintenanceMarginRate)
          issues.add(e.at("leverage"), "is " + formatValue(lb.leverage) +
                                           ": its initial margin 1/leverage is not above the maintenance margin rate " +
                                           formatValue(market.maintenanceMarginRate) + ", so it would be liquidated at once");
        total += lb.share;
        b.leverage.push_back(lb);
      }
      if (allGood && !b.leverage.empty() && std::fabs(total - 1.0) > 1e-9)
        issues.add(r.at("leverage"), "shares must sum to 1, got " + formatValue(total));
    }
  }
  if (b.openInterest > 0 && b.leverage.empty() && !(lev && !lev->is_array()))
    issues.add(r.at("leverage"), "is required when open_interest > 0 (a histogram of {leverage, share})");
  const nlohmann::json* pos = r.raw("positions");
  r.known("positions");
  if (pos) {
    if (!pos->is_array()) {
      issues.add(r.at("positions"), "must be an array of positions, got " + describeJson(*pos));
    } else if ((long long)pos->size() > limits::kMaxPositions) {
      issues.limit(r.at("positions"), "has " + std::to_string(pos->size()) + " positions, more than the limit of " +
                                          std::to_string(limits::kMaxPositions));
    } else {
      std::set<std::string> ids;
      b.positions.reserve(pos->size());
      for (size_t i = 0; i < pos->size(); ++i) {
        const std::string ptr = r.at("positions") + "/" + std::to_string(i);
        if (!(*pos)[i].is_object()) {
          issues.add(ptr, "must be a position object, got " + describeJson((*pos)[i]));
          continue;
        }
        Reader e(&(*pos)[i], ptr, issues);
        Position p;
        p.id = e.string("id", "position-" + std::to_string(i));
        if (!ids.insert(p.id).second) issues.add(e.at("id"), "duplicates the id \"" + p.id.substr(0, 40) + "\"");
        p.side = pick<Side>(e, "side", std::nullopt);
        p.quantity = e.number("quantity");
        p.entryPrice = e.number("entry_price");
        p.collateral = e.number("collateral");
        e.rejectUnknown();
        if (!std::isnan(p.quantity) && !std::isnan(p.entryPrice) && !std::isnan(p.collateral)) {
          validatePosition(p, ptr, issues);
          checkPrice(issues, ptr + "/entry_price", p.entryPrice);
          checkSize(issues, ptr + "/collateral", p.collateral, limits::kMaxMoney);
          const double notional = notionalInQuote(p, market.contract, p.entryPrice);
          if (std::isfinite(p.quantity) && !(notional <= limits::kMaxMoney))
            issues.add(ptr + "/quantity", "is " + formatValue(p.quantity) + ": a notional of " + formatValue(notional) +
                                              " at entry, beyond the documented maximum of " +
                                              formatValue(limits::kMaxMoney));
        }
        b.positions.push_back(p);
      }
    }
  }
  if (!(b.openInterest > 0) && b.positions.empty() && !(lev || pos))
    issues.add(r.pointer(), "is empty: give open_interest with a leverage histogram, or positions");
  else if (!(b.openInterest > 0) && b.positions.empty() && pos && pos->is_array() && pos->empty() && !lev)
    issues.add(r.at("positions"), "is empty and there is no synthetic book (open_interest): nothing to liquidate");
  r.rejectUnknown();
}

void parseTreasury(Reader t, Treasury& out, Issues& issues) {
  out.amount = t.nonNegative("amount", 0.0);
  out.delayDays = t.inRange("delay_days", 0.0, 0, 3650, false, false);
  checkSize(issues, t.at("amount"), out.amount, limits::kMaxMoney);
  t.rejectUnknown();
}

void parseFund(Reader r, Fund& f, Issues& issues) {
  f.balance = r.nonNegative("balance", 0.0);
  f.feeShare = r.inRange("fee_share", 0.0, 0, 1, false, false);
  f.backstopVault = r.nonNegative("backstop_vault", 0.0);
  if (r.present("max_draw_fraction_per_event"))
    f.maxDrawFractionPerEvent = r.inRange("max_draw_fraction_per_event", std::nullopt, 0, 1, true, false);
  else
    r.optionalNumber("max_draw_fraction_per_event");
  f.floor = r.nonNegative("floor", 0.0);
  f.scope = pick<FundScope>(r, "scope", FundScope::Shared);
  parseTreasury(r.object("treasury", false), f.treasury, issues);
  if (const nlohmann::json* comp = r.raw("composition")) {
    r.known("composition");
    if (!comp->is_array() || comp->empty() || (long long)comp->size() > limits::kMaxFundHoldings) {
      issues.add(r.at("composition"), "must be an array of 1 to " + std::to_string(limits::kMaxFundHoldings) +
                                          " holdings {asset, share}, got " + describeJson(*comp));
    } else {
      double total = 0;
      bool allGood = true;
      for (size_t i = 0; i < comp->size(); ++i) {
        const std::string ptr = r.at("composition") + "/" + std::to_string(i);
        Reader h(&(*comp)[i], ptr, issues);
        if (!(*comp)[i].is_object()) {
          issues.add(ptr, "must be an object {asset, share}, got " + describeJson((*comp)[i]));
          allGood = false;
          continue;
        }
        FundHolding fh;
        fh.asset = pick<FundAsset>(h, "asset", std::nullopt);
        fh.share = h.inRange("share", std::nullopt, 0, 1, false, false);
        if (fh.asset == FundAsset::Token) {
          fh.dailyVolatility = h.inRange("daily_volatility", std::nullopt, 0, 1, false, false);
          fh.beta = h.inRange("beta", 1.0, -10, 10, false, false);
        } else {
          h.optionalNumber("daily_volatility");
          h.optionalNumber("beta");
        }
        fh.market = int(h.integer("market", 0, 0, limits::kMaxMarkets - 1));
        h.rejectUnknown();
        if (std::isnan(fh.share)) allGood = false;
        else total += fh.share;
        f.composition.push_back(fh);
      }
      if (allGood && std::fabs(total - 1.0) > 1e-9)
        issues.add(r.at("composition"), "shares must sum to 1, got " + formatValue(total));
    }
  } else {
    r.known("composition");
  }
  checkSize(issues, r.at("balance"), f.balance, limits::kMaxMoney);
  checkSize(issues, r.at("backstop_vault"), f.backstopVault, limits::kMaxMoney);
  checkSize(issues, r.at("floor"), f.floor, limits::kMaxMoney);
  r.rejectUnknown();
}

void parsePolicy(Reader r, const Market& market, Policy& p, Issues& issues) {
  p = presetPolicy(pick<Venue>(r, "preset", Venue::Generic), market.symbol);
  Reader pen = r.object("penalty", false);
  if (pen.present("mode"))
    p.penaltyMode = pick<PenaltyMode>(pen, "mode", std::nullopt);
  p.penaltyRate = pen.inRange("rate", p.penaltyRate, 0, 1, false, false);
  p.penaltyToFund = pen.inRange("to_fund", p.penaltyToFund, 0, 1, false, false);
  p.penaltyToVault = pen.inRange("to_vault", p.penaltyToVault, 0, 1, false, false);
  if (pen.present("to_fund") && !pen.present("to_vault") && p.penaltyToFund + p.penaltyToVault > 1)
    p.penaltyToVault = 1 - p.penaltyToFund;  // a preset's pool share yields to an explicit fund share
  if (p.penaltyToFund + p.penaltyToVault > 1 + 1e-12)
    issues.add(pen.at("to_vault"), "is " + formatValue(p.penaltyToVault) + ": with to_fund " +
                                       formatValue(p.penaltyToFund) + " the shares exceed 1");
  pen.rejectUnknown();
  if (const nlohmann::json* st = r.raw("stages")) {
    r.known("stages");
    if (!st->is_array() || st->empty() || st->size() > 8) {
      issues.add(r.at("stages"), "must be a non-empty array of stage names, got " + describeJson(*st));
    } else {
      p.stages.clear();
      std::set<std::string> seen;
      for (size_t i = 0; i < st->size(); ++i) {
        const auto& e = (*st)[i];
        const std::string ptr = r.at("stages") + "/" + std::to_string(i);
        const std::string s = e.is_string() ? e.get<std::string>() : "";
        if (const auto stage = fromId<Stage>(s)) p.stages.push_back(*stage);
        else {
          std::string list;
          for (const char* id : idsOf<Stage>()) list += (list.empty() ? "" : ", ") + std::string(id);
          issues.add(ptr, "must be one of " + list + ", got " + describeJson(e));
          continue;
        }
        if (!seen.insert(s).second) issues.add(ptr, "repeats the stage \"" + s + "\"");
      }
    }
  } else {
    r.known("stages");
  }
  if (r.present("adl_ranking")) {
    const auto ranking = fromId<AdlRanking>(r.choice("adl_ranking", std::nullopt, idsOf<AdlRanking>()));
    if (ranking) p.adlRanking = *ranking;
  } else r.string("adl_ranking", std::string());
  if (r.present("socialize_over")) {
    p.socializeOver = pick<SocializeOver>(r, "socialize_over", std::nullopt);
  } else r.string("socialize_over", std::string());
  Reader trig = r.object("adl_trigger", false);
  if (trig.present("kind")) {
    p.adlTrigger = pick<AdlTriggerKind>(trig, "kind", std::nullopt);
  } else trig.string("kind", std::string());
  p.drawdownFraction = trig.inRange("fraction", p.drawdownFraction, 0, 1, true, false);
  p.drawdownWindowHours = trig.inRange("window_hours", p.drawdownWindowHours, 0, 24 * 365, true, false);
  trig.rejectUnknown();
  if (r.present("fund_coverage"))
    p.fundCoverage = pick<FundCoverage>(r, "fund_coverage", std::nullopt);
  else r.string("fund_coverage", std::string());
  Reader venue = r.object("venue", false);
  p.backstopThreshold = venue.inRange("backstop_threshold", p.backstopThreshold, 0, 1, false, false);
  p.spreadToMaintenance = venue.inRange("spread_to_maintenance", p.spreadToMaintenance, 0, 10, false, false);
  p.bankruptcyAdjustment = venue.inRange("bankruptcy_adjustment", p.bankruptcyAdjustment, 0, 100, false, false);
  p.maxInsuranceFundFee = venue.inRange("max_insurance_fund_fee", p.maxInsuranceFundFee, 0, 1, false, false);
  if (venue.present("per_market_fund_cap")) p.perMarketFundCap = venue.nonNegative("per_market_fund_cap");
  else venue.optionalNumber("per_market_fund_cap");
  if (venue.present("contract_tier")) {
    std::vector<const char*> tiers;
    for (const auto& e : nameTable("contract_tier").entries) tiers.push_back(e.id);
    const std::string tier = venue.choice("contract_tier", std::nullopt, tiers);
    // The tier's cap unless the scenario gives its own.
    if (!venue.present("per_market_fund_cap")) p.perMarketFundCap = venues::drift::tierInsuranceMax(tier);
  } else venue.string("contract_tier", std::string());
  venue.known("maintenance_tiers");
  if (const nlohmann::json* tiers = venue.raw("maintenance_tiers")) {
    // Ascending {up_to, rate} (margin units); amounts are derived (model/position.hpp).
    std::vector<MarginTier> t;
    if (!tiers->is_array() || (long long)tiers->size() > limits::kMaxMaintenanceTiers) {
      issues.add(venue.at("maintenance_tiers"), "must be an array of at most " +
                                                    std::to_string(limits::kMaxMaintenanceTiers) +
                                                    " {up_to, rate} objects, got " + describeJson(*tiers));
    } else {
      for (size_t i = 0; i < tiers->size(); ++i) {
        Reader e(&(*tiers)[i], venue.at("maintenance_tiers") + "/" + std::to_string(i), issues);
        if (!(*tiers)[i].is_object()) {
          issues.add(e.pointer(), "must be an object {up_to, rate}, got " + describeJson((*tiers)[i]));
          continue;
        }
        MarginTier m;
        m.upTo = e.positive("up_to");
        m.rate = e.inRange("rate", std::nullopt, 0, 1, true, true);
        e.rejectUnknown();
        checkSize(issues, e.at("up_to"), m.upTo, limits::kMaxMoney);
        if (!t.empty() && !(m.upTo > t.back().upTo))
          issues.add(e.at("up_to"), "is " + formatValue(m.upTo) + ": tiers must rise, the one before ends at " +
                                        formatValue(t.back().upTo));
        if (!t.empty() && m.rate < t.back().rate)
          issues.add(e.at("rate"), "is " + formatValue(m.rate) + ": a larger tier cannot have a lower rate than " +
                                       formatValue(t.back().rate));
        t.push_back(m);
      }
      p.maintenanceTiers = t;
    }
  }
  if (venue.present("maintenance_tier_basis")) p.maintenanceTierBasis = pick<TierBasis>(venue, "maintenance_tier_basis", std::nullopt);
  else venue.string("maintenance_tier_basis", std::string());
  p.feePool = venue.nonNegative("fee_pool", p.feePool);
  checkSize(issues, venue.at("fee_pool"), p.feePool, limits::kMaxMoney);
  p.liquidationMarginBuffer = venue.inRange("liquidation_margin_buffer", p.liquidationMarginBuffer, 0, 1, false, false);
  if (venue.present("max_pnl_factor")) p.maxPnlFactor = venue.inRange("max_pnl_factor", std::nullopt, 0, 10, true, false);
  else venue.optionalNumber("max_pnl_factor");
  if (venue.present("max_pnl_factor_for_adl"))
    p.maxPnlFactorForAdl = venue.inRange("max_pnl_factor_for_adl", std::nullopt, 0, 10, true, false);
  else venue.optionalNumber("max_pnl_factor_for_adl");
  if (venue.present("min_pnl_factor_after_adl"))
    p.minPnlFactorAfterAdl = venue.inRange("min_pnl_factor_after_adl", std::nullopt, 0, 10, false, false);
  else venue.optionalNumber("min_pnl_factor_after_adl");
  if (venue.present("max_negative_impact"))
    p.maxNegativeImpact = venue.inRange("max_negative_impact", std::nullopt, 0, 1, false, false);
  else venue.optionalNumber("max_negative_impact");
  if (venue.present("fund_takeover_cap"))
    p.fundTakeoverCap = venue.inRange("fund_takeover_cap", std::nullopt, 0, 100, false, false);
  else venue.optionalNumber("fund_takeover_cap");
  // ADL runs from above the trigger down to the stop level, so the stop cannot sit above the trigger.
  if (p.maxPnlFactorForAdl >= 0 && p.minPnlFactorAfterAdl > p.maxPnlFactorForAdl && !venue.present("min_pnl_factor_after_adl"))
    p.minPnlFactorAfterAdl = p.maxPnlFactorForAdl;
  if (p.maxPnlFactorForAdl >= 0 && p.minPnlFactorAfterAdl > p.maxPnlFactorForAdl)
    issues.add(venue.at("min_pnl_factor_after_adl"), "must not exceed max_pnl_factor_for_adl " +
                                                          formatValue(p.maxPnlFactorForAdl) + ", got " +
                                                          formatValue(p.minPnlFactorAfterAdl));
  venue.rejectUnknown();
  r.rejectUnknown();
}

void parsePriceModel(Reader r, PriceModel& m, Issues& issues) {
  m.kind = pick<PriceModelKind>(r, "kind", std::nullopt);
  const bool needsVol = m.kind == PriceModelKind::Gbm || m.kind == PriceModelKind::StudentT || m.kind == PriceModelKind::Merton;
  m.dailyVolatility = needsVol ? r.inRange("daily_volatility", std::nullopt, 0, 1, false, false)
                               : r.inRange("daily_volatility", 0.0, 0, 1, false, false);
  m.driftPerYear = r.inRange("drift_per_year", 0.0, -10, 10, false, false);
  if (m.kind == PriceModelKind::StudentT || m.kind == PriceModelKind::Garch)
    m.dof = r.inRange("dof", m.kind == PriceModelKind::Garch ? std::optional<double>(1e6) : std::nullopt, 2, 1e6, true, false);
  else r.optionalNumber("dof");
  if (m.kind == PriceModelKind::Merton) {
    m.jumpIntensityPerYear = r.inRange("jump_intensity_per_year", std::nullopt, 0, 36500, false, false);
    m.jumpMean = r.inRange("jump_mean", std::nullopt, -5, 5, false, false);
    m.jumpStdev = r.inRange("jump_stdev", std::nullopt, 0, 5, false, false);
  } else {
    r.optionalNumber("jump_intensity_per_year"); r.optionalNumber("jump_mean"); r.optionalNumber("jump_stdev");
  }
  if (m.kind == PriceModelKind::Garch) {
    m.omega = r.inRange("omega", std::nullopt, 0, 1, true, false);
    m.alpha = r.inRange("alpha", std::nullopt, 0, 1, false, true);
    m.beta = r.inRange("beta", std::nullopt, 0, 1, false, true);
    if (!std::isnan(m.alpha) && !std::isnan(m.beta) && m.alpha + m.beta >= 1)
      issues.add(r.at("beta"), "alpha + beta must be < 1 for a stationary GARCH(1,1), got " + formatValue(m.alpha + m.beta));
  } else {
    r.optionalNumber("omega"); r.optionalNumber("alpha"); r.optionalNumber("beta");
  }
  if (m.kind == PriceModelKind::Bootstrap) {
    m.returns = r.numbers("returns", true, limits::kMaxBootstrapReturns);
    if (m.returns.size() < 2 && r.isArray("returns"))
      issues.add(r.at("returns"), "needs at least 2 daily log-returns, got " + std::to_string(m.returns.size()));
    for (size_t i = 0; i < m.returns.size(); ++i)
      if (std::fabs(m.returns[i]) > 5)
        issues.add(r.at("returns") + "/" + std::to_string(i), "is a daily log-return of " + formatValue(m.returns[i]) +
                                                                   ": must be within [-5, 5]");
    m.blockDays = int(r.integer("block_days", 5, 1, 365));
    if (!m.returns.empty() && m.blockDays > (int)m.returns.size())
      issues.add(r.at("block_days"), "is " + std::to_string(m.blockDays) + ", longer than the " +
                                         std::to_string(m.returns.size()) + " returns given");
  } else {
    r.numbers("returns", false, limits::kMaxBootstrapReturns);
    r.integer("block_days", 5, 1, 365);
  }
  r.rejectUnknown();
}

// An integer whose range check is a work limit (limit_exceeded), not a format error.
long long limitedInteger(Reader& r, const char* key, long long fallback, long long lo, long long max, const char* what) {
  const long long v = r.integer(key, fallback, lo, 9007199254740991LL);
  if (v > max) {
    r.issues().limit(r.at(key), "is " + std::to_string(v) + " " + what + ", more than the limit of " + std::to_string(max));
    return fallback;
  }
  return v;
}

void parseSimulation(Reader r, SimulationSettings& s, Issues& issues) {
  s.horizonDays = r.positive("horizon_days", 30.0);
  if (s.horizonDays > limits::kMaxHorizonDays) {
    issues.limit(r.at("horizon_days"), "is " + formatValue(s.horizonDays) + " days, more than the limit of " +
                                           formatValue(limits::kMaxHorizonDays));
    s.horizonDays = NAN;
  }
  s.stepsPerDay = int(limitedInteger(r, "steps_per_day", 24, 1, limits::kMaxStepsPerDay, "steps per day"));
  s.paths = limitedInteger(r, "paths", 10000, 1, limits::kMaxPaths, "paths");
  s.seed = std::uint64_t(r.integer("seed", 1, 0, 9007199254740991LL));
  s.targetDepletionProbability = r.inRange("target_depletion_probability", 0.01, 0, 1, true, true);
  s.importanceSampling = pick<ImportanceSampling>(r, "importance_sampling", ImportanceSampling::Off);
  r.known("target_relative_error");
  r.known("max_paths");
  if (r.raw("target_relative_error")) s.targetRelativeError = r.inRange("target_relative_error", 0.0, 0, 1, true, false);
  if (r.raw("max_paths")) s.maxPaths = limitedInteger(r, "max_paths", 0, 1, limits::kMaxPaths, "paths");
  if (!std::isnan(s.horizonDays) && s.steps() < 1)
    issues.add(r.at("horizon_days"), "gives no whole step at " + std::to_string(s.stepsPerDay) + " steps per day");
  r.rejectUnknown();
}

std::optional<PricePath> parseReplay(Reader r, Issues& issues) {
  const size_t before = issues.errors().size();
  const double interval = r.number("interval_days", 1.0);
  const auto close = r.numbers("close", true, size_t(limits::kMaxReplaySteps));
  const auto high = r.numbers("high", false, size_t(limits::kMaxReplaySteps));
  const auto low = r.numbers("low", false, size_t(limits::kMaxReplaySteps));
  r.rejectUnknown();
  if (issues.errors().size() != before) return std::nullopt;
  try {
    return pricePathFromArrays(close, high, low, interval, r.pointer());
  } catch (const InputError& e) {
    for (const auto& err : e.errors()) issues.add(err);
    return std::nullopt;
  }
}

}  // namespace backstop::detail
