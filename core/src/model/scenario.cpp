#include "backstop/model/scenario.hpp"

#include <cmath>
#include <algorithm>
#include <set>

#include "backstop/model/names.hpp"
#include "backstop/model/position.hpp"


namespace backstop {

const char* toString(Stage s) { return idOf(s); }
const char* toString(AdlRanking r) { return idOf(r); }
const char* toString(Venue v) { return idOf(v); }

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

MarketSpec& Scenario::first() {
  if (markets.empty()) markets.emplace_back();
  return markets[0];
}

const MarketSpec& Scenario::first() const {
  if (markets.empty())
    throw InputError(ErrorCode::InvalidInput,
                     {{"/markets", "is empty: a scenario needs a market (fill Scenario::markets, or write "
                                   "through Scenario::market(), book() and priceModel())"}});
  return markets[0];
}

double openInterest(const MarketSpec& m) {
  // Explicit positions: each side's notional at the mark; one side's open interest is the larger.
  double sides[2] = {0, 0};
  for (const auto& p : m.book.positions)
    if (p.quantity > 0) sides[p.side == Side::Long ? 0 : 1] += notionalInQuote(p, m.market.contract, m.market.markPrice);
  return m.book.openInterest + std::max(sides[0], sides[1]);
}

double totalOpenInterest(const Scenario& s) {
  double oi = 0;
  for (const auto& m : s.markets) oi += openInterest(m);
  return oi;
}

Maintenance maintenanceOf(const Market& m, const Policy& p) {
  if (!p.maintenanceTiers || p.maintenanceTiers->empty()) return Maintenance(m.maintenanceMarginRate);
  return maintenanceSchedule(m.maintenanceMarginRate, *p.maintenanceTiers, p.maintenanceTierBasis);
}

std::string maintenanceTierProblem(const Market& m, const Policy& p) {
  if (!p.maintenanceTiers || p.maintenanceTiers->empty()) return "";
  const double first = p.maintenanceTiers->front().rate;
  const std::string table = p.maintenanceTiers == presetPolicy(p.preset, m.symbol).maintenanceTiers
                                ? "the " + std::string(toString(p.preset)) + " preset's table for " + m.symbol +
                                      "; policy.venue.maintenance_tiers: [] for one rate"
                                : "policy.venue.maintenance_tiers";
  if (std::fabs(m.maintenanceMarginRate - first) > 1e-12)
    return "is " + formatValue(m.maintenanceMarginRate) + " but the first maintenance tier's rate is " +
           formatValue(first) + " (" + table + "); they must agree";
  if (p.preset == Venue::Bitmex && m.contract == Contract::Linear && table != "policy.venue.maintenance_tiers")
    return "is the rate of BitMEX's XBTUSD risk limits, which count position value in XBT (contract inverse); "
           "this market is linear (" + table + ")";
  return "";
}

double cohortAccounts(const Book& b, double notional) {
  return b.accountNotional > 0 ? std::max(1.0, notional / b.accountNotional) : INFINITY;
}

bool placeTreasuryStage(Policy& p, const Fund& f) {
  if (!(f.treasury.amount > 0) || std::find(p.stages.begin(), p.stages.end(), Stage::Treasury) != p.stages.end())
    return false;
  // A treasury given without a place in the stages comes right after the fund.
  auto at = std::find(p.stages.begin(), p.stages.end(), Stage::InsuranceFund);
  p.stages.insert(at == p.stages.end() ? p.stages.begin() : at + 1, Stage::Treasury);
  return true;
}

void applyPreset(Policy& p, const std::string& symbol) {
  if (p.presetApplied) return;
  const Policy generic;
  const Policy v = presetPolicy(p.preset, symbol);
  // A field still at the generic default takes the preset's value, as a field the JSON omits.
#define BACKSTOP_TAKE(f) \
  if (p.f == generic.f) p.f = v.f;
  BACKSTOP_TAKE(penaltyMode) BACKSTOP_TAKE(penaltyRate) BACKSTOP_TAKE(penaltyToFund) BACKSTOP_TAKE(penaltyToVault)
  BACKSTOP_TAKE(stages) BACKSTOP_TAKE(adlRanking) BACKSTOP_TAKE(socializeOver) BACKSTOP_TAKE(adlTrigger)
  BACKSTOP_TAKE(drawdownFraction) BACKSTOP_TAKE(drawdownWindowHours) BACKSTOP_TAKE(fundCoverage)
  BACKSTOP_TAKE(backstopThreshold) BACKSTOP_TAKE(spreadToMaintenance) BACKSTOP_TAKE(bankruptcyAdjustment)
  BACKSTOP_TAKE(maxInsuranceFundFee) BACKSTOP_TAKE(perMarketFundCap) BACKSTOP_TAKE(feePool)
  BACKSTOP_TAKE(liquidationMarginBuffer) BACKSTOP_TAKE(maxPnlFactor) BACKSTOP_TAKE(maxPnlFactorForAdl)
  BACKSTOP_TAKE(fundTakeoverCap)
  BACKSTOP_TAKE(minPnlFactorAfterAdl) BACKSTOP_TAKE(maintenanceTiers) BACKSTOP_TAKE(maintenanceTierBasis)
#undef BACKSTOP_TAKE
  p.presetApplied = true;
}

Scenario resolve(const Scenario& in) {
  Scenario s = in;
  const size_t n = s.markets.size();
  if (n > 1) s.multiMarket = true;
  // Each market reads the scenario's policy with its own symbol (presets depend on it);
  // a market policy built with presetPolicy() is kept as it is.
  const Policy given = s.policy;
  if (n > 0) applyPreset(s.policy, s.markets[0].market.symbol);
  else applyPreset(s.policy, "");
  placeTreasuryStage(s.policy, s.fund);
  for (size_t i = 0; i < n; ++i) {
    MarketSpec& m = s.markets[i];
    if (!m.policy.presetApplied) {
      m.policy = given;
      applyPreset(m.policy, m.market.symbol);
    }
    placeTreasuryStage(m.policy, s.fund);
    // A shared fund (or one market): every market pays it the fund's fee share; a lone market holds its balance.
    if (s.fund.scope == FundScope::Shared || !s.multiMarket) {
      m.feeShare = s.fund.feeShare;
      m.balance = s.multiMarket ? 0.0 : s.fund.balance;
    }
  }
  if (s.choleskyFactor.size() != n) {
    std::vector<std::vector<double>> c = s.correlation;
    if (c.size() != n) {
      c.assign(n, std::vector<double>(n, 0.0));
      for (size_t i = 0; i < n; ++i) c[i][i] = 1.0;
    }
    // Not positive semi-definite: validate() names /correlation; the factor stays empty.
    if (auto l = semidefiniteCholesky(c)) s.choleskyFactor = std::move(*l);
  }
  CommonJumps& cj = s.commonJumps;
  if (cj.loadings.size() != n && cj.loadings.empty())
    for (size_t i = 0; i < n; ++i) cj.loadings.push_back(s.markets[i].jumpLoading.value_or(1.0));
  return s;
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

}  // namespace backstop
