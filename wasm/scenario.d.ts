// Generated from schema/scenario.schema.json by scripts/schema-types.mjs. Do not edit.

/** Keys the core reads as comments in any object of a scenario. */
export interface Commented {
  description?: string;
  source?: string;
  notes?: unknown;
  [comment: `_${string}`]: unknown;
  [comment: `$${string}`]: unknown;
}

/** Insurance-fund scenario (docs/scenario-format.md). Prices and money in quote units (coin for inverse margin), rates as fractions, time in days. Keys named description, source, notes or starting with _ or $ are comments. */
export type Scenario = Commented & {
  schema?: "backstop/scenario@1";
  name?: string;
  description?: string;
  source?: string;
  market?: Market;
  book?: Book;
  fund?: Commented & {
    /** Default: 0. */
    balance?: number;
    /** Default: 0. */
    fee_share?: number;
    /** Default: 0. */
    backstop_vault?: number;
    /** Default: null. */
    max_draw_fraction_per_event?: number | null;
    /** Default: 0. */
    floor?: number;
    /** with markets: one fund for all (shared) or one per market (each markets[i].fund.balance) Default: "shared". */
    scope?: "shared" | "per_market";
    /** what the fund holds, as shares of its value now; outflows sell holdings pro rata (docs/formulas.md#fund-composition-and-the-growth-index). Default: all in the money unit. */
    composition?: (Commented & {
      asset: "quote" | "underlying" | "token";
      share: number;
      /** token: idiosyncratic daily volatility of its log price */
      daily_volatility?: number;
      /** token: loading on the reference market's log-return Default: 1. */
      beta?: number;
      /** index of the reference market (underlying, token beta) Default: 0. */
      market?: number;
    })[];
    /** released delay_days after the fund first fails to cover a loss; earlier losses go to the next stage */
    treasury?: Commented & {
      /** Default: 0. */
      amount?: number;
      /** Default: 0. */
      delay_days?: number;
    };
  };
  policy?: Commented & {
    /** Default: "generic". */
    preset?: "generic" | "bitmex" | "binance" | "dydx_v4" | "hyperliquid" | "drift" | "gmx_v2";
    penalty?: Commented & {
      mode?: "fee_rate" | "remaining_margin";
      rate?: number;
      to_fund?: number;
      /** share of the penalty paid into the backstop vault / LP pool (gmx_v2: 1); to_fund + to_vault <= 1, the rest goes to the liquidator */
      to_vault?: number;
    };
    /** fee_pool: the market's fee pool pays after the fund (Drift resolve_perp_bankruptcy), up to policy.venue.fee_pool; treasury: released fund.treasury.delay_days after the fund first fails to cover a loss */
    stages?: ("insurance_fund" | "treasury" | "fee_pool" | "backstop_vault" | "adl" | "socialized_loss")[];
    /** who ADL closes: a venue's queue score (highest first), pro rata by quantity, a seeded random start (dYdX v4), or water_filling: the quantity spread so that the largest post-ADL leverage is as small as possible (Campbell, Hey, Moallemi, Nutz, arXiv 2603.15963) */
    adl_ranking?: "pnl_times_leverage" | "binance_leverage_pnl" | "hyperliquid_index" | "pnl" | "pro_rata" | "random" | "water_filling";
    socialize_over?: "profitable_pnl" | "per_contract" | "all_collateral";
    adl_trigger?: Commented & {
      kind?: "depleted" | "drawdown";
      fraction?: number;
      window_hours?: number;
    };
    fund_coverage?: "partial" | "all_or_nothing";
    venue?: Commented & {
      backstop_threshold?: number;
      spread_to_maintenance?: number;
      bankruptcy_adjustment?: number;
      max_insurance_fund_fee?: number;
      per_market_fund_cap?: number | null;
      /** drift: the market's contract tier; sets per_market_fund_cap to the tier's maximum (a 100 M, b 1 M, c 100 k, else 0) unless given */
      contract_tier?: "a" | "b" | "c" | "speculative" | "highly_speculative" | "isolated";
      /** drift: the market's fee pool balance, paid by the fee_pool stage */
      fee_pool?: number;
      /** binance, bitmex: maintenance margin tiers by position notional in margin units, ascending; MM = notional x rate - amount, amounts derived so MM is continuous (basis mark); presets: Binance BTCUSDT brackets, BitMEX XBTUSD risk limits; [] for the market's one rate */
      maintenance_tiers?: (Commented & {
        up_to: number;
        rate: number;
      })[];
      /** mark: the tier of the notional at the mark (Binance); entry: the tier of the notional at entry (BitMEX risk limit) */
      maintenance_tier_basis?: "mark" | "entry";
      /** drift: partial liquidation restores margin to maintenance + this (default 0.02) */
      liquidation_margin_buffer?: number;
      /** gmx_v2: negativeMaxPositionImpactFactor, a liquidation's negative price impact capped at this share of the size (0.005) */
      max_negative_impact?: number | null;
      /** binance: the fund takes over bankrupt positions while its net notional stays within this multiple of its balance (1); the rest goes to ADL */
      fund_takeover_cap?: number | null;
      /** gmx_v2: MAX_PNL_FACTOR_FOR_TRADERS, profits capped at this share of the pool (0.9) */
      max_pnl_factor?: number | null;
      /** gmx_v2: ADL when a side's PnL / pool exceeds this (0.85) */
      max_pnl_factor_for_adl?: number | null;
      /** gmx_v2: ADL stops at this factor (0.77) */
      min_pnl_factor_after_adl?: number | null;
    };
  };
  price_model?: PriceModel;
  simulation?: Commented & {
    /** Default: 30. */
    horizon_days?: number;
    /** Default: 24. */
    steps_per_day?: number;
    /** Default: 10000. */
    paths?: number;
    /** Default: 1. */
    seed?: number;
    /** Default: 0.01. */
    target_depletion_probability?: number;
    /** auto: importance sampling of the depletion event, tilt chosen by cross-entropy on a pilot run (docs/model.md, importance sampling) Default: "off". */
    importance_sampling?: "off" | "auto";
    /** run batches of 2000 paths until the 95 % half-width of P(depletion) is at most this share of the estimate (0.1 = +-10 %) */
    target_relative_error?: number;
    /** the path cap of a run to a precision (default 1000000) */
    max_paths?: number;
  };
  stress?: Commented & {
    shocks?: number[];
  };
  ruin?: Commented & {
    initial_surplus?: number;
    premium_rate?: number;
    claim_rate?: number;
    claim?: Commented & {
      distribution: "exponential" | "gamma" | "lognormal" | "pareto" | "exponential_mixture" | "empirical";
    };
    horizon?: number | null;
    target_probability?: number;
  };
  /** several markets (docs/scenario-format.md#markets); replaces market, book and price_model */
  markets?: (Commented & {
    market: Market;
    book: Book;
    price_model?: PriceModel;
    /** only with fund.scope per_market */
    fund?: Commented & {
      balance?: number;
      fee_share?: number;
    };
    /** this market's loading on common_jumps when common_jumps.loadings is not given (default 1) */
    loading?: number;
  })[];
  /** N×N correlation of the markets' diffusion shocks; symmetric, unit diagonal, positive semi-definite */
  correlation?: number[][];
  /** a jump factor common to all markets: each market's log price moves by loading × jump */
  common_jumps?: Commented & {
    intensity_per_year?: number;
    mean?: number;
    stdev?: number;
    /** one per market; default 1 */
    loadings?: number[];
    /** the same as intensity_per_year */
    intensity?: number;
  };
  /** calibration sweep (docs/scenario-format.md#sweep): one axis {parameter, values}, or {parameters: [axis, axis]} for a grid */
  sweep?: Commented & {
    /** JSON pointer of a numeric scenario field, or two pointers for a grid (then values is two arrays) */
    parameter?: string | string[];
    values?: (number | number[])[];
    parameters?: (Commented & {
      /** JSON pointer of a numeric scenario field */
      parameter: string;
      values: number[];
    })[];
  };
  /** the same as fund.treasury (give one of the two) */
  treasury?: Commented & {
    /** Default: 0. */
    amount?: number;
    /** Default: 0. */
    delay_days?: number;
  };
  /** a price path for replay (docs/scenario-format.md#replay): closes of consecutive intervals from market.mark_price, optional high/low */
  replay?: Commented & {
    close: number[];
    high?: number[];
    low?: number[];
    interval_days?: number;
  };
};

