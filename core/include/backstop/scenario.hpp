// The scenario format v1 (SPEC §12): typed, validated, with venue presets applied.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backstop/api.hpp"
#include "backstop/errors.hpp"
#include "backstop/position.hpp"

namespace backstop {

inline constexpr const char* kScenarioSchema = "backstop/scenario@1";

// Documented work limits (README "Limits"): checked before any allocation.
namespace limits {
inline constexpr long long kMaxPositions = 100000;
inline constexpr long long kMaxPathSteps = 2000000000LL;  // paths × steps per run
inline constexpr long long kMaxPaths = 10000000;
inline constexpr long long kMaxStepsPerPath = 200000;
inline constexpr long long kMaxLeverageBuckets = 64;
inline constexpr long long kMaxShocks = 1000;
inline constexpr long long kMaxBootstrapReturns = 1000000;
inline constexpr long long kMaxCascadeIterations = 64;
inline constexpr long long kMaxSweepValues = 64;   // per axis
inline constexpr long long kMaxSweepPoints = 1024; // all axes together
// Absurd sizes (SPEC §11): beyond these, products of prices and quantities lose meaning.
inline constexpr double kMaxMoney = 1e15;  // quote units: balances, collateral, OI, volume, depth, notional
inline constexpr double kMaxPrice = 1e12;
}  // namespace limits

enum class ImpactModel { None, Linear, Sqrt };

struct Liquidity {
  ImpactModel model = ImpactModel::None;
  double depth1pct = 0;         // quote units within 1 % of mid
  double impactCoefficient = 1; // Y in the square-root law
  double permanentImpact = 0;   // share of the impact that moves the mark
};

struct Market {
  std::string symbol;
  Contract contract = Contract::Linear;
  double markPrice = 0;
  double maintenanceMarginRate = 0;
  double takerFeeRate = 0;
  double dailyVolume = 0;  // quote units per day
  Liquidity liquidity;
};

struct LeverageBucket {
  double leverage = 0;
  double share = 0;
};

struct Book {
  double openInterest = 0;  // notional of ONE side, quote units
  std::vector<LeverageBucket> leverage;
  double turnoverPerDay = 0;
  double warmupDays = 0;
  std::vector<Position> positions;
  bool synthetic() const { return openInterest > 0 && !leverage.empty(); }
};

struct Fund {
  double balance = 0;
  double feeShare = 0;
  double backstopVault = 0;
  std::optional<double> maxDrawFractionPerEvent;
  double floor = 0;  // the fund never pays below this balance (Drift keeps 1 unit)
};

enum class Stage { InsuranceFund, BackstopVault, Adl, SocializedLoss };
enum class PenaltyMode { FeeRate, RemainingMargin };
enum class AdlRanking { PnlTimesLeverage, BinanceLeveragePnl, HyperliquidIndex, Pnl, ProRata, Random };
enum class SocializeOver { ProfitablePnl, PerContract, AllCollateral };
enum class AdlTriggerKind { Depleted, Drawdown };
enum class FundCoverage { Partial, AllOrNothing };
enum class Venue { Generic, Bitmex, Binance, DydxV4, Hyperliquid, Drift, GmxV2 };

const char* toString(Stage s);
const char* toString(AdlRanking r);
const char* toString(Venue v);

struct Policy {
  Venue preset = Venue::Generic;
  PenaltyMode penaltyMode = PenaltyMode::FeeRate;
  double penaltyRate = 0.005;
  double penaltyToFund = 1.0;
  std::vector<Stage> stages{Stage::InsuranceFund, Stage::BackstopVault, Stage::Adl, Stage::SocializedLoss};
  AdlRanking adlRanking = AdlRanking::PnlTimesLeverage;
  SocializeOver socializeOver = SocializeOver::ProfitablePnl;
  AdlTriggerKind adlTrigger = AdlTriggerKind::Depleted;
  double drawdownFraction = 0.3;
  double drawdownWindowHours = 8;
  FundCoverage fundCoverage = FundCoverage::Partial;
  // Venue parameters (documented defaults per preset; overridable under /policy/venue).
  double backstopThreshold = 2.0 / 3.0;  // hyperliquid: vault takes over below this × maintenance
  double spreadToMaintenance = 0.1;      // dydx_v4: SMMR
  double bankruptcyAdjustment = 1.0;     // dydx_v4: BA
  double maxInsuranceFundFee = 0.01;     // drift: max IF fee
  double perMarketFundCap = -1;          // drift: per-market cap on fund payouts (<0: none)
  double maxPnlFactor = -1;              // gmx_v2: pool PnL cap as a fraction of the pool (<0: none)
};

enum class PriceModelKind { Gbm, StudentT, Merton, Garch, Bootstrap };

struct PriceModel {
  PriceModelKind kind = PriceModelKind::Gbm;
  double dailyVolatility = 0;
  double driftPerYear = 0;
  double dof = 4;
  double jumpIntensityPerYear = 0;
  double jumpMean = 0;
  double jumpStdev = 0;
  double omega = 0, alpha = 0, beta = 0;  // GARCH(1,1) on daily log-returns
  std::vector<double> returns;            // bootstrap: daily log-returns
  int blockDays = 5;
};

struct SimulationSettings {
  double horizonDays = 30;
  int stepsPerDay = 24;
  long long paths = 10000;
  std::uint64_t seed = 1;
  double targetDepletionProbability = 0.01;
  long long steps() const { return (long long)(horizonDays * stepsPerDay + 0.5); }
};

struct StressSettings {
  std::vector<double> shocks;
};

// A calibration sweep axis (SPEC §14): a numeric field by JSON pointer and its values.
struct SweepAxis {
  std::string pointer;       // into the scenario, e.g. "/policy/penalty/rate"
  std::string parameterPointer, valuesPointer;  // where they were given (for error messages)
  std::vector<double> values;
};

struct Scenario {
  std::string name;
  Market market;
  Book book;
  Fund fund;
  Policy policy;
  PriceModel priceModel;
  SimulationSettings simulation;
  StressSettings stress;
  std::vector<SweepAxis> sweep;  // empty: no sweep
  bool hasMarket = false, hasBook = false, hasPriceModel = false, hasStress = false;
  bool hasRuin = false;
};

// What a command needs from the document; missing required sections are errors.
struct ScenarioNeeds {
  bool marketAndBook = true;
  bool priceModel = false;
  bool stress = false;
};

// Parses and validates; collects every problem in `issues` (never throws).
Scenario parseScenario(const Json& doc, const ScenarioNeeds& needs, Issues& issues);
// Parses, validates, throws InputError listing every problem.
Scenario loadScenario(const Json& doc, const ScenarioNeeds& needs);

// The preset's policy (SPEC §4 table) before the scenario's own fields are applied.
Policy presetPolicy(Venue v, const std::string& symbol);

// Daily volatility the sqrt impact law uses for a price model (its unconditional value).
double modelDailyVolatility(const PriceModel& m);

// The scenario document at one sweep point: values written at the axes' pointers, the
// `sweep` block removed.
Json sweepPointDocument(const Json& doc, const std::vector<SweepAxis>& axes, const std::vector<double>& at);

// Every point of the axes, row-major over the first axis, then the second.
std::vector<std::vector<double>> sweepPoints(const std::vector<SweepAxis>& axes);
// The document at one point; its problems go to `issues`, naming the sweep value at fault.
Json checkSweepPoint(const Json& doc, const std::vector<SweepAxis>& axes, const std::vector<double>& at,
                     const ScenarioNeeds& needs, Issues& issues);

// `validate`: {"valid": true} or {"valid": false, "errors": [...]}.
Json validateCommand(const Json& input, const RunOptions& options);

}  // namespace backstop
