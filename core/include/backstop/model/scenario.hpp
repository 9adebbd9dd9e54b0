// The scenario (docs/scenario-format.md): plain typed data. The JSON reader and writer are in io/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backstop/errors.hpp"
#include "backstop/model/position.hpp"

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
inline constexpr long long kMaxSweepValues = 64;   // per axis
inline constexpr long long kMaxSweepPoints = 1024; // all axes together
inline constexpr long long kMaxMarkets = 32;
inline constexpr long long kMaxFundHoldings = 8;
inline constexpr long long kMaxMaintenanceTiers = 256;
// Absurd sizes (docs/scenario-format.md (limits)): beyond these, products of prices and quantities lose meaning.
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
  // One account's notional at entry in a synthetic cohort (margin units): picks the cohort's
  // maintenance tier; 0: accounts small enough for the first tier.
  double accountNotional = 0;
  bool synthetic() const { return openInterest > 0 && !leverage.empty(); }
};

enum class FundScope { Shared, PerMarket };
enum class FundAsset { Quote, Underlying, Token };

// One holding of the fund, as a share of its value at the start (docs/model.md (several markets, one fund)).
struct FundHolding {
  FundAsset asset = FundAsset::Quote;
  double share = 1;
  double dailyVolatility = 0;  // token: idiosyncratic daily volatility of its log price
  double beta = 0;             // token: loading on the reference market's log-return
  int market = 0;              // underlying / token reference: index into the markets
};

// A governance treasury behind the fund (docs/model.md (several markets, one fund)): `amount` can be released `delayDays`
// after the fund first fails to cover a loss; losses before that go to the next stage.
struct Treasury {
  double amount = 0;
  double delayDays = 0;
};

struct Fund {
  double balance = 0;
  double feeShare = 0;
  double backstopVault = 0;
  std::optional<double> maxDrawFractionPerEvent;
  double floor = 0;  // the fund never pays below this balance (Drift keeps 1 unit)
  FundScope scope = FundScope::Shared;
  std::vector<FundHolding> composition;  // empty: all in the money unit (quote; coin for inverse)
  Treasury treasury;
};

enum class Stage { InsuranceFund, Treasury, FeePool, BackstopVault, Adl, SocializedLoss };
enum class PenaltyMode { FeeRate, RemainingMargin };
enum class AdlRanking { PnlTimesLeverage, BinanceLeveragePnl, HyperliquidIndex, Pnl, ProRata, Random, WaterFilling };
enum class SocializeOver { ProfitablePnl, PerContract, AllCollateral };
enum class AdlTriggerKind { Depleted, Drawdown };
enum class FundCoverage { Partial, AllOrNothing };
enum class Venue { Generic, Bitmex, Binance, DydxV4, Hyperliquid, Drift, GmxV2 };

const char* toString(Stage s);
const char* toString(AdlRanking r);
const char* toString(Venue v);

// A policy filled in code may set `preset` alone: resolve() gives every field still at its
// generic default the preset's value (what the JSON reader does for fields not written).
// presetPolicy() returns a policy with the preset applied, whose fields are then kept as set.
struct Policy {
  Venue preset = Venue::Generic;
  bool presetApplied = false;  // set by presetPolicy() and resolve()
  PenaltyMode penaltyMode = PenaltyMode::FeeRate;
  double penaltyRate = 0.005;
  double penaltyToFund = 1.0;
  double penaltyToVault = 0.0;  // share of the penalty paid into the backstop vault / LP pool (GMX)
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
  double feePool = 0;                    // drift: the market's fee pool, the fee_pool stage's balance
  double liquidationMarginBuffer = 0;    // drift: liquidation restores margin to maintenance + this
  double maxPnlFactor = -1;              // gmx_v2: MAX_PNL_FACTOR_FOR_TRADERS (<0: no pool PnL rules)
  double maxPnlFactorForAdl = -1;        // gmx_v2: ADL when pool PnL / pool exceeds this
  double minPnlFactorAfterAdl = -1;      // gmx_v2: ADL stops at this factor
  double maxNegativeImpact = -1;         // gmx_v2: negativeMaxPositionImpactFactor on a liquidation (<0: no cap)
  double fundTakeoverCap = -1;           // binance: the fund takes over bankrupt positions while its net notional stays
                                         // within this × its balance, the rest to ADL (<0: no cap)
  // binance, bitmex: maintenance tiers by notional (margin units); nullopt: the preset's table for
  // the symbol, if any; empty: none (the market's one rate).
  std::optional<std::vector<MarginTier>> maintenanceTiers;
  TierBasis maintenanceTierBasis = TierBasis::Mark;
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

// Importance sampling of the depletion event (docs/model.md, importance sampling): off, or a
// tilt chosen from a pilot run by the cross-entropy method.
enum class ImportanceSampling { Off, Auto };

struct SimulationSettings {
  double horizonDays = 30;
  int stepsPerDay = 24;
  long long paths = 10000;
  std::uint64_t seed = 1;
  double targetDepletionProbability = 0.01;
  ImportanceSampling importanceSampling = ImportanceSampling::Off;
  double targetRelativeError = 0;  // > 0: run batches until the 95 % half-width <= this × estimate
  long long maxPaths = 0;          // the cap of such a run (0: the paths limit)
  long long steps() const { return (long long)(horizonDays * stepsPerDay + 0.5); }
};

struct StressSettings {
  std::vector<double> shocks;
};

// One market of a multi-market scenario (docs/model.md (several markets, one fund)); a single-market scenario has one.
struct MarketSpec {
  Market market;
  Book book;
  PriceModel priceModel;
  Policy policy;       // the scenario's policy with this market's preset values (symbol-dependent)
  double balance = 0;  // per_market scope: this market's own fund
  double feeShare = 0; // share of this market's taker fees paid to its fund
  std::optional<double> jumpLoading;  // "loading" on common_jumps, when not given as common_jumps.loadings
};

// A jump factor common to all markets: each market's log-price moves by loading × jump.
struct CommonJumps {
  double intensityPerYear = 0;
  double mean = 0, stdev = 0;
  std::vector<double> loadings;
  bool active() const { return intensityPerYear > 0; }
};

// A calibration sweep axis (docs/model.md (several markets, one fund)): a numeric field by JSON pointer and its values.
struct SweepAxis {
  std::string pointer;       // into the scenario, e.g. "/policy/penalty/rate"
  std::string parameterPointer, valuesPointer;  // where they were given (for error messages)
  std::vector<double> values;
};

struct Scenario {
  std::string name;
  Fund fund;
  Policy policy;  // the scenario's policy; each market's copy (MarketSpec::policy) is derived by resolve()
  SimulationSettings simulation;
  StressSettings stress;
  std::vector<SweepAxis> sweep;  // empty: no sweep
  std::vector<MarketSpec> markets;  // the one source of truth for markets; a single-market scenario has one
  std::vector<std::vector<double>> correlation;     // N×N over the markets' diffusion shocks (empty: identity)
  std::vector<std::vector<double>> choleskyFactor;  // lower-triangular factor of `correlation` (resolve())
  CommonJumps commonJumps;
  bool multiMarket = false;  // given as "markets": [...] (resolve() sets it for more than one market)
  bool hasMarket = false, hasBook = false, hasPriceModel = false, hasStress = false;
  bool hasRuin = false;

