// Analytic ruin theory (docs/formulas.md (ruin)) against values from outside this code: ORACLES.md closed
// forms and tables, a second method, and seeded Monte Carlo runs of the surplus process.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <boost/math/special_functions/gamma.hpp>

#include "backstop/io/commands.hpp"
#include "backstop/io/scenario_reader.hpp"
#include "backstop/io/api.hpp"
#include "backstop/ruin/ruin.hpp"

using namespace backstop;

namespace {

Json readJson(const std::string& relative) {
  std::ifstream f(std::string(BACKSTOP_SOURCE_DIR) + "/" + relative);
  std::stringstream ss;
  ss << f.rdbuf();
  return Json::parse(ss.str());
}

SurplusProcess process(double u, double c, double lambda, ClaimModel claim) {
  SurplusProcess p;
  p.initialSurplus = u;
  p.premiumRate = c;
  p.claimRate = lambda;
  p.claim = std::move(claim);
  return p;
}

// Fraction of seeded surplus-process paths that go below 0: each path runs until ruin, until
// the surplus exceeds `level` (then ψ(level) is the most the path could still contribute), or
// until time `horizon`. Claims arrive at rate λ; the surplus grows at c between them.
template <class Draw>
double simulateRuin(double u, double c, double lambda, Draw draw, double level, double horizon, int paths,
                    std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> wait(lambda);
  int ruined = 0;
  for (int i = 0; i < paths; ++i) {
    double x = u, t = 0;
    for (;;) {
      const double w = wait(rng);
      t += w;
      if (t > horizon) break;
      x += c * w - draw(rng);
      if (x < 0) {
        ++ruined;
        break;
      }
      if (x > level) break;
    }
  }
  return double(ruined) / paths;
}

void expectRel(double actual, double expected, double rel, const std::string& what) {
  EXPECT_NEAR(actual, expected, rel * std::fabs(expected)) << what;
}

}  // namespace

// ---- ORACLES.md ----

TEST(RuinExponential, OracleTableTheta025) {
  // ORACLES.md: mean 1, λ = 1, c = 1.25 (actuar agrees to 1e-16); 12 printed digits.
  const double u[] = {0, 1, 5, 10, 20};
  const double psi[] = {0.8, 0.654984602462, 0.294303552937, 0.108268226589, 0.014652511111};
  for (int i = 0; i < 5; ++i) {
    EXPECT_NEAR(ruinExponential(u[i], 1.25, 1, 1), psi[i], 1e-12) << "u=" << u[i];
    const RuinResult r = analyseRuin(process(u[i], 1.25, 1, ClaimModel::exponential(1)), {});
    EXPECT_NEAR(r.psi, psi[i], 1e-12) << "u=" << u[i];
    EXPECT_EQ(r.psiLower, r.psiUpper);
  }
  const auto R = adjustmentCoefficient(process(0, 1.25, 1, ClaimModel::exponential(1)));
  ASSERT_TRUE(R);
  EXPECT_NEAR(*R, 0.2, 1e-15);
}

TEST(RuinMixture, BowersExampleExact) {
  // ORACLES.md (Bowers et al.): 0.5·Exp(3) + 0.5·Exp(7), λ = 3, c = 1; ψ = (24/35)e^{−u} + (1/35)e^{−6u}.
  const std::vector<double> w = {0.5, 0.5}, m = {1.0 / 3, 1.0 / 7};
  const ExponentialSum e = ruinExponentialMixture(1, 3, w, m);
  ASSERT_EQ(e.rates.size(), 2u);
  EXPECT_NEAR(e.rates[0], 1.0, 1e-14);
  EXPECT_NEAR(e.rates[1], 6.0, 1e-13);
  EXPECT_NEAR(e.coefficients[0], 24.0 / 35, 1e-14);
  EXPECT_NEAR(e.coefficients[1], 1.0 / 35, 1e-14);
  const double u[] = {0, 0.5, 1, 2};
  const double psi[] = {0.714285714286, 0.417329225756, 0.252331009723, 0.092801512625};
  for (int i = 0; i < 4; ++i) {
    const RuinResult r = analyseRuin(process(u[i], 1, 3, ClaimModel::exponentialMixture(w, m)), {});
    EXPECT_NEAR(r.psi, psi[i], 1e-12) << "u=" << u[i];
    ASSERT_TRUE(r.adjustmentCoefficient.value);
    EXPECT_NEAR(*r.adjustmentCoefficient.value, 1.0, 1e-12);  // general MGF root finder
  }
}

