// The element's parameter sweep (a Lit ReactiveController): the range form's text and checks,
// the run on the page's worker pool with progress and cancel, and the last finished sweep. A
// sweep restored from a permalink starts after the element's next `result` event; it fires
// `sweep` and `error` and calls no other controller.
import { runSweep } from '../engine.js';
import { emit, errorDetail } from '../events.js';
import { unitOf } from '../fields.js';
import { SWEEP_PARAMETERS, sweepField, defaultRange, checkRange, sweepScenario } from '../sweep.js';

const perMarket = (p) => /^\/(market|book|price_model)\//.test(p.pointer);

export class SweepController {
  /** @param side () => the side being edited ({scenario}); `isProposed(side)` tells A from B */
  constructor(host, { side, isProposed }) {
    this.host = host;
    this._side = side;
    this._isProposed = isProposed;
    /** {pointer, from, to, count, paths, touched}: the form's text; null until touched. */
    this.form = null;
    /** {result, pointer, base, side, form}: the last finished sweep. */
    this.sweep = null;
    /** {progress, controller} while a sweep runs; {error} or {cancelled} after. */
    this.status = null;
    this._pending = false;
    this._onResult = () => {
      if (!this._pending) return;
      this._pending = false;
      this.start();
    };
    host.addController(this);
  }

  hostConnected() { this.host.addEventListener('result', this._onResult); }

  hostDisconnected() {
    this.host.removeEventListener('result', this._onResult);
    this.status?.controller?.abort();
  }

  _set(fields) {
    Object.assign(this, fields);
    this.host.requestUpdate();
  }

  /** The parameters on offer: a multi-market scenario has no single market, book or model to sweep. */
  parameters() {
    return Array.isArray(this._side().scenario.markets) ? SWEEP_PARAMETERS.filter((p) => !perMarket(p)) : SWEEP_PARAMETERS;
  }

  /** The form's text; started from the scenario's value of the first parameter on offer. */
  formNow() {
    const offered = this.parameters();
    if (this.form && offered.some((p) => p.pointer === this.form.pointer)) return this.form;
    const s = this._side().scenario;
    const pointer = offered[0].pointer;
    return { pointer, ...defaultRange(s, pointer), paths: String(s.simulation?.paths ?? 4000), touched: false };
  }

  setParameter(pointer) {
    this._set({ form: { ...this.formNow(), pointer, ...defaultRange(this._side().scenario, pointer) } });
  }

  setField(key, text) {
    this._set({ form: { ...this.formNow(), [key]: text, touched: true } });
  }

  /** Field messages of the form: the range checks, plus the paths per value. */
  check(form) {
    const { errors, values } = checkRange(form.pointer, form);
    const paths = Number(String(form.paths).trim());
    if (String(form.paths).trim() === '' || !Number.isInteger(paths)) errors.paths = 'enter a whole number';
    else if (paths < 100 || paths > 1000000) errors.paths = 'must be from 100 to 1,000,000';
    return { errors, values: Object.keys(errors).length ? null : values, paths };
  }

  async start() {
    const form = { ...this.formNow(), touched: true };
    this._set({ form });
    const { values, paths } = this.check(form);
    const bs = this.host._bs;
    if (!values || !bs) return;
    this.status?.controller?.abort();
    const controller = new AbortController();
    const side = this._side();
    const scenario = sweepScenario(side.scenario, form.pointer, values, paths);
    this._set({ status: { progress: 0, controller } });
    const mine = () => this.status?.controller === controller;
    try {
      const result = await runSweep(bs, scenario, {
        signal: controller.signal,
        onProgress: (f) => { if (mine()) this._set({ status: { ...this.status, progress: f } }); },
      });
      if (!mine()) return;
      const shared = { pointer: form.pointer, from: form.from, to: form.to, count: form.count, paths: form.paths };
      const sweep = { result, pointer: form.pointer, base: JSON.stringify(side.scenario), side: this._isProposed(side) ? 'proposed' : 'current', form: shared };
      this._set({ sweep, status: null });
      emit(this.host, 'sweep', { scenario, result });
    } catch (e) {
      if (!mine()) return;
      if (e?.code === 'cancelled') { this._set({ status: { cancelled: true } }); return; }
      const errors = e?.errors ?? [];
      this._set({ status: { error: errors.length ? errors.map((x) => `${x.pointer || '(scenario)'}: ${x.message}`).join('; ') : String(e?.message ?? e) } });
      emit(this.host, 'error', errorDetail(e));
    }
  }

  cancel() {
    this.status?.controller?.abort();
  }

  /** A permalink's sweep form (data only: a known parameter and short text fields), run after the next result. */
  restore(w) {
    if (!w || !SWEEP_PARAMETERS.some((p) => p.pointer === w.pointer)) return;
    const text = (v) => (typeof v === 'string' || typeof v === 'number' ? String(v).slice(0, 40) : '');
    this._set({ form: { pointer: w.pointer, from: text(w.from), to: text(w.to), count: text(w.count), paths: text(w.paths), touched: true } });
    this._pending = true;
  }

  /** What the sweep card shows: a plain object for views/sweep.js. */
  view() {
    const form = this.formNow();
    const side = this._side();
    return {
      form, field: sweepField(form.pointer), parameters: this.parameters(),
      errors: form.touched ? this.check(form).errors : {},
      status: this.status, sweep: this.sweep,
      stale: !!this.sweep && this.sweep.base !== JSON.stringify(side.scenario),
      unit: unitOf(sweepField(form.pointer), side.scenario),
    };
  }
}
