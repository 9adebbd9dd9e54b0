// Number formatting for the page, and the exports (Markdown for forum posts, CSV), which the
// core's report module writes.
import { ALL_FIELDS, getAt, toDisplay, unitOf, venueDefault } from './fields.js';

/** A probability as a percentage with sensible precision ('0.42 %', '< 0.01 %'). */
export function pct(p, digits) {
  if (p == null || !Number.isFinite(p)) return '—';
  if (p === 0) return '0 %';
  const v = 100 * p;
  const d = digits ?? (v >= 10 ? 1 : v >= 1 ? 2 : v >= 0.1 ? 2 : 3);
  if (v < 10 ** -d) return `< ${(10 ** -d).toFixed(d)} %`;
  return `${v.toFixed(d)} %`;
}

/** Money in compact form: 52.3 M, 1.20 bn, 950 k. */
export function money(x, unit = '') {
  if (x == null || !Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  const u = unit ? ` ${unit}` : '';
  if (a >= 1e9) return `${(x / 1e9).toFixed(a >= 1e10 ? 1 : 2)} bn${u}`;
  if (a >= 1e6) return `${(x / 1e6).toFixed(a >= 1e8 ? 0 : 1)} M${u}`;
  if (a >= 1e3) return `${(x / 1e3).toFixed(0)} k${u}`;
  if (a < 0.005) return `0${u}`;
  return `${x.toFixed(a >= 10 ? 0 : 2)}${u}`;
}

/** A signed move as a whole percentage: '-30 %', '+10 %'. */
export const move = (x) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(100 * x).toFixed(Math.abs(100 * x) < 1 ? 1 : 0)} %`;

export const int = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '—');

/**
 * The parameters as [label, display] rows, in form order, for Markdown; a field left to the
 * venue shows the value in effect (`inEffect`, the core's policy) marked as the venue's.
 */
export function parameterRows(s, inEffect) {
  const rows = [['Scenario', s.name ?? '(unnamed)'], Array.isArray(s.markets)
    ? ['Markets', s.markets.map((m) => m.market?.symbol ?? '?').join(', ')]
    : ['Market', `${s.market?.symbol ?? ''} ${s.market?.contract ?? ''}`.trim()]];
  for (const f of ALL_FIELDS) {
    if (f.when && !f.when(s)) continue;
    const v = getAt(s, f.pointer);
    const venue = venueDefault(f, s, inEffect);
    if (v === undefined && venue == null) continue;
    // Every parameter with its unit (money in M USD or M coin, prices in USD).
    const unit = venue != null && typeof f.venue(inEffect) !== 'number' ? '' : unitOf(f, s);
    const text = `${venue ?? toDisplay(f, v)}${unit ? ' ' + unit : ''}`;
    rows.push([f.label, venue != null ? `${text} (venue default)` : text]);
  }
  const lev = s.book?.leverage;
  if (Array.isArray(lev)) rows.push(['Leverage mix', lev.map((b) => `${b.leverage}×: ${pct(b.share, 0)}`).join(', ')]);
  if (s.stress?.shocks?.length) rows.push(['Stress shocks', s.stress.shocks.map(move).join(', ')]);
  return rows;
}

/**
 * Markdown for a forum post, written by the core's report module (the text `backstop
 * <command> -f markdown` prints for the same result): the parameters (both sides in A/B mode),
 * the simulate report (or both side by side, probability changes in percentage points), the
 * stress events, the sweep, then how to reproduce it. Every name goes through the core's one
 * Markdown escape.
 */
export async function toMarkdown({ bs, a, b, sweep, permalink, version }) {
  const pa = parameterRows(a.scenario, a.inEffect);
  const pb = b ? new Map(parameterRows(b.scenario, b.inEffect)) : null;
  const columns = [{ key: 'parameter', label: 'Parameter' }, { key: 'current', label: b ? 'Current' : 'Value' }];
  if (b) columns.push({ key: 'proposed', label: 'Proposed' }, { key: 'change', label: 'Change' });
  const rows = [];
  const seen = new Set();
  for (const [k, v] of pa) {
    seen.add(k);
    if (!pb) { rows.push([k, v]); continue; }
    const w = pb.get(k) ?? '—';
    rows.push([k, v, w, w !== v ? 'changed' : '']);
  }
  if (pb) for (const [k, w] of pb) if (!seen.has(k)) rows.push([k, '—', w, 'changed']);
  // The report module is in the full wasm module, loaded on the first export (backstop.mjs).
  const parts = await Promise.all([
    bs.table(columns, rows),
    b ? bs.report('simulate', a.result, { input: a.scenario, proposed: b.result, proposedInput: b.scenario })
      : bs.report('simulate', a.result, { input: a.scenario }),
    a.stress && bs.report('stress', a.stress, { input: a.scenario }),
    sweep?.result && bs.report('sweep', sweep.result, { input: a.scenario }),
  ]);
  const texts = parts.filter((t) => typeof t === 'string');
  const seeds = b ? `seed ${a.result.seed} / ${b.result.seed}` : `seed ${a.result.seed}`;
  const paths = b ? `${int(a.result.paths)} / ${int(b.result.paths)} paths` : `${int(a.result.paths)} paths`;
  // The permalink is this page's own URL; encodeURI keeps it one Markdown link destination.
  texts.push(`Monte Carlo, ${paths}, ${seeds}, backstop ${version}. Reproduce: [open this scenario](${String(permalink).replace(/[()<>\s]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`)}).`);
  return texts.join('\n');
}

/** The current side's simulate result as CSV (a promise): `backstop simulate -f csv` for the same result. */
export function toCSV({ bs, scenario, result, table }) {
  return bs.report('simulate', result, { format: 'csv', input: scenario, table });
}

/** Starts a download of text made here (Blob + object URL; no network). */
export function download(text, filename, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A safe file name stem from a scenario name. */
export const fileStem = (s) => (String(s?.name ?? 'scenario').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'scenario');
