// The "bring your own market" cards: a drop zone, file picker and paste box for a price CSV;
// the fitted models (log-likelihood, AIC, parameters with their units) each with "Use this
// model"; the replay of the path with its charts (drawn into #replay-chart and #replay-stages
// by the market controller) and the waterfall's totals. The file's text and the core's
// messages are shown as text only.
import { html, nothing } from 'lit';
import { money, pct, int, move } from '../format.js';
import { labelOf, optionsOf } from '../names.js';

/** A fitted parameter's label and its value with a unit. */
const PARAMETERS = {
  daily_volatility: ['Daily volatility', (v) => `${pct(v, 2)} /day`],
  drift_per_year: ['Drift', (v) => `${pct(v, 1)} /year`],
  dof: ['Degrees of freedom ν', (v) => v.toFixed(2)],
  jump_intensity_per_year: ['Jumps', (v) => `${v.toFixed(1)} /year`],
  jump_mean: ['Mean jump', (v) => `${pct(v, 2)} log`],
  jump_stdev: ['Jump st. dev.', (v) => `${pct(v, 2)} log`],
  omega: ['GARCH ω', (v) => `${v.toPrecision(3)} /day²`],
  alpha: ['GARCH α', (v) => v.toFixed(4)],
  beta: ['GARCH β', (v) => v.toFixed(4)],
};

function parametersOf(fit) {
  if (fit.kind === 'bootstrap') {
    return `${int(fit.price_model.returns?.length)} returns, blocks of ${fit.price_model.block_days ?? '—'} days`;
  }
  return Object.entries(fit.parameters ?? {})
    .map(([k, v]) => `${PARAMETERS[k]?.[0] ?? k} ${PARAMETERS[k] ? PARAMETERS[k][1](v) : String(v)}`).join(' · ');
}

const num = (x, d = 1) => (x == null || !Number.isFinite(x) ? '—' : x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));

function fitsTable(fits, on) {
  return html`<p class="note" id="fits-summary">${int(fits.observations)} prices, one every ${num(fits.interval_days, 3)} days;
      lowest AIC: ${labelOf('price_models', fits.best)}.</p>
    <table class="risk fits" id="fits">
      <thead><tr><th>Model</th><th>Log-likelihood</th><th>AIC</th><th>Parameters</th><th><span class="sr">Use</span></th></tr></thead>
      <tbody>${fits.fits.map((f) => html`<tr class=${f.kind === fits.best ? 'best' : ''} data-kind=${f.kind}>
        <td>${labelOf('price_models', f.kind)}</td>
        <td class="ll">${num(f.log_likelihood, 1)}</td>
        <td class="aic">${num(f.aic, 1)}</td>
        <td class="params">${parametersOf(f)}</td>
        <td><button class="use" data-kind=${f.kind} @click=${() => on.use(f)}>Use this model</button></td>
      </tr>`)}</tbody>
    </table>`;
}

/** A path far from the scenario's mark price starts with a jump: say so. */
function startNote(replay, mark) {
  const first = replay.steps[0]?.price;
  if (!(mark > 0 && first > 0) || Math.abs(first / mark - 1) < 0.25) return nothing;
  const p = (x) => Number(x.toPrecision(6)).toLocaleString('en-US');
  return html`<p class="warn" id="replay-start">The path's first close is ${p(first)} and the scenario's mark price
    ${p(mark)}: its first step is a ${move(first / mark - 1)} move.</p>`;
}

