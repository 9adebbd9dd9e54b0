// uPlot charts of a simulate result and a stress event. Colours come from the host's CSS
// custom properties (read once per draw), so a page's theme reaches the canvas too.
import uPlot from 'uplot';
import { money, pct } from './format.js';
import { optionsOf } from './names.js';

const axis = (theme, extra = {}) => ({
  stroke: theme.muted, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 },
  font: `11px ${theme.font}`, labelFont: `12px ${theme.font}`, ...extra,
});

/**
 * Vertical marker lines with a label each, one label row per line. A label goes right of its
 * line unless it would cross another marker line or the edge; then left, if that is clear.
 */
function vlines(u, marks, font) {
  const { ctx, bbox } = u;
  const dpr = devicePixelRatio;
  const shown = marks.filter((m) => m.x != null && Number.isFinite(m.x))
    .map((m) => ({ ...m, px: u.valToPos(m.x, 'x', true) }))
    .filter((m) => m.px >= bbox.left && m.px <= bbox.left + bbox.width);
  ctx.save();
  ctx.font = `${11 * dpr}px ${font}`;
  shown.forEach((m, row) => {
    ctx.strokeStyle = m.color;
    ctx.fillStyle = m.color;
    ctx.lineWidth = 1.5 * dpr;
    ctx.setLineDash((m.dash ?? []).map((d) => d * dpr));
    ctx.beginPath();
    ctx.moveTo(m.px, bbox.top);
    ctx.lineTo(m.px, bbox.top + bbox.height);
    ctx.stroke();
    const w = ctx.measureText(m.label).width;
    const gap = 4 * dpr;
    const clear = (lo, hi) => lo >= bbox.left && hi <= bbox.left + bbox.width &&
      shown.every((o) => o === m || o.px < lo - gap / 2 || o.px > hi + gap / 2);
    const right = clear(m.px + gap, m.px + gap + w) || !clear(m.px - gap - w, m.px - gap) && m.px + gap + w <= bbox.left + bbox.width;
    ctx.textAlign = right ? 'left' : 'right';
    ctx.fillText(m.label, m.px + (right ? gap : -gap), bbox.top + (12 + 14 * row) * dpr);
  });
  ctx.restore();
}

function hline(u, y, color) {
  const { ctx, bbox } = u;
  const py = u.valToPos(y, 'y', true);
  if (!(py >= bbox.top && py <= bbox.top + bbox.height)) return;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = 1 * devicePixelRatio;
  ctx.setLineDash([2 * devicePixelRatio, 3 * devicePixelRatio]);
  ctx.beginPath();
  ctx.moveTo(bbox.left, py);
  ctx.lineTo(bbox.left + bbox.width, py);
  ctx.stroke();
  ctx.restore();
}

const positive = (p) => (p > 0 ? p : null);

/** P(depletion) versus fund size on a log scale, the current and required fund marked. */
export function curveChart(el, { a, b, theme, width, height, compact = false }) {
  const xs = a.result.curve.map((p) => p.fund / 1e6);
  const data = [xs, a.result.curve.map((p) => positive(p.probability))];
  const series = [{ label: 'Fund (M)', value: (u, v) => (v == null ? '—' : `${v.toFixed(1)} M`) },
    { label: b ? 'Current' : 'P(depletion)', stroke: theme.accent, width: 2, value: (u, v) => (v == null ? '—' : pct(v)) }];
  if (b) {
    // The proposed curve on the current one's grid (linear interpolation in fund size).
    const bc = b.result.curve;
    data.push(xs.map((x) => {
      const f = x * 1e6;
      let i = bc.findIndex((p) => p.fund >= f);
      if (i < 0) return positive(bc.at(-1).probability);
      if (i === 0) return positive(bc[0].probability);
      const [p0, p1] = [bc[i - 1], bc[i]];
      return positive(p0.probability + ((p1.probability - p0.probability) * (f - p0.fund)) / (p1.fund - p0.fund));
    }));
    series.push({ label: 'Proposed', stroke: theme.b, width: 2, dash: [6, 3], value: (u, v) => (v == null ? '—' : pct(v)) });
  }
  const target = a.result.required_fund.target;
  return new uPlot({
    width, height, series, data,
    scales: { x: { time: false }, y: { distr: 3, log: 10 } },
    axes: [axis(theme, { label: 'Insurance fund (M)', values: (u, v) => v.map((x) => `${x}`) }),
      axis(theme, { label: 'P(depletion)', size: 64, values: (u, v) => v.map((x) => (Math.abs(Math.log10(x) - Math.round(Math.log10(x))) < 1e-6 ? pct(x, x >= 0.01 ? 0 : x >= 0.001 ? 1 : 2) : '')) })],
    // Compact mode is a glance, not a tool: no hover read-out under the chart.
    legend: { show: !compact },
    cursor: { drag: { x: false, y: false } },
    hooks: {
      draw: [(u) => {
        hline(u, target, theme.muted);
        vlines(u, [
          { x: a.scenario.fund.balance / 1e6, color: theme.ink, label: `current ${money(a.scenario.fund.balance)}` },
          { x: a.result.required_fund.amount / 1e6, color: theme.accent, label: `needed for ${pct(target)}: ${money(a.result.required_fund.amount)}`, dash: [4, 4] },
          ...(b ? [{ x: b.result.required_fund.amount / 1e6, color: theme.b, label: `proposed needs ${money(b.result.required_fund.amount)}`, dash: [4, 4] }] : []),
        ], theme.font);
      }],
    },
  }, data, el);
}

