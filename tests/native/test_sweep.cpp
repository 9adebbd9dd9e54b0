// Calibration sweeps (docs/model.md (several markets, one fund)): pathwise consequences of common random numbers, the
// one-simulation curve identity seen through a sweep of the fund size, grid order, errors.
#include <gtest/gtest.h>

#include "backstop/io/commands.hpp"
#include "backstop/io/scenario_reader.hpp"
#include "backstop/io/api.hpp"

using namespace backstop;

namespace {

// A synthetic book with fee inflow and penalties to the fund, small enough for many points.
Json sweepScenario() {
  return Json::parse(R"({
    "schema": "backstop/scenario@1", "name": "sweep test",
    "market": {"symbol": "T", "mark_price": 100, "maintenance_margin_rate": 0.01, "taker_fee_rate": 0.0005,
               "daily_volume": 5e7, "liquidity": {"model": "linear", "depth_1pct": 2e7}},
    "book": {"open_interest": 5e7, "leverage": [{"leverage": 10, "share": 0.5}, {"leverage": 50, "share": 0.5}],
             "turnover_per_day": 0.5},
    "fund": {"balance": 4e6, "fee_share": 0.1},
    "policy": {"penalty": {"mode": "fee_rate", "rate": 0.005, "to_fund": 1}},
    "price_model": {"kind": "merton", "daily_volatility": 0.05, "jump_intensity_per_year": 20,
                    "jump_mean": -0.05, "jump_stdev": 0.08},
    "simulation": {"horizon_days": 10, "steps_per_day": 8, "paths": 1500, "seed": 11,
                   "target_depletion_probability": 0.05}
  })");
}

double events(const Json& point) { return point["depletion_probability"]["events"].get<double>(); }

}  // namespace

TEST(Sweep, HigherPenaltyToFundNeverRaisesDepletionUnderCommonRandomNumbers) {
  // The penalty comes out of equity above the bankruptcy price, so bad debt is the same on
  // every path while the fund's inflow grows with the rate: with the same streams, M_T falls
  // path by path, so events and the required fund cannot rise (exact, not statistical).
  Json doc = sweepScenario();
  doc["sweep"] = {{"parameter", "/policy/penalty/rate"}, {"values", {0.0, 0.001, 0.002, 0.004, 0.008}}};
  const Json r = dispatch("sweep", doc, RunOptions{});
  ASSERT_EQ(r["points"].size(), 5u);
  const auto& pts = r["points"];
  for (size_t i = 1; i < pts.size(); ++i) {
    EXPECT_LE(events(pts[i]), events(pts[i - 1])) << "at " << pts[i]["at"];
    EXPECT_LE(pts[i]["required_fund"]["amount"].get<double>(), pts[i - 1]["required_fund"]["amount"].get<double>());
    EXPECT_DOUBLE_EQ(pts[i]["bad_debt"]["mean"].get<double>(), pts[0]["bad_debt"]["mean"].get<double>());
  }
  EXPECT_GT(events(pts[0]), events(pts[4])) << "the penalty range should matter in this scenario";
}

TEST(Sweep, FundSizeSweepReproducesTheOneSimulationCurve) {
  // P(depletion | u) = P(M_T > u) (docs/model.md (the fund process)): sweeping /fund/balance with common random
  // numbers must give, at each u, exactly the base run's curve value at that u.
  Json doc = sweepScenario();
  const Json base = dispatch("simulate", doc, RunOptions{});
  std::vector<double> us;
  for (size_t i : {0, 5, 10, 20, 40}) us.push_back(base["curve"][i]["fund"].get<double>());
  doc["sweep"] = {{"parameter", "/fund/balance"}, {"values", us}};
  const Json r = dispatch("sweep", doc, RunOptions{});
  for (size_t i = 0; i < us.size(); ++i) {
    const double curveP = base["curve"][std::vector<size_t>{0, 5, 10, 20, 40}[i]]["probability"].get<double>();
    EXPECT_DOUBLE_EQ(r["points"][i]["depletion_probability"]["estimate"].get<double>(), curveP) << "u = " << us[i];
    // Bad debt does not depend on the fund size.
    EXPECT_DOUBLE_EQ(r["points"][i]["bad_debt"]["es99"].get<double>(), base["bad_debt"]["es99"].get<double>());
  }
}

