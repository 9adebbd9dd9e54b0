#include "backstop/model/scenario.hpp"

#include <cmath>
#include <algorithm>
#include <set>

#include "backstop/io/json_read.hpp"
#include "backstop/simulation/simulation.hpp"
#include "backstop/venues/venues.hpp"

namespace backstop {

const char* toString(Stage s) {
  switch (s) {
    case Stage::InsuranceFund: return "insurance_fund";
    case Stage::Treasury: return "treasury";
    case Stage::FeePool: return "fee_pool";
    case Stage::BackstopVault: return "backstop_vault";
    case Stage::Adl: return "adl";
    case Stage::SocializedLoss: return "socialized_loss";
  }
  return "";
}

const char* toString(AdlRanking r) {
  switch (r) {
    case AdlRanking::PnlTimesLeverage: return "pnl_times_leverage";
    case AdlRanking::BinanceLeveragePnl: return "binance_leverage_pnl";
    case AdlRanking::HyperliquidIndex: return "hyperliquid_index";
    case AdlRanking::Pnl: return "pnl";
    case AdlRanking::ProRata: return "pro_rata";
    case AdlRanking::Random: return "random";
  }
  return "";
}

const char* toString(Venue v) {
  switch (v) {
    case Venue::Generic: return "generic";
    case Venue::Bitmex: return "bitmex";
    case Venue::Binance: return "binance";
    case Venue::DydxV4: return "dydx_v4";
    case Venue::Hyperliquid: return "hyperliquid";
    case Venue::Drift: return "drift";
    case Venue::GmxV2: return "gmx_v2";
  }
  return "";
}

double modelDailyVolatility(const PriceModel& m) {
  switch (m.kind) {
    case PriceModelKind::Garch:
      return m.alpha + m.beta < 1 ? std::sqrt(m.omega / (1 - m.alpha - m.beta)) : 0.0;
    case PriceModelKind::Bootstrap: {
      if (m.returns.size() < 2) return 0.0;
      double mean = 0, ss = 0;
      for (double r : m.returns) mean += r;
      mean /= double(m.returns.size());
      for (double r : m.returns) ss += (r - mean) * (r - mean);
      return std::sqrt(ss / double(m.returns.size() - 1));
    }
    default: return m.dailyVolatility;
  }
}

namespace {

// Rejects a finite but absurd magnitude (SPEC §11), naming the field and the value.
void checkSize(Issues& issues, const std::string& pointer, double v, double max) {
  if (std::isfinite(v) && std::fabs(v) > max)
    issues.add(pointer, "is " + formatValue(v) + ", beyond the documented maximum of " + formatValue(max));
}

void checkPrice(Issues& issues, const std::string& pointer, double v) {
  checkSize(issues, pointer, v, limits::kMaxPrice);
  if (v > 0 && v < limits::kMinPrice)
    issues.add(pointer, "is " + formatValue(v) + ", below the documented minimum of " + formatValue(limits::kMinPrice));
}

Venue parseVenue(const std::string& s) {
  if (s == "bitmex") return Venue::Bitmex;
  if (s == "binance") return Venue::Binance;
  if (s == "dydx_v4") return Venue::DydxV4;
  if (s == "hyperliquid") return Venue::Hyperliquid;
  if (s == "drift") return Venue::Drift;
  if (s == "gmx_v2") return Venue::GmxV2;
  return Venue::Generic;
}

void parseMarket(Reader r, Market& m, Issues& issues) {
  m.symbol = r.string("symbol", std::string(""));
  m.contract = r.choice("contract", std::string("linear"), {"linear", "inverse"}) == "inverse"
                   ? Contract::Inverse : Contract::Linear;
  m.markPrice = r.positive("mark_price");
  m.maintenanceMarginRate = r.inRange("maintenance_margin_rate", std::nullopt, 0, 1, true, true);
  m.takerFeeRate = r.inRange("taker_fee_rate", 0.0, 0, 0.1, false, false);
  m.dailyVolume = r.nonNegative("daily_volume", 0.0);
  Reader l = r.object("liquidity", false);
  const std::string model = l.choice("model", std::string("none"), {"none", "linear", "sqrt"});
  m.liquidity.model = model == "linear" ? ImpactModel::Linear
                      : model == "sqrt" ? ImpactModel::Sqrt : ImpactModel::None;
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
        p.side = e.choice("side", std::nullopt, {"long", "short"}) == "short" ? Side::Short : Side::Long;
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
  f.scope = r.choice("scope", std::string("shared"), {"shared", "per_market"}) == "per_market" ? FundScope::PerMarket
                                                                                             : FundScope::Shared;
  parseTreasury(r.object("treasury", false), f.treasury, issues);
  if (const Json* comp = r.raw("composition")) {
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
        const std::string asset = h.choice("asset", std::nullopt, {"quote", "underlying", "token"});
        fh.asset = asset == "underlying" ? FundAsset::Underlying : asset == "token" ? FundAsset::Token : FundAsset::Quote;
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
  const std::string preset = r.choice("preset", std::string("generic"),
                                      {"generic", "bitmex", "binance", "dydx_v4", "hyperliquid", "drift", "gmx_v2"});
  p = presetPolicy(parseVenue(preset), market.symbol);
  Reader pen = r.object("penalty", false);
  if (pen.present("mode"))
    p.penaltyMode = pen.choice("mode", std::nullopt, {"fee_rate", "remaining_margin"}) == "remaining_margin"
                        ? PenaltyMode::RemainingMargin : PenaltyMode::FeeRate;
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
        if (s == "insurance_fund") p.stages.push_back(Stage::InsuranceFund);
        else if (s == "treasury") p.stages.push_back(Stage::Treasury);
        else if (s == "fee_pool") p.stages.push_back(Stage::FeePool);
        else if (s == "backstop_vault") p.stages.push_back(Stage::BackstopVault);
        else if (s == "adl") p.stages.push_back(Stage::Adl);
        else if (s == "socialized_loss") p.stages.push_back(Stage::SocializedLoss);
        else {
          issues.add(ptr, "must be one of insurance_fund, treasury, fee_pool, backstop_vault, adl, socialized_loss, got " +
                              describeJson(e));
          continue;
        }
        if (!seen.insert(s).second) issues.add(ptr, "repeats the stage \"" + s + "\"");
      }
    }
  } else {
    r.known("stages");
  }
  if (r.present("adl_ranking")) {
    const std::string s = r.choice("adl_ranking", std::nullopt,
                                   {"pnl_times_leverage", "binance_leverage_pnl", "hyperliquid_index", "pnl", "pro_rata", "random"});
    if (s == "pnl_times_leverage") p.adlRanking = AdlRanking::PnlTimesLeverage;
    else if (s == "binance_leverage_pnl") p.adlRanking = AdlRanking::BinanceLeveragePnl;
    else if (s == "hyperliquid_index") p.adlRanking = AdlRanking::HyperliquidIndex;
    else if (s == "pnl") p.adlRanking = AdlRanking::Pnl;
    else if (s == "pro_rata") p.adlRanking = AdlRanking::ProRata;
    else if (s == "random") p.adlRanking = AdlRanking::Random;
  } else r.string("adl_ranking", std::string());
  if (r.present("socialize_over")) {
    const std::string s = r.choice("socialize_over", std::nullopt, {"profitable_pnl", "per_contract", "all_collateral"});
    p.socializeOver = s == "per_contract" ? SocializeOver::PerContract
                      : s == "all_collateral" ? SocializeOver::AllCollateral : SocializeOver::ProfitablePnl;
  } else r.string("socialize_over", std::string());
  Reader trig = r.object("adl_trigger", false);
  if (trig.present("kind")) {
    p.adlTrigger = trig.choice("kind", std::nullopt, {"depleted", "drawdown"}) == "drawdown"
                       ? AdlTriggerKind::Drawdown : AdlTriggerKind::Depleted;
  } else trig.string("kind", std::string());
  p.drawdownFraction = trig.inRange("fraction", p.drawdownFraction, 0, 1, true, false);
  p.drawdownWindowHours = trig.inRange("window_hours", p.drawdownWindowHours, 0, 24 * 365, true, false);
  trig.rejectUnknown();
  if (r.present("fund_coverage"))
    p.fundCoverage = r.choice("fund_coverage", std::nullopt, {"partial", "all_or_nothing"}) == "all_or_nothing"
                         ? FundCoverage::AllOrNothing : FundCoverage::Partial;
  else r.string("fund_coverage", std::string());
  Reader venue = r.object("venue", false);
  p.backstopThreshold = venue.inRange("backstop_threshold", p.backstopThreshold, 0, 1, false, false);
  p.spreadToMaintenance = venue.inRange("spread_to_maintenance", p.spreadToMaintenance, 0, 10, false, false);
  p.bankruptcyAdjustment = venue.inRange("bankruptcy_adjustment", p.bankruptcyAdjustment, 0, 100, false, false);
  p.maxInsuranceFundFee = venue.inRange("max_insurance_fund_fee", p.maxInsuranceFundFee, 0, 1, false, false);
  if (venue.present("per_market_fund_cap")) p.perMarketFundCap = venue.nonNegative("per_market_fund_cap");
  else venue.optionalNumber("per_market_fund_cap");
  if (venue.present("contract_tier")) {
    const std::string tier = venue.choice("contract_tier", std::nullopt,
                                          {"a", "b", "c", "speculative", "highly_speculative", "isolated"});
    // The tier's cap unless the scenario gives its own.
    if (!venue.present("per_market_fund_cap")) p.perMarketFundCap = venues::drift::tierInsuranceMax(tier);
  } else venue.string("contract_tier", std::string());
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
  const std::string kind = r.choice("kind", std::nullopt, {"gbm", "student_t", "merton", "garch", "bootstrap"});
  m.kind = kind == "student_t" ? PriceModelKind::StudentT
           : kind == "merton" ? PriceModelKind::Merton
           : kind == "garch" ? PriceModelKind::Garch
           : kind == "bootstrap" ? PriceModelKind::Bootstrap : PriceModelKind::Gbm;
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
  if (!std::isnan(s.horizonDays) && s.steps() < 1)
    issues.add(r.at("horizon_days"), "gives no whole step at " + std::to_string(s.stepsPerDay) + " steps per day");
  r.rejectUnknown();
}