TEST(RuinMixture, ThreeComponentsAgreeWithPollaczekKhinchine) {
  // A second method on a case without a published value: exact roots vs discretised PK.
  const std::vector<double> w = {0.2, 0.5, 0.3}, m = {0.5, 1.0, 4.0};
  const double lambda = 1, mu = 0.2 * 0.5 + 0.5 + 0.3 * 4, theta = 0.3, c = (1 + theta) * lambda * mu;
  const ExponentialSum e = ruinExponentialMixture(c, lambda, w, m);
  ASSERT_EQ(e.rates.size(), 3u);
  for (double u : {1.0, 5.0, 20.0}) {
    const PkResult pk = pollaczekKhinchine(ClaimModel::exponentialMixture(w, m), theta, u, 16384, 0);
    EXPECT_LE(pk.lower, e(u));
    EXPECT_GE(pk.upper, e(u));
    EXPECT_NEAR(pk.estimate, e(u), 1e-9 * e(u) + 1e-12) << "u=" << u;
  }
}

TEST(RuinDiffusion, BrownianMotionOracles) {
  // ORACLES.md reflection-principle values (u, μ, σ, T).
  EXPECT_NEAR(ruinDiffusion(1, 0.1, 1, 1), 0.286361745983, 1e-12);
  EXPECT_NEAR(ruinDiffusion(2, 0, 1, 1), 0.045500263896, 1e-12);
  EXPECT_NEAR(ruinDiffusion(2, -0.1, 1, 10), 0.631599928318, 1e-12);
  EXPECT_NEAR(ruinDiffusion(1, 0.1, 1, INFINITY), 0.818730753078, 1e-12);
}

TEST(RuinDiffusion, NoOverflowForLargeNegativeDrift) {
  // e^{−2μu/σ²} overflows double here; the product with Φ must not.
  const double v = ruinDiffusion(400, -3, 1, 10000);
  EXPECT_TRUE(std::isfinite(v));
  EXPECT_NEAR(v, 1.0, 1e-12);
  const double small = ruinDiffusion(500, 1, 1, 1);  // far: tiny but not NaN
  EXPECT_TRUE(std::isfinite(small));
  EXPECT_GE(small, 0.0);
  EXPECT_LT(small, 1e-100);
}

TEST(RuinPanjer, CompoundPoissonOracle) {
  // ORACLES.md: Poisson(3), severity f(1)=0.5, f(2)=0.3, f(3)=0.2.
  const std::vector<double> f = {0, 0.5, 0.3, 0.2};
  const auto g = compoundPoissonPmf(3, f, 200);
  const double expected[] = {0.049787068368, 0.074680602552, 0.10081881344, 0.12509000927, 0.12588349068};
  for (int s = 0; s < 5; ++s) EXPECT_NEAR(g[s], expected[s], 1e-11) << "s=" << s;
  EXPECT_EQ(pmfQuantile(g, 0.95), std::optional<std::size_t>(11));
  EXPECT_EQ(pmfQuantile(g, 0.99), std::optional<std::size_t>(14));
}

TEST(RuinPanjer, TailRecursionMatchesCompoundGeometricPmf) {
  // Empirical claims on {1, 2, 3} with h = 1: the ladder-height cells are exact by hand,
  // c_k = ∫_k^{k+1} P(X > y) dy / μ = {1, 0.5, 0.2}/1.7. The PK tail recursion must equal
  // 1 − Σ pmf from the ordinary Panjer recursion with severity c (lower) and c shifted (upper).
  const ClaimModel m = ClaimModel::empirical({1, 2, 3}, {0.5, 0.3, 0.2});
  const double theta = 0.3, p = 1 / (1 + theta);
  const std::vector<double> lo = {1 / 1.7, 0.5 / 1.7, 0.2 / 1.7}, up = {0, 1 / 1.7, 0.5 / 1.7, 0.2 / 1.7};
  const auto gLo = compoundGeometricPmf(p, lo, 30), gUp = compoundGeometricPmf(p, up, 30);
  const PkCurves curves = pollaczekKhinchineCurves(m, theta, 1.0, 30);
  double cLo = 0, cUp = 0;
  for (int s = 0; s <= 30; ++s) {
    cLo += gLo[s];
    cUp += gUp[s];
    EXPECT_NEAR(curves.lower[s], 1 - cLo, 1e-13) << "s=" << s;
    EXPECT_NEAR(curves.upper[s], 1 - cUp, 1e-13) << "s=" << s;
  }
}

// ---- Pollaczek–Khinchine against closed forms ----

TEST(RuinPollaczekKhinchine, BoundsBracketExponentialAndRichardsonMatches) {
  // The bounds hold on any grid; the Richardson estimate's error is O(h³) with h = u/points
  // (ORACLES.md: "reproduces the exponential closed form to ~5e-8").
  for (double u : {0.5, 1.0, 5.0, 10.0, 20.0, 60.0}) {
    const double exact = ruinExponential(u, 1.25, 1, 1);
    double previousError = 0;
    for (std::size_t K : {1024u, 4096u, 16384u}) {
      const PkResult pk = pollaczekKhinchine(ClaimModel::exponential(1), 0.25, u, K, 0);
      EXPECT_LE(pk.lower, exact) << "u=" << u << " K=" << K;
      EXPECT_GE(pk.upper, exact) << "u=" << u << " K=" << K;
      const double error = std::fabs(pk.estimate - exact);
      EXPECT_LT(error, 1e-7) << "u=" << u << " K=" << K;
      // 4x the points: at least 8x smaller (third order gives 64x) until rounding.
      if (previousError > 1e-13) EXPECT_LT(error, previousError / 8) << "u=" << u << " K=" << K;
      previousError = error;
    }
    // The default grid: within 1e-10 absolute and 1e-6 relative.
    const PkResult fine = pollaczekKhinchine(ClaimModel::exponential(1), 0.25, u, 16384, 1e-6);
    EXPECT_NEAR(fine.estimate, exact, std::min(1e-10, 1e-6 * exact)) << "u=" << u;
    EXPECT_LT(fine.upper - fine.lower, 2e-4);
  }
}

