#include "backstop/waterfall/fund.hpp"

#include <algorithm>
#include <cmath>

#include "backstop/venues/rules.hpp"

namespace backstop {

FundPolicy::FundPolicy(const Fund& fund, const Policy& policy)
    : floor_(venues::rules(policy.preset).fundFloor(fund.floor)),
      capFraction_(fund.maxDrawFractionPerEvent.value_or(-1.0)),
      drawdown_(policy.adlTrigger == AdlTriggerKind::Drawdown ? policy.drawdownFraction : -1.0),
      perMarketCap_(policy.perMarketFundCap), treasury_(fund.treasury.amount),
      treasuryDelay_(fund.treasury.delayDays) {}

double holdingsValue(const std::vector<FundHolding>& composition, double x, bool inverse) {
  if (composition.empty()) return 1.0;
  double g = 0;
  for (const FundHolding& h : composition) {
    const double logValue = h.asset == FundAsset::Quote ? 0.0 : h.asset == FundAsset::Underlying ? x : h.beta * x;
    g += h.share * std::exp(logValue - (inverse ? x : 0.0));
  }
  return g;
}

double FundPolicy::available(const FundState& s) const {
  double avail = std::max(0.0, s.balance - floor_);
  if (capFraction_ >= 0) avail = std::min(avail, std::max(0.0, capFraction_ * s.eventStart - s.paidThisEvent));
  if (drawdown_ >= 0) avail = std::min(avail, std::max(0.0, s.balance - (1.0 - drawdown_) * std::max(s.peak, s.balance)));
  if (perMarketCap_ >= 0) avail = std::min(avail, std::max(0.0, perMarketCap_ - s.paidTotal));
  return avail;
}

}  // namespace backstop
