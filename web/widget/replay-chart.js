// uPlot charts of a replay (bs.replay): the price along the path with the fund's balance and
// the cumulative bad debt, and the cumulative split of that bad debt over the waterfall's
// stages. The path starts at the scenario's mark price and fund (t = 0).
import uPlot from 'uplot';
import { money } from './format.js';
import { optionsOf } from './names.js';

const axis = (theme, extra = {}) => ({
  stroke: theme.muted, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 },
  font: `11px ${theme.font}`, labelFont: `12px ${theme.font}`, ...extra,
});

const moneyAxis = (theme, extra) => axis(theme, { size: 60, values: (u, vs) => vs.map((v) => money(v)), ...extra });

/** Running sums of `f(step)` from 0 at t = 0. */
function cumulative(steps, f) {
  let sum = 0;
  return [0, ...steps.map((s) => (sum += f(s)))];
}

/** Price (left axis), fund after each step and cumulative bad debt (right axis, money). */
export function replayChart(el, { replay, start, theme, width, height }) {
  const steps = replay.steps;
  const data = [
    [0, ...steps.map((s) => s.t_days)],
    [start.price ?? null, ...steps.map((s) => s.price)],
    [start.fund, ...steps.map((s) => s.fund_after)],
    cumulative(steps, (s) => s.bad_debt),
  ];
  return new uPlot({
    width, height,
    series: [
      { label: 'Day', value: (u, v) => (v == null ? '—' : `${Number(v.toFixed(3))}`) },
      { label: 'Price', scale: 'price', stroke: theme.ink, width: 1.5, value: (u, v) => (v == null ? '—' : v.toPrecision(6)) },
      { label: 'Fund', scale: 'money', stroke: theme.accent, width: 2, value: (u, v) => money(v) },
      { label: 'Bad debt (cumulative)', scale: 'money', stroke: theme.bad, width: 2, dash: [5, 3], value: (u, v) => money(v) },
    ],
    scales: { x: { time: false }, money: { range: (u, lo, hi) => [Math.min(0, lo), Math.max(hi, 1)] } },
    axes: [axis(theme, { label: 'days' }), axis(theme, { scale: 'price', size: 60, label: 'price' }),
      moneyAxis(theme, { scale: 'money', side: 1, grid: { show: false } })],
  }, data, el);
}

const STAGE_COLORS = (theme) => ({ insurance_fund: theme.accent, treasury: theme.accentSoft, fee_pool: theme.accentSoft,
  backstop_vault: theme.b, adl: theme.warn, socialized_loss: theme.muted, uncovered: theme.bad });

/** The cumulative amount each waterfall stage has paid along the path (stages that paid anything). */
export function replayStagesChart(el, { replay, theme, width, height }) {
  const steps = replay.steps;
  const colors = STAGE_COLORS(theme);
  const stages = [...optionsOf('stages'), { id: 'uncovered', label: 'Uncovered' }]
    .filter(({ id }) => (replay.totals.waterfall?.[id] ?? 0) > 0);
  const data = [[0, ...steps.map((s) => s.t_days)], ...stages.map(({ id }) => cumulative(steps, (s) => s.waterfall?.[id] ?? 0))];
  return new uPlot({
    width, height,
    series: [{ label: 'Day', value: (u, v) => (v == null ? '—' : `${Number(v.toFixed(3))}`) },
      ...stages.map(({ id, label }) => ({ label, stroke: colors[id] ?? theme.ink, width: 2, value: (u, v) => money(v) }))],
    scales: { x: { time: false }, y: { range: (u, lo, hi) => [0, Math.max(hi, 1)] } },
    axes: [axis(theme, { label: 'days' }), moneyAxis(theme, {})],
  }, data, el);
}