// "markets": [{market, book, price_model, fund?}] (SPEC §14). Each entry is read like the
// single-market sections; `fund` (balance, fee_share) only with fund.scope "per_market".
void parseMarkets(Reader& r, const ScenarioNeeds& needs, const Fund& fund, std::vector<MarketSpec>& out, Issues& issues) {
  const Json* list = r.raw("markets");
  r.known("markets");
  if (!list || !list->is_array() || list->empty() || (long long)list->size() > limits::kMaxMarkets) {
    issues.add(r.at("markets"), "must be an array of 1 to " + std::to_string(limits::kMaxMarkets) +
                                    " markets {market, book, price_model}, got " + (list ? describeJson(*list) : "nothing"));
    return;
  }
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string ptr = r.at("markets") + "/" + std::to_string(i);
    if (!(*list)[i].is_object()) {
      issues.add(ptr, "must be an object {market, book, price_model}, got " + describeJson((*list)[i]));
      continue;
    }
    Reader e(&(*list)[i], ptr, issues);
    MarketSpec m;
    parseMarket(e.object("market", true), m.market, issues);
    parseBook(e.object("book", true), m.market, m.book, issues);
    if (needs.priceModel || e.present("price_model"))
      parsePriceModel(e.object("price_model", needs.priceModel), m.priceModel, issues);
    else e.object("price_model", false);
    Reader f = e.object("fund", false);
    if (e.present("fund") && fund.scope != FundScope::PerMarket)
      issues.add(e.at("fund"), "is only read with \"fund\": {\"scope\": \"per_market\"}; a shared fund is /fund");
    m.balance = f.nonNegative("balance", fund.scope == FundScope::PerMarket ? std::nullopt : std::optional<double>(0.0));
    m.feeShare = f.inRange("fee_share", fund.feeShare, 0, 1, false, false);
    m.jumpLoading = e.optionalNumber("loading");  // this market's loading on common_jumps
    checkSize(issues, f.at("balance"), m.balance, limits::kMaxMoney);
    f.rejectUnknown();
    e.rejectUnknown();
    out.push_back(std::move(m));
  }
}

