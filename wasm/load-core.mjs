// Loads the Emscripten module with its .wasm file beside the glue: in Node read from disk, in
// browsers and workers fetched and compiled while it streams in. Shared by the API
// (backstop.mjs) and the pool's workers (worker-core.mjs). The `new URL(..., import.meta.url)`
// below is what bundlers follow: Vite copies the .wasm next to its output and rewrites the URL
// (the library build puts it beside backstop-calculator.js, see vite.lib.config.mjs).
import createBackstopModule from './generated/backstop_core.mjs';

const WASM_URL = new URL('./generated/backstop_core.wasm', import.meta.url);
// Kept out of static analysis so bundlers do not try to resolve Node modules for the web.
const NODE_FS = 'node:fs/promises';

let compiled;

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

/** The compiled WebAssembly.Module, fetched and compiled once per thread. */
export function wasmModule() {
  compiled ??= compile(WASM_URL).catch((e) => {
    compiled = undefined;  // a later call may retry (e.g. the network came back)
    throw e;
  });
  return compiled;
}

/** A fresh instance of the Emscripten module (each has its own linear memory). */
export async function loadCore() {
  const module = await wasmModule();
  let fail;
  const failed = new Promise((_, reject) => { fail = reject; });
  const ready = createBackstopModule({
    // Emscripten calls this instead of fetching the file itself; {} means "instantiating
    // asynchronously". A failure rejects through `failed`, as the factory would not.
    instantiateWasm(imports, receive) {
      WebAssembly.instantiate(module, imports).then((instance) => receive(instance, module), fail);
      return {};
    },
  });
  return Promise.race([ready, failed]);
}
