// The per-market breakdown of a multi-market result: who brings the bad debt the fund absorbs.
import { html, nothing } from 'lit';
import { pct, money } from '../format.js';

/** @param s the scenario (its `markets` name the rows), r its result */
export function marketsView(s, r) {
  const perMarket = r.fund_scope === 'per_market';
  return html`<h3>Per market <span class="lbl">${perMarket ? 'one fund per market' : 'one shared fund'}</span></h3>
    <table class="risk" id="per-market"><thead><tr><th>Market</th><th>Open interest</th><th>Share of bad debt</th><th>Bad debt mean</th><th>ES 99 %</th><th>Fund needed alone</th></tr></thead>
      <tbody>${r.markets.map((m, i) => html`<tr><td>${s.markets?.[i]?.market?.symbol ?? `#${i + 1}`}</td><td>${money(m.open_interest)}</td>
        <td>${pct(m.share_of_bad_debt, 1)}</td><td>${money(m.bad_debt?.mean)}</td><td>${money(m.bad_debt?.es99)}</td><td>${money(m.required_fund?.amount)}</td></tr>`)}</tbody></table>
    ${r.independent_markets_depletion_probability != null ? html`<p class="note">Each market alone against ${perMarket ? 'its own fund' : 'the whole fund'}: if they failed independently, at least one would deplete it with probability ${pct(r.independent_markets_depletion_probability)}; together, drawing on ${perMarket ? 'their funds' : 'one fund'}, the probability is ${pct(r.depletion_probability.estimate)}.</p>` : nothing}`;
}
