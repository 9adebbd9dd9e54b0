// <backstop-calculator>: the embeddable insurance-fund calculator (README, "Embedding the
// calculator"). Every number is computed client-side by backstop's WebAssembly core; nothing is
// fetched, nothing from an attribute, a property or the URL is ever inserted as HTML (text
// bindings only). The element holds the scenarios being edited and composes controllers (run,
// permalink, sweep, charts, exports) and views (views/, pure functions of state); define.js registers it.
import { LitElement, html } from 'lit';
import { styles, uplotStyles } from './styles.js';
import { withEdit, fromDisplay, precisionDefaults } from './fields.js';
import { isPresetKey, presetScenario } from './presets.js';
import { core } from './engine.js';
import { emit, errorDetail } from './events.js';
import { toMarkdown } from './format.js';
import { safeUrl } from './safe-url.js';
import { RunController } from './controllers/run.js';
import { PermalinkController } from './controllers/permalink.js';
import { SweepController } from './controllers/sweep.js';
import { ChartController } from './controllers/charts.js';
import { ExportController } from './controllers/exports.js';
import { MarketController } from './controllers/market.js';
import { headerView } from './views/header.js';
import { inputsView } from './views/inputs.js';
import { outputsView } from './views/outputs.js';
import { statusView } from './views/status.js';
import { compactView } from './views/compact.js';
import { marketView } from './views/market.js';
import { marketStyles } from './views/market-styles.js';
import { scenarioConverter, side, shown, isStale } from './state.js';

const clone = (x) => structuredClone(x);

/**
 * An insurance-fund calculator: depletion probability, required fund, ADL probability,
 * bad-debt VaR/ES, charts, stress waterfall, permalink, Markdown/CSV/JSON export and A/B compare.
 *
 * @element backstop-calculator
 *
 * @attr {string} preset - key of a bundled scenario (`default`, `btc-large-venue`, ...)
 * @attr {string} scenario - a scenario (docs/scenario-format.md) as JSON text; as a property, an object
 * @attr {'full'|'compact'} mode - `compact` shows the headline and one chart, no inputs
 * @attr {number} paths - Monte Carlo paths (overrides the scenario's `simulation.paths`)
 * @attr {number} seed - random seed (overrides `simulation.seed`)
 * @attr {boolean} permalink - read the scenario from, and write it to, the page's URL fragment
 * @attr {string} calculator-url - compact mode: link target of "Open in calculator"
 * @attr {string} state - (reflected, read-only) `loading`, `pending` (an edit waits for its run), `quick`, `running`, `done`, `invalid`, `cancelled` or `error`
 * @attr {boolean} stale - (reflected, read-only) the numbers on screen belong to earlier inputs (an edit is pending or the inputs are invalid)
 *
 * @fires {CustomEvent<{scenario, result, stress, proposed}>} result - a full Monte Carlo run finished
 * @fires {CustomEvent<{scenario, result}>} sweep - a parameter sweep finished (result as from `backstop.sweep`)
 * @fires {CustomEvent<{result}>} calibrate - a price CSV was fitted (result as from `backstop.calibrate`)
 * @fires {CustomEvent<{code, message, pointer, errors}>} error - invalid input or a failed run (not a price CSV
 *   too short to fit that still replays: a note beside the replay says so)
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
 * @csspart market - the price CSV, fitted models and replay cards
 */
export class BackstopCalculator extends LitElement {
  static styles = [uplotStyles, styles, marketStyles];

  static properties = {
    preset: { type: String, reflect: true },
    scenario: { attribute: 'scenario', converter: scenarioConverter },
    mode: { type: String, reflect: true },
    paths: { type: Number },
    seed: { type: Number },
    permalink: { type: Boolean },
    calculatorUrl: { type: String, attribute: 'calculator-url' },
    state: { type: String, reflect: true },
    stale: { type: Boolean, reflect: true },
    _a: { state: true },
    _b: { state: true },
    _editing: { state: true },
    _marketIndex: { state: true },
    _shock: { state: true },
    _fatal: { state: true },
    _presetError: { state: true },
    _version: { state: true },
  };

