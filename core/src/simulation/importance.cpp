// Importance sampling of the depletion event (docs/model.md, importance sampling): likelihood
// ratios of the tilted draws and the cross-entropy choice of the tilt on a pilot run.
// Method: Rubinstein & Kroese, The Cross-Entropy Method (2004), §3 (multi-level CE for rare
// events, closed-form updates for exponential families); defensive mixture: Hesterberg,
// Technometrics 37(2) 1995; mixture weight 1/Σ α_k L_k: Owen & Zhou, JASA 95 (2000).
// The final mixture keeps every level's tilts; measured in bench/README.md (issue 16, bench/is_replay.cpp).
#include "backstop/simulation/importance.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>

#include "backstop/market/random.hpp"
#include "backstop/simulation/simulation.hpp"

namespace backstop {

namespace detail {
namespace {
std::atomic<bool> tiltStops{true};
std::atomic<bool> jumpScaleTilt{true};
}
void setTiltStopsAtDepletion(bool on) { tiltStops.store(on); }
void setJumpScaleTilt(bool on) { jumpScaleTilt.store(on); }
}  // namespace detail

namespace {

// log dQ/dP of one market's (or the common factor's) tallied draws under tilt t:
// normals N(θ,1) vs N(0,1): θΣz − nθ²/2; Poisson(r e^η) vs Poisson(r) per step: ηN − steps·r(e^η − 1);
// standardised jumps N(δ,s²) vs N(0,1): Σ[ξ²/2 − (ξ−δ)²/(2s²)] − N log s (δΣξ − Nδ²/2 at s = 1);
// bootstrap blocks q_b ∝ e^{θ r_b} vs 1/B: θΣr_b − n log((1/B)Σe^{θ r}).
double logRatio(const ProcessTilt& t, const TiltTally& a, double rate) {
  double l = t.z * a.zSum - 0.5 * t.z * t.z * a.zCount + t.block * a.blockSum - a.blocks * t.blockLogNorm;
  if (a.jumpSteps > 0)
    l += t.jumpLogIntensity * a.jumps - a.jumpSteps * rate * std::expm1(t.jumpLogIntensity) + 0.5 * a.xi2Sum -
         (a.xi2Sum - 2 * t.jumpShift * a.xiSum + t.jumpShift * t.jumpShift * a.jumps) / (2 * std::exp(2 * t.jumpLogScale)) -
         a.jumps * t.jumpLogScale;
  return l;
}

constexpr std::uint64_t kPilotStream = 1ULL << 62;  // pilot streams: far from any run's path index
constexpr int kMaxLevels = 10;
constexpr double kEliteShare = 0.1;     // ρ: the top decile of M_T sets each intermediate level
constexpr double kStalledEliteShare = 0.02;  // ρ for a side whose level did not rise
constexpr double kMaxNormalShift = 1.0; // per step, in standard deviations
constexpr double kMaxJumpShift = 3.0;   // standardised jump mean
constexpr double kMinJumpLogScale = -0.7, kMaxJumpLogScale = 1.1;  // its standard deviation, 0.5 to 3
constexpr double kMinLogIntensity = -2.0, kMaxLogIntensity = 4.0;
constexpr double kMaxBlockShift = 3.0;  // bootstrap: |θ| × the block returns' standard deviation
constexpr double kNotRare = 0.25;       // pilot event share above which plain Monte Carlo is kept
constexpr int kMinElite = 3;            // elite paths a direction needs to get a component

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

}  // namespace

// For these exponential families it is the weighted mean of each sufficient statistic (for the
// jump sizes N(δ, s²): the weighted mean and variance of the elite's standardised jumps; for the
// bootstrap's block choice: the θ whose mean block return is the elite's weighted mean).
ProcessTilt detail::fitProcessTilt(const std::vector<const TiltTally*>& t, const std::vector<double>& v,
                                   double rate, const std::vector<double>& blocks) {
  double zs = 0, zc = 0, j = 0, js = 0, xs = 0, x2 = 0, bn = 0, bs = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    zs += v[i] * t[i]->zSum;
    zc += v[i] * t[i]->zCount;
    j += v[i] * t[i]->jumps;
    js += v[i] * t[i]->jumpSteps;
    xs += v[i] * t[i]->xiSum;
    x2 += v[i] * t[i]->xi2Sum;
    bn += v[i] * t[i]->blocks;
    bs += v[i] * t[i]->blockSum;
  }
  ProcessTilt out;
  if (zc > 0) out.z = std::clamp(zs / zc, -kMaxNormalShift, kMaxNormalShift);
  if (rate > 0 && js > 0) {
    const double r = j / js;
    out.jumpLogIntensity = r > 0 ? std::clamp(std::log(r / rate), kMinLogIntensity, kMaxLogIntensity) : kMinLogIntensity;
    if (j > 0) out.jumpShift = std::clamp(xs / j, -kMaxJumpShift, kMaxJumpShift);
    // The spread: an elite of gaps both ways (a crash by one large gap, the price back up by
    // others) is unlikely under any shifted mean but not under a wider jump law (bench/README.md, issue 16).
    // Its fit is the mean square about the shift used, E[(xi - delta)^2] = var + (mean - delta)^2:
    // the variance unless the shift was clamped.
    const double mean = j > 0 ? xs / j : 0;
    const double var = j > 0 ? x2 / j - mean * mean + (mean - out.jumpShift) * (mean - out.jumpShift) : 0;
    if (var > 0 && detail::jumpScaleTilt.load())
      out.jumpLogScale = std::clamp(0.5 * std::log(var), kMinJumpLogScale, kMaxJumpLogScale);
  }
  if (!blocks.empty() && bn > 0) {
    out.block = blockTiltFor(blocks, bs / bn);
    out.blockLogNorm = blockLogNorm(blocks, out.block);
  }
  return out;
}