TEST(RuinPollaczekKhinchine, GammaShapeOneEqualsExponential) {
  for (double u : {1.0, 8.0, 30.0}) {
    const RuinResult g = analyseRuin(process(u, 3.0, 1, ClaimModel::gamma(1, 2)), {});
    const double exact = ruinExponential(u, 3.0, 1, 2);  // θ = 0.5, mean 2
    EXPECT_LE(g.psiLower, exact);
    EXPECT_GE(g.psiUpper, exact);
    EXPECT_NEAR(g.psi, exact, 1e-9 * exact) << "u=" << u;
    ASSERT_TRUE(g.adjustmentCoefficient.value);
    EXPECT_NEAR(*g.adjustmentCoefficient.value, 1 / 2.0 - 1 / 3.0, 1e-13);
    ASSERT_TRUE(g.cramerLundberg.value);
    EXPECT_NEAR(*g.cramerLundberg.value, exact, 1e-12 * exact);
  }
}

TEST(RuinPollaczekKhinchine, IntegratedTailsMatchQuadrature) {
  // E[(X − x)+] closed forms (with their mild cancellation) against ∫_x^∞ P(X > y) dy by
  // the trapezoid rule on a fine log grid: a second, naive method.
  for (const ClaimModel& m : {ClaimModel::gamma(2.5, 0.7), ClaimModel::gamma(0.5, 3), ClaimModel::lognormal(0.2, 1.1),
                              ClaimModel::lomax(3.5, 2.5)}) {
    for (double x : {0.0, 0.3, 2.0, 10.0}) {
      double integral = 0;
      const int n = 100000;
      const double top = x + 4000;
      for (int i = 0; i < n; ++i) {
        const double a = x + (top - x) * std::pow(double(i) / n, 3), b = x + (top - x) * std::pow(double(i + 1) / n, 3);
        integral += 0.5 * (b - a) * (claimSurvival(m, a) + claimSurvival(m, b));
      }
      if (m.kind == ClaimKind::Lomax)  // the part beyond `top`, from the Lomax closed form
        integral += (top + m.scale) / (m.shape - 1) * std::pow(m.scale / (top + m.scale), m.shape);
      EXPECT_NEAR(claimIntegratedTail(m, x), integral, 1e-6 * integral) << toString(m.kind) << " x=" << x;
    }
  }
}

// ---- Heavy tails ----

TEST(RuinHeavyTails, BoundsOrderedMonotoneAndApproximationsNull) {
  const ClaimModel models[] = {ClaimModel::lognormal(0, 1), ClaimModel::lomax(2.5, 1.5)};
  for (const ClaimModel& m : models) {
    const double mu = claimMoment(m, 1);
    double previous = 1;
    for (double u = 0; u <= 60; u += 10) {
      const RuinResult r = analyseRuin(process(u, 1.25 * mu, 1, m), {});
      EXPECT_LE(r.psiLower, r.psi) << toString(m.kind) << " u=" << u;
      EXPECT_LE(r.psi, r.psiUpper) << toString(m.kind) << " u=" << u;
      EXPECT_LT(r.psi, previous) << toString(m.kind) << " u=" << u;
      EXPECT_LT(r.psiUpper - r.psiLower, 2e-4) << toString(m.kind) << " u=" << u;
      previous = r.psi;
      EXPECT_FALSE(r.adjustmentCoefficient.value);
      EXPECT_FALSE(r.lundbergBound.value);
      EXPECT_FALSE(r.cramerLundberg.value);
    }
  }
  EXPECT_TRUE(analyseRuin(process(5, 2, 1, ClaimModel::lognormal(0, 1)), {}).deVylder.value);
  EXPECT_FALSE(analyseRuin(process(5, 1.25, 1, ClaimModel::lomax(2.5, 1.5)), {}).deVylder.value);  // E[X³] = ∞
  EXPECT_TRUE(analyseRuin(process(5, 1.25, 1, ClaimModel::lomax(3.5, 2.5)), {}).deVylder.value);
}

