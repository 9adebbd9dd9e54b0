// Entry of the single-file library: one <script type="module" src=".../backstop-calculator.js">
// registers <backstop-calculator> on any page. Lit, uPlot and the JS API are in the file; the
// wasm is backstop_core.wasm beside it. The worker half must come first (see library-worker.js).
import './library-worker.js';

export { BackstopCalculator, define } from './define.js';
