// Build step after linking: drops the glue's own `new URL("backstop_core.wasm", import.meta.url)`.
// The glue never uses that URL (load-core.mjs instantiates the module through instantiateWasm),
// but bundlers follow the pattern and would ship a second copy of the .wasm (Vite's library
// mode even inlines it as base64). The one reference left is load-core.mjs's.
//   node wasm/post-link.mjs build/.../backstop_core.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

const gluePath = process.argv[2];
const name = basename(gluePath).replace(/\.m?js$/, '.wasm');
const glue = readFileSync(gluePath, 'utf8');
const pattern = `new URL("${name}",import.meta.url).toString()`;
if (glue.includes(pattern)) {
  writeFileSync(gluePath, glue.split(pattern).join(JSON.stringify(name)));
} else if (!glue.includes(`wasmBinaryFile=${JSON.stringify(name)}`)) {
  // Neither the pattern nor its replacement: a new Emscripten changed the glue; look again.
  console.error(`post-link: ${basename(gluePath)} no longer contains ${pattern}`);
  process.exit(1);
}
