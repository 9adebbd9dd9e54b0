// Standalone calculator for iframes. The scenario comes from the permalink fragment
// (#s=..., and #s=...&b=... for an A/B comparison). The page reports its height to the
// embedding page (a number only), so the iframe can be sized without scrollbars.
import './widget/define.js';

const el = document.querySelector('backstop-calculator');
const params = new URLSearchParams(location.search);
if (params.get('mode') === 'compact') el.setAttribute('mode', 'compact');
if (window.parent !== window) {
  // The element's own height: the document's scrollHeight never drops below the iframe's
  // current height, so a calculator that got shorter would leave a blank strip.
  const post = () => window.parent.postMessage({ type: 'backstop:height', height: Math.ceil(el.getBoundingClientRect().height) }, '*');
  new ResizeObserver(post).observe(el);
}
