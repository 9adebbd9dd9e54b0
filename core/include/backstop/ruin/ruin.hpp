// Analytic ruin theory for the Cramér–Lundberg surplus U(t) = u + c·t − S(t), S compound
// Poisson (rate λ, claims X ~ F, mean μ, loading θ = c/(λμ) − 1). docs/formulas.md (ruin); docs/scenario-format.md, §13.
//
// Every number carries the method that produced it; a quantity that does not exist (no
// adjustment coefficient for heavy tails, no third moment, θ ≤ 0) is std::nullopt, never NaN.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "backstop/errors.hpp"

namespace backstop {

enum class ClaimKind { Exponential, Gamma, Lognormal, Lomax, ExponentialMixture, Empirical };

const char* toString(ClaimKind kind);  // the scenario's `distribution` name

// A claim-size distribution. Only the fields of `kind` are used (docs/scenario-format.md names):
// exponential{mean}, gamma{shape, scale}, lognormal{meanlog, sdlog},
// pareto = Lomax{shape, scale} with F(x) = 1 − (scale/(x + scale))^shape,
// exponential_mixture{weights, means}, empirical{values, weights}.
struct ClaimModel {
  ClaimKind kind = ClaimKind::Exponential;
  double mean = 1;               // exponential
  double shape = 0, scale = 0;   // gamma, Lomax
  double meanlog = 0, sdlog = 0; // lognormal
  std::vector<double> weights;   // mixture, empirical (sum to 1)
  std::vector<double> means;     // mixture
  std::vector<double> values;    // empirical (> 0)

