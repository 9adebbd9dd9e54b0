// Weighted Monte Carlo estimators (importance sampling): each path i carries its likelihood
// ratio w_i, and a probability P(X > u) is estimated by Σ w_i 1{x_i > u} / n (unbiased, not
// self-normalised: the weights are exact likelihood ratios; docs/model.md, importance sampling).
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace backstop {

// Mean of per-path values y_i = w_i f(x_i) and its standard error.
struct WeightedMean {
  double mean = 0, se = 0;
};
WeightedMean weightedMean(double sum, double sumSquares, double n);
// The 95 % normal interval of a probability from its weighted estimate, clipped to [0, 1].
std::pair<double, double> normalInterval95(const WeightedMean& m);

// A sample sorted by value with its weights: tail probabilities, quantiles, expected shortfall.
class WeightedTail {
 public:
  WeightedTail(const std::vector<double>& values, const std::vector<double>& weights);
  // Σ w 1{x > u} / n with its standard error.
  WeightedMean above(double u) const;
  // The smallest sample value x with P̂(X > x) <= a (a = 1 − quantile level).
  double quantileAbove(double a) const;
  // Sample values where the 95 % interval of P̂(X > x) first reaches a: an interval for quantileAbove(a).
  std::pair<double, double> quantileAboveInterval95(double a) const;
  // E[X | X >= VaR] at tail probability a (Acerbi–Tasche form, exact for weighted atoms).
  double expectedShortfall(double a) const;
  double mean() const;
  double max() const { return x_.empty() ? 0.0 : x_.back(); }

 private:
  std::vector<double> x_, s1_, s2_, sx_;  // values ascending; suffix sums of w, w², w·x
  double n_ = 0;
  size_t firstAbove(double u) const;
};

// The p-quantile of the weighted distribution (self-normalised weights): for the fan chart.
double weightedQuantile(const std::vector<double>& values, const std::vector<double>& weights, double p);

}  // namespace backstop
