// The card of the depletion curve: P(depletion) against fund size (the chart is drawn into
// #curve by the chart controller).
import { html } from 'lit';

/** The full card, with the note on how one simulation gives the whole curve. */
export function curveCard() {
  return html`<div class="card wide"><h3>Depletion probability vs fund size <span class="lbl">log scale</span></h3><div id="curve" class="chart"></div>
      <p class="note">One simulation gives the whole curve: the fund is depleted iff it is smaller than the horizon's peak cumulative net outflow (docs/model.md, "The fund process"). The dotted line is the target.</p></div>`;
}

/** The compact mode's card: the chart alone. */
export function compactCurveCard() {
  return html`<div class="card" part="charts"><h3>Depletion probability vs fund size <span class="lbl">log scale</span></h3><div id="curve" class="chart"></div></div>`;
}
