// `backstop calibrate --format markdown`: one row per fitted model, each parameter with its
// standard error, best (lowest AIC) marked.
#include <sstream>
#include <string>

#include "format.hpp"

namespace backstop::cli {

std::string calibrateMarkdown(const Json& result) {
  std::ostringstream out;
  out << "### backstop calibrate\n\n" << fmtNumber(result.value("observations", Json())) << " prices, "
      << fmtNumber(result.value("interval_days", Json())) << " day(s) apart\n\n"
      << "| model | log-likelihood | AIC | parameters (± standard error) |\n|---|---|---|---|\n";
  const std::string best = result.value("best", Json()).is_string() ? result["best"].get<std::string>() : "";
  for (const Json& f : result.value("fits", Json::array())) {
    const std::string kind = f.value("kind", "");
    out << "| " << kind << (kind == best ? " (best)" : "") << " | " << fmtNumber(f.value("log_likelihood", Json()))
        << " | " << fmtNumber(f.value("aic", Json())) << " | ";
    if (kind == "bootstrap") {
      out << f["price_model"]["returns"].size() << " returns, blocks of " << f["price_model"]["block_days"] << " days";
    } else {
      std::string sep;
      for (auto it = f["parameters"].begin(); it != f["parameters"].end(); ++it) {
        out << sep << it.key() << " = " << fmtNumber(*it);
        const Json& se = f["standard_errors"][it.key()];
        if (!se.is_null()) out << " ± " << fmtNumber(se);
        sep = ", ";
      }
      if (!f.value("converged", true)) out << " (not converged)";
    }
    out << " |\n";
  }
  for (const Json& n : result.value("notes", Json::array())) out << "\n- " << text(n);
  if (!result.value("notes", Json::array()).empty()) out << "\n";
  return out.str();
}

}  // namespace backstop::cli
