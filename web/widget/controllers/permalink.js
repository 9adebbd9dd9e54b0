// The element's permalink (a Lit ReactiveController). With the `permalink` attribute the state
// is read from the page's URL fragment at start and when the fragment changes under the element
// (a pasted link, back), and written back with replaceState after any update that changed it.
// Compressing is asynchronous: the fragment of the latest state is kept for the synchronous
// url(); `ready` resolves once it is written. The fragment's format is permalink.js's.
// Writing a link compares the scenario with every preset: the writer and the presets are a chunk
// (presets.js), so the fragment is computed only where it is used: with the `permalink` attribute,
// for the compact view's link, and from the first call of url() or latest() on.
import { presetData } from '../presets.js';
import { safeUrl } from '../safe-url.js';

export class PermalinkController {
  /**
   * @param host the element (its `permalink`, `mode` and `calculatorUrl`)
   * @param state () => {a, b, w}: the current and proposed scenarios and the sweep form to keep
   * @param onNavigate called when the fragment changed to something the element did not write
   */
  constructor(host, { state, onNavigate }) {
    this.host = host;
    this._state = state;
    this._onNavigate = onNavigate;
    this._written = null;
    this._last = [];
    this._fragment = '';
    this._asked = false;
    /** Resolves when the fragment of the latest state has been computed (and written). */
    this.ready = Promise.resolve();
    host.addController(this);
  }

  hostConnected() {
    this._onHash = () => { if (this.host.permalink && location.hash !== this._written) this._onNavigate(); };
    window.addEventListener('hashchange', this._onHash);
  }

  hostDisconnected() {
    window.removeEventListener('hashchange', this._onHash);
  }

  /** {a, b, w} from the fragment when the element keeps its state there, else {}; rejects on malformed data. */
  async read() {
    if (!this.host.permalink || location.hash.length <= 1) return {};
    const { readFragment, PRESET_CATALOG } = await presetData();
    return readFragment(location.hash, PRESET_CATALOG);
  }

  /** The fragment of the current state ('#p=1.…'; '' before the first is computed). */
  fragment() {
    return this._fragment;
  }

  /** The shareable link: `calculator-url` (when safe) or this page, with the fragment. */
  url() {
    this._ask();
    return (safeUrl(this.host.calculatorUrl) ?? location.href.split('#')[0]) + this._fragment;
  }

  /** The link of the latest state (a promise; rejects when the writer cannot be loaded). */
  async latest() {
    this._ask();
    await this.host.updateComplete;
    if (this._failed && this._state().a) this._write();
    await this.ready;
    return this.url();
  }

  /** From now on the fragment follows every update (a page or a button asked for the link). */
  _ask() {
    if (this._asked) return;
    this._asked = true;
    this.host.requestUpdate();
  }

  _wanted() {
    const h = this.host;
    return this._asked || h.permalink || (h.mode === 'compact' && !!safeUrl(h.calculatorUrl));
  }

  hostUpdated() {
    const { a, b, w } = this._state();
    // Encoded again only when one of them is a new object (edits replace, never mutate).
    if (!a || !this._wanted() || [a, b, w].every((x, i) => x === this._last[i])) return;
    this._write();
  }

  _write() {
    const { a, b, w } = this._state();
    this._last = [a, b, w];
    this._failed = false;
    const job = presetData().then(({ writeFragment, PRESET_CATALOG }) => writeFragment({ a, b, w }, PRESET_CATALOG)).then((frag) => {
      if (job !== this._job) return;
      this._fragment = frag;
      this.host.requestUpdate();
      if (!this.host.permalink || location.hash === frag) return;
      this._written = frag;
      history.replaceState(history.state, '', frag);
    }, (e) => {
      // Not remembered: the next update or the next latest() tries again.
      if (job === this._job) { this._failed = true; this._last = []; }
      throw e;
    });
    job.catch(() => {});  // a page that never asks for the link is not told
    this._job = job;
    this.ready = job;
  }
}