// "correlation": an N×N matrix over the markets' diffusion shocks, validated as a
// correlation matrix that is positive semi-definite (so a Cholesky factor exists).
void parseCorrelation(Reader& r, Scenario& s, Issues& issues) {
  const size_t n = s.markets.size();
  std::vector<std::vector<double>> c(n, std::vector<double>(n, 0.0));
  for (size_t i = 0; i < n; ++i) c[i][i] = 1.0;
  const Json* m = r.raw("correlation");
  r.known("correlation");
  if (m) {
    const std::string ptr = r.at("correlation");
    if (!m->is_array() || m->size() != n) {
      issues.add(ptr, "must be a " + std::to_string(n) + "×" + std::to_string(n) + " matrix (one row per market), got " +
                          describeJson(*m));
      return;
    }
    for (size_t i = 0; i < n; ++i) {
      const Json& row = (*m)[i];
      if (!row.is_array() || row.size() != n) {
        issues.add(ptr + "/" + std::to_string(i), "must be a row of " + std::to_string(n) + " numbers, got " + describeJson(row));
        return;
      }
      for (size_t j = 0; j < n; ++j) {
        const std::string at = ptr + "/" + std::to_string(i) + "/" + std::to_string(j);
        if (!row[j].is_number() || !std::isfinite(row[j].get<double>())) {
          issues.add(at, "must be a finite number, got " + describeJson(row[j]));
          return;
        }
        c[i][j] = row[j].get<double>();
        if (i == j && c[i][j] != 1.0) issues.add(at, "is a diagonal entry: must be 1, got " + formatValue(c[i][j]));
        else if (!(c[i][j] >= -1 && c[i][j] <= 1)) issues.add(at, "must be within [-1, 1], got " + formatValue(c[i][j]));
      }
    }
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < i; ++j)
        if (std::fabs(c[i][j] - c[j][i]) > 1e-12)
          issues.add(ptr + "/" + std::to_string(i) + "/" + std::to_string(j),
                     "is " + formatValue(c[i][j]) + " but entry " + std::to_string(j) + "/" + std::to_string(i) + " is " +
                         formatValue(c[j][i]) + ": the matrix must be symmetric");
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < n; ++j)
        if (i != j && c[i][j] != 0 && s.markets[i].priceModel.kind == PriceModelKind::Bootstrap)
          issues.add(ptr + "/" + std::to_string(i) + "/" + std::to_string(j),
                     "is " + formatValue(c[i][j]) + ", but market " + std::to_string(i) +
                         " replays historical returns (bootstrap), which a correlation matrix cannot move: use 0");
    if (!issues.empty()) return;
  }
  size_t failed = 0;
  if (auto l = semidefiniteCholesky(c, &failed)) s.choleskyFactor = std::move(*l);
  else
    issues.add(r.at("correlation"), "is not positive semi-definite (no Cholesky factor: the pivot of row " +
                                        std::to_string(failed) + " is negative), so no joint distribution has it");
}

