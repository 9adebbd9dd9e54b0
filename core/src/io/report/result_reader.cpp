// Typed results read back from the JSON the io/ writers produce (docs/outputs.md): what lets the
// widget hand a result it holds to the same report code the CLI uses.
#include <cmath>
#include <initializer_list>

#include "backstop/model/names.hpp"
#include "reports.hpp"

namespace backstop::report {

const Json& member(const Json& j, const char* key) {
  static const Json kNull;
  if (!j.is_object()) return kNull;
  const auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

namespace {

const Json& at(const Json& j, const char* key) { return member(j, key); }
const Json& list(const Json& j, const char* key) {
  static const Json kEmpty = Json::array();
  const Json& v = at(j, key);
  return v.is_array() ? v : kEmpty;
}
double number(const Json& v) { return v.is_number() ? v.get<double>() : NAN; }
double d(const Json& j, const char* key) { return number(at(j, key)); }
double d(const Json& j, const char* key, size_t i) {
  const Json& a = at(j, key);
  return a.is_array() && i < a.size() ? number(a[i]) : NAN;
}
std::string s(const Json& j, const char* key) {
  const Json& v = at(j, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}
bool b(const Json& j, const char* key) {
  const Json& v = at(j, key);
  return v.is_boolean() && v.get<bool>();
}
Interval interval(const Json& j, const char* key) { return {d(j, key, 0), d(j, key, 1)}; }

// A result's number members by their JSON keys: one table per result shape, read by one loop.
// `absent`: the value where the JSON has no number (NaN as d() by default; 0 or +inf where
// the writer leaves a member out or writes null).
template <class T> struct NumberField {
  const char* key;
  double T::*member;
  double absent = NAN;
};
template <class T> void readNumbers(const Json& j, T& out, std::initializer_list<NumberField<T>> fields) {
  for (const auto& f : fields) out.*f.member = at(j, f.key).is_number() ? d(j, f.key) : f.absent;
}

DepletionEstimate depletion(const Json& j) {
  DepletionEstimate e{d(j, "estimate"), interval(j, "ci95"), d(j, "events")};
  e.importanceSampling = s(j, "method") == "importance_sampling";
  e.relativeError = d(j, "relative_error");
  e.effectivePaths = d(j, "effective_paths");
  return e;
}
RequiredFund required(const Json& j) {
  return {d(j, "target"), d(j, "amount"), interval(j, "ci95"), d(j, "ratio_to_open_interest")};
}
BadDebtStats badDebt(const Json& j) {
  return {d(j, "mean"), d(j, "var95"), d(j, "es95"), d(j, "var99"), d(j, "es99"), d(j, "var999"), d(j, "es999")};
}
LiquidatedNotional liquidated(const Json& j) { return {d(j, "mean"), d(j, "max")}; }
std::vector<CurvePoint> curve(const Json& j) {
  std::vector<CurvePoint> out;
  for (const auto& c : list(j, "curve")) out.push_back({d(c, "fund"), d(c, "probability")});
  return out;
}
std::vector<std::string> strings(const Json& j, const char* key) {
  std::vector<std::string> out;
  for (const auto& w : list(j, key))
    if (w.is_string()) out.push_back(w.get<std::string>());
  return out;
}
std::vector<double> numbers(const Json& j, const char* key) {
  std::vector<double> out;
  for (const auto& v : list(j, key)) out.push_back(number(v));
  return out;
}

MarketSummary market(const Json& m) {
  MarketSummary out;
  out.symbol = s(m, "symbol");
  out.openInterest = d(m, "open_interest");
  if (at(m, "fund_balance").is_number()) out.fundBalance = d(m, "fund_balance");
  out.badDebt = badDebt(at(m, "bad_debt"));
  out.shareOfBadDebt = d(m, "share_of_bad_debt");
  out.liquidated = liquidated(at(m, "liquidated_notional"));
  out.liquidationProbability = {d(at(m, "liquidation_probability"), "estimate"),
                                interval(at(m, "liquidation_probability"), "ci95")};
  out.depletion = depletion(at(m, "depletion_probability"));
  out.aloneAgainstFund = d(m, "alone_against_fund");
  out.required = required(at(m, "required_fund"));
  return out;
}

// The members a sweep point shares with a simulate result.
void pointMembers(const Json& j, SimulationResult& r) {
  r.depletion = depletion(at(j, "depletion_probability"));
  r.adlProbability = d(j, "adl_probability");
  r.adlProbabilityCi95 = interval(j, "adl_probability_ci95");
  r.required = required(at(j, "required_fund"));
  r.badDebt = badDebt(at(j, "bad_debt"));
  r.liquidated = liquidated(at(j, "liquidated_notional"));
  for (const auto& m : list(j, "markets")) r.markets.push_back(market(m));
  r.warnings = strings(j, "warnings");
}

std::vector<AdlFill> fills(const Json& j) {
  std::vector<AdlFill> out;
  for (const auto& f : list(j, "adl_fills")) out.push_back({s(f, "id"), d(f, "quantity"), d(f, "price"), d(f, "loss")});
  return out;
}

AdlSummary adl(const Json& j) {
  AdlSummary a;
  a.rule = fromId<AdlRanking>(s(j, "rule")).value_or(AdlRanking::PnlTimesLeverage);
  a.counterparties = int(at(j, "counterparties").is_number() ? d(j, "counterparties") : 0);
  using A = AdlSummary;
  readNumbers<A>(j, a, {{"quantity", &A::quantity},
                        {"loss", &A::loss},
                        {"max_leverage_before", &A::maxLeverageBefore, INFINITY},
                        {"max_leverage_after", &A::maxLeverageAfter, INFINITY},
                        {"largest_haircut_share", &A::largestHaircutShare}});
  return a;
}

StressEvent event(const Json& e) {
  StressEvent out;
  using E = StressEvent;
  readNumbers<E>(e, out, {{"shock", &E::shock},
                          {"mark_after", &E::markAfter},
                          {"liquidated_notional", &E::liquidatedNotional},
                          {"bad_debt", &E::badDebt},
                          {"penalties_to_fund", &E::penaltiesToFund},
                          {"penalties_to_vault", &E::penaltiesToVault},
                          {"fund_after", &E::fundAfter},
                          {"vault_after", &E::vaultAfter},
                          {"fee_pool_after", &E::feePoolAfter},
                          {"treasury_after", &E::treasuryAfter}});
  const Json& w = at(e, "waterfall");
  out.waterfall = {d(w, "insurance_fund"), d(w, "treasury"), d(w, "fee_pool"),        d(w, "backstop_vault"),
                   d(w, "adl"),            d(w, "socialized_loss"), d(w, "uncovered")};
  out.cascadeRounds = int(at(e, "cascade_rounds").is_number() ? d(e, "cascade_rounds") : 0);
  out.adlFills = fills(e);
  for (const auto& p : list(e, "positions")) {
    PositionOutcome o;
    using P = PositionOutcome;
    o.id = s(p, "id");
    o.liquidated = b(p, "liquidated");
    o.backstopped = b(p, "backstopped");
    readNumbers<P>(p, o, {{"execution_price", &P::executionPrice},
                          {"bad_debt", &P::badDebt},
                          {"penalty", &P::penalty},
                          {"returned", &P::returned},
                          {"liquidated_quantity", &P::liquidatedQuantity, 0},
                          {"deleveraged_quantity", &P::deleveragedQuantity, 0},
                          {"remaining_quantity", &P::remainingQuantity, 0}});
    out.positions.push_back(std::move(o));
  }
  if (at(e, "adl_summary").is_object()) out.adlSummary = adl(at(e, "adl_summary"));
  for (const auto& r : list(e, "adl_comparison")) out.adlComparison.push_back(adl(r));
  for (const auto& ps : list(e, "pool_pnl")) {
    PoolSide p;
    p.side = s(ps, "side") == "short" ? Side::Short : Side::Long;
    p.adl = b(ps, "adl");
    using S = PoolSide;
    readNumbers<S>(ps, p, {{"pnl", &S::pnl},
                           {"pool_usd", &S::poolUsd},
                           {"pnl_to_pool_factor", &S::factor, INFINITY},
                           {"capped_pnl_ratio", &S::cappedRatio},
                           {"pnl_to_pool_factor_after", &S::factorAfter, INFINITY},
                           {"paid_to_traders", &S::paid},
                           {"haircut", &S::haircut}});
    p.fills = fills(jsonObject({{"adl_fills", at(ps, "fills")}}));
    out.pool.push_back(std::move(p));
  }
  out.symbol = s(e, "symbol");
  for (const auto& m : list(e, "markets")) out.markets.push_back(event(m));
  return out;
}

}  // namespace

StressResult readStress(const Json& j) {
  StressResult r;
  r.scenario = s(j, "scenario");
  r.preset = fromId<Venue>(s(j, "preset")).value_or(Venue::Generic);
  r.fundBefore = d(j, "fund_before");
  for (const auto& e : list(j, "events")) r.events.push_back(event(e));
  return r;
}

SimulationResult readSimulation(const Json& j) {
  SimulationResult r;
  pointMembers(j, r);
  r.curve = curve(j);
  const Json& q = at(j, "fund_quantiles");
  for (const auto& day : list(q, "days")) r.fundQuantiles.days.push_back(day.is_number() ? day.get<int>() : 0);
  r.fundQuantiles.p05 = numbers(q, "p05");
  r.fundQuantiles.p25 = numbers(q, "p25");
  r.fundQuantiles.p50 = numbers(q, "p50");
  r.fundQuantiles.p75 = numbers(q, "p75");
  r.fundQuantiles.p95 = numbers(q, "p95");
  r.liquidationProbability = {d(at(j, "liquidation_probability"), "estimate"), interval(at(j, "liquidation_probability"), "ci95")};
  r.paths = (long long)(at(j, "paths").is_number() ? d(j, "paths") : 0);
  r.seed = at(j, "seed").is_number_unsigned() ? at(j, "seed").get<std::uint64_t>() : 0;
  r.horizonDays = d(j, "horizon_days");
  r.fundBalance = d(j, "fund_balance");
  r.openInterest = d(j, "open_interest");
  r.perMarketFunds = s(j, "fund_scope") == "per_market";
  r.independentMarketsDepletionProbability = d(j, "independent_markets_depletion_probability");
  if (at(j, "treasury").is_object()) r.treasury = Treasury{d(at(j, "treasury"), "amount"), d(at(j, "treasury"), "delay_days")};
  return r;
}

SizeResult readSize(const Json& j) {
  SizeResult r;
  r.required = required(j);
  r.curve = curve(j);
  r.depletion = depletion(at(j, "depletion_probability"));
  r.paths = (long long)(at(j, "paths").is_number() ? d(j, "paths") : 0);
  r.seed = at(j, "seed").is_number_unsigned() ? at(j, "seed").get<std::uint64_t>() : 0;
  r.warnings = strings(j, "warnings");
  return r;
}

SweepResult readSweep(const Json& j) {
  SweepResult r;
  for (const auto& p : list(j, "parameters")) {
    SweepAxis a;
    a.pointer = s(p, "pointer");
    a.values = numbers(p, "values");
    r.axes.push_back(std::move(a));
  }
  r.paths = (long long)(at(j, "paths").is_number() ? d(j, "paths") : 0);
  r.seed = at(j, "seed").is_number_unsigned() ? at(j, "seed").get<std::uint64_t>() : 0;
  for (const auto& p : list(j, "points")) {
    SweepPoint point;
    point.at = numbers(p, "at");
    pointMembers(p, point.result);
    r.points.push_back(std::move(point));
  }
  return r;
}

std::vector<FieldError> readValidation(const Json& j) {
  std::vector<FieldError> out;
  for (const auto& e : list(j, "errors")) out.push_back({s(e, "pointer"), s(e, "message")});
  return out;
}

PositionResult readPosition(const Json& input, const Json& result) {
  PositionResult r;
  const Json& p = at(input, "position");
  r.position.id = at(p, "id").is_string() ? s(p, "id") : "position";
  r.position.side = s(p, "side") == "short" ? Side::Short : Side::Long;
  r.position.quantity = d(p, "quantity");
  r.position.entryPrice = d(p, "entry_price");
  r.position.collateral = d(p, "collateral");
  r.contract = s(input, "contract") == "inverse" ? Contract::Inverse : Contract::Linear;
  r.maintenanceMarginRate = d(input, "maintenance_margin_rate");
  if (at(result, "liquidation_price").is_number()) r.prices.liquidation = d(result, "liquidation_price");
  if (at(result, "bankruptcy_price").is_number()) r.prices.bankruptcy = d(result, "bankruptcy_price");
  r.prices.notional = d(result, "notional");
  r.prices.leverage = at(result, "leverage").is_number() ? d(result, "leverage") : INFINITY;
  return r;
}

}  // namespace backstop::report
