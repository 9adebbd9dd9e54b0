// Calibration: maximum-likelihood fits of backstop's price models (docs/formulas.md#price-models) to
// the log-returns of a price series. Pure numerics: the JSON edge is io/calibrate_json.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "backstop/errors.hpp"
#include "backstop/market/price_csv.hpp"
#include "backstop/model/scenario.hpp"

namespace backstop::calibrate {

namespace limits {
inline constexpr std::size_t kMinReturns = 30;        // fewer cannot pin a tail or a GARCH
inline constexpr std::size_t kMaxPrices = 1000000;    // as many as a bootstrap model may hold
inline constexpr std::size_t kMaxCsvBytes = 32u << 20;
inline constexpr double kMaxAbsLogReturn = 5;         // the bootstrap model's bound (×148 in one step)
inline constexpr double kSpacingTolerance = 0.5;      // a step may differ from the median by 50 %
}  // namespace limits

// Log-returns of consecutive prices with their spacing.
struct ReturnSeries {
  std::vector<double> returns;
  double intervalDays = 1;
  std::size_t observations = 0;  // prices
  std::string timeColumn;        // "" when the spacing came from interval_days
};

// A price CSV as market/price_csv.hpp reads it, then at least kMinReturns + 1 prices, evenly
// spaced. Errors are InputErrors at `pointer` whose messages name the line. `intervalDays`: the spacing when
// there is no time column (default 1); giving it with a time column is an error.
ReturnSeries readPriceCsv(const std::string& text, std::optional<double> intervalDays,
                          const std::string& pointer = "/csv");
// The same checks for prices given as numbers (JS arrays); errors name the index.
ReturnSeries returnsFromPrices(const std::vector<double>& prices, double intervalDays,
                               const std::string& pointer = "/prices");
using backstop::parseTimestampDays;  // market/price_csv.hpp

// The fitted kinds are the engine's price-model kinds; one name table for both.
using FitKind = PriceModelKind;
const char* toString(FitKind k);  // "gbm", "student_t", ... as in the scenario format
std::optional<FitKind> fitKindFromString(const std::string& s);
const std::vector<FitKind>& allFitKinds();

struct Estimate {
  std::string name;
  double value = 0;
  std::optional<double> standardError;  // from the observed information; none at a boundary
};

struct Fit {
  FitKind kind = FitKind::Gbm;
  PriceModel priceModel;                // usable as a scenario's price_model
  std::optional<double> logLikelihood;  // full log density of the returns; none for bootstrap
  std::optional<double> aic;
  int parameterCount = 0;
  std::vector<Estimate> parameters;     // backstop's names (daily_volatility, dof, ...)
  std::vector<Estimate> fitParameters;  // the textbook form (as MASS::fitdistr / fGarch name them)
  bool converged = true;
};

struct CalibrationResult {
  std::size_t observations = 0;
  double intervalDays = 1;
  std::vector<Fit> fits;
  std::optional<std::size_t> best;  // index of the lowest AIC
  std::vector<std::string> notes;
};

CalibrationResult calibrate(const ReturnSeries& series, const std::vector<FitKind>& kinds);

Fit fitGbm(const std::vector<double>& r, double dtDays);
Fit fitStudentT(const std::vector<double>& r, double dtDays);
Fit fitMerton(const std::vector<double>& r, double dtDays);
Fit fitGarch(const std::vector<double>& r, double dtDays);

// Log-likelihoods in each model's textbook parameters (all constants included).
double normalLogLikelihood(const std::vector<double>& r, double mean, double sd);
double studentTLogLikelihood(const std::vector<double>& r, double location, double scale, double dof);
// Per-interval: drift a, diffusion sd s, jump rate lambda, log jump N(mj, sj).
double mertonLogLikelihood(const std::vector<double>& r, double a, double s, double lambda, double mj, double sj);
// fGarch's garch(1,1) with standardised-t ("std") innovations, initialised as fGarch does.
double garchLogLikelihood(const std::vector<double>& r, double mu, double omega, double alpha, double beta,
                          double shape);

// Minimisers and derivatives (optimize.cpp).
struct Minimum {
  std::vector<double> x;
  double f = 0;
  int evaluations = 0;
  bool converged = false;
};
using Objective = std::function<double(const std::vector<double>&)>;
Minimum nelderMead(const Objective& f, std::vector<double> x0, const std::vector<double>& step,
                   double tolerance = 1e-10, int maxEvaluations = 20000);
// Central-difference Hessian with steps h[i].
std::vector<std::vector<double>> hessian(const Objective& f, const std::vector<double>& x,
                                         const std::vector<double>& h);
// Inverse of a symmetric positive-definite matrix (Cholesky); nullopt if it is not.
std::optional<std::vector<std::vector<double>>> inverseSpd(std::vector<std::vector<double>> a);

}  // namespace backstop::calibrate
