#!/usr/bin/env node
// Wall time of a run to a precision through the JS API on a pool of 2 workers, several builds
// side by side (alternating, best of R): the cost of the loop around the batches (merging the
// records and checking the stopping rule each batch), not only the paths. The scenario's cap
// (max_paths) ends the run when the target is out of reach, so every build runs the same batches.
//   node bench/precision-loop.mjs --dirs DIR,DIR [--scenario FILE] [--max-paths N] [--repeats R]
// Each DIR is a checkout with its wasm built (wasm/backstop.mjs, wasm/generated/).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { cpus, loadavg } from 'node:os';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const dirs = arg('--dirs', root).split(',').map((d) => resolve(d));
const scenarioFile = resolve(arg('--scenario', join(root, 'bench/scenarios/default-1e-4.json')));
const scenario = JSON.parse(readFileSync(scenarioFile, 'utf8'));
scenario.simulation.max_paths = Number(arg('--max-paths', 40000));
const repeats = Number(arg('--repeats', 3));

const builds = [];
for (const dir of dirs) {
  const api = await import(pathToFileURL(join(dir, 'wasm/backstop.mjs')).href);
  builds.push({ dir, bs: await api.createBackstop(), pool: api.createPool(2), best: Infinity, result: null });
}
console.log(`machine: ${cpus().length} cores, ${cpus()[0]?.model}; node ${process.version}; load ${loadavg()[0].toFixed(1)}`);
console.log(`scenario: ${scenarioFile.replace(root + '/', '')}, precision ${scenario.simulation.target_relative_error}, cap ${scenario.simulation.max_paths} paths, pool of 2`);
for (let r = 0; r < repeats; ++r) {
  for (const b of builds) {
    const t = performance.now();
    b.result = await b.bs.simulate(scenario, { pool: b.pool });
    b.best = Math.min(b.best, (performance.now() - t) / 1000);
  }
}
for (const b of builds) {
  const d = b.result.depletion_probability;
  console.log(`${b.dir}: best ${b.best.toFixed(2)} s, ${b.result.paths} paths, P ${d.estimate.toExponential(3)} ±${(100 * d.relative_error).toFixed(1)} %`);
  b.pool.terminate();
}
const same = builds.every((b) => JSON.stringify(b.result) === JSON.stringify(builds[0].result));
console.log(`same result: ${same}; time ratio ${builds.map((b) => (b.best / builds[0].best).toFixed(2)).join(' : ')}`);
