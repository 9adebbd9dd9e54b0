// Build step: writes the wasm binary as a base64 ES module so the JS API can hand it to the
// Emscripten factory as `wasmBinary`. No fetch happens anywhere (pages under a strict CSP,
// Node, workers, bundlers all load it the same way).
import { readFileSync, writeFileSync } from 'node:fs';

const [wasmPath, outPath] = process.argv.slice(2);
const b64 = readFileSync(wasmPath).toString('base64');
writeFileSync(outPath, `// Generated from ${wasmPath.split('/').pop()} by wasm/embed-wasm.mjs. Do not edit.
const b64 = '${b64}';
function decode(s) {
  if (typeof atob === 'function') {
    const bin = atob(s);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  return new Uint8Array(Buffer.from(s, 'base64'));
}
export const wasmBinary = decode(b64);
`);
