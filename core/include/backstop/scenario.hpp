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
inline constexpr long long kMaxPathSteps = 2000000000LL;  // paths × (warm-up + horizon steps) per run
inline constexpr long long kMaxPaths = 10000000;
inline constexpr long long kMaxStepsPerPath = 200000;     // warm-up + horizon steps
inline constexpr long long kMaxStepsPerDay = 1440;
inline constexpr double kMaxHorizonDays = 3650;
// Per-path records kept for the summary: paths × (5 + 2 × days + 65 fund sizes in policy mode), 8 bytes each.
// 25M cells = 200 MB, which fits the wasm module's 1 GB with the pool's copies.
inline constexpr long long kMaxRecordCells = 25000000;
// Drawdown ADL trigger: look-back steps (window_hours × steps_per_day / 24, at most the run's
// steps); each thread keeps 65 fund sizes × this many entries.
inline constexpr long long kMaxDrawdownWindowSteps = 20000;
inline constexpr long long kMaxLeverageBuckets = 64;
inline constexpr long long kMaxShocks = 1000;
inline constexpr long long kMaxBootstrapReturns = 1000000;
inline constexpr long long kMaxCascadeIterations = 64;
// Absurd sizes (SPEC §11): beyond these, products of prices and quantities lose meaning.
inline constexpr double kMaxMoney = 1e15;  // quote units: balances, collateral, OI, volume, depth, notional
inline constexpr double kMaxPrice = 1e12;
// Below this a price loses meaning too: 1e-300 underflowed to NaN in the bad-debt statistics.
inline constexpr double kMinPrice = 1e-12;
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

struct Scenario {
  std::string name;
  Market market;
  Book book;
  Fund fund;
  Policy policy;
  PriceModel priceModel;
  SimulationSettings simulation;
  StressSettings stress;
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

// `validate`: {"valid": true} or {"valid": false, "errors": [...]}.
Json validateCommand(const Json& input, const RunOptions& options);

}  // namespace backstop