/** The fund balance fan chart: p05..p95 and p25..p75 bands and the median, per day. */
export function fanChart(el, { a, theme, width, height }) {
  const fq = a.result.fund_quantiles;
  const m = (arr) => arr.map((v) => v / 1e6);
  const data = [fq.days, m(fq.p05), m(fq.p25), m(fq.p50), m(fq.p75), m(fq.p95)];
  const val = (u, v) => (v == null ? '—' : `${v.toFixed(1)} M`);
  const edge = { stroke: theme.accentSoft, width: 1, value: val };
  return new uPlot({
    width, height, data,
    series: [{ label: 'Day', value: (u, v) => (v == null ? '—' : `day ${v}`) },
      { label: 'p05', ...edge }, { label: 'p25', ...edge }, { label: 'median', stroke: theme.accent, width: 2, value: val },
      { label: 'p75', ...edge }, { label: 'p95', ...edge }],
    bands: [{ series: [5, 1], fill: theme.band1 }, { series: [4, 2], fill: theme.band2 }],
    scales: { x: { time: false } },
    axes: [axis(theme, { label: 'Day' }), axis(theme, { label: 'Fund balance (M)', size: 60 })],
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    hooks: { draw: [(u) => hline(u, 0, theme.bad)] },
  }, data, el);
}

// Optional stages (a treasury, Drift's fee pool) get a bar only where they paid something.
const OPTIONAL_STAGES = new Set(['treasury', 'fee_pool']);

let measurer;
/** Text width in CSS pixels at the labels' font (a canvas of its own: no chart needed). */
function textWidth(text, font) {
  measurer ??= document.createElement('canvas').getContext('2d');
  measurer.font = `11px ${font}`;
  return measurer.measureText(text).width;
}

/**
 * How category labels fit slots of `slot` CSS pixels: each on one line; else wrapped at its
 * last space; else staggered over 2 (then 3) rows, so each label has that many slots; the first
 * layout where every line fits. Returns {lines: string[][], stagger: rows of labels, rows: text rows}.
 */
function labelLayout(labels, slot, font) {
  const fits = (t, room) => textWidth(t, font) <= room - 6;
  const wrap = (t) => { const i = t.lastIndexOf(' '); return i > 0 && !fits(t, slot) ? [t.slice(0, i), t.slice(i + 1)] : [t]; };
  const one = labels.map((t) => [t]);
  const two = labels.map(wrap);
  const tries = [1, 2, 3].flatMap((k) => [[one, k], [two, k]]);
  const [lines, stagger] = tries.find(([ls, k]) => ls.every((l) => l.every((t) => fits(t, k * slot)))) ?? tries.at(-1);
  return { lines, stagger, rows: Math.max(...lines.map((l) => l.length)) * stagger };
}

// The plot's width is the chart's less the y axis and its label, about 100 px: the axis size
// is computed from it before the plot exists, and a wider plot only needs fewer rows.
const plotWidth = (chartWidth) => Math.max(1, chartWidth - 100);

