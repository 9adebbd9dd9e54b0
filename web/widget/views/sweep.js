// The sweep card: the range form with messages at its fields, progress and cancel, and the
// finished sweep's chart (drawn into #sweep-chart by the chart controller) and table.
import { html, nothing } from 'lit';
import { pct, money, int } from '../format.js';
import { MAX_SWEEP_VALUES, sweepField, showValue } from '../sweep.js';

/**
 * @param v the sweep controller's view(): {form, field, parameters, errors, status, sweep, stale, unit}
 * @param on {parameter(pointer), field(key, text), run(), cancel()}
 */
export function sweepView({ form, parameters, errors, status, sweep: sw, stale, unit }, on) {
  const running = !!status?.controller;
  const input = (key, label, attrs = {}) => html`<div class="sf">
      <label for=${`sweep-${key}`}>${label}</label>
      <span class="ctl"><input id=${`sweep-${key}`} type="number" inputmode="decimal" step=${attrs.step ?? 'any'}
        min=${attrs.min ?? nothing} max=${attrs.max ?? nothing} .value=${form[key]}
        aria-invalid=${errors[key] ? 'true' : 'false'} aria-describedby=${errors[key] ? `sweep-${key}-msg` : nothing}
        @input=${(e) => on.field(key, e.target.value)}>${attrs.unit ? html`<span class="unit">${attrs.unit}</span>` : nothing}</span>
      ${errors[key] ? html`<div class="msg" id=${`sweep-${key}-msg`} role="alert">${errors[key]}</div>` : nothing}
    </div>`;
  return html`<h3>Sweep a parameter <span class="lbl">same seed for every value (common random numbers)</span></h3>
    <div class="sweep-form">
      <div class="sf">
        <label for="sweep-param">Parameter</label>
        <select id="sweep-param" @change=${(e) => on.parameter(e.target.value)}>
          ${parameters.map((p) => html`<option value=${p.pointer} ?selected=${p.pointer === form.pointer}>${p.label}</option>`)}
        </select>
      </div>
      ${input('from', 'From', { unit })}
      ${input('to', 'To', { unit })}
      ${input('count', 'Values', { step: 1, min: 2, max: MAX_SWEEP_VALUES })}
      ${input('paths', 'Paths per value', { step: 100, min: 100 })}
      <div class="sf go">
        ${running ? html`<button id="sweep-cancel" @click=${on.cancel}>Cancel sweep</button>`
          : html`<button id="sweep-run" class="primary" @click=${on.run}>Run sweep</button>`}
      </div>
    </div>
    <div class="status" role="status" aria-live="polite">
      ${running ? html`<progress max="1" .value=${status.progress} aria-label="Sweep progress"></progress><span>${Math.round(100 * status.progress)} %</span>`
        : status?.cancelled ? html`<span>Sweep cancelled.</span>`
        : sw ? html`<span>${sw.result.points.length} values of ${sweepField(sw.pointer).label.toLowerCase()}, ${int(sw.result.paths)} paths each, seed ${sw.result.seed}${sw.side === 'proposed' ? ' (the proposal)' : ''}.</span>
            ${stale ? html`<span class="worse">Computed for earlier inputs: run it again.</span>` : nothing}`
        : html`<span>Runs the Monte Carlo once per value, everything else as set above.</span>`}
    </div>
    ${status?.error ? html`<div class="errors" role="alert"><p>${status.error}</p></div>` : nothing}
    ${sw ? html`<div id="sweep-chart" class="chart"></div>
      <table class="risk" id="sweep-table">
        <thead><tr><th>${sweepField(sw.pointer).label}</th><th>P(depletion)</th><th>95 % CI</th><th>Required fund</th><th>95 % CI</th><th>P(ADL)</th></tr></thead>
        <tbody>${sw.result.points.map((p) => html`<tr>
          <td>${showValue(sw.pointer, p.at[0])}</td>
          <td data-value=${p.depletion_probability.estimate}>${pct(p.depletion_probability.estimate)}</td>
          <td>${pct(p.depletion_probability.ci95[0])} – ${pct(p.depletion_probability.ci95[1])}</td>
          <td data-value=${p.required_fund.amount ?? ''}>${money(p.required_fund.amount)}</td>
          <td>${money(p.required_fund.ci95[0])} – ${money(p.required_fund.ci95[1])}</td>
          <td>${pct(p.adl_probability)}</td></tr>`)}</tbody>
      </table>` : nothing}`;
}
