#include "backstop/io/calibrate_json.hpp"

#include "backstop/io/json_read.hpp"

namespace backstop {

namespace {
Json optional(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

Json estimates(const std::vector<calibrate::Estimate>& es, bool errors) {
  Json out = Json::object();
  for (const auto& e : es) out[e.name] = errors ? optional(e.standardError) : Json(e.value);
  return out;
}
}  // namespace

Json priceModelToJson(const PriceModel& m) {
  Json j = jsonObject({{"kind", calibrate::toString(m.kind)}});
  switch (m.kind) {
    case PriceModelKind::Gbm:
    case PriceModelKind::StudentT:
    case PriceModelKind::Merton:
      j["daily_volatility"] = m.dailyVolatility;
      j["drift_per_year"] = m.driftPerYear;
      if (m.kind == PriceModelKind::StudentT) j["dof"] = m.dof;
      if (m.kind == PriceModelKind::Merton) {
        j["jump_intensity_per_year"] = m.jumpIntensityPerYear;
        j["jump_mean"] = m.jumpMean;
        j["jump_stdev"] = m.jumpStdev;
      }
      break;
    case PriceModelKind::Garch:
      j["drift_per_year"] = m.driftPerYear;
      j["omega"] = m.omega;
      j["alpha"] = m.alpha;
      j["beta"] = m.beta;
      j["dof"] = m.dof;
      break;
    case PriceModelKind::Bootstrap:
      j["returns"] = m.returns;
      j["block_days"] = m.blockDays;
      break;
  }
  return j;
}

Json calibrationToJson(const calibrate::CalibrationResult& r) {
  Json fits = Json::array();
  for (const auto& f : r.fits) {
    fits.push_back(jsonObject({{"kind", calibrate::toString(f.kind)},
                               {"price_model", priceModelToJson(f.priceModel)},
                               {"log_likelihood", optional(f.logLikelihood)},
                               {"aic", optional(f.aic)},
                               {"parameter_count", f.parameterCount},
                               {"parameters", estimates(f.parameters, false)},
                               {"standard_errors", estimates(f.parameters, true)},
                               {"fit_parameters", estimates(f.fitParameters, false)},
                               {"fit_standard_errors", estimates(f.fitParameters, true)},
                               {"converged", f.converged}}));
  }
  return jsonObject(
      {{"observations", r.observations},
       {"interval_days", r.intervalDays},
       {"fits", fits},
       {"best", r.best ? Json(calibrate::toString(r.fits[*r.best].kind)) : Json(nullptr)},
       {"notes", r.notes}});
}

Json calibrateCommand(const Json& input, const RunOptions&) {
  Issues issues;
  if (!input.is_object())
    throw InputError(ErrorCode::InvalidInput,
                     {{"", "must be a JSON object {\"csv\": text} or {\"prices\": [...]}, got " + describeJson(input)}});
  Reader r(&input, "", issues);
  const std::string model = r.choice("model", std::string("all"), {"gbm", "student_t", "merton", "garch", "bootstrap", "all"});
  const std::optional<double> interval = r.optionalNumber("interval_days");
  const bool hasCsv = r.present("csv"), hasPrices = r.present("prices");
  std::string csv;
  std::vector<double> prices;
  if (hasCsv) csv = r.string("csv", std::nullopt);
  if (hasPrices) prices = r.numbers("prices", true, calibrate::limits::kMaxPrices);
  if (hasCsv == hasPrices) issues.add("", "give exactly one of \"csv\" (CSV text) or \"prices\" (an array of prices)");
  r.rejectUnknown();
  issues.throwIfAny();
  const calibrate::ReturnSeries series =
      hasCsv ? calibrate::readPriceCsv(csv, interval) : calibrate::returnsFromPrices(prices, interval.value_or(1.0));
  std::vector<calibrate::FitKind> kinds;
  if (model == "all") kinds = calibrate::allFitKinds();
  else kinds = {*calibrate::fitKindFromString(model)};
  return calibrationToJson(calibrate::calibrate(series, kinds));
}

}  // namespace backstop
