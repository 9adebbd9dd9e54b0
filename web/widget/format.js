// Number formatting and the exports: Markdown for forum posts, CSV, JSON, the permalink.
import { ALL_FIELDS, getAt, toDisplay } from './fields.js';

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

/** The headline numbers of a simulate result, as [label, text, raw] rows (shared by UI and exports). */
export function headlineRows(r, scenario, unit = 'USD') {
  if (!r) return [];
  const d = r.depletion_probability;
  const q = r.required_fund;
  const h = scenario?.simulation?.horizon_days ?? r.horizon_days;
  return [
    ['p_depletion', `P(fund depleted within ${h} days)`, `${pct(d.estimate)} (95 % CI ${pct(d.ci95[0])} – ${pct(d.ci95[1])})`, d.estimate],
    ['required_fund', `Fund needed for P ≤ ${pct(q.target)}`, `${money(q.amount, unit)} (95 % CI ${money(q.ci95[0])} – ${money(q.ci95[1])}); ${pct(q.ratio_to_open_interest)} of OI`, q.amount],
    ['p_adl', 'P(ADL or socialised loss)', pct(r.adl_probability), r.adl_probability],
    ['bad_debt_mean', 'Expected bad debt over the horizon', money(r.bad_debt.mean, unit), r.bad_debt.mean],
    ['var99', 'Bad debt VaR 99 % / ES 99 %', `${money(r.bad_debt.var99, unit)} / ${money(r.bad_debt.es99, unit)}`, r.bad_debt.var99],
    ['var95', 'Bad debt VaR 95 % / ES 95 %', `${money(r.bad_debt.var95, unit)} / ${money(r.bad_debt.es95, unit)}`, r.bad_debt.var95],
    ['liquidated', 'Liquidated notional (mean / max)', `${money(r.liquidated_notional?.mean, unit)} / ${money(r.liquidated_notional?.max, unit)}`, r.liquidated_notional?.mean],
  ];
}

/** The parameters as [label, display] rows, in form order, for Markdown and CSV. */
export function parameterRows(s) {
  const rows = [['Scenario', s.name ?? '(unnamed)'], Array.isArray(s.markets)
    ? ['Markets', s.markets.map((m) => m.market?.symbol ?? '?').join(', ')]
    : ['Market', `${s.market?.symbol ?? ''} ${s.market?.contract ?? ''}`.trim()]];
  for (const f of ALL_FIELDS) {
    if (f.when && !f.when(s)) continue;
    const v = getAt(s, f.pointer);
    if (v === undefined) continue;
    const unit = f.unit === 'M' ? 'M' : f.unit === 'quote' ? '' : f.unit ?? '';
    rows.push([f.label, `${toDisplay(f, v)}${unit ? ' ' + unit : ''}`]);
  }
  const lev = s.book?.leverage;
  if (Array.isArray(lev)) rows.push(['Leverage mix', lev.map((b) => `${b.leverage}×: ${pct(b.share, 0)}`).join(', ')]);
  if (s.stress?.shocks?.length) rows.push(['Stress shocks', s.stress.shocks.map(move).join(', ')]);
  return rows;
}

// Markdown cells: escape the pipe and strip line breaks and HTML-significant characters, so a
// scenario name cannot break the table or inject markup into a forum that renders HTML.
export const cell = (t) => String(t).replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Markdown for a forum post: parameters, seed, version and results (two columns in A/B mode). */
export function toMarkdown({ a, b, permalink, version }) {
  const cols = b ? ['Current', 'Proposed'] : ['Value'];
  const lines = [];
  lines.push(`### Insurance fund: ${cell(a.scenario.name ?? 'scenario')}`, '');
  const pa = parameterRows(a.scenario);
  const pb = b ? new Map(parameterRows(b.scenario)) : null;
  lines.push(`| Parameter | ${cols.join(' | ')} |`, `|---|${cols.map(() => '---|').join('')}`);
  const seen = new Set();
  for (const [k, v] of pa) {
    seen.add(k);
    if (!pb) lines.push(`| ${cell(k)} | ${cell(v)} |`);
    else { const w = pb.get(k) ?? '—'; lines.push(`| ${cell(k)} | ${cell(v)} | ${w !== v ? '**' + cell(w) + '**' : cell(w)} |`); }
  }
  if (pb) for (const [k, w] of pb) if (!seen.has(k)) lines.push(`| ${cell(k)} | — | **${cell(w)}** |`);
  lines.push('');
  const ha = headlineRows(a.result, a.scenario);
  const hb = b ? new Map(headlineRows(b.result, b.scenario).map((r) => [r[0], r[2]])) : null;
  lines.push(`| Result | ${cols.join(' | ')} |`, `|---|${cols.map(() => '---|').join('')}`);
  for (const [key, label, text] of ha) lines.push(`| ${cell(label)} | ${cell(text)} |${hb ? ` ${cell(hb.get(key) ?? '—')} |` : ''}`);
  lines.push('');
  const seeds = b ? `seed ${a.result.seed} / ${b.result.seed}` : `seed ${a.result.seed}`;
  const paths = b ? `${int(a.result.paths)} / ${int(b.result.paths)} paths` : `${int(a.result.paths)} paths`;
  lines.push(`Monte Carlo, ${paths}, ${seeds}, backstop ${version}. Reproduce: [open this scenario](${permalink}).`);
  return lines.join('\n');
}

const csvCell = (t) => {
  const s = String(t ?? '');
  // Quote always; neutralise spreadsheet formulas (a leading =, +, -, @ in text).
  return `"${(/^[=+@\t\r]/.test(s) || /^-[^\d]/.test(s) ? "'" + s : s).replace(/"/g, '""')}"`;
};

/** CSV in long form: section, key, value (the headline, the curve, the fan chart). */
export function toCSV({ scenario, result, version, extraRows = [] }) {
  const rows = [['section', 'key', 'value']];
  rows.push(['meta', 'scenario', scenario.name ?? ''], ['meta', 'version', version], ['meta', 'seed', result.seed], ['meta', 'paths', result.paths]);
  const d = result.depletion_probability;
  rows.push(['result', 'depletion_probability', d.estimate], ['result', 'depletion_probability_ci95_lo', d.ci95[0]],
    ['result', 'depletion_probability_ci95_hi', d.ci95[1]], ['result', 'adl_probability', result.adl_probability],
    ['result', 'required_fund_target', result.required_fund.target], ['result', 'required_fund_amount', result.required_fund.amount],
    ['result', 'required_fund_ci95_lo', result.required_fund.ci95[0]], ['result', 'required_fund_ci95_hi', result.required_fund.ci95[1]],
    ['result', 'required_fund_ratio_to_open_interest', result.required_fund.ratio_to_open_interest]);
  for (const [k, v] of Object.entries(result.bad_debt)) rows.push(['bad_debt', k, v]);
  for (const p of result.curve) rows.push(['curve', p.fund, p.probability]);
  const fq = result.fund_quantiles;
  fq.days.forEach((day, i) => { for (const q of ['p05', 'p25', 'p50', 'p75', 'p95']) rows.push([`fund_${q}`, day, fq[q][i]]); });
  rows.push(...extraRows);
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
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
