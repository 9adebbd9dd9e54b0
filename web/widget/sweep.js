// The widget's calibration sweep (docs/scenario-format.md#sweep): which parameters it
// offers, the range form's checks, the scenario it hands to `backstop.sweep`, its chart and its
// rows in the exports.
import uPlot from 'uplot';
import { ALL_FIELDS, getAt, toDisplay, fromDisplay } from './fields.js';
import { money, pct } from './format.js';

/** Parameters the sweep offers: a field of the form each (label, unit and display scale). */
export const SWEEP_PARAMETERS = [
  ['/policy/penalty/rate', 'Liquidation fee'],
  ['/fund/fee_share', 'Fee share to fund'],
  ['/market/maintenance_margin_rate', 'Maintenance margin'],
  ['/price_model/daily_volatility', 'Daily volatility'],
  ['/book/open_interest', 'Open interest (one side)'],
].map(([pointer, label]) => ({ ...ALL_FIELDS.find((f) => f.pointer === pointer), label }));

export const MAX_SWEEP_VALUES = 25;

/** The parameter's field by pointer (the first one when unknown). */
export const sweepField = (pointer) => SWEEP_PARAMETERS.find((f) => f.pointer === pointer) ?? SWEEP_PARAMETERS[0];

// Where a scenario has no value (a venue's default fee), the range starts from these.
const FALLBACK = { '/policy/penalty/rate': 0.005, '/fund/fee_share': 0.1, '/price_model/daily_volatility': 0.03 };

/** A starting range around the scenario's value: half to twice it, in display units, as text. */
export function defaultRange(scenario, pointer) {
  const f = sweepField(pointer);
  const v = getAt(scenario, pointer);
  const base = typeof v === 'number' && v > 0 ? v : FALLBACK[pointer] ?? 1;
  const nice = (x) => toDisplay(f, Number(x.toPrecision(2)));
  let hi = base * 2;
  if (f.max != null && f.scale) hi = Math.min(hi, f.max / f.scale);
  return { from: nice(base / 2), to: nice(hi), count: '6' };
}

/**
 * Checks the range form. Returns {errors: {from?, to?, count?}, values} with values in the
 * scenario's units (evenly spaced, ends included) when there are no errors.
 */
export function checkRange(pointer, { from, to, count }) {
  const f = sweepField(pointer);
  const errors = {};
  const bound = (key, text) => {
    const v = fromDisplay({ ...f, nullable: false }, text);
    if (!Number.isFinite(v)) { errors[key] = 'enter a number'; return NaN; }
    const shown = f.scale ? v * f.scale : v;
    if (f.min != null && shown < f.min) errors[key] = `must be ≥ ${f.min}`;
    else if (f.max != null && shown > f.max) errors[key] = `must be ≤ ${f.max}`;
    else if (f.min === 0 && v <= 0 && pointer !== '/policy/penalty/rate' && pointer !== '/fund/fee_share') errors[key] = 'must be > 0';
    return v;
  };
  const lo = bound('from', from);
  const hi = bound('to', to);
  const n = Number(String(count).trim());
  if (String(count).trim() === '' || !Number.isInteger(n)) errors.count = 'enter a whole number';
  else if (n < 2 || n > MAX_SWEEP_VALUES) errors.count = `must be from 2 to ${MAX_SWEEP_VALUES}`;
  if (!errors.from && !errors.to && lo === hi) errors.to = 'must differ from "from"';
  if (Object.keys(errors).length) return { errors, values: null };
  const values = Array.from({ length: n }, (_, i) => Number((lo + ((hi - lo) * i) / (n - 1)).toPrecision(12)));
  return { errors, values };
}

/** The scenario for `backstop.sweep`: the current one with `sweep` set (and a fee mode when needed). */
export function sweepScenario(scenario, pointer, values, paths) {
  const s = structuredClone(scenario);
  if (pointer === '/policy/penalty/rate') {
    s.policy ??= {};
    s.policy.penalty = { mode: 'fee_rate', ...(s.policy.penalty ?? {}), rate: values[0] };
  }
  if (Number.isFinite(paths)) s.simulation = { ...(s.simulation ?? {}), paths };
  s.sweep = { parameter: pointer, values };
  return s;
}

/** A value of the swept parameter as shown in the form: '0.5 %', '1000 M'. */
export function showValue(pointer, v) {
  const f = sweepField(pointer);
  const unit = f.unit === 'M' ? ' M' : f.unit ? ` ${f.unit}` : '';
  return `${toDisplay(f, v)}${unit}`;
}

/**
 * Depletion probability with its 95 % band (left axis) and the required fund (right axis)
 * against the swept parameter, in the form's display units.
 */
