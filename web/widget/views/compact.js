// Compact mode: the headline and the depletion curve, no inputs, and a link to the full
// calculator with this scenario.
import { html, nothing } from 'lit';
import { int } from '../format.js';
import { headlineView } from './headline.js';
import { compactCurveCard } from './curve.js';

/**
 * @param st {a, fatal, status, version, link}: the side shown, a fatal message, the status
 *   line (a template), the core's version and the "open in calculator" link (or null)
 */
export function compactView({ a, fatal, status, version, link }) {
  const r = a?.result ?? a?.partial ?? a?.quick;
  return html`<div class="frame" part="frame">
      <div class="outputs">
        ${fatal ? html`<div class="errors" role="alert"><p>${fatal}</p></div>` : nothing}
        ${a?.errors?.length ? html`<div class="errors" role="alert">${a.errors.map((e) => html`<p>${e.pointer || '(scenario)'}: ${e.message}</p>`)}</div>` : nothing}
        ${status}
        ${r ? html`${headlineView(a.scenario, r, null)}${compactCurveCard()}` : nothing}
        <div class="foot">
          <span>Computed in your browser by backstop ${version}: ${r ? `${int(r.paths)}-path Monte Carlo, seed ${r.seed}, ${a.scenario.simulation?.horizon_days}-day horizon` : '…'}.</span>
          ${link ? html`<a href=${link} target="_blank" rel="noopener">Open in the full calculator ↗</a>` : nothing}
        </div>
      </div>
    </div>`;
}
