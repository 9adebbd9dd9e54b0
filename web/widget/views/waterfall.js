// The stress waterfall card: a shock picker, the chart of one event (drawn into #waterfall by
// the chart controller) and a sentence with its numbers.
import { html, nothing } from 'lit';
import { money, move } from '../format.js';

/**
 * @param events the stress events of the current scenario ([] when it has no shocks)
 * @param event the one shown
 * @param onShock (index) => void
 */
export function waterfallCard(events, event, onShock) {
  return html`<div class="card"><h3>Stress waterfall
        ${events.length ? html`<select id="shock" aria-label="Stress shock" @change=${(e) => onShock(Number(e.target.value))}>
          ${events.map((ev, i) => html`<option value=${i} ?selected=${ev === event}>${move(ev.shock)} shock</option>`)}</select>` : nothing}</h3>
      ${event ? html`<div id="waterfall" class="chart"></div>
        <p class="note">Instant ${move(event.shock)} move: ${money(event.liquidated_notional)} liquidated, ${money(event.bad_debt)} bad debt; fund after ${money(event.fund_after)}.</p>`
        : html`<p class="empty">No stress shocks in this scenario.</p>`}</div>`;
}
