// Scenario format v1 validation (README.md; docs/scenario-format.md (limits)): every problem is reported with its JSON
// pointer and the bad value, all at once; the CLI exits 2 and names each field.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <fstream>
#include <sstream>
#include <string>

#include "backstop/io/commands.hpp"
#include "backstop/io/scenario_reader.hpp"
#include "backstop/io/api.hpp"
#include "backstop/model/scenario.hpp"
#include "backstop/stress/stress.hpp"

using namespace backstop;
namespace fs = std::filesystem;

namespace {

Json baseScenario() {
  return Json::parse(R"({
    "schema": "backstop/scenario@1", "name": "small",
    "market": { "symbol": "BTC-PERP", "mark_price": 60000, "maintenance_margin_rate": 0.005 },
    "book": { "open_interest": 1e6, "leverage": [ { "leverage": 5, "share": 0.5 }, { "leverage": 20, "share": 0.5 } ],
              "positions": [ { "id": "a", "side": "long", "quantity": 1, "entry_price": 60000, "collateral": 6000 } ] },
    "fund": { "balance": 1e5 },
    "policy": { "preset": "binance" },
    "stress": { "shocks": [-0.1] }
  })");
}

std::vector<FieldError> problems(const Json& doc) {
  Issues issues;
  ScenarioNeeds needs;
  needs.stress = true;
  parseScenario(doc, needs, issues);
  return issues.errors();
}

// The message for `pointer`, or "" when no problem names it.
std::string messageFor(const std::vector<FieldError>& errs, const std::string& pointer) {
  for (const auto& e : errs)
    if (e.pointer == pointer) return e.message.empty() ? "(empty message)" : e.message;
  return "";
}

std::string describe(const std::vector<FieldError>& errs) {
  std::string s;
  for (const auto& e : errs) s += e.pointer + ": " + e.message + "\n";
  return s;
}

std::string readFile(const fs::path& p) {
  std::ifstream f(p);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// The CLI built next to this test binary (build/<preset>/tests/native -> build/<preset>/cli).
fs::path cliPath() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path p = exe.parent_path().parent_path().parent_path() / "cli" / "backstop";
    if (fs::exists(p)) return p;
  }
  const fs::path fallback = fs::path(BACKSTOP_SOURCE_DIR) / "build" / "native" / "cli" / "backstop";
  return fs::exists(fallback) ? fallback : fs::path();
}

struct CliRun {
  int exitCode = -1;
  std::string out, err;
};

CliRun runCli(const std::string& args) {
  CliRun r;
  const fs::path dir = fs::temp_directory_path();
  const std::string tag = std::to_string(::getpid());
  const fs::path out = dir / ("backstop-test-" + tag + ".out"), err = dir / ("backstop-test-" + tag + ".err");
  const std::string cmd = "'" + cliPath().string() + "' " + args + " >'" + out.string() + "' 2>'" + err.string() + "'";
  const int status = std::system(cmd.c_str());
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = readFile(out);
  r.err = readFile(err);
  fs::remove(out);
  fs::remove(err);
  return r;
}

const fs::path kBad = fs::path(BACKSTOP_SOURCE_DIR) / "tests" / "golden" / "bad";

}  // namespace

TEST(Scenario, BaseScenarioIsValid) { EXPECT_TRUE(problems(baseScenario()).empty()) << describe(problems(baseScenario())); }

TEST(Scenario, NegativeMaintenanceMarginNamesPointerAndValue) {
  Json d = baseScenario();
  d["market"]["maintenance_margin_rate"] = -1;
  const auto errs = problems(d);
  const std::string m = messageFor(errs, "/market/maintenance_margin_rate");
  ASSERT_FALSE(m.empty()) << describe(errs);
  EXPECT_NE(m.find("-1"), std::string::npos) << m;
}

TEST(Scenario, MissingMarket) {
  Json d = baseScenario();
  d.erase("market");
  const auto errs = problems(d);
  EXPECT_FALSE(messageFor(errs, "/market").empty()) << describe(errs);
}

TEST(Scenario, SharesMustSumToOne) {
  Json d = baseScenario();
  d["book"]["leverage"][1]["share"] = 0.2;
  const auto errs = problems(d);
  const std::string m = messageFor(errs, "/book/leverage");
  EXPECT_NE(m.find("0.7"), std::string::npos) << describe(errs);
}

