// TypeScript declarations of backstop's JavaScript API (wasm/backstop.mjs). Field names
// follow the scenario format and the outputs in docs/scenario-format.md and docs/outputs.md.

/** What failed: bad input, a work limit, a cancelled run, or a fault inside backstop. */
export type BackstopErrorCode = 'invalid_input' | 'limit_exceeded' | 'cancelled' | 'internal';

/** One problem, located by JSON pointer ('' for the whole document). */
export interface FieldError {
  pointer: string;
  message: string;
}

/** Thrown (or rejected) by every call that fails. */
export class BackstopError extends Error {
  constructor(code: BackstopErrorCode, message: string, errors?: FieldError[]);
  readonly name: 'BackstopError';
  code: BackstopErrorCode;
  /** Every problem found. */
  errors: FieldError[];
  /** Pointer of the first offending field ('' for the whole document). */
  pointer: string;
}

/** A scenario (docs/scenario-format.md) as an object, or its JSON text. */
export type ScenarioInput = Scenario | string;

/** A scenario: generated from schema/scenario.schema.json (wasm/scenario.d.ts). */
export type { Scenario } from './scenario.js';
import type { Scenario } from './scenario.js';

/** Overrides of the scenario's simulation settings. */
export interface RunOptions {
  paths?: number;
  seed?: number;
  /** Threads inside one call (1 in browsers without shared memory). */
  threads?: number;
  /** Importance sampling of the depletion event (overrides simulation.importance_sampling). */
  importance?: 'auto' | 'off';
  /** Run batches until the 95 % half-width is at most this share of P(depletion), e.g. 0.1. */
  precision?: number;
}

export interface SimulateOptions extends RunOptions {
  /** Split the paths over this many workers (a temporary pool); results do not depend on it. */
  workers?: number;
  /** Use these warm workers instead of starting a pool. */
  pool?: BackstopPool;
  /** Fraction of the paths done, in (0, 1], as ranges finish. */
  onProgress?: (fraction: number) => void;
  /** Aborting rejects with a BackstopError of code 'cancelled' and stops the workers. */
  signal?: AbortSignal;
}

// The result types below are checked against the CLI's outputs field for field
// (tests/js/types-contract.test.mjs): no catch-all index signatures.

export interface PositionResult {
  bankruptcy_price: number;
  liquidation_price: number;
  leverage: number;
  notional: number;
}

/** Where an event's bad debt went, stage by stage (quote units). */
export interface Waterfall {
  insurance_fund: number;
  /** Released fund.treasury.delay_days after the fund first failed to cover a loss. */
  treasury: number;
  /** Drift: the market's fee pool, after the fund. */
  fee_pool: number;
  backstop_vault: number;
  adl: number;
  socialized_loss: number;
  uncovered: number;
}

export interface Fill {
  id: string;
  quantity: number;
  price: number;
  loss: number;
}

export interface PositionOutcome {
  id: string;
  liquidated: boolean;
  execution_price: number | null;
  bad_debt: number;
  penalty: number;
  returned: number;
  /** Closed by liquidation; Drift and dYdX may close only part. */
  liquidated_quantity?: number;
  /** dYdX: closed at the bankruptcy price against offsetting positions. */
  deleveraged_quantity?: number;
  /** Left open after the event (partial liquidation). */
  remaining_quantity?: number;
  /** Taken over by the backstop vault (Hyperliquid's HLP). */
  backstopped?: boolean;
}

/** One market's share of a multi-market event. */
export interface MarketStressEvent {
  symbol: string;
  shock: number;
  mark_after: number;
  liquidated_notional: number;
  bad_debt: number;
  penalties_to_fund: number;
  penalties_to_vault: number;
  /** Liquidation rounds after the first, triggered by the liquidations' own price impact. */
  cascade_rounds: number;
  waterfall: Waterfall;
  fund_after: number;
  treasury_after: number;
  vault_after: number;
  fee_pool_after: number;
  adl_fills: Fill[];
  positions: PositionOutcome[];
  /** Events with ADL fills: who bore the ADL loss under the policy's rule (docs/outputs.md). */
  adl_summary?: AdlSummary;
  /** Events with ADL fills: the same loss allocated once under every rule, for comparison. */
  adl_comparison?: Omit<AdlSummary, 'max_leverage_before'>[];
}

