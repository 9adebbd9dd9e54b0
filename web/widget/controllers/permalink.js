// The element's permalink (a Lit ReactiveController). With the `permalink` attribute the state
// is read from the page's URL fragment at start and when the fragment changes under the element
// (a pasted link, back), and written back with replaceState after any update that changed it.
// The fragment's format is permalink.js's.
import { readFragment, fragmentOf, safeUrl } from '../permalink.js';

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
    host.addController(this);
  }

  hostConnected() {
    this._onHash = () => { if (this.host.permalink && location.hash !== this._written) this._onNavigate(); };
    window.addEventListener('hashchange', this._onHash);
  }

  hostDisconnected() {
    window.removeEventListener('hashchange', this._onHash);
  }

  /** {a, b, w} from the fragment when the element keeps its state there, else {}; throws on malformed data. */
  read() {
    return this.host.permalink && location.hash.length > 1 ? readFragment(location.hash) : {};
  }

  /** The fragment of the current state ('#s=...'). */
  fragment() {
    const { a, b, w } = this._state();
    return fragmentOf(a, b, w);
  }

  /** The shareable link: `calculator-url` (when safe) or this page, with the fragment. */
  url() {
    return (safeUrl(this.host.calculatorUrl) ?? location.href.split('#')[0]) + this.fragment();
  }

  hostUpdated() {
    if (!this.host.permalink) return;
    const { a, b, w } = this._state();
    // Encoded again only when one of them is a new object (edits replace, never mutate).
    if (!a || [a, b, w].every((x, i) => x === this._last[i])) return;
    this._last = [a, b, w];
    const frag = fragmentOf(a, b, w);
    if (location.hash === frag) return;
    this._written = frag;
    history.replaceState(history.state, '', frag);
  }
}
