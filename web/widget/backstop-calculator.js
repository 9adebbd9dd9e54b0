// <backstop-calculator>: the embeddable insurance-fund calculator (SPEC §10). Every number is
// computed client-side by backstop's WebAssembly core; nothing is fetched, nothing from an
// attribute, a property or the URL is ever inserted as HTML (text bindings only).
import { LitElement, html, nothing } from 'lit';
import { styles, uplotStyles } from './styles.js';
import { GROUPS, ALL_FIELDS, MODEL_DEFAULTS, LIQUIDITY_DEFAULTS, getAt, setAt, toDisplay, fromDisplay, unitOf } from './fields.js';
import { PRESETS, presetLabel } from './presets.js';
import { core, quick, full, stress, analytic, runSweep, QUICK_PATHS, HAS_POOL } from './engine.js';
import { pct, money, int, move, headlineRows, toMarkdown, toCSV, download, fileStem, cell } from './format.js';
import { readFragment, fragmentOf } from './permalink.js';
import { curveChart, fanChart, waterfallChart } from './charts.js';
import { SWEEP_PARAMETERS, MAX_SWEEP_VALUES, sweepField, defaultRange, checkRange, sweepScenario, showValue, sweepChart, sweepMarkdown, sweepRows } from './sweep.js';

const DEBOUNCE_MS = 350;
const clone = (x) => structuredClone(x);

/** Parses the `scenario` attribute: JSON text to an object; anything else is kept as an error marker. */
const scenarioConverter = {
  fromAttribute(value) {
    if (value == null || value === '') return null;
    try {
      const v = JSON.parse(value);
      return v && typeof v === 'object' && !Array.isArray(v) ? v : { __invalid: 'is not a JSON object' };
    } catch (e) {
      return { __invalid: `is not valid JSON (${e.message})` };
    }
  },
  toAttribute: () => null,
};

/** A safe link target from an attribute: http(s) or a relative path, never javascript: or data:. */
function safeUrl(value) {
  if (!value) return null;
  try {
    const u = new URL(value, location.href);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href.split('#')[0] : null;
  } catch {
    return null;
  }
}

function side(scenario) {
  return { scenario, errors: [], local: {}, drafts: {}, quick: null, partial: null, result: null, stress: null, analytic: null };
}

/**
 * An insurance-fund calculator: depletion probability, required fund, ADL probability,
 * bad-debt VaR/ES, charts, stress waterfall, permalink, Markdown/CSV/JSON export and A/B compare.
 *
 * @element backstop-calculator
 *
 * @attr {string} preset - key of a bundled scenario (`default`, `btc-large-venue`, ...)
 * @attr {string} scenario - a scenario (SPEC §12) as JSON text; as a property, an object
 * @attr {'full'|'compact'} mode - `compact` shows the headline and one chart, no inputs
 * @attr {number} paths - Monte Carlo paths (overrides the scenario's `simulation.paths`)
 * @attr {number} seed - random seed (overrides `simulation.seed`)
 * @attr {boolean} permalink - read the scenario from, and write it to, the page's URL fragment
 * @attr {string} calculator-url - compact mode: link target of "Open in calculator"
 *
 * @fires {CustomEvent<{scenario, result, stress, proposed}>} result - a full Monte Carlo run finished
 * @fires {CustomEvent<{scenario, result}>} sweep - a parameter sweep finished (result as from `backstop.sweep`)
 * @fires {CustomEvent<{code, message, pointer, errors}>} error - invalid input or a failed run
 *
 * @cssproperty --backstop-font - font family
 * @cssproperty --backstop-ink - text colour
 * @cssproperty --backstop-muted - secondary text and axes
 * @cssproperty --backstop-bg - background behind the cards
 * @cssproperty --backstop-surface - card and input background
 * @cssproperty --backstop-border - borders and grid lines
 * @cssproperty --backstop-accent - primary colour (current scenario, buttons, progress)
 * @cssproperty --backstop-accent-soft - fan chart band colour
 * @cssproperty --backstop-proposed - the proposed scenario in A/B compare
 * @cssproperty --backstop-bad - errors, depletion
 * @cssproperty --backstop-warn - quick-estimate badge, ADL stage
 * @cssproperty --backstop-good - final badge, improvements
 * @cssproperty --backstop-radius - corner radius of the frame
 *
 * @csspart frame - the outer frame
 * @csspart header - the title bar with presets and actions
 * @csspart inputs - the input column
 * @csspart headline - the three headline numbers
 * @csspart charts - the chart cards
 * @csspart actions - share and export buttons
 */
export class BackstopCalculator extends LitElement {
  static styles = [uplotStyles, styles];

  static properties = {
    preset: { type: String, reflect: true },
    scenario: { attribute: 'scenario', converter: scenarioConverter },
    mode: { type: String, reflect: true },
    paths: { type: Number },
    seed: { type: Number },
    permalink: { type: Boolean },
    calculatorUrl: { type: String, attribute: 'calculator-url' },
    state: { type: String, reflect: true },
    _a: { state: true },
    _b: { state: true },
    _editing: { state: true },
    _marketIndex: { state: true },
    _progress: { state: true },
    _running: { state: true },
    _fatal: { state: true },
    _shock: { state: true },
    _toast: { state: true },
    _markdown: { state: true },
    _version: { state: true },
    _sweepForm: { state: true },
    _sweep: { state: true },
    _sweepRun: { state: true },
  };

