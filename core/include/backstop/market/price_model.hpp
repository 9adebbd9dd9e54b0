// Price models per step Δt (docs/model.md (price models)): log-returns split into a continuous (diffusion) part,
// whose intra-step extremes come from the Brownian bridge, and jumps that come after it.
#pragma once

#include <utility>
#include <vector>

#include "backstop/market/random.hpp"
#include "backstop/model/scenario.hpp"

namespace backstop {

struct StepMove {
  double diffusion = 0;  // log-return of the continuous part (or the whole step's return)
  double jump = 0;       // sum of this step's log jumps, applied after the diffusion part
  double variance = 0;   // variance of the continuous part; 0 = no continuous path: execute at the close
};

// A change of measure for one market's draws (docs/model.md, importance sampling): the
// diffusion's standard normal gets mean `z`, the Merton jump count intensity × e^jumpLogIntensity,
// each standardised log jump mean `jumpShift` and standard deviation e^jumpLogScale; the
// bootstrap picks block b with probability ∝ exp(block · r_b) (r_b: the block's log-return),
// `blockLogNorm` = log((1/B) Σ_b exp(block · r_b)).
// Zero is the original measure.
struct ProcessTilt {
  double z = 0, jumpLogIntensity = 0, jumpShift = 0, jumpLogScale = 0;
  double block = 0, blockLogNorm = 0;
};

// What the likelihood ratio of a path needs (sufficient statistics of the tilted draws): the
// sum and count of the tilted normals, jump counts and the steps they were drawn in, and the
// sum of the standardised log jumps and of their squares; the bootstrap blocks chosen under the
// tilt and the sum of their returns.
struct TiltTally {
  double zSum = 0, zCount = 0, jumps = 0, jumpSteps = 0, xiSum = 0, xi2Sum = 0;
  double blocks = 0, blockSum = 0;
};

// One standardised log jump under a tilt, N(shift, scale²), tallied for the likelihood ratio
// (a market's own jumps and the common jump factor draw them alike).
inline double drawTiltedJump(Rng& rng, double scale, double shift, TiltTally& tally) {
  const double xi = scale * rng.normal() + shift;
  tally.xiSum += xi;
  tally.xi2Sum += xi * xi;
  return xi;
}

// The log-return of the bootstrap block starting at each day b: Σ_{d<blockDays} returns[(b + d) mod B]
// (blocks wrap around, as the sampler's do). Empty for the other models.
std::vector<double> blockReturns(const PriceModel& m);

// log((1/B) Σ_b exp(θ r_b)), computed without overflow.
double blockLogNorm(const std::vector<double>& blockReturns, double theta);

class PriceProcess {
 public:
  PriceProcess(const PriceModel& m, int stepsPerDay);
  void reset(Rng& rng);  // per path: GARCH variance, bootstrap block position
  // `z`: a standard normal for the diffusion shock drawn by the caller (correlated markets);
  // null draws it here. Bootstrap ignores it.
  StepMove step(Rng& rng, const double* z = nullptr);
  bool continuous() const { return continuous_; }
  // From now on draw under `t` and tally the draws (after the warm-up); reset() clears it.
  void setTilt(const ProcessTilt& t);
  // From now on draw under the original measure again; the tally keeps the tilted draws.
  void endTilt() { tilted_ = false; }
  const TiltTally& tally() const { return tally_; }
  // GBM / Merton per step: the log drift, the diffusion's variance, the jump rate (the event engine).
  double driftPerStep() const { return driftPerStep_; }
  double variancePerStep() const { return sigmaStep_ * sigmaStep_; }
  double jumpRatePerStep() const { return jumpRate_; }

 private:
  PriceModel m_;
  double dt_;  // days
  int stepsPerDay_;
  bool continuous_;
  double driftPerStep_ = 0, sigmaStep_ = 0, jumpRate_ = 0, jumpL_ = 1, tScale_ = 1;  // jumpL_ = exp(-jumpRate_)
  // GARCH(1,1) at step frequency: h' = ω/spd + α ε² + β h.
  double h_ = 0, omegaStep_ = 0;
  // Bootstrap: current day index, day within block, step within day.
  size_t day_ = 0;
  int blockLeft_ = 0, stepInDay_ = 0;
  bool tilted_ = false;
  ProcessTilt tilt_;
  double tiltedJumpL_ = 1;  // exp(-tilted jump rate per step)
  double jumpScale_ = 1;    // exp(tilt_.jumpLogScale)
  TiltTally tally_;
  // Bootstrap under a tilt: the block returns and, per block tilt θ met so far (a run's mixture
  // has a few), the cumulative weights exp(θ r_b − max) to pick a block by one uniform.
  std::vector<double> blockReturns_;  // filled on first use
  std::vector<std::pair<double, std::vector<double>>> blockCdfs_;
  int blockCdf_ = -1;  // the current tilt's index in blockCdfs_, or -1 (uniform)
  size_t nextBlock(Rng& rng);
  double shock(Rng& rng, const double* z);  // the diffusion's normal (tilted and tallied when drawn here)
};

// Exact extremes of a Brownian bridge from 0 to `b` with variance `v` over the step:
// min = (b − sqrt(b² − 2v·ln U))/2 (each marginal exact; min and max drawn independently).
inline double bridgeMin(double b, double v, double u) { return 0.5 * (b - std::sqrt(b * b - 2.0 * v * std::log(u))); }
inline double bridgeMax(double b, double v, double u) { return 0.5 * (b + std::sqrt(b * b - 2.0 * v * std::log(u))); }

}  // namespace backstop
