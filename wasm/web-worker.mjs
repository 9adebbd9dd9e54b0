// Starts the pool's browser worker (a module Web Worker running worker.mjs). A module of its
// own so that a bundle can put another script here: the single-file library build aliases it
// to web/widget/library-worker.js, whose worker is the library file itself (one wasm copy).
export function startWebWorker() {
  return new Worker(new URL('./worker.mjs', import.meta.url), { type: 'module' });
}
