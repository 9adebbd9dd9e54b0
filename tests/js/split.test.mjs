// The two wasm modules (wasm/CMakeLists.txt): the start module runs what the calculator needs at
// load and in its runs; the full module is loaded on the first call of any other command, once,
// and gives the same results a single module gave (the report is the CLI's text).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Backstop, createBackstop } from '../../wasm/backstop.mjs';
import { loadCore } from '../../wasm/load-core.mjs';
import { readJson } from './golden.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const DEFAULT = join(ROOT, 'scenarios/default.json');
const scenario = readJson(DEFAULT);
// Linear long: bankruptcy at entry - collateral/quantity = 90 (tests/js/position.test.mjs).
const POSITION = { maintenance_margin_rate: 0.005, position: { side: 'long', quantity: 1, entry_price: 100, collateral: 10 } };

test('the start module lists only the calculator\'s commands; the full module every command', async () => {
  const start = await loadCore('start'), full = await loadCore('full');
  assert.deepEqual(start.commands().split(',').sort(), ['names', 'policy', 'simulate', 'stress', 'validate']);
  const all = full.commands().split(',');
  for (const c of ['position', 'ruin', 'size', 'replay', 'sweep', 'calibrate', 'report', ...start.commands().split(',')]) assert.ok(all.includes(c), c);
});

test('the full module is loaded on the first call of a command the start module lacks, once', async () => {
  let loads = 0;
  const bs = new Backstop(await loadCore('start'), () => { ++loads; return loadCore('full'); });
  const stress = bs.stress(scenario);
  bs.validate(scenario);
  bs.policy(scenario);
  assert.equal(loads, 0, 'start commands run without it');
  // Two exports at once, then a third: one load.
  const [a, b] = await Promise.all([bs.report('stress', stress, { input: scenario }), bs.report('stress', stress, { input: scenario })]);
  await bs.report('stress', stress, { input: scenario, format: 'csv', table: 'events' });
  assert.equal(loads, 1);
  assert.equal(a, b);
  // The CLI writes the same text for the same result (a second implementation of the writer path).
  const cli = execFileSync(join(ROOT, 'build/native/cli/backstop'), ['stress', DEFAULT, '-f', 'markdown'], { encoding: 'utf8' });
  assert.equal(a, cli);
});

test('a failed load of the full module rejects the call and a later call retries', async () => {
  let loads = 0;
  const bs = new Backstop(await loadCore('start'), async () => {
    if (++loads === 1) throw new Error('network down');
    return loadCore('full');
  });
  await assert.rejects(bs.position(POSITION), /network down/);
  assert.equal((await bs.position(POSITION)).bankruptcy_price, 90);
  assert.equal(loads, 2);
});

test('createBackstop() runs the start module; `call` is synchronous for its commands and a promise for the others', async () => {
  const bs = await createBackstop();
  assert.equal(typeof bs.call('stress', scenario).events, 'object');
  const p = bs.call('position', POSITION);
  assert.ok(p instanceof Promise);
  assert.equal((await p).bankruptcy_price, 90);
});