void parseCommonJumps(Reader r, Scenario& s, Issues& issues) {
  CommonJumps& cj = s.commonJumps;
  // "intensity" is read as the same per-year rate (SPEC §14 names it so).
  cj.intensityPerYear = r.present("intensity") && !r.present("intensity_per_year")
                            ? r.inRange("intensity", std::nullopt, 0, 36500, false, false)
                            : r.inRange("intensity_per_year", std::nullopt, 0, 36500, false, false);
  r.known("intensity");
  cj.mean = r.inRange("mean", std::nullopt, -5, 5, false, false);
  cj.stdev = r.inRange("stdev", std::nullopt, 0, 5, false, false);
  const size_t n = s.markets.size();
  if (r.present("loadings")) {
    cj.loadings = r.numbers("loadings", true, size_t(limits::kMaxMarkets));
    if (cj.loadings.size() != n && r.isArray("loadings"))
      issues.add(r.at("loadings"), "needs one loading per market (" + std::to_string(n) + "), got " +
                                       std::to_string(cj.loadings.size()));
    for (size_t i = 0; i < cj.loadings.size(); ++i)
      if (std::fabs(cj.loadings[i]) > 10)
        issues.add(r.at("loadings") + "/" + std::to_string(i), "must be within [-10, 10], got " + formatValue(cj.loadings[i]));
  } else {
    // Each market's own `loading`, else 1.
    r.known("loadings");
    for (size_t i = 0; i < n; ++i) {
      const auto l = s.markets[i].jumpLoading;
      if (l && std::fabs(*l) > 10)
        issues.add("/markets/" + std::to_string(i) + "/loading", "must be within [-10, 10], got " + formatValue(*l));
      cj.loadings.push_back(l.value_or(1.0));
    }
  }
  r.rejectUnknown();
  if (std::isnan(cj.intensityPerYear) || std::isnan(cj.mean) || std::isnan(cj.stdev)) cj.intensityPerYear = 0;
}

