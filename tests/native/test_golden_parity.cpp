// Native determinism against the committed parity fixtures in tests/golden/. The expected
// files are outputs of the native CLI (scripts/update-golden), not hand values: the same
// files are checked against the wasm build by tests/js/parity.test.mjs, so together they
// show native and wasm agree (docs/formulas.md, random numbers). Independent values live in the unit tests.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "backstop/io/api.hpp"

namespace {

namespace fs = std::filesystem;
using backstop::Json;

const fs::path kSource = BACKSTOP_SOURCE_DIR;
constexpr double kRelative = 1e-9;

std::string readText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Counts of paths must be identical; other numbers, and the weighted counts of importance sampling
// (sums of likelihood ratios, whose last bit follows each platform's exp), equal to 1e-9 relative.
void expectClose(const Json& actual, const Json& expected, const std::string& where) {
  if (expected.is_number() && actual.is_number()) {
    const double a = actual.get<double>(), e = expected.get<double>();
    if (a == e) return;
    const bool count = (where.find("/events") != std::string::npos || where.find("/histogram") != std::string::npos ||
                        where.find("/never") != std::string::npos || where.find("/paths") != std::string::npos) &&
                       e == std::floor(e);
    EXPECT_FALSE(count) << where << ": count " << a << " != " << e;
    EXPECT_LE(std::abs(a - e), kRelative * std::max(std::abs(a), std::abs(e))) << where << ": " << a << " vs " << e;
    return;
  }
  ASSERT_EQ(actual.type_name(), std::string(expected.type_name())) << where;
  if (expected.is_object()) {
    EXPECT_EQ(actual.size(), expected.size()) << where << ": member count";
    for (auto it = expected.begin(); it != expected.end(); ++it) {
      ASSERT_TRUE(actual.contains(it.key())) << where << "/" << it.key() << " missing";
      expectClose(actual[it.key()], it.value(), where + "/" + it.key());
    }
  } else if (expected.is_array()) {
    ASSERT_EQ(actual.size(), expected.size()) << where << ": length";
    for (size_t i = 0; i < expected.size(); ++i) expectClose(actual[i], expected[i], where + "/" + std::to_string(i));
  } else {
    EXPECT_EQ(actual, expected) << where;
  }
}

struct Fixture {
  std::string command;
  fs::path input, expected;
};

std::vector<Fixture> fixtures() {
  std::vector<Fixture> out;
  for (const auto& e : fs::directory_iterator(kSource / "tests/golden")) {
    const std::string name = e.path().filename().string();
    const fs::path stem = e.path().parent_path() / e.path().stem();
    if (name.find(".expected.") != std::string::npos) continue;
    if (name.rfind("sweep-", 0) == 0) out.push_back({"sweep", e.path(), stem.string() + ".expected.json"});
    if (name.rfind("sim-", 0) != 0) continue;
    out.push_back({"simulate", e.path(), stem.string() + ".expected.json"});
    out.push_back({"stress", e.path(), stem.string() + ".stress.expected.json"});
  }
  for (const auto& e : fs::directory_iterator(kSource / "scenarios"))
    if (e.path().extension() == ".json")
      out.push_back({"stress", e.path(), kSource / "tests/golden" / ("stress-" + e.path().stem().string() + ".expected.json")});
  std::sort(out.begin(), out.end(), [](const Fixture& a, const Fixture& b) {
    return a.expected < b.expected;
  });
  return out;
}

TEST(GoldenParity, FixturesExist) {
  const auto all = fixtures();
  EXPECT_GE(std::count_if(all.begin(), all.end(), [](const Fixture& f) { return f.command == "simulate"; }), 3);
  for (const auto& f : all) EXPECT_TRUE(fs::exists(f.expected)) << f.expected << ": run scripts/update-golden";
}

TEST(GoldenParity, NativeMatchesCommittedOutput) {
  for (const auto& f : fixtures()) {
    SCOPED_TRACE(f.command + " " + f.input.string());
    if (!fs::exists(f.expected)) continue;  // reported by FixturesExist
    const Json envelope = Json::parse(backstop::runJson(f.command, readText(f.input), ""));
    ASSERT_TRUE(envelope.at("ok").get<bool>()) << envelope.dump();
    expectClose(envelope.at("result"), Json::parse(readText(f.expected)), "");
  }
}

TEST(GoldenParity, SimulateDoesNotDependOnThreads) {
  const fs::path input = kSource / "tests/golden/sim-merton-cascade.json";
  const std::string text = readText(input);
  const Json one = Json::parse(backstop::runJson("simulate", text, R"({"threads": 1})"));
  const Json two = Json::parse(backstop::runJson("simulate", text, R"({"threads": 2})"));
  ASSERT_TRUE(one.at("ok").get<bool>());
  EXPECT_EQ(one.dump(), two.dump());  // bit-identical, not just close
}

}  // namespace
