// Claim-size models (docs/formulas.md, ruin): moments, tails, transforms, closed forms, Panjer.
#include "ruin/ruin_detail.hpp"
#include "backstop/model/names.hpp"

namespace backstop {

// ---------------------------------------------------------------------------------------
// Claim models

const char* toString(ClaimKind kind) { return idOf(kind); }

ClaimModel ClaimModel::exponential(double mean) {
  ClaimModel m;
  m.kind = ClaimKind::Exponential;
  m.mean = mean;
  return m;
}
ClaimModel ClaimModel::gamma(double shape, double scale) {
  ClaimModel m;
  m.kind = ClaimKind::Gamma;
  m.shape = shape;
  m.scale = scale;
  return m;
}
ClaimModel ClaimModel::lognormal(double meanlog, double sdlog) {
  ClaimModel m;
  m.kind = ClaimKind::Lognormal;
  m.meanlog = meanlog;
  m.sdlog = sdlog;
  return m;
}
ClaimModel ClaimModel::lomax(double shape, double scale) {
  ClaimModel m;
  m.kind = ClaimKind::Lomax;
  m.shape = shape;
  m.scale = scale;
  return m;
}
ClaimModel ClaimModel::exponentialMixture(std::vector<double> weights, std::vector<double> means) {
  ClaimModel m;
  m.kind = ClaimKind::ExponentialMixture;
  m.weights = std::move(weights);
  m.means = std::move(means);
  return m;
}
ClaimModel ClaimModel::empirical(std::vector<double> values, std::vector<double> weights) {
  ClaimModel m;
  m.kind = ClaimKind::Empirical;
  m.values = std::move(values);
  m.weights = std::move(weights);
  return m;
}


void validateClaimModel(const ClaimModel& m, const std::string& ptr, Issues& issues) {
  switch (m.kind) {
    case ClaimKind::Exponential: needPositive(m.mean, ptr + "/mean", issues); break;
    case ClaimKind::Gamma:
      needPositive(m.shape, ptr + "/shape", issues);
      needPositive(m.scale, ptr + "/scale", issues);
      break;
    case ClaimKind::Lognormal:
      if (!finite(m.meanlog)) issues.add(ptr + "/meanlog", "must be a finite number, got " + formatValue(m.meanlog));
      needPositive(m.sdlog, ptr + "/sdlog", issues);
      if (finite(m.meanlog) && finite(m.sdlog) && m.sdlog > 0 &&
          !(finite(claimMoment(m, 1)) && claimMoment(m, 1) > 0))
        issues.add(ptr + "/sdlog", "gives a mean claim exp(meanlog + sdlog²/2) that is not a finite positive number (meanlog " +
                                       formatValue(m.meanlog) + ", sdlog " + formatValue(m.sdlog) + ")");
      break;
    case ClaimKind::Lomax:
      if (!(finite(m.shape) && m.shape > 1))
        issues.add(ptr + "/shape", "must be > 1 so the mean claim scale/(shape − 1) is finite, got " + formatValue(m.shape));
      needPositive(m.scale, ptr + "/scale", issues);
      break;
    case ClaimKind::ExponentialMixture:
      if (m.means.empty()) issues.add(ptr + "/means", "must have at least one entry");
      if (m.means.size() > kMaxClaimEntries)
        issues.limit(ptr + "/means", "has " + std::to_string(m.means.size()) + " entries, more than the limit of " +
                                         std::to_string(kMaxClaimEntries));
      for (std::size_t i = 0; i < m.means.size(); ++i)
        needPositive(m.means[i], ptr + "/means/" + std::to_string(i), issues);
      checkWeights(m.weights, m.means.size(), ptr + "/weights", issues);
      break;
    case ClaimKind::Empirical:
      if (m.values.empty()) issues.add(ptr + "/values", "must have at least one entry");
      if (m.values.size() > kMaxClaimEntries)
        issues.limit(ptr + "/values", "has " + std::to_string(m.values.size()) + " entries, more than the limit of " +
                                          std::to_string(kMaxClaimEntries));
      for (std::size_t i = 0; i < m.values.size(); ++i)
        needPositive(m.values[i], ptr + "/values/" + std::to_string(i), issues);
      if (!m.weights.empty()) checkWeights(m.weights, m.values.size(), ptr + "/weights", issues);
      break;
  }
}

double claimMoment(const ClaimModel& m, int k) {
  const double fact = k == 1 ? 1 : k == 2 ? 2 : 6;
  switch (m.kind) {
    case ClaimKind::Exponential: return fact * std::pow(m.mean, k);
    case ClaimKind::Gamma: {
      double p = 1;
      for (int i = 0; i < k; ++i) p *= (m.shape + i) * m.scale;
      return p;
    }
    case ClaimKind::Lognormal: return std::exp(k * m.meanlog + 0.5 * k * k * m.sdlog * m.sdlog);
    case ClaimKind::Lomax: {
      if (!(m.shape > k)) return kInf;
      double p = fact;
      for (int i = 1; i <= k; ++i) p *= m.scale / (m.shape - i);
      return p;
    }
    case ClaimKind::ExponentialMixture: {
      double s = 0;
      for (std::size_t i = 0; i < m.means.size(); ++i) s += m.weights[i] * fact * std::pow(m.means[i], k);
      return s;
    }
    case ClaimKind::Empirical: {
      double s = 0;
      const std::size_t n = m.values.size();
      for (std::size_t i = 0; i < n; ++i) s += weightOf(m, i, n) * std::pow(m.values[i], k);
      return s;
    }
  }
  return kInf;
}

double claimSurvival(const ClaimModel& m, double x) {
  if (x < 0) return 1;
  switch (m.kind) {
    case ClaimKind::Exponential:
      return bm::cdf(bm::complement(bm::exponential_distribution<double>(1 / m.mean), x));
    case ClaimKind::Gamma:
      return bm::cdf(bm::complement(bm::gamma_distribution<double>(m.shape, m.scale), x));
    case ClaimKind::Lognormal:
      if (x <= 0) return 1;
      return bm::cdf(bm::complement(bm::lognormal_distribution<double>(m.meanlog, m.sdlog), x));
    case ClaimKind::Lomax:
      // Lomax(shape, scale) is Pareto I(scale, shape) shifted left by scale.
      return bm::cdf(bm::complement(bm::pareto_distribution<double>(m.scale, m.shape), x + m.scale));
    case ClaimKind::ExponentialMixture: {
      double s = 0;
      for (std::size_t i = 0; i < m.means.size(); ++i) s += m.weights[i] * std::exp(-x / m.means[i]);
      return s;
    }
    case ClaimKind::Empirical: {
      double s = 0;
      const std::size_t n = m.values.size();
      for (std::size_t i = 0; i < n; ++i)
        if (m.values[i] > x) s += weightOf(m, i, n);
      return s;
    }
  }
  return 0;
}

double claimIntegratedTail(const ClaimModel& m, double x) {
  if (x < 0) return claimMoment(m, 1) - x;
  switch (m.kind) {
    case ClaimKind::Exponential: return m.mean * std::exp(-x / m.mean);
    case ClaimKind::Gamma: {
      // E[(X − x)+] = s·[(a − z)·Q(a, z) + z·z^{a−1}e^{−z}/Γ(a)], z = x/s; the two terms
      // nearly cancel only for z ≫ a, losing about log10(z/a) digits.
      const double z = x / m.scale;
      const double v = m.scale * ((m.shape - z) * bm::gamma_q(m.shape, z) +
                                  (z > 0 ? z * bm::gamma_p_derivative(m.shape, z) : 0.0));
      return std::max(0.0, v);
    }
    case ClaimKind::Lognormal: {
      if (x <= 0) return claimMoment(m, 1) - x;
      // E[(X − x)+] = e^{m+σ²/2}·Φ̄((ln x − m − σ²)/σ) − x·Φ̄((ln x − m)/σ).
      const bm::normal_distribution<double> n(0, 1);
      const double d = (std::log(x) - m.meanlog) / m.sdlog;
      const double v = claimMoment(m, 1) * bm::cdf(bm::complement(n, d - m.sdlog)) -
                       x * bm::cdf(bm::complement(n, d));
      return std::max(0.0, v);
    }
    case ClaimKind::Lomax:
      return (x + m.scale) / (m.shape - 1) * std::pow(m.scale / (x + m.scale), m.shape);
    case ClaimKind::ExponentialMixture: {
      double s = 0;
      for (std::size_t i = 0; i < m.means.size(); ++i) s += m.weights[i] * m.means[i] * std::exp(-x / m.means[i]);
      return s;
    }
    case ClaimKind::Empirical: {
      double s = 0;
      const std::size_t n = m.values.size();
      for (std::size_t i = 0; i < n; ++i)
        if (m.values[i] > x) s += weightOf(m, i, n) * (m.values[i] - x);
      return s;
    }
  }
  return 0;
}

double mgfAbscissa(const ClaimModel& m) {
  switch (m.kind) {
    case ClaimKind::Exponential: return 1 / m.mean;
    case ClaimKind::Gamma: return 1 / m.scale;
    case ClaimKind::ExponentialMixture: return 1 / *std::max_element(m.means.begin(), m.means.end());
    case ClaimKind::Empirical: return kInf;
    default: return 0;
  }
}

double claimLogMgf(const ClaimModel& m, double r) {
  if (r == 0) return 0;
  if (r >= mgfAbscissa(m)) return kInf;
  switch (m.kind) {
    case ClaimKind::Exponential: return -std::log1p(-m.mean * r);
    case ClaimKind::Gamma: return -m.shape * std::log1p(-m.scale * r);
    case ClaimKind::ExponentialMixture: {
      std::vector<double> t(m.means.size());
      for (std::size_t i = 0; i < t.size(); ++i)
        t[i] = m.weights[i] > 0 ? std::log(m.weights[i]) - std::log1p(-m.means[i] * r) : -kInf;
      return logSumExp(t);
    }
    case ClaimKind::Empirical: {
      const std::size_t n = m.values.size();
      std::vector<double> t(n);
      for (std::size_t i = 0; i < n; ++i) {
        const double w = weightOf(m, i, n);
        t[i] = w > 0 ? std::log(w) + r * m.values[i] : -kInf;
      }
      return logSumExp(t);
    }
    default: return kInf;
  }
}

// ---------------------------------------------------------------------------------------
// Closed forms

double ruinExponential(double u, double premiumRate, double claimRate, double mean) {
  const double theta = premiumRate / (claimRate * mean) - 1;
  if (!(theta > 0)) return 1;
  return std::exp(-theta * u / ((1 + theta) * mean)) / (1 + theta);
}

double ExponentialSum::operator()(double u) const {
  double s = 0;
  for (std::size_t j = 0; j < rates.size(); ++j) s += coefficients[j] * std::exp(-rates[j] * u);
  return s;
}

ExponentialSum ruinExponentialMixture(double c, double lambda, const std::vector<double>& weights,
                                      const std::vector<double>& means) {
  // Merge equal means and drop zero weights: each distinct claim rate β gives one root.
  std::vector<std::pair<double, double>> comp;  // (rate β, weight)
  for (std::size_t i = 0; i < means.size(); ++i)
    if (weights[i] > 0) comp.emplace_back(1 / means[i], weights[i]);
  std::sort(comp.begin(), comp.end());
  std::vector<std::pair<double, double>> merged;
  for (const auto& b : comp) {
    if (!merged.empty() && merged.back().first == b.first) merged.back().second += b.second;
    else merged.push_back(b);
  }
  double mu = 0;
  for (const auto& b : merged) mu += b.second / b.first;
  // g(r) = λ(M_X(r) − 1) − c·r with M_X(r) = Σ w β/(β − r).
  auto g = [&](double r) {
    double m = 0;
    for (const auto& b : merged) m += b.second * b.first / (b.first - r);
    return lambda * (m - 1) - c * r;
  };
  auto dM = [&](double r) {
    double d = 0;
    for (const auto& b : merged) d += b.second * b.first / ((b.first - r) * (b.first - r));
    return d;
  };
  ExponentialSum out;
  const double gap = c - lambda * mu;
  if (!(gap > 0)) return out;
  bm::tools::eps_tolerance<double> tol(52);
  for (std::size_t k = 0; k < merged.size(); ++k) {
    const double right = merged[k].first;
    double lo, hi;
    if (k == 0) {
      // g(0) = 0 and g'(0) = λμ − c < 0: step toward 0 until g < 0.
      lo = right / 2;
      for (int i = 0; i < 2000 && !(g(lo) < 0); ++i) lo /= 2;
    } else {
      const double left = merged[k - 1].first;
      lo = left + (right - left) / 2;
      for (int i = 0; i < 2000 && !(g(lo) < 0); ++i) lo = left + (lo - left) / 2;
    }
    hi = lo + (right - lo) / 2;
    for (int i = 0; i < 2000 && !(g(hi) > 0); ++i) hi = right - (right - hi) / 2;
    std::uintmax_t iters = 300;
    const auto root = bm::tools::toms748_solve(g, lo, hi, g(lo), g(hi), tol, iters);
    const double R = (root.first + root.second) / 2;
    out.rates.push_back(R);
    out.coefficients.push_back(gap / (lambda * dM(R) - c));  // residue of the Laplace transform
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Panjer recursion

std::vector<double> panjer(double a, double b, double g0, const std::vector<double>& f, std::size_t maxS) {
  std::vector<double> g(maxS + 1, 0.0);
  g[0] = g0;
  const double f0 = f.empty() ? 0 : f[0];
  const double norm = 1 / (1 - a * f0);
  for (std::size_t s = 1; s <= maxS; ++s) {
    double acc = 0;
    const std::size_t jmax = std::min(s, f.size() ? f.size() - 1 : 0);
    for (std::size_t j = 1; j <= jmax; ++j) acc += (a + b * double(j) / double(s)) * f[j] * g[s - j];
    g[s] = acc * norm;
  }
  return g;
}

std::vector<double> compoundPoissonPmf(double lambda, const std::vector<double>& f, std::size_t maxS) {
  const double f0 = f.empty() ? 0 : f[0];
  return panjer(0, lambda, std::exp(lambda * (f0 - 1)), f, maxS);
}

std::vector<double> compoundGeometricPmf(double p, const std::vector<double>& f, std::size_t maxS) {
  const double f0 = f.empty() ? 0 : f[0];
  return panjer(p, 0, (1 - p) / (1 - p * f0), f, maxS);
}

std::optional<std::size_t> pmfQuantile(const std::vector<double>& pmf, double level) {
  double cum = 0;
  for (std::size_t s = 0; s < pmf.size(); ++s) {
    cum += pmf[s];
    if (cum >= level) return s;
  }
  return std::nullopt;
}

}  // namespace backstop
