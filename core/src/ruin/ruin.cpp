#include "backstop/ruin/ruin.hpp"

#include <cstdint>
#include <cstring>

#include "backstop/model/scenario.hpp"
#include "ruin/ruin_detail.hpp"

namespace backstop {

// ---------------------------------------------------------------------------------------
// Pollaczek–Khinchine by discretisation

namespace {

// Ladder-height cells: c[k] = P(k·h < Y ≤ (k+1)·h) for k < n, tailEnd = P(Y > n·h),
// P(Y > x) = E[(X − x)+]/μ. Normalised so the masses sum to 1 (quadrature error is relative).
// Length on which the claim survival function changes: sub-cell width for quadrature.
double claimScale(const ClaimModel& m) {
  switch (m.kind) {
    case ClaimKind::Exponential: return m.mean;
    case ClaimKind::Gamma: return m.scale * std::min(1.0, m.shape);
    case ClaimKind::Lognormal: return std::exp(m.meanlog) * std::min(1.0, m.sdlog);
    case ClaimKind::Lomax: return m.scale;
    case ClaimKind::ExponentialMixture: return *std::min_element(m.means.begin(), m.means.end());
    default: return claimMoment(m, 1);
  }
}

struct LadderCells {
  std::vector<double> c;
  double tailEnd = 0;
};

LadderCells ladderCells(const ClaimModel& m, double h, std::size_t n) {
  LadderCells out;
  out.c.assign(n, 0.0);
  if (m.kind == ClaimKind::Empirical) {
    // ∫_a^{a+h} P(X > y) dy = Σ_i w_i · clamp(v_i − a, 0, h), exact.
    const auto atoms = sortedAtoms(m);
    std::vector<double> suffixW(atoms.size() + 1, 0.0);
    for (std::size_t i = atoms.size(); i-- > 0;) suffixW[i] = suffixW[i + 1] + atoms[i].second;
    std::size_t i0 = 0, i1 = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const double a = double(k) * h, b = double(k + 1) * h;
      while (i0 < atoms.size() && atoms[i0].first <= a) ++i0;
      if (i1 < i0) i1 = i0;
      while (i1 < atoms.size() && atoms[i1].first <= b) ++i1;
      double v = h * suffixW[i1];
      for (std::size_t i = i0; i < i1; ++i) v += atoms[i].second * (atoms[i].first - a);
      out.c[k] = v;
    }
  } else {
    // Fixed 10-point Gauss–Legendre per cell (positive weights keep every cell >= 0), on
    // sub-cells no wider than a quarter of the claim scale so wide cells stay accurate.
    auto sf = [&m](double y) { return claimSurvival(m, y); };
    const double scale = claimScale(m);
    const int pieces = int(std::min(64.0, std::max(1.0, std::ceil(4 * h / scale))));
    for (std::size_t k = 0; k < n; ++k) {
      const double a = double(k) * h;
      double v = 0;
      for (int i = 0; i < pieces; ++i)
        v += bm::quadrature::gauss<double, 10>::integrate(sf, a + h * i / pieces, a + h * (i + 1) / pieces);
      out.c[k] = v;
    }
  }
  out.tailEnd = claimIntegratedTail(m, double(n) * h);
  double total = out.tailEnd;
  for (double v : out.c) total += v;
  for (double& v : out.c) v /= total;
  out.tailEnd /= total;
  return out;
}

LadderCells pairCells(const LadderCells& fine) {
  LadderCells out;
  out.c.resize(fine.c.size() / 2);
  for (std::size_t i = 0; i < out.c.size(); ++i) out.c[i] = fine.c[2 * i] + fine.c[2 * i + 1];
  out.tailEnd = fine.tailEnd;
  if (fine.c.size() % 2) out.tailEnd += fine.c.back();
  return out;
}

// t(s) = P(L > s) for the compound geometric L of the discretised ladder heights Y':
// t(s) = p·[P(Y' > s) + Σ_{j=0..s} f_j·t(s − j)], the Panjer recursion (a = p, b = 0)
// written for the tail so that small ψ keeps full relative precision (no 1 − Σ pmf).
// Lower: Y' = ⌊Y/h⌋ (f_j = c_j); upper: Y' = ⌈Y/h⌉ (f_j = c_{j−1}). Needs c.size() ≥ K + 1.
void pkTails(double p, const LadderCells& cells, std::size_t K, std::vector<double>& lo,
             std::vector<double>& up) {
  const std::vector<double>& c = cells.c;
  const std::size_t n = c.size();
  std::vector<double> above(n + 1);  // above[s] = P(Y > s·h)
  above[n] = cells.tailEnd;
  for (std::size_t s = n; s-- > 0;) above[s] = above[s + 1] + c[s];
  lo.assign(K + 1, 0.0);
  up.assign(K + 1, 0.0);
  const double normLo = p / (1 - p * c[0]);
  for (std::size_t s = 0; s <= K; ++s) {
    // Four partial sums: a fixed summation order (identical natively and in wasm), faster.
    double l0 = 0, l1 = 0, l2 = 0, l3 = 0, u0 = 0, u1 = 0, u2 = 0, u3 = 0;
    std::size_t j = 1;
    for (; j + 3 <= s; j += 4) {
      l0 += c[j] * lo[s - j];
      l1 += c[j + 1] * lo[s - j - 1];
      l2 += c[j + 2] * lo[s - j - 2];
      l3 += c[j + 3] * lo[s - j - 3];
      u0 += c[j - 1] * up[s - j];
      u1 += c[j] * up[s - j - 1];
      u2 += c[j + 1] * up[s - j - 2];
      u3 += c[j + 2] * up[s - j - 3];
    }
    for (; j <= s; ++j) {
      l0 += c[j] * lo[s - j];
      u0 += c[j - 1] * up[s - j];
    }
    lo[s] = normLo * (above[s + 1] + ((l0 + l1) + (l2 + l3)));
    up[s] = p * (above[s] + ((u0 + u1) + (u2 + u3)));
  }
}

struct PkPair {
  double step = 0;
  // Step h (K+1 points), 2h and 4h, all from the same cells.
  std::vector<double> lo, up, lo2, up2, lo4, up4;
};

// Discretisations on [0, K·h] with steps h, 2h, 4h (K a multiple of 4).
PkPair pkPair(const ClaimModel& m, double theta, double h, std::size_t K) {
  const double p = 1 / (1 + theta);
  PkPair out;
  out.step = h;
  const LadderCells cells = ladderCells(m, h, K + 4);
  pkTails(p, cells, K, out.lo, out.up);
  const LadderCells cells2 = pairCells(cells);
  pkTails(p, cells2, K / 2, out.lo2, out.up2);
  pkTails(p, pairCells(cells2), K / 4, out.lo4, out.up4);
  return out;
}

// Richardson on the midpoints m_h = (lower + upper)/2. Measured on the exponential closed
// form, m_h has an O(h) error and 2·m_h − m_2h an O(h²) one, so a second step
// E = E1(h) + (E1(h) − E1(2h))/3 removes that too where the grid has it (index % 4 == 0).
// Clamped into the bounds, which hold whatever the smoothness.
double richardson(const PkPair& r, std::size_t i) {
  const double m1 = 0.5 * (r.lo[i] + r.up[i]);
  const double m2 = 0.5 * (r.lo2[i / 2] + r.up2[i / 2]);
  double est = 2 * m1 - m2;
  if (i % 4 == 0) {
    const double m4 = 0.5 * (r.lo4[i / 4] + r.up4[i / 4]);
    const double e2 = 2 * m2 - m4;
    est = est + (est - e2) / 3;
  }
  return std::min(r.up[i], std::max(r.lo[i], est));
}

std::size_t floorPow2(std::size_t n) {
  std::size_t k = 1;
  while (k * 2 <= n) k *= 2;
  return k;
}

}  // namespace

