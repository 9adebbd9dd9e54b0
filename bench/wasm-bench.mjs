#!/usr/bin/env node
// Single-threaded speed of the wasm build against the native CLI on the same scenario in
// the same run, and the gzipped download size of the module.
//   node bench/wasm-bench.mjs [--paths N] [--scenario FILE] [--builds DIR|GLUE.mjs,...]
// Path-steps/s = paths × steps per path / seconds. The wasm side is timed after a warm-up
// call (V8 runs a long function's first call in baseline code, TOOLCHAIN.md 8); the native
// side is one CLI process with --threads 1 (start-up included, a few ms).
import { readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { cpus } from 'node:os';
import { createBackstop } from '../wasm/backstop.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const scenarioFile = resolve(arg('--scenario', join(root, 'bench/scenarios/btc-30d.json')));
const text = readFileSync(scenarioFile, 'utf8');
const doc = JSON.parse(text);
const paths = Number(arg('--paths', doc.simulation.paths));
const steps = Math.round(doc.simulation.horizon_days * doc.simulation.steps_per_day);
const pathSteps = paths * steps;
const cli = join(root, 'build/native/cli/backstop');

const bs = await createBackstop();
bs.call('simulate', text, { paths: Math.max(50, Math.round(paths / 10)), seed: 99 });  // warm-up
let t = performance.now();
const wasm = bs.call('simulate', text, { paths });
const wasmSeconds = (performance.now() - t) / 1000;

let nativeSeconds = NaN, native = null;
if (existsSync(cli)) {
  t = performance.now();
  native = JSON.parse(execFileSync(cli, ['simulate', scenarioFile, '--paths', String(paths), '--threads', '1',
    '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 }));
  nativeSeconds = (performance.now() - t) / 1000;
}

const rate = (s) => (pathSteps / s / 1e6).toFixed(2);
console.log(`machine: ${cpus().length} cores, ${cpus()[0]?.model}; node ${process.version}`);
console.log(`scenario: ${scenarioFile.replace(root + '/', '')}, ${paths} paths x ${steps} steps = ${pathSteps} path-steps`);
console.log(`wasm   (1 thread, warm): ${wasmSeconds.toFixed(3)} s  ${rate(wasmSeconds)} M path-steps/s`);
if (native) {
  console.log(`native (--threads 1)   : ${nativeSeconds.toFixed(3)} s  ${rate(nativeSeconds)} M path-steps/s`);
  console.log(`wasm/native time ratio : ${(wasmSeconds / nativeSeconds).toFixed(2)}x`);
  // Within 1e-9 relative, as tests/js/parity.test.mjs: the wasm evaluates Boost.Math in double,
  // the native build in long double (wasm/CMakeLists.txt), so a quantile may differ in its last bit.
  const a = wasm.depletion_probability, b = native.depletion_probability;
  const close = (x, y) => x === y || Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
  const same = a.events === b.events && close(a.estimate, b.estimate) && a.ci95.every((x, i) => close(x, b.ci95[i]));
  console.log(`same depletion_probability within 1e-9: ${same} (${a.estimate}, ${a.events} events)`);
} else console.log(`native CLI not built (${cli}): cmake --build --preset native`);

const gz = (files) => files.reduce((n, f) => n + gzipSync(readFileSync(join(root, f)), { level: 9 }).length, 0);
const raw = (files) => files.reduce((n, f) => n + readFileSync(join(root, f)).length, 0);
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const core = ['wasm/generated/backstop_start.wasm', 'wasm/generated/backstop_start.mjs', 'wasm/backstop.mjs'];
const pool = ['wasm/error.mjs', 'wasm/pool.mjs', 'wasm/worker.mjs', 'wasm/worker-core.mjs'];
console.log(`gzip -9: ${core.map((f) => f.split('/').pop()).join(' + ')} = ${kb(gz(core))} (raw ${kb(raw(core))})`);
console.log(`gzip -9: + pool and worker modules = ${kb(gz([...core, ...pool]))}`);
const lib = ['dist/web/lib/backstop-calculator.js', 'dist/web/lib/backstop_start.wasm'];
if (lib.every((f) => existsSync(join(root, f)))) {
  console.log(`gzip -9: the calculator as an embedding page loads it, ${lib.map((f) => f.split('/').pop()).join(' + ')} = ` +
    `${kb(gz(lib))} (raw ${kb(raw(lib))})`);
}

// --builds DIR,DIR,...: the same scenario on other builds of the module (each DIR holding a
// backstop_core.mjs and .wasm, e.g. from cmake -B with other flags; or the path of a glue .mjs
// with its .wasm beside it, e.g. wasm/generated/backstop_start.mjs), alternating runs, best of 5.
const builds = arg('--builds', '');
if (builds) {
  const runs = [];
  for (const entry of builds.split(',')) {
    const glue = entry.endsWith('.mjs') ? resolve(entry) : resolve(entry, 'backstop_core.mjs');
    const dir = glue.replace(/\.mjs$/, '.wasm');  // named by its .wasm below
    const { default: factory } = await import(glue);
    const compiled = await WebAssembly.compile(readFileSync(dir));
    const m = await factory({
      instantiateWasm(imports, receive) {
        WebAssembly.instantiate(compiled, imports).then((i) => receive(i, compiled));
        return {};
      },
    });
    m.call('simulate', text, JSON.stringify({ paths: Math.max(50, Math.round(paths / 10)), seed: 99 }));  // warm-up
    runs.push({ dir, m, times: [], size: readFileSync(dir).length });
  }
  for (let rep = 0; rep < 5; ++rep) {
    for (const r of runs) {
      t = performance.now();
      const out = JSON.parse(r.m.call('simulate', text, JSON.stringify({ paths })));
      r.times.push((performance.now() - t) / 1000);
      r.p = out.result.depletion_probability.estimate;
    }
  }
  const base = Math.min(...runs[0].times);
  for (const r of runs) {
    const best = Math.min(...r.times);
    console.log(`${r.dir}: best ${best.toFixed(3)} s (${(best / base).toFixed(2)}x the first), P = ${r.p}, ` +
      `wasm ${kb(r.size)} raw, ${kb(gzipSync(readFileSync(r.dir), { level: 9 }).length)} gzipped`);
  }
}