function replayCard({ replay, replayError, source, csv, mark }) {
  if (!source) {
    return html`<p class="empty">Drop a price CSV above, or give the scenario a <code>replay</code> path, to replay it here.</p>`;
  }
  if (replayError) return html`<div class="errors" role="alert"><p>${replayError.message}</p></div>`;
  if (!replay) return nothing;
  const t = replay.totals;
  const stages = [...optionsOf('stages'), { id: 'uncovered', label: 'Uncovered' }].filter(({ id }) => (t.waterfall?.[id] ?? 0) > 0);
  return html`<p class="note" id="replay-summary">${source === 'csv' ? `The path of ${csv.name}` : "The scenario's own path"}:
      ${replay.steps.length} steps over ${num(replay.steps.at(-1)?.t_days, 2)} days, ${money(t.liquidated_notional)} liquidated,
      ${money(t.bad_debt)} bad debt; fund ${money(replay.fund_before)} → ${money(t.fund_after)} (lowest ${money(t.fund_min)})${t.depleted
        ? `, depleted on day ${num(t.depleted_at_days, 2)}` : ''}.</p>
    ${startNote(replay, mark)}
    <div id="replay-chart" class="chart" aria-label="Price, fund and cumulative bad debt along the path"></div>
    ${stages.length ? html`<h3>Who paid the bad debt (cumulative)</h3>
      <div id="replay-stages" class="chart" aria-label="Cumulative bad debt by waterfall stage"></div>
      <table class="risk" id="replay-split"><thead><tr><th>Stage</th><th>Paid</th></tr></thead>
        <tbody>${stages.map(({ id, label }) => html`<tr><td>${label}</td><td>${money(t.waterfall[id])}</td></tr>`)}</tbody></table>`
      : html`<p class="note">No bad debt along this path.</p>`}`;
}

/** Why there are no fits: a note when the path was too short to fit but replayed, else the error. */
function fitErrorView(st) {
  const need = st.fitsNeed();
  if (need != null) {
    return html`<p class="note" id="fit-note">Too few prices to fit a model (${need} needed); the replay below uses them as they are.</p>`;
  }
  return html`<div class="errors" role="alert" id="fit-error"><p>${st.fitError.message}</p></div>`;
}

/**
 * @param st the market controller: {csv, draft, fits, fitError, replay, replayError, source(), mark(), fitsNeed()}
 * @param on {file(File), paste(text), draft(text), use(fit), clear()}
 */
export function marketView(st, on) {
  const source = st.source();
  const drop = (e) => {
    e.preventDefault();
    e.currentTarget.classList.remove('over');
    const file = e.dataTransfer?.files?.[0];
    if (file) on.file(file);
    else if (e.dataTransfer?.getData('text')) on.paste(e.dataTransfer.getData('text'));
  };
  return html`<div class="cards market" part="market">
    <div class="card wide" id="byo">
      <h3>Bring your own market <span class="lbl">fit the price model to a price series; nothing leaves this page</span></h3>
      <div class="drop" id="csv-drop" @dragover=${(e) => { e.preventDefault(); e.currentTarget.classList.add('over'); }}
        @dragleave=${(e) => e.currentTarget.classList.remove('over')} @drop=${drop}>
        <span>Drop a CSV of prices (a <code>close</code> or <code>price</code> column, optional <code>date</code>, <code>high</code>, <code>low</code>) or</span>
        <label class="pick">choose a file<input id="csv-file" type="file" accept=".csv,text/csv,text/plain"
          @change=${(e) => on.file(e.target.files?.[0])}></label>
      </div>
      <textarea id="csv-paste" rows="3" placeholder="…or paste it here" aria-label="Price CSV text"
        .value=${st.draft} @input=${(e) => on.draft(e.target.value)}></textarea>
      <div class="byo-actions">
        <button class="primary" id="csv-fit" @click=${() => on.paste(st.draft)}>Fit and replay</button>
        ${st.csv ? html`<span class="lbl" id="csv-name">${st.csv.name}</span><button class="link" id="csv-clear" @click=${on.clear}>Clear</button>` : nothing}
      </div>
      ${st.fitError ? fitErrorView(st) : nothing}
      ${st.fits ? fitsTable(st.fits, on) : nothing}
    </div>
    <div class="card wide" id="replay"><h3>Replay of the path <span class="lbl">every step through this scenario's liquidations and waterfall</span></h3>
      ${replayCard({ ...st, source, mark: st.mark() })}</div>
  </div>`;
}
