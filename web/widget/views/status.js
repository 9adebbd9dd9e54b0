// The status line: which result is on screen (Monte Carlo, refining, quick estimate), the
// progress of the run with its Cancel button, and "Run again" after a cancel. Numbers that
// belong to earlier inputs (an edit waiting for its run, or invalid inputs) are marked stale.
import { html, nothing } from 'lit';
import { int } from '../format.js';

/**
 * @param {{a: object|null, state: string, stale: boolean, running: boolean, progress: number}} s
 * @param {{cancel: () => void, rerun: () => void}} on
 */
export function statusView({ a, state, stale, running, progress }, on) {
  const r = a?.result;
  return html`<div class="status" role="status" aria-live="polite">
      ${stale ? html`<span class="badge stale" id="stale">Out of date</span> ${state === 'invalid'
          ? 'The numbers below are for the previous inputs: fix the highlighted inputs to run.'
          : 'The numbers below are for the previous inputs; recomputing…'}`
        : r ? html`<span class="badge final">Monte Carlo</span> ${int(r.paths)} paths · seed ${r.seed} · backstop ${r.version}`
        : a?.partial ? html`<span class="badge quick">Refining</span> ${int(a.partial.paths)} of ${int(a.scenario.simulation?.paths)} paths so far`
        : a?.quick ? html`<span class="badge quick">Quick estimate</span> ${int(a.quick.paths)} paths; the full run is under way`
        : state === 'invalid' ? html`<span>Fix the highlighted inputs to run.</span>`
        : html`<span>Starting the engine…</span>`}
      ${running ? html`<progress max="1" .value=${progress} aria-label="Monte Carlo progress"></progress>
          <span>${Math.round(100 * progress)} %</span>
          <button id="cancel" @click=${on.cancel}>Cancel</button>` : nothing}
      ${state === 'cancelled' ? html`<span>Cancelled.</span> <button @click=${on.rerun}>Run again</button>` : nothing}
    </div>`;
}