  constructor() {
    super();
    this.preset = undefined;
    this.scenario = null;
    this.mode = 'full';
    this.permalink = false;
    this.state = 'loading';
    this._a = null;
    this._b = null;
    this._editing = 'a';
    this._progress = 0;
    this._running = false;
    this._fatal = '';
    this._shock = null;
    this._version = '';
    this._charts = [];
    this._timer = 0;
    this._controller = null;
    this._visible = false;
    this._sweepForm = null; // {pointer, from, to, count, paths, touched}: the sweep form's text
    this._sweep = null; // {result, base, pointer}: the last finished sweep
    this._sweepRun = null; // {progress, controller} while a sweep runs; {error} or {cancelled} after
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  connectedCallback() {
    super.connectedCallback();
    this._onHash = () => { if (this.permalink && location.hash !== this._writtenHash) this._load(); };
    window.addEventListener('hashchange', this._onHash);
    // Like model-viewer: no expensive start-up until the element is on screen.
    this._io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !this._visible) { this._visible = true; this._start(); }
    }, { rootMargin: '200px' });
    this._io.observe(this);
    this._ro = new ResizeObserver(() => this._resizeCharts());
    this._ro.observe(this);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this._onHash);
    this._io?.disconnect();
    this._ro?.disconnect();
    this._controller?.abort();
    this._sweepRun?.controller?.abort();
    clearTimeout(this._timer);
    this._destroyCharts();
  }

  async _start() {
    try {
      this._bs = await core();
      this._version = this._bs.version;
      this._load();
    } catch (e) {
      this._fail(e, 'The calculation engine could not start');
    }
  }

  willUpdate(changed) {
    if (!this._bs) return;
    if (['preset', 'scenario', 'paths', 'seed'].some((k) => changed.has(k))) this._load();
  }

  updated() {
    this._renderCharts();
  }

  // ---- loading and editing -------------------------------------------------------------------

  /** The starting scenario: the URL fragment (permalink mode), else `scenario`, else `preset`. */
  _load() {
    let a = null;
    let b = null;
    this._fatal = '';
    if (this.permalink && location.hash.length > 1) {
      try {
        let w;
        ({ a, b, w } = readFragment(location.hash));
        this._restoreSweep(w);
      } catch (e) {
        this._fatal = `The link's scenario could not be read (${e.message}); showing the default instead.`;
      }
    }
    if (!a && this.scenario) {
      let s = this.scenario;
      if (typeof s === 'string') s = scenarioConverter.fromAttribute(s);
      if (s?.__invalid) this._fatal = `The scenario attribute ${s.__invalid}.`;
      else if (s && typeof s === 'object') a = clone(s);
    }
    if (!a) {
      const key = this.preset ?? 'default';
      if (!PRESETS[key]) {
        this._fatal = `${this._fatal ? this._fatal + ' ' : ''}Unknown preset "${key}"; showing the default.`;
      }
      a = clone(PRESETS[key] ?? PRESETS.default ?? Object.values(PRESETS)[0]);
      a.simulation ??= {};
      if (Number.isFinite(this.paths)) a.simulation.paths = this.paths;
      if (Number.isFinite(this.seed)) a.simulation.seed = this.seed;
    } else if (!this.permalink || !location.hash) {
      a.simulation ??= {};
      if (Number.isFinite(this.paths)) a.simulation.paths = this.paths;
      if (Number.isFinite(this.seed)) a.simulation.seed = this.seed;
    }
    this._a = this._validated(side(a));
    this._b = b ? this._validated(side(b)) : null;
    this._editing = b ? 'b' : 'a';
    this._shock = null;
    this._run(0);
  }

  _validated(s) {
    try {
      const v = this._bs.validate(s.scenario);
      s.errors = v.valid ? [] : v.errors ?? [];
    } catch (e) {
      s.errors = e.errors?.length ? e.errors : [{ pointer: '', message: e.message }];
    }
    return s;
  }

  _sideKey() { return this._b && this._editing === 'b' ? '_b' : '_a'; }

  /** Applies one edit to the side being edited, validates it and schedules a run. */
  _edit(pointer, value, draftText) {
    const key = this._sideKey();
    const cur = this[key];
    const s = clone(cur.scenario);
    if (pointer === '/price_model/kind') {
      s.price_model = { ...MODEL_DEFAULTS[value], ...(value === 'bootstrap' ? { returns: s.price_model?.returns } : {}), kind: value };
      if (value === 'bootstrap' && !Array.isArray(s.price_model.returns)) s.price_model.returns = undefined;
    } else if (pointer === '/market/liquidity/model') {
      s.market.liquidity = { model: value, ...LIQUIDITY_DEFAULTS[value] };
    } else if (pointer === '/policy/penalty/rate') {
      if (value === undefined) {
        if (s.policy?.penalty) delete s.policy.penalty.rate;
        if (s.policy?.penalty && Object.keys(s.policy.penalty).every((k) => k === 'mode')) delete s.policy.penalty;
      } else {
        s.policy ??= {};
        s.policy.penalty = { mode: 'fee_rate', ...(s.policy.penalty ?? {}), rate: value };
      }
    } else {
      setAt(s, pointer, value);
    }
    const next = { ...cur, scenario: s, drafts: { ...cur.drafts }, local: { ...cur.local } };
    if (draftText !== undefined) next.drafts[pointer] = draftText;
    delete next.local[pointer];
    this[key] = this._validated(next);
    this._schedule();
  }

  _onField(field, ev) {
    const el = ev.target;
    const key = this._sideKey();
    if (field.kind === 'select') { this._edit(field.pointer, el.value); return; }
    // Not a number: the message at the field, and _run reports the invalid state and event.
    if (el.validity?.badInput) {
      this[key] = { ...this[key], local: { ...this[key].local, [field.pointer]: 'enter a number' } };
      this._schedule(0);
      return;
    }
    const v = fromDisplay(field, el.value);
    if (Number.isNaN(v)) {
      this[key] = { ...this[key], local: { ...this[key].local, [field.pointer]: 'enter a number' }, drafts: { ...this[key].drafts, [field.pointer]: el.value } };
      this._schedule(0);
      return;
    }
    this._edit(field.pointer, field.kind === 'integer' && Number.isFinite(v) ? Math.round(v) : v, el.value);
  }

  _onPreset(ev) {
    const key = this._sideKey();
    const s = clone(PRESETS[ev.target.value]);
    if (!s) return;
    s.simulation ??= {};
    if (Number.isFinite(this.paths)) s.simulation.paths = this.paths;
    this[key] = this._validated(side(s));
    this._shock = null;
    this._schedule(0);
  }

  _levEdit(i, prop, ev) {
    const el = ev.target;
    const scale = prop === 'share' ? 100 : 1;
    const n = Number(el.value);
    if (el.value.trim() === '' || !Number.isFinite(n)) return;
    this._edit(`/book/leverage/${i}/${prop}`, Number((n / scale).toPrecision(12)), el.value);
  }

  _levAdd() {
    const lev = clone(this[this._sideKey()].scenario.book?.leverage ?? []);
    lev.push({ leverage: 25, share: 0 });
    this._edit('/book/leverage', lev);
  }

  _levRemove(i) {
    const cur = this[this._sideKey()];
    const lev = clone(cur.scenario.book?.leverage ?? []);
    lev.splice(i, 1);
    // Row drafts are positional: drop them so the remaining rows show their own values.
    const drafts = Object.fromEntries(Object.entries(cur.drafts).filter(([p]) => !p.startsWith('/book/leverage/')));
    this[this._sideKey()] = { ...cur, drafts };
    this._edit('/book/leverage', lev);
  }

  _toggleCompare() {
    if (this._b) {
      this._b = null;
      this._editing = 'a';
    } else {
      const s = clone(this._a.scenario);
      s.name = `Proposed: ${s.name ?? 'scenario'}`.slice(0, 200);
      this._b = this._validated(side(s));
      this._b.result = this._a.result;
      this._b.quick = this._a.quick;
      this._b.stress = this._a.stress;
      this._editing = 'b';
    }
    this._schedule(0);
  }

  // ---- running -----------------------------------------------------------------------------

  _schedule(delay = DEBOUNCE_MS) {
    this._controller?.abort(); // a new input cancels the running job at once
    clearTimeout(this._timer);
    this._timer = setTimeout(() => this._run(), delay);
  }

  _cancel() {
    this._controller?.abort();
    clearTimeout(this._timer);
    this._running = false;
    this.state = 'cancelled';
  }

  async _run() {
    if (!this._bs || !this._a) return;
    this._controller?.abort();
    const controller = new AbortController();
    this._controller = controller;
    const { signal } = controller;
    this._writeHash();
    const sides = ['_a', ...(this._b ? ['_b'] : [])];
    const invalid = sides.map((k) => this[k]).find((s) => s.errors.length || Object.keys(s.local).length);
    if (invalid) {
      this._running = false;
      this.state = 'invalid';
      const errors = invalid.errors.length ? invalid.errors : Object.entries(invalid.local).map(([pointer, message]) => ({ pointer, message }));
      this._emit('error', { code: 'invalid_input', message: errors.map((e) => `${e.pointer || '(document)'}: ${e.message}`).join('; '), pointer: errors[0].pointer, errors });
      return;
    }
    this._running = true;
    this._progress = 0;
    this.state = 'quick';
    try {
      // Quick pilot runs and the stress events first, for every side: shown at once.
      for (const k of sides) {
        const s = this[k].scenario;
        const q = await quick(this._bs, s);
        if (signal.aborted) return;
        const st = stress(this._bs, s);
        const an = this.mode === 'compact' ? null : analytic(this._bs, s, q);
        this[k] = { ...this[k], quick: q, partial: null, result: null, stress: st, analytic: an };
        await this.updateComplete;
        await new Promise((r) => setTimeout(r, 0));
        if (signal.aborted) return;
      }
      this.state = 'running';
      for (const [i, k] of sides.entries()) {
        const s = this[k].scenario;
        const result = await full(this._bs, s, {
          signal,
          onProgress: (f) => { if (!signal.aborted) this._progress = (i + f) / sides.length; },
          onPartial: (r) => { if (!signal.aborted) this[k] = { ...this[k], partial: r }; },
        });
        if (signal.aborted) return;
        this[k] = { ...this[k], result, partial: null };
      }
      this._running = false;
      this._progress = 1;
      this.state = 'done';
      if (this._pendingSweep) {
        this._pendingSweep = false;
        this._runSweep();
      }
      this._emit('result', {
        scenario: clone(this._a.scenario), result: this._a.result, stress: this._a.stress,
        proposed: this._b ? { scenario: clone(this._b.scenario), result: this._b.result, stress: this._b.stress } : null,
      });
    } catch (e) {
      if (signal.aborted || e?.code === 'cancelled') return;
      this._fail(e, 'The calculation failed');
    }
  }

  _fail(e, what) {
    this._running = false;
    this.state = 'error';
    this._fatal = `${what}: ${e?.message ?? e}`;
    this._emit('error', { code: e?.code ?? 'internal', message: String(e?.message ?? e), pointer: e?.pointer ?? '', errors: e?.errors ?? [] });
  }

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  _writeHash() {
    if (!this.permalink || !this._a) return;
    const frag = fragmentOf(this._a.scenario, this._b?.scenario, this._sweep?.form);
    if (location.hash === frag) return;
    this._writtenHash = frag;
    history.replaceState(history.state, '', frag);
  }

  // ---- sharing -----------------------------------------------------------------------------

  /** The permalink of the current state (scenario + seed, and the proposal in A/B mode). */
  permalinkUrl() {
    const base = safeUrl(this.calculatorUrl) ?? location.href.split('#')[0];
    return base + fragmentOf(this._a.scenario, this._b?.scenario, this._sweep?.form);
  }

  /** Markdown for a forum post (parameters, seed, version, results). */
  toMarkdown() {
    const res = (s) => s && { scenario: s.scenario, result: s.result ?? s.partial ?? s.quick };
    const md = toMarkdown({ a: res(this._a), b: res(this._b), permalink: this.permalinkUrl(), version: this._version });
    return [md, ...sweepMarkdown(this._sweep, cell)].join('\n');
  }

  async _copy(text, what) {
    try {
      await navigator.clipboard.writeText(text);
      this._flash(`${what} copied to the clipboard`);
      this._markdown = null;
    } catch {
      // No clipboard (iframe without permission, old browser): show it for manual copying.
      this._markdown = text;
      this._flash(`Select and copy the ${what.toLowerCase()} below`);
    }
  }

  _flash(text) {
    this._toast = text;
    clearTimeout(this._toastTimer);
    this._toastTimer = setTimeout(() => { this._toast = ''; }, 4000);
  }

  _downloadJSON() {
    const pack = (s) => s && { scenario: s.scenario, simulate: s.result, stress: s.stress };
    const doc = { generator: 'backstop calculator', version: this._version, current: pack(this._a), proposed: pack(this._b), sweep: this._sweep?.result ?? null };
    download(JSON.stringify(doc, null, 2), `${fileStem(this._a.scenario)}.json`, 'application/json');
  }

  _downloadCSV() {
    download(toCSV({ scenario: this._a.scenario, result: this._a.result, version: this._version, extraRows: sweepRows(this._sweep) }), `${fileStem(this._a.scenario)}.csv`, 'text/csv');
  }

  // ---- charts ------------------------------------------------------------------------------

  _theme() {
    const cs = getComputedStyle(this);
    const v = (n, d) => cs.getPropertyValue(n).trim() || d;
    const accent = v('--backstop-accent', '#0b6e4f');
    return {
      font: v('--backstop-font', 'system-ui, sans-serif'), ink: v('--backstop-ink', '#14213d'), muted: v('--backstop-muted', '#5c677d'),
      grid: v('--backstop-border', '#dfe4ec'), accent, accentSoft: v('--backstop-accent-soft', 'rgba(11,110,79,.35)'),
      band1: v('--backstop-band-outer', 'rgba(11,110,79,.12)'), band2: v('--backstop-band-inner', 'rgba(11,110,79,.24)'),
      b: v('--backstop-proposed', '#6c4bd8'), bad: v('--backstop-bad', '#b3261e'), warn: v('--backstop-warn', '#c77700'),
    };
  }

  _destroyCharts() {
    for (const c of this._charts) c.chart.destroy();
    this._charts = [];
  }

  _renderCharts() {
    const a = this._a && { scenario: this._a.scenario, result: this._a.result ?? this._a.partial ?? this._a.quick };
    const b = this._b && { scenario: this._b.scenario, result: this._b.result ?? this._b.partial ?? this._b.quick };
    const event = this._event();
    const key = [a?.result, b?.result, event, this.mode, this._sweep?.result].map((x) => x ?? 0);
    if (this._chartKey && key.every((x, i) => x === this._chartKey[i])) return;
    this._chartKey = key;
    this._destroyCharts();
    if (!a?.result) return;
    const theme = this._theme();
    const mk = (sel, fn, height, extra = {}) => {
      const el = this.renderRoot.querySelector(sel);
      if (!el) return;
      el.textContent = '';
      const width = Math.max(200, el.clientWidth);
      this._charts.push({ el, chart: fn(el, { a, b: b?.result ? b : null, theme, width, height, ...extra }) });
    };
    mk('#curve', curveChart, this.mode === 'compact' ? 190 : 240, { compact: this.mode === 'compact' });
    if (this.mode !== 'compact') {
      mk('#fan', fanChart, 240);
      if (event) mk('#waterfall', waterfallChart, 240, { event });
      if (this._sweep?.result?.points?.length) mk('#sweep-chart', sweepChart, 260, { sweep: this._sweep });
    }
  }

  _resizeCharts() {
    for (const { el, chart } of this._charts) {
      const w = Math.max(200, el.clientWidth);
      if (Math.abs(chart.width - w) > 2) chart.setSize({ width: w, height: chart.height });
    }
  }

  _event() {
    const ev = this._a?.stress?.events;
    if (!ev?.length) return null;
    const i = this._shock ?? ev.reduce((best, e, j) => (e.bad_debt > ev[best].bad_debt ? j : best), 0);
    return ev[Math.min(i, ev.length - 1)];
  }

  // ---- rendering ---------------------------------------------------------------------------

  render() {
    if (this.mode === 'compact') return this._renderCompact();
    const cur = this._b && this._editing === 'b' ? this._b : this._a;
    return html`
      <div class="frame" part="frame">
        <header part="header">
          <h2>${this._a?.scenario?.name ?? 'Insurance fund calculator'}
            <span class="sub">${Array.isArray(this._a?.scenario?.markets) ? `${this._a.scenario.markets.length} markets` : this._a?.scenario?.market?.symbol ?? ''} · depletion risk of the insurance fund over
              ${this._a?.scenario?.simulation?.horizon_days ?? '—'} days${this._version ? ` · backstop ${this._version}` : ''}</span></h2>
          <label>Preset
            <select id="preset" @change=${(e) => this._onPreset(e)} aria-label="Preset scenario">
              ${Object.keys(PRESETS).map((k) => html`<option value=${k} ?selected=${this._isPreset(cur, k)}>${presetLabel(k)}</option>`)}
              ${Object.keys(PRESETS).some((k) => this._isPreset(cur, k)) ? nothing : html`<option value="" selected disabled>Custom</option>`}
            </select>
          </label>
          <button id="compare" aria-pressed=${this._b ? 'true' : 'false'} @click=${this._toggleCompare}>
            ${this._b ? 'End A/B compare' : 'Compare with a proposal'}</button>
        </header>
        <div class="layout">
          ${this._renderInputs(cur)}
          <div class="outputs">${this._renderOutputs()}</div>
        </div>
      </div>`;
  }

  _isPreset(s, key) {
    return s?.scenario?.name === PRESETS[key]?.name;
  }

  _renderInputs(cur) {
    if (!cur) return html`<div class="inputs" part="inputs"><p class="empty">Loading…</p></div>`;
    const s = cur.scenario;
    const other = this._b ? (this._editing === 'b' ? this._a : this._b).scenario : null;
    const matched = new Set();
    const msgs = (pointer) => {
      const out = cur.errors.filter((e) => e.pointer === pointer || e.pointer.startsWith(pointer + '/'));
      out.forEach((e) => matched.add(e));
      return out;
    };
    const fieldTpl = (f) => {
      if (f.when && !f.when(f.context ?? s)) return nothing;
      const id = `f-${f.pointer.slice(1).replace(/\//g, '-')}`;
      const errs = msgs(f.pointer);
      const local = cur.local[f.pointer];
      const bad = errs.length > 0 || !!local;
      const value = getAt(s, f.pointer);
      const changed = other && JSON.stringify(getAt(other, f.pointer)) !== JSON.stringify(value);
      const unit = unitOf(f, f.context ?? s);
      const bounds = [f.min != null ? `≥ ${toDisplay(f, f.min / (f.scale ?? 1))}` : '', f.max != null ? `≤ ${toDisplay(f, f.max / (f.scale ?? 1))}` : ''].filter(Boolean).join(', ');
      return html`<div class="field ${changed ? 'changed' : ''}">
        <label for=${id}>${f.label}</label>
        <span class="ctl">
          ${f.kind === 'select'
            ? html`<select id=${id} name=${f.pointer} @change=${(e) => this._onField(f, e)} aria-invalid=${bad ? 'true' : 'false'}>
                ${(f.options.includes(value) ? f.options : [...f.options, value ?? '']).map((o) => html`<option value=${o} ?selected=${o === value}>${o || '(preset default)'}</option>`)}
              </select>`
            : html`<input id=${id} name=${f.pointer} type="number" inputmode="decimal" step=${f.step ?? 'any'}
                min=${f.min ?? nothing} max=${f.max ?? nothing} placeholder=${f.hint ?? ''}
                .value=${cur.drafts[f.pointer] ?? toDisplay(f, value)} title=${bounds}
                aria-invalid=${bad ? 'true' : 'false'} aria-describedby=${bad ? id + '-msg' : nothing}
                @input=${(e) => this._onField(f, e)}>`}
          <span class="unit">${unit}</span>
        </span>
        ${bad ? html`<div class="msg" id=${id + '-msg'} role="alert">${local ?? errs.map((e) => e.message).join('; ')}</div>` : nothing}
      </div>`;
    };
    const lev = Array.isArray(s.book?.leverage) ? s.book.leverage : [];
    const levErrs = msgs('/book/leverage');
    const shareSum = lev.reduce((a, r) => a + (Number(r.share) || 0), 0);
    const bookExtra = html`
      <table class="lev" aria-label="Leverage mix of open interest">
        <thead><tr><th>Leverage (×)</th><th>Share of OI (%)</th><th><span class="sr">Remove</span></th></tr></thead>
        <tbody>${lev.map((r, i) => html`<tr>
          <td><input id=${`f-book-leverage-${i}-leverage`} type="number" min="1" max="1000" step="1" aria-label=${`Leverage, row ${i + 1}`}
            .value=${cur.drafts[`/book/leverage/${i}/leverage`] ?? String(r.leverage ?? '')}
            aria-invalid=${levErrs.some((e) => e.pointer.startsWith(`/book/leverage/${i}/leverage`)) ? 'true' : 'false'}
            @input=${(e) => this._levEdit(i, 'leverage', e)}></td>
          <td><input id=${`f-book-leverage-${i}-share`} type="number" min="0" max="100" step="1" aria-label=${`Share of open interest, row ${i + 1}`}
            .value=${cur.drafts[`/book/leverage/${i}/share`] ?? String(Number((100 * (r.share ?? 0)).toPrecision(12)))}
            aria-invalid=${levErrs.some((e) => e.pointer.startsWith(`/book/leverage/${i}/share`)) ? 'true' : 'false'}
            @input=${(e) => this._levEdit(i, 'share', e)}></td>
          <td><button class="rm" title="Remove row" aria-label=${`Remove leverage row ${i + 1}`} @click=${() => this._levRemove(i)}>×</button></td>
        </tr>`)}</tbody>
      </table>
      <div class="lev-foot"><span>Total ${Number((100 * shareSum).toFixed(2))} %</span><button class="link" id="lev-add" @click=${this._levAdd}>+ Add leverage bucket</button></div>
      ${levErrs.length ? html`<div class="msg" role="alert">${levErrs.map((e) => `${e.pointer.replace('/book/leverage', 'row ')}: ${e.message}`).join('; ')}</div>` : nothing}`;
    // A multi-market scenario (SPEC §14) has its market, book and price model per market: they
    // are listed, and the numeric inputs of one market at a time (picked here) edit
    // /markets/i/...; model and liquidity choices stay as the scenario sets them.
    const multi = Array.isArray(s.markets);
    const mi = multi ? Math.min(this._marketIndex ?? 0, s.markets.length - 1) : 0;
    const perMarket = (f) => (!multi || !/^\/(market|book|price_model)\//.test(f.pointer) ? f
      : f.kind === 'select' ? null : { ...f, pointer: `/markets/${mi}${f.pointer}`, context: s.markets[mi] });
    const marketsList = multi ? html`<fieldset>
        <legend>Markets on this fund</legend>
        <table class="risk" id="markets-list"><thead><tr><th>Market</th><th>OI (one side)</th><th>Daily vol.</th></tr></thead>
          <tbody>${s.markets.map((m) => html`<tr><td>${m.market?.symbol ?? '—'}</td><td>${money(m.book?.open_interest)}</td>
            <td>${m.price_model?.daily_volatility != null ? pct(m.price_model.daily_volatility, 1) : m.price_model?.kind ?? '—'}</td></tr>`)}</tbody></table>
        <p class="hint">${s.markets.length} markets${s.correlation ? ', correlated,' : ''} share ${s.fund?.scope === 'per_market' ? 'one fund each' : 'one fund'}; the fund policy below applies to all.</p>
        <div class="field"><label for="market-pick">Edit market</label><span class="ctl">
          <select id="market-pick" @change=${(e) => { this._marketIndex = Number(e.target.value); }}>
            ${s.markets.map((m, i) => html`<option value=${i} ?selected=${i === mi}>${m.market?.symbol || `#${i + 1}`}</option>`)}
          </select></span></div>
      </fieldset>` : nothing;
    const groups = GROUPS.map((g) => html`<fieldset>
        <legend>${multi && g.id !== 'policy' ? `${g.title}: ${s.markets[mi].market?.symbol || `#${mi + 1}`}` : g.title}</legend>
        ${g.fields.map(perMarket).filter(Boolean).map(fieldTpl)}
        ${g.id === 'book' && !multi ? bookExtra : nothing}
        ${g.id === 'volatility' && s.price_model?.kind === 'bootstrap' ? html`<p class="hint">${(s.price_model.returns ?? []).length} daily returns from the scenario</p>` : nothing}
        ${g.id === 'policy' && Array.isArray(s.fund?.composition) ? html`<p class="hint" id="fund-composition">Held as ${s.fund.composition.map((c) =>
          `${pct(c.share, 0)} ${c.asset}${c.asset === 'token' && c.daily_volatility != null ? ` (${pct(c.daily_volatility, 1)}/day, β ${c.beta ?? 1})` : ''}`).join(', ')}: the fund loses value when the market falls.</p>` : nothing}
        ${g.id === 'policy' && s.fund?.treasury ? html`<p class="hint" id="fund-treasury">Treasury: ${money(s.fund.treasury.amount)} that governance can release after ${s.fund.treasury.delay_days ?? 0} days.</p>` : nothing}
      </fieldset>`);
    const rest = cur.errors.filter((e) => !matched.has(e));
    return html`<div class="inputs" part="inputs">
      ${this._b ? html`<div class="seg" role="group" aria-label="Parameter set being edited" style="margin-top:10px">
          <button aria-pressed=${this._editing === 'a' ? 'true' : 'false'} @click=${() => { this._editing = 'a'; }}>Current</button>
          <button class="b" id="edit-b" aria-pressed=${this._editing === 'b' ? 'true' : 'false'} @click=${() => { this._editing = 'b'; }}>Proposed</button>
        </div>` : nothing}
      ${rest.length ? html`<div class="errors" role="alert">${rest.map((e) => html`<p>${e.pointer || '(scenario)'}: ${e.message}</p>`)}</div>` : nothing}
      ${marketsList}
      ${groups}
    </div>`;
  }

  _statusLine() {
    const a = this._a;
    const r = a?.result;
    return html`<div class="status" role="status" aria-live="polite">
      ${r ? html`<span class="badge final">Monte Carlo</span> ${int(r.paths)} paths · seed ${r.seed} · backstop ${r.version}`
        : a?.partial ? html`<span class="badge quick">Refining</span> ${int(a.partial.paths)} of ${int(a.scenario.simulation?.paths)} paths so far`
        : a?.quick ? html`<span class="badge quick">Quick estimate</span> ${int(a.quick.paths)} paths; the full run is under way`
        : this.state === 'invalid' ? html`<span>Fix the highlighted inputs to run.</span>`
        : html`<span>Starting the engine…</span>`}
      ${this._running ? html`<progress max="1" .value=${this._progress} aria-label="Monte Carlo progress"></progress>
          <span>${Math.round(100 * this._progress)} %</span>
          <button id="cancel" @click=${this._cancel}>Cancel</button>` : nothing}
      ${this.state === 'cancelled' ? html`<span>Cancelled.</span> <button @click=${() => this._run()}>Run again</button>` : nothing}
    </div>`;
  }

  _renderOutputs() {
    const a = this._a;
    if (this._fatal && !a?.quick) return html`<div class="errors" role="alert"><p>${this._fatal}</p></div>${this._statusLine()}`;
    const ra = a?.result ?? a?.partial ?? a?.quick;
    const b = this._b;
    const rb = b ? b.result ?? b.partial ?? b.quick : null;
    const event = this._event();
    const events = a?.stress?.events ?? [];
    return html`
      ${this._fatal ? html`<div class="errors" role="alert"><p>${this._fatal}</p></div>` : nothing}
      ${this._statusLine()}
      ${ra ? this._headline(a.scenario, ra, b?.scenario, rb) : html`<p class="empty">${this.state === 'invalid' ? 'No result while inputs are invalid.' : 'Computing…'}</p>`}
      ${ra?.warnings?.length ? ra.warnings.map((w) => html`<p class="warn">⚠ ${typeof w === 'string' ? w : w.message ?? JSON.stringify(w)}</p>`) : nothing}
      ${ra ? html`<div class="cards" part="charts">
        <div class="card wide"><h3>Depletion probability vs fund size <span class="lbl">log scale</span></h3><div id="curve" class="chart"></div>
          <p class="note">One simulation gives the whole curve: the fund is depleted iff it is smaller than the horizon's peak cumulative net outflow (SPEC §7). The dotted line is the target.</p></div>
        <div class="card"><h3>Fund balance over time <span class="lbl">p05–p95, p25–p75, median</span></h3><div id="fan" class="chart"></div></div>
        <div class="card"><h3>Stress waterfall
            ${events.length ? html`<select id="shock" aria-label="Stress shock" @change=${(e) => { this._shock = Number(e.target.value); }}>
              ${events.map((ev, i) => html`<option value=${i} ?selected=${ev === event}>${move(ev.shock)} shock</option>`)}</select>` : nothing}</h3>
          ${event ? html`<div id="waterfall" class="chart"></div>
            <p class="note">Instant ${move(event.shock)} move: ${money(event.liquidated_notional)} liquidated, ${money(event.bad_debt)} bad debt; fund after ${money(event.fund_after)}.</p>`
            : html`<p class="empty">No stress shocks in this scenario.</p>`}</div>
        <div class="card">${this._riskTable(a.scenario, ra, b?.scenario, rb)}</div>
        <div class="card">${this._analyticCard()}</div>
        ${Array.isArray(ra.markets) && ra.markets.length ? html`<div class="card wide">${this._marketsTable(a.scenario, ra)}</div>` : nothing}
        <div class="card wide" id="sweep">${this._sweepCard()}</div>
      </div>` : nothing}
      ${this._actions()}`;
  }

  _headline(sa, ra, sb, rb) {
    const d = ra.depletion_probability;
    const q = ra.required_fund;
    const short = (sa.fund?.balance ?? 0) < q.amount;
    const bv = (fmt, get) => (rb ? html`<div class="v b" title="Proposed">→ ${fmt(get(rb))}</div>` : nothing);
    return html`<div class="headline" part="headline">
      <div class="stat ${d.estimate > q.target ? 'alert' : 'ok'}" id="p-depletion">
        <div class="k">P(fund depleted within ${sa.simulation?.horizon_days} days)</div>
        <div class="v" data-value=${d.estimate}>${pct(d.estimate)}</div>${bv(pct, (r) => r.depletion_probability.estimate)}
        <div class="d">95 % CI ${pct(d.ci95[0])} – ${pct(d.ci95[1])} · ${int(d.events)} of ${int(ra.paths)} paths</div>
      </div>
      <div class="stat" id="required-fund">
        <div class="k">Fund needed for P ≤ ${pct(q.target)}</div>
        <div class="v" data-value=${q.amount}>${money(q.amount)}</div>${bv(money, (r) => r.required_fund.amount)}
        <div class="d">${pct(q.ratio_to_open_interest)} of OI · 95 % CI ${money(q.ci95[0])} – ${money(q.ci95[1])} · ${short ? html`<span class="worse">short by ${money(q.amount - sa.fund.balance)}</span>` : html`<span class="better">covered</span>`}</div>
      </div>
      <div class="stat" id="p-adl">
        <div class="k">P(ADL or socialised loss)</div>
        <div class="v" data-value=${ra.adl_probability}>${pct(ra.adl_probability)}</div>${bv(pct, (r) => r.adl_probability)}
        <div class="d">${ra.adl_probability_ci95 ? `95 % CI ${pct(ra.adl_probability_ci95[0])} – ${pct(ra.adl_probability_ci95[1])}` : ''} · fund ${money(sa.fund?.balance)}${sa.fund?.backstop_vault ? ` + vault ${money(sa.fund.backstop_vault)}` : ''}</div>
      </div>
    </div>`;
  }

  _riskTable(sa, ra, sb, rb) {
    if (!rb) {
      const bd = ra.bad_debt;
      return html`<h3>Horizon bad debt</h3>
        <table class="risk" id="risk"><thead><tr><th>Level</th><th>VaR</th><th>ES</th></tr></thead>
          <tbody>
            <tr><td>95 %</td><td>${money(bd.var95)}</td><td>${money(bd.es95)}</td></tr>
            <tr><td>99 %</td><td>${money(bd.var99)}</td><td>${money(bd.es99)}</td></tr>
            <tr><td>Mean</td><td colspan="2">${money(bd.mean)}</td></tr>
            <tr><td>Liquidated notional (mean / max)</td><td colspan="2">${money(ra.liquidated_notional?.mean)} / ${money(ra.liquidated_notional?.max)}</td></tr>
          </tbody></table>`;
    }
    // A/B: each metric, current vs proposed; lower is better for every one of them.
    const rows = [
      ['P(depletion)', (r) => r.depletion_probability.estimate, pct],
      ['Required fund', (r) => r.required_fund.amount, money],
      ['P(ADL)', (r) => r.adl_probability, pct],
      ['Bad debt mean', (r) => r.bad_debt.mean, money],
      ['VaR 99 %', (r) => r.bad_debt.var99, money],
      ['ES 99 %', (r) => r.bad_debt.es99, money],
    ];
    return html`<h3>Current vs proposed</h3>
      <table class="risk" id="compare-table"><thead><tr><th>Metric</th><th>Current</th><th>Proposed</th><th>Change</th></tr></thead>
        <tbody>${rows.map(([label, get, fmt]) => {
          const x = get(ra); const y = get(rb);
          const same = x === y;
          const cls = same ? '' : y < x ? 'better' : 'worse';
          const rel = x ? (y - x) / Math.abs(x) : null;
          return html`<tr class=${same ? '' : 'diff'}><td>${label}</td><td>${fmt(x)}</td><td class="bv">${fmt(y)}</td>
            <td class=${cls}>${same ? '—' : rel == null ? fmt(y - x) : `${rel > 0 ? '+' : ''}${(100 * rel).toFixed(rel > -0.1 && rel < 0.1 ? 1 : 0)} %`}</td></tr>`;
        })}</tbody></table>`;
  }

  /** Per-market breakdown of a multi-market result: who brings the bad debt the fund absorbs. */
  _marketsTable(s, r) {
    return html`<h3>Per market <span class="lbl">${r.fund_scope === 'per_market' ? 'one fund per market' : 'one shared fund'}</span></h3>
      <table class="risk" id="per-market"><thead><tr><th>Market</th><th>Open interest</th><th>Share of bad debt</th><th>Bad debt mean</th><th>ES 99 %</th><th>Fund needed alone</th></tr></thead>
        <tbody>${r.markets.map((m, i) => html`<tr><td>${s.markets?.[i]?.market?.symbol ?? `#${i + 1}`}</td><td>${money(m.open_interest)}</td>
          <td>${pct(m.share_of_bad_debt, 1)}</td><td>${money(m.bad_debt?.mean)}</td><td>${money(m.bad_debt?.es99)}</td><td>${money(m.required_fund?.amount)}</td></tr>`)}</tbody></table>
      ${r.independent_markets_depletion_probability != null ? html`<p class="note">Each market alone against ${r.fund_scope === 'per_market' ? 'its own fund' : 'the whole fund'}: if they failed independently, at least one would deplete it with probability ${pct(r.independent_markets_depletion_probability)}; together, drawing on ${r.fund_scope === 'per_market' ? 'their funds' : 'one fund'}, the probability is ${pct(r.depletion_probability.estimate)}.</p>` : nothing}`;
  }

  _analyticCard() {
    const an = this._a?.analytic;
    if (!an) {
      return html`<h3>Quick estimate</h3>
        <p class="note">The first numbers come from a ${QUICK_PATHS}-path pilot run with the same seed; the full run replaces them${HAS_POOL ? ' (computed in Web Workers)' : ''}.</p>`;
    }
    const r = an.result;
    const fh = r.finite_horizon?.diffusion ?? r.finite_horizon?.exact;
    return html`<h3>Analytic cross-check <span class="lbl">Cramér–Lundberg</span></h3>
      <table class="risk" id="analytic"><tbody>
        <tr><td>ψ(u, ${an.input.horizon} d), diffusion approx.</td><td>${fh == null ? '—' : pct(fh)}</td></tr>
        <tr><td>ψ(u), infinite horizon</td><td>${pct(r.psi)}</td></tr>
        <tr><td>Surplus for ψ ≤ ${pct(an.input.target_probability)}</td><td>${money(r.required_surplus?.amount)}</td></tr>
        <tr><td>Premium loading θ</td><td>${r.loading == null ? '—' : r.loading.toFixed(2)}</td></tr>
      </tbody></table>
      <p class="note">Compound Poisson fitted to the pilot run: fee income ${money(an.input.premium_rate)}/day, claims at ${an.input.claim_rate.toFixed(3)}/day with exponential size of mean ${money(an.input.claim.mean)}. A rough model of fat-tailed, clustered losses: a cross-check, not the answer.</p>`;
  }

  // ---- sweep (SPEC §14) ------------------------------------------------------------------

  /** The side the sweep runs on: the one being edited. */
  _sweepSide() { return this._b && this._editing === 'b' ? this._b : this._a; }

  /** The parameters on offer: a multi-market scenario has no single market, book or model to sweep. */
  _sweepParameters() {
    const multi = Array.isArray(this._sweepSide().scenario.markets);
    return multi ? SWEEP_PARAMETERS.filter((p) => !/^\/(market|book|price_model)\//.test(p.pointer)) : SWEEP_PARAMETERS;
  }

  /** The form's text; started from the scenario's value of the first parameter. */
  _sweepFormNow() {
    const offered = this._sweepParameters();
    if (this._sweepForm && offered.some((p) => p.pointer === this._sweepForm.pointer)) return this._sweepForm;
    const s = this._sweepSide().scenario;
    const pointer = offered[0].pointer;
    return { pointer, ...defaultRange(s, pointer), paths: String(s.simulation?.paths ?? 4000), touched: false };
  }

  _onSweepParam(ev) {
    const pointer = ev.target.value;
    const s = this._sweepSide().scenario;
    this._sweepForm = { ...this._sweepFormNow(), pointer, ...defaultRange(s, pointer) };
  }

  _onSweepField(key, ev) {
    this._sweepForm = { ...this._sweepFormNow(), [key]: ev.target.value, touched: true };
  }

  /** Field messages of the form: range checks, plus the paths per value. */
  _sweepCheck(form) {
    const { errors, values } = checkRange(form.pointer, form);
    const paths = Number(String(form.paths).trim());
    if (String(form.paths).trim() === '' || !Number.isInteger(paths)) errors.paths = 'enter a whole number';
    else if (paths < 100 || paths > 1000000) errors.paths = 'must be from 100 to 1,000,000';
    return { errors, values: Object.keys(errors).length ? null : values, paths };
  }

  async _runSweep() {
    const form = { ...this._sweepFormNow(), touched: true };
    this._sweepForm = form;
    const { values, paths } = this._sweepCheck(form);
    if (!values || !this._bs) return;
    this._sweepRun?.controller?.abort();
    const controller = new AbortController();
    const side = this._sweepSide();
    const scenario = sweepScenario(side.scenario, form.pointer, values, paths);
    this._sweepRun = { progress: 0, controller };
    try {
      const result = await runSweep(this._bs, scenario, {
        signal: controller.signal,
        onProgress: (f) => { if (this._sweepRun?.controller === controller) this._sweepRun = { ...this._sweepRun, progress: f }; },
      });
      if (this._sweepRun?.controller !== controller) return;
      const shared = { pointer: form.pointer, from: form.from, to: form.to, count: form.count, paths: form.paths };
      this._sweep = { result, pointer: form.pointer, base: JSON.stringify(side.scenario), side: side === this._b ? 'proposed' : 'current', form: shared };
      this._sweepRun = null;
      this._writeHash();
      this._emit('sweep', { scenario, result });
    } catch (e) {
      if (this._sweepRun?.controller !== controller) return;
      if (e?.code === 'cancelled') { this._sweepRun = { cancelled: true }; return; }
      const errors = e?.errors ?? [];
      this._sweepRun = { error: errors.length ? errors.map((x) => `${x.pointer || '(scenario)'}: ${x.message}`).join('; ') : String(e?.message ?? e) };
      this._emit('error', { code: e?.code ?? 'internal', message: String(e?.message ?? e), pointer: e?.pointer ?? '', errors });
    }
  }

  /** A permalink's sweep form (data only: a known parameter and text fields), run after the result. */
  _restoreSweep(w) {
    if (!w || !SWEEP_PARAMETERS.some((p) => p.pointer === w.pointer)) return;
    const text = (v) => (typeof v === 'string' || typeof v === 'number' ? String(v).slice(0, 40) : '');
    this._sweepForm = { pointer: w.pointer, from: text(w.from), to: text(w.to), count: text(w.count), paths: text(w.paths), touched: true };
    this._pendingSweep = true;
  }

  _cancelSweep() {
    this._sweepRun?.controller?.abort();
  }

  _sweepCard() {
    const form = this._sweepFormNow();
    const f = sweepField(form.pointer);
    const { errors } = form.touched ? this._sweepCheck(form) : { errors: {} };
    const run = this._sweepRun;
    const running = !!run?.controller;
    const unit = unitOf(f, this._sweepSide().scenario);
    const input = (key, label, attrs = {}) => html`<div class="sf">
        <label for=${`sweep-${key}`}>${label}</label>
        <span class="ctl"><input id=${`sweep-${key}`} type="number" inputmode="decimal" step=${attrs.step ?? 'any'}
          min=${attrs.min ?? nothing} max=${attrs.max ?? nothing} .value=${form[key]}
          aria-invalid=${errors[key] ? 'true' : 'false'} aria-describedby=${errors[key] ? `sweep-${key}-msg` : nothing}
          @input=${(e) => this._onSweepField(key, e)}>${attrs.unit ? html`<span class="unit">${attrs.unit}</span>` : nothing}</span>
        ${errors[key] ? html`<div class="msg" id=${`sweep-${key}-msg`} role="alert">${errors[key]}</div>` : nothing}
      </div>`;
    const sw = this._sweep;
    const stale = sw && sw.base !== JSON.stringify(this._sweepSide().scenario);
    return html`<h3>Sweep a parameter <span class="lbl">same seed for every value (common random numbers)</span></h3>
      <div class="sweep-form">
        <div class="sf">
          <label for="sweep-param">Parameter</label>
          <select id="sweep-param" @change=${(e) => this._onSweepParam(e)}>
            ${this._sweepParameters().map((p) => html`<option value=${p.pointer} ?selected=${p.pointer === form.pointer}>${p.label}</option>`)}
          </select>
        </div>
        ${input('from', 'From', { unit })}
        ${input('to', 'To', { unit })}
        ${input('count', 'Values', { step: 1, min: 2, max: MAX_SWEEP_VALUES })}
        ${input('paths', 'Paths per value', { step: 100, min: 100 })}
        <div class="sf go">
          ${running ? html`<button id="sweep-cancel" @click=${this._cancelSweep}>Cancel sweep</button>`
            : html`<button id="sweep-run" class="primary" @click=${this._runSweep}>Run sweep</button>`}
        </div>
      </div>
      <div class="status" role="status" aria-live="polite">
        ${running ? html`<progress max="1" .value=${run.progress} aria-label="Sweep progress"></progress><span>${Math.round(100 * run.progress)} %</span>`
          : run?.cancelled ? html`<span>Sweep cancelled.</span>`
          : sw ? html`<span>${sw.result.points.length} values of ${sweepField(sw.pointer).label.toLowerCase()}, ${int(sw.result.paths)} paths each, seed ${sw.result.seed}${sw.side === 'proposed' ? ' (the proposal)' : ''}.</span>
              ${stale ? html`<span class="worse">Computed for earlier inputs: run it again.</span>` : nothing}`
          : html`<span>Runs the Monte Carlo once per value, everything else as set above.</span>`}
      </div>
      ${run?.error ? html`<div class="errors" role="alert"><p>${run.error}</p></div>` : nothing}
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

  _actions() {
    const ready = !!this._a?.result;
    return html`<div class="actions" part="actions">
      <button id="copy-link" ?disabled=${!this._a} @click=${() => this._copy(this.permalinkUrl(), 'Permalink')}>Copy permalink</button>
      <button id="copy-md" ?disabled=${!ready} @click=${() => this._copy(this.toMarkdown(), 'Markdown')}>Copy as Markdown</button>
      <button id="dl-json" ?disabled=${!ready} @click=${this._downloadJSON}>Download JSON</button>
      <button id="dl-csv" ?disabled=${!ready} @click=${this._downloadCSV}>Download CSV</button>
      <span class="spacer"></span>
      ${this._toast ? html`<span class="toast" role="status">${this._toast}</span>` : nothing}
    </div>
    ${this._markdown ? html`<textarea id="md-out" readonly aria-label="Export text" .value=${this._markdown}></textarea>` : nothing}`;
  }

  _renderCompact() {
    const a = this._a;
    const r = a?.result ?? a?.partial ?? a?.quick;
    const link = safeUrl(this.calculatorUrl);
    return html`<div class="frame" part="frame">
      <div class="outputs">
        ${this._fatal ? html`<div class="errors" role="alert"><p>${this._fatal}</p></div>` : nothing}
        ${a?.errors?.length ? html`<div class="errors" role="alert">${a.errors.map((e) => html`<p>${e.pointer || '(scenario)'}: ${e.message}</p>`)}</div>` : nothing}
        ${this._statusLine()}
        ${r ? html`${this._headline(a.scenario, r)}
          <div class="card" part="charts"><h3>Depletion probability vs fund size <span class="lbl">log scale</span></h3><div id="curve" class="chart"></div></div>` : nothing}
        <div class="foot">
          <span>Computed in your browser by backstop ${this._version}: ${r ? `${int(r.paths)}-path Monte Carlo, seed ${r.seed}, ${a.scenario.simulation?.horizon_days}-day horizon` : '…'}.</span>
          ${link && a ? html`<a href=${link + fragmentOf(a.scenario)} target="_blank" rel="noopener">Open in the full calculator ↗</a>` : nothing}
        </div>
      </div>
    </div>`;
  }
}
