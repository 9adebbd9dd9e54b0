#include "backstop/market/price_model.hpp"

#include <algorithm>
#include <cmath>

namespace backstop {

PriceProcess::PriceProcess(const PriceModel& m, int stepsPerDay)
    : m_(m), dt_(1.0 / stepsPerDay), stepsPerDay_(stepsPerDay),
      continuous_(m.kind == PriceModelKind::Gbm || m.kind == PriceModelKind::Merton) {
  const double sigma = m.dailyVolatility;
  const double muDay = m.driftPerYear / 365.0;  // a year is 365 days (crypto trades daily)
  sigmaStep_ = sigma * std::sqrt(dt_);
  jumpRate_ = m.kind == PriceModelKind::Merton ? m.jumpIntensityPerYear / 365.0 * dt_ : 0.0;
  jumpL_ = std::exp(-jumpRate_);
  // Log drift so that E[P_t] grows at drift_per_year: Itô term, and for Merton the jump compensator.
  double compensator = 0;
  if (m.kind == PriceModelKind::Merton)
    compensator = m.jumpIntensityPerYear / 365.0 * (std::exp(m.jumpMean + 0.5 * m.jumpStdev * m.jumpStdev) - 1.0);
  driftPerStep_ = (muDay - 0.5 * sigma * sigma - compensator) * dt_;
  if (m.kind == PriceModelKind::StudentT || m.kind == PriceModelKind::Garch)
    tScale_ = m.dof > 1e5 ? 1.0 : std::sqrt((m.dof - 2.0) / m.dof);  // unit-variance t
  omegaStep_ = m.omega / stepsPerDay;
}

std::vector<double> blockReturns(const PriceModel& m) {
  if (m.kind != PriceModelKind::Bootstrap || m.returns.empty()) return {};
  const size_t n = m.returns.size(), len = size_t(std::max(1, m.blockDays));
  std::vector<double> r(n);
  double sum = 0;
  for (size_t b = 0; b < n; ++b) {
    if (b % 1024 == 0) {  // a running window, summed afresh now and then so rounding cannot drift
      sum = 0;
      for (size_t d = 0; d < len; ++d) sum += m.returns[(b + d) % n];
    } else {
      sum += m.returns[(b + len - 1) % n] - m.returns[b - 1];
    }
    r[b] = sum;
  }
  return r;
}

double blockLogNorm(const std::vector<double>& r, double theta) {
  if (r.empty() || theta == 0) return 0;
  double top = -INFINITY;
  for (double x : r) top = std::max(top, theta * x);
  double sum = 0;
  for (double x : r) sum += std::exp(theta * x - top);
  return top + std::log(sum / double(r.size()));
}

void PriceProcess::setTilt(const ProcessTilt& t) {
  tilted_ = true;
  tilt_ = t;
  tiltedJumpL_ = std::exp(-jumpRate_ * std::exp(t.jumpLogIntensity));
  jumpScale_ = std::exp(t.jumpLogScale);
  tally_ = {};
  blockCdf_ = -1;
  if (m_.kind != PriceModelKind::Bootstrap || t.block == 0) return;
  for (size_t c = 0; c < blockCdfs_.size(); ++c)
    if (blockCdfs_[c].first == t.block) blockCdf_ = int(c);
  if (blockCdf_ >= 0) return;
  if (blockReturns_.empty()) blockReturns_ = blockReturns(m_);
  const std::vector<double>& r = blockReturns_;
  double top = -INFINITY;
  for (double x : r) top = std::max(top, t.block * x);
  std::vector<double> cdf(r.size());
  double acc = 0;
  for (size_t b = 0; b < r.size(); ++b) cdf[b] = acc += std::exp(t.block * r[b] - top);
  if (blockCdfs_.size() >= 64) blockCdfs_.erase(blockCdfs_.begin());  // a mixture has a few components per level
  blockCdfs_.emplace_back(t.block, std::move(cdf));
  blockCdf_ = int(blockCdfs_.size()) - 1;
}

size_t PriceProcess::nextBlock(Rng& rng) {
  const size_t n = m_.returns.size();
  if (!tilted_) return size_t(rng.uniform() * double(n)) % n;
  // Under the tilt: block b with probability ∝ exp(θ r_b), by one uniform on the cumulative weights
  // (the same draws as the plain choice); tallied for the likelihood ratio (1/B) / q_b.
  size_t b;
  if (blockCdf_ >= 0) {
    const std::vector<double>& cdf = blockCdfs_[size_t(blockCdf_)].second;
    const double u = rng.uniform() * cdf.back();
    b = std::min(n - 1, size_t(std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin()));
  } else {
    b = size_t(rng.uniform() * double(n)) % n;
  }
  if (blockReturns_.empty()) blockReturns_ = blockReturns(m_);
  tally_.blocks += 1;
  tally_.blockSum += blockReturns_[b];
  return b;
}

double PriceProcess::shock(Rng& rng, const double* z) {
  if (z) return *z;  // drawn (and tilted) by the caller
  double e = rng.normal();
  if (tilted_) {
    e += tilt_.z;
    tally_.zSum += e;
    tally_.zCount += 1;
  }
  return e;
}

void PriceProcess::reset(Rng& rng) {
  tilted_ = false;
  tally_ = {};
  if (m_.kind == PriceModelKind::Garch) h_ = omegaStep_ / (1.0 - m_.alpha - m_.beta);
  if (m_.kind == PriceModelKind::Bootstrap) {
    day_ = size_t(rng.uniform() * double(m_.returns.size())) % m_.returns.size();
    blockLeft_ = m_.blockDays;
    stepInDay_ = 0;
  }
}

StepMove PriceProcess::step(Rng& rng, const double* z) {
  StepMove s;
  switch (m_.kind) {
    case PriceModelKind::Gbm:
      s.diffusion = driftPerStep_ + sigmaStep_ * shock(rng, z);
      s.variance = sigmaStep_ * sigmaStep_;
      break;
    case PriceModelKind::Merton: {
      s.diffusion = driftPerStep_ + sigmaStep_ * shock(rng, z);
      s.variance = sigmaStep_ * sigmaStep_;
      if (!tilted_) {
        const int n = jumpRate_ > 0 ? rng.poissonBelow(jumpL_) : 0;
        for (int i = 0; i < n; ++i) s.jump += m_.jumpMean + m_.jumpStdev * rng.normal();
      } else if (jumpRate_ > 0) {
        const int n = rng.poissonBelow(tiltedJumpL_);
        tally_.jumps += n;
        tally_.jumpSteps += 1;
        for (int i = 0; i < n; ++i) {
          s.jump += m_.jumpMean + m_.jumpStdev * drawTiltedJump(rng, jumpScale_, tilt_.jumpShift, tally_);
        }
      }
      break;
    }
    case PriceModelKind::StudentT: {
      // Draw order kept from the single-market engine (gamma, then the normal).
      const double chi2 = 2.0 * rng.gamma(0.5 * m_.dof);
      // A tilt shifts the normal inside the t ratio (the chi-square is not tilted).
      const double t = shock(rng, z) / std::sqrt(chi2 / m_.dof);
      s.diffusion = (m_.driftPerYear / 365.0) * dt_ - 0.5 * sigmaStep_ * sigmaStep_ + sigmaStep_ * tScale_ * t;
      break;
    }
    case PriceModelKind::Garch: {
      double e = shock(rng, z);
      if (m_.dof <= 1e5) e = tScale_ * e / std::sqrt(2.0 * rng.gamma(0.5 * m_.dof) / m_.dof);
      const double eps = std::sqrt(h_) * e;
      s.diffusion = (m_.driftPerYear / 365.0) * dt_ - 0.5 * h_ + eps;
      h_ = omegaStep_ + m_.alpha * eps * eps + m_.beta * h_;
      break;
    }
    case PriceModelKind::Bootstrap: {
      // Block bootstrap of daily returns; a day's return is spread evenly over its steps.
      s.diffusion = m_.returns[day_] / stepsPerDay_;
      if (++stepInDay_ == stepsPerDay_) {
        stepInDay_ = 0;
        if (--blockLeft_ == 0) {
          day_ = nextBlock(rng);
          blockLeft_ = m_.blockDays;
        } else {
          day_ = (day_ + 1) % m_.returns.size();
        }
      }
      break;
    }
  }
  return s;
}

}  // namespace backstop
