// The bad-debt risk card: VaR and ES of the horizon's bad debt; in A/B mode, every headline
// metric current vs proposed with the change (lower is better for each).
import { html } from 'lit';
import { pct, money } from '../format.js';

const COMPARED = [
  ['P(depletion)', (r) => r.depletion_probability.estimate, pct],
  ['Required fund', (r) => r.required_fund.amount, money],
  ['P(ADL)', (r) => r.adl_probability, pct],
  ['Bad debt mean', (r) => r.bad_debt.mean, money],
  ['VaR 99 %', (r) => r.bad_debt.var99, money],
  ['ES 99 %', (r) => r.bad_debt.es99, money],
];

/** @param ra the current result, rb the proposal's (or null) */
export function riskView(ra, rb) {
  if (!rb) {
    const bd = ra.bad_debt;
    return html`<h3>Horizon bad debt</h3>
      <table class="risk" id="risk"><thead><tr><th>Level</th><th>VaR</th><th>ES</th></tr></thead>
        <tbody>
          <tr><td>95 %</td><td>${money(bd.var95)}</td><td>${money(bd.es95)}</td></tr>
          <tr><td>99 %</td><td>${money(bd.var99)}</td><td>${money(bd.es99)}</td></tr>
          <tr><td>Mean</td><td colspan="2">${money(bd.mean)}</td></tr>
          <tr><td>Liquidated notional (mean / max)</td><td colspan="2">${money(ra.liquidated_notional?.mean)} / ${money(ra.liquidated_notional?.max)}</td></tr>
        </tbody></table>`;
  }
  return html`<h3>Current vs proposed</h3>
    <table class="risk" id="compare-table"><thead><tr><th>Metric</th><th>Current</th><th>Proposed</th><th>Change</th></tr></thead>
      <tbody>${COMPARED.map(([label, get, fmt]) => {
        const x = get(ra);
        const y = get(rb);
        const same = x === y;
        const cls = same ? '' : y < x ? 'better' : 'worse';
        const rel = x ? (y - x) / Math.abs(x) : null;
        return html`<tr class=${same ? '' : 'diff'}><td>${label}</td><td>${fmt(x)}</td><td class="bv">${fmt(y)}</td>
          <td class=${cls}>${same ? '—' : rel == null ? fmt(y - x) : `${rel > 0 ? '+' : ''}${(100 * rel).toFixed(rel > -0.1 && rel < 0.1 ? 1 : 0)} %`}</td></tr>`;
      })}</tbody></table>`;
}
