// Running the Monte Carlo for the element (a Lit ReactiveController): the debounce after an
// edit, the quick pilot runs and stress events shown first, the full run (on the page's worker
// pool, else on the page thread in passes), progress and cancel. It sets the element's `state`
// and fires `result` and `error`; it calls no other controller.
import { quick, full, stress } from '../engine.js';
import { emit, invalidDetail } from '../events.js';

const DEBOUNCE_MS = 350;
const nextTask = () => new Promise((r) => setTimeout(r, 0));

export class RunController {
  /** @param host the element: its core `_bs`, its sides `_a` and `_b`, `state` and `_fail(e, what)` */
  constructor(host) {
    this.host = host;
    /** True while a run is under way (quick or full). */
    this.running = false;
    /** Fraction of the full run done, 0..1. */
    this.progress = 0;
    this._abort = null;
    this._timer = 0;
    host.addController(this);
  }

  hostDisconnected() {
    this._abort?.abort();
    clearTimeout(this._timer);
  }

  _set(fields) {
    Object.assign(this, fields);
    this.host.requestUpdate();
  }

  /** Runs after `delay` ms; a new input cancels the running job at once. */
  schedule(delay = DEBOUNCE_MS) {
    this._abort?.abort();
    clearTimeout(this._timer);
    this._set({ running: false });
    this.host.state = 'pending';
    this._timer = setTimeout(() => this.run(), delay);
  }

  cancel() {
    this._abort?.abort();
    clearTimeout(this._timer);
    this._set({ running: false });
    this.host.state = 'cancelled';
  }

  /** Validation first; then the quick run and stress events of every side, then the full runs. */
  async run() {
    const host = this.host;
    if (!host._bs || !host._a) return;
    this._abort?.abort();
    const controller = new AbortController();
    this._abort = controller;
    const { signal } = controller;
    const sides = ['_a', ...(host._b ? ['_b'] : [])];
    const invalid = sides.map((k) => host[k]).find((s) => s.errors.length || Object.keys(s.local).length);
    if (invalid) {
      this._set({ running: false });
      host.state = 'invalid';
      const errors = invalid.errors.length ? invalid.errors : Object.entries(invalid.local).map(([pointer, message]) => ({ pointer, message }));
      emit(host, 'error', invalidDetail(errors));
      return;
    }
    this._set({ running: true, progress: 0 });
    host.state = 'quick';
    try {
      // Quick pilot runs and the stress events first, for every side: shown at once.
      for (const k of sides) {
        const s = host[k].scenario;
        const q = await quick(host._bs, s);
        if (signal.aborted) return;
        host[k] = { ...host[k], quick: q, partial: null, result: null, stress: stress(host._bs, s), of: s };
        await host.updateComplete;
        await nextTask();
        if (signal.aborted) return;
      }
      host.state = 'running';
      for (const [i, k] of sides.entries()) {
        const result = await full(host._bs, host[k].scenario, {
          signal,
          onProgress: (f) => { if (!signal.aborted) this._set({ progress: (i + f) / sides.length }); },
          onPartial: (r) => { if (!signal.aborted) host[k] = { ...host[k], partial: r }; },
        });
        if (signal.aborted) return;
        host[k] = { ...host[k], result, partial: null };
      }
      this._set({ running: false, progress: 1 });
      host.state = 'done';
      const pack = (s) => ({ scenario: structuredClone(s.scenario), result: s.result, stress: s.stress });
      emit(host, 'result', { ...pack(host._a), proposed: host._b ? pack(host._b) : null });
    } catch (e) {
      if (signal.aborted || e?.code === 'cancelled') return;
      this._set({ running: false });
      host._fail(e, 'The calculation failed');
    }
  }
}