TEST(Scenario, LeverageZeroAndAbsurdLeverage) {
  for (double lev : {0.0, 1e9}) {
    Json d = baseScenario();
    d["book"]["leverage"][0]["leverage"] = lev;
    const auto errs = problems(d);
    const std::string m = messageFor(errs, "/book/leverage/0/leverage");
    ASSERT_FALSE(m.empty()) << lev << "\n" << describe(errs);
    EXPECT_NE(m.find(formatValue(lev)), std::string::npos) << m;
  }
  // Leverage 1000 with mmr 0.5 % would be liquidated at once (1/1000 <= 0.005).
  Json d = baseScenario();
  d["book"]["leverage"][0]["leverage"] = 1000;
  EXPECT_NE(messageFor(problems(d), "/book/leverage/0/leverage").find("at once"), std::string::npos);
}

TEST(Scenario, HugeNumbersAndWrongTypes) {
  // NaN cannot be written in JSON; 1e300 and "abc" can.
  Json d = baseScenario();
  d["market"]["mark_price"] = 1e300;
  d["book"]["positions"][0]["quantity"] = 1e300;
  d["fund"]["balance"] = "abc";
  const auto errs = problems(d);
  EXPECT_NE(messageFor(errs, "/market/mark_price").find("1e+300"), std::string::npos) << describe(errs);
  EXPECT_NE(messageFor(errs, "/book/positions/0/quantity").find("1e+300"), std::string::npos) << describe(errs);
  EXPECT_NE(messageFor(errs, "/fund/balance").find("abc"), std::string::npos) << describe(errs);
}

TEST(Scenario, DuplicatePositionIds) {
  Json d = baseScenario();
  d["book"]["positions"].push_back(d["book"]["positions"][0]);
  const auto errs = problems(d);
  EXPECT_NE(messageFor(errs, "/book/positions/1/id").find("\"a\""), std::string::npos) << describe(errs);
}

TEST(Scenario, UnknownFieldsReportedByPointer) {
  Json d = baseScenario();
  d["market"]["maintenance_margin"] = 0.01;  // a typo of maintenance_margin_rate
  d["policy"]["adl_rankng"] = "pnl";
  d["stres"] = Json::object();
  d["source"] = "comments are allowed";
  const auto errs = problems(d);
  EXPECT_FALSE(messageFor(errs, "/market/maintenance_margin").empty()) << describe(errs);
  EXPECT_FALSE(messageFor(errs, "/policy/adl_rankng").empty()) << describe(errs);
  EXPECT_FALSE(messageFor(errs, "/stres").empty()) << describe(errs);
  EXPECT_TRUE(messageFor(errs, "/source").empty());
}

TEST(Scenario, EmptyBook) {
  Json d = baseScenario();
  d["book"] = Json::object();
  auto errs = problems(d);
  EXPECT_FALSE(messageFor(errs, "/book").empty()) << describe(errs);
  d["book"] = {{"positions", Json::array()}};
  errs = problems(d);
  EXPECT_FALSE(messageFor(errs, "/book/positions").empty()) << describe(errs);
}

TEST(Scenario, BadPresetName) {
  Json d = baseScenario();
  d["policy"]["preset"] = "bitmax";
  const auto errs = problems(d);
  EXPECT_NE(messageFor(errs, "/policy/preset").find("bitmax"), std::string::npos) << describe(errs);
}

TEST(Scenario, PresetFillsWhatTheScenarioLeavesOutAndFieldsGivenWin) {
  Json d = baseScenario();
  d["policy"] = {{"preset", "bitmex"}, {"fund_coverage", "partial"}};
  Issues issues;
  const Scenario s = parseScenario(d, ScenarioNeeds{}, issues);
  ASSERT_TRUE(issues.empty()) << describe(issues.errors());
  EXPECT_EQ(s.policy.penaltyMode, PenaltyMode::RemainingMargin);  // from the preset
  EXPECT_EQ(s.policy.fundCoverage, FundCoverage::Partial);        // given
}

