// Entry of the single-file library: one <script type="module" src=".../backstop-calculator.js">
// registers <backstop-calculator> on any page. Lit, uPlot, the JS API and the wasm are all in
// the file. The worker half must come first (see library-worker.js).
import './library-worker.js';

export { BackstopCalculator, define } from './define.js';
