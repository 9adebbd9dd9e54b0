// The element's share and export actions (a Lit ReactiveController): copy to the clipboard
// with a short toast (or the text shown for copying by hand where there is no clipboard), and
// the JSON and CSV downloads. The texts themselves are format.js's and sweep.js's.
import { toCSV, download, fileStem } from '../format.js';
import { sweepRows } from '../sweep.js';

const TOAST_MS = 4000;

export class ExportController {
  constructor(host) {
    this.host = host;
    /** The toast's text ('' when none). */
    this.toast = '';
    /** Text to copy by hand (no clipboard), else null. */
    this.manual = null;
    this._timer = 0;
    host.addController(this);
  }

  hostDisconnected() { clearTimeout(this._timer); }

  _set(fields) {
    Object.assign(this, fields);
    this.host.requestUpdate();
  }

  async copy(text, what) {
    try {
      await navigator.clipboard.writeText(text);
      this._flash(`${what} copied to the clipboard`, null);
    } catch {
      // No clipboard (iframe without permission, old browser): show it for manual copying.
      this._flash(`Select and copy the ${what.toLowerCase()} below`, text);
    }
  }

  _flash(toast, manual) {
    this._set({ toast, manual });
    clearTimeout(this._timer);
    this._timer = setTimeout(() => this._set({ toast: '' }), TOAST_MS);
  }

  /** Scenario, simulate and stress results of both sides, and the sweep, as one JSON file. */
  downloadJSON({ a, b, sweep, version }) {
    const pack = (s) => s && { scenario: s.scenario, simulate: s.result, stress: s.stress };
    const doc = { generator: 'backstop calculator', version, current: pack(a), proposed: pack(b), sweep: sweep?.result ?? null };
    download(JSON.stringify(doc, null, 2), `${fileStem(a.scenario)}.json`, 'application/json');
  }

  /** The current side's result (and the sweep) as CSV. */
  downloadCSV({ a, sweep, version }) {
    download(toCSV({ scenario: a.scenario, result: a.result, version, extraRows: sweepRows(sweep) }), `${fileStem(a.scenario)}.csv`, 'text/csv');
  }
}
