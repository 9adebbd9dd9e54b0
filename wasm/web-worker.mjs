// Starts the pool's browser worker (a module Web Worker running worker.mjs) when the API is
// used unbundled. A module of its own so that a bundle can put another script here: both Vite
// builds alias it to web/widget/library-worker.js, whose worker is the bundle file itself (one
// wasm copy).
export function startWebWorker() {
  return new Worker(new URL('./worker.mjs', import.meta.url), { type: 'module' });
}
