// The input column: one fieldset per group of fields.js, each field with its unit, bounds and
// message; the leverage mix of a single-market book; the markets of a multi-market scenario
// (one market's inputs at a time); the Current/Proposed switch in A/B mode.
import { html, nothing } from 'lit';
import { GROUPS, getAt, toDisplay, unitOf, venueDefault } from '../fields.js';
import { money, pct } from '../format.js';
import { optionsOf } from '../names.js';

const PER_MARKET = /^\/(market|book|price_model)\//;

/** A select's options: the core's name table, plus the scenario's own value when it is not in it. */
function choices(f, value) {
  const list = optionsOf(f.names);
  return list.some((o) => o.id === value) ? list : [...list, { id: value ?? '', label: value || '(preset default)' }];
}

/** A blank field's placeholder: the value in effect of one left to the venue ("1.5 venue"), else the field's hint. */
function placeholder(f, cur, s) {
  const venue = venueDefault(f, s, cur.inEffect);
  return venue != null ? `${venue} venue` : f.hint ?? '';
}

function fieldView(f, { cur, other, s, msgs }, on) {
  if (f.when && !f.when(f.context ?? s)) return nothing;
  const id = `f-${f.pointer.slice(1).replace(/\//g, '-')}`;
  const errs = msgs(f.pointer);
  const local = cur.local[f.pointer];
  const bad = errs.length > 0 || !!local;
  const value = getAt(s, f.pointer);
  const changed = other && JSON.stringify(getAt(other, f.pointer)) !== JSON.stringify(value);
  const bounds = [f.min != null ? `≥ ${toDisplay(f, f.min / (f.scale ?? 1))}` : '', f.max != null ? `≤ ${toDisplay(f, f.max / (f.scale ?? 1))}` : ''].filter(Boolean).join(', ');
  return html`<div class="field ${f.kind === 'select' ? 'sel' : ''} ${changed ? 'changed' : ''}">
      <label for=${id}>${f.label}</label>
      <span class="ctl">
        ${f.kind === 'select'
          ? html`<select id=${id} name=${f.pointer} @change=${(e) => on.field(f, e)} aria-invalid=${bad ? 'true' : 'false'}>
              ${choices(f, value).map((o) => html`<option value=${o.id} ?selected=${o.id === value}>${o.label}</option>`)}
            </select>`
          : html`<input id=${id} name=${f.pointer} type="number" inputmode="decimal" step=${f.step ?? 'any'}
              min=${f.min ?? nothing} max=${f.max ?? nothing} placeholder=${placeholder(f, cur, s)}
              .value=${cur.drafts[f.pointer] ?? toDisplay(f, value)} title=${bounds}
              aria-invalid=${bad ? 'true' : 'false'} aria-describedby=${bad ? id + '-msg' : nothing}
              @input=${(e) => on.field(f, e)}>`}
        ${f.kind === 'select' ? nothing : html`<span class="unit">${unitOf(f, f.context ?? s)}</span>`}
      </span>
      ${bad ? html`<div class="msg" id=${id + '-msg'} role="alert">${local ?? errs.map((e) => e.message).join('; ')}</div>` : nothing}
    </div>`;
}

/** The leverage mix of open interest: one editable row per bucket. */
function leverageView(cur, levErrs, on) {
  const lev = Array.isArray(cur.scenario.book?.leverage) ? cur.scenario.book.leverage : [];
  const shareSum = lev.reduce((a, r) => a + (Number(r.share) || 0), 0);
  const invalid = (i, prop) => (levErrs.some((e) => e.pointer.startsWith(`/book/leverage/${i}/${prop}`)) ? 'true' : 'false');
  return html`
    <table class="lev" aria-label="Leverage mix of open interest">
      <thead><tr><th>Leverage (×)</th><th>Share of OI (%)</th><th><span class="sr">Remove</span></th></tr></thead>
      <tbody>${lev.map((r, i) => html`<tr>
        <td><input id=${`f-book-leverage-${i}-leverage`} type="number" min="1" max="1000" step="1" aria-label=${`Leverage, row ${i + 1}`}
          .value=${cur.drafts[`/book/leverage/${i}/leverage`] ?? String(r.leverage ?? '')}
          aria-invalid=${invalid(i, 'leverage')} @input=${(e) => on.leverage(i, 'leverage', e)}></td>
        <td><input id=${`f-book-leverage-${i}-share`} type="number" min="0" max="100" step="1" aria-label=${`Share of open interest, row ${i + 1}`}
          .value=${cur.drafts[`/book/leverage/${i}/share`] ?? String(Number((100 * (r.share ?? 0)).toPrecision(12)))}
          aria-invalid=${invalid(i, 'share')} @input=${(e) => on.leverage(i, 'share', e)}></td>
        <td><button class="rm" title="Remove row" aria-label=${`Remove leverage row ${i + 1}`} @click=${() => on.leverageRemove(i)}>×</button></td>
      </tr>`)}</tbody>
    </table>
    <div class="lev-foot"><span>Total ${Number((100 * shareSum).toFixed(2))} %</span><button class="link" id="lev-add" @click=${on.leverageAdd}>+ Add leverage bucket</button></div>
    ${levErrs.length ? html`<div class="msg" role="alert">${levErrs.map((e) => `${e.pointer.replace('/book/leverage', 'row ')}: ${e.message}`).join('; ')}</div>` : nothing}`;
}