TEST(Sweep, GridIsRowMajorAndEachPointIsItsScenario) {
  Json doc = sweepScenario();
  doc["simulation"]["paths"] = 200;
  doc["sweep"] = {{"parameters",
                   {{{"parameter", "/fund/fee_share"}, {"values", {0.0, 0.2}}},
                    {{"parameter", "/price_model/daily_volatility"}, {"values", {0.03, 0.05, 0.07}}}}}};
  const Json r = dispatch("sweep", doc, RunOptions{});
  ASSERT_EQ(r["points"].size(), 6u);
  EXPECT_EQ(r["parameters"][1]["pointer"], "/price_model/daily_volatility");
  EXPECT_EQ(r["points"][1]["at"], Json({0.0, 0.05}));
  EXPECT_EQ(r["points"][3]["at"], Json({0.2, 0.03}));
  // Point (0.2, 0.07) is the plain simulation of that scenario with the same seed.
  Json direct = sweepScenario();
  direct["simulation"]["paths"] = 200;
  direct["fund"]["fee_share"] = 0.2;
  direct["price_model"]["daily_volatility"] = 0.07;
  const Json d = dispatch("simulate", direct, RunOptions{});
  EXPECT_EQ(r["points"][5]["depletion_probability"], d["depletion_probability"]);
  EXPECT_EQ(r["points"][5]["required_fund"], d["required_fund"]);
  // Higher volatility, same fee share: more liquidations on the same streams.
  EXPECT_GE(r["points"][2]["liquidated_notional"]["mean"].get<double>(),
            r["points"][0]["liquidated_notional"]["mean"].get<double>());
}

TEST(Sweep, ErrorsNameTheValueAndTheField) {
  Json doc = sweepScenario();
  doc["sweep"] = {{"parameter", "/policy/penalty/rate"}, {"values", {0.001, 1.5}}};
  try {
    dispatch("sweep", doc, RunOptions{});
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    ASSERT_EQ(e.errors().size(), 1u);
    EXPECT_EQ(e.errors()[0].pointer, "/sweep/values/1");
    EXPECT_NE(e.errors()[0].message.find("1.5"), std::string::npos) << e.errors()[0].message;
  }
  for (const auto& [sweep, pointer] : std::vector<std::pair<Json, std::string>>{
           {{{"parameter", "/market/symbol"}, {"values", {1}}}, "/sweep/parameter"},
           {{{"parameter", "policy/penalty/rate"}, {"values", {1}}}, "/sweep/parameter"},
           {{{"parameter", "/fund/balance"}, {"values", Json::array()}}, "/sweep/values"},
           {{{"parameter", "/fund/balance"}, {"values", {1, "x"}}}, "/sweep/values/1"},
           {{{"parameter", "/fund/balance"}, {"values", {1}}, {"extra", 1}}, "/sweep/extra"},
           {{{"parameter", "/fund/balanse"}, {"values", {1}}}, "/sweep/parameter"}}) {
    Json d = sweepScenario();
    d["sweep"] = sweep;
    const Json v = dispatch("validate", d, RunOptions{});
    ASSERT_FALSE(v["valid"].get<bool>()) << sweep.dump();
    bool named = false, validateNamed = false;
    for (const auto& e : v["errors"]) validateNamed = validateNamed || e["pointer"] == pointer;
    EXPECT_TRUE(validateNamed) << "validate: " << v.dump();
    try {
      dispatch("sweep", d, RunOptions{});
    } catch (const InputError& e) {
      for (const auto& fe : e.errors()) named = named || fe.pointer == pointer;
    }
    EXPECT_TRUE(named) << sweep.dump() << " should name " << pointer;
  }
  // Work limit: points × paths × steps, refused before any simulation.
  Json big = sweepScenario();
  big["simulation"]["paths"] = 10000000;
  big["simulation"]["steps_per_day"] = 24;
  big["sweep"] = {{"parameter", "/fund/balance"}, {"values", {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}}};
  try {
    dispatch("sweep", big, RunOptions{});
    FAIL() << "expected a limit error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.code(), ErrorCode::LimitExceeded);
  }
}

TEST(Sweep, GridAsParallelArraysEqualsTheParametersForm) {
  Json a = sweepScenario(), b = sweepScenario();
  a["simulation"]["paths"] = b["simulation"]["paths"] = 100;
  a["sweep"] = {{"parameters", {{{"parameter", "/fund/fee_share"}, {"values", {0.0, 0.2}}},
                                {{"parameter", "/policy/penalty/rate"}, {"values", {0.001, 0.01}}}}}};
  b["sweep"] = {{"parameter", {"/fund/fee_share", "/policy/penalty/rate"}}, {"values", {{0.0, 0.2}, {0.001, 0.01}}}};
  EXPECT_EQ(dispatch("sweep", a, RunOptions{})["points"], dispatch("sweep", b, RunOptions{})["points"]);
  b["sweep"]["values"] = {{0.0, 0.2}};
  EXPECT_FALSE(dispatch("validate", b, RunOptions{})["valid"].get<bool>());
}