TEST(RuinHeavyTails, BoundsBracketSurplusProcessMonteCarlo) {
  // Seeded simulation of U(t) itself. A path that climbs above `level` is stopped, so the
  // simulated fraction p̂ estimates P(ruin before level) ∈ [ψ(u) − ψ(level), ψ(u)]:
  // require lower − 4·SE ≤ p̂ + ψ_upper(level) and p̂ ≤ upper + 4·SE.
  const double u = 5, theta = 0.5, lambda = 1, level = 205;
  const int paths = 40000;
  struct Case {
    ClaimModel m;
    std::function<double(std::mt19937_64&)> draw;
  };
  std::normal_distribution<double> z(0, 1);
  std::uniform_real_distribution<double> uni(0, 1);
  const Case cases[] = {
      {ClaimModel::lognormal(-0.5, 1), [&](std::mt19937_64& g) { return std::exp(-0.5 + z(g)); }},
      {ClaimModel::lomax(3.5, 2.5), [&](std::mt19937_64& g) { return 2.5 * (std::pow(1 - uni(g), -1 / 3.5) - 1); }},
  };
  std::uint64_t seed = 20240601;
  for (const Case& k : cases) {
    const double mu = claimMoment(k.m, 1), c = (1 + theta) * lambda * mu;
    const RuinResult r = analyseRuin(process(u, c, lambda, k.m), {});
    const RuinResult far = analyseRuin(process(level, c, lambda, k.m), {});
    const double mc = simulateRuin(u, c, lambda, k.draw, level, INFINITY, paths, seed++);
    const double se = std::sqrt(r.psi * (1 - r.psi) / paths);
    EXPECT_LE(r.psiLower - 4 * se, mc + far.psiUpper) << toString(k.m.kind) << " mc=" << mc << " psi=" << r.psi;
    EXPECT_LE(mc, r.psiUpper + 4 * se) << toString(k.m.kind) << " mc=" << mc << " psi=" << r.psi;
  }
}

// ---- Inverse ----

TEST(RuinInverse, RequiredSurplusInvertsPsi) {
  RuinOptions o;
  o.targetProbability = 0.01;
  {
    const RuinResult r = analyseRuin(process(0, 1.25, 1, ClaimModel::exponential(1)), o);
    ASSERT_TRUE(r.requiredSurplus.value);
    expectRel(ruinExponential(*r.requiredSurplus.value, 1.25, 1, 1), 0.01, 1e-12, "exponential");
  }
  {
    const std::vector<double> w = {0.5, 0.5}, m = {1.0 / 3, 1.0 / 7};
    const RuinResult r = analyseRuin(process(0, 1, 3, ClaimModel::exponentialMixture(w, m)), o);
    ASSERT_TRUE(r.requiredSurplus.value);
    const double a = *r.requiredSurplus.value;
    expectRel(24.0 / 35 * std::exp(-a) + 1.0 / 35 * std::exp(-6 * a), 0.01, 1e-12, "mixture");
  }
  for (const ClaimModel& m : {ClaimModel::lognormal(0, 1), ClaimModel::lomax(2.5, 1.5), ClaimModel::gamma(2, 0.5)}) {
    const double c = 1.25 * claimMoment(m, 1);
    const RuinResult r = analyseRuin(process(0, c, 1, m), o);
    ASSERT_TRUE(r.requiredSurplus.value) << toString(m.kind);
    ASSERT_TRUE(r.requiredSurplusLower && r.requiredSurplusUpper);
    const double a = *r.requiredSurplus.value;
    EXPECT_LE(*r.requiredSurplusLower, a);
    EXPECT_GE(*r.requiredSurplusUpper, a);
    const RuinResult back = analyseRuin(process(a, c, 1, m), o);
    expectRel(back.psi, 0.01, 1e-5, std::string("psi(required surplus) for ") + toString(m.kind));
  }
  // A target above ψ(0) = 1/(1+θ) needs no surplus.
  o.targetProbability = 0.9;
  EXPECT_EQ(*analyseRuin(process(3, 1.25, 1, ClaimModel::lognormal(0, 1)), o).requiredSurplus.value, 0.0);
}

// ---- Finite horizon ----

TEST(RuinFiniteHorizon, ExactExponentialIncreasesToInfiniteHorizon) {
  for (double u : {0.0, 2.0, 10.0}) {
    const double inf = ruinExponential(u, 1.25, 1, 1);
    double previous = 0;
    for (double T : {0.5, 5.0, 50.0, 500.0, 5000.0}) {
      const double v = ruinExponentialFinite(u, T, 1.25, 1, 1);
      EXPECT_LE(v, inf) << "u=" << u << " T=" << T;
      EXPECT_GE(v, previous) << "u=" << u << " T=" << T;
      previous = v;
    }
    EXPECT_NEAR(previous, inf, 1e-9) << "u=" << u;
  }
}

