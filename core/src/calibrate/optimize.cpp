// Nelder–Mead and finite-difference derivatives for the calibration fits.
//
// Why a hand-written minimiser: Boost.Math 1.74 (Debian 12, the version the wasm and native
// builds share) has only 1-D minimisers (brent_find_minima, used where a fit profiles down to
// one dimension) and no multivariate one; the project's dependency list has no other C++
// optimisation library. Nelder–Mead needs no gradient (the GARCH and Merton likelihoods
// have none in closed form) and is restarted from its best point until a restart no longer
// improves, the usual remedy for its premature collapse (McKinnon 1998). Tested on known
// functions in tests/native/test_calibrate.cpp.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "backstop/calibrate/calibrate.hpp"

namespace backstop::calibrate {

namespace {

// One Nelder–Mead run with the dimension-adaptive coefficients of Gao & Han (2012),
// "Implementing the Nelder-Mead simplex algorithm with adaptive parameters", Comput. Optim. Appl. 51.
Minimum nelderMeadOnce(const Objective& f, const std::vector<double>& x0, const std::vector<double>& step,
                       double tol, int maxEval) {
  const size_t n = x0.size();
  const double dn = double(n);
  const double alpha = 1, gamma = 1 + 2 / dn, rho = 0.75 - 1 / (2 * dn), sigma = 1 - 1 / dn;
  int evals = 0;
  auto eval = [&](const std::vector<double>& x) {
    ++evals;
    const double v = f(x);
    return std::isfinite(v) ? v : std::numeric_limits<double>::infinity();
  };
  std::vector<std::vector<double>> p(n + 1, x0);
  std::vector<double> fv(n + 1);
  for (size_t i = 0; i < n; ++i) p[i + 1][i] += step[i];
  for (size_t i = 0; i <= n; ++i) fv[i] = eval(p[i]);
  std::vector<size_t> order(n + 1);
  bool converged = false;
  while (evals < maxEval) {
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return fv[a] < fv[b]; });
    const size_t best = order[0], worst = order[n], second = order[n - 1];
    // Converged when the values agree and the simplex has shrunk (both relative).
    double size = 0;
    for (size_t i = 0; i <= n; ++i)
      for (size_t k = 0; k < n; ++k)
        size = std::max(size, std::fabs(p[i][k] - p[best][k]) / std::max(std::fabs(step[k]), 1e-300));
    if (std::isfinite(fv[worst]) && fv[worst] - fv[best] <= tol * (std::fabs(fv[best]) + tol) && size <= 1e-7) {
      converged = true;
      break;
    }
    std::vector<double> c(n, 0.0);
    for (size_t i = 0; i <= n; ++i)
      if (i != worst)
        for (size_t k = 0; k < n; ++k) c[k] += p[i][k] / dn;
    auto along = [&](double t) {
      std::vector<double> x(n);
      for (size_t k = 0; k < n; ++k) x[k] = c[k] + t * (p[worst][k] - c[k]);
      return x;
    };
    const std::vector<double> xr = along(-alpha);
    const double fr = eval(xr);
    if (fr < fv[best]) {
      const std::vector<double> xe = along(-alpha * gamma);
      const double fe = eval(xe);
      if (fe < fr) p[worst] = xe, fv[worst] = fe;
      else p[worst] = xr, fv[worst] = fr;
      continue;
    }
    if (fr < fv[second]) {
      p[worst] = xr, fv[worst] = fr;
      continue;
    }
    const bool outside = fr < fv[worst];
    const std::vector<double> xc = along(outside ? -alpha * rho : rho);
    const double fc = eval(xc);
    if (fc < (outside ? fr : fv[worst])) {
      p[worst] = xc, fv[worst] = fc;
      continue;
    }
    for (size_t i = 0; i <= n; ++i) {
      if (i == best) continue;
      for (size_t k = 0; k < n; ++k) p[i][k] = p[best][k] + sigma * (p[i][k] - p[best][k]);
      fv[i] = eval(p[i]);
    }
  }
  const size_t best = size_t(std::min_element(fv.begin(), fv.end()) - fv.begin());
  return {p[best], fv[best], evals, converged};
}

}  // namespace