export interface StressEvent extends Omit<MarketStressEvent, 'symbol'> {
  /** gmx_v2: per profitable side, the pool's PnL cap and ADL (MAX_PNL_FACTOR_FOR_ADL). */
  pool_pnl?: {
    side: 'long' | 'short';
    pnl: number;
    pool_usd: number;
    pnl_to_pool_factor: number | null;
    capped_pnl_ratio: number;
    adl: boolean;
    pnl_to_pool_factor_after: number | null;
    paid_to_traders: number;
    haircut: number;
    fills: Fill[];
  }[];
  /** With `markets`: each market's part of the event. */
  markets?: MarketStressEvent[];
}

export interface AdlSummary {
  /** The ranking rule (`policy.adl_ranking`). */
  rule: NonNullable<NonNullable<Scenario['policy']>['adl_ranking']>;
  /** Accounts hit. */
  counterparties: number;
  /** Quantity closed. */
  quantity: number;
  /** Money taken (= `waterfall.adl`). */
  loss: number;
  /** Largest account leverage before the ADL fills; null when unbounded. */
  max_leverage_before: number | null;
  /** Largest account leverage after them; null when unbounded. */
  max_leverage_after: number | null;
  /** Largest share of one trader's unrealised profit taken. */
  largest_haircut_share: number;
}

export interface StressResult {
  /** The scenario's name. */
  scenario: string;
  /** The policy preset applied. */
  preset: string;
  fund_before: number;
  events: StressEvent[];
  version: string;
}

export interface WaterfallSplit {
  insurance_fund: number;
  treasury: number;
  fee_pool: number;
  backstop_vault: number;
  adl: number;
  socialized_loss: number;
  uncovered: number;
}

export interface ReplayStep {
  t_days: number;
  price: number;
  liquidated_notional: number;
  bad_debt: number;
  penalties_to_fund: number;
  fee_inflow: number;
  /** Change of the fund's value from what it holds (fund.composition). */
  revaluation: number;
  waterfall: WaterfallSplit;
  fund_after: number;
  vault_after: number;
  treasury_after: number;
  liquidations: number;
}

export interface ReplayResult {
  scenario: string;
  preset: string;
  fund_before: number;
  steps: ReplayStep[];
  totals: {
    bad_debt: number;
    liquidated_notional: number;
    penalties_to_fund: number;
    fee_inflow: number;
    revaluation: number;
    waterfall: WaterfallSplit;
    fund_after: number;
    fund_min: number;
    depleted: boolean;
    depleted_at_days: number | null;
  };
  version: string;
}

export interface ReplayOptions {
  /** Days between rows when the CSV has no time column (default 1). */
  intervalDays?: number;
}

export interface RequiredFund {
  target: number;
  amount: number | null;
  ci95: [number | null, number | null];
  ratio_to_open_interest?: number | null;
}

export interface CurvePoint {
  fund: number;
  probability: number;
}

/**
 * P(depletion): plain (events / paths, Wilson 95 % interval) or importance sampling (weighted
 * by likelihood ratios, 95 % interval from the weighted variance).
 */
export interface Estimate {
  estimate: number;
  ci95: [number, number];
  /** Paths that depleted. */
  events: number;
  method: 'plain' | 'importance_sampling';
  /** 95 % half-width / estimate; null when the estimate is 0. */
  relative_error: number | null;
  /** Plain Monte Carlo paths with the same variance, p(1 - p) / SE². */
  effective_paths: number;
}

export interface BadDebt {
  mean: number;
  var95: number;
  es95: number;
  var99: number;
  es99: number;
  var999: number;
  es999: number;
}

export interface LiquidatedNotional {
  mean: number;
  max: number;
}

/** One market of a multi-market simulation. */
export interface MarketSimulateResult {
  symbol: string;
  open_interest: number;
  /** per_market funds: this market's fund; shared fund: null. */
  fund_balance: number | null;
  depletion_probability: Estimate;
  /** Depletion probability of this market alone against the fund. */
  alone_against_fund: number;
  liquidation_probability: { estimate: number; ci95: [number, number] };
  required_fund: RequiredFund;
  bad_debt: BadDebt;
  share_of_bad_debt: number;
  liquidated_notional: LiquidatedNotional;
}

