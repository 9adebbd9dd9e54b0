// Importance sampling of the depletion event (docs/model.md, importance sampling): likelihood
// ratios of the tilted draws and the cross-entropy choice of the tilt on a pilot run.
// Method: Rubinstein & Kroese, The Cross-Entropy Method (2004), §3 (multi-level CE for rare
// events, closed-form updates for exponential families); CE for mixtures by EM: Kurtz & Song,
// Structural Safety 43 (2013); defensive mixture: Hesterberg,
// Technometrics 37(2) 1995; mixture weight 1/Σ α_k L_k: Owen & Zhou, JASA 95 (2000).
#include "backstop/simulation/importance.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "backstop/market/random.hpp"
#include "backstop/simulation/simulation.hpp"

namespace backstop {

namespace {

// log dQ/dP of one market's (or the common factor's) tallied draws under tilt t:
// normals N(θ_b,1) vs N(0,1) in each time bucket b: Σ_b (θ_b Σz_b − n_b θ_b²/2); Poisson(r e^η) vs Poisson(r) per step: ηN − steps·r(e^η − 1);
// standardised jumps N(δ,1) vs N(0,1): δΣξ − Nδ²/2; bootstrap blocks q_b ∝ e^{θ r_b} vs 1/B: θΣr_b − n log((1/B)Σe^{θ r}).
double logRatio(const ProcessTilt& t, const TiltTally& a, double rate) {
  double l = t.block * a.blockSum - a.blocks * t.blockLogNorm;
  for (size_t b = 0; b < size_t(kTiltBuckets); ++b) l += t.z[b] * a.zSum[b] - 0.5 * t.z[b] * t.z[b] * a.zCount[b];
  if (a.jumpSteps > 0)
    l += t.jumpLogIntensity * a.jumps - a.jumpSteps * rate * std::expm1(t.jumpLogIntensity) + t.jumpShift * a.xiSum -
         0.5 * t.jumpShift * t.jumpShift * a.jumps;
  return l;
}

constexpr std::uint64_t kPilotStream = 1ULL << 62;  // pilot streams: far from any run's path index
constexpr int kMaxLevels = 10;
constexpr double kEliteShare = 0.1;     // ρ: the top decile of M_T sets each intermediate level
constexpr double kMaxNormalShift = 1.0; // per step, in standard deviations
constexpr double kMaxJumpShift = 3.0;   // standardised jump mean
constexpr double kMinLogIntensity = -2.0, kMaxLogIntensity = 4.0;
constexpr double kMaxBlockShift = 3.0;  // bootstrap: |θ| × the block returns' standard deviation
constexpr double kNotRare = 0.25;       // pilot event share above which plain Monte Carlo is kept
constexpr int kMinElite = 3;            // elite paths a direction needs to get a component
constexpr int kEmIterations = 3;        // EM passes of the mixture's cross-entropy step per level
constexpr double kMinBucketElite = 10;  // effective elite paths a drift per time bucket needs

long long pilotSize(const Scenario& s) { return std::clamp<long long>(s.simulation.paths / 10, 500, 2000); }

TiltComponent original(size_t markets, double share) {
  TiltComponent c;
  c.share = share;
  c.markets.assign(markets, ProcessTilt{});
  return c;
}

// One cross-entropy update: the tilt that maximises Σ v_i log q(path_i) over the weighted elite.
// The block tilt θ whose mean block return E_θ[r] = Σ r_b e^{θ r_b} / Σ e^{θ r_b} is `target`
// (the CE update of an exponential family matches the mean): Newton on the increasing E_θ[r]
// (slope Var_θ[r]), kept inside a bisection bracket, |θ| at most kMaxBlockShift / sd(r).
double blockTiltFor(const std::vector<double>& r, double target) {
  if (r.empty()) return 0;
  double mean = 0, var = 0;
  for (double x : r) mean += x;
  mean /= double(r.size());
  for (double x : r) var += (x - mean) * (x - mean);
  const double sd = std::sqrt(var / double(r.size()));
  if (!(sd > 0)) return 0;
  auto moments = [&](double th, double& m, double& v) {  // E_θ[r], Var_θ[r]
    double top = -INFINITY;
    for (double x : r) top = std::max(top, th * x);
    double w = 0, s1 = 0, s2 = 0;
    for (double x : r) {
      const double e = std::exp(th * x - top);
      w += e;
      s1 += e * (x - mean);
      s2 += e * (x - mean) * (x - mean);
    }
    m = s1 / w;
    v = std::max(0.0, s2 / w - m * m);
    m += mean;
  };
  double lo = -kMaxBlockShift / sd, hi = kMaxBlockShift / sd, m, v;
  moments(lo, m, v);
  if (target <= m) return lo;
  moments(hi, m, v);
  if (target >= m) return hi;
  double th = 0;
  for (int it = 0; it < 100; ++it) {
    moments(th, m, v);
    if (std::fabs(m - target) <= 1e-12 * sd) break;
    (m < target ? lo : hi) = th;
    const double next = v > 0 ? th + (target - m) / v : 0.5 * (lo + hi);
    th = next > lo && next < hi ? next : 0.5 * (lo + hi);
    if (hi - lo <= 1e-12 * (kMaxBlockShift / sd)) break;
  }
  return th;
}

// For these exponential families it is the weighted mean of each sufficient statistic (for the
// bootstrap's block choice: the θ whose mean block return is the elite's weighted mean).
ProcessTilt update(const std::vector<const TiltTally*>& t, const std::vector<double>& v, double rate,
                   const std::vector<double>& blocks) {
  std::array<double, kTiltBuckets> zs{}, zc{};
  double j = 0, js = 0, xs = 0, bn = 0, bs = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    for (size_t b = 0; b < size_t(kTiltBuckets); ++b) {
      zs[b] += v[i] * t[i]->zSum[b];
      zc[b] += v[i] * t[i]->zCount[b];
    }
    j += v[i] * t[i]->jumps;
    js += v[i] * t[i]->jumpSteps;
    xs += v[i] * t[i]->xiSum;
    bn += v[i] * t[i]->blocks;
    bs += v[i] * t[i]->blockSum;
  }
  ProcessTilt out;
  // The drift per time bucket: the elite's weighted mean normal in that bucket (closed form).
  // With few effective elite paths ((Σv)²/Σv² below kMinBucketElite) one path's wiggles would
  // set each bucket: the drift is then the same in every bucket (the mean over all of them).
  double sv = 0, sv2 = 0, zsAll = 0, zcAll = 0;
  for (double x : v) {
    sv += x;
    sv2 += x * x;
  }
  for (size_t b = 0; b < size_t(kTiltBuckets); ++b) {
    zsAll += zs[b];
    zcAll += zc[b];
  }
  const bool pooled = !(sv2 > 0) || sv * sv / sv2 < kMinBucketElite;
  for (size_t b = 0; b < size_t(kTiltBuckets); ++b) {
    const double num = pooled ? zsAll : zs[b], den = pooled ? zcAll : zc[b];
    if (den > 0) out.z[b] = std::clamp(num / den, -kMaxNormalShift, kMaxNormalShift);
  }
  if (rate > 0 && js > 0) {
    const double r = j / js;
    out.jumpLogIntensity = r > 0 ? std::clamp(std::log(r / rate), kMinLogIntensity, kMaxLogIntensity) : kMinLogIntensity;
    if (j > 0) out.jumpShift = std::clamp(xs / j, -kMaxJumpShift, kMaxJumpShift);
  }
  if (!blocks.empty() && bn > 0) {
    out.block = blockTiltFor(blocks, bs / bn);
    out.blockLogNorm = blockLogNorm(blocks, out.block);
  }
  return out;
}

// Whether the path's move toward its side (down or up) came more from jumps than from the
// diffusion, in log-return units of market 0 and the common factor: jumps N·μ_J + σ_J·Σξ against
// the diffusion σ·√dt·Σz (the tallied draws, tilt included). A model without jumps: never.
bool jumpDriven(const Scenario& s, const PathTally& t, bool down) {
  if (s.markets.empty()) return false;
  const PriceModel& m = s.markets[0].priceModel;
  double jump = 0;
  if (m.kind == PriceModelKind::Merton) jump += m.jumpMean * t.markets[0].jumps + m.jumpStdev * t.markets[0].xiSum;
  if (s.commonJumps.active()) {
    const double load = s.commonJumps.loadings.empty() ? 1.0 : s.commonJumps.loadings[0];
    jump += load * (s.commonJumps.mean * t.common.jumps + s.commonJumps.stdev * t.common.xiSum);
  }
  if (t.markets[0].jumps + t.common.jumps == 0) return false;
  double zSum = 0;
  for (double z : t.markets[0].zSum) zSum += z;
  const double diffusion = m.dailyVolatility / std::sqrt(double(s.simulation.stepsPerDay)) * zSum;
  return down ? -jump > -diffusion : jump > diffusion;
}

bool hasJumps(const Scenario& s) {
  if (s.commonJumps.active()) return true;
  for (const auto& m : s.markets)
    if (m.priceModel.kind == PriceModelKind::Merton) return true;
  return false;
}

// Fits component c to the paths x with weights v (closed-form CE update per market and common
// factor). A diffusion-driven mode's component (`drift`) learns the drift only: its jumps keep
// their law, else it would drift into the jump mode (the top decile of any component's paths
// holds those with the most adverse jumps) and a move by the diffusion with neutral or opposite
// jumps would be left to the defensive share.
void fit(TiltComponent& c, bool drift, const std::vector<const PathTally*>& x, const std::vector<double>& v,
         const std::vector<double>& rates, double commonRate, const std::vector<std::vector<double>>& blocks) {
  std::vector<const TiltTally*> t(x.size());
  for (size_t j = 0; j < c.markets.size(); ++j) {
    for (size_t i = 0; i < x.size(); ++i) t[i] = &x[i]->markets[j];
    c.markets[j] = update(t, v, rates[j], blocks[j]);
  }
  for (size_t i = 0; i < x.size(); ++i) t[i] = &x[i]->common;
  c.common = update(t, v, commonRate, {});
  if (drift) {
    for (auto& m : c.markets) m.jumpLogIntensity = m.jumpShift = 0;
    c.common = ProcessTilt{};
  }
}

// Each component's responsibility for path x: α_k L_k(x) / Σ_c α_c L_c(x) (in logs).
void responsibilities(const Tilt& t, const PathTally& x, const std::vector<double>& rates, double commonRate, std::vector<double>& r) {
  r.resize(t.components.size());
  double top = -INFINITY;
  for (size_t k = 0; k < r.size(); ++k) {
    r[k] = std::log(t.components[k].share) + logLikelihoodRatio(t.components[k], x, rates, commonRate);
    top = std::max(top, r[k]);
  }
  double sum = 0;
  for (double& l : r) sum += l = std::exp(l - top);
  for (double& l : r) l /= sum;
}

// The mixture's cross-entropy program, max Σ v_i log Σ_k α_k q_k(x_i), by EM from the mode split
// (Kurtz & Song, Structural Safety 43 (2013), CE with Gaussian mixtures), the defensive share α_0
// fixed. First one more component for the elite paths that the mode components explain worst:
// fitted with weights v_i · r_i0 (the defensive component's responsibility for path i, ≈ 1 for a
// path no tilt explains, whose weight would be ≈ 1/α_0: its drift or jumps match no mode's).
void refineMixture(Tilt& t, std::vector<char>& drift, const std::vector<const PathTally*>& x, const std::vector<double>& v, const std::vector<double>& rates,
                   double commonRate, const std::vector<std::vector<double>>& blocks) {
  const size_t n = x.size();
  std::vector<double> r, u(n), w(n);
  double unexplained = 0, mass = 0, mu = 0;
  for (size_t i = 0; i < n; ++i) {
    responsibilities(t, *x[i], rates, commonRate, r);
    u[i] = v[i] * r[0];
    unexplained += r[0];
    mu += u[i];
    mass += v[i];
  }
  const double a0 = t.components[0].share;
  if (unexplained >= kMinElite && mu > 0 && mass > 0) {
    TiltComponent c = t.components[0];
    c.direction = -1;
    fit(c, false, x, u, rates, commonRate, blocks);
    c.share = (1.0 - a0) * mu / mass;
    for (size_t k = 1; k < t.components.size(); ++k) t.components[k].share *= 1.0 - mu / mass;
    t.components.push_back(c);
    drift.push_back(0);
  }
  const size_t K = t.components.size();
  std::vector<std::vector<double>> rk(K, std::vector<double>(n));
  for (int it = 0; it < kEmIterations; ++it) {
    for (size_t i = 0; i < n; ++i) {
      responsibilities(t, *x[i], rates, commonRate, r);
      for (size_t k = 0; k < K; ++k) rk[k][i] = r[k];
    }
    double total = 0;
    std::vector<double> m(K, 0.0), paths(K, 0.0);
    for (size_t k = 1; k < K; ++k) {
      for (size_t i = 0; i < n; ++i) {
        w[i] = v[i] * rk[k][i];
        m[k] += w[i];
        paths[k] += rk[k][i];
      }
      total += m[k];
      if (paths[k] >= 1) fit(t.components[k], drift[k], x, w, rates, commonRate, blocks);
    }
    if (!(total > 0)) return;
    for (size_t k = 1; k < K; ++k) t.components[k].share = (1.0 - a0) * m[k] / total;
    // A component that no elite path needs any more (less than one path's responsibility) goes.
    for (size_t k = K; k-- > 1;)
      if (paths[k] < 1 && t.components.size() > 2) {
        t.components.erase(t.components.begin() + std::ptrdiff_t(k));
        drift.erase(drift.begin() + std::ptrdiff_t(k));
        rk.erase(rk.begin() + std::ptrdiff_t(k));
      }
    if (t.components.size() != K) {
      double sum = 0;
      for (size_t k = 1; k < t.components.size(); ++k) sum += t.components[k].share;
      for (size_t k = 1; k < t.components.size(); ++k) t.components[k].share *= (1.0 - a0) / sum;
      return;  // the remaining components keep this pass's fit
    }
  }
}

// Multi-level CE per component (after level 0): each tilted component draws an equal part of each
// pilot and climbs its own levels (the top decile of M_T among its paths, until a decile of them
// deplete the fund), its CE update weighted by its own likelihood ratio 1/L_k. One ladder for the
// whole mixture would let the fastest mode (e.g. jump-driven crashes) set every level, and a slower
// mode's paths (a squeeze of the shorts) drop out of the elite: that mode would be
// left to the defensive share. Then the shares: EM on a last pilot's depleting paths (α_0 fixed).
void advanceComponents(const Scenario& s, Tilt& cur, const std::vector<char>& drift, double u, long long np, int threads, const std::vector<double>& rates,
                       double commonRate, const std::vector<std::vector<double>>& blocks) {
  const size_t K = cur.components.size();
  std::vector<bool> done(K, false);
  done[0] = true;
  int level = 1;
  // The pilots draw every tilted component equally often (each needs elite paths of its own to
  // learn from, whatever its share); each path's weight is its ratio under this sampling mixture.
  auto pilot = [&] {
    Tilt sampling = cur;
    for (size_t k = 1; k < K; ++k) sampling.components[k].share = (1.0 - cur.components[0].share) / double(K - 1);
    PilotRecords r = simulatePilot(s, sampling, kPilotStream + std::uint64_t(level) * std::uint64_t(np), np, threads);
    cur.pilotPaths += np;
    ++level;
    return r;
  };
  while (level < kMaxLevels && std::find(done.begin(), done.end(), false) != done.end()) {
    const PilotRecords r = pilot();
    cur.levels = level;
    for (size_t k = 1; k < K; ++k) {
      if (done[k]) continue;
      // Its own paths, on its own side of the book: an up component's top decile would otherwise
      // be its paths that crashed by chance, and it would drift into the crash mode.
      std::vector<size_t> own;
      const int side = cur.components[k].direction;
      for (size_t i = 0; i < size_t(np); ++i)
        if (size_t(r.component[i]) == k && (side < 0 || (-r.lowest[i] > r.highest[i] ? 0 : 1) == side)) own.push_back(i);
      std::vector<double> M;
      for (size_t i : own) M.push_back(r.maxOutflow[i]);
      std::sort(M.begin(), M.end());
      const double events = double(M.end() - std::upper_bound(M.begin(), M.end(), u));
      const bool final = !own.empty() && events >= kEliteShare * double(own.size());
      const size_t q = own.empty() ? 0 : size_t(std::clamp(std::ceil((1.0 - kEliteShare) * double(own.size())), 1.0, double(own.size()))) - 1;
      const double gamma = own.empty() ? 0 : M[q];
      double reach = 0;  // while a decile has no outflow: the top decile by excursion
      if (!final && !(gamma > 0) && !own.empty()) {
        std::vector<double> e;
        for (size_t i : own) e.push_back(std::max(-r.lowest[i], r.highest[i]));
        std::nth_element(e.begin(), e.begin() + std::ptrdiff_t(q), e.end());
        reach = e[q];
      }
      std::vector<const PathTally*> x;
      std::vector<double> v;
      for (size_t i : own) {
        const double m = r.maxOutflow[i];
        const bool elite = final ? m > u : gamma > 0 ? m >= gamma : reach > 0 && std::max(-r.lowest[i], r.highest[i]) >= reach;
        if (!elite) continue;
        x.push_back(&r.tallies[i]);
        v.push_back(std::exp(-logLikelihoodRatio(cur.components[k], r.tallies[i], rates, commonRate)));
      }
      if (int(x.size()) < kMinElite) {  // too few paths to learn from: the component stays as it is
        done[k] = true;
        continue;
      }
      fit(cur.components[k], drift[k], x, v, rates, commonRate, blocks);
      done[k] = final;
    }
  }
  // The shares: α_k ∝ Σ_i v_i r_ik over the depleting paths of a pilot drawn from the final
  // components (v_i its mixture weight, r_ik the responsibilities), the mixture CE's share update.
  const PilotRecords r = pilot();
  std::vector<size_t> dep;
  for (size_t i = 0; i < size_t(np); ++i)
    if (r.maxOutflow[i] > u) dep.push_back(i);
  if (dep.empty()) return;
  const double a0 = cur.components[0].share;
  std::vector<double> resp;
  for (int it = 0; it < kEmIterations; ++it) {
    std::vector<double> m(K, 0.0), paths(K, 0.0);
    for (size_t i : dep) {
      responsibilities(cur, r.tallies[i], rates, commonRate, resp);
      for (size_t k = 1; k < K; ++k) {
        m[k] += r.weight[i] * resp[k];
        paths[k] += resp[k];
      }
    }
    double total = 0;
    for (size_t k = 1; k < K; ++k) total += m[k];
    if (!(total > 0)) return;
    for (size_t k = 1; k < K; ++k) cur.components[k].share = (1.0 - a0) * m[k] / total;
  }
  // Components no depleting path needs (share below 0.1 %) go; the rest share 1 − α_0.
  for (size_t k = K; k-- > 1;)
    if (cur.components[k].share < 1e-3 && cur.components.size() > 2) cur.components.erase(cur.components.begin() + std::ptrdiff_t(k));
  double sum = 0;
  for (size_t k = 1; k < cur.components.size(); ++k) sum += cur.components[k].share;
  for (size_t k = 1; k < cur.components.size(); ++k) cur.components[k].share *= (1.0 - a0) / sum;
}

}  // namespace