TEST(RuinFiniteHorizon, ExactExponentialAtZeroMatchesTakacs) {
  // Takács: 1 − ψ(0, T) = E[(cT − S(T))+]/(cT), S(T) compound Poisson–exponential; a
  // Poisson mixture of gamma distributions, E[(x − G_n)+] = x·P(n, x/m) − n·m·P(n+1, x/m).
  const double c = 1.25, lambda = 1, m = 1;
  for (double T : {0.7, 3.0, 20.0}) {
    const double x = c * T;
    double e = std::exp(-lambda * T) * x;  // n = 0
    double pois = std::exp(-lambda * T);
    for (int n = 1; n < 200; ++n) {
      pois *= lambda * T / n;
      e += pois * (x * boost::math::gamma_p(n, x / m) - n * m * boost::math::gamma_p(n + 1, x / m));
    }
    EXPECT_NEAR(ruinExponentialFinite(0, T, c, lambda, m), 1 - e / x, 1e-10) << "T=" << T;
  }
}

TEST(RuinFiniteHorizon, ExactExponentialMatchesSurplusMonteCarlo) {
  // A finite horizon is simulated exactly (no truncation): |p̂ − ψ(u, T)| ≤ 4·SE.
  const double u = 3, T = 10, c = 1.25, lambda = 1;
  std::exponential_distribution<double> claim(1.0);
  const int paths = 100000;
  const double mc = simulateRuin(u, c, lambda, [&](std::mt19937_64& g) { return claim(g); }, INFINITY, T, paths, 7);
  const double exact = ruinExponentialFinite(u, T, c, lambda, 1);
  EXPECT_NEAR(mc, exact, 4 * std::sqrt(exact * (1 - exact) / paths));
  const RuinResult r = [&] {
    RuinOptions o;
    o.horizon = T;
    return analyseRuin(process(u, c, lambda, ClaimModel::exponential(1)), o);
  }();
  ASSERT_TRUE(r.exactFinite.value && r.diffusion.value);
  EXPECT_DOUBLE_EQ(*r.exactFinite.value, exact);
  // The diffusion value is an approximation: same order of magnitude, not equal.
  EXPECT_GT(*r.diffusion.value, 0.2 * exact);
  EXPECT_LT(*r.diffusion.value, 5 * exact);
}

// ---- Fitting from a simulation ----

TEST(RuinFit, ClaimRateAndModelsFromPerStepBadDebt) {
  // Steps of 1 hour; a claim (Exp(mean 1)) in 10 % of the steps: λ = 2.4 per day.
  std::mt19937_64 g(11);
  std::bernoulli_distribution hit(0.1);
  std::exponential_distribution<double> size(1.0);
  std::vector<double> steps(200000, 0.0);
  for (double& s : steps)
    if (hit(g)) s = size(g);
  const FittedClaims f = fitClaimsFromSteps(steps, 1.0 / 24, 3.0);
  EXPECT_NEAR(f.claimRate, 2.4, 4 * std::sqrt(2.4 * 0.9 / (200000 / 24.0)));
  EXPECT_EQ(f.premiumRate, 3.0);
  // Binned: at most kMaxFittedClaimAtoms atoms, their weights the claims' shares.
  EXPECT_LE(f.empirical.values.size(), kMaxFittedClaimAtoms);
  EXPECT_EQ(f.empirical.weights.size(), f.empirical.values.size());
  ASSERT_TRUE(f.lognormal);
  EXPECT_NEAR(f.lognormal->meanlog, -0.5772156649, 0.03);  // E[log X] = −γ for Exp(1)
  // θ = 3/(2.4·1) − 1 = 0.25: ψ(5) from the fitted empirical model near the closed form.
  const RuinResult r = ruinFromFit(f, 5, {});
  EXPECT_NEAR(r.psi, ruinExponential(5, 3.0, 2.4, 1), 0.05);
  EXPECT_LE(r.psiLower, r.psi);
  EXPECT_LE(r.psi, r.psiUpper);
  EXPECT_EQ(ruinFromFit(fitClaimsFromSteps(std::vector<double>(100, 0.0), 1.0, 1.0), 5, {}).psi, 0.0);
}

// Moments of a sample, summed in one order (the reference the binned model is held to).
double sampleMoment(const std::vector<double>& v, int k) {
  double s = 0;
  for (double x : v) s += std::pow(x, k);
  return s / double(v.size());
}