export interface SimulateResult {
  /** The scenario's name. */
  scenario: string;
  preset: string;
  generator: string;
  paths: number;
  seed: number;
  horizon_days: number;
  open_interest: number;
  fund_balance: number;
  fund_scope?: 'shared' | 'per_market';
  /** How the fund's value moves with its holdings (fund.composition). */
  fund_growth_index?: string;
  treasury?: { amount: number; delay_days: number };
  depletion_probability: Estimate;
  /** With markets: the depletion probability were the markets independent. */
  independent_markets_depletion_probability?: number;
  liquidation_probability: { estimate: number; ci95: [number, number] };
  adl_probability: number;
  adl_probability_ci95: [number, number];
  required_fund: RequiredFund;
  bad_debt: BadDebt;
  curve: CurvePoint[];
  fund_quantiles: { days: number[]; p05: number[]; p25: number[]; p50: number[]; p75: number[]; p95: number[] };
  time_to_depletion_days: { bin_days: number; histogram: number[]; never: number };
  liquidated_notional: LiquidatedNotional;
  /** Liquidation cascades (price impact of liquidations triggering more). */
  cascades?: { mean_extra_rounds_per_path: number };
  markets?: MarketSimulateResult[];
  /** The Cramér–Lundberg model fitted to the simulated daily bad debt (docs/model.md#analytic-ruin-theory-as-a-cross-check). */
  analytic?: SimulateAnalytic;
  warnings: string[];
  version: string;
}

export interface SizeResult extends RequiredFund {
  curve: CurvePoint[];
  depletion_probability: Estimate;
  paths: number;
  seed: number;
  version: string;
  warnings: string[];
}

export interface SweepPoint {
  /** The swept values at this point, one per parameter. */
  at: number[];
  depletion_probability: Estimate;
  required_fund: RequiredFund;
  adl_probability: number;
  adl_probability_ci95: [number, number];
  bad_debt: BadDebt;
  liquidated_notional: LiquidatedNotional;
  warnings: string[];
}

export interface SweepResult {
  /** The scenario's name. */
  scenario?: string;
  parameters: { pointer: string; values: number[] }[];
  /** Row-major over the first parameter, then the second. */
  points: SweepPoint[];
  /** How the points share random numbers (same seed and per-path streams). */
  common_random_numbers: string;
  paths: number;
  seed: number;
  version: string;
  warnings: string[];
}

export interface RuinResult {
  psi: number | null;
  psi_bounds: [number | null, number | null];
  method: string;
  loading: number | null;
  lundberg: { adjustment_coefficient: number | null; bound: number | null };
  cramer_lundberg: number | null;
  de_vylder: number | null;
  finite_horizon: { horizon: number; diffusion: number | null; exact: number | null } | null;
  required_surplus: { target: number; amount: number | null; amount_bounds: [number, number] | null };
  bound_width: number | null;
  claim_mean: number;
  /** The discretisation of the ladder-height distribution, when one was used. */
  grid: { points: number; step: number } | null;
  /** The method behind each number, keyed by its field (dotted for nested ones). */
  methods: Record<string, string>;
  notes: string[];
}

export interface SimulateAnalytic extends RuinResult {
  fit: { claim_rate_per_day: number; premium_per_day: number; days_observed: number; days_with_bad_debt: number };
  note: string;
}

export type CalibrationModel = 'gbm' | 'student_t' | 'merton' | 'garch' | 'bootstrap';

export interface CalibrateOptions {
  /** Default 'all'. */
  model?: CalibrationModel | 'all';
  /** Days between rows when the CSV has no time column (default 1). */
  intervalDays?: number;
}

export interface CalibrationFit {
  kind: CalibrationModel;
  /** A scenario `price_model`, usable as it is. */
  price_model: Record<string, unknown> & { kind: CalibrationModel };
  /** Full log density of the returns at the optimum; null for bootstrap. */
  log_likelihood: number | null;
  aic: number | null;
  parameter_count: number;
  /** In backstop's names (daily_volatility, drift_per_year, dof, ...). */
  parameters: Record<string, number>;
  /** From the observed information; null where it gives none (a boundary). */
  standard_errors: Record<string, number | null>;
  /** The textbook form (location/scale/dof; fGarch's mu/omega/alpha1/beta1/shape; ...). */
  fit_parameters: Record<string, number>;
  fit_standard_errors: Record<string, number | null>;
  converged: boolean;
}

export interface CalibrationResult {
  /** Prices read (returns are one fewer). */
  observations: number;
  interval_days: number;
  fits: CalibrationFit[];
  /** The kind with the lowest AIC. */
  best: CalibrationModel | null;
  notes: string[];
}

/** One value of an enum: its id (the scenario's JSON spelling) and a label for people. */
export interface NameEntry {
  id: string;
  label: string;
}

/** How a report column's numbers are written (docs/outputs.md#reports). */
export type ReportUnit =
  | 'text' | 'money' | 'price' | 'quantity' | 'probability' | 'share' | 'point_change' | 'shock' | 'count' | 'id'
  | 'days' | 'leverage' | 'number';

