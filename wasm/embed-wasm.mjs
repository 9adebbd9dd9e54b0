// Build step: writes the wasm binary as a base64 ES module so the JS API can hand it to the
// Emscripten factory as `wasmBinary`. No fetch happens anywhere (pages under a strict CSP,
// Node, workers, bundlers all load it the same way).
//
// With a third argument (the glue, backstop_core.mjs) it also drops the glue's
// `new URL("backstop_core.wasm", import.meta.url)`: the file is never fetched (wasmBinary is
// always given), but bundlers see that pattern and copy an unused .wasm asset next to the bundle.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

const [wasmPath, outPath, gluePath] = process.argv.slice(2);
const b64 = readFileSync(wasmPath).toString('base64');
writeFileSync(outPath, `// Generated from ${basename(wasmPath)} by wasm/embed-wasm.mjs. Do not edit.
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

if (gluePath) {
  const name = basename(wasmPath);
  const glue = readFileSync(gluePath, 'utf8');
  const pattern = `new URL("${name}",import.meta.url).toString()`;
  if (glue.includes(pattern)) {
    writeFileSync(gluePath, glue.split(pattern).join(JSON.stringify(name)));
  } else if (!glue.includes(`wasmBinaryFile=${JSON.stringify(name)}}`)) {
    // Neither the pattern nor its replacement: a new Emscripten changed the glue; look again.
    console.error(`embed-wasm: ${basename(gluePath)} no longer contains ${pattern}`);
    process.exit(1);
  }
}
