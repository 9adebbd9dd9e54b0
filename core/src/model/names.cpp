#include "backstop/model/names.hpp"

#include <cstring>

#include "backstop/errors.hpp"

namespace backstop {

const std::vector<NameTable>& nameTables() {
  // The order of each table is the order of the reader's "must be one of" lists.
  static const std::vector<NameTable> tables = {
      {"stage",
       {{int(Stage::InsuranceFund), "insurance_fund", "insurance fund"},
        {int(Stage::Treasury), "treasury", "treasury"},
        {int(Stage::FeePool), "fee_pool", "fee pool"},
        {int(Stage::BackstopVault), "backstop_vault", "backstop vault"},
        {int(Stage::Adl), "adl", "auto-deleveraging"},
        {int(Stage::SocializedLoss), "socialized_loss", "socialised loss"}}},
      {"adl_ranking",
       {{int(AdlRanking::PnlTimesLeverage), "pnl_times_leverage", "PnL × leverage (BitMEX)"},
        {int(AdlRanking::BinanceLeveragePnl), "binance_leverage_pnl", "leverage × PnL ratio (Binance)"},
        {int(AdlRanking::HyperliquidIndex), "hyperliquid_index", "mark/entry × notional/equity (Hyperliquid)"},
        {int(AdlRanking::Pnl), "pnl", "unrealised PnL"},
        {int(AdlRanking::ProRata), "pro_rata", "pro rata"},
        {int(AdlRanking::Random), "random", "random (dYdX)"},
        {int(AdlRanking::WaterFilling), "water_filling", "water-filling (lowest max leverage)"}}},
      {"venue",
       {{int(Venue::Generic), "generic", "Generic"},
        {int(Venue::Bitmex), "bitmex", "BitMEX"},
        {int(Venue::Binance), "binance", "Binance"},
        {int(Venue::DydxV4), "dydx_v4", "dYdX v4"},
        {int(Venue::Hyperliquid), "hyperliquid", "Hyperliquid"},
        {int(Venue::Drift), "drift", "Drift"},
        {int(Venue::GmxV2), "gmx_v2", "GMX v2"}}},
      {"price_model",
       {{int(PriceModelKind::Gbm), "gbm", "GBM"},
        {int(PriceModelKind::StudentT), "student_t", "Student-t"},
        {int(PriceModelKind::Merton), "merton", "Merton (jumps)"},
        {int(PriceModelKind::Garch), "garch", "GARCH(1,1)"},
        {int(PriceModelKind::Bootstrap), "bootstrap", "block bootstrap"}}},
      {"impact_model",
       {{int(ImpactModel::None), "none", "none"},
        {int(ImpactModel::Linear), "linear", "linear"},
        {int(ImpactModel::Sqrt), "sqrt", "square root"}}},
      {"penalty_mode",
       {{int(PenaltyMode::FeeRate), "fee_rate", "fee rate on notional"},
        {int(PenaltyMode::RemainingMargin), "remaining_margin", "remaining margin"}}},
      {"socialize_over",
       {{int(SocializeOver::ProfitablePnl), "profitable_pnl", "profitable PnL"},
        {int(SocializeOver::PerContract), "per_contract", "per contract"},
        {int(SocializeOver::AllCollateral), "all_collateral", "all collateral"}}},
      {"adl_trigger",
       {{int(AdlTriggerKind::Depleted), "depleted", "fund depleted"},
        {int(AdlTriggerKind::Drawdown), "drawdown", "fund drawdown"}}},
      {"fund_coverage",
       {{int(FundCoverage::Partial), "partial", "partial"},
        {int(FundCoverage::AllOrNothing), "all_or_nothing", "all or nothing"}}},
      {"fund_scope",
       {{int(FundScope::Shared), "shared", "shared"}, {int(FundScope::PerMarket), "per_market", "per market"}}},
      {"fund_asset",
       {{int(FundAsset::Quote), "quote", "quote"},
        {int(FundAsset::Underlying), "underlying", "underlying"},
        {int(FundAsset::Token), "token", "token"}}},
      {"contract", {{int(Contract::Linear), "linear", "linear"}, {int(Contract::Inverse), "inverse", "inverse"}}},
      {"side", {{int(Side::Long), "long", "long"}, {int(Side::Short), "short", "short"}}},
      {"maintenance_tier_basis",
       {{int(TierBasis::Mark), "mark", "notional at the mark (Binance brackets)"},
        {int(TierBasis::Entry), "entry", "notional at entry (BitMEX risk limits)"}}},
      // Drift's contract tiers (protocol-v2 state/perp_market.rs ContractTier); each sets a fund cap.
      {"contract_tier",
       {{0, "a", "tier A"}, {1, "b", "tier B"}, {2, "c", "tier C"}, {3, "speculative", "speculative"},
        {4, "highly_speculative", "highly speculative"}, {5, "isolated", "isolated"}}},
      {"claim_distribution",
       {{int(ClaimKind::Exponential), "exponential", "exponential"},
        {int(ClaimKind::Gamma), "gamma", "gamma"},
        {int(ClaimKind::Lognormal), "lognormal", "lognormal"},
        {int(ClaimKind::Lomax), "pareto", "Pareto (Lomax)"},
        {int(ClaimKind::ExponentialMixture), "exponential_mixture", "exponential mixture"},
        {int(ClaimKind::Empirical), "empirical", "empirical"}}},
      {"importance_sampling",
       {{int(ImportanceSampling::Off), "off", "off (plain Monte Carlo)"},
        {int(ImportanceSampling::Auto), "auto", "auto (cross-entropy tilt)"}}},
  };
  return tables;
}

const NameTable& nameTable(const char* key) {
  for (const auto& t : nameTables())
    if (std::strcmp(t.key, key) == 0) return t;
  throw InputError(ErrorCode::Internal, {{"", std::string("no name table \"") + key + "\""}});
}

}  // namespace backstop