double logLikelihoodRatio(const TiltComponent& c, const PathTally& t, const std::vector<double>& rates, double commonRate) {
  double l = logRatio(c.common, t.common, commonRate);
  for (size_t j = 0; j < c.markets.size() && j < t.markets.size(); ++j) l += logRatio(c.markets[j], t.markets[j], rates[j]);
  return l;
}

std::vector<double> jumpRatesPerStep(const Scenario& s) {
  std::vector<double> r;
  for (const auto& m : s.markets)
    r.push_back(m.priceModel.kind == PriceModelKind::Merton ? m.priceModel.jumpIntensityPerYear / 365.0 / s.simulation.stepsPerDay : 0.0);
  return r;
}

double commonJumpRatePerStep(const Scenario& s) {
  return s.commonJumps.active() ? s.commonJumps.intensityPerYear / 365.0 / s.simulation.stepsPerDay : 0.0;
}

size_t pickComponent(const Tilt& t, std::uint64_t seed, long long pathIndex) {
  if (t.components.size() < 2) return 0;
  std::uint64_t state = splitmix64(seed ^ 0x5BD1E9955BD1E995ULL) ^ splitmix64(std::uint64_t(pathIndex) * 0x9FB21C651E98DF25ULL);
  const double u = nextUniform(state);
  double acc = 0;
  for (size_t k = 0; k + 1 < t.components.size(); ++k) {
    acc += t.components[k].share;
    if (u < acc) return k;
  }
  return t.components.size() - 1;
}