TEST(RuinFit, BinnedClaimsKeepTheMeanAndRecoverTheClaimLaw) {
  // 200,000 claims from Gamma(shape 2, scale 3): E[X] = 6, E[X²] = k(k+1)s² = 54, E[X⁴] = k(k+1)(k+2)(k+3)s⁴ = 9720.
  std::mt19937_64 g(2026);
  std::gamma_distribution<double> law(2.0, 3.0);
  std::vector<double> v(200000);
  for (double& x : v) x = law(g);
  const ClaimModel b = binnedClaims(v, kMaxFittedClaimAtoms);
  ASSERT_EQ(b.kind, ClaimKind::Empirical);
  ASSERT_LE(b.values.size(), kMaxFittedClaimAtoms);
  ASSERT_GT(b.values.size(), 500u);  // about 12 octaves of claims, 64 or more bins an octave
  double wsum = 0;
  for (double w : b.weights) wsum += w;
  EXPECT_NEAR(wsum, 1.0, 1e-12);
  // The mean is kept exactly (up to rounding): the loading θ does not move.
  const double m1 = sampleMoment(v, 1), m2 = sampleMoment(v, 2);
  EXPECT_NEAR(claimMoment(b, 1), m1, 1e-12 * m1);
  // E[X²] only loses the variance within the bins: between 0 and δ²/4 of it, δ ≤ 2^−6 here.
  EXPECT_LE(claimMoment(b, 2), m2 * (1 + 1e-12));
  EXPECT_GE(claimMoment(b, 2), m2 * (1 - 0.25 / 4096));
  // The law's parameters are recovered within 4 standard errors of the sample.
  const double n = double(v.size());
  EXPECT_NEAR(claimMoment(b, 1), 6.0, 4 * std::sqrt((54.0 - 36.0) / n));
  EXPECT_NEAR(claimMoment(b, 2), 54.0, 4 * std::sqrt((9720.0 - 54.0 * 54.0) / n));
  // Deterministic: the same claims give the same atoms.
  const ClaimModel again = binnedClaims(v, kMaxFittedClaimAtoms);
  EXPECT_EQ(again.values, b.values);
  EXPECT_EQ(again.weights, b.weights);
}

TEST(RuinFit, BinningMovesPsiLessThanItsOwnBounds) {
  // The unbinned empirical model (every claim an atom) is the second implementation; the binned one
  // must agree within the width of the Pollaczek–Khinchine bounds both state, at several surpluses.
  std::mt19937_64 g(7);
  std::lognormal_distribution<double> law(0.0, 1.5);
  std::vector<double> v(40000);
  for (double& x : v) x = law(g);
  const double mu = sampleMoment(v, 1);
  for (double u : {0.5 * mu, 5 * mu, 30 * mu}) {
    SurplusProcess full{u, 1.3 * mu, 1.0, ClaimModel::empirical(v)};
    SurplusProcess binned = full;
    binned.claim = binnedClaims(v, kMaxFittedClaimAtoms);
    ASSERT_LT(binned.claim.values.size(), v.size() / 10);
    RuinOptions o;
    o.maxGridPoints = 2048;
    o.horizon = 30;
    const RuinResult a = analyseRuin(full, o), r = analyseRuin(binned, o);
    SCOPED_TRACE(u);
    EXPECT_NEAR(r.psi, a.psi, std::max(a.psiUpper - a.psiLower, r.psiUpper - r.psiLower));
    EXPECT_NEAR(r.loading, a.loading, 1e-12 * a.loading);
    ASSERT_TRUE(a.adjustmentCoefficient.value && r.adjustmentCoefficient.value);
    EXPECT_NEAR(*r.adjustmentCoefficient.value, *a.adjustmentCoefficient.value, 1e-3 * *a.adjustmentCoefficient.value);
    ASSERT_TRUE(a.requiredSurplus.value && r.requiredSurplus.value);
    EXPECT_GE(*r.requiredSurplus.value, *a.requiredSurplusLower - (*a.requiredSurplusUpper - *a.requiredSurplusLower));
    EXPECT_LE(*r.requiredSurplus.value, *a.requiredSurplusUpper + (*a.requiredSurplusUpper - *a.requiredSurplusLower));
  }
}

TEST(RuinFit, BinnedClaimsStayBoundedOverAnyRange) {
  // Claims from 1e-300 to 1e300: the counters and the atoms stay bounded, the mean is kept.
  std::vector<double> v;
  for (int e = -300; e <= 300; ++e) v.push_back(std::pow(10.0, e) * 1.5);
  const ClaimModel b = binnedClaims(v, 64);
  EXPECT_LE(b.values.size(), 64u);
  EXPECT_NEAR(claimMoment(b, 1), sampleMoment(v, 1), 1e-12 * sampleMoment(v, 1));
  const ClaimModel one = binnedClaims(v, 1);
  ASSERT_EQ(one.values.size(), 1u);
  EXPECT_DOUBLE_EQ(one.weights[0], 1.0);
  EXPECT_TRUE(binnedClaims({}, 16).values.empty());
}

// ---- The command ----

