// The worker half of the single-file library (dist/web/lib/backstop-calculator.js). The
// library's worker is the library file itself: `new Worker(import.meta.url)`, so the wasm
// (embedded in the file) exists once. In the library build this module replaces
// wasm/web-worker.mjs (an alias in vite.lib.config.mjs), and library.js imports it first.
import { handle } from '../../wasm/worker-core.mjs';

/** The pool's browser worker in the library: this very file, as a module worker. */
export function startWebWorker() {
  return new Worker(import.meta.url, { type: 'module' });
}

const inWorker = typeof WorkerGlobalScope === 'function' && globalThis instanceof WorkerGlobalScope;

if (inWorker) {
  self.onmessage = async (event) => {
    const [reply, transfer] = await handle(event.data);
    self.postMessage(reply, transfer);
  };
  self.postMessage({ ready: true });
  // Stop here: the rest of the file (Lit, uPlot, the element) needs a DOM a worker lacks. A
  // top-level await that never settles holds back the evaluation of everything after it in
  // the bundle, while messages are still served.
  await new Promise(() => {});
}