Minimum nelderMead(const Objective& f, std::vector<double> x0, const std::vector<double>& step, double tol,
                   int maxEvaluations) {
  Minimum best = nelderMeadOnce(f, x0, step, tol, maxEvaluations);
  // Restart with a fresh simplex at the best point until a restart no longer improves.
  for (int restart = 0; restart < 20 && best.evaluations < maxEvaluations; ++restart) {
    std::vector<double> small(step.size());
    for (size_t k = 0; k < step.size(); ++k) small[k] = step[k] * 0.1;
    Minimum again = nelderMeadOnce(f, best.x, small, tol, maxEvaluations - best.evaluations);
    again.evaluations += best.evaluations;
    const bool improved = again.f < best.f - tol * (std::fabs(best.f) + tol);
    if (again.f <= best.f) {
      best.x = again.x;
      best.f = again.f;
    }
    best.evaluations = again.evaluations;
    best.converged = again.converged;
    if (!improved) break;
  }
  return best;
}

std::vector<std::vector<double>> hessian(const Objective& f, const std::vector<double>& x,
                                         const std::vector<double>& h) {
  const size_t n = x.size();
  std::vector<std::vector<double>> H(n, std::vector<double>(n, 0.0));
  const double f0 = f(x);
  auto at = [&](size_t i, double di, size_t j, double dj) {
    std::vector<double> y = x;
    y[i] += di;
    y[j] += dj;
    return f(y);
  };
  for (size_t i = 0; i < n; ++i) {
    H[i][i] = (at(i, h[i], i, 0) - 2 * f0 + at(i, -h[i], i, 0)) / (h[i] * h[i]);
    for (size_t j = 0; j < i; ++j) {
      H[i][j] = H[j][i] = (at(i, h[i], j, h[j]) - at(i, h[i], j, -h[j]) - at(i, -h[i], j, h[j]) +
                           at(i, -h[i], j, -h[j])) /
                          (4 * h[i] * h[j]);
    }
  }
  return H;
}

std::optional<std::vector<std::vector<double>>> inverseSpd(std::vector<std::vector<double>> a) {
  const size_t n = a.size();
  // Cholesky a = L Lᵀ, then the inverse column by column.
  std::vector<std::vector<double>> L(n, std::vector<double>(n, 0.0));
  for (size_t j = 0; j < n; ++j) {
    double d = a[j][j];
    for (size_t k = 0; k < j; ++k) d -= L[j][k] * L[j][k];
    if (!(d > 0) || !std::isfinite(d)) return std::nullopt;
    L[j][j] = std::sqrt(d);
    for (size_t i = j + 1; i < n; ++i) {
      double s = a[i][j];
      for (size_t k = 0; k < j; ++k) s -= L[i][k] * L[j][k];
      L[i][j] = s / L[j][j];
    }
  }
  std::vector<std::vector<double>> inv(n, std::vector<double>(n, 0.0));
  for (size_t c = 0; c < n; ++c) {
    std::vector<double> y(n, 0.0), x(n, 0.0);
    for (size_t i = 0; i < n; ++i) {
      double s = i == c ? 1.0 : 0.0;
      for (size_t k = 0; k < i; ++k) s -= L[i][k] * y[k];
      y[i] = s / L[i][i];
    }
    for (size_t i = n; i-- > 0;) {
      double s = y[i];
      for (size_t k = i + 1; k < n; ++k) s -= L[k][i] * x[k];
      x[i] = s / L[i][i];
    }
    for (size_t i = 0; i < n; ++i) inv[i][c] = x[i];
  }
  return inv;
}

}  // namespace backstop::calibrate