PkCurves pollaczekKhinchineCurves(const ClaimModel& claim, double loading, double step, std::size_t points) {
  PkCurves out;
  out.step = step;
  const LadderCells cells = ladderCells(claim, step, points + 1);
  pkTails(1 / (1 + loading), cells, points, out.lower, out.upper);
  return out;
}

PkResult pollaczekKhinchine(const ClaimModel& claim, double loading, double u, std::size_t maxPoints,
                            double relativeWidth) {
  PkResult out;
  if (u <= 0) {
    out.lower = out.upper = out.estimate = 1 / (1 + loading);
    return out;
  }
  const std::size_t kMax = std::max<std::size_t>(8, floorPow2(std::min(maxPoints, kMaxPointsLimit)));
  std::size_t K = std::min<std::size_t>(256, kMax);
  for (;;) {
    const PkPair r = pkPair(claim, loading, u / double(K), K);
    out.lower = r.lo[K];
    out.upper = r.up[K];
    out.estimate = richardson(r, K);
    out.step = r.step;
    out.points = K;
    const double width = out.upper - out.lower;
    if (K >= kMax || !(width > relativeWidth * out.estimate)) break;
    // The width is proportional to h: jump to the grid that should meet the tolerance.
    const double need = double(K) * width / (relativeWidth * out.estimate);
    std::size_t next = K * 2;
    while (double(next) < need && next < kMax) next *= 2;
    K = std::min(next, kMax);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Lundberg, diffusion, finite horizon

std::optional<double> adjustmentCoefficient(const SurplusProcess& p) {
  const ClaimModel& m = p.claim;
  const double rMax = mgfAbscissa(m);
  const double mu = claimMoment(m, 1);
  if (!(rMax > 0) || !(p.premiumRate > p.claimRate * mu)) return std::nullopt;
  if (m.kind == ClaimKind::Exponential) return 1 / m.mean - p.claimRate / p.premiumRate;
  // h(r) = log(1 + c·r/λ) − log M_X(r): concave, h(0) = 0, h'(0) = c/λ − μ > 0, so one
  // positive root; the logarithms keep the MGF from overflowing while bracketing.
  auto h = [&](double r) { return std::log1p(p.premiumRate * r / p.claimRate) - claimLogMgf(m, r); };
  double lo = finite(rMax) ? rMax / 2 : 1 / mu;
  for (int i = 0; i < 2000 && !(h(lo) > 0); ++i) lo /= 2;
  if (!(h(lo) > 0)) return std::nullopt;
  double hi = finite(rMax) ? lo + (rMax - lo) / 2 : 2 * lo;
  for (int i = 0; i < 2000 && !(h(hi) < 0); ++i) hi = finite(rMax) ? rMax - (rMax - hi) / 2 : 2 * hi;
  if (!(h(hi) < 0)) return std::nullopt;
  std::uintmax_t iters = 300;
  const auto root = bm::tools::toms748_solve(h, lo, hi, h(lo), h(hi), bm::tools::eps_tolerance<double>(52), iters);
  return (root.first + root.second) / 2;
}

double ruinDiffusion(double u, double drift, double sigma, double horizon) {
  if (u <= 0) return 1;
  if (!finite(horizon)) return drift > 0 ? std::exp(-2 * drift * u / (sigma * sigma)) : 1.0;
  const double s = sigma * std::sqrt(horizon);
  const double z1 = (-u - drift * horizon) / s, z2 = (-u + drift * horizon) / s;
  const double term1 = bm::cdf(bm::normal_distribution<double>(0, 1), z1);
  // e^{−2μu/σ²}·Φ(z2) in log space: the factor overflows exactly when Φ(z2) underflows.
  const double term2 = std::exp(-2 * drift * u / (sigma * sigma) + logNormalCdf(z2));
  return std::min(1.0, term1 + term2);
}

double ruinExponentialFinite(double u, double horizon, double c, double lambda, double mean) {
  // Asmussen (2000), Ruin Probabilities, exponential claims with rate 1 and premium 1:
  // ψ(u,T) = λe^{−(1−λ)u} − (1/π)∫_0^π f1·f2/f3 dx,
  //   f1 = λ·exp{2√λ·T·cos x − (1+λ)T + u(√λ·cos x − 1)},
  //   f2 = cos(u√λ·sin x) − cos(u√λ·sin x + 2x),  f3 = 1 + λ − 2√λ·cos x;
  // general (λ, c, mean) by ψ_{λ,c,m}(u,T) = ψ_{λm/c,1,1}(u/m, cT/m).
  const double l = lambda * mean / c;
  if (!(l < 1)) return std::nan("");
  const double x0 = u / mean, t = c * horizon / mean, sl = std::sqrt(l);
  const double infinite = l * std::exp(-(1 - l) * x0);
  if (horizon <= 0) return 0;
  const double cap = ruinExponential(u, c, lambda, mean);  // the same rounding as psi
  auto f = [&](double x) {
    const double cx = std::cos(x), a = x0 * sl * std::sin(x);
    const double f1 = l * std::exp(2 * sl * t * cx - (1 + l) * t + x0 * (sl * cx - 1));
    const double f2 = std::cos(a) - std::cos(a + 2 * x);
    const double f3 = 1 + l - 2 * sl * cx;
    return f1 * f2 / f3;
  };
  const double integral = bm::quadrature::gauss_kronrod<double, 61>::integrate(f, 0.0, kPi, 20, 1e-14);
  return std::min(cap, std::max(0.0, infinite - integral / kPi));
}

// ---------------------------------------------------------------------------------------
// The analysis

void validateProcess(const SurplusProcess& p, const RuinOptions& o, Issues& issues) {
  if (!(finite(p.initialSurplus) && p.initialSurplus >= 0))
    issues.add("/ruin/initial_surplus", "must be a finite number >= 0, got " + formatValue(p.initialSurplus));
  needPositive(p.premiumRate, "/ruin/premium_rate", issues);
  needPositive(p.claimRate, "/ruin/claim_rate", issues);
  validateClaimModel(p.claim, "/ruin/claim", issues);
  if (o.horizon && !(finite(*o.horizon) && *o.horizon > 0))
    issues.add("/ruin/horizon", "must be a positive finite number or null (infinite), got " + formatValue(*o.horizon));
  if (!(o.targetProbability > 0 && o.targetProbability < 1))
    issues.add("/ruin/target_probability", "must be in (0, 1), got " + formatValue(o.targetProbability));
}

namespace {

struct PkInverse {
  std::optional<double> amount, lower, upper;
};

// u with ψ(u) = target from one Pollaczek–Khinchine grid on [0, U]: the Richardson curve
// (at even grid points) interpolated log-linearly; bounds where the bound curves cross.
PkInverse pkInverse(const ClaimModel& m, double theta, double target, double guess, std::size_t kMax) {
  PkInverse out;
  if (!(finite(guess) && guess >= 0)) return out;  // no finite grid to search on
  const std::size_t K = std::max<std::size_t>(8, floorPow2(std::min(kMax, kMaxPointsLimit)));
  double U = std::max(guess * 2, claimMoment(m, 1));
  for (int iter = 0; iter < 12; ++iter) {
    const PkPair r = pkPair(m, theta, U / double(K), K);
    if (richardson(r, K) > target) {
      U *= 4;
      continue;
    }
    std::size_t i = 4;
    while (i <= K && richardson(r, i) > target) i += 4;
    const double h = r.step;
    if (i < K / 8 && iter < 11) {  // crossing too close to 0 for the grid: zoom in
      U = double(i) * h * 1.5;
      continue;
    }
    const double y0 = std::log(richardson(r, i - 4)), y1 = std::log(richardson(r, i));
    const double lt = std::log(target);
    const double frac = y0 > y1 ? (y0 - lt) / (y0 - y1) : 1.0;
    out.amount = (double(i - 4) + 4 * std::min(1.0, std::max(0.0, frac))) * h;
    std::size_t a = 0;
    while (a + 1 <= K && r.lo[a + 1] > target) ++a;
    out.lower = double(a) * h;  // ψ ≥ ψ_lo > target up to here
    std::size_t b = 0;
    while (b <= K && r.up[b] > target) ++b;
    if (b <= K) out.upper = double(b) * h;  // ψ ≤ ψ_up ≤ target from here
    if (!finite(*out.amount) || !finite(*out.lower) || (out.upper && !finite(*out.upper))) return PkInverse{};
    return out;
  }
  return out;
}

}  // namespace

RuinResult analyseRuin(const SurplusProcess& p, const RuinOptions& o) {
  Issues issues;
  validateProcess(p, o, issues);
  issues.throwIfAny();

  RuinResult r;
  const ClaimModel& m = p.claim;
  const double mu = claimMoment(m, 1), m2 = claimMoment(m, 2), m3 = claimMoment(m, 3);
  const double u = p.initialSurplus, c = p.premiumRate, lambda = p.claimRate;
  r.claimMean = mu;
  r.loading = c / (lambda * mu) - 1;
  r.target = o.targetProbability;
  r.horizon = o.horizon;
  const double theta = r.loading;
  const bool positiveLoading = theta > 0 && finite(theta);

  // Finite horizon first: it exists whatever the sign of the loading.
  if (o.horizon) {
    const double T = *o.horizon;
    if (finite(m2)) {
      r.diffusion = {ruinDiffusion(u, c - lambda * mu, std::sqrt(lambda * m2), T),
                     "diffusion approximation: Brownian motion with drift c - lambda*E[X], variance lambda*E[X^2]"};
    } else {
      r.diffusion = {std::nullopt, "n/a: E[X^2] is infinite (pareto shape <= 2)"};
    }
    if (m.kind == ClaimKind::Exponential && positiveLoading)
      r.exactFinite = {ruinExponentialFinite(u, T, c, lambda, m.mean),
                       "exact: exponential claims, Asmussen's integral representation (Gauss-Kronrod)"};
    else if (m.kind == ClaimKind::Exponential)
      r.exactFinite = {std::nullopt, "n/a: the integral representation needs theta > 0"};
    else
      r.exactFinite = {std::nullopt, "n/a: exact finite-horizon value only for exponential claims"};
  }

  if (!positiveLoading) {
    r.psi = r.psiLower = r.psiUpper = 1;
    r.method = "certain (theta <= 0)";
    r.notes.push_back("premium_rate <= claim_rate * mean claim: the surplus drifts down, ruin is certain");
    const char* why = "n/a: theta <= 0, ruin is certain";
    r.adjustmentCoefficient = {std::nullopt, why};
    r.lundbergBound = {std::nullopt, why};
    r.cramerLundberg = {std::nullopt, why};
    r.deVylder = {std::nullopt, why};
    r.requiredSurplus = {std::nullopt, "n/a: no surplus brings psi below 1 when theta <= 0"};
    return r;
  }

  // Lundberg and the approximations that rest on it.
  const auto R = adjustmentCoefficient(p);
  if (R) {
    r.adjustmentCoefficient = {*R, "root of lambda*(M_X(r) - 1) = c*r (TOMS 748)"};
    r.lundbergBound = {std::exp(-*R * u), "Lundberg bound exp(-R*u)"};
    const double C = (c - lambda * mu) / (lambda * mgfDerivative(m, *R) - c);
    r.cramerLundberg = {C * std::exp(-*R * u), "Cramer-Lundberg approximation C*exp(-R*u), C = (c - lambda*mu)/(lambda*M_X'(R) - c)"};
  } else {
    const char* why = "n/a: heavy tail, the claim MGF does not exist for r > 0";
    r.adjustmentCoefficient = {std::nullopt, why};
    r.lundbergBound = {std::nullopt, why};
    r.cramerLundberg = {std::nullopt, why};
  }
  if (finite(m2) && finite(m3)) {
    // De Vylder: exponential-claims process with the same first three cumulants of U(t).
    const double beta = 3 * m2 / m3;
    const double lt = 9 * lambda * m2 * m2 * m2 / (2 * m3 * m3);
    const double ct = c - lambda * mu + lt / beta;
    r.deVylder = {lt / (beta * ct) * std::exp(-(beta - lt / ct) * u),
                  "De Vylder: exponential claims matching E[X], E[X^2], E[X^3]"};
  } else {
    r.deVylder = {std::nullopt, "n/a: E[X^3] is infinite (pareto shape <= 3)"};
  }

  // ψ(u).
  const double psi0 = 1 / (1 + theta);
  if (m.kind == ClaimKind::Exponential) {
    r.psi = r.psiLower = r.psiUpper = ruinExponential(u, c, lambda, m.mean);
    r.method = "exact: exponential claims, psi(u) = exp(-theta*u/((1+theta)*mu))/(1+theta)";
  } else if (m.kind == ClaimKind::ExponentialMixture) {
    const ExponentialSum e = ruinExponentialMixture(c, lambda, m.weights, m.means);
    r.psi = r.psiLower = r.psiUpper = std::min(psi0, e(u));
    r.method = "exact: exponential mixture, sum of C_j*exp(-R_j*u) over the roots of the Lundberg equation";
  } else if (u == 0) {
    r.psi = r.psiLower = r.psiUpper = psi0;
    r.method = "exact: psi(0) = 1/(1+theta)";
  } else {
    const PkResult pk = pollaczekKhinchine(m, theta, u, o.maxGridPoints, o.relativeWidth);
    r.psi = pk.estimate;
    r.psiLower = pk.lower;
    r.psiUpper = pk.upper;
    r.gridPoints = pk.points;
    r.gridStep = pk.step;
    r.method = "Pollaczek-Khinchine: ladder heights discretised up/down (bounds), Panjer recursion, Richardson extrapolation";
  }

  // Required surplus: ψ is decreasing in u from ψ(0) = 1/(1+θ).
  const double target = o.targetProbability;
  if (target >= psi0) {
    r.requiredSurplus = {0.0, "psi(0) = 1/(1+theta) is already <= target"};
    r.requiredSurplusLower = r.requiredSurplusUpper = 0.0;
  } else if (m.kind == ClaimKind::Exponential) {
    const double a = std::log(target * (1 + theta)) * -(1 + theta) * m.mean / theta;
    r.requiredSurplus = {a, "exact: inverse of the exponential closed form"};
    r.requiredSurplusLower = r.requiredSurplusUpper = a;
  } else if (m.kind == ClaimKind::ExponentialMixture) {
    const ExponentialSum e = ruinExponentialMixture(c, lambda, m.weights, m.means);
    auto f = [&](double x) { return std::log(e(x)) - std::log(target); };
    double hi = 1 / e.rates[0];
    for (int i = 0; i < 2000 && f(hi) > 0; ++i) hi *= 2;
    std::uintmax_t iters = 300;
    const auto root = bm::tools::toms748_solve(f, 0.0, hi, f(0.0), f(hi), bm::tools::eps_tolerance<double>(50), iters);
    const double a = (root.first + root.second) / 2;
    r.requiredSurplus = {a, "exact: root of the mixture closed form (TOMS 748)"};
    r.requiredSurplusLower = r.requiredSurplusUpper = a;
  } else {
    // Starting scale: Cramér–Lundberg for light tails, ψ(u) ~ F̄_e(u)/θ for heavy tails.
    double guess = mu;
    // C itself, not C·e^{−Ru}·e^{Ru}: at a large u the product overflowed to an infinite guess (fuzz).
    const double C = R ? (c - lambda * mu) / (lambda * mgfDerivative(m, *R) - c) : NAN;
    if (R && *R > 0 && C > 0 && finite(C) && finite(std::log(C / target) / *R)) {
      guess = std::max(mu, std::log(C / target) / *R);
    } else {
      double x = mu;
      for (int i = 0; i < 200 && claimIntegratedTail(m, x) / (mu * theta) > target; ++i) x *= 2;
      guess = x / 2;
    }
    const PkInverse inv = pkInverse(m, theta, target, guess, o.maxGridPoints / 2);
    if (inv.amount && finite(*inv.amount)) {
      r.requiredSurplus = {inv.amount, "Pollaczek-Khinchine curve (Richardson), log-linear interpolation"};
      r.requiredSurplusLower = inv.lower;
      r.requiredSurplusUpper = inv.upper;
    } else {
      r.requiredSurplus = {std::nullopt, "n/a: no surplus within the search range reaches the target"};
    }
  }
  return r;
}

// ---------------------------------------------------------------------------------------
// Fitting from a simulation

namespace {
std::uint64_t bitsOf(double x) {
  std::uint64_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}
}  // namespace

ClaimModel binnedClaims(const std::vector<double>& values, std::size_t maxAtoms) {
  if (values.empty() || maxAtoms == 0) return ClaimModel::empirical({}, {});
  // A positive double's bits grow with its value: the top 12 + k bits name a bin [2^e·(1 + j/2^k),
  // 2^e·(1 + (j+1)/2^k)), relative width ≤ 2^−k. k = 8 to start, fewer if the range would need
  // more than 2^16 counters, then one bit fewer at a time until at most maxAtoms bins are used.
  std::uint64_t lo = ~std::uint64_t(0), hi = 0;
  for (double x : values) {
    lo = std::min(lo, bitsOf(x));
    hi = std::max(hi, bitsOf(x));
  }
  int shift = 52 - 8;
  while ((hi >> shift) - (lo >> shift) >= (std::uint64_t(1) << 16)) ++shift;
  for (;; ++shift) {
    const std::uint64_t base = lo >> shift;
    const std::size_t size = std::size_t((hi >> shift) - base + 1);
    std::vector<double> sum(size, 0.0), count(size, 0.0);
    for (double x : values) {
      const std::size_t i = std::size_t((bitsOf(x) >> shift) - base);
      sum[i] += x;  // in the claims' order: a pure function of the run, whatever the thread count
      count[i] += 1;
    }
    std::size_t used = 0;
    for (double c : count) used += c > 0;
    if (used > maxAtoms && shift < 63) continue;
    std::vector<double> atoms, weights;
    atoms.reserve(used);
    weights.reserve(used);
    const double n = double(values.size());
    for (std::size_t i = 0; i < size; ++i)
      if (count[i] > 0) {
        atoms.push_back(sum[i] / count[i]);
        weights.push_back(count[i] / n);
      }
    return ClaimModel::empirical(std::move(atoms), std::move(weights));
  }
}

FittedClaims fitClaimsFromSteps(const std::vector<double>& perStepClaims, double stepDays, double premiumPerDay) {
  Issues issues;
  needPositive(stepDays, "step_days", issues);
  if (!(finite(premiumPerDay) && premiumPerDay >= 0))
    issues.add("premium_per_day", "must be a finite number >= 0, got " + formatValue(premiumPerDay));
  std::vector<double> values;
  for (std::size_t i = 0; i < perStepClaims.size(); ++i) {
    const double x = perStepClaims[i];
    if (x > 0 && finite(x)) {
      values.push_back(x);
    } else if (!(x == 0)) {
      issues.add("bad_debt/" + std::to_string(i), "must be a finite number >= 0, got " + formatValue(x));
      break;
    }
  }
  if (perStepClaims.empty()) issues.add("bad_debt", "must have at least one step");
  issues.throwIfAny();

  FittedClaims f;
  f.steps = perStepClaims.size();
  f.premiumRate = premiumPerDay;
  f.claims = values.size();
  f.claimRate = double(f.claims) / (double(f.steps) * stepDays);
  if (values.size() >= 2) {
    // One log per claim (Welford's update for the mean and the sum of squared deviations).
    double ml = 0, s2 = 0, k = 0;
    for (double x : values) {
      const double y = std::log(x), d = y - ml;
      ml += d / ++k;
      s2 += d * (y - ml);
    }
    const double sd = std::sqrt(s2 / double(values.size() - 1));
    if (sd > 0 && finite(sd)) f.lognormal = ClaimModel::lognormal(ml, sd);
  }
  f.empirical = binnedClaims(values, kMaxFittedClaimAtoms);
  return f;
}

RuinResult ruinFromFit(const FittedClaims& fit, double initialSurplus, const RuinOptions& options) {
  if (fit.claims == 0) {
    RuinResult r;
    r.method = "no claims in the sample: psi = 0";
    r.target = options.targetProbability;
    r.horizon = options.horizon;
    r.loading = std::numeric_limits<double>::infinity();
    r.requiredSurplus = {0.0, "no claims in the sample"};
    const char* why = "n/a: no claims in the sample";
    r.adjustmentCoefficient = r.lundbergBound = r.cramerLundberg = r.deVylder = {std::nullopt, why};
    if (options.horizon) r.diffusion = r.exactFinite = {0.0, why};
    return r;
  }
  SurplusProcess p;
  p.initialSurplus = initialSurplus;
  p.premiumRate = fit.premiumRate > 0 ? fit.premiumRate : std::numeric_limits<double>::min();
  p.claimRate = fit.claimRate;
  p.claim = fit.empirical;
  return analyseRuin(p, options);
}

}  // namespace backstop