export type Market = Commented & {
  symbol?: string;
  /** Default: "linear". */
  contract?: "linear" | "inverse";
  mark_price: number;
  maintenance_margin_rate: number;
  /** Default: 0. */
  taker_fee_rate?: number;
  /** quote units per day; > 0 for the sqrt impact model Default: 0. */
  daily_volume?: number;
  liquidity?: Commented & {
    /** Default: "none". */
    model?: "none" | "linear" | "sqrt";
    /** quote depth within 1 % of mid; > 0 for the linear model */
    depth_1pct?: number;
    /** Default: 1. */
    impact_coefficient?: number;
    /** Default: 0. */
    permanent_impact?: number;
  };
};

export type Book = Commented & {
  /** notional of ONE side, quote units */
  open_interest?: number;
  /** shares sum to 1; 1/leverage must exceed the maintenance margin rate */
  leverage?: (Commented & {
    leverage: number;
    share: number;
  })[];
  /** Default: 0. */
  turnover_per_day?: number;
  /** Default: 0. */
  warmup_days?: number;
  /** one account's notional at entry in a synthetic cohort (margin units): picks the cohort's maintenance tier; 0: the first tier Default: 0. */
  account_notional?: number;
  positions?: (Commented & {
    /** unique */
    id?: string;
    side: "long" | "short";
    quantity: number;
    entry_price: number;
    collateral: number;
  })[];
};

export type PriceModel = Commented & {
  kind: "gbm" | "student_t" | "merton" | "garch" | "bootstrap";
  daily_volatility?: number;
  drift_per_year?: number;
  dof?: number;
  jump_intensity_per_year?: number;
  jump_mean?: number;
  jump_stdev?: number;
  omega?: number;
  alpha?: number;
  beta?: number;
  returns?: number[];
  block_days?: number;
};
