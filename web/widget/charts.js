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
 * Draws `text` at (x, y) with the context's font and alignment, and records its box in CSS
 * pixels of the canvas in `u.labels` (reset at each draw), which the layout tests measure.
 */
function label(u, text, x, y) {
  const { ctx } = u;
  const m = ctx.measureText(text);
  ctx.fillText(text, x, y);
  const dpr = devicePixelRatio;
  (u.labels ??= []).push({ text, left: (x - m.actualBoundingBoxLeft) / dpr, right: (x + m.actualBoundingBoxRight) / dpr,
    top: (y - m.actualBoundingBoxAscent) / dpr, bottom: (y + m.actualBoundingBoxDescent) / dpr });
}

const overlaps = (p, q) => p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom;

/**
 * Whether a polyline (canvas pixel points, null where it breaks) passes through the box
 * [a, b] x [top, bottom]: each segment over [a, b] cut to it, its y range against the box's.
 */
function crosses(line, a, b, top, bottom) {
  for (let k = 1; k < line.length; ++k) {
    const [p, q] = [line[k - 1], line[k]];
    if (!p || !q || Math.max(p[0], q[0]) < a || Math.min(p[0], q[0]) > b) continue;
    const at = (x) => (q[0] === p[0] ? p[1] : p[1] + ((q[1] - p[1]) * (x - p[0])) / (q[0] - p[0]));
    const ys = q[0] === p[0] ? [p[1], q[1]] : [at(Math.max(a, Math.min(p[0], q[0]))), at(Math.min(b, Math.max(p[0], q[0])))];
    if (Math.max(...ys) >= top && Math.min(...ys) <= bottom) return true;
  }
  return false;
}

/**
 * Vertical marker lines with a label each. A label goes right of its line unless it would cross
 * another marker line, a label already placed, one of the `curves` (polylines in canvas pixels)
 * or the edge; then left, if that is clear; first on its own row, then on the rows below it and
 * above it; then the same with its `short` text; else it is pushed inside the plot from either side
 * (the label, else the short text, on the first of those rows clear of the curves and labels) on
 * a backdrop of `theme.surface` that interrupts the marker lines it crosses.
 */