/** Category labels under the bars, centred on each, laid out by labelLayout (never overlapping). */
function stageLabels(u, labels, theme) {
  const { ctx, bbox } = u;
  const dpr = devicePixelRatio;
  const { lines, stagger } = labelLayout(labels, bbox.width / dpr / labels.length, theme.font);
  ctx.save();
  ctx.font = `${11 * dpr}px ${theme.font}`;
  ctx.fillStyle = theme.muted;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const height = Math.max(...lines.map((l) => l.length));
  lines.forEach((ls, i) => {
    const row = (i % stagger) * height;
    ls.forEach((t, j) => ctx.fillText(t, u.valToPos(i, 'x', true), bbox.top + bbox.height + (6 + 14 * (row + j)) * dpr));
  });
  ctx.restore();
}

/**
 * A waterfall of one stress event: the bad debt, then what each stage of the loss waterfall
 * (docs/model.md#the-loss-waterfall) absorbed, named by the core's stage table, and what none covered.
 */
export function waterfallChart(el, { event, theme, width, height }) {
  const COLORS = { insurance_fund: theme.accent, treasury: theme.accentSoft, fee_pool: theme.accentSoft, backstop_vault: theme.b,
    adl: theme.warn, socialized_loss: theme.warn, uncovered: theme.bad };
  const stages = [...optionsOf('stages'), { id: 'uncovered', label: 'Uncovered' }]
    .filter(({ id }) => !OPTIONAL_STAGES.has(id) || (event.waterfall?.[id] ?? 0) > 0);
  const labels = ['Bad debt', ...stages.map((s) => s.label)];
  const amounts = [event.bad_debt, ...stages.map(({ id }) => event.waterfall?.[id] ?? 0)];
  const colors = [theme.bad, ...stages.map(({ id }) => COLORS[id])];
  // Floating bars: the total first, then each stage eats into what is left.
  const bars = [];
  let left = event.bad_debt;
  amounts.forEach((amt, i) => {
    if (i === 0) bars.push([0, amt]);
    else { bars.push([left - amt, left]); left -= amt; }
  });
  const xs = labels.map((_, i) => i);
  const data = [xs, amounts.map((v) => v / 1e6)];
  return new uPlot({
    width, height, data,
    series: [{ label: 'Stage', value: (u, v) => (v == null ? '—' : labels[v]) },
      { label: 'Amount', stroke: 'transparent', fill: 'transparent', paths: () => null, points: { show: false },
        value: (u, v) => (v == null ? '—' : `${v.toFixed(1)} M`) }],
    scales: { x: { time: false, range: [-0.6, labels.length - 0.4] }, y: { range: (u, lo, hi) => [0, Math.max(1e-9, event.bad_debt / 1e6) * 1.12] } },
    // The stage names are drawn by the hook below, not by the axis: they must not overlap.
    axes: [axis(theme, { values: (u, v) => v.map(() => ''), splits: () => xs, grid: { show: false },
      // Room for the label rows at the current width.
      size: (u) => Math.max(40, 12 + 14 * labelLayout(labels, plotWidth(u.width ?? width) / labels.length, theme.font).rows) }),
      axis(theme, { label: 'M', size: 56 })],
    legend: { show: false },
    cursor: { show: false },
    hooks: {
      draw: [(u) => {
        const { ctx } = u;
        const dpr = devicePixelRatio;
        const w = Math.min(70 * dpr, (u.bbox.width / labels.length) * 0.6);
        ctx.save();
        ctx.font = `${11 * dpr}px ${theme.font}`;
        ctx.textAlign = 'center';
        bars.forEach(([lo, hi], i) => {
          const x = u.valToPos(i, 'x', true);
          const y0 = u.valToPos(lo / 1e6, 'y', true);
          const y1 = u.valToPos(hi / 1e6, 'y', true);
          ctx.fillStyle = colors[i];
          ctx.globalAlpha = amounts[i] > 0 ? 0.9 : 0.25;
          ctx.fillRect(x - w / 2, y1, w, Math.max(1 * dpr, y0 - y1));
          ctx.globalAlpha = 1;
          ctx.fillStyle = theme.ink;
          ctx.fillText(money(amounts[i]), x, y1 - 4 * dpr);
        });
        stageLabels(u, labels, theme);
        ctx.restore();
      }],
    },
  }, data, el);
}