export function sweepChart(el, { sweep, theme, width, height }) {
  const pointer = sweep.result.parameters[0].pointer;
  const f = sweepField(pointer);
  const xs = sweep.result.points.map((p) => (f.scale ? p.at[0] * f.scale : p.at[0]));
  const dp = (k) => sweep.result.points.map((p) => (k === 'est' ? p.depletion_probability.estimate : p.depletion_probability.ci95[k]));
  const fund = sweep.result.points.map((p) => (Number.isFinite(p.required_fund.amount) ? p.required_fund.amount / 1e6 : null));
  const data = [xs, dp(0), dp(1), dp('est'), fund];
  const p = (u, v) => (v == null ? '—' : pct(v));
  const unit = f.unit === 'M' ? 'M USD' : f.unit ?? '';
  return new uPlot({
    width, height, data,
    series: [
      { label: f.label, value: (u, v) => (v == null ? '—' : `${Number(v.toPrecision(6))} ${unit}`) },
      { label: '95 % low', stroke: theme.accentSoft, width: 1, value: p, points: { show: false } },
      { label: '95 % high', stroke: theme.accentSoft, width: 1, value: p, points: { show: false } },
      { label: 'P(depletion)', stroke: theme.accent, width: 2, value: p, points: { show: true, size: 6, fill: theme.accent } },
      { label: 'Required fund', scale: 'fund', stroke: theme.b, width: 2, dash: [6, 3], value: (u, v) => (v == null ? '—' : money(v * 1e6)),
        points: { show: true, size: 6, fill: theme.b } },
    ],
    bands: [{ series: [2, 1], fill: theme.band1 }],
    scales: { x: { time: false }, y: { range: (u, lo, hi) => [0, Math.max(hi, 1e-4) * 1.1] }, fund: { range: (u, lo, hi) => [0, Math.max(hi, 1e-6) * 1.1] } },
    axes: [
      { stroke: theme.muted, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 }, font: `11px ${theme.font}`, labelFont: `12px ${theme.font}`, label: `${f.label} (${unit})` },
      { stroke: theme.accent, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 }, font: `11px ${theme.font}`, labelFont: `12px ${theme.font}`,
        label: 'P(depletion)', size: 60, values: (u, v) => v.map((x) => pct(x)) },
      { scale: 'fund', side: 1, stroke: theme.b, grid: { show: false }, ticks: { stroke: theme.grid, width: 1 }, font: `11px ${theme.font}`, labelFont: `12px ${theme.font}`,
        label: 'Required fund (M)', size: 60, values: (u, v) => v.map((x) => `${Number(x.toPrecision(4))}`) },
    ],
    legend: { show: true },
    cursor: { drag: { x: false, y: false } },
  }, data, el);
}

/** The sweep as a Markdown table for a forum post. */
export function sweepMarkdown(sweep, cell) {
  if (!sweep?.result) return [];
  const pointer = sweep.result.parameters[0].pointer;
  const f = sweepField(pointer);
  const lines = ['', `#### Sweep: ${cell(f.label)} (\`${cell(pointer)}\`), ${sweep.result.paths} paths per value, seed ${sweep.result.seed}, common random numbers`, '',
    `| ${cell(f.label)} | P(depletion) | 95 % CI | Required fund | 95 % CI | P(ADL) |`, '|---|---|---|---|---|---|'];
  for (const p of sweep.result.points) {
    const d = p.depletion_probability;
    const q = p.required_fund;
    lines.push(`| ${cell(showValue(pointer, p.at[0]))} | ${pct(d.estimate)} | ${pct(d.ci95[0])} – ${pct(d.ci95[1])} | ${money(q.amount)} | ${money(q.ci95[0])} – ${money(q.ci95[1])} | ${pct(p.adl_probability)} |`);
  }
  return lines;
}

/** The sweep as CSV rows [section, key, value] (key: the swept value in scenario units). */
export function sweepRows(sweep) {
  if (!sweep?.result) return [];
  const rows = [['sweep', 'parameter', sweep.result.parameters[0].pointer], ['sweep', 'paths', sweep.result.paths], ['sweep', 'seed', sweep.result.seed]];
  for (const p of sweep.result.points) {
    const x = p.at[0];
    rows.push(['sweep_depletion_probability', x, p.depletion_probability.estimate],
      ['sweep_depletion_probability_ci95_lo', x, p.depletion_probability.ci95[0]],
      ['sweep_depletion_probability_ci95_hi', x, p.depletion_probability.ci95[1]],
      ['sweep_required_fund', x, p.required_fund.amount],
      ['sweep_required_fund_ci95_lo', x, p.required_fund.ci95[0]],
      ['sweep_required_fund_ci95_hi', x, p.required_fund.ci95[1]],
      ['sweep_adl_probability', x, p.adl_probability]);
  }
  return rows;
}
