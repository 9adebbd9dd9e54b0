// The element's share and export actions (a Lit ReactiveController): copy to the clipboard
// with a short toast (or the text shown for copying by hand where there is no clipboard), and
// the JSON and CSV downloads. The CSV texts are the core's reports (bs.report), one table per file.
import { toCSV, download, fileStem } from '../format.js';

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

  /** Copies `text` (a string, or a promise of one: the Markdown waits for the report module). */
  async copy(text, what) {
    try {
      text = await text;
    } catch (e) {
      this._flash(`${what} could not be written: ${e?.message ?? e}`, null);
      return;
    }
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

  /** The current side's simulate summary as CSV (`backstop simulate -f csv`). */
  downloadCSV({ bs, a }) {
    return this._download(toCSV({ bs, scenario: a.scenario, result: a.result }), `${fileStem(a.scenario)}.csv`);
  }

  /** The stress events as CSV (`backstop stress -f csv`). */
  downloadStressCSV({ bs, a }) {
    return this._download(bs.report('stress', a.stress, { format: 'csv', input: a.scenario }), `${fileStem(a.scenario)}-stress.csv`);
  }

  /** The sweep's points as CSV (`backstop sweep -f csv`). */
  downloadSweepCSV({ bs, a, sweep }) {
    return this._download(bs.report('sweep', sweep.result, { format: 'csv', input: a.scenario }), `${fileStem(a.scenario)}-sweep.csv`);
  }

  /** A CSV download once the core's report (a promise: the full module loads on first use) is written. */
  async _download(text, filename) {
    try {
      download(await text, filename, 'text/csv');
    } catch (e) {
      this._flash(`${filename} could not be written: ${e?.message ?? e}`, null);
    }
  }
}