// One axis of a sweep: {"parameter": "/json/pointer", "values": [...]}.
void parseSweepAxis(Reader r, const Json& doc, std::vector<SweepAxis>& out, Issues& issues) {
  SweepAxis a;
  a.pointer = r.string("parameter", std::nullopt);
  a.parameterPointer = r.at("parameter");
  a.valuesPointer = r.at("values");
  a.values = r.numbers("values", true, size_t(limits::kMaxSweepValues));
  r.rejectUnknown();
  if (r.present("values") && r.isArray("values") && a.values.empty())
    issues.add(r.at("values"), "is empty: give at least one value");
  if (!r.present("parameter")) return;
  const std::string where = r.at("parameter");
  if (a.pointer.empty() || a.pointer[0] != '/') {
    issues.add(where, "must be a JSON pointer to a numeric field such as \"/policy/penalty/rate\", got \"" +
                          a.pointer.substr(0, 80) + "\"");
    return;
  }
  if (a.pointer == "/sweep" || a.pointer.rfind("/sweep/", 0) == 0 || a.pointer.rfind("/schema", 0) == 0 ||
      a.pointer.rfind("/name", 0) == 0) {
    issues.add(where, "cannot sweep \"" + a.pointer.substr(0, 80) + "\": choose a numeric scenario field");
    return;
  }
  try {
    const Json::json_pointer jp(a.pointer);
    if (doc.contains(jp)) {
      const Json& target = doc.at(jp);
      if (!target.is_number() && !target.is_null())
        issues.add(where, "points at " + describeJson(target) + " in the scenario, not a number");
    } else {
      // The field may be absent (a preset fills it); its parent must then be an object or absent.
      const Json::json_pointer parent = jp.parent_pointer();
      if (!parent.empty() && doc.contains(parent) && !doc.at(parent).is_object())
        issues.add(where, "points inside " + describeJson(doc.at(parent)) + ", not inside an object");
    }
  } catch (const std::exception&) {
    issues.add(where, "is not a valid JSON pointer: \"" + a.pointer.substr(0, 80) + "\"");
    return;
  }
  out.push_back(std::move(a));
}

// "sweep": one axis, or {"parameters": [axis, axis]} for a grid (SPEC §14).
void parseSweep(Reader r, const Json& doc, std::vector<SweepAxis>& out, Issues& issues) {
  if (const Json* list = r.raw("parameters")) {
    r.known("parameters");
    if (!list->is_array() || list->empty() || list->size() > 2) {
      issues.add(r.at("parameters"), "must be an array of one or two {parameter, values}, got " + describeJson(*list));
    } else {
      for (size_t i = 0; i < list->size(); ++i) {
        const std::string ptr = r.at("parameters") + "/" + std::to_string(i);
        if (!(*list)[i].is_object()) issues.add(ptr, "must be an object {parameter, values}, got " + describeJson((*list)[i]));
        else parseSweepAxis(Reader(&(*list)[i], ptr, issues), doc, out, issues);
      }
    }
    r.rejectUnknown();
  } else if (const Json* p = r.raw("parameter"); p && p->is_array()) {
    // Grid written as parallel arrays: {"parameter": [a, b], "values": [[...], [...]]}.
    const Json* v = r.raw("values");
    r.known("parameter");
    r.known("values");
    if (p->empty() || p->size() > 2 || !v || !v->is_array() || v->size() != p->size()) {
      issues.add(r.at("values"), "with \"parameter\" as an array of " + std::to_string(p->size()) +
                                     " pointers, must be an array of as many value arrays, got " +
                                     (v ? describeJson(*v) : "nothing"));
    } else {
      for (size_t i = 0; i < p->size(); ++i) {
        const Json axis = {{"parameter", (*p)[i]}, {"values", (*v)[i]}};
        Reader ar(&axis, r.pointer(), issues);
        const size_t before = out.size();
        parseSweepAxis(ar, doc, out, issues);
        if (out.size() > before) {
          out.back().parameterPointer = r.at("parameter") + "/" + std::to_string(i);
          out.back().valuesPointer = r.at("values") + "/" + std::to_string(i);
        }
      }
    }
    r.rejectUnknown();
  } else {
    parseSweepAxis(r, doc, out, issues);
  }
  if (out.size() == 2 && out[0].pointer == out[1].pointer)
    issues.add(r.at("parameters") + "/1/parameter", "sweeps \"" + out[1].pointer + "\" twice");
  long long points = 1;
  for (const auto& a : out) points *= (long long)std::max<size_t>(1, a.values.size());
  if (points > limits::kMaxSweepPoints)
    issues.limit(r.pointer(), "has " + std::to_string(points) + " points, more than the limit of " +
                                  std::to_string(limits::kMaxSweepPoints));
}