TEST(RuinCommand, OutputHasEverySpecField) {
  for (const char* name : {"exponential", "mixture", "lognormal", "lomax"}) {
    const Json input = readJson(std::string("tests/golden/ruin-") + name + ".json");
    const Json out = ruinCommand(input, {});
    SCOPED_TRACE(name);
    for (const char* k : {"psi", "psi_bounds", "method", "loading", "lundberg", "cramer_lundberg", "de_vylder",
                          "finite_horizon", "required_surplus", "methods", "bound_width"})
      EXPECT_TRUE(out.contains(k)) << k;
    EXPECT_TRUE(out["psi"].is_number());
    ASSERT_EQ(out["psi_bounds"].size(), 2u);
    EXPECT_LE(out["psi_bounds"][0].get<double>(), out["psi"].get<double>());
    EXPECT_GE(out["psi_bounds"][1].get<double>(), out["psi"].get<double>());
    EXPECT_TRUE(out["lundberg"].contains("adjustment_coefficient"));
    EXPECT_TRUE(out["lundberg"].contains("bound"));
    EXPECT_TRUE(out["required_surplus"].contains("target"));
    EXPECT_TRUE(out["required_surplus"]["amount"].is_number());
    if (input["ruin"]["horizon"].is_null()) {
      EXPECT_TRUE(out["finite_horizon"].is_null());
    } else {
      EXPECT_TRUE(out["finite_horizon"].contains("diffusion"));
      EXPECT_TRUE(out["finite_horizon"].contains("exact"));
    }
    // Each number says which method produced it.
    for (const char* k : {"psi", "lundberg.adjustment_coefficient", "lundberg.bound", "cramer_lundberg", "de_vylder",
                          "required_surplus"})
      EXPECT_TRUE(out["methods"][k].is_string()) << k;
    EXPECT_EQ(out.dump().find("NaN"), std::string::npos);
  }
}

TEST(RuinCommand, GoldenFilesMatchIndependentValues) {
  for (const char* name : {"exponential", "mixture"}) {
    SCOPED_TRACE(name);
    const Json out = ruinCommand(readJson(std::string("tests/golden/ruin-") + name + ".json"), {});
    const Json ref = readJson(std::string("tests/golden/ruin-") + name + ".expected.json");
    const double tol = ref["tolerance"]["relative"].get<double>();
    auto check = [&](const Json& a, const Json& b, const std::string& what, double t) {
      ASSERT_TRUE(a.is_number()) << what;
      expectRel(a.get<double>(), b.get<double>(), t, what);
    };
    check(out["psi"], ref["psi"], "psi", tol);
    check(out["psi_bounds"][0], ref["psi_bounds"][0], "psi_bounds[0]", tol);
    check(out["psi_bounds"][1], ref["psi_bounds"][1], "psi_bounds[1]", tol);
    check(out["loading"], ref["loading"], "loading", tol);
    check(out["lundberg"]["adjustment_coefficient"], ref["lundberg"]["adjustment_coefficient"], "R", tol);
    check(out["lundberg"]["bound"], ref["lundberg"]["bound"], "Lundberg bound", tol);
    check(out["cramer_lundberg"], ref["cramer_lundberg"], "Cramer-Lundberg", tol);
    check(out["de_vylder"], ref["de_vylder"], "De Vylder", tol);
    check(out["required_surplus"]["amount"], ref["required_surplus"]["amount"], "required surplus", tol);
    if (ref["finite_horizon"].is_object())
      check(out["finite_horizon"]["diffusion"], ref["finite_horizon"]["diffusion"], "diffusion",
            ref["tolerance"]["diffusion_relative"].get<double>());
  }
}

TEST(RuinCommand, NonPositiveLoadingIsCertainRuin) {
  const Json in = Json::parse(R"({"ruin": {"initial_surplus": 50, "premium_rate": 1, "claim_rate": 1,
      "claim": {"distribution": "lognormal", "meanlog": 0, "sdlog": 1}, "horizon": 10}})");
  const Json out = ruinCommand(in, {});
  EXPECT_EQ(out["psi"], 1.0);
  EXPECT_EQ(out["method"], "certain (theta <= 0)");
  EXPECT_TRUE(out["lundberg"]["adjustment_coefficient"].is_null());
  EXPECT_TRUE(out["required_surplus"]["amount"].is_null());
  EXPECT_TRUE(out["finite_horizon"]["diffusion"].is_number());  // still meaningful
  EXPECT_LT(out["loading"].get<double>(), 0);
}

TEST(RuinCommand, ReadsOnlyRuinAndIgnoresOtherSections) {
  Json in = readJson("tests/golden/ruin-exponential.json");
  in["market"] = {{"symbol", "BTC-PERP"}};
  in["book"] = {{"open_interest", 1e9}};
  EXPECT_NO_THROW(ruinCommand(in, {}));
}

namespace {
// The errors of ruinCommand on `ruinJson` placed under /ruin (or the whole document if raw).
std::vector<FieldError> errorsOf(const std::string& doc) {
  try {
    ruinCommand(Json::parse(doc), {});
  } catch (const InputError& e) {
    return e.errors();
  }
  return {};
}
bool hasError(const std::vector<FieldError>& errs, const std::string& pointer, const std::string& text) {
  for (const auto& e : errs)
    if (e.pointer == pointer && e.message.find(text) != std::string::npos) return true;
  return false;
}
std::string dump(const std::vector<FieldError>& errs) {
  std::string s;
  for (const auto& e : errs) s += e.pointer + ": " + e.message + "\n";
  return s;
}
}  // namespace

