// Maximum-likelihood fits of the price models to log-returns over intervals of Δ days, each
// mapped to backstop's parametrisation as core/src/price_model.cpp reads it:
//   gbm        r = (μ/365 − σ²/2)Δ + σ√Δ Z
//   student_t  r = (μ/365)Δ − σ²Δ/2 + σ√Δ √((ν−2)/ν) T_ν          (unit-variance t)
//   merton     r = (μ/365 − σ²/2 − λ_d k)Δ + σ√Δ Z + Σ_{N~Poi(λ_dΔ)} J,  J ~ N(μ_J, σ_J²), k = e^{μ_J+σ_J²/2} − 1
//   garch      h' = ω + α ε² + β h per day, ε = √h e, e unit-variance t_ν, mean μ/365 − h/2
// with μ = drift_per_year, σ = daily_volatility, λ_d = jump_intensity_per_year / 365.
// Standard errors: the inverse of the observed information (the negative Hessian of the
// log-likelihood at the optimum, by central differences: the log-likelihoods are smooth in
// the interior, and a relative step of 1e-4 makes the truncation error O(1e-8) while the
// rounding error stays far below it for any series length), carried to backstop's
// parameters by the delta method with a finite-difference Jacobian.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/tools/minima.hpp>

#include "backstop/calibrate/calibrate.hpp"