  // The first market: written through, it is created, so `s.market().markPrice = 100` fills
  // markets[0]. Read on a scenario without markets, it throws InputError (/markets).
  Market& market() { return first().market; }
  Book& book() { return first().book; }
  PriceModel& priceModel() { return first().priceModel; }
  const Market& market() const { return first().market; }
  const Book& book() const { return first().book; }
  const PriceModel& priceModel() const { return first().priceModel; }

 private:
  MarketSpec& first();
  const MarketSpec& first() const;
};

// What a command needs from the document; missing required sections are errors.
struct ScenarioNeeds {
  bool marketAndBook = true;
  bool priceModel = false;
  bool stress = false;
};

// The preset's policy (docs/venues.md) before the scenario's own fields are applied; each
// venue's is in its own file (core/src/venues/<venue>.cpp).
Policy presetPolicy(Venue v, const std::string& symbol);
// Gives every field of `p` still at the generic default the value of p.preset's policy
// (for `symbol`); no-op once applied.
void applyPreset(Policy& p, const std::string& symbol);

// Puts the treasury stage right after the fund when the fund has a treasury and the stages
// do not place it; true when it did.
bool placeTreasuryStage(Policy& p, const Fund& f);

// What the engines need beyond the plain data, derived the way the JSON reader derives it:
// presets applied, each market's policy (its own symbol), shared-fund fee shares, the
// treasury stage, the Cholesky factor of the correlation, common-jump loadings. Idempotent.
Scenario resolve(const Scenario& s);

// Every problem of a scenario with the JSON pointers and messages the JSON reader gives for
// the same document (it is checked as that document: io/scenario_writer). Empty when valid.
std::vector<FieldError> validate(const Scenario& s, const ScenarioNeeds& needs);
std::vector<FieldError> validate(const Scenario& s);  // as `simulate` needs it (market, book, price model)

// The maintenance schedule of a market under a policy: its tiers (amounts derived) or its one rate.
Maintenance maintenanceOf(const Market& m, const Policy& p);
// Why a market's rate and its policy's tiers disagree ("" when they agree): the market's
// maintenance_margin_rate must be the first tier's; the BitMEX XBTUSD table is in XBT (inverse).
std::string maintenanceTierProblem(const Market& m, const Policy& p);
// How many accounts a synthetic cohort of `notional` (margin units at entry) stands for
// (Book::accountNotional); +inf when not given (the first tier).
double cohortAccounts(const Book& b, double notional);

// Open interest of one side summed over the markets: the synthetic book's, plus for explicit
// positions the larger side's notional at the mark (quote units).
double totalOpenInterest(const Scenario& s);
double openInterest(const MarketSpec& m);
// The fund now: the shared balance, or the per-market funds' sum (scope per_market).
double currentFundBalance(const Scenario& s);

// Lower-triangular L with L·Lᵀ = C for a positive semi-definite C (zero pivots allowed);
// nullopt with the failing pivot's index when C is not PSD.
std::optional<std::vector<std::vector<double>>> semidefiniteCholesky(const std::vector<std::vector<double>>& c,
                                                                     size_t* failedAt = nullptr);

// Daily volatility the sqrt impact law uses for a price model (its unconditional value).
double modelDailyVolatility(const PriceModel& m);

// Every point of the axes, row-major over the first axis, then the second.
std::vector<std::vector<double>> sweepPoints(const std::vector<SweepAxis>& axes);

}  // namespace backstop
