// The calculator's inputs: where each lives in the scenario (a JSON pointer into the format of
// docs/scenario-format.md), its label, unit, display scale and bounds. Validation itself is the
// core's (bs.validate); the bounds here only shape the input controls, and a select's options
// are the core's name table `names` (names.js).

/** @typedef {{pointer: string, label: string, unit?: string, scale?: number, min?: number, max?: number,
 *   step?: number|string, kind?: 'number'|'select'|'integer', names?: string, hint?: string,
 *   when?: (s: object) => boolean, nullable?: boolean}} Field */

const M = 1e6;
const isKind = (...kinds) => (s) => kinds.includes(s.price_model?.kind);
const liq = (...models) => (s) => models.includes(s.market?.liquidity?.model);

/** @type {{id: string, title: string, fields: Field[]}[]} */
export const GROUPS = [
  {
    id: 'market', title: 'Market',
    fields: [
      { pointer: '/market/mark_price', label: 'Mark price', unit: 'quote', min: 0, step: 'any' },
      { pointer: '/market/maintenance_margin_rate', label: 'Maintenance margin', unit: '%', scale: 100, min: 0, max: 100, step: 0.05 },
      { pointer: '/market/taker_fee_rate', label: 'Taker fee', unit: 'bp', scale: 1e4, min: 0, max: 1000, step: 0.5 },
      { pointer: '/market/daily_volume', label: 'Daily volume', unit: 'M', scale: 1 / M, min: 0, step: 'any' },
      { pointer: '/market/liquidity/model', label: 'Liquidity model', kind: 'select', names: 'impact_models' },
      { pointer: '/market/liquidity/depth_1pct', label: 'Depth at 1 %', unit: 'M', scale: 1 / M, min: 0, step: 'any', when: liq('linear') },
      { pointer: '/market/liquidity/impact_coefficient', label: 'Impact coefficient', unit: '×', min: 0, step: 0.05, when: liq('sqrt') },
      { pointer: '/market/liquidity/permanent_impact', label: 'Permanent impact', unit: 'share', min: 0, max: 1, step: 0.05, when: liq('linear', 'sqrt') },
    ],
  },
  {
    id: 'book', title: 'Book',
    fields: [
      { pointer: '/book/open_interest', label: 'Open interest (one side)', unit: 'M', scale: 1 / M, min: 0, step: 'any' },
      { pointer: '/book/turnover_per_day', label: 'Turnover', unit: '/day', min: 0, step: 0.05 },
    ],
  },
  {
    id: 'volatility', title: 'Volatility',
    fields: [
      { pointer: '/price_model/kind', label: 'Price model', kind: 'select', names: 'price_models' },
      { pointer: '/price_model/daily_volatility', label: 'Daily volatility', unit: '%', scale: 100, min: 0, max: 100, step: 0.1, when: isKind('gbm', 'student_t', 'merton') },
      { pointer: '/price_model/dof', label: 'Degrees of freedom', unit: 'ν', min: 2, step: 0.5, when: isKind('student_t', 'garch') },
      { pointer: '/price_model/jump_intensity_per_year', label: 'Jumps', unit: '/year', min: 0, step: 1, when: isKind('merton') },
      { pointer: '/price_model/jump_mean', label: 'Mean jump', unit: '% log', scale: 100, step: 0.5, when: isKind('merton') },
      { pointer: '/price_model/jump_stdev', label: 'Jump st. dev.', unit: '% log', scale: 100, min: 0, step: 0.5, when: isKind('merton') },
      { pointer: '/price_model/omega', label: 'GARCH ω', unit: '', min: 0, step: 'any', when: isKind('garch') },
      { pointer: '/price_model/alpha', label: 'GARCH α', unit: '', min: 0, max: 1, step: 0.01, when: isKind('garch') },
      { pointer: '/price_model/beta', label: 'GARCH β', unit: '', min: 0, max: 1, step: 0.01, when: isKind('garch') },
      { pointer: '/price_model/block_days', label: 'Bootstrap block', unit: 'days', kind: 'integer', min: 1, max: 365, step: 1, when: isKind('bootstrap') },
    ],
  },
  {
    id: 'policy', title: 'Fund policy',
    fields: [
      { pointer: '/fund/balance', label: 'Insurance fund', unit: 'M', scale: 1 / M, min: 0, step: 'any' },
      { pointer: '/fund/fee_share', label: 'Fee share to fund', unit: '%', scale: 100, min: 0, max: 100, step: 1 },
      { pointer: '/fund/backstop_vault', label: 'Backstop vault', unit: 'M', scale: 1 / M, min: 0, step: 'any' },
      { pointer: '/policy/preset', label: 'Venue rules', kind: 'select', names: 'venues' },
      { pointer: '/policy/adl_ranking', label: 'ADL rule', kind: 'select', names: 'adl_rankings' },
      { pointer: '/policy/penalty/rate', label: 'Liquidation penalty', unit: '%', scale: 100, min: 0, max: 100, step: 0.05, nullable: true,
        venue: (p) => (p.penalty?.mode === 'remaining_margin' ? 'remaining margin' : p.penalty?.rate) },
      { pointer: '/simulation/horizon_days', label: 'Horizon', unit: 'days', min: 1, max: 3650, step: 1 },
      { pointer: '/simulation/target_depletion_probability', label: 'Target P(depletion)', unit: '%', scale: 100, min: 0, max: 100, step: 0.1 },
      // Either a precision (the run stops at ±X %, up to a cap of paths) or a path count.
      { pointer: '/simulation/target_relative_error', label: 'Precision ±', unit: '%', scale: 100, min: 1, max: 100, step: 1, nullable: true, hint: 'off: paths' },
      { pointer: '/simulation/paths', label: 'Paths', unit: '', kind: 'integer', min: 100, max: 1000000, step: 1000, when: (s) => !byPrecision(s) },
      { pointer: '/simulation/max_paths', label: 'At most', unit: 'paths', kind: 'integer', min: 2000, max: 10000000, step: 1000, nullable: true, hint: '1000000', when: byPrecision },
      { pointer: '/simulation/importance_sampling', label: 'Importance sampling', kind: 'select', names: 'importance_samplings' },
      { pointer: '/simulation/seed', label: 'Seed', unit: '', kind: 'integer', min: 0, step: 1 },
    ],
  },
];