  static ClaimModel exponential(double mean);
  static ClaimModel gamma(double shape, double scale);
  static ClaimModel lognormal(double meanlog, double sdlog);
  static ClaimModel lomax(double shape, double scale);
  static ClaimModel exponentialMixture(std::vector<double> weights, std::vector<double> means);
  static ClaimModel empirical(std::vector<double> values, std::vector<double> weights = {});
};

// Records every problem under `pointer` (e.g. "/ruin/claim/shape: must be > 1 ..., got 0.8").
void validateClaimModel(const ClaimModel& m, const std::string& pointer, Issues& issues);

// E[X^k] for k = 1, 2, 3; +infinity where the moment does not exist (Lomax shape ≤ k).
double claimMoment(const ClaimModel& m, int k);
// P(X > x), computed as a complement (Boost cdf(complement(d, x))).
double claimSurvival(const ClaimModel& m, double x);
// E[(X − x)+] = ∫_x^∞ P(X > y) dy; divided by μ it is the ladder-height tail P(Y > x).
double claimIntegratedTail(const ClaimModel& m, double x);
// log E[e^{rX}] for 0 ≤ r < mgfAbscissa(m); +infinity beyond.
double claimLogMgf(const ClaimModel& m, double r);
// sup{r : E[e^{rX}] < ∞}: 1/mean, 1/scale, +infinity (empirical), 0 for heavy tails.
double mgfAbscissa(const ClaimModel& m);

struct SurplusProcess {
  double initialSurplus = 0;  // u
  double premiumRate = 0;     // c, per unit time
  double claimRate = 0;       // λ, per unit time
  ClaimModel claim;
};

struct RuinOptions {
  std::optional<double> horizon;     // T for finite_horizon; nullopt = infinite only
  double targetProbability = 0.01;   // for required_surplus
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
  std::size_t maxGridPoints = 512;   // the fuzz build: same code paths, milliseconds per input
#else
  std::size_t maxGridPoints = 16384; // Pollaczek–Khinchine grid on [0, u] (work is O(points²))
#endif
  double relativeWidth = 1e-6;       // stop refining when (upper − lower)/psi is below this
};

// A number together with the method that produced it (nullopt where it does not exist).
struct Estimate {
  std::optional<double> value;
  std::string method;
};

struct RuinResult {
  double psi = 0;  // infinite horizon ψ(u)
  double psiLower = 0, psiUpper = 0;
  std::string method;
  double loading = 0;  // θ
  double claimMean = 0;
  std::size_t gridPoints = 0;  // Pollaczek–Khinchine only (0 otherwise)
  double gridStep = 0;
  Estimate adjustmentCoefficient, lundbergBound, cramerLundberg, deVylder;
  std::optional<double> horizon;
  Estimate diffusion, exactFinite;  // filled when horizon is given
  double target = 0;
  Estimate requiredSurplus;
  std::optional<double> requiredSurplusLower, requiredSurplusUpper;
  std::vector<std::string> notes;
};

// Validates the process (pointers under /ruin) and computes everything. Throws InputError.
RuinResult analyseRuin(const SurplusProcess& process, const RuinOptions& options);

// Records every problem of the process and options under /ruin (limits flagged as limits).
void validateProcess(const SurplusProcess& p, const RuinOptions& o, Issues& issues);

// Most mixture components / empirical values a claim model may have.
inline constexpr std::size_t kMaxClaimEntries = 1000000;

// ---- Building blocks (public so tests and other modules can check them one by one) ----

// Exponential claims (docs/formulas.md (ruin)): ψ(u) = exp(−θu/((1+θ)μ)) / (1+θ).
double ruinExponential(double u, double premiumRate, double claimRate, double mean);

// ψ(u) = Σ coefficient_j · exp(−rate_j · u), all terms positive (exponential mixtures).
struct ExponentialSum {
  std::vector<double> coefficients, rates;  // rates ascending; rates[0] is R
  double operator()(double u) const;
};
// Exact ψ for a mixture of exponentials: the roots R_j of λ(M_X(r) − 1) = c·r (one in
// (0, β_1) and one between consecutive claim rates β) are the poles of the Laplace
// transform of ψ; C_j = (c − λμ)/(λ·M_X'(R_j) − c) are their residues. Requires θ > 0.
ExponentialSum ruinExponentialMixture(double premiumRate, double claimRate,
                                      const std::vector<double>& weights,
                                      const std::vector<double>& means);

// Pollaczek–Khinchine ψ(u) as P(L > u), L a compound geometric (p = 1/(1+θ)) sum of
// ladder heights with P(Y > x) = E[(X − x)+]/μ, discretised on step h with the mass of
// each cell moved up (upper bound) or down (lower bound). Curves on the grid 0, h, .., Kh.
struct PkCurves {
  double step = 0;
  std::vector<double> lower, upper;  // index s: bound on ψ(s·h)
};
PkCurves pollaczekKhinchineCurves(const ClaimModel& claim, double loading, double step,
                                  std::size_t points);

struct PkResult {
  double lower = 0, upper = 0, estimate = 0;  // estimate: Richardson on the midpoints
  double step = 0;
  std::size_t points = 0;
};
PkResult pollaczekKhinchine(const ClaimModel& claim, double loading, double u,
                            std::size_t maxPoints, double relativeWidth);

// Panjer recursion for an (a, b, 0) frequency: g_0 = P_N(f_0),
// g_s = Σ_{j=1..s} (a + b·j/s)·f_j·g_{s−j} / (1 − a·f_0). Severity on 0, 1, 2, ...
std::vector<double> panjer(double a, double b, double g0, const std::vector<double>& severity,
                           std::size_t maxS);
std::vector<double> compoundPoissonPmf(double lambda, const std::vector<double>& severity,
                                       std::size_t maxS);
std::vector<double> compoundGeometricPmf(double p, const std::vector<double>& severity,
                                         std::size_t maxS);  // P(N = n) = (1 − p)·p^n
// Smallest s with P(S ≤ s) ≥ level; nullopt when the pmf stops before reaching it.
std::optional<std::size_t> pmfQuantile(const std::vector<double>& pmf, double level);

// Lundberg adjustment coefficient: the positive root of λ(M_X(r) − 1) = c·r (nullopt when
// the MGF does not exist beyond 0 or θ ≤ 0).
std::optional<double> adjustmentCoefficient(const SurplusProcess& p);

// Brownian motion with drift μ, variance σ² per unit time, started at u: probability of
// hitting 0 before T (reflection principle; T = +infinity allowed). Computed in log space.
double ruinDiffusion(double u, double drift, double sigma, double horizon);

// Exact finite-horizon ψ(u, T) for exponential claims (Asmussen, Ruin Probabilities,
// integral over [0, π]), by Gauss–Kronrod quadrature. Requires θ > 0.
double ruinExponentialFinite(double u, double horizon, double premiumRate, double claimRate,
                             double mean);

// ---- Fitting from a Monte Carlo run ----

// A claim model fitted from a simulation's per-step bad debt: each step with a positive
// amount counts as one claim. claim_rate = claims / (steps · stepDays) per day; the premium
// is the fee inflow per day the caller credits to the fund.
struct FittedClaims {
  double claimRate = 0;    // per day
  double premiumRate = 0;  // per day
  std::size_t steps = 0, claims = 0;
  ClaimModel empirical;                 // the observed amounts, binned (binnedClaims, kMaxFittedClaimAtoms)
  std::optional<ClaimModel> lognormal;  // meanlog/sdlog of log amounts (≥ 2 distinct claims)
};
// Most atoms of a fitted claim model: the ruin analysis costs O(atoms) per pass, so a fit's cost
// stops growing with the number of paths.
inline constexpr std::size_t kMaxFittedClaimAtoms = 2048;
// The claims (> 0, finite) binned on a log scale, one atom per bin at the mean of its claims with
// weight = its share of the claims: the mean is kept (up to rounding), higher moments and E[(X − x)+]
// move only within a bin. Bins of relative width ≤ 2^−8 while the range allows, widened until at
// most maxAtoms are used. Deterministic: the same claims in the same order give the same atoms.
ClaimModel binnedClaims(const std::vector<double>& values, std::size_t maxAtoms);
FittedClaims fitClaimsFromSteps(const std::vector<double>& perStepClaims, double stepDays,
                                double premiumPerDay);
// ψ for the fitted empirical model (no claims observed: ψ = 0, method says so).
RuinResult ruinFromFit(const FittedClaims& fit, double initialSurplus, const RuinOptions& options);

}  // namespace backstop
