// The element's permalink (a Lit ReactiveController). With the `permalink` attribute the state
// is read from the page's URL fragment at start and when the fragment changes under the element
// (a pasted link, back), and written back with replaceState after any update that changed it.
// Compressing is asynchronous: the fragment of the latest state is kept for the synchronous
// url(); `ready` resolves once it is written. The fragment's format is permalink.js's.
import { readFragment, writeFragment, safeUrl } from '../permalink.js';
import { PRESET_CATALOG } from '../presets.js';

export class PermalinkController {
  /**
   * @param host the element (its `permalink` and `calculatorUrl`)
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
    return this.host.permalink && location.hash.length > 1 ? readFragment(location.hash, PRESET_CATALOG) : {};
  }

  /** The fragment of the current state ('#p=1.…'; '' before the first is computed). */
  fragment() {
    return this._fragment;
  }

  /** The shareable link: `calculator-url` (when safe) or this page, with the fragment. */
  url() {
    return (safeUrl(this.host.calculatorUrl) ?? location.href.split('#')[0]) + this._fragment;
  }

  hostUpdated() {
    const { a, b, w } = this._state();
    // Encoded again only when one of them is a new object (edits replace, never mutate).
    if (!a || [a, b, w].every((x, i) => x === this._last[i])) return;
    this._last = [a, b, w];
    const job = writeFragment({ a, b, w }, PRESET_CATALOG).then((frag) => {
      if (job !== this._job) return;
      this._fragment = frag;
      this.host.requestUpdate();
      if (!this.host.permalink || location.hash === frag) return;
      this._written = frag;
      history.replaceState(history.state, '', frag);
    });
    this._job = job;
    this.ready = job;
  }
}