/** The markets of a multi-market scenario (docs/scenario-format.md#markets) and the one being edited. */
function marketsListView(s, mi, on) {
  return html`<fieldset>
      <legend>Markets on this fund</legend>
      <table class="risk" id="markets-list"><thead><tr><th>Market</th><th>OI (one side)</th><th>Daily vol.</th></tr></thead>
        <tbody>${s.markets.map((m) => html`<tr><td>${m.market?.symbol ?? '—'}</td><td>${money(m.book?.open_interest)}</td>
          <td>${m.price_model?.daily_volatility != null ? pct(m.price_model.daily_volatility, 1) : m.price_model?.kind ?? '—'}</td></tr>`)}</tbody></table>
      <p class="hint">${s.markets.length} markets${s.correlation ? ', correlated,' : ''} share ${s.fund?.scope === 'per_market' ? 'one fund each' : 'one fund'}; the fund policy below applies to all.</p>
      <div class="field"><label for="market-pick">Edit market</label><span class="ctl">
        <select id="market-pick" @change=${(e) => on.pickMarket(Number(e.target.value))}>
          ${s.markets.map((m, i) => html`<option value=${i} ?selected=${i === mi}>${m.market?.symbol || `#${i + 1}`}</option>`)}
        </select></span></div>
    </fieldset>`;
}

/** Notes under a group: bootstrap returns, what the fund is held in, the treasury. */
function groupNotes(g, s) {
  return html`
    ${g.id === 'volatility' && s.price_model?.kind === 'bootstrap' ? html`<p class="hint">${(s.price_model.returns ?? []).length} daily returns from the scenario</p>` : nothing}
    ${g.id === 'policy' && Array.isArray(s.fund?.composition) ? html`<p class="hint" id="fund-composition">Held as ${s.fund.composition.map((c) =>
      `${pct(c.share, 0)} ${c.asset}${c.asset === 'token' && c.daily_volatility != null ? ` (${pct(c.daily_volatility, 1)}/day, β ${c.beta ?? 1})` : ''}`).join(', ')}: the fund loses value when the market falls.</p>` : nothing}
    ${g.id === 'policy' && s.fund?.treasury ? html`<p class="hint" id="fund-treasury">Treasury: ${money(s.fund.treasury.amount)} that governance can release after ${s.fund.treasury.delay_days ?? 0} days.</p>` : nothing}`;
}

/**
 * @param st {cur, other, comparing, editing, marketIndex}: the side being edited, the other
 *   side's scenario in A/B mode (fields that differ are marked), which side is edited
 * @param on {field(f, ev), leverage(i, prop, ev), leverageAdd(), leverageRemove(i), pickMarket(i), edit('a'|'b')}
 */
export function inputsView({ cur, other, comparing, editing, marketIndex }, on) {
  if (!cur) return html`<div class="inputs" part="inputs"><p class="empty">Loading…</p></div>`;
  const s = cur.scenario;
  const matched = new Set();
  const msgs = (pointer) => {
    const out = cur.errors.filter((e) => e.pointer === pointer || e.pointer.startsWith(pointer + '/'));
    out.forEach((e) => matched.add(e));
    return out;
  };
  const ctx = { cur, other, s, msgs };
  // A multi-market scenario has its market, book and price model per market: the numeric inputs
  // of the market picked edit /markets/i/...; model and liquidity choices stay as the scenario sets them.
  const multi = Array.isArray(s.markets);
  const mi = multi ? Math.min(marketIndex ?? 0, s.markets.length - 1) : 0;
  const perMarket = (f) => (!multi || !PER_MARKET.test(f.pointer) ? f
    : f.kind === 'select' ? null : { ...f, pointer: `/markets/${mi}${f.pointer}`, context: s.markets[mi] });
  const levErrs = msgs('/book/leverage');
  const groups = GROUPS.map((g) => html`<fieldset>
      <legend>${multi && g.id !== 'policy' ? `${g.title}: ${s.markets[mi].market?.symbol || `#${mi + 1}`}` : g.title}</legend>
      ${g.fields.map(perMarket).filter(Boolean).map((f) => fieldView(f, ctx, on))}
      ${g.id === 'book' && !multi ? leverageView(cur, levErrs, on) : nothing}
      ${groupNotes(g, s)}
    </fieldset>`);
  const rest = cur.errors.filter((e) => !matched.has(e));
  return html`<div class="inputs" part="inputs">
      ${comparing ? html`<div class="seg" role="group" aria-label="Parameter set being edited" style="margin-top:10px">
          <button aria-pressed=${editing === 'a' ? 'true' : 'false'} @click=${() => on.edit('a')}>Current</button>
          <button class="b" id="edit-b" aria-pressed=${editing === 'b' ? 'true' : 'false'} @click=${() => on.edit('b')}>Proposed</button>
        </div>` : nothing}
      ${rest.length ? html`<div class="errors" role="alert">${rest.map((e) => html`<p>${e.pointer || '(scenario)'}: ${e.message}</p>`)}</div>` : nothing}
      ${multi ? marketsListView(s, mi, on) : nothing}
      ${groups}
    </div>`;
}