function vlines(u, marks, theme, curves = []) {
  const { ctx, bbox } = u;
  const dpr = devicePixelRatio;
  const shown = marks.filter((m) => m.x != null && Number.isFinite(m.x))
    .map((m) => ({ ...m, px: u.valToPos(m.x, 'x', true) }))
    .filter((m) => m.px >= bbox.left && m.px <= bbox.left + bbox.width);
  ctx.save();
  ctx.font = `${11 * dpr}px ${theme.font}`;
  ctx.textAlign = 'left';
  const [lo, hi] = [bbox.left, bbox.left + bbox.width];
  const gap = 4 * dpr;
  shown.forEach((m) => {
    ctx.strokeStyle = m.color;
    ctx.lineWidth = 1.5 * dpr;
    ctx.setLineDash((m.dash ?? []).map((d) => d * dpr));
    ctx.beginPath();
    ctx.moveTo(m.px, bbox.top);
    ctx.lineTo(m.px, bbox.top + bbox.height);
    ctx.stroke();
  });
  const rowY = (row) => bbox.top + (12 + 14 * row) * dpr;  // a label row's baseline
  const rows = Math.max(1, Math.floor((bbox.height / dpr - 2) / 14));
  const width = (text) => ctx.measureText(text).width;
  const placed = [];
  shown.forEach((m, row) => {
    const clear = (a, b, y, overLines = false) => {
      // The text's box: ascent above the baseline, descent below, and the curves' half width.
      const [top, bottom] = [y - 11 * dpr, y + 4 * dpr];
      return a >= lo && b <= hi && (overLines || shown.every((o) => o === m || o.px < a - gap / 2 || o.px > b + gap / 2)) &&
        placed.every((p) => p.b < a || b < p.a || p.bottom < top || bottom < p.top) &&
        curves.every((c) => !crosses(c, a - dpr, b + dpr, top, bottom));
    };
    const texts = [m.label, ...(m.short ? [m.short] : [])];
    const tryRows = [row, ...Array.from({ length: rows }, (_, r) => r).filter((r) => r > row), ...Array.from({ length: row }, (_, r) => row - 1 - r)];
    let place = null;
    for (const text of texts) {
      const w = width(text);
      for (const y of tryRows.map(rowY)) {
        if (clear(m.px + gap, m.px + gap + w, y)) place = { text, x: m.px + gap, y };
        else if (clear(m.px - gap - w, m.px - gap, y)) place = { text, x: m.px - gap - w, y };
        if (place) break;
      }
      if (place) break;
    }
    if (!place) {
      const inside = (x, text) => Math.max(lo, Math.min(hi - width(text), x));
      const fitting = texts.filter((text) => width(text) + 2 * gap <= bbox.width);
      for (const text of fitting) {
        const xs = [inside(m.px + gap, text), inside(m.px - gap - width(text), text)];
        for (const y of tryRows.map(rowY)) {
          const x = xs.find((x) => clear(x, x + width(text), y, true));
          if (x != null) { place = { text, x, y }; break; }
        }
        if (place) break;
      }
      const text = fitting[0] ?? texts.at(-1);
      place ??= { text, x: inside(m.px + gap, text), y: rowY(row) };
      ctx.fillStyle = theme.surface;
      ctx.fillRect(place.x - 2 * dpr, place.y - 10 * dpr, width(place.text) + 4 * dpr, 13 * dpr);
    }
    placed.push({ a: place.x, b: place.x + width(place.text), top: place.y - 11 * dpr, bottom: place.y + 4 * dpr });
    ctx.fillStyle = m.color;
    label(u, place.text, place.x, place.y);
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

// uPlot's log axis makes ticks only down to 1e-16 (below, its tick loop never ends: "Invalid
// array length"); no run the widget makes resolves a probability below 1e-12, so none is drawn.
const positive = (p) => (p >= 1e-12 ? p : null);

// A log axis's ticks: decades only, each its own percentage (pct's 2 decimals would print 1e-4,
// 1e-5 and 1e-6 as "0.01 %", "< 0.01 %", "< 0.01 %"), at most 6 of them (every 2nd or 3rd decade
// when the curve spans more), "1e-5 %" below 0.001 % so the labels stay narrow.
const isDecade = (x) => Math.abs(Math.log10(x) - Math.round(Math.log10(x))) < 1e-6;
const decadePct = (x) => (100 * x >= 0.001 ? `${Number((100 * x).toPrecision(1))} %` : `${(100 * x).toExponential(0)} %`);
function decades(u, v) {
  const step = Math.ceil(v.filter(isDecade).length / 6);
  return v.map((x) => (isDecade(x) && Math.abs(Math.round(Math.log10(x))) % step === 0 ? decadePct(x) : ''));
}

/**
 * The part of the depletion curve that carries information (the curve chart's axes): y from the
 * decade at or below the smallest of 1/(10 × effective paths) of each run (a plain run of N paths
 * resolves nothing below 1/N, an importance-sampled one has its variance's equivalent), its
 * estimate, the estimate's 95 % interval and the target, so whatever the headline quotes stays in
 * view; x up to where every curve has fallen below that floor, the marked funds (current, needed)
 * kept in view with a little room. `curves` are the drawn probabilities on the funds `xs` (M).
 * Returns {yMin, yMax, xMax}.
 */
export function curveView(runs, xs, curves) {
  const floor = Math.min(...runs.flatMap(({ result: r }) => {
    const d = r.depletion_probability;
    const n = d.effective_paths > 0 ? d.effective_paths : r.paths;
    return [1 / (10 * n), d.estimate, d.ci95?.[0], r.required_fund.target].filter((p) => p > 0);
  }));
  const yMin = 10 ** Math.floor(Math.log10(Math.max(1e-12, Math.min(floor, 0.1))) + 1e-9);
  const top = Math.min(1, Math.max(10 * yMin, ...curves.flat().filter((p) => p != null)));
  const yMax = 10 ** Math.ceil(Math.log10(top) - 1e-9);
  // The first fund where a curve is below the floor (or ends): its line meets the axis there.
  const below = curves.map((c) => { const i = c.findIndex((p) => p == null || p < yMin); return xs[i < 0 ? xs.length - 1 : i]; });
  const marks = runs.flatMap(({ scenario, result: r }) => [scenario.fund.balance, r.required_fund.amount].filter((f) => f > 0).map((f) => 1.08 * f / 1e6));
  return { yMin, yMax, xMax: Math.min(xs.at(-1), Math.max(...below, ...marks)) };
}

/** P(depletion) versus fund size on a log scale, the current and required fund marked. */
export function curveChart(el, { a, b, theme, width, height, compact = false }) {
  const xs = a.result.curve.map((p) => p.fund / 1e6);
  const data = [xs, a.result.curve.map((p) => positive(p.probability))];
  const series = [{ label: 'Fund (M)', value: (u, v) => (v == null ? '—' : `${v.toFixed(1)} M`) },
    { label: b ? 'Current' : 'P(depletion)', stroke: theme.accent, width: 2, value: (u, v) => (v == null ? '—' : pct(v)) }];
  if (b) {
    // The proposed curve on the current one's grid (linear interpolation in fund size).
    const bc = b.result.curve;
    // On the funds themselves, not x * 1e6: a rounding residue past the last point would give
    // p0 + (0 - p0)·(1 - 1e-16), a probability of 1e-24 that no run has.
    data.push(a.result.curve.map(({ fund: f }) => {
      const i = bc.findIndex((p) => p.fund >= f);
      if (i < 0) return positive(bc.at(-1).probability);
      if (i === 0) return positive(bc[0].probability);
      const [p0, p1] = [bc[i - 1], bc[i]];
      return positive(p0.probability + ((p1.probability - p0.probability) * (f - p0.fund)) / (p1.fund - p0.fund));
    }));
    series.push({ label: 'Proposed', stroke: theme.b, width: 2, dash: [6, 3], value: (u, v) => (v == null ? '—' : pct(v)) });
  }
  const target = a.result.required_fund.target;
  const view = curveView(b ? [a, b] : [a], xs, data.slice(1));
  return new uPlot({
    width, height, series, data,
    scales: { x: { time: false, range: () => [xs[0], view.xMax] }, y: { distr: 3, log: 10, range: () => [view.yMin, view.yMax] } },
    axes: [axis(theme, { label: 'Insurance fund (M)', values: (u, v) => v.map((x) => `${x}`) }),
      axis(theme, { label: 'P(depletion)', size: 64, values: decades })],
    // Compact mode is a glance, not a tool: no hover read-out under the chart.
    legend: { show: !compact },
    cursor: { drag: { x: false, y: false } },
    hooks: {
      drawClear: [(u) => { u.labels = []; }],
      draw: [(u) => {
        hline(u, target, theme.muted);
        // The drawn curves, for the labels to keep off them.
        const curves = u.data.slice(1).map((ys) => ys.map((y, k) => (y == null ? null : [u.valToPos(u.data[0][k], 'x', true), u.valToPos(y, 'y', true)])));
        vlines(u, [
          { x: a.scenario.fund.balance / 1e6, color: theme.ink, label: `current ${money(a.scenario.fund.balance)}`, short: money(a.scenario.fund.balance) },
          { x: a.result.required_fund.amount / 1e6, color: theme.accent, label: `needed for ${pct(target)}: ${money(a.result.required_fund.amount)}`,
            short: `needed ${money(a.result.required_fund.amount)}`, dash: [4, 4] },
          ...(b ? [{ x: b.result.required_fund.amount / 1e6, color: theme.b, label: `proposed needs ${money(b.result.required_fund.amount)}`,
            short: `proposed ${money(b.result.required_fund.amount)}`, dash: [4, 4] }] : []),
        ], theme, curves);
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
    ls.forEach((t, j) => label(u, t, u.valToPos(i, 'x', true), bbox.top + bbox.height + (6 + 14 * (row + j)) * dpr));
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
    // Headroom above the bad debt for the amounts: one row, or three where bars are narrow.
    scales: { x: { time: false, range: [-0.6, labels.length - 0.4] },
      y: { range: (u) => [0, Math.max(1e-9, event.bad_debt / 1e6) * (plotWidth(u.width ?? width) / labels.length < 64 ? 1.5 : 1.15)] } },
    // The stage names are drawn by the hook below, not by the axis: they must not overlap.
    axes: [axis(theme, { values: (u, v) => v.map(() => ''), splits: () => xs, grid: { show: false },
      // Room for the label rows at the current width.
      size: (u) => Math.max(40, 12 + 14 * labelLayout(labels, plotWidth(u.width ?? width) / labels.length, theme.font).rows) }),
      axis(theme, { label: 'M', size: 56 })],
    legend: { show: false },
    cursor: { show: false },
    hooks: {
      drawClear: [(u) => { u.labels = []; }],
      draw: [(u) => {
        const { ctx, bbox } = u;
        const dpr = devicePixelRatio;
        const w = Math.min(70 * dpr, (u.bbox.width / labels.length) * 0.6);
        ctx.save();
        const rects = bars.map(([lo, hi], i) => {
          const x = u.valToPos(i, 'x', true);
          const y0 = u.valToPos(lo / 1e6, 'y', true);
          const y1 = u.valToPos(hi / 1e6, 'y', true);
          const h = Math.max(1 * dpr, y0 - y1);
          ctx.fillStyle = colors[i];
          ctx.globalAlpha = amounts[i] > 0 ? 0.9 : 0.25;
          ctx.fillRect(x - w / 2, y1, w, h);
          return { x, left: x - w / 2, right: x + w / 2, top: y1, bottom: y1 + h };
        });
        ctx.globalAlpha = 1;
        ctx.font = `${11 * dpr}px ${theme.font}`;
        ctx.fillStyle = theme.ink;
        ctx.textAlign = 'center';
        // Each amount above its bar, moved up a row at a time until it clears the amounts
        // already placed and the other bars (neighbouring amounts at one height would run
        // together: "110 M50.0 M"); the amounts paid first, zeros last.
        const placed = [];
        const order = rects.map((_, i) => i).sort((i, j) => (amounts[j] > 0) - (amounts[i] > 0) || i - j);
        for (const i of order) {
          const text = money(amounts[i]);
          const half = ctx.measureText(text).width / 2 + 4 * dpr;  // at least 8 px between two amounts
          const x = Math.min(Math.max(rects[i].x, bbox.left + half), bbox.left + bbox.width - half);
          for (let y = rects[i].top - 4 * dpr; y - 11 * dpr >= bbox.top; y -= 13 * dpr) {
            const box = { left: x - half, right: x + half, top: y - 11 * dpr, bottom: y + 2 * dpr };
            if (placed.some((p) => overlaps(p, box)) || rects.some((r, j) => j !== i && overlaps(r, box))) continue;
            label(u, text, x, y);
            placed.push(box);
            break;
          }
        }
        stageLabels(u, labels, theme);
        ctx.restore();
      }],
    },
  }, data, el);
}
