// "Bring your own market" (a Lit ReactiveController): a price CSV dropped, pasted or picked is
// fitted by bs.calibrate, and the path (that CSV, else the scenario's own `replay` field) is
// replayed by bs.replay on the scenario being edited, recomputed when either changes; its two
// uPlot charts are drawn here. Everything stays in the page and the file's text is shown only
// as text. It fires `calibrate` and `error` and calls no other controller: "use this model"
// hands the fitted price_model to the host's `apply` callback.
import { emit, errorDetail } from '../events.js';
import { themeOf } from './charts.js';
import { replayChart, replayStagesChart } from '../replay-chart.js';

/** The largest file read (the core's replay CSV limit, 8 MiB). */
export const MAX_CSV_BYTES = 8 << 20;

export class MarketController {
  /**
   * @param bs () => the loaded core (or undefined before it has loaded)
   * @param scenario () => the scenario being edited
   * @param apply (price_model) => void: put a fitted model into the scenario and rerun
   */
  constructor(host, { bs, scenario, apply }) {
    this.host = host;
    this._bs = bs;
    this._scenario = scenario;
    this._apply = apply;
    /** {name, text} of the CSV read, or null. */
    this.csv = null;
    /** The paste box's text. */
    this.draft = '';
    /** bs.calibrate's result for the CSV, or the error it threw. */
    this.fits = null;
    this.fitError = null;
    /** bs.replay's result on the current scenario and path, or the error it threw. */
    this.replay = null;
    this.replayError = null;
    this._key = null;
    this._unreported = null;
    this._drawn = null;
    this._charts = [];
    host.addController(this);
  }

  hostConnected() {
    this._ro = new ResizeObserver(() => this._resize());
    this._ro.observe(this.host);
  }

  hostDisconnected() {
    this._ro?.disconnect();
    this._destroy();
    this._drawn = null;
  }

  /**
   * Fits the models to CSV text (from a drop, a file or the paste box) and replays it. Both run
   * in the full wasm module (loaded on first use), so they settle later; a newer load wins.
   */
  async load(text, name = 'pasted prices') {
    const bs = this._bs();
    if (!bs) return;
    this.fits = null;
    this.fitError = this._unreported = null;
    this._key = null;
    if (typeof text !== 'string' || text.length > MAX_CSV_BYTES) {
      this.csv = null;
      this.fitError = { message: `the file is larger than ${MAX_CSV_BYTES >> 20} MiB` };
      this.host.requestUpdate();
      return;
    }
    const csv = this.csv = { name: String(name).slice(0, 200), text };
    this.host.requestUpdate();  // the replay starts in hostUpdate
    try {
      const fits = await bs.calibrate(text);
      if (this.csv !== csv) return;
      this.fits = fits;
      emit(this.host, 'calibrate', { result: fits });
    } catch (e) {
      if (this.csv !== csv) return;
      // Fired once the replay is known: a path too short to fit but replayed is a note, not an error.
      this.fitError = this._unreported = e;
      this._report();
    }
    this.host.requestUpdate();
  }

  /** Reads a File (drop or picker) as text, then load(). */
  async readFile(file) {
    if (!file) return;
    if (file.size > MAX_CSV_BYTES) { this.load(null, file.name); return; }
    this.load(await file.text(), file.name);
  }

  setDraft(text) { this.draft = text; }

  /** "Use this model": the fit's scenario price_model, as it is. */
  use(fit) { this._apply(structuredClone(fit.price_model)); }

  /** Back to the scenario's own path (if it has one). */
  clear() {
    this.csv = null;
    this.fits = null;
    this.fitError = null;
    this._unreported = null;
    this._key = null;
    this._replayed = false;
    this.host.requestUpdate();
  }

  /** The edited scenario's mark price (where a path starts). */
  mark() { return this._scenario()?.market?.mark_price; }

  /**
   * The prices needed to fit a model when the CSV was too short for the fit but replayed: the
   * core's count from its message ("calibration needs at least 31"); else null (a real error).
   */
  fitsNeed() {
    if (this.source() !== 'csv' || !this.replay || this.fitError?.code !== 'invalid_input') return null;
    const m = /calibration needs at least (\d+)/.exec(this.fitError.message ?? '');
    return m ? Number(m[1]) : null;
  }

  /** Where the replayed path comes from: 'csv', 'scenario' or null. */
  source() {
    if (this.csv) return 'csv';
    return this._scenario()?.replay ? 'scenario' : null;
  }

  hostUpdate() {
    const bs = this._bs();
    const scenario = this._scenario();
    if (!bs || !scenario) return;
    const key = [scenario, this.csv];
    if (this._key && key.every((x, i) => x === this._key[i])) return;
    this._key = key;
    this.replay = null;
    this.replayError = null;
    this._replayed = false;
    const src = this.source();
    if (!src) return;
    bs.replay(scenario, src === 'csv' ? this.csv.text : null).then(
      (r) => { if (this._key === key) this.replay = r; },
      (e) => { if (this._key === key) this.replayError = e; },
    ).then(() => {
      if (this._key !== key) return;
      this._replayed = true;
      this._report();
      this.host.requestUpdate();
    });
  }

  /** The fit's error as an `error` event once the replay is known, unless the note beside it explains it. */
  _report() {
    if (!this._replayed) return;
    const e = this._unreported;
    this._unreported = null;
    if (e && this.fitsNeed() == null) emit(this.host, 'error', errorDetail(e));
  }

  hostUpdated() {
    const el = this.host.renderRoot.querySelector('#replay-chart');
    const stagesEl = this.host.renderRoot.querySelector('#replay-stages');
    if (this._drawn === this.replay && (!this.replay || this._charts[0]?.el === el)) return;
    this._destroy();
    this._drawn = this.replay;
    if (!this.replay || !el) return;
    const theme = themeOf(this.host);
    const start = { price: this._scenario()?.market?.mark_price, fund: this.replay.fund_before };
    for (const [target, fn] of [[el, replayChart], [stagesEl, replayStagesChart]]) {
      if (!target) continue;
      target.textContent = '';
      this._charts.push({ el: target, chart: fn(target, { replay: this.replay, start, theme, width: Math.max(200, target.clientWidth), height: 240 }) });
    }
  }

  _destroy() {
    for (const c of this._charts) c.chart.destroy();
    this._charts = [];
  }

  _resize() {
    for (const { el, chart } of this._charts) {
      const w = Math.max(200, el.clientWidth);
      if (Math.abs(chart.width - w) > 2) chart.setSize({ width: w, height: chart.height });
    }
  }
}