  constructor() {
    super();
    this.preset = undefined;
    this.scenario = null;
    this.mode = 'full';
    this.permalink = false;
    this.state = 'loading';
    this.stale = false;
    this._a = null;
    this._b = null;
    this._editing = 'a';
    this._fatal = '';
    this._presetError = '';
    this._shock = null;
    this._version = '';
    this._visible = false;
    this._runner = new RunController(this);
    this._exports = new ExportController(this);
    this._sweeper = new SweepController(this, { side: () => this._current(), isProposed: (s) => s === this._b });
    this._link = new PermalinkController(this, {
      state: () => ({ a: this._a?.scenario, b: this._b?.scenario, w: this._sweeper.sweep?.form }),
      onNavigate: () => this._load(),
    });
    this._market = new MarketController(this, { bs: () => this._bs, scenario: () => this._current()?.scenario,
      apply: (pm) => this._usePriceModel(pm) });
    this._chartCtl = new ChartController(this, {
      data: () => ({ a: this._a && { scenario: this._a.scenario, result: shown(this._a) },
        b: this._b && { scenario: this._b.scenario, result: shown(this._b) }, event: this._event(), mode: this.mode, sweep: this._sweeper.sweep }),
    });
  }

  /** The charts on screen ([{el, chart}]). */
  get _charts() { return this._chartCtl.charts; }

  // ---- lifecycle ---------------------------------------------------------------------------

