// Intervals and quantiles of Monte Carlo samples (docs/formulas.md, statistics).
#include "backstop/stats/intervals.hpp"

#include <algorithm>
#include <cmath>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/normal.hpp>

namespace backstop {

std::pair<double, double> wilson95(double k, double n) {
  if (n <= 0) return {0.0, 1.0};
  // Wilson score interval (Wilson 1927); z = Φ⁻¹(0.975).
  const double z = boost::math::quantile(boost::math::complement(boost::math::normal_distribution<>(), 0.025));
  const double p = k / n, z2 = z * z;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
  // Rounding must not push the interval off the estimate at k = 0 or k = n.
  return {k <= 0 ? 0.0 : std::max(0.0, centre - half), k >= n ? 1.0 : std::min(1.0, centre + half)};
}

std::pair<double, double> quantileInterval95(const std::vector<double>& sorted, double p) {
  // Order-statistic interval: ranks from Binomial(n, p) quantiles (e.g. Hahn & Meeker 1991, §5.2).
  const size_t n = sorted.size();
  if (n == 0) return {0.0, 0.0};
  boost::math::binomial_distribution<> bin(double(n), p);
  double lo = boost::math::quantile(bin, 0.025);
  double hi = boost::math::quantile(boost::math::complement(bin, 0.025)) + 1;
  const size_t l = size_t(std::clamp(lo, 1.0, double(n))) - 1;
  const size_t h = size_t(std::clamp(hi, 1.0, double(n))) - 1;
  return {sorted[l], sorted[h]};
}



namespace {
// Type-1 empirical quantile's index: the smallest value with at least p of the sample at or below it.
size_t typeOneIndex(double p, size_t n) {
  return size_t(std::clamp(std::ceil(p * double(n)), 1.0, double(n))) - 1;
}
}  // namespace

double quantileSorted(const std::vector<double>& v, double p) {
  if (v.empty()) return 0.0;
  return v[typeOneIndex(p, v.size())];
}

std::vector<double> quantilesBySelection(std::vector<double>& v, const std::vector<double>& ps) {
  std::vector<double> out;
  size_t from = 0;  // v[0, from) holds the smallest values, in place
  for (double p : ps) {
    if (v.empty()) {
      out.push_back(0.0);
      continue;
    }
    const size_t i = typeOneIndex(p, v.size());
    if (i >= from) {
      std::nth_element(v.begin() + std::ptrdiff_t(from), v.begin() + std::ptrdiff_t(i), v.end());
      from = i + 1;
    }
    out.push_back(v[i]);
  }
  return out;
}

double expectedShortfall(const std::vector<double>& sorted, double p) {
  const size_t n = sorted.size();
  if (n == 0) return 0.0;
  const size_t i = typeOneIndex(p, n);
  double s = 0;
  for (size_t j = i; j < n; ++j) s += sorted[j];
  return s / double(n - i);
}

double countAbove(const std::vector<double>& sorted, double u) {
  return double(sorted.end() - std::upper_bound(sorted.begin(), sorted.end(), u));
}

// Mean, VaR and ES (95 %, 99 %) of per-path horizon bad debt.

}  // namespace backstop
