// The JSON edge of calibration: the `calibrate` command's input and its output document.
#pragma once

#include "backstop/io/api.hpp"
#include "backstop/calibrate/calibrate.hpp"

namespace backstop {

// A scenario `price_model` object for a typed model (only the fields its kind reads).
Json priceModelToJson(const PriceModel& m);

// { "observations", "interval_days", "fits": [ { "kind", "price_model", "log_likelihood",
//   "aic", "parameters", "standard_errors", "fit_parameters", "converged" } ], "best", "notes" }
Json calibrationToJson(const calibrate::CalibrationResult& r);

// Input { "csv": text | "prices": [numbers], "model": "gbm"|...|"all", "interval_days" }.
Json calibrateCommand(const Json& input, const RunOptions& options);

}  // namespace backstop