namespace backstop::calibrate {

namespace {

constexpr double kLog2Pi = 1.8378770664093454836;
constexpr double kInf = std::numeric_limits<double>::infinity();

struct Moments {
  double mean = 0, variance = 0;
};
Moments moments(const std::vector<double>& r) {
  Moments m;
  for (double x : r) m.mean += x;
  m.mean /= double(r.size());
  for (double x : r) m.variance += (x - m.mean) * (x - m.mean);
  m.variance /= double(r.size());
  return m;
}

using Map = std::function<std::vector<double>(const std::vector<double>&)>;

// Fills the fit's estimates from the textbook parameters θ at the optimum: SEs from the
// observed information, and backstop's parameters g(θ) with SEs by the delta method.
void fillEstimates(Fit& fit, const Objective& logLik, const std::vector<double>& theta,
                   const std::vector<double>& scale, const std::vector<std::string>& thetaNames, const Map& g,
                   const std::vector<std::string>& names) {
  const size_t n = theta.size();
  std::vector<double> h(n);
  for (size_t i = 0; i < n; ++i) h[i] = 1e-4 * std::max(std::fabs(theta[i]), scale[i]);
  auto H = hessian(logLik, theta, h);
  for (auto& row : H)
    for (auto& v : row) v = -v;
  const auto cov = inverseSpd(H);
  for (size_t i = 0; i < n; ++i) {
    Estimate e{thetaNames[i], theta[i], std::nullopt};
    if (cov && (*cov)[i][i] > 0) e.standardError = std::sqrt((*cov)[i][i]);
    fit.fitParameters.push_back(e);
  }
  const std::vector<double> value = g(theta);
  std::vector<std::vector<double>> J(value.size(), std::vector<double>(n));
  for (size_t j = 0; j < n; ++j) {
    std::vector<double> up = theta, down = theta;
    up[j] += h[j];
    down[j] -= h[j];
    const auto gu = g(up), gd = g(down);
    for (size_t i = 0; i < value.size(); ++i) J[i][j] = (gu[i] - gd[i]) / (2 * h[j]);
  }
  for (size_t i = 0; i < value.size(); ++i) {
    Estimate e{names[i], value[i], std::nullopt};
    if (cov) {
      double v = 0;
      for (size_t a = 0; a < n; ++a)
        for (size_t b = 0; b < n; ++b) v += J[i][a] * (*cov)[a][b] * J[i][b];
      if (v > 0) e.standardError = std::sqrt(v);
    }
    fit.parameters.push_back(e);
  }
  const double ll = logLik(theta);
  fit.logLikelihood = ll;
  fit.parameterCount = int(n);
  fit.aic = 2.0 * double(n) - 2.0 * ll;
}

double logStudentTDensityConst(double dof) {
  return std::lgamma(0.5 * (dof + 1)) - std::lgamma(0.5 * dof) - 0.5 * std::log(dof * M_PI);
}

}  // namespace

const char* toString(FitKind k) {
  switch (k) {
    case FitKind::Gbm: return "gbm";
    case FitKind::StudentT: return "student_t";
    case FitKind::Merton: return "merton";
    case FitKind::Garch: return "garch";
    case FitKind::Bootstrap: return "bootstrap";
  }
  return "gbm";
}

const std::vector<FitKind>& allFitKinds() {
  static const std::vector<FitKind> all = {FitKind::Gbm, FitKind::StudentT, FitKind::Merton, FitKind::Garch,
                                           FitKind::Bootstrap};
  return all;
}

std::optional<FitKind> fitKindFromString(const std::string& s) {
  for (FitKind k : allFitKinds())
    if (s == toString(k)) return k;
  return std::nullopt;
}

double normalLogLikelihood(const std::vector<double>& r, double mean, double sd) {
  if (!(sd > 0)) return -kInf;
  double ss = 0;
  for (double x : r) ss += (x - mean) * (x - mean);
  const double n = double(r.size());
  return -0.5 * n * kLog2Pi - n * std::log(sd) - 0.5 * ss / (sd * sd);
}

double studentTLogLikelihood(const std::vector<double>& r, double location, double scale, double dof) {
  if (!(scale > 0) || !(dof > 0)) return -kInf;
  double s = 0;
  for (double x : r) {
    const double z = (x - location) / scale;
    s += std::log1p(z * z / dof);
  }
  const double n = double(r.size());
  return n * (logStudentTDensityConst(dof) - std::log(scale)) - 0.5 * (dof + 1) * s;
}

double mertonLogLikelihood(const std::vector<double>& r, double a, double s, double lambda, double mj, double sj) {
  if (!(s > 0) || !(lambda >= 0) || !(sj > 0) || !(lambda <= 1000)) return -kInf;
  // Poisson weights up to the N where the remaining mass is below 1e-12: for n + 2 > λ the
  // tail after n is at most p(n+1)/(1 − λ/(n+2)) (a geometric bound on p(k+1)/p(k) = λ/(k+1)).
  std::vector<double> logc, mean, inv2var;  // per term: log weight − ½log(2π var), mean, 1/(2 var)
  double logp = -lambda;                     // log P(N = 0)
  for (int n = 0;; ++n) {
    const double var = s * s + n * sj * sj;
    logc.push_back(logp - 0.5 * (kLog2Pi + std::log(var)));
    mean.push_back(a + n * mj);
    inv2var.push_back(0.5 / var);
    const double logNext = logp + std::log(lambda) - std::log(n + 1.0);
    if (lambda == 0 || (n + 2 > lambda && logNext - std::log1p(-lambda / (n + 2)) < std::log(1e-12))) break;
    logp = logNext;
  }
  double ll = 0;
  std::vector<double> term(logc.size());
  for (double x : r) {
    double mx = -kInf;
    for (size_t n = 0; n < logc.size(); ++n) {
      const double d = x - mean[n];
      term[n] = logc[n] - d * d * inv2var[n];
      mx = std::max(mx, term[n]);
    }
    double sum = 0;
    for (double t : term) sum += std::exp(t - mx);
    ll += mx + std::log(sum);
  }
  return ll;
}

double garchLogLikelihood(const std::vector<double>& r, double mu, double omega, double alpha, double beta,
                          double shape) {
  if (!(shape > 2) || !(omega > 0) || !(alpha >= 0) || !(beta >= 0)) return -kInf;
  // fGarch 4022.89 (.aparchLLH.filter, init.rec = "mci"): h_1 = ω + (α + β)·mean(z²) with
  // z = r − μ at the current μ, then h_t = ω + α z_{t−1}² + β h_{t−1}; every observation
  // enters the likelihood (llh.start = 1). Checked against garchFit in calibrate_reference.R.
  double h = 0;
  for (double x : r) h += (x - mu) * (x - mu);
  h = omega + (alpha + beta) * h / double(r.size());
  // fGarch's dstd: the t density scaled to unit variance, s = √(ν/(ν−2)).
  const double c = logStudentTDensityConst(shape) + 0.5 * std::log(shape / (shape - 2));
  const double k = 1.0 / (shape - 2);
  double ll = 0, prev = 0;
  for (size_t t = 0; t < r.size(); ++t) {
    if (t > 0) h = omega + alpha * prev * prev + beta * h;
    if (!(h > 0) || !std::isfinite(h)) return -kInf;
    const double z = r[t] - mu;
    ll += c - 0.5 * std::log(h) - 0.5 * (shape + 1) * std::log1p(z * z / h * k);
    prev = z;
  }
  return ll;
}

Fit fitGbm(const std::vector<double>& r, double dt) {
  const Moments m = moments(r);
  Fit fit;
  fit.kind = FitKind::Gbm;
  const std::vector<double> theta = {m.mean, std::sqrt(m.variance)};
  const Map g = [dt](const std::vector<double>& t) {
    const double sigma = t[1] / std::sqrt(dt);
    return std::vector<double>{sigma, 365.0 * (t[0] / dt + 0.5 * sigma * sigma)};
  };
  fillEstimates(fit, [&](const std::vector<double>& t) { return normalLogLikelihood(r, t[0], t[1]); }, theta,
                {theta[1], theta[1]}, {"mean", "sd"}, g, {"daily_volatility", "drift_per_year"});
  fit.priceModel.kind = PriceModelKind::Gbm;
  fit.priceModel.dailyVolatility = fit.parameters[0].value;
  fit.priceModel.driftPerYear = fit.parameters[1].value;
  return fit;
}

Fit fitStudentT(const std::vector<double>& r, double dt) {
  const Moments m = moments(r);
  // For a fixed ν the location and scale come from the ECM iteration of Liu & Rubin (1995),
  // "ML estimation of the t distribution using EM and its extensions, ECM and ECME":
  // weights w = (ν+1)/(ν+z²); each step does not decrease the likelihood. ν is then a 1-D
  // profile maximisation over log(ν−2) by Brent's method (the engine needs ν > 2).
  double loc = m.mean, scale = std::sqrt(m.variance);
  auto profile = [&](double dof) {
    for (int it = 0; it < 2000; ++it) {
      double sw = 0, swx = 0;
      std::vector<double> w(r.size());
      for (size_t i = 0; i < r.size(); ++i) {
        const double z = (r[i] - loc) / scale;
        w[i] = (dof + 1) / (dof + z * z);
        sw += w[i];
        swx += w[i] * r[i];
      }
      const double newLoc = swx / sw;
      double ss = 0;
      for (size_t i = 0; i < r.size(); ++i) ss += w[i] * (r[i] - newLoc) * (r[i] - newLoc);
      const double newScale = std::sqrt(ss / double(r.size()));
      const bool done = std::fabs(newLoc - loc) <= 1e-13 * scale && std::fabs(newScale / scale - 1) <= 1e-13;
      loc = newLoc;
      scale = newScale;
      if (done) break;
    }
    return studentTLogLikelihood(r, loc, scale, dof);
  };
  const auto best = boost::math::tools::brent_find_minima(
      [&](double u) { return -profile(2 + std::exp(u)); }, std::log(1e-3), std::log(1e5),
      std::numeric_limits<double>::digits / 2);
  const double dof = 2 + std::exp(best.first);
  profile(dof);
  Fit fit;
  fit.kind = FitKind::StudentT;
  const std::vector<double> theta = {loc, scale, dof};
  const Map g = [dt](const std::vector<double>& t) {
    const double sigma = t[1] / std::sqrt(dt * (t[2] - 2) / t[2]);
    return std::vector<double>{sigma, 365.0 * (t[0] / dt + 0.5 * sigma * sigma), t[2]};
  };
  fillEstimates(fit, [&](const std::vector<double>& t) { return studentTLogLikelihood(r, t[0], t[1], t[2]); },
                theta, {scale, scale, dof}, {"location", "scale", "dof"}, g,
                {"daily_volatility", "drift_per_year", "dof"});
  fit.converged = best.first < std::log(1e5) - 1e-6;  // at the upper end the returns look normal
  fit.priceModel.kind = PriceModelKind::StudentT;
  fit.priceModel.dailyVolatility = fit.parameters[0].value;
  fit.priceModel.driftPerYear = fit.parameters[1].value;
  fit.priceModel.dof = dof;
  return fit;
}

Fit fitMerton(const std::vector<double>& r, double dt) {
  const Moments m = moments(r);
  const double sd = std::sqrt(m.variance);
  // Unconstrained coordinates scaled to the data: (a/sd, log(s/sd), log λ, μ_J/sd, log(σ_J/sd)).
  auto theta = [sd](const std::vector<double>& u) {
    return std::vector<double>{u[0] * sd, std::exp(u[1]) * sd, std::exp(u[2]), u[3] * sd, std::exp(u[4]) * sd};
  };
  auto negLL = [&](const std::vector<double>& u) {
    if (u[2] > std::log(50.0) || std::fabs(u[1]) > 30 || std::fabs(u[4]) > 30) return kInf;
    const auto t = theta(u);
    return -mertonLogLikelihood(r, t[0], t[1], t[2], t[3], t[4]);
  };
  // Several starts (few small jumps, rarer large ones): the mixture likelihood is multimodal.
  // Each start is run to a loose tolerance; only the best is then polished.
  Minimum best;
  best.f = kInf;
  const std::vector<double> step = {0.1, 0.2, 0.5, 0.5, 0.3};
  for (double lambda : {0.02, 0.1, 0.5})
    for (double jumpSize : {2.0, 5.0}) {
      Minimum mm = nelderMead(negLL, {m.mean / sd, std::log(0.7), std::log(lambda), 0.0, std::log(jumpSize)}, step,
                              1e-7, 1500);
      if (mm.f < best.f) best = mm;
    }
  const int used = best.evaluations;
  best = nelderMead(negLL, best.x, {0.02, 0.04, 0.1, 0.1, 0.06}, 1e-12, 20000);
  best.evaluations += used;
  Fit fit;
  fit.kind = FitKind::Merton;
  fit.converged = best.converged && best.x[2] < std::log(50.0) - 1e-3;
  const std::vector<double> t = theta(best.x);
  const Map g = [dt](const std::vector<double>& p) {
    const double sigma = p[1] / std::sqrt(dt);
    const double lambdaDay = p[2] / dt;
    const double k = std::exp(p[3] + 0.5 * p[4] * p[4]) - 1;
    return std::vector<double>{sigma, 365.0 * (p[0] / dt + 0.5 * sigma * sigma + lambdaDay * k), 365.0 * lambdaDay,
                               p[3], p[4]};
  };
  fillEstimates(
      fit, [&](const std::vector<double>& p) { return mertonLogLikelihood(r, p[0], p[1], p[2], p[3], p[4]); }, t,
      {sd, t[1], t[2], sd, t[4]}, {"drift", "sd", "lambda", "jump_mean", "jump_sd"}, g,
      {"daily_volatility", "drift_per_year", "jump_intensity_per_year", "jump_mean", "jump_stdev"});
  PriceModel& pm = fit.priceModel;
  pm.kind = PriceModelKind::Merton;
  pm.dailyVolatility = fit.parameters[0].value;
  pm.driftPerYear = fit.parameters[1].value;
  pm.jumpIntensityPerYear = fit.parameters[2].value;
  pm.jumpMean = fit.parameters[3].value;
  pm.jumpStdev = fit.parameters[4].value;
  return fit;
}

Fit fitGarch(const std::vector<double>& r, double dt) {
  const Moments m = moments(r);
  const double sd = std::sqrt(m.variance);
  // Coordinates: (μ/sd, log(ω/var), α, β, log(ν−2)); α, β ≥ 0 and α + β < 1 (stationary,
  // as the engine requires) by an infinite objective outside.
  auto theta = [&](const std::vector<double>& u) {
    return std::vector<double>{u[0] * sd, std::exp(u[1]) * m.variance, u[2], u[3], 2 + std::exp(u[4])};
  };
  auto negLL = [&](const std::vector<double>& u) {
    if (u[2] < 0 || u[3] < 0 || u[2] + u[3] >= 1 || std::fabs(u[1]) > 50 || u[4] > std::log(1e5)) return kInf;
    const auto t = theta(u);
    return -garchLogLikelihood(r, t[0], t[1], t[2], t[3], t[4]);
  };
  // fGarch's start: α = 0.1, β = 0.8, ω = 0.1·var, shape 4.
  Minimum best = nelderMead(negLL, {m.mean / sd, std::log(0.1), 0.1, 0.8, std::log(2.0)}, {0.1, 0.5, 0.05, 0.05, 0.3},
                            1e-12, 40000);
  Fit fit;
  fit.kind = FitKind::Garch;
  fit.converged = best.converged;
  const std::vector<double> t = theta(best.x);
  // Backstop's ω is per day (the engine adds ω/steps_per_day per step); the mean −h/2 of
  // the engine is folded into the drift at the stationary variance ω/(1 − α − β).
  const Map g = [dt](const std::vector<double>& p) {
    const double longRun = p[1] / (1 - p[2] - p[3]);
    return std::vector<double>{365.0 / dt * (p[0] + 0.5 * longRun), p[1] / dt, p[2], p[3], p[4]};
  };
  fillEstimates(
      fit, [&](const std::vector<double>& p) { return garchLogLikelihood(r, p[0], p[1], p[2], p[3], p[4]); }, t,
      {sd, t[1], 0.01, 0.01, t[4]}, {"mu", "omega", "alpha1", "beta1", "shape"}, g,
      {"drift_per_year", "omega", "alpha", "beta", "dof"});
  PriceModel& pm = fit.priceModel;
  pm.kind = PriceModelKind::Garch;
  pm.driftPerYear = fit.parameters[0].value;
  pm.omega = fit.parameters[1].value;
  pm.alpha = fit.parameters[2].value;
  pm.beta = fit.parameters[3].value;
  pm.dof = fit.parameters[4].value;
  return fit;
}

CalibrationResult calibrate(const ReturnSeries& series, const std::vector<FitKind>& kinds) {
  CalibrationResult out;
  out.observations = series.observations;
  out.intervalDays = series.intervalDays;
  const auto& r = series.returns;
  const double dt = series.intervalDays;
  for (FitKind k : kinds) {
    switch (k) {
      case FitKind::Gbm: out.fits.push_back(fitGbm(r, dt)); break;
      case FitKind::StudentT: out.fits.push_back(fitStudentT(r, dt)); break;
      case FitKind::Merton: out.fits.push_back(fitMerton(r, dt)); break;
      case FitKind::Garch:
        out.fits.push_back(fitGarch(r, dt));
        if (std::fabs(dt - 1) > 1e-6)
          out.notes.push_back("garch: fitted per " + formatValue(dt) +
                              "-day step; omega is per day, and the model is exact for steps_per_day = 1/" +
                              formatValue(dt));
        break;
      case FitKind::Bootstrap: {
        // The engine replays daily returns: other spacings cannot be held as they are.
        if (std::fabs(dt - 1) > 1e-6) {
          out.notes.push_back("bootstrap: left out, the engine replays daily returns and these are " +
                              formatValue(dt) + " days apart");
          break;
        }
        Fit f;
        f.kind = FitKind::Bootstrap;
        f.priceModel.kind = PriceModelKind::Bootstrap;
        f.priceModel.returns = r;
        f.priceModel.blockDays = 5;
        out.fits.push_back(std::move(f));
        break;
      }
    }
  }
  for (size_t i = 0; i < out.fits.size(); ++i)
    if (out.fits[i].aic && (!out.best || *out.fits[i].aic < *out.fits[*out.best].aic)) out.best = i;
  return out;
}

}  // namespace backstop::calibrate