TEST(Scenario, ValidateReportsEveryProblem) {
  const Json doc = parseJsonText(readFile(kBad / "stress-many-problems.json"));
  const Json r = dispatch("validate", doc, RunOptions{});
  ASSERT_FALSE(r.at("valid").get<bool>());
  std::set<std::string> pointers;
  for (const auto& e : r.at("errors")) {
    pointers.insert(e.at("pointer").get<std::string>());
    EXPECT_FALSE(e.at("message").get<std::string>().empty());
  }
  for (const char* p : {"/market/mark_price", "/market/daily_volume", "/book/leverage", "/book/positions/1/id",
                        "/policy/preset", "/policy/adl_rankng"})
    EXPECT_TRUE(pointers.count(p)) << p << "\n" << r.dump(2);
  EXPECT_EQ(dispatch("validate", baseScenario(), RunOptions{}), Json({{"valid", true}}));
}

TEST(Scenario, NonJsonThroughRunJsonIsInvalidInput) {
  const Json r = Json::parse(runJson("stress", "this is not { JSON", ""));
  EXPECT_FALSE(r.at("ok").get<bool>());
  EXPECT_EQ(r.at("code"), "invalid_input");
  const Json bad = Json::parse(runJson("stress", readFile(kBad / "stress-negative-mmr.json"), ""));
  EXPECT_EQ(bad.at("code"), "invalid_input");
  EXPECT_EQ(bad.at("errors").at(0).at("pointer"), "/market/maintenance_margin_rate");
}

TEST(Scenario, EveryPresetInScenariosValidatesAndStresses) {
  int n = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(BACKSTOP_SOURCE_DIR) / "scenarios")) {
    if (entry.path().extension() != ".json") continue;
    ++n;
    const Json doc = parseJsonText(readFile(entry.path()));
    const Json v = dispatch("validate", doc, RunOptions{});
    EXPECT_TRUE(v.at("valid").get<bool>()) << entry.path() << "\n" << v.dump(2);
    EXPECT_TRUE(doc.contains("source") && doc["source"].is_string()) << entry.path() << " needs a one-line source";
    if (doc.contains("stress")) {
      const Json r = dispatch("stress", doc, RunOptions{});
      for (const auto& e : r.at("events")) {
        const auto& w = e.at("waterfall");
        const double total = w.at("insurance_fund").get<double>() + w.at("fee_pool").get<double>() +
                             w.at("backstop_vault").get<double>() + w.at("adl").get<double>() +
                             w.at("socialized_loss").get<double>() + w.at("uncovered").get<double>();
        EXPECT_NEAR(total, e.at("bad_debt").get<double>(), 1e-9 * e.at("bad_debt").get<double>()) << entry.path();
      }
    }
  }
  EXPECT_GE(n, 1);
}

TEST(ScenarioCli, BadInputExitsTwoAndNamesEachField) {
  if (cliPath().empty()) GTEST_SKIP() << "the CLI is not built next to the tests";
  struct Case {
    const char* file;
    std::vector<const char*> mentions;
  };
  const Case cases[] = {
      {"stress-negative-mmr.json", {"/market/maintenance_margin_rate", "-1"}},
      {"stress-missing-market.json", {"/market"}},
      {"stress-not-json.json", {"not valid JSON"}},
      {"stress-many-problems.json",
       {"/market/mark_price", "/market/daily_volume", "/book/leverage", "/book/positions/1/id", "/policy/preset",
        "/policy/adl_rankng"}},
  };
  for (const auto& c : cases) {
    const CliRun r = runCli("stress '" + (kBad / c.file).string() + "'");
    EXPECT_EQ(r.exitCode, 2) << c.file << "\n" << r.err;
    for (const char* m : c.mentions) EXPECT_NE(r.err.find(m), std::string::npos) << c.file << " should name " << m << "\n" << r.err;
    EXPECT_TRUE(r.out.empty()) << c.file;
  }
  const CliRun v = runCli("validate '" + (kBad / "stress-negative-mmr.json").string() + "'");
  EXPECT_EQ(v.exitCode, 2);
  EXPECT_NE(v.out.find("\"valid\": false"), std::string::npos) << v.out;
  const CliRun ok = runCli("stress '" + (fs::path(BACKSTOP_SOURCE_DIR) / "scenarios" / "btc-large-venue.json").string() +
                           "' --format markdown");
  EXPECT_EQ(ok.exitCode, 0) << ok.err;
}