TEST(RuinValidation, ErrorsNamePointerAndValue) {
  auto e = errorsOf(R"({"name": "x"})");
  EXPECT_TRUE(hasError(e, "/ruin", "is required (an object)")) << dump(e);

  e = errorsOf(R"({"ruin": {"initial_surplus": -3, "premium_rate": -1, "claim_rate": 0, "horizon": -5,
      "target_probability": 1.5, "claim": {"distribution": "pareto", "shape": 0.8, "scale": 1}}})");
  EXPECT_TRUE(hasError(e, "/ruin/initial_surplus", "-3")) << dump(e);
  EXPECT_TRUE(hasError(e, "/ruin/premium_rate", "-1")) << dump(e);
  EXPECT_TRUE(hasError(e, "/ruin/claim_rate", "0")) << dump(e);
  EXPECT_TRUE(hasError(e, "/ruin/horizon", "-5")) << dump(e);
  EXPECT_TRUE(hasError(e, "/ruin/target_probability", "1.5")) << dump(e);
  EXPECT_TRUE(hasError(e, "/ruin/claim/shape", "0.8")) << dump(e);

  e = errorsOf(R"({"ruin": {"initial_surplus": 1, "premium_rate": 1, "claim_rate": 1,
      "claim": {"distribution": "exponential_mixture", "weights": [0.5, 0.4], "means": [1, -2]}, "colour": 1}})");
  EXPECT_TRUE(hasError(e, "/ruin/claim/weights", "0.9")) << dump(e);
  EXPECT_TRUE(hasError(e, "/ruin/claim/means/1", "-2")) << dump(e);
  EXPECT_TRUE(hasError(e, "/ruin/colour", "not a known field")) << dump(e);

  e = errorsOf(R"({"ruin": {"initial_surplus": 1, "premium_rate": 1, "claim_rate": 1,
      "claim": {"distribution": "weibull", "shape": 2}}})");
  EXPECT_TRUE(hasError(e, "/ruin/claim/distribution", "weibull")) << dump(e);

  e = errorsOf(R"({"ruin": {"initial_surplus": 1, "premium_rate": 1, "claim_rate": 1,
      "claim": {"distribution": "lognormal", "meanlog": "big", "sdlog": 1, "extra": true}}})");
  EXPECT_TRUE(hasError(e, "/ruin/claim/meanlog", "\"big\"")) << dump(e);
  EXPECT_TRUE(hasError(e, "/ruin/claim/extra", "not a known field")) << dump(e);

  e = errorsOf(R"({"ruin": {"initial_surplus": 1, "premium_rate": 1, "claim_rate": 1,
      "claim": {"distribution": "empirical", "values": [1, 0, 3], "weights": [0.2, 0.3, 0.5]}}})");
  EXPECT_TRUE(hasError(e, "/ruin/claim/values/1", "0")) << dump(e);

  // Exactly one message per bad field (the reader's and the model's checks do not repeat).
  e = errorsOf(R"({"ruin": {"initial_surplus": 1, "premium_rate": 1, "claim_rate": 1,
      "claim": {"distribution": "gamma", "shape": -1, "scale": 1}}})");
  EXPECT_EQ(e.size(), 1u) << dump(e);
}

// ---- The CLI as a delegate runs it ----

TEST(RuinCli, MarkdownTableForEachGoldenScenario) {
  // The CLI binary sits next to the test binary's directory in the build tree.
  char self[4096];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) GTEST_SKIP() << "no /proc/self/exe";
  self[n] = 0;
  std::string dir(self);
  dir = dir.substr(0, dir.rfind('/'));
  const std::string cli = dir + "/../../cli/backstop";
  if (access(cli.c_str(), X_OK) != 0) GTEST_SKIP() << "CLI not built at " << cli;
  for (const char* name : {"exponential", "mixture", "lognormal", "lomax"}) {
    SCOPED_TRACE(name);
    const std::string cmd = cli + " ruin " + BACKSTOP_SOURCE_DIR + "/tests/golden/ruin-" + name + ".json --format markdown";
    FILE* p = popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    std::string md;
    char buf[4096];
    while (std::fgets(buf, sizeof buf, p)) md += buf;
    EXPECT_EQ(pclose(p), 0);
    for (const char* row : {"| initial surplus u |", "ruin probability ψ(u)", "| bounds on ψ(u) |",
                            "| adjustment coefficient R |", "| Lundberg bound", "| Cramér–Lundberg approximation |",
                            "| De Vylder approximation |", "| surplus for ψ = "})
      EXPECT_NE(md.find(row), std::string::npos) << row << "\n" << md;
    const bool heavy = std::string(name) == "lognormal" || std::string(name) == "lomax";
    EXPECT_EQ(md.find("n/a (heavy tail)") != std::string::npos, heavy) << md;
    EXPECT_EQ(md.find("nan"), std::string::npos) << md;
  }
}