// Work limits of a Monte Carlo run, from numbers already range-checked (no overflow):
// checked here, before simulatePaths allocates anything.
void checkRunLimits(const Scenario& s, Issues& issues) {
  const SimulationSettings& sim = s.simulation;
  if (std::isnan(sim.horizonDays)) return;
  long long warm = 0;  // the longest warm-up: markets step together
  for (const auto& m : s.markets) {
    if (std::isnan(m.book.warmupDays)) return;
    warm = std::max(warm, std::llround(m.book.warmupDays * sim.stepsPerDay));
  }
  const long long steps = warm + sim.steps();
  if (steps > limits::kMaxStepsPerPath) {
    issues.limit(warm > 0 ? "/book/warmup_days" : "/simulation/horizon_days",
                 "gives " + std::to_string(steps) + " steps per path (" + std::to_string(warm) + " warm-up + " +
                     std::to_string(sim.steps()) + " horizon), more than the limit of " +
                     std::to_string(limits::kMaxStepsPerPath));
    return;
  }
  const long long nm = std::max<long long>(1, (long long)s.markets.size());
  const long long pathSteps = sim.paths * std::max<long long>(1, steps) * nm;
  if (pathSteps > limits::kMaxPathSteps)
    issues.limit("/simulation/paths", std::string(nm > 1 ? "markets × " : "") + "paths × steps = " +
                                          (nm > 1 ? std::to_string(nm) + " × " : std::string()) + std::to_string(sim.paths) +
                                          " × " + std::to_string(steps) + " = " + std::to_string(pathSteps) +
                                          " exceeds the limit of " + std::to_string(limits::kMaxPathSteps) + " path-steps");
  if (s.policy.adlTrigger == AdlTriggerKind::Drawdown && !std::isnan(s.policy.drawdownWindowHours) &&
      drawdownWindowSteps(s) > limits::kMaxDrawdownWindowSteps)
    issues.limit("/policy/adl_trigger/window_hours",
                 "is " + formatValue(s.policy.drawdownWindowHours) + " hours: " + std::to_string(drawdownWindowSteps(s)) +
                     " steps of look-back, more than the limit of " + std::to_string(limits::kMaxDrawdownWindowSteps));
  const long long days = std::max(1LL, (long long)std::ceil(sim.horizonDays - 1e-9));
  // Per path (PathBatch): 6 numbers, 2 per day, the policy grid, 3 per market when several.
  const long long cells = sim.paths * (6 + 2 * days + (needsPolicyMode(s) ? (long long)policyFundGrid(s).size() : 0) +
                                       (nm > 1 ? 3 * nm : 0));
  if (cells > limits::kMaxRecordCells)
    issues.limit("/simulation/paths", std::to_string(sim.paths) + " paths over " + std::to_string(days) +
                                          " days keep " + std::to_string(cells) +
                                          " per-path records, more than the limit of " +
                                          std::to_string(limits::kMaxRecordCells));
}

}  // namespace

double totalOpenInterest(const Scenario& s) {
  double oi = 0;
  for (const auto& m : s.markets) oi += m.book.openInterest;
  return s.markets.empty() ? s.book.openInterest : oi;
}

double currentFundBalance(const Scenario& s) {
  if (s.fund.scope != FundScope::PerMarket || s.markets.size() < 2) return s.fund.balance;
  double u = 0;
  for (const auto& m : s.markets) u += m.balance;
  return u;
}

std::optional<std::vector<std::vector<double>>> semidefiniteCholesky(const std::vector<std::vector<double>>& c,
                                                                     size_t* failedAt) {
  // Cholesky–Banachiewicz with zero pivots allowed (then the column must vanish): C = L·Lᵀ.
  const size_t n = c.size();
  const double tol = 1e-10;
  std::vector<std::vector<double>> l(n, std::vector<double>(n, 0.0));
  for (size_t j = 0; j < n; ++j) {
    double d = c[j][j];
    for (size_t k = 0; k < j; ++k) d -= l[j][k] * l[j][k];
    if (d < -tol) {
      if (failedAt) *failedAt = j;
      return std::nullopt;
    }
    l[j][j] = d > tol ? std::sqrt(d) : 0.0;
    for (size_t i = j + 1; i < n; ++i) {
      double v = c[i][j];
      for (size_t k = 0; k < j; ++k) v -= l[i][k] * l[j][k];
      if (l[j][j] > 0) l[i][j] = v / l[j][j];
      else if (std::fabs(v) > 1e-8) {
        if (failedAt) *failedAt = i;
        return std::nullopt;
      }
    }
  }
  return l;
}

Json sweepPointDocument(const Json& doc, const std::vector<SweepAxis>& axes, const std::vector<double>& at) {
  Json d = doc;
  d.erase("sweep");
  for (size_t i = 0; i < axes.size() && i < at.size(); ++i) d[Json::json_pointer(axes[i].pointer)] = at[i];
  return d;
}

