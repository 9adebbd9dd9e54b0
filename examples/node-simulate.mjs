// Written as a newcomer would from the README's "JavaScript" section: load the module,
// simulate a preset scenario, print the depletion probability. It must print the same
// number as `build/native/cli/backstop simulate scenarios/default.json` (same seed).
//   node examples/node-simulate.mjs [scenario.json] [--workers N]
import { readFileSync } from 'node:fs';
import { createBackstop, BackstopError } from '@backstop-risk/backstop';  // the package's own name (self-reference)

const file = process.argv.slice(2).find((a) => !a.startsWith('--') && !/^\d+$/.test(a)) ??
  new URL('../scenarios/default.json', import.meta.url);
const w = process.argv.indexOf('--workers');
const workers = w > 0 ? Number(process.argv[w + 1]) : 2;

const bs = await createBackstop();  // reads backstop_start.wasm from disk in Node
const scenario = JSON.parse(readFileSync(file, 'utf8'));
try {
  const r = await bs.simulate(scenario, {
    workers,
    onProgress: (f) => process.stderr.write(`\r${(100 * f).toFixed(0)} %`),
  });
  process.stderr.write('\n');
  console.log(`depletion probability: ${r.depletion_probability.estimate} ` +
    `(95 % CI ${r.depletion_probability.ci95.join(' to ')}, ${r.paths} paths, seed ${r.seed})`);
} catch (e) {
  if (!(e instanceof BackstopError)) throw e;
  console.error(`${e.code}: ${e.message}`);
  process.exitCode = 2;
}