/**
 * What the widget runs unless the scenario says otherwise: importance sampling
 * (docs/model.md#importance-sampling). The precision field (+-%, docs/model.md#runs-to-a-precision)
 * starts empty: the default 4,000 paths give about +-13 % on the default scenario, +-10 % takes about
 * 7,000 (bench/README.md, the widget's default fund).
 * A permalink carries both in its scenario.
 */
export function precisionDefaults(s) {
  s.simulation ??= {};
  s.simulation.importance_sampling ??= 'auto';
  return s;
}

/** Defaults filled in when the price model kind changes, so the new kind validates at once. */
export const MODEL_DEFAULTS = {
  gbm: { daily_volatility: 0.035, drift_per_year: 0 },
  student_t: { daily_volatility: 0.035, drift_per_year: 0, dof: 4 },
  merton: { daily_volatility: 0.03, drift_per_year: 0, jump_intensity_per_year: 10, jump_mean: -0.04, jump_stdev: 0.06 },
  garch: { omega: 0.00002, alpha: 0.1, beta: 0.85, dof: 5 },
  bootstrap: { block_days: 5 },
};

export const LIQUIDITY_DEFAULTS = {
  none: {},
  linear: { depth_1pct: 5e6, permanent_impact: 0.2 },
  sqrt: { impact_coefficient: 0.5, permanent_impact: 0.2 },
};

/** True when the scenario asks for a precision (its paths are then chosen by the run). */
export function byPrecision(s) { return s?.simulation?.target_relative_error > 0; }

export const ALL_FIELDS = GROUPS.flatMap((g) => g.fields);

/**
 * Sets one field of a scenario (a copy is changed, never the original). A new price model or
 * impact model brings its defaults, so it validates at once; a blank penalty rate goes back to
 * the venue's default.
 */
export function withEdit(scenario, pointer, value) {
  const s = structuredClone(scenario);
  if (pointer === '/price_model/kind') {
    s.price_model = { ...MODEL_DEFAULTS[value], ...(value === 'bootstrap' ? { returns: s.price_model?.returns } : {}), kind: value };
    if (value === 'bootstrap' && !Array.isArray(s.price_model.returns)) s.price_model.returns = undefined;
  } else if (pointer === '/market/liquidity/model') {
    s.market.liquidity = { model: value, ...LIQUIDITY_DEFAULTS[value] };
  } else if (pointer === '/policy/penalty/rate') {
    if (value === undefined) {
      if (s.policy?.penalty) delete s.policy.penalty.rate;
      if (s.policy?.penalty && Object.keys(s.policy.penalty).every((k) => k === 'mode')) delete s.policy.penalty;
    } else {
      s.policy ??= {};
      s.policy.penalty = { mode: 'fee_rate', ...(s.policy.penalty ?? {}), rate: value };
    }
  } else {
    setAt(s, pointer, value);
  }
  return s;
}

/** Reads a JSON pointer ('/a/b/0') from an object; undefined when absent. */
export function getAt(obj, pointer) {
  let cur = obj;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur == null || typeof cur !== 'object') return undefined;
    cur = cur[key];
  }
  return cur;
}

/** Writes a JSON pointer, creating plain objects on the way (never touches prototypes). */
export function setAt(obj, pointer, value) {
  const keys = pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  let cur = obj;
  keys.forEach((key, i) => {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') throw new Error('bad key');
    if (i === keys.length - 1) {
      if (value === undefined) delete cur[key];
      else cur[key] = value;
    } else {
      if (cur[key] == null || typeof cur[key] !== 'object') cur[key] = /^\d+$/.test(keys[i + 1]) ? [] : {};
      cur = cur[key];
    }
  });
  return obj;
}

/** Display value of a field for an <input>: scaled, trimmed of float noise. */
export function toDisplay(field, value) {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'number') return String(value);
  const v = field.scale ? value * field.scale : value;
  return String(Number(v.toPrecision(12)));
}

/** Scenario value from the text of an <input>: a number (NaN when unparsable) or null when blank. */
export function fromDisplay(field, text) {
  if (field.kind === 'select') return text;
  const t = String(text).trim();
  if (t === '') return field.nullable ? undefined : NaN;
  const n = Number(t);
  if (!Number.isFinite(n)) return n;
  return field.scale ? Number((n / field.scale).toPrecision(12)) : n;
}

/**
 * The value in effect of a field the scenario leaves to its venue (`venue` in the field's
 * definition), as display text without unit; null when the scenario sets the field or no policy
 * in effect is known. `inEffect` is a market's policy from the core's `policy` command.
 */
export function venueDefault(field, scenario, inEffect) {
  if (!field.venue || !inEffect || getAt(scenario, field.pointer) !== undefined) return null;
  const v = field.venue(inEffect);
  return typeof v === 'number' ? toDisplay(field, v) : v ?? null;
}

/** The unit shown next to a field, given the contract kind (money is in coin for inverse). */
export function unitOf(field, scenario) {
  const coin = scenario?.market?.contract === 'inverse';
  if (field.unit === 'M') return coin ? 'M coin' : 'M USD';
  if (field.unit === 'quote') return coin ? 'USD' : 'USD';
  return field.unit ?? '';
}
