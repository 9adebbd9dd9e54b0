// Helpers shared by the ruin sources (claims.cpp, ruin.cpp). Private to the core.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>
#include <boost/math/distributions/complement.hpp>
#include <boost/math/distributions/exponential.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/pareto.hpp>
#include <boost/math/quadrature/gauss.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/tools/roots.hpp>
#include <boost/math/tools/toms748_solve.hpp>

#include "backstop/ruin/ruin.hpp"
#include "backstop/errors.hpp"

namespace backstop {

namespace bm = boost::math;

namespace {


constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kPi = 3.14159265358979323846;
constexpr std::size_t kMaxPointsLimit = std::size_t(1) << 17;

inline bool finite(double v) { return std::isfinite(v); }

// Sorted (value, weight) pairs of an empirical model, zero weights dropped.
inline std::vector<std::pair<double, double>> sortedAtoms(const ClaimModel& m) {
  std::vector<std::pair<double, double>> a;
  const std::size_t n = m.values.size();
  a.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double w = m.weights.empty() ? 1.0 / double(n) : m.weights[i];
    if (w > 0) a.emplace_back(m.values[i], w);
  }
  std::sort(a.begin(), a.end());
  return a;
}

inline double weightOf(const ClaimModel& m, std::size_t i, std::size_t n) {
  return m.weights.empty() ? 1.0 / double(n) : m.weights[i];
}

inline double logSumExp(const std::vector<double>& x) {
  double mx = -kInf;
  for (double v : x) mx = std::max(mx, v);
  if (!finite(mx)) return mx;
  double s = 0;
  for (double v : x) s += std::exp(v - mx);
  return mx + std::log(s);
}

// d/dr E[e^{rX}] at r (only where the MGF exists).
inline double mgfDerivative(const ClaimModel& m, double r) {
  switch (m.kind) {
    case ClaimKind::Exponential: return m.mean / ((1 - m.mean * r) * (1 - m.mean * r));
    case ClaimKind::Gamma: return m.shape * m.scale * std::pow(1 - m.scale * r, -m.shape - 1);
    case ClaimKind::ExponentialMixture: {
      double s = 0;
      for (std::size_t i = 0; i < m.means.size(); ++i)
        s += m.weights[i] * m.means[i] / ((1 - m.means[i] * r) * (1 - m.means[i] * r));
      return s;
    }
    case ClaimKind::Empirical: {
      double s = 0;
      const std::size_t n = m.values.size();
      for (std::size_t i = 0; i < n; ++i) s += weightOf(m, i, n) * m.values[i] * std::exp(r * m.values[i]);
      return s;
    }
    default: return kInf;
  }
}

// Φ(z)/φ(z) for z ≤ −5 by its continued fraction 1/(x + 1/(x + 2/(x + ...))), x = −z.
inline double millsRatioLowerTail(double z) {
  const double x = -z;
  double f = x;
  for (int k = 200; k >= 1; --k) f = x + k / f;
  return 1.0 / f;
}

inline double logNormalCdf(double z) {
  if (z > -30) return std::log(bm::cdf(bm::normal_distribution<double>(0, 1), z));
  return -0.5 * z * z - 0.5 * std::log(2 * kPi) + std::log(millsRatioLowerTail(z));
}


inline void needPositive(double v, const std::string& ptr, Issues& issues) {
  if (!(finite(v) && v > 0)) issues.add(ptr, "must be a positive finite number, got " + formatValue(v));
}

inline void checkWeights(const std::vector<double>& w, std::size_t n, const std::string& ptr, Issues& issues) {
  if (w.size() != n) {
    issues.add(ptr, "must have one entry per " + std::string(n ? "value" : "entry") + " (" +
                        std::to_string(n) + "), got " + std::to_string(w.size()));
    return;
  }
  double sum = 0;
  bool ok = true;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (!(finite(w[i]) && w[i] >= 0 && w[i] <= 1)) {
      issues.add(ptr + "/" + std::to_string(i), "must be in [0, 1], got " + formatValue(w[i]));
      ok = false;
    } else {
      sum += w[i];
    }
  }
  if (ok && std::fabs(sum - 1) > 1e-9)
    issues.add(ptr, "must sum to 1 (within 1e-9), got a sum of " + formatValue(sum));
}
}  // namespace
}  // namespace backstop