Tilt chooseTilt(const Scenario& s, int threads) {
  Tilt plain;
  if (s.simulation.importanceSampling != ImportanceSampling::Auto) return plain;
  const size_t n = s.markets.size();
  std::vector<std::vector<double>> blocks;  // per market: the bootstrap's block returns (else empty)
  for (const auto& m : s.markets) blocks.push_back(blockReturns(m.priceModel));
  const double u = currentFundBalance(s);
  const long long np = pilotSize(s);
  const std::vector<double> rates = jumpRatesPerStep(s);
  const double commonRate = commonJumpRatePerStep(s);
  Tilt cur;
  cur.components = {original(n, 1.0)};
  bool reached = false;  // the plain pilot's elite already depletes the fund
  std::vector<char> drift;  // per component: a diffusion-driven mode (its jumps untilted)
  // Level 0, on plain paths: the top decile of M_T split by depletion mode, one component each,
  // then the mixture's EM step; the components then climb their own levels (advanceComponents).
  do {  // a block to break out of
    const int level = 0;
    const PilotRecords r = simulatePilot(s, cur, kPilotStream, np, threads);
    cur.pilotPaths += np;
    std::vector<double> M = r.maxOutflow;
    std::sort(M.begin(), M.end());
    if (double(M.end() - std::upper_bound(M.begin(), M.end(), u)) >= kNotRare * double(np)) {
      plain.notes.push_back("importance sampling not needed: depletion is not rare at this fund (plain Monte Carlo)");
      plain.pilotPaths = cur.pilotPaths;
      return plain;
    }
    const size_t q = size_t(std::clamp(std::ceil((1.0 - kEliteShare) * double(np)), 1.0, double(np))) - 1;
    // The last level once a decile of the pilot depletes the fund (M_T > u); until then the
    // top decile of M_T; while fewer than a decile have any outflow, the top decile by excursion.
    const double events = double(M.end() - std::upper_bound(M.begin(), M.end(), u));
    const bool final = events >= kEliteShare * double(np);
    const double gamma = M[q];
    // While fewer than a decile of the paths have any outflow (M_T = 0 ties), rank by the price's
    // excursion instead: the top decile of the largest move either way pulls the tilt outward.
    std::vector<double> excursion(static_cast<size_t>(np));
    for (size_t i = 0; i < size_t(np); ++i) excursion[i] = std::max(-r.lowest[i], r.highest[i]);
    const bool byExcursion = !final && !(gamma > 0);
    double reach = 0;
    if (byExcursion) {
      std::vector<double> e = excursion;
      std::nth_element(e.begin(), e.begin() + std::ptrdiff_t(q), e.end());
      reach = e[q];
    }
    // Depletion modes: direction (down: the longs' side, up: the shorts') × driver (a path whose
    // move came mostly from jumps vs from the diffusion). One component per mode, so that a path
    // depleting by a gap is not weighed against a slow-drift tilt (its weight would reach 1/α_0).
    constexpr int kModes = 4;
    std::vector<std::vector<const TiltTally*>> tallies[kModes];
    for (auto& t : tallies) t.assign(n, {});
    std::vector<const TiltTally*> common[kModes];
    std::vector<double> v[kModes];
    double mass[kModes] = {0, 0, 0, 0};
    std::vector<const PathTally*> eliteX;  // every elite path, for the mixture's EM step
    std::vector<double> eliteV;
    for (long long i = 0; i < np; ++i) {
      const double m = r.maxOutflow[size_t(i)];
      const bool elite = byExcursion ? excursion[size_t(i)] >= reach && reach > 0 : final ? m > u : m >= gamma;
      if (!elite) continue;
      // Which side of the book the path hit: its larger excursion (a squeeze that falls back by the
      // horizon still liquidated the shorts; the sign of its end move would call it a crash).
      const int d = -r.lowest[size_t(i)] > r.highest[size_t(i)] ? 0 : 1;
      const int k = 2 * d + (jumpDriven(s, r.tallies[size_t(i)], d == 0) ? 1 : 0);
      v[k].push_back(r.weight[size_t(i)]);
      mass[k] += r.weight[size_t(i)];
      eliteX.push_back(&r.tallies[size_t(i)]);
      eliteV.push_back(r.weight[size_t(i)]);
      for (size_t j = 0; j < n; ++j) tallies[k][j].push_back(&r.tallies[size_t(i)].markets[j]);
      common[k].push_back(&r.tallies[size_t(i)].common);
    }
    // A mode with too few elite paths joins the other driver of its direction.
    for (int d : {0, 1})
      for (int b : {0, 1}) {
        const int k = 2 * d + b, o = 2 * d + 1 - b;
        if (v[k].empty() || int(v[k].size()) >= kMinElite || v[k].size() > v[o].size()) continue;
        v[o].insert(v[o].end(), v[k].begin(), v[k].end());
        mass[o] += mass[k];
        for (size_t j = 0; j < n; ++j) tallies[o][j].insert(tallies[o][j].end(), tallies[k][j].begin(), tallies[k][j].end());
        common[o].insert(common[o].end(), common[k].begin(), common[k].end());
        v[k].clear();
        mass[k] = 0;
      }
    const double total = mass[0] + mass[1] + mass[2] + mass[3];
    Tilt next;
    next.levels = level + 1;
    next.pilotPaths = cur.pilotPaths;
    next.components = {original(n, kDefensiveShare)};
    std::vector<char> only = {0};
    for (int d = 0; d < kModes; ++d) {
      if (int(v[d].size()) < kMinElite) continue;
      TiltComponent c = original(n, (1.0 - kDefensiveShare) * mass[d] / total);
      for (size_t j = 0; j < n; ++j) c.markets[j] = update(tallies[d][j], v[d], rates[j], blocks[j]);
      c.common = update(common[d], v[d], commonRate, {});
      c.direction = d / 2;
      only.push_back(d % 2 == 0 && hasJumps(s));
      if (only.back()) {  // its jumps keep their law (fit())
        for (auto& m : c.markets) m.jumpLogIntensity = m.jumpShift = 0;
        c.common = ProcessTilt{};
      }
      next.components.push_back(c);
    }
    if (next.components.size() < 2) break;  // no elite path to learn from: keep the tilt we have
    // A direction below kMinElite leaves its share to the others (the shares sum to 1).
    double sum = 0;
    for (const auto& c : next.components) sum += c.share;
    for (auto& c : next.components) c.share /= sum;
    refineMixture(next, only, eliteX, eliteV, rates, commonRate, blocks);
    cur = std::move(next);
    drift = std::move(only);
    reached = final;
  } while (false);
  if (cur.active() && !reached) advanceComponents(s, cur, drift, u, np, threads, rates, commonRate, blocks);
  if (!cur.active()) {
    plain.notes.push_back("importance sampling found no path moving toward depletion in its pilot: plain Monte Carlo");
    plain.pilotPaths = cur.pilotPaths;
    return plain;
  }
  return cur;
}

}  // namespace backstop
