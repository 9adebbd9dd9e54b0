#include "backstop/waterfall/water_filling.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>

#include <boost/math/tools/toms748_solve.hpp>

namespace backstop {

namespace {

bool finite(double v) { return std::isfinite(v); }

void validate(double quantity, double n, const std::vector<AdlAccount>& accounts) {
  Issues issues;
  if (!(finite(quantity) && quantity >= 0))
    issues.add("/quantity", "must be a finite number >= 0, got " + formatValue(quantity));
  if (!(finite(n) && n > 0))
    issues.add("/notional_per_unit", "must be a positive finite number, got " + formatValue(n));
  for (size_t i = 0; i < accounts.size(); ++i) {
    const AdlAccount& a = accounts[i];
    const std::string ptr = "/accounts/" + std::to_string(i);
    if (!(finite(a.quantity) && a.quantity > 0))
      issues.add(ptr + "/quantity", "must be a positive finite number, got " + formatValue(a.quantity));
    if (!finite(a.equity)) issues.add(ptr + "/equity", "must be a finite number, got " + formatValue(a.equity));
    if (!(finite(a.lossPerUnit) && a.lossPerUnit >= 0))
      issues.add(ptr + "/loss_per_unit", "must be a finite number >= 0, got " + formatValue(a.lossPerUnit));
  }
  issues.throwIfAny();
}

// The close that brings an account to leverage λ: n(q − x) = λ(E − c·x) gives
// x(λ) = (n·q − λ·E)/(n − λ·c) (ORACLES.md, water-filling). For c·q < E and 0 <= λ <= L0 = n·q/E,
// n − λ·c >= n(1 − c·q/E) > 0, and x falls continuously from q (λ = 0) to 0 (λ = L0).
double closeAtLevel(const AdlAccount& a, double n, double l0, double lambda) {
  if (lambda >= l0) return 0.0;
  const double x = (n * a.quantity - lambda * a.equity) / (n - lambda * a.lossPerUnit);
  return std::clamp(x, 0.0, a.quantity);
}

}  // namespace

double postAdlLeverage(const AdlAccount& a, double n, double closed) {
  const double left = a.quantity - closed;
  if (!(left > 1e-12 * a.quantity)) return 0.0;
  const double eq = a.equity - a.lossPerUnit * closed;
  if (!(eq > 0)) return std::numeric_limits<double>::infinity();
  return n * left / eq;
}

WaterFilling waterFill(double quantity, double n, const std::vector<AdlAccount>& accounts) {
  validate(quantity, n, accounts);
  const size_t m = accounts.size();
  WaterFilling out;
  out.close.assign(m, 0.0);
  std::vector<double> l0(m);
  // broke: E <= 0 (a haircut took the margin), unboundedly levered until closed in full, so
  // closed first; fillable: c·q < E, leverage falls as they close; last: the others.
  std::vector<size_t> broke, fillable, last;
  for (size_t i = 0; i < m; ++i) {
    const AdlAccount& a = accounts[i];
    l0[i] = a.equity > 0 ? n * a.quantity / a.equity : std::numeric_limits<double>::infinity();
    (!(a.equity > 0) ? broke : a.lossPerUnit * a.quantity < a.equity ? fillable : last).push_back(i);
  }
  for (size_t i : broke) {
    out.close[i] = std::min(quantity, accounts[i].quantity);
    quantity -= out.close[i];
  }
  double held = 0;
  for (size_t i : fillable) held += accounts[i].quantity;

  if (quantity >= held) {
    // Everything that can be reduced is closed (level 0); the rest goes to the accounts a
    // full close leaves on equity <= 0, most levered first, whole: with c·q = E (collateral 0
    // under the profit cap) a partial close leaves their leverage unchanged, so closing the
    // highest ones whole is what lowers the maximum.
    for (size_t i : fillable) out.close[i] = accounts[i].quantity;
    std::stable_sort(last.begin(), last.end(), [&](size_t a, size_t b) { return l0[a] > l0[b]; });
    double rest = quantity - held;
    for (size_t i : last) {
      if (!(rest > 0)) break;
      out.close[i] = std::min(rest, accounts[i].quantity);
      rest -= out.close[i];
    }
    out.level = 0;
  } else if (quantity > 0) {
    // G(λ) = Σ x_i(λ) is continuous and strictly decreasing from G(0) = held > Q to G(max L0) = 0,
    // so λ* (G(λ*) = Q) is unique. Between consecutive distinct L0 values the set of reduced
    // accounts is fixed, so find that segment by bisection over the sorted breakpoints.
    std::vector<double> breaks;
    for (size_t i : fillable) breaks.push_back(l0[i]);
    std::sort(breaks.begin(), breaks.end(), std::greater<double>());
    breaks.erase(std::unique(breaks.begin(), breaks.end()), breaks.end());
    breaks.push_back(0.0);
    auto G = [&](double lambda) {
      double s = 0;
      for (size_t i : fillable) s += closeAtLevel(accounts[i], n, l0[i], lambda);
      return s;
    };
    size_t lo = 0, hi = breaks.size() - 1;  // G(breaks[lo]) < Q <= G(breaks[hi])
    while (hi - lo > 1) {
      const size_t mid = (lo + hi) / 2;
      (G(breaks[mid]) < quantity ? lo : hi) = mid;
    }
    const double a = breaks[hi], b = breaks[lo];  // λ* in [a, b)
    std::vector<size_t> active;
    for (size_t i : fillable)
      if (l0[i] >= b) active.push_back(i);
    bool uniform = true;
    for (size_t i : active) uniform = uniform && accounts[i].lossPerUnit == accounts[active[0]].lossPerUnit;
    double lambda;
    if (uniform) {
      // One c: Σ(n·q_i − λ·E_i) = Q·(n − λ·c), so λ* = n(Σq − Q)/(ΣE − Q·c) exactly; the
      // denominator is > 0 because Q < Σq and c·q_i < E_i.
      double sq = 0, se = 0;
      for (size_t i : active) {
        sq += accounts[i].quantity;
        se += accounts[i].equity;
      }
      const double c = accounts[active[0]].lossPerUnit;
      lambda = std::clamp(n * (sq - quantity) / (se - quantity * c), a, b);
    } else {
      // Losses capped per account make G a sum of distinct rational terms (a polynomial of the
      // degree of the distinct c's): TOMS 748 on the bracket, which always holds the root and
      // converges superlinearly on this smooth, monotone function.
      const auto f = [&](double l) { return G(l) - quantity; };
      const double fa = f(a);
      if (fa == 0) {
        lambda = a;
      } else {
        std::uintmax_t iters = 200;
        const auto r = boost::math::tools::toms748_solve(f, a, b, fa, f(b),
                                                         boost::math::tools::eps_tolerance<double>(52), iters);
        lambda = (r.first + r.second) / 2;
      }
    }
    out.level = lambda;
    double sum = 0;
    for (size_t i : active) sum += out.close[i] = closeAtLevel(accounts[i], n, l0[i], lambda);
    // Exact final step: the rounding residual (a few ulps of Q) goes to one reduced account
    // with room for it, so the closed quantity is Q.
    const double residual = quantity - sum;
    size_t best = active[0];
    for (size_t i : active) {
      const double room = residual > 0 ? accounts[i].quantity - out.close[i] : out.close[i];
      const double bestRoom = residual > 0 ? accounts[best].quantity - out.close[best] : out.close[best];
      if (room > bestRoom) best = i;
    }
    out.close[best] = std::clamp(out.close[best] + residual, 0.0, accounts[best].quantity);
  } else {
    double top = 0;
    for (size_t i : fillable) top = std::max(top, l0[i]);
    out.level = top;
  }
  for (size_t i = 0; i < m; ++i) {
    out.closed += out.close[i];
    out.loss += accounts[i].lossPerUnit * out.close[i];
  }
  return out;
}

double adlNotionalPerUnit(Contract c, double mark) { return c == Contract::Linear ? mark : 1.0 / mark; }

double adlLossPerUnit(Contract c, Side side, double mark, double fillPrice) {
  // Against the mark: a long that sells at X loses P − X (linear) or 1/X − 1/P coin (inverse).
  return c == Contract::Linear ? sign(side) * (mark - fillPrice) : sign(side) * (1.0 / fillPrice - 1.0 / mark);
}

AdlAccount adlAccount(const Position& p, Contract c, double mark, double lossPerUnit) {
  const double profitPerUnit = unrealisedPnl(p, c, mark) / p.quantity;
  return {p.quantity, equity(p, c, mark), std::min(lossPerUnit, profitPerUnit)};
}

WaterFilling waterFill(double quantity, double fillPrice, double mark, Contract c,
                       const std::vector<Position>& counterparties) {
  Issues issues;
  if (!(finite(mark) && mark > 0)) issues.add("/mark_price", "must be a positive finite number, got " + formatValue(mark));
  if (!(finite(fillPrice) && fillPrice > 0))
    issues.add("/fill_price", "must be a positive finite number, got " + formatValue(fillPrice));
  for (size_t i = 0; i < counterparties.size(); ++i)
    validatePosition(counterparties[i], "/counterparties/" + std::to_string(i), issues);
  issues.throwIfAny();
  const Side side = counterparties.empty() ? Side::Long : counterparties[0].side;
  const double loss = adlLossPerUnit(c, side, mark, fillPrice);
  if (!counterparties.empty() && !(loss >= 0))
    issues.add("/fill_price", "must cost the " + std::string(toString(side)) + " counterparties against the mark " +
                                  formatValue(mark) + ", got " + formatValue(fillPrice));
  std::vector<AdlAccount> accounts;
  for (size_t i = 0; i < counterparties.size(); ++i) {
    const Position& p = counterparties[i];
    const std::string ptr = "/counterparties/" + std::to_string(i);
    if (p.side != side) issues.add(ptr + "/side", "must be " + std::string(toString(side)) + " like the others");
    if (!(unrealisedPnl(p, c, mark) > 0))
      issues.add(ptr, "must be profitable at the mark " + formatValue(mark) + " (ADL takes only profitable positions)");
    accounts.push_back(adlAccount(p, c, mark, loss));
  }
  issues.throwIfAny();
  return waterFill(quantity, adlNotionalPerUnit(c, mark), accounts);
}

}  // namespace backstop