std::vector<std::vector<double>> sweepPoints(const std::vector<SweepAxis>& axes) {
  std::vector<std::vector<double>> at{{}};
  for (const auto& a : axes) {
    std::vector<std::vector<double>> next;
    for (const auto& prefix : at)
      for (double v : a.values) {
        auto q = prefix;
        q.push_back(v);
        next.push_back(std::move(q));
      }
    at = std::move(next);
  }
  return at;
}

Json checkSweepPoint(const Json& doc, const std::vector<SweepAxis>& axes, const std::vector<double>& at,
                     const ScenarioNeeds& needs, Issues& issues) {
  Json d = sweepPointDocument(doc, axes, at);
  Issues pointIssues;
  parseScenario(d, needs, pointIssues);
  std::string point;
  for (size_t i = 0; i < at.size(); ++i) point += (i ? ", " : "") + axes[i].pointer + " = " + formatValue(at[i]);
  for (const auto& e : pointIssues.errors()) {
    // Name the sweep entry that made the point invalid: the value, or the pointer itself.
    std::string where = e.pointer;
    for (size_t i = 0; i < axes.size(); ++i) {
      if (e.pointer != axes[i].pointer) continue;
      const auto& vals = axes[i].values;
      where = e.message == "is not a known field"
                  ? axes[i].parameterPointer
                  : axes[i].valuesPointer + "/" + std::to_string(std::find(vals.begin(), vals.end(), at[i]) - vals.begin());
    }
    issues.add(where, "at sweep point " + point + ": " + e.pointer + " " + e.message);
  }
  return d;
}

