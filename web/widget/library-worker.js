// The worker half of the bundled builds. In the single-file library
// (dist/web/lib/backstop-calculator.js) the worker is the library file itself, and in the pages'
// build it is the chunk that holds the API: `new Worker(import.meta.url)`, so the API is
// downloaded once (and the .wasm beside it, from the HTTP cache). Both Vite configs alias wasm/web-worker.mjs to this
// module; library.js imports it first, and in the pages' chunk it precedes the pool.
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