// Issue 14's preset corrections, each against its venue's source, and the "overrides:" line that
// shows in the Markdown what a preset scenario sets over its venue.
TEST(Scenario, PresetScenariosFollowTheirVenueAndShowTheirOverrides) {
  const fs::path dir = fs::path(BACKSTOP_SOURCE_DIR) / "scenarios";
  auto load = [&](const char* name) { return loadScenario(parseJsonText(readFile(dir / name)), ScenarioNeeds{}); };
  // gmx-synthetics a5c0c883 config/markets.ts:599: ETH/USD minCollateralFactor 0.5 %.
  const Scenario gmx = load("gmx-eth-pool.json");
  EXPECT_EQ(gmx.policy.preset, Venue::GmxV2);
  EXPECT_DOUBLE_EQ(gmx.market().maintenanceMarginRate, 0.005);
  // v4-chain 84d4664b protocol/testing/mainnet/genesis.json: SOL-USD in the Mid-Cap liquidity tier,
  // initial margin 10 %, maintenance fraction 0.5: 5 % maintenance, 10x at most.
  const Scenario dydx = load("dex-midcap.json");
  EXPECT_EQ(dydx.policy.preset, Venue::DydxV4);
  EXPECT_DOUBLE_EQ(dydx.market().maintenanceMarginRate, 0.05);
  for (const auto& b : dydx.book().leverage) EXPECT_LE(b.leverage, 10.0);
  EXPECT_DOUBLE_EQ(dydx.policy.spreadToMaintenance, 1.5);
  // BitMEX: the remaining margin to the fund, then ADL (socialised loss replaced by ADL): the
  // scenario keeps the preset's penalty and stages and overrides only the tiers.
  const Scenario bitmex = load("btc-large-venue.json");
  const Policy venue = presetPolicy(Venue::Bitmex, "XBTUSD");
  EXPECT_EQ(bitmex.policy.penaltyMode, venue.penaltyMode);
  EXPECT_EQ(bitmex.policy.stages, (std::vector<Stage>{Stage::InsuranceFund, Stage::Adl}));
  EXPECT_EQ(bitmex.policy.adlRanking, venue.adlRanking);
  EXPECT_EQ(bitmex.policy.fundCoverage, FundCoverage::Partial);
  auto policyLine = [&](const char* name) {
    const CliRun r = runCli("stress '" + (dir / name).string() + "' --format markdown");
    EXPECT_EQ(r.exitCode, 0) << r.err;
    const size_t at = r.out.find("Policy ");
    return at == std::string::npos ? std::string() : r.out.substr(at, r.out.find('\n', at) - at);
  };
  // Then the values in effect: BitMEX's remaining margin to the fund, Drift's 1 % liquidator fee
  // (none to the fund), GMX's 0.2 % liquidation fee (to the pool and fee receiver). The escape
  // breaks ':' so that linkify finds no scheme.
  EXPECT_EQ(policyLine("btc-large-venue.json"),
            "Policy bitmex; overrides: venue = {\"maintenance\\_tiers\"\\:\\[\\]}. In effect: liquidation penalty "
            "the remaining margin (100.0 % to the fund), ADL ranking PnL × leverage (BitMEX).");
  EXPECT_EQ(policyLine("drift-sol.json"),
            "Policy drift; overrides: venue = {\"fee\\_pool\"\\:200000}. In effect: liquidation penalty 1.00 % of the "
            "notional closed (0.0 % to the fund), ADL ranking PnL × leverage (BitMEX).");
  EXPECT_EQ(policyLine("gmx-eth-pool.json"),
            "Policy gmx\\_v2, as the preset. In effect: liquidation penalty 0.20 % of the notional closed (0.0 % to "
            "the fund), ADL ranking unrealised PnL.");
  // The ranking by its label, as the ADL tables below it name it.
  EXPECT_EQ(policyLine("binance-btcusdt.json"),
            "Policy binance, as the preset. In effect: liquidation penalty 0.30 % of the notional closed (100.0 % to "
            "the fund), ADL ranking leverage × PnL ratio (Binance).");
}

