// docs/formulas.md (position arithmetic) position arithmetic, against values derived by hand from the definitions.
#include <gtest/gtest.h>

#include "backstop/io/api.hpp"
#include "backstop/io/commands.hpp"
#include "backstop/model/position.hpp"

using namespace backstop;

namespace {
Position pos(Side s, double q, double e, double m) { return Position{"p", s, q, e, m}; }
}  // namespace

TEST(Position, LinearLongWorkedExample) {
  // entry 100, q 1, collateral 10, mmr 0.5 %: bankruptcy 100 − 10 = 90, liquidation 90/0.995.
  const auto p = pos(Side::Long, 1, 100, 10);
  EXPECT_DOUBLE_EQ(*bankruptcyPrice(p, Contract::Linear), 90.0);
  EXPECT_DOUBLE_EQ(*liquidationPrice(p, Contract::Linear, 0.005), 90.0 / 0.995);
}

TEST(Position, LinearShortWorkedExample) {
  // short entry 100, q 2, collateral 10: bankruptcy 100 + 5, liquidation 210/(2·1.01).
  const auto p = pos(Side::Short, 2, 100, 10);
  EXPECT_DOUBLE_EQ(*bankruptcyPrice(p, Contract::Linear), 105.0);
  EXPECT_DOUBLE_EQ(*liquidationPrice(p, Contract::Linear, 0.01), 210.0 / 2.02);
}

TEST(Position, EquityAtLiquidationEqualsMaintenance) {
  // Defining property, checked for both contract types and sides.
  for (Contract c : {Contract::Linear, Contract::Inverse}) {
    for (Side s : {Side::Long, Side::Short}) {
      const double q = c == Contract::Linear ? 3.0 : 30000.0;
      const double m = c == Contract::Linear ? 2000.0 : 0.05;
      const auto p = pos(s, q, 10000, m);
      const double liq = *liquidationPrice(p, c, 0.01);
      EXPECT_NEAR(equity(p, c, liq), maintenanceRequirement(p, c, liq, 0.01), 1e-12 * m)
          << toString(c) << " " << toString(s);
      EXPECT_NEAR(equity(p, c, *bankruptcyPrice(p, c)), 0.0, 1e-12 * m);
    }
  }
}

TEST(Position, InverseLongWorkedExample) {
  // 10,000 one-dollar contracts long at 10,000 with 0.1 coin: value 1 coin, 10x.
  // Bankruptcy: q/(M + q/E) = 10000/1.1; liquidation at mmr 1 %: 10000·1.01/1.1.
  const auto p = pos(Side::Long, 10000, 10000, 0.1);
  EXPECT_DOUBLE_EQ(*bankruptcyPrice(p, Contract::Inverse), 10000.0 / 1.1);
  EXPECT_DOUBLE_EQ(*liquidationPrice(p, Contract::Inverse, 0.01), 10100.0 / 1.1);
}

TEST(Position, InverseShortFullyCollateralisedNeverBankrupt) {
  // A 1x short on an inverse contract (collateral = coin value) cannot go bankrupt.
  const auto p = pos(Side::Short, 10000, 10000, 1.0);
  EXPECT_FALSE(bankruptcyPrice(p, Contract::Inverse).has_value());
  EXPECT_FALSE(liquidationPrice(p, Contract::Inverse, 0.01).has_value());
}

TEST(Position, HyperliquidDocumentedLiquidationPrice) {
  // Hyperliquid docs: isolated long 1 at 100,000, margin 10,000, maintenance 1 % -> 90,909.09.
  // (their formula price − margin/size/(1 − l) with l = mmr gives 90,000/0.99.)
  const auto p = pos(Side::Long, 1, 100000, 10000);
  EXPECT_NEAR(*liquidationPrice(p, Contract::Linear, 0.01), 90909.0909090909, 1e-6);
}

TEST(Position, BadInputNamesFieldAndValue) {
  try {
    positionPrices(pos(Side::Long, -1, 100, 10), Contract::Linear, 0.005);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    ASSERT_EQ(e.errors().size(), 1u);
    EXPECT_EQ(e.errors()[0].pointer, "/position/quantity");
    EXPECT_NE(e.errors()[0].message.find("-1"), std::string::npos);
  }
}

TEST(Position, JsonBoundaryReturnsErrorsAsData) {
  const std::string out = runJson(
      "position",
      R"({"maintenance_margin_rate": 1.5, "position": {"side": "long", "quantity": 1, "entry_price": 100, "collateral": 10}})",
      "");
  const Json j = Json::parse(out);
  EXPECT_FALSE(j["ok"].get<bool>());
  EXPECT_EQ(j["code"], "invalid_input");
  EXPECT_EQ(j["errors"][0]["pointer"], "/maintenance_margin_rate");
  EXPECT_NE(j["errors"][0]["message"].get<std::string>().find("1.5"), std::string::npos);
}

TEST(Position, JsonBoundaryRejectsNonJson) {
  const Json j = Json::parse(runJson("position", "{not json", ""));
  EXPECT_FALSE(j["ok"].get<bool>());
  EXPECT_NE(j["message"].get<std::string>().find("not valid JSON"), std::string::npos);
}

TEST(Position, JsonBoundaryOverASubsetOfCommands) {
  // A wasm module that links some commands (wasm/bindings.cpp) runs those and names only those.
  const std::vector<Command> table = {{"position", positionCommand, ""}};
  const std::string input =
      R"({"maintenance_margin_rate": 0.005, "position": {"side": "long", "quantity": 1, "entry_price": 100, "collateral": 10}})";
  const Json ok = Json::parse(runJson("position", input, "", table));
  ASSERT_TRUE(ok["ok"].get<bool>());
  EXPECT_DOUBLE_EQ(ok["result"]["bankruptcy_price"].get<double>(), 90.0);  // 100 - 10/1, as above
  const Json other = Json::parse(runJson("validate", input, "", table));
  EXPECT_FALSE(other["ok"].get<bool>());
  EXPECT_EQ(other["code"], "invalid_input");
  EXPECT_EQ(other["errors"][0]["message"], "unknown command \"validate\"; expected one of position");
}
