// Importance sampling of the depletion event (docs/model.md, importance sampling): a defensive
// mixture of the original measure (component 0) and tilted measures chosen by the cross-entropy
// method on a pilot run. A path's weight is its likelihood ratio 1 / Σ_k α_k L_k, at most 1/α_0.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backstop/market/price_model.hpp"
#include "backstop/model/scenario.hpp"

namespace backstop {

// One measure of the mixture: a tilt per market (its diffusion normal, before the Cholesky factor
// when markets are joint; its Merton jumps) and one for the common jump factor.
struct TiltComponent {
  double share = 0;                   // α_k
  std::vector<ProcessTilt> markets;   // per market
  ProcessTilt common;                 // common jumps (jumpLogIntensity, jumpShift)
};

// The mixture a run samples from; empty = the original measure alone (plain Monte Carlo).
struct Tilt {
  std::vector<TiltComponent> components;  // components[0] is the original measure
  int levels = 0;                         // cross-entropy levels the pilot took
  long long pilotPaths = 0;               // pilot paths run (streams apart from the run's)
  std::vector<std::string> notes;         // why the run is plain although "auto" was asked
  bool stopAtDepletion = true;            // tilt each path only until the current fund is depleted
  bool active() const { return components.size() > 1; }
};

// The sufficient statistics of one path's tilted draws, per market and for the common jumps.
struct PathTally {
  std::vector<TiltTally> markets;
  TiltTally common;
};

// Share of paths drawn under the original measure (the defensive component).
inline constexpr double kDefensiveShare = 0.2;

// log L_k(path) = log dQ_k/dP of the path's tilted draws (exact normal and Poisson ratios).
double logLikelihoodRatio(const TiltComponent& c, const PathTally& t, const std::vector<double>& jumpRates,
                          double commonJumpRate);

// Per-step jump rates of each market (Merton; 0 otherwise) and of the common jump factor.
std::vector<double> jumpRatesPerStep(const Scenario& s);
double commonJumpRatePerStep(const Scenario& s);

// The component of path `pathIndex`, drawn from a stream of its own (the path's stream is untouched).
size_t pickComponent(const Tilt& t, std::uint64_t seed, long long pathIndex);

// The tilt for a resolved, valid scenario: the original measure when importance sampling is off
// or not worth it; else cross-entropy levels on pilot paths (stream indices apart from the run's).
// A pure function of (scenario, seed): every worker that computes it gets the same tilt.
Tilt chooseTilt(const Scenario& s, int threads = 1);

namespace detail {
// Whether chooseTilt's tilts stop at depletion (on by default); off is the earlier whole-path
// tilt, kept so that bench/is_replay.cpp measures both in one binary. Set before a run.
void setTiltStopsAtDepletion(bool on);
// Whether the cross-entropy update fits the jump sizes' spread (on by default); off is the earlier
// tilt of their mean alone, kept for bench/is_replay.cpp. Set before a run.
void setJumpScaleTilt(bool on);
// One cross-entropy update: the tilt of one market (or the common jump factor) that fits the
// elite's tallies `t`, weighted by `v` (jumpRatePerStep: the plain Poisson rate per step; blocks:
// the bootstrap's block returns, empty for the other models). Exposed for its tests.
ProcessTilt fitProcessTilt(const std::vector<const TiltTally*>& t, const std::vector<double>& v,
                           double jumpRatePerStep, const std::vector<double>& blocks);
}  // namespace detail

}  // namespace backstop