  connectedCallback() {
    super.connectedCallback();
    // Like model-viewer: no expensive start-up until the element is on screen.
    this._io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !this._visible) { this._visible = true; this._start(); }
    }, { rootMargin: '200px' });
    this._io.observe(this);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this._io?.disconnect();
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
    this.stale = isStale(this._a) || isStale(this._b);
    if (!this._bs) return;
    // A scenario or preset set after start is the page's choice: it replaces the state kept in the
    // URL fragment (which the element itself wrote), so that fragment is not read back over it.
    if (['preset', 'scenario'].some((k) => changed.has(k))) this._load({ link: false });
    else if (['paths', 'seed'].some((k) => changed.has(k))) this._load();
  }

  _fail(e, what) {
    this.state = 'error';
    this._fatal = `${what}: ${e?.message ?? e}`;
    emit(this, 'error', errorDetail(e));
  }

  // ---- loading and editing -------------------------------------------------------------------

  /** The starting scenario: the URL fragment (permalink mode), else `scenario`, else `preset`. */
  async _load({ link = true } = {}) {
    const seq = (this._loads = (this._loads ?? 0) + 1);
    let a = null;
    let b = null;
    let w;
    let fatal = '';
    try {
      if (link) ({ a, b, w } = await this._link.read());
    } catch (e) {
      fatal = `The link's scenario could not be read (${e.message}); showing the default instead.`;
    }
    if (!a && this.scenario) {
      let s = this.scenario;
      if (typeof s === 'string') s = scenarioConverter.fromAttribute(s);
      if (s?.__invalid) fatal = `The scenario attribute ${s.__invalid}.`;
      else if (s && typeof s === 'object') a = clone(s);
    }
    const fromPreset = !a;
    if (fromPreset) {
      let key = this.preset ?? 'default';
      if (!isPresetKey(key)) {
        fatal = `${fatal ? fatal + ' ' : ''}Unknown preset "${key}"; showing the default.`;
        key = 'default';
      }
      try {
        a = clone(await presetScenario(key));
      } catch (e) {
        fatal = `${fatal ? fatal + ' ' : ''}Showing the default preset: ${e.message}.`;
        a = clone(await presetScenario('default'));
      }
    }
    if (seq !== this._loads) return;  // a newer load started while the link or a preset was loading
    this._pick = (this._pick ?? 0) + 1;  // and a preset picked before this load is not shown over it
    this._fatal = fatal;
    this._presetError = '';
    this._sweeper.restore(w);
    const overrides = (s) => {
      precisionDefaults(s);
      if (Number.isFinite(this.paths)) s.simulation.paths = this.paths;
      if (Number.isFinite(this.seed)) s.simulation.seed = this.seed;
    };
    // A link's scenario keeps its own paths and seed.
    if (fromPreset || !link || !this.permalink || !location.hash) overrides(a);
    this._a = this._validated(side(a));
    this._b = b ? this._validated(side(b)) : null;
    this._editing = b ? 'b' : 'a';
    this._shock = null;
    this._runner.run();
  }

  _validated(s) {
    try {
      const v = this._bs.validate(s.scenario);
      s.errors = v.valid ? [] : v.errors ?? [];
      // The policy in effect is shown, never needed: a scenario it cannot read keeps its run.
      try { s.inEffect = v.valid ? this._bs.policy(s.scenario).markets[0]?.policy ?? null : null; } catch { s.inEffect = null; }
    } catch (e) {
      s.errors = e.errors?.length ? e.errors : [{ pointer: '', message: e.message }];
    }
    return s;
  }

  _sideKey() { return this._b && this._editing === 'b' ? '_b' : '_a'; }

  /** The side being edited (the sweep runs on it too). */
  _current() { return this[this._sideKey()]; }

  /** Applies one edit to the side being edited, validates it and schedules a run. */
  _edit(pointer, value, draftText) {
    const key = this._sideKey();
    const cur = this[key];
    const s = withEdit(cur.scenario, pointer, value);
    const next = { ...cur, scenario: s, drafts: { ...cur.drafts }, local: { ...cur.local } };
    if (draftText !== undefined) next.drafts[pointer] = draftText;
    delete next.local[pointer];
    this[key] = this._validated(next);
    this._runner.schedule();
  }

  _onField(field, ev) {
    const el = ev.target;
    const key = this._sideKey();
    if (field.kind === 'select') { this._edit(field.pointer, el.value); return; }
    // Not a number: the message at the field, and the run reports the invalid state and event.
    const v = el.validity?.badInput ? NaN : fromDisplay(field, el.value);
    if (Number.isNaN(v)) {
      const drafts = el.validity?.badInput ? this[key].drafts : { ...this[key].drafts, [field.pointer]: el.value };
      this[key] = { ...this[key], local: { ...this[key].local, [field.pointer]: 'enter a number' }, drafts };
      this._runner.schedule(0);
      return;
    }
    this._edit(field.pointer, field.kind === 'integer' && Number.isFinite(v) ? Math.round(v) : v, el.value);
  }

  /** A preset picked: loaded (all but the default are a chunk fetched on the first pick), then shown. */
  async _onPreset(key) {
    if (!isPresetKey(key)) return;
    const pick = (this._pick = (this._pick ?? 0) + 1);
    let s;
    try {
      s = clone(await presetScenario(key));
    } catch (e) {
      if (pick !== this._pick) return;
      this._presetError = `The preset could not be shown: ${e.message}.`;
      // The picker goes back to the scenario on show (the option its template marks selected).
      const shown = this.renderRoot.querySelector('#preset option[selected]');
      if (shown) shown.selected = true;
      return;
    }
    if (pick !== this._pick) return;  // a later pick wins
    this._presetError = '';
    precisionDefaults(s);
    if (Number.isFinite(this.paths)) s.simulation.paths = this.paths;
    this[this._sideKey()] = this._validated(side(s));
    this._shock = null;
    this._runner.schedule(0);
  }

  _levEdit(i, prop, ev) {
    const el = ev.target;
    const n = Number(el.value);
    if (el.value.trim() === '' || !Number.isFinite(n)) return;
    this._edit(`/book/leverage/${i}/${prop}`, Number((n / (prop === 'share' ? 100 : 1)).toPrecision(12)), el.value);
  }

  _levAdd() {
    const lev = clone(this._current().scenario.book?.leverage ?? []);
    lev.push({ leverage: 25, share: 0 });
    this._edit('/book/leverage', lev);
  }

  _levRemove(i) {
    const cur = this._current();
    const lev = clone(cur.scenario.book?.leverage ?? []);
    lev.splice(i, 1);
    // Row drafts are positional: drop them so the remaining rows show their own values.
    const drafts = Object.fromEntries(Object.entries(cur.drafts).filter(([p]) => !p.startsWith('/book/leverage/')));
    this[this._sideKey()] = { ...cur, drafts };
    this._edit('/book/leverage', lev);
  }

  /** "Use this model": the fitted price model replaces the edited market's, its field drafts dropped. */
  _usePriceModel(pm) {
    const s = this._current().scenario;
    const pointer = Array.isArray(s.markets) ? `/markets/${Math.min(this._marketIndex ?? 0, s.markets.length - 1)}/price_model` : '/price_model';
    const cur = this._current();
    this[this._sideKey()] = { ...cur, drafts: Object.fromEntries(Object.entries(cur.drafts).filter(([p]) => !p.startsWith(pointer))) };
    this._edit(pointer, pm);
  }

  _toggleCompare() {
    if (this._b) {
      this._b = null;
      this._editing = 'a';
    } else {
      const s = clone(this._a.scenario);
      s.name = `Proposed: ${s.name ?? 'scenario'}`.slice(0, 200);
      this._b = { ...this._validated(side(s)), result: this._a.result, quick: this._a.quick, stress: this._a.stress };
      this._editing = 'b';
    }
    this._runner.schedule(0);
  }

  /** The stress event on show: the one picked, else the one with the most bad debt. */
  _event() {
    const ev = this._a?.stress?.events;
    if (!ev?.length) return null;
    const i = this._shock ?? ev.reduce((best, e, j) => (e.bad_debt > ev[best].bad_debt ? j : best), 0);
    return ev[Math.min(i, ev.length - 1)];
  }

  // ---- sharing -----------------------------------------------------------------------------

  /**
   * The permalink of the current state (scenario + seed, and the proposal in A/B mode), as of
   * the last update; `await el.permalinkReady` first right after a change.
   */
  permalinkUrl() {
    return this._link.url();
  }

  /**
   * Resolves once permalinkUrl() reflects the latest state (the link is compressed asynchronously,
   * by code fetched the first time a link is asked for); rejects when that code cannot be loaded.
   */
  get permalinkReady() {
    return this._link.latest().then(() => {});
  }

  /**
   * Markdown for a forum post (parameters, seed, version, results): a promise, since the report
   * module is in the full wasm module, loaded on the first export.
   */
  async toMarkdown() {
    const res = (s) => s && { scenario: s.scenario, result: shown(s), inEffect: s.inEffect };
    const a = this._a && { ...res(this._a), stress: this._a.stress };
    return toMarkdown({ bs: this._bs, a, b: res(this._b), sweep: this._sweeper.sweep, permalink: await this._link.latest(), version: this._version });
  }

  // ---- rendering ---------------------------------------------------------------------------

  _status() {
    return statusView({ a: this._a, state: this.state, stale: this.stale, running: this._runner.running, progress: this._runner.progress },
      { cancel: () => this._runner.cancel(), rerun: () => this._runner.run() });
  }

  render() {
    if (this.mode === 'compact') {
      const link = safeUrl(this.calculatorUrl);
      return compactView({ a: this._a, fatal: this._fatal, status: this._status(), version: this._version,
        link: link && this._a && this._link.fragment() ? link + this._link.fragment() : null });
    }
    const cur = this._current();
    return html`
      <div class="frame" part="frame">
        ${headerView({ a: this._a, cur, comparing: !!this._b, version: this._version, presetError: this._presetError },
          { preset: (k) => this._onPreset(k), compare: () => this._toggleCompare() })}
        <div class="layout">
          ${inputsView({ cur, other: this._b ? (this._editing === 'b' ? this._a : this._b).scenario : null,
            comparing: !!this._b, editing: this._editing, marketIndex: this._marketIndex }, {
            field: (f, e) => this._onField(f, e), leverage: (i, p, e) => this._levEdit(i, p, e),
            leverageAdd: () => this._levAdd(), leverageRemove: (i) => this._levRemove(i),
            pickMarket: (i) => { this._marketIndex = i; }, edit: (k) => { this._editing = k; },
          })}
          <div class="outputs">${this._outputs()}${marketView(this._market, {
            file: (f) => this._market.readFile(f), paste: (t) => this._market.load(t), draft: (t) => this._market.setDraft(t),
            use: (fit) => this._market.use(fit), clear: () => this._market.clear() })}</div>
        </div>
      </div>`;
  }

  _outputs() {
    const sweep = this._sweeper;
    const ra = shown(this._a);
    const pack = { bs: this._bs, a: this._a, b: this._b, sweep: sweep.sweep, version: this._version };
    return outputsView({
      a: this._a, ra, rb: shown(this._b), state: this.state, stale: this.stale, fatal: this._fatal, status: this._status(),
      event: this._event(), sweep: ra ? sweep.view() : null,
      exports: { hasScenario: !!this._a, ready: !!this._a?.result && !this.stale, hasStress: !!this._a?.stress, hasSweep: !!sweep.sweep?.result,
        toast: this._exports.toast, markdown: this._exports.manual },
    }, {
      shock: (i) => { this._shock = i; },
      sweep: { parameter: (p) => sweep.setParameter(p), field: (k, t) => sweep.setField(k, t), run: () => sweep.start(), cancel: () => sweep.cancel() },
      exports: { copyLink: () => this._exports.copy(this._link.latest(), 'Permalink'), copyMarkdown: () => this._exports.copy(this.toMarkdown(), 'Markdown'),
        downloadJSON: () => this._exports.downloadJSON(pack), downloadCSV: () => this._exports.downloadCSV(pack),
        downloadStressCSV: () => this._exports.downloadStressCSV(pack), downloadSweepCSV: () => this._exports.downloadSweepCSV(pack) },
    });
  }
}
