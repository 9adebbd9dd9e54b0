// Intervals and quantiles of Monte Carlo samples.
#pragma once

#include <utility>
#include <vector>

namespace backstop {

// Wilson score interval (95 %) for k successes in n trials.
std::pair<double, double> wilson95(double k, double n);
// Distribution-free 95 % interval for the p-quantile of n sorted values (order statistics).
std::pair<double, double> quantileInterval95(const std::vector<double>& sorted, double p);
// Type-1 empirical quantile of sorted values: the smallest with at least p of the sample at or below it.
double quantileSorted(const std::vector<double>& sorted, double p);
// The same type-1 quantiles of unsorted values, for ps ascending, by selection (std::nth_element:
// O(n) per quantile instead of a sort); reorders `values`.
std::vector<double> quantilesBySelection(std::vector<double>& values, const std::vector<double>& ps);
// Mean of the sorted values from the p-quantile up (expected shortfall).
double expectedShortfall(const std::vector<double>& sorted, double p);
// How many sorted values exceed u.
double countAbove(const std::vector<double>& sorted, double u);

}  // namespace backstop
