// The three headline numbers of a simulate result: P(depletion), the fund needed, P(ADL); in
// A/B mode the proposal's value under each.
import { html, nothing } from 'lit';
import { pct, money, int } from '../format.js';

/**
 * How the estimate was made and how precise it is: "importance sampling, ±12 %" (the 95 %
 * half-width over the estimate; docs/model.md#importance-sampling), "no depletion seen" at 0.
 */
export function precisionText(d) {
  const method = d.method === 'importance_sampling' ? 'importance sampling' : 'plain Monte Carlo';
  const re = d.relative_error;
  return Number.isFinite(re) && d.estimate > 0 ? `${method}, ±${re >= 0.995 ? Math.round(100 * re) : (100 * re).toPrecision(2)} %` : `${method}, no depletion seen`;
}

/** @param sa the scenario, ra its result, rb the proposal's result (or null) */
export function headlineView(sa, ra, rb) {
  const d = ra.depletion_probability;
  const q = ra.required_fund;
  const short = (sa.fund?.balance ?? 0) < q.amount;
  const bv = (fmt, get) => (rb ? html`<div class="v b" title="Proposed">→ ${fmt(get(rb))}</div>` : nothing);
  return html`<div class="headline" part="headline">
      <div class="stat ${d.estimate > q.target ? 'alert' : 'ok'}" id="p-depletion">
        <div class="k">P(fund depleted within ${sa.simulation?.horizon_days} days)</div>
        <div class="v" data-value=${d.estimate}>${pct(d.estimate)}</div>${bv(pct, (r) => r.depletion_probability.estimate)}
        <div class="d">95 % CI ${pct(d.ci95[0])} – ${pct(d.ci95[1])} · ${precisionText(d)} · ${int(d.events)} of ${int(ra.paths)} paths</div>
      </div>
      <div class="stat" id="required-fund">
        <div class="k">Fund needed for P ≤ ${pct(q.target)}</div>
        <div class="v" data-value=${q.amount}>${money(q.amount)}</div>${bv(money, (r) => r.required_fund.amount)}
        <div class="d">${pct(q.ratio_to_open_interest)} of OI · 95 % CI ${money(q.ci95[0])} – ${money(q.ci95[1])} · ${short ? html`<span class="worse">short by ${money(q.amount - sa.fund.balance)}</span>` : html`<span class="better">covered</span>`}</div>
      </div>
      <div class="stat" id="p-adl">
        <div class="k">P(ADL or socialised loss)</div>
        <div class="v" data-value=${ra.adl_probability}>${pct(ra.adl_probability)}</div>${bv(pct, (r) => r.adl_probability)}
        <div class="d">${ra.adl_probability_ci95 ? `95 % CI ${pct(ra.adl_probability_ci95[0])} – ${pct(ra.adl_probability_ci95[1])}` : ''} · fund ${money(sa.fund?.balance)}${sa.fund?.backstop_vault ? ` + vault ${money(sa.fund.backstop_vault)}` : ''}</div>
      </div>
    </div>`;
}