/** The core's enum tables (`Backstop.names()`). */
export interface Names {
  stages: NameEntry[];
  adl_rankings: NameEntry[];
  venues: NameEntry[];
  price_models: NameEntry[];
  impact_models: NameEntry[];
  penalty_modes: NameEntry[];
  socialize_over: NameEntry[];
  adl_triggers: NameEntry[];
  claim_distributions: NameEntry[];
  contracts: NameEntry[];
  fund_assets: NameEntry[];
  fund_coverages: NameEntry[];
  fund_scopes: NameEntry[];
  sides: NameEntry[];
  contract_tiers: NameEntry[];
  importance_samplings: NameEntry[];
  maintenance_tier_basis: NameEntry[];
}

export interface ValidateResult {
  valid: boolean;
  errors: FieldError[];
}

export interface MemoryStats {
  /** Bytes of wasm linear memory. */
  memory: number;
  /** Bytes allocated with malloc. */
  heapInUse: number;
  /** The wasm stack pointer seen from a call. */
  stackPointer: number;
}

/** The commands the start module runs synchronously; every other command loads the full module. */
export type StartCommand = 'validate' | 'stress' | 'simulate' | 'names' | 'policy';

/**
 * The WebAssembly core in this thread: the start module, and the full module, loaded on the
 * first call of a command the start module lacks (those methods return promises).
 */
export class Backstop {
  readonly version: string;
  /** A start command, synchronously; throws BackstopError. */
  call(command: StartCommand, input: unknown, options?: RunOptions): unknown;
  /** Any other core command, in the full module (loaded on first use); rejects with BackstopError. */
  call(command: string, input: unknown, options?: RunOptions): Promise<unknown>;
  /** The enums' ids and labels, for option lists. */
  names(): Names;
  position(input: unknown): Promise<PositionResult>;
  /** Each market's venue policy in effect, every field (the preset's values where the scenario sets none). */
  policy(scenario: ScenarioInput): { markets: { symbol: string; policy: NonNullable<Scenario['policy']> }[] };
  stress(scenario: ScenarioInput): StressResult;
  /** A result as Markdown or CSV, as the CLI writes it (docs/outputs.md#reports). */
  report(
    command: 'stress' | 'simulate' | 'size' | 'sweep' | 'validate' | 'position',
    result: object,
    options?: { format?: 'markdown' | 'csv'; table?: string; input?: object; proposed?: object; proposedInput?: object },
  ): Promise<string>;
  /** A table of one's own written with the core's escaping and number rules. */
  table(
    columns: { key: string; label?: string; unit?: ReportUnit }[],
    rows: (number | string | null)[][],
    format?: 'markdown' | 'csv',
  ): Promise<string>;
  ruin(scenario: ScenarioInput): Promise<RuinResult>;
  /** A price path (CSV text, or the scenario's `replay` field when null) step by step (docs/outputs.md#replay). */
  replay(scenario: ScenarioInput, csv?: string | null, options?: ReplayOptions): Promise<ReplayResult>;
  size(scenario: ScenarioInput, options?: RunOptions): Promise<SizeResult>;
  /** Fits the price models to CSV text or an array of prices (maximum likelihood). */
  calibrate(input: string | number[] | Float64Array, options?: CalibrateOptions): Promise<CalibrationResult>;
  /** Never throws for bad input. */
  validate(scenario: ScenarioInput): ValidateResult;
  /** Identical results for any number of workers (docs/formulas.md#random-numbers). */
  simulate(scenario: ScenarioInput, options?: SimulateOptions): Promise<SimulateResult>;
  /** One simulation per value of `scenario.sweep`, with common random numbers (docs/model.md#sweeps). */
  sweep(scenario: ScenarioInput, options?: SimulateOptions): Promise<SweepResult>;
  memoryBytes(): number;
  memoryStats(): MemoryStats;
}

/** Warm workers for `simulate({pool})`; started lazily. */
export class BackstopPool {
  constructor(size: number);
  readonly size: number;
  /**
   * Set when no worker of this pool could start (a cross-origin script, a CSP forbidding
   * workers); `simulate` then runs on the calling thread, in ranges that yield between them.
   */
  readonly unavailable: BackstopError | null;
  /** Stops every worker; pending simulations reject with code 'cancelled'. */
  terminate(): void;
}

export function createPool(n?: number): BackstopPool;
/** One worker per core, at most 8. */
export function defaultWorkers(): number;
/** Loads the WebAssembly start module (backstop_start.wasm beside the API; read from disk in Node, fetched in browsers). */
export function createBackstop(): Promise<Backstop>;
export default createBackstop;