TEST(Scenario, VenueFieldsOfThePoolPresetsNameTheField) {
  Json d = baseScenario();
  d["policy"] = {{"preset", "drift"},
                 {"venue", {{"fee_pool", -5}, {"liquidation_margin_buffer", 2}}},
                 {"penalty", {{"to_fund", 0.7}, {"to_vault", 0.6}}}};
  auto errs = problems(d);
  EXPECT_NE(messageFor(errs, "/policy/venue/fee_pool").find("-5"), std::string::npos) << describe(errs);
  EXPECT_FALSE(messageFor(errs, "/policy/venue/liquidation_margin_buffer").empty()) << describe(errs);
  EXPECT_NE(messageFor(errs, "/policy/penalty/to_vault").find("0.6"), std::string::npos) << describe(errs);
  d["policy"] = {{"preset", "gmx_v2"}, {"venue", {{"max_pnl_factor_for_adl", 0.5}, {"min_pnl_factor_after_adl", 0.6}}}};
  errs = problems(d);
  EXPECT_NE(messageFor(errs, "/policy/venue/min_pnl_factor_after_adl").find("0.6"), std::string::npos) << describe(errs);
  d["policy"] = {{"preset", "drift"}, {"stages", {"insurance_fund", "fee_pool", "socialized_loss"}},
                 {"venue", {{"fee_pool", 250}}}};
  Issues issues;
  const Scenario s = parseScenario(d, ScenarioNeeds{}, issues);
  ASSERT_TRUE(issues.empty()) << describe(issues.errors());
  EXPECT_DOUBLE_EQ(s.policy.feePool, 250);
  EXPECT_EQ(s.policy.stages[1], Stage::FeePool);
}

// policy.venue.maintenance_tiers (docs/scenario-format.md): read, checked by pointer and value,
// and written back so validate() sees the same document.
TEST(Scenario, MaintenanceTiersAreReadCheckedAndWrittenBack) {
  Json d = baseScenario();
  d["market"]["maintenance_margin_rate"] = 0.01;
  d["policy"] = {{"preset", "binance"},
                 {"venue", {{"maintenance_tiers", {{{"up_to", 1000}, {"rate", 0.01}}, {{"up_to", 500}, {"rate", 0.005}}}}}}};
  auto errs = problems(d);
  EXPECT_NE(messageFor(errs, "/policy/venue/maintenance_tiers/1/up_to").find("500"), std::string::npos) << describe(errs);
  EXPECT_NE(messageFor(errs, "/policy/venue/maintenance_tiers/1/rate").find("0.005"), std::string::npos) << describe(errs);
  d["policy"]["venue"] = {{"maintenance_tiers", {{{"up_to", 1000}, {"rate", 0.02}}, {{"up_to", 5000}, {"rate", 0.05}}}},
                          {"maintenance_tier_basis", "entry"}};
  errs = problems(d);  // the market's 0.01 contradicts the first tier's 0.02
  EXPECT_NE(messageFor(errs, "/market/maintenance_margin_rate").find("0.02"), std::string::npos) << describe(errs);
  d["market"]["maintenance_margin_rate"] = 0.02;
  d["book"]["account_notional"] = 2000;  // accounts in the 5 % tier: the 40x bucket (2.5 %) would be liquidated at once
  d["book"]["open_interest"] = 1e6;
  d["book"]["leverage"] = {{{"leverage", 40}, {"share", 0.5}}, {{"leverage", 10}, {"share", 0.5}}};
  errs = problems(d);
  EXPECT_NE(messageFor(errs, "/book/leverage/0/leverage").find("40"), std::string::npos) << describe(errs);
  EXPECT_TRUE(messageFor(errs, "/book/leverage/1/leverage").empty()) << describe(errs);
  d["book"]["leverage"] = {{{"leverage", 10}, {"share", 1}}};
  Issues issues;
  const Scenario s = parseScenario(d, ScenarioNeeds{}, issues);
  ASSERT_TRUE(issues.empty()) << describe(issues.errors());
  ASSERT_TRUE(s.policy.maintenanceTiers.has_value());
  EXPECT_EQ(s.policy.maintenanceTiers->size(), 2u);
  EXPECT_EQ(s.policy.maintenanceTierBasis, TierBasis::Entry);
  EXPECT_DOUBLE_EQ(s.book().accountNotional, 2000);
  EXPECT_TRUE(validate(s, ScenarioNeeds{}).empty()) << describe(validate(s, ScenarioNeeds{}));
}
