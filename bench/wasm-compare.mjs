#!/usr/bin/env node
// Two builds of the wasm core, the same commands on the same inputs: the outputs must be
// byte-identical (for changes meant to change size only, bench/README.md "the calculator's size").
//   node bench/wasm-compare.mjs DIR_A DIR_B   (each DIR holding backstop_core.mjs and .wasm)
// Every command on every scenario and golden input, the report module in three formats over each
// result, and the pool's plan/batch/merge. Exits 1 when any output differs.
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

async function load(dir) {
  const { default: factory } = await import(resolve(dir, 'backstop_core.mjs'));
  const compiled = await WebAssembly.compile(readFileSync(resolve(dir, 'backstop_core.wasm')));
  return (await factory({ instantiateWasm(imports, receive) { WebAssembly.instantiate(compiled, imports).then((i) => receive(i, compiled)); return {}; } }));
}
const [dirA, dirB] = process.argv.slice(2).map((d) => resolve(d));
if (!dirB) throw new Error('usage: node bench/wasm-compare.mjs DIR_A DIR_B');
process.chdir(fileURLToPath(new URL('..', import.meta.url)));  // the inputs' paths below
const [a, b] = [await load(dirA), await load(dirB)];
const inputs = [];
for (const d of ['scenarios', 'tests/golden', 'tests/golden/bad', 'bench/scenarios']) {
  for (const f of readdirSync(d)) if (f.endsWith('.json') && !f.includes('expected')) inputs.push(`${d}/${f}`);
}
const cmds = ['validate', 'stress', 'simulate', 'sweep_plan', 'ruin', 'size', 'position', 'replay', 'policy', 'names', 'calibrate'];
let n = 0, diff = 0, ok = 0;
const opts = JSON.stringify({ paths: 40, seed: 3 });
for (const f of inputs) {
  const text = readFileSync(f, 'utf8');
  for (const c of cmds) {
    const o = c === 'simulate' || c === 'size' || c === 'sweep_plan' ? opts : '';
    const ra = a.call(c, text, o), rb = b.call(c, text, o);
    ++n; if (ra !== rb) { ++diff; console.log('DIFF', c, f, ra.slice(0, 200), '\n    ', rb.slice(0, 200)); }
    if (ra.startsWith('{"ok":true')) ++ok;
    // the report module over each successful result
    if (ra.startsWith('{"ok":true') && ['stress', 'simulate', 'ruin'].includes(c)) {
      for (const format of ['markdown', 'csv', 'html']) {
        const inp = JSON.stringify({ command: c, format, input: JSON.parse(text), result: JSON.parse(ra).result });
        const xa = a.call('report', inp, ''), xb = b.call('report', inp, '');
        ++n; if (xa !== xb) { ++diff; console.log('DIFF report', c, format, f); }
        if (xa.startsWith('{"ok":true')) ++ok;
      }
    }
  }
}
// the pool's path: plan, batches, merge
for (const f of ['scenarios/default.json', 'tests/golden/sim-multi-market.json', 'tests/golden/sim-importance-tail.json']) {
  const text = readFileSync(f, 'utf8');
  for (const m of [a, b]) m.plan = m.simulatePlan(text, opts);
  const ba = a.simulateBatch(text, JSON.stringify({ paths: 40, seed: 3, path_begin: 0, path_end: 40 }));
  const bb = b.simulateBatch(text, JSON.stringify({ paths: 40, seed: 3, path_begin: 0, path_end: 40 }));
  n += 3;
  if (a.plan !== b.plan) { ++diff; console.log('DIFF plan', f); }
  if (String(ba) !== String(bb)) { ++diff; console.log('DIFF batch', f); }
  if (a.simulateMerge(text, opts, ba) !== b.simulateMerge(text, opts, bb)) { ++diff; console.log('DIFF merge', f); }
}
console.log(`${n} outputs compared (${ok} successful results), ${diff} differ`);
process.exit(diff ? 1 : 0);
