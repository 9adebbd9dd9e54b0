// The output column of full mode: messages, the status line, the headline, the warnings, the
// cards (curve, fan, waterfall, risk, analytic, per market, sweep) and the export bar.
import { html, nothing } from 'lit';
import { headlineView } from './headline.js';
import { curveCard } from './curve.js';
import { fanCard } from './fan.js';
import { waterfallCard } from './waterfall.js';
import { riskView } from './risk.js';
import { analyticView } from './analytic.js';
import { marketsView } from './markets.js';
import { sweepView } from './sweep.js';
import { exportsView } from './exports.js';

/**
 * @param st {a, ra, rb, state, stale, fatal, status, event, sweep, exports}: the current side and the
 *   results on screen (current, proposed), the element's state, whether those results belong to
 *   earlier inputs (dimmed, marked in the status line), a fatal message, the status line
 *   (a template), the stress event shown, the sweep controller's view() and the export bar's state
 * @param on {shock(i), sweep: {...} (views/sweep.js), exports: {...} (views/exports.js)}
 */
export function outputsView({ a, ra, rb, state, stale, fatal, status, event, sweep, exports }, on) {
  const message = fatal ? html`<div class="errors" role="alert"><p>${fatal}</p></div>` : nothing;
  if (fatal && !a?.quick) return html`${message}${status}`;
  return html`
    ${message}
    ${status}
    <div class="results ${stale ? (state === 'invalid' ? 'stale invalid' : 'stale') : ''}" aria-busy=${stale ? 'true' : 'false'}>
    ${ra ? headlineView(a.scenario, ra, rb) : html`<p class="empty">${state === 'invalid' ? 'No result while inputs are invalid.' : 'Computing…'}</p>`}
    ${ra?.warnings?.length ? ra.warnings.map((w) => html`<p class="warn">⚠ ${typeof w === 'string' ? w : w.message ?? JSON.stringify(w)}</p>`) : nothing}
    ${ra ? html`<div class="cards" part="charts">
      ${curveCard()}
      ${fanCard()}
      ${waterfallCard(a.stress?.events ?? [], event, on.shock)}
      <div class="card">${riskView(ra, rb)}</div>
      <div class="card">${analyticView(ra)}</div>
      ${Array.isArray(ra.markets) && ra.markets.length ? html`<div class="card wide">${marketsView(a.scenario, ra)}</div>` : nothing}
      <div class="card wide" id="sweep">${sweepView(sweep, on.sweep)}</div>
    </div>` : nothing}
    </div>
    ${exportsView(exports, on.exports)}`;
}
