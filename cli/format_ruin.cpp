// `backstop ruin --format markdown`: a table a delegate can paste into a forum post, each
// number next to the method that produced it.
#include <sstream>
#include <string>

#include "format.hpp"

namespace backstop::cli {

namespace {

const Json& at(const Json& j, const char* key) {
  static const Json null;
  if (!j.is_object()) return null;
  auto it = j.find(key);
  return it == j.end() ? null : *it;
}

std::string method(const Json& result, const char* key) {
  const Json& m = at(at(result, "methods"), key);
  return m.is_string() ? m.get<std::string>() : "";
}

// "n/a (heavy tail)" and friends for nulls, from the method's own explanation.
std::string value(const Json& v, const std::string& why) {
  if (!v.is_null()) return fmtNumber(v);
  if (why.find("heavy tail") != std::string::npos) return "n/a (heavy tail)";
  if (why.find("theta <= 0") != std::string::npos) return "n/a (ruin certain)";
  if (why.find("E[X^3]") != std::string::npos) return "n/a (infinite third moment)";
  if (why.find("E[X^2]") != std::string::npos) return "n/a (infinite variance)";
  return "n/a";
}

std::string stripNa(const std::string& m) { return m.rfind("n/a: ", 0) == 0 ? m.substr(5) : m; }

std::string claimText(const Json& claim) {
  const std::string d = at(claim, "distribution").is_string() ? at(claim, "distribution").get<std::string>() : "?";
  auto list = [](const Json& a) {
    if (!a.is_array()) return std::string("?");
    std::string s;
    for (size_t i = 0; i < a.size() && i < 8; ++i) s += (i ? ", " : "") + fmtNumber(a[i]);
    if (a.size() > 8) s += ", ... (" + std::to_string(a.size()) + " values)";
    return s;
  };
  if (d == "exponential") return "exponential, mean " + fmtNumber(at(claim, "mean"));
  if (d == "gamma") return "gamma, shape " + fmtNumber(at(claim, "shape")) + ", scale " + fmtNumber(at(claim, "scale"));
  if (d == "lognormal")
    return "lognormal, meanlog " + fmtNumber(at(claim, "meanlog")) + ", sdlog " + fmtNumber(at(claim, "sdlog"));
  if (d == "pareto")
    return "Pareto II (Lomax), shape " + fmtNumber(at(claim, "shape")) + ", scale " + fmtNumber(at(claim, "scale"));
  if (d == "exponential_mixture")
    return "mixture of exponentials, weights [" + list(at(claim, "weights")) + "], means [" + list(at(claim, "means")) + "]";
  if (d == "empirical") return "empirical, values [" + list(at(claim, "values")) + "]";
  return d;
}

}  // namespace

std::string ruinMarkdown(const Json& input, const Json& result) {
  const Json& ruin = at(input, "ruin");
  std::ostringstream out;
  out << "### backstop ruin";
  if (at(input, "name").is_string()) out << ": " << text(at(input, "name"));
  out << "\n\nCramér–Lundberg surplus U(t) = u + c·t − S(t), claims compound Poisson.\n\n";

  out << "| input | value |\n|---|---|\n";
  out << "| initial surplus u | " << fmtNumber(at(ruin, "initial_surplus")) << " |\n";
  out << "| premium rate c (per unit time) | " << fmtNumber(at(ruin, "premium_rate")) << " |\n";
  out << "| claim rate λ (per unit time) | " << fmtNumber(at(ruin, "claim_rate")) << " |\n";
  out << "| claim size | " << text(Json(claimText(at(ruin, "claim")))) << " |\n";
  out << "| mean claim μ | " << fmtNumber(at(result, "claim_mean")) << " |\n";
  out << "| loading θ = c/(λμ) − 1 | " << fmtNumber(at(result, "loading")) << " |\n";
  out << "| horizon | " << (at(ruin, "horizon").is_number() ? fmtNumber(at(ruin, "horizon")) : "infinite") << " |\n\n";

  out << "| result | value | method |\n|---|---|---|\n";
  out << "| **ruin probability ψ(u)** (infinite horizon) | **" << fmtNumber(at(result, "psi")) << "** ("
      << fmtPercent(at(result, "psi")) << ") | " << text(Json(method(result, "psi"))) << " |\n";
  const Json& b = at(result, "psi_bounds");
  if (b.is_array() && b.size() == 2)
    out << "| bounds on ψ(u) | [" << fmtNumber(b[0]) << ", " << fmtNumber(b[1]) << "], width "
        << fmtNumber(at(result, "bound_width")) << " | " << text(Json(method(result, "psi_bounds"))) << " |\n";
  const Json& grid = at(result, "grid");
  if (grid.is_object())
    out << "| grid | " << fmtNumber(at(grid, "points")) << " points, step " << fmtNumber(at(grid, "step"))
        << " | discretisation of the ladder heights on [0, u] |\n";
  const Json& lund = at(result, "lundberg");
  const std::string mR = method(result, "lundberg.adjustment_coefficient");
  out << "| adjustment coefficient R | " << value(at(lund, "adjustment_coefficient"), mR) << " | " << text(Json(stripNa(mR))) << " |\n";
  const std::string mB = method(result, "lundberg.bound");
  out << "| Lundberg bound e^(−Ru) | " << value(at(lund, "bound"), mB) << " | " << text(Json(stripNa(mB))) << " |\n";
  const std::string mC = method(result, "cramer_lundberg");
  out << "| Cramér–Lundberg approximation | " << value(at(result, "cramer_lundberg"), mC) << " | " << text(Json(stripNa(mC))) << " |\n";
  const std::string mD = method(result, "de_vylder");
  out << "| De Vylder approximation | " << value(at(result, "de_vylder"), mD) << " | " << text(Json(stripNa(mD))) << " |\n";

  const Json& fh = at(result, "finite_horizon");
  if (fh.is_object()) {
    const std::string T = fmtNumber(at(fh, "horizon"));
    const std::string mDiff = method(result, "finite_horizon.diffusion");
    const std::string mExact = method(result, "finite_horizon.exact");
    out << "| ψ(u, T = " << T << "), diffusion | " << value(at(fh, "diffusion"), mDiff) << " | " << text(Json(stripNa(mDiff))) << " |\n";
    out << "| ψ(u, T = " << T << "), exact | " << value(at(fh, "exact"), mExact) << " | " << text(Json(stripNa(mExact))) << " |\n";
  }

  const Json& rs = at(result, "required_surplus");
  const std::string mS = method(result, "required_surplus");
  out << "| surplus for ψ = " << fmtPercent(at(rs, "target")) << " | " << value(at(rs, "amount"), mS);
  const Json& ab = at(rs, "amount_bounds");
  if (ab.is_array() && ab.size() == 2 && at(rs, "amount").is_number() && ab[0] != ab[1])
    out << " (between " << fmtNumber(ab[0]) << " and " << fmtNumber(ab[1]) << ")";
  out << " | " << text(Json(stripNa(mS))) << " |\n";

  const Json& notes = at(result, "notes");
  if (notes.is_array())
    for (const auto& n : notes)
      if (n.is_string()) out << "\nNote: " << text(n) << "\n";
  return out.str();
}

}  // namespace backstop::cli
