// Weighted Monte Carlo estimators (docs/formulas.md, statistics; docs/model.md, importance sampling).
#include "backstop/stats/weighted.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace backstop {

namespace {
constexpr double kZ95 = 1.959963984540054;  // Φ⁻¹(0.975)
}

WeightedMean weightedMean(double sum, double sumSquares, double n) {
  if (!(n > 0)) return {0, 0};
  const double mean = sum / n;
  // Unbiased sample variance of the per-path values, then the standard error of their mean.
  const double var = n > 1 ? std::max(0.0, (sumSquares - n * mean * mean) / (n - 1)) : 0.0;
  return {mean, std::sqrt(var / n)};
}

std::pair<double, double> normalInterval95(const WeightedMean& m) {
  return {std::clamp(m.mean - kZ95 * m.se, 0.0, 1.0), std::clamp(m.mean + kZ95 * m.se, 0.0, 1.0)};
}

WeightedTail::WeightedTail(const std::vector<double>& values, const std::vector<double>& weights) {
  const size_t n = values.size();
  n_ = double(n);
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t(0));
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  x_.resize(n);
  s1_.assign(n + 1, 0.0);
  s2_.assign(n + 1, 0.0);
  sx_.assign(n + 1, 0.0);
  for (size_t i = 0; i < n; ++i) x_[i] = values[order[i]];
  for (size_t i = n; i-- > 0;) {
    const double w = weights[order[i]];
    s1_[i] = s1_[i + 1] + w;
    s2_[i] = s2_[i + 1] + w * w;
    sx_[i] = sx_[i + 1] + (std::isfinite(x_[i]) ? w * x_[i] : 0.0);
  }
}

size_t WeightedTail::firstAbove(double u) const { return size_t(std::upper_bound(x_.begin(), x_.end(), u) - x_.begin()); }

WeightedMean WeightedTail::above(double u) const {
  const size_t i = firstAbove(u);
  return weightedMean(s1_[i], s2_[i], n_);
}

double WeightedTail::quantileAbove(double a) const {
  if (x_.empty()) return 0.0;
  // P̂(X > x) is non-increasing along the sorted sample: the first value where it is <= a.
  for (size_t i = 0; i < x_.size(); i = firstAbove(x_[i]))
    if (s1_[firstAbove(x_[i])] / n_ <= a) return x_[i];
  return x_.back();
}

std::pair<double, double> WeightedTail::quantileAboveInterval95(double a) const {
  double lo = NAN, hi = NAN;
  for (size_t i = 0; i < x_.size() && std::isnan(hi); i = firstAbove(x_[i])) {
    const WeightedMean p = above(x_[i]);
    if (std::isnan(lo) && p.mean - kZ95 * p.se <= a) lo = x_[i];
    if (p.mean + kZ95 * p.se <= a) hi = x_[i];
  }
  return {lo, hi};
}

double WeightedTail::expectedShortfall(double a) const {
  if (x_.empty() || !(a > 0)) return max();
  const double v = quantileAbove(a);
  const size_t i = firstAbove(v);
  return (sx_[i] / n_ + v * (a - s1_[i] / n_)) / a;
}

double WeightedTail::mean() const { return n_ > 0 ? sx_[0] / n_ : 0.0; }

double weightedQuantile(const std::vector<double>& values, const std::vector<double>& weights, double p) {
  if (values.empty()) return 0.0;
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), size_t(0));
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  double total = 0;
  for (double w : weights) total += w;
  double acc = 0;
  for (size_t i : order) {
    acc += weights[i];
    if (acc >= p * total) return values[i];
  }
  return values[order.back()];
}

}  // namespace backstop