Scenario parseScenario(const Json& doc, const ScenarioNeeds& needs, Issues& issues) {
  Scenario s;
  if (!doc.is_object()) {
    issues.add("", "a scenario must be a JSON object, got " + describeJson(doc));
    return s;
  }
  Reader r(&doc, "", issues);
  if (r.present("schema")) {
    const std::string schema = r.string("schema", std::nullopt);
    if (schema != kScenarioSchema)
      issues.add("/schema", std::string("must be \"") + kScenarioSchema + "\", got \"" + schema.substr(0, 60) + "\"");
  } else r.string("schema", std::string(kScenarioSchema));
  s.name = r.string("name", std::string("unnamed scenario"));
  s.hasMarket = r.present("market");
  s.hasBook = r.present("book");
  s.hasPriceModel = r.present("price_model");
  s.hasStress = r.present("stress");
  s.hasRuin = r.present("ruin");
  const bool hasMarkets = r.present("markets");
  // The fund first: per-market funds default to its fee share.
  parseFund(r.object("fund", false), s.fund, issues);
  if (hasMarkets) {
    s.multiMarket = true;
    for (const char* key : {"market", "book", "price_model"})
      if (r.present(key))
        issues.add(r.at(key), "cannot be given together with \"markets\": put it in each entry of markets");
    parseMarkets(r, needs, s.fund, s.markets, issues);
    // One money unit across markets: inverse contracts count money in their own coin.
    for (size_t i = 0; s.markets.size() > 1 && i < s.markets.size(); ++i)
      if (s.markets[i].market.contract == Contract::Inverse)
        issues.add("/markets/" + std::to_string(i) + "/market/contract",
                   "is \"inverse\" (money in coin); markets sharing a scenario must be linear so money is in one quote unit");
    r.known("market"); r.known("book"); r.known("price_model");
    if (!s.markets.empty()) {
      s.market = s.markets[0].market;
      s.book = s.markets[0].book;
      s.priceModel = s.markets[0].priceModel;
      s.hasMarket = s.hasBook = true;
      s.hasPriceModel = needs.priceModel;
    }
  } else {
    r.known("markets");
    const bool wantMarket = needs.marketAndBook || s.hasMarket || s.hasBook;
    if (wantMarket) {
      parseMarket(r.object("market", true), s.market, issues);
      parseBook(r.object("book", true), s.market, s.book, issues);
    } else {
      r.object("market", false); r.object("book", false);
    }
    if (needs.priceModel || s.hasPriceModel) parsePriceModel(r.object("price_model", needs.priceModel), s.priceModel, issues);
    else r.object("price_model", false);
    MarketSpec only;
    only.market = s.market;
    only.book = s.book;
    only.priceModel = s.priceModel;
    only.balance = s.fund.balance;
    only.feeShare = s.fund.feeShare;
    s.markets.push_back(std::move(only));
  }
  parsePolicy(r.object("policy", false), s.market, s.policy, issues);
  // Presets depend on the symbol (e.g. Binance's clearance fee): each market reads the policy
  // with its own symbol; problems were reported once, above.
  for (size_t i = 0; i < s.markets.size(); ++i) {
    if (i == 0) { s.markets[i].policy = s.policy; continue; }
    Issues again;
    parsePolicy(r.object("policy", false), s.markets[i].market, s.markets[i].policy, again);
  }
  if (r.present("treasury")) {  // SPEC §14 calls it a stage: accepted at the top level too
    if (doc.contains("fund") && doc["fund"].is_object() && doc["fund"].contains("treasury"))
      issues.add("/treasury", "is given twice: here and at /fund/treasury; keep one");
    else parseTreasury(r.object("treasury", false), s.fund.treasury, issues);
  } else {
    r.known("treasury");
  }
  if (s.fund.treasury.amount > 0 &&
      std::find(s.policy.stages.begin(), s.policy.stages.end(), Stage::Treasury) == s.policy.stages.end()) {
    // A treasury given without a place in the stages comes right after the fund.
    for (auto* pol : {&s.policy}) {
      auto at = std::find(pol->stages.begin(), pol->stages.end(), Stage::InsuranceFund);
      pol->stages.insert(at == pol->stages.end() ? pol->stages.begin() : at + 1, Stage::Treasury);
    }
    for (auto& m : s.markets) m.policy.stages = s.policy.stages;
  }
  if (r.present("correlation") && !hasMarkets)
    issues.add("/correlation", "needs \"markets\": it correlates the markets' diffusion shocks");
  parseCorrelation(r, s, issues);
  if (r.present("common_jumps")) parseCommonJumps(r.object("common_jumps", false), s, issues);
  else r.object("common_jumps", false);
  if (s.fund.scope == FundScope::PerMarket &&
      (s.fund.maxDrawFractionPerEvent || s.fund.floor > 0 || s.policy.adlTrigger == AdlTriggerKind::Drawdown))
    issues.add("/fund/scope", "\"per_market\" funds with a per-event cap, floor or drawdown trigger are not supported: "
                              "use \"shared\" or drop the fund policy");
  for (size_t i = 0; i < s.fund.composition.size(); ++i)
    if (s.fund.composition[i].market >= (int)s.markets.size())
      issues.add("/fund/composition/" + std::to_string(i) + "/market",
                 "is " + std::to_string(s.fund.composition[i].market) + ", but there are " +
                     std::to_string(s.markets.size()) + " markets (indices from 0)");
  parseSimulation(r.object("simulation", false), s.simulation, issues);
  if (needs.stress || s.hasStress) {
    Reader st = r.object("stress", needs.stress);
    s.stress.shocks = st.numbers("shocks", needs.stress, limits::kMaxShocks);
    for (size_t i = 0; i < s.stress.shocks.size(); ++i)
      if (!(s.stress.shocks[i] > -1 && s.stress.shocks[i] <= 10))
        issues.add(st.at("shocks") + "/" + std::to_string(i),
                   "must be a relative move in (-1, 10], got " + formatValue(s.stress.shocks[i]));
    if (needs.stress && st.isArray("shocks") && s.stress.shocks.empty())
      issues.add(st.at("shocks"), "is empty: give at least one shock, e.g. -0.1");
    st.rejectUnknown();
  } else r.object("stress", false);
  if (r.present("sweep")) parseSweep(r.object("sweep", false), doc, s.sweep, issues);
  else r.object("sweep", false);
  r.known("ruin");  // read by the ruin command
  r.rejectUnknown();
  if (needs.priceModel || s.hasPriceModel) checkRunLimits(s, issues);
  return s;
}

Scenario loadScenario(const Json& doc, const ScenarioNeeds& needs) {
  Issues issues;
  Scenario s = parseScenario(doc, needs, issues);
  issues.throwIfAny();
  return s;
}

Json validateCommand(const Json& input, const RunOptions&) {
  Issues issues;
  ScenarioNeeds needs;
  needs.marketAndBook = !(input.is_object() && input.contains("ruin") && !input.contains("market") && !input.contains("book"));
  const Scenario s = parseScenario(input, needs, issues);
  // Every sweep point must be a valid scenario too (checked while the document is sound).
  if (issues.empty() && !s.sweep.empty() && sweepPoints(s.sweep).size() <= size_t(limits::kMaxSweepPoints))
    for (const auto& at : sweepPoints(s.sweep)) checkSweepPoint(input, s.sweep, at, needs, issues);
  if (issues.empty()) return {{"valid", true}};
  Json errs = Json::array();
  for (const auto& e : issues.errors()) errs.push_back({{"pointer", e.pointer}, {"message", e.message}});
  return {{"valid", false}, {"errors", errs}};
}

}  // namespace backstop
