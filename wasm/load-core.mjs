// Loads an Emscripten module with its .wasm file beside the glue: in Node read from disk, in
// browsers and workers fetched and compiled while it streams in. Two modules are linked from
// the same objects (wasm/CMakeLists.txt): `start`, with the commands the calculator runs at load,
// on input and in its runs (and all a pool worker needs), and `full`, with every command, which
// the API loads only when a command the start module lacks is first called (backstop.mjs).
// Shared by the API and the pool's workers (worker-core.mjs). The `new URL(..., import.meta.url)`
// below are what bundlers follow: Vite copies each .wasm next to its output and rewrites the URL
// (the library build puts them beside backstop-calculator.js, see vite.lib.config.mjs).
import createStartModule from './generated/backstop_start.mjs';

const MODULES = {
  start: {
    url: new URL('./generated/backstop_start.wasm', import.meta.url),
    factory: async () => createStartModule,
  },
  full: {
    url: new URL('./generated/backstop_core.wasm', import.meta.url),
    // A dynamic import: a page that never calls a full-module command never loads its glue.
    factory: async () => (await import('./generated/backstop_core.mjs')).default,
  },
};
// Kept out of static analysis so bundlers do not try to resolve Node modules for the web.
const NODE_FS = 'node:fs/promises';

const compiled = {};

async function compile(url) {
  if (url.protocol === 'file:') {
    // Node (fetch cannot read file: URLs there) and any runtime that loads modules from disk.
    const { readFile } = await import(/* @vite-ignore */ NODE_FS);
    return WebAssembly.compile(await readFile(url));
  }
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`cannot load ${url}: HTTP ${response.status}`);
  // Streaming compilation needs the server to say application/wasm; any other type (an old
  // server, a CDN's octet-stream) falls back to compiling the downloaded bytes.
  if (typeof WebAssembly.compileStreaming === 'function' &&
      /^application\/wasm\b/i.test(response.headers.get('content-type') ?? '')) {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

function moduleOf(which) {
  const m = MODULES[which];
  if (!m) throw new Error(`no wasm module '${which}' (start, full)`);
  return m;
}

/** The compiled WebAssembly.Module `which` ('start' | 'full'), fetched and compiled once per thread. */
export function wasmModule(which = 'start') {
  compiled[which] ??= compile(moduleOf(which).url).catch((e) => {
    compiled[which] = undefined;  // a later call may retry (e.g. the network came back)
    throw e;
  });
  return compiled[which];
}

/** A fresh instance of the Emscripten module `which` ('start' | 'full'; each has its own linear memory). */
export async function loadCore(which = 'start') {
  const [module, factory] = await Promise.all([wasmModule(which), moduleOf(which).factory()]);
  let fail;
  const failed = new Promise((_, reject) => { fail = reject; });
  const ready = factory({
    // Emscripten calls this instead of fetching the file itself; {} means "instantiating
    // asynchronously". A failure rejects through `failed`, as the factory would not.
    instantiateWasm(imports, receive) {
      WebAssembly.instantiate(module, imports).then((instance) => receive(instance, module), fail);
      return {};
    },
  });
  return Promise.race([ready, failed]);
}
