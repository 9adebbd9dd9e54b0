// Calibration against independent values: R's fits of the DAX 1991-1998 closes
// (tests/reference/calibrate_reference.R and its printed .out), closed forms, parameters
// recovered from long series simulated by the engine's own price process, the optimiser on
// known functions, and CSV errors that name the line.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <map>

#include "backstop/io/api.hpp"
#include "backstop/calibrate/calibrate.hpp"
#include "backstop/io/calibrate_json.hpp"
#include "backstop/market/price_model.hpp"

using namespace backstop;
using namespace backstop::calibrate;

namespace {

std::string readFile(const std::string& rel) {
  std::ifstream f(std::string(BACKSTOP_SOURCE_DIR) + "/" + rel, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

const ReturnSeries& dax() {
  static const ReturnSeries s = readPriceCsv(readFile("tests/data/dax-1991-1998.csv"), std::nullopt);
  return s;
}

double get(const std::vector<Estimate>& es, const std::string& name, bool se = false) {
  for (const auto& e : es)
    if (e.name == name) return se ? e.standardError.value_or(NAN) : e.value;
  ADD_FAILURE() << "no estimate " << name;
  return NAN;
}

// The message of the InputError `f` throws (and its pointer), or "" if it does not throw.
template <class F>
std::pair<std::string, std::string> errorOf(F f) {
  try {
    f();
  } catch (const InputError& e) {
    return {e.errors().at(0).pointer, e.errors().at(0).message};
  }
  return {"", ""};
}

std::string csvOf(const std::vector<double>& prices, const std::string& header = "close") {
  std::string s = header + "\n";
  for (double p : prices) s += formatValue(p) + "\n";
  return s;
}

std::vector<double> simulateReturns(const PriceModel& m, int n, std::uint64_t seed) {
  PriceProcess proc(m, 1);
  Rng rng(seed, 0);
  proc.reset(rng);
  std::vector<double> r(n);
  for (auto& x : r) {
    const StepMove s = proc.step(rng);
    x = s.diffusion + s.jump;
  }
  return r;
}

}  // namespace

// ---- the optimiser and the derivatives on known functions ----

TEST(CalibrateOptimizer, NelderMeadFindsTheRosenbrockMinimum) {
  const auto rosen = [](const std::vector<double>& x) {
    return 100 * std::pow(x[1] - x[0] * x[0], 2) + std::pow(1 - x[0], 2);
  };
  const Minimum m = nelderMead(rosen, {-1.2, 1.0}, {0.5, 0.5}, 1e-14, 20000);
  EXPECT_TRUE(m.converged);
  EXPECT_NEAR(m.x[0], 1.0, 1e-5);
  EXPECT_NEAR(m.x[1], 1.0, 1e-5);
  EXPECT_LT(m.f, 1e-10);
}

TEST(CalibrateOptimizer, NelderMeadFindsAShiftedIllScaledQuadraticIn5D) {
  const std::vector<double> c = {3, -2, 0.5, 10, -7}, w = {1, 100, 0.01, 5, 1000};
  const auto q = [&](const std::vector<double>& x) {
    double s = 4.25;
    for (size_t i = 0; i < x.size(); ++i) s += w[i] * (x[i] - c[i]) * (x[i] - c[i]);
    return s;
  };
  const Minimum m = nelderMead(q, {0, 0, 0, 0, 0}, {1, 1, 1, 1, 1}, 1e-15, 50000);
  for (size_t i = 0; i < c.size(); ++i) EXPECT_NEAR(m.x[i], c[i], 1e-3 / std::sqrt(w[i])) << i;
  EXPECT_NEAR(m.f, 4.25, 1e-9);
}

TEST(CalibrateOptimizer, HessianAndInverseOfAKnownQuadratic) {
  // f = x² + 3xy + 5y²: Hessian [[2, 3], [3, 10]], inverse [[10, -3], [-3, 2]] / 11.
  const auto f = [](const std::vector<double>& x) { return x[0] * x[0] + 3 * x[0] * x[1] + 5 * x[1] * x[1]; };
  const auto H = hessian(f, {0.3, -0.7}, {1e-3, 1e-3});
  EXPECT_NEAR(H[0][0], 2, 1e-6);
  EXPECT_NEAR(H[0][1], 3, 1e-6);
  EXPECT_NEAR(H[1][1], 10, 1e-6);
  const auto inv = inverseSpd(H);
  ASSERT_TRUE(inv.has_value());
  EXPECT_NEAR((*inv)[0][0], 10.0 / 11, 1e-6);
  EXPECT_NEAR((*inv)[0][1], -3.0 / 11, 1e-6);
  EXPECT_NEAR((*inv)[1][1], 2.0 / 11, 1e-6);
  EXPECT_FALSE(inverseSpd({{1, 2}, {2, 1}}).has_value());  // indefinite
}

// ---- real data against R (tests/reference/calibrate_reference.out) ----

TEST(CalibrateDax, ReadsTheCommittedSeries) {
  EXPECT_EQ(dax().observations, 1860u);
  EXPECT_EQ(dax().returns.size(), 1859u);
  EXPECT_EQ(dax().intervalDays, 1.0);
}

TEST(CalibrateDax, GbmIsTheNormalMleWithClosedFormStandardErrors) {
  const Fit f = fitGbm(dax().returns, 1.0);
  EXPECT_NEAR(*f.logLikelihood, 5868.60397588305, 1e-6);
  const double m = 0.000652041747691327, sd = 0.0102980656946821, n = 1859;
  EXPECT_NEAR(get(f.fitParameters, "mean"), m, 1e-15);
  EXPECT_NEAR(get(f.fitParameters, "sd"), sd, 1e-14);
  // Fisher information of N(m, sd²): SE(m) = sd/√n, SE(sd) = sd/√(2n).
  EXPECT_NEAR(get(f.fitParameters, "mean", true), sd / std::sqrt(n), 1e-6 * sd / std::sqrt(n));
  EXPECT_NEAR(get(f.fitParameters, "sd", true), sd / std::sqrt(2 * n), 1e-6 * sd / std::sqrt(2 * n));
  // backstop: σ = sd, μ = 365(m + σ²/2); SE(μ)² = 365²(sd²/n + σ²·sd²/(2n)) by the delta method.
  EXPECT_NEAR(f.priceModel.dailyVolatility, sd, 1e-14);
  EXPECT_NEAR(f.priceModel.driftPerYear, 365 * (m + 0.5 * sd * sd), 1e-12);
  EXPECT_NEAR(get(f.parameters, "drift_per_year", true),
              365 * std::sqrt(sd * sd / n + sd * sd * sd * sd / (2 * n)), 1e-6);
  EXPECT_NEAR(*f.aic, 4 - 2 * 5868.60397588305, 1e-6);
}

TEST(CalibrateDax, StudentTMatchesFitdistr) {
  const Fit f = fitStudentT(dax().returns, 1.0);
  // MASS::fitdistr(x, "t") with its defaults stops 0.2 short of the optimum; with parameters
  // scaled to their size (the second block of the .out) it reaches it.
  EXPECT_NEAR(*f.logLikelihood, 5983.1225083075, 0.5);
  EXPECT_GE(*f.logLikelihood, 5983.1225083075);
  EXPECT_NEAR(*f.logLikelihood, 5983.32186593695, 1e-6);
  const std::map<std::string, std::pair<double, double>> r = {
      {"location", {0.000784721053040649, 0.000205573944262248}},
      {"scale", {0.00753879063080117, 0.000221941162038132}},
      {"dof", {4.19449005659678, 0.441139212226342}}};
  // fitdistr's standard errors (optimHess, differences of a numerical gradient) are within
  // 3 % of ours; the observed information by central differences in R agrees to 1e-4.
  const std::map<std::string, double> central = {
      {"location", 0.000205377102621346}, {"scale", 0.00022725328354899}, {"dof", 0.442137737265063}};
  for (const auto& [name, vs] : r) {
    EXPECT_NEAR(get(f.fitParameters, name), vs.first, 1e-4 * vs.second) << name;
    EXPECT_NEAR(get(f.fitParameters, name, true), vs.second, 0.03 * vs.second) << name;
    EXPECT_NEAR(get(f.fitParameters, name, true), central.at(name), 1e-4 * central.at(name)) << name;
  }
  // The engine's unit-variance scaling: scale = σ·√((ν−2)/ν) per day.
  const double dof = f.priceModel.dof;
  EXPECT_NEAR(f.priceModel.dailyVolatility * std::sqrt((dof - 2) / dof), get(f.fitParameters, "scale"), 1e-15);
}

TEST(CalibrateDax, GarchMatchesFGarch) {
  // fGarch's own likelihood at its estimate: checks the density and the h_1 initialisation.
  EXPECT_NEAR(garchLogLikelihood(dax().returns, 0.000764050862067847, 2.16304923326991e-06, 0.0790223389310717,
                                 0.903585053382062, 6.03837361946882),
              6065.74295453951, 1e-6);
  const Fit f = fitGarch(dax().returns, 1.0);
  EXPECT_NEAR(*f.logLikelihood, 6065.74295453951, 0.01);
  const std::map<std::string, std::pair<double, double>> r = {
      {"mu", {0.000764050862067847, 0.000188862466495757}}, {"omega", {2.16304923326991e-06, 8.62020735057353e-07}},
      {"alpha1", {0.0790223389310717, 0.0161748115756726}}, {"beta1", {0.903585053382062, 0.0201019640718792}},
      {"shape", {6.03837361946882, 0.814052221082418}}};
  for (const auto& [name, vs] : r) {
    EXPECT_NEAR(get(f.fitParameters, name), vs.first, 0.02 * vs.second) << name;
    EXPECT_NEAR(get(f.fitParameters, name, true), vs.second, 0.1 * vs.second) << name;
  }
  // Mapped as the engine reads it: ω per day, the −h/2 of the engine's mean in the drift.
  EXPECT_EQ(f.priceModel.omega, get(f.fitParameters, "omega"));
  EXPECT_EQ(f.priceModel.dof, get(f.fitParameters, "shape"));
  const double longRun = f.priceModel.omega / (1 - f.priceModel.alpha - f.priceModel.beta);
  EXPECT_NEAR(f.priceModel.driftPerYear, 365 * (get(f.fitParameters, "mu") + 0.5 * longRun), 1e-12);
}

TEST(CalibrateDax, MertonMatchesAnIndependentROptim) {
  EXPECT_NEAR(mertonLogLikelihood(dax().returns, 0.000992704803324514, 0.00604912685639333, 0.570707434259207,
                                  -0.000596914064024053, 0.0107561082297028),
              5978.48557018672, 1e-6);
  const Fit f = fitMerton(dax().returns, 1.0);
  EXPECT_NEAR(*f.logLikelihood, 5978.48557018672, 0.01);
  const std::map<std::string, double> r = {{"drift", 0.000992704803324514}, {"sd", 0.00604912685639333},
                                           {"lambda", 0.570707434259207}, {"jump_mean", -0.000596914064024053},
                                           {"jump_sd", 0.0107561082297028}};
  for (const auto& [name, v] : r)
    EXPECT_NEAR(get(f.fitParameters, name), v, 0.02 * get(f.fitParameters, name, true)) << name;
}

TEST(CalibrateDax, AllModelsBestIsTheLowestAic) {
  const CalibrationResult c = calibrate::calibrate(dax(), allFitKinds());
  ASSERT_EQ(c.fits.size(), 5u);
  ASSERT_TRUE(c.best.has_value());
  EXPECT_EQ(c.fits[*c.best].kind, FitKind::Garch);  // 6065.7 with 5 parameters beats the rest
  for (const Fit& f : c.fits)
    if (f.aic) EXPECT_LE(*c.fits[*c.best].aic, *f.aic);
  EXPECT_EQ(c.fits.back().kind, FitKind::Bootstrap);
  EXPECT_EQ(c.fits.back().priceModel.returns.size(), 1859u);
  EXPECT_FALSE(c.fits.back().logLikelihood.has_value());
}

TEST(CalibrateDax, EveryPriceModelIsAValidScenarioPriceModel) {
  Json doc = {{"csv", readFile("tests/data/dax-1991-1998.csv")}};
  const Json out = dispatch("calibrate", doc, RunOptions{});
  EXPECT_EQ(out["observations"], 1860);
  EXPECT_EQ(out["best"], "garch");
  Json scenario = Json::parse(readFile("scenarios/default.json"));
  for (const Json& f : out["fits"]) {
    scenario["price_model"] = f["price_model"];
    const Json v = dispatch("validate", scenario, RunOptions{});
    EXPECT_TRUE(v["valid"].get<bool>()) << f["kind"] << ": " << v.dump();
  }
}

// ---- parameters recovered from series simulated by the engine (one step per day) ----

TEST(CalibrateRecovery, Gbm) {
  PriceModel m;
  m.kind = PriceModelKind::Gbm;
  m.dailyVolatility = 0.03;
  m.driftPerYear = 0.5;
  const Fit f = fitGbm(simulateReturns(m, 20000, 11), 1.0);
  EXPECT_NEAR(f.priceModel.dailyVolatility, 0.03, 4 * get(f.parameters, "daily_volatility", true));
  EXPECT_NEAR(f.priceModel.driftPerYear, 0.5, 4 * get(f.parameters, "drift_per_year", true));
}

TEST(CalibrateRecovery, StudentT) {
  PriceModel m;
  m.kind = PriceModelKind::StudentT;
  m.dailyVolatility = 0.04;
  m.driftPerYear = 0.2;
  m.dof = 3.5;
  const Fit f = fitStudentT(simulateReturns(m, 20000, 12), 1.0);
  EXPECT_NEAR(f.priceModel.dailyVolatility, 0.04, 4 * get(f.parameters, "daily_volatility", true));
  EXPECT_NEAR(f.priceModel.dof, 3.5, 4 * get(f.parameters, "dof", true));
  EXPECT_NEAR(f.priceModel.driftPerYear, 0.2, 4 * get(f.parameters, "drift_per_year", true));
}

TEST(CalibrateRecovery, Merton) {
  PriceModel m;
  m.kind = PriceModelKind::Merton;
  m.dailyVolatility = 0.025;
  m.driftPerYear = 0.1;
  m.jumpIntensityPerYear = 20;
  m.jumpMean = -0.05;
  m.jumpStdev = 0.08;
  const Fit f = fitMerton(simulateReturns(m, 20000, 13), 1.0);
  const std::map<std::string, double> truth = {{"daily_volatility", 0.025}, {"drift_per_year", 0.1},
                                               {"jump_intensity_per_year", 20}, {"jump_mean", -0.05},
                                               {"jump_stdev", 0.08}};
  for (const auto& [name, v] : truth) EXPECT_NEAR(get(f.parameters, name), v, 4 * get(f.parameters, name, true)) << name;
}

TEST(CalibrateRecovery, Garch) {
  PriceModel m;
  m.kind = PriceModelKind::Garch;
  m.omega = 2e-5;
  m.alpha = 0.1;
  m.beta = 0.85;
  m.dof = 5;
  const Fit f = fitGarch(simulateReturns(m, 20000, 14), 1.0);
  const std::map<std::string, double> truth = {{"omega", 2e-5}, {"alpha", 0.1}, {"beta", 0.85}, {"dof", 5}};
  for (const auto& [name, v] : truth) EXPECT_NEAR(get(f.parameters, name), v, 4 * get(f.parameters, name, true)) << name;
}

// ---- the CSV reader ----

TEST(CalibrateCsv, TimestampsIsoAndUnixSecondsAgree) {
  EXPECT_EQ(*parseTimestampDays("1970-01-02"), 1.0);
  EXPECT_EQ(*parseTimestampDays("86400"), 1.0);
  EXPECT_NEAR(*parseTimestampDays("2024-02-29T12:00:00Z"), 19782.5, 1e-9);  // 1709208000 s
  EXPECT_NEAR(*parseTimestampDays("1709208000"), 19782.5, 1e-9);
  EXPECT_NEAR(*parseTimestampDays("2024-02-29T14:00:00+02:00"), 19782.5, 1e-9);
  EXPECT_NEAR(*parseTimestampDays("2024-02-29 12:00"), 19782.5, 1e-9);
  EXPECT_FALSE(parseTimestampDays("2023-02-29").has_value());
  EXPECT_FALSE(parseTimestampDays("1709208000000").has_value());  // milliseconds
  EXPECT_FALSE(parseTimestampDays("yesterday").has_value());
}

TEST(CalibrateCsv, HourlyTimestampsGiveTheSpacing) {
  std::string s = "Timestamp,Open,Close\n";
  double p = 100;
  for (int i = 0; i < 40; ++i, p *= (i % 3 ? 1.01 : 0.985))
    s += std::to_string(1700000000 + 3600 * i) + ",1," + formatValue(p) + "\r\n";
  const ReturnSeries r = readPriceCsv(s, std::nullopt);
  EXPECT_NEAR(r.intervalDays, 1.0 / 24, 1e-12);
  EXPECT_EQ(r.returns.size(), 39u);
  EXPECT_NEAR(r.returns[0], std::log(1.01), 1e-12);
  EXPECT_EQ(r.timeColumn, "Timestamp");
}

TEST(CalibrateCsv, ErrorsNameTheLine) {
  std::vector<double> ok(40);
  for (size_t i = 0; i < ok.size(); ++i) ok[i] = 100 + double(i % 7);
  const std::string good = csvOf(ok);
  auto expect = [](const std::string& text, const std::string& pointer, const std::string& part) {
    const auto [p, msg] = errorOf([&] { readPriceCsv(text, std::nullopt); });
    EXPECT_EQ(p, pointer) << text.substr(0, 60);
    EXPECT_NE(msg.find(part), std::string::npos) << msg;
  };
  std::string bad = good;
  bad.replace(bad.find("\n105\n"), 5, "\nabc\n");  // line 7
  expect(bad, "/csv", "line 7: price \"abc\" is not a number");
  bad = good;
  bad.replace(bad.find("\n103\n"), 5, "\n-103\n");  // line 5
  expect(bad, "/csv", "line 5: price \"-103\" must be positive");
  expect("# comment\nclose\n0\n", "/csv", "line 3: price \"0\" must be positive");
  expect("date,close\n2024-01-01,1\n2024-01-02\n", "/csv", "line 3: has 1 field, the header has 2");
  expect("date,close\n2024-01-02,1\n2024-01-01,2\n", "/csv", "line 3: date \"2024-01-01\" is not after the previous row's (line 2)");
  expect("date,close\n2024-01-01,1\n2024-01-01,2\n", "/csv", "line 3");
  std::string gap = "date,close\n";
  for (int d = 1; d <= 28; ++d) gap += "2024-02-" + std::string(d < 10 ? "0" : "") + std::to_string(d) + "," + std::to_string(100 + d % 3) + "\n";
  for (int d = 5; d <= 20; ++d) gap += "2024-03-" + std::string(d < 10 ? "0" : "") + std::to_string(d) + "," + std::to_string(100 + d % 3) + "\n";
  expect(gap, "/csv", "line 30: 6 days after the previous row, but the series is spaced 1 days");
  expect("date,close\n2024-01-01,1\nJan 2,2\n", "/csv", "line 3: date \"Jan 2\" is neither an ISO 8601");
  expect(csvOf({100, 101, 102}), "/csv", "line 4: the file ends after 3 prices; calibration needs at least 31");
  expect("open,high\n1,2\n", "/csv", "line 1: the header \"open,high\" has no price column");
  expect("date,time,close\n", "/csv", "line 1: the header has 2 time columns (date, time)");
  expect("", "/csv", "is empty");
  std::vector<double> jump = ok;
  jump[2] = 1e5;
  expect(csvOf(jump), "/csv", "line 4: the price moves from 101 to 100000");
  std::vector<double> flat(40, 7.0);
  expect(csvOf(flat), "/csv", "the price never changes");
  const auto [p, msg] = errorOf([&] { readPriceCsv("date,close\n2024-01-01,1\n", 1.0); });
  EXPECT_EQ(p, "/interval_days");
  EXPECT_NE(msg.find("give one or the other"), std::string::npos);
  EXPECT_EQ(errorOf([&] { returnsFromPrices({1, 2, -3}, 1); }).first, "/prices/2");
  EXPECT_EQ(errorOf([&] { readPriceCsv(good, 0.0); }).first, "/interval_days");
}

TEST(CalibrateCsv, IntervalDaysScalesTheDailyParameters) {
  // The same returns read as weekly: σ per day is √7 smaller, the drift per year 7 times.
  const Fit daily = fitGbm(dax().returns, 1.0), weekly = fitGbm(dax().returns, 7.0);
  EXPECT_NEAR(weekly.priceModel.dailyVolatility, daily.priceModel.dailyVolatility / std::sqrt(7.0), 1e-15);
  EXPECT_NEAR(*weekly.logLikelihood, *daily.logLikelihood, 1e-9);
  const CalibrationResult c = calibrate::calibrate({dax().returns, 7.0, 1860, ""}, allFitKinds());
  EXPECT_EQ(c.fits.size(), 4u);  // no bootstrap: the engine replays daily returns
  ASSERT_EQ(c.notes.size(), 2u);
}