namespace {

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
  const double diffusion = m.dailyVolatility / std::sqrt(double(s.simulation.stepsPerDay)) * t.markets[0].zSum;
  return down ? -jump > -diffusion : jump > diffusion;
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
  const bool stops = detail::tiltStops.load();
  Tilt cur;
  cur.stopAtDepletion = stops;
  cur.components = {original(n, 1.0)};
  // Each direction (0: down, the longs' side; 1: up, the shorts') climbs its own cross-entropy
  // levels: a side whose paths are rarer in the pilot still gets a tilt toward its own
  // depletion, instead of the levels of the likelier side (bench/README.md, issue 16).
  bool dead[2] = {false, false};
  double gammaPrev[2] = {-1, -1};  // each side's last level (M_T), −1 before it has one
  // The tilts of the levels run so far, and the side of each tilted component (index k − 1).
  std::vector<std::pair<Tilt, std::vector<int>>> history;
  std::vector<int> curSides;
  int afterFinal = -1;  // levels run since the first direction reached the fund
  for (int level = 0; level < kMaxLevels; ++level) {
    const PilotRecords r = simulatePilot(s, cur, kPilotStream + std::uint64_t(level) * std::uint64_t(np), np, threads);
    cur.pilotPaths += np;
    if (level == 0) {
      const double events = double(std::count_if(r.maxOutflow.begin(), r.maxOutflow.end(), [&](double m) { return m > u; }));
      if (events >= kNotRare * double(np)) {
        plain.notes.push_back("importance sampling not needed: depletion is not rare at this fund (plain Monte Carlo)");
        plain.pilotPaths = cur.pilotPaths;
        return plain;
      }
    }
    // The side of the book a path hit: a depleting path's move at depletion (with a tilt that
    // stops there; at T otherwise), a path with outflow its move when M_T last rose, any other
    // path its larger excursion.
    auto side = [&](size_t i) {
      if (r.maxOutflow[i] > u) return (stops ? r.logReturnAtDepletion[i] : r.logReturn[i]) < 0 ? 0 : 1;
      if (r.maxOutflow[i] > 0) return r.logReturnAtPeakOutflow[i] < 0 ? 0 : 1;
      return -r.lowest[i] > r.highest[i] ? 0 : 1;
    };
    std::vector<size_t> paths[2];
    for (size_t i = 0; i < size_t(np); ++i) paths[side(i)].push_back(i);
    double most[2] = {0, 0};
    for (int d : {0, 1})
      for (size_t i : paths[d]) most[d] = std::max(most[d], r.maxOutflow[i]);
    // A side none of whose paths has any outflow while the other's do is not a way to deplete.
    for (int d : {0, 1}) dead[d] = dead[d] || paths[d].empty() || (!(most[d] > 0) && most[1 - d] > 0);
    // Depletion modes: direction × driver (a path whose move came mostly from jumps vs from the
    // diffusion). One component per mode, so that a path depleting by a gap is not weighed
    // against a slow-drift tilt (its weight would reach 1/α_0).
    constexpr int kModes = 4;
    std::vector<std::vector<const TiltTally*>> tallies[kModes];
    for (auto& t : tallies) t.assign(n, {});
    std::vector<const TiltTally*> common[kModes];
    std::vector<double> v[kModes];
    double mass[kModes] = {0, 0, 0, 0}, depleting[kModes] = {0, 0, 0, 0};
    bool final[2] = {false, false};
    for (int d : {0, 1}) {
      if (dead[d]) continue;
      const std::vector<size_t>& P = paths[d];
      const double nd = double(P.size());
      // Multi-level CE per side: the top decile of the side's M_T, until a decile of its paths
      // deplete the fund (the last level); while fewer than kMinElite have any outflow, the top
      // decile of the side's excursion.
      std::vector<double> M;
      for (size_t i : P) M.push_back(r.maxOutflow[i]);
      std::sort(M.begin(), M.end(), std::greater<double>());
      const size_t positive = size_t(std::count_if(M.begin(), M.end(), [](double m) { return m > 0; }));
      // The elite: the top decile; the top 2 % when the side's level did not rise at the last
      // step (its tilt drew the same region again); never paths without outflow while a few have some.
      auto top = [&](double share) {  // how many paths the elite takes
        size_t k = std::max<size_t>(size_t(std::ceil(share * nd)), size_t(kMinElite));
        if (positive >= size_t(kMinElite)) k = std::min(k, positive);
        return std::clamp<size_t>(k, 1, M.size());
      };
      size_t take = top(kEliteShare);
      if (gammaPrev[d] > 0 && !(M[take - 1] > gammaPrev[d])) take = top(kStalledEliteShare);
      const double gamma = M[take - 1];
      const double events = double(std::count_if(P.begin(), P.end(), [&](size_t i) { return r.maxOutflow[i] > u; }));
      final[d] = events >= kEliteShare * nd;
      gammaPrev[d] = final[d] ? u : gamma;
      const size_t q = M.size() - take;  // the excursion's quantile index (ascending) for the same share
      const bool byExcursion = !final[d] && !(gamma > 0);
      auto excursion = [&](size_t i) { return d == 0 ? -r.lowest[i] : r.highest[i]; };
      double reach = 0;
      if (byExcursion) {
        std::vector<double> e;
        for (size_t i : P) e.push_back(excursion(i));
        std::nth_element(e.begin(), e.begin() + std::ptrdiff_t(q), e.end());
        reach = e[q];
      }
      for (size_t i : P) {
        const double m = r.maxOutflow[i];
        const bool elite = byExcursion ? excursion(i) >= reach && reach > 0 : final[d] ? m > u : m >= gamma;
        if (!elite) continue;
        const int k = 2 * d + (jumpDriven(s, r.tallies[i], d == 0) ? 1 : 0);
        v[k].push_back(r.weight[i]);
        mass[k] += r.weight[i];
        if (m > u) depleting[k] += r.weight[i];
        for (size_t j = 0; j < n; ++j) tallies[k][j].push_back(&r.tallies[i].markets[j]);
        common[k].push_back(&r.tallies[i].common);
      }
    }
    // A mode with too few elite paths joins the other driver of its direction.
    for (int d : {0, 1})
      for (int b : {0, 1}) {
        const int k = 2 * d + b, o = 2 * d + 1 - b;
        if (v[k].empty() || int(v[k].size()) >= kMinElite || v[k].size() > v[o].size()) continue;
        v[o].insert(v[o].end(), v[k].begin(), v[k].end());
        mass[o] += mass[k];
        depleting[o] += depleting[k];
        for (size_t j = 0; j < n; ++j) tallies[o][j].insert(tallies[o][j].end(), tallies[k][j].begin(), tallies[k][j].end());
        common[o].insert(common[o].end(), common[k].begin(), common[k].end());
        v[k].clear();
        mass[k] = depleting[k] = 0;
      }
    if (afterFinal >= 0 || final[0] || final[1]) ++afterFinal;
    // Done when every live side has reached the fund, or two levels after the first one did.
    const bool done = ((final[0] || dead[0]) && (final[1] || dead[1])) || afterFinal >= 2 || level + 1 == kMaxLevels;
    // Shares: while climbing, each live side gets an equal part (within a side ∝ its elite mass);
    // at the end each mode gets the part its depleting paths carry (their weighted mass
    // estimates the mode's probability), and a mode that drew no depleting path is left out.
    double part[kModes], sideMass[2] = {mass[0] + mass[1], mass[2] + mass[3]};
    int live = 0;
    for (int d : {0, 1}) live += sideMass[d] > 0 ? 1 : 0;
    for (int k = 0; k < kModes; ++k) part[k] = done ? depleting[k] : mass[k] / sideMass[k / 2] / live;
    Tilt next;
    std::vector<int> nextSides;
    next.stopAtDepletion = stops;
    next.levels = level + 1;
    next.pilotPaths = cur.pilotPaths;
    next.components = {original(n, kDefensiveShare)};
    double total = 0;
    for (int k = 0; k < kModes; ++k)
      if (int(v[k].size()) >= kMinElite && part[k] > 0) total += part[k];
    for (int k = 0; k < kModes; ++k) {
      if (int(v[k].size()) < kMinElite || !(part[k] > 0)) continue;
      TiltComponent c = original(n, (1.0 - kDefensiveShare) * part[k] / total);
      for (size_t j = 0; j < n; ++j) c.markets[j] = detail::fitProcessTilt(tallies[k][j], v[k], rates[j], blocks[j]);
      c.common = detail::fitProcessTilt(common[k], v[k], commonRate, {});
      next.components.push_back(c);
      nextSides.push_back(k / 2);
    }
    if (next.components.size() < 2) break;  // no elite path to learn from: keep the tilt we have
    // The final mixture keeps every level's tilts, each level an equal part: the earlier, milder
    // tilts explain the depleting paths the last level's tilt makes unlikely (a crash by the
    // diffusion under a jump tilt, a late depletion), so fewer of them weigh the full 1/α₀.
    // A side found not to deplete the fund keeps none of its components.
    history.emplace_back(std::move(cur), std::move(curSides));
    if (done) {
      std::vector<double> liveShare(history.size(), 0.0);  // per level: the share of its live components
      size_t rungs = 0;
      for (size_t l = 0; l < history.size(); ++l) {
        const auto& [h, sides] = history[l];
        for (size_t k = 1; k < h.components.size(); ++k)
          if (!dead[sides[k - 1]]) liveShare[l] += h.components[k].share;
        rungs += liveShare[l] > 0 ? 1 : 0;
      }
      const double rungPart = 1.0 / double(rungs + 1);
      for (size_t k = 1; k < next.components.size(); ++k) next.components[k].share *= rungPart;
      for (size_t l = 0; l < history.size(); ++l) {
        const auto& [h, sides] = history[l];
        for (size_t k = 1; k < h.components.size(); ++k) {
          if (dead[sides[k - 1]]) continue;
          TiltComponent c = h.components[k];
          c.share *= rungPart * (1 - kDefensiveShare) / liveShare[l];
          next.components.push_back(c);
        }
      }
    }
    cur = std::move(next);
    curSides = std::move(nextSides);
    if (done) break;
  }
  if (!cur.active()) {
    plain.notes.push_back("importance sampling found no path moving toward depletion in its pilot: plain Monte Carlo");
    plain.pilotPaths = cur.pilotPaths;
    return plain;
  }
  return cur;
}

}  // namespace backstop
