// The card of the fund balance fan chart (drawn into #fan by the chart controller).
import { html } from 'lit';

export function fanCard() {
  return html`<div class="card"><h3>Fund balance over time <span class="lbl">p05–p95, p25–p75, median</span></h3><div id="fan" class="chart"></div></div>`;
}
