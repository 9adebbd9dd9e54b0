// The wasm build against the native CLI's committed outputs (tests/golden/, written by
// scripts/update-golden; the same files the GoogleTest suite checks): single call and a
// pool of 2 and 4 workers. Also: any number of workers gives bit-identical results.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createBackstop, createPool } from '../../wasm/backstop.mjs';
import { fixtures, assertClose, readJson } from './golden.mjs';

const bs = await createBackstop();
const pools = { 2: createPool(2), 4: createPool(4) };
after(() => Object.values(pools).forEach((p) => p.terminate()));

for (const f of fixtures()) {
  const name = `${f.command} ${f.input.replace(/.*\/(tests|scenarios)\//, '$1/')}`;
  const scenario = readFileSync(f.input, 'utf8');
  const expected = readJson(f.expected);
  if (f.command === 'sweep') {
    test(`${name}: wasm sweep equals native, alone and on a 2-worker pool`, async () => {
      const fractions = [];
      const alone = await bs.sweep(scenario, { onProgress: (p) => fractions.push(p) });
      assertClose(alone, expected);
      assert.deepEqual(await bs.sweep(scenario, { pool: pools[2] }), alone);
      assert.equal(fractions.at(-1), 1);
      assert.ok(fractions.every((p, i) => i === 0 || p >= fractions[i - 1]));
    });
    continue;
  }
  if (f.command === 'stress') {
    test(`${name}: wasm equals native`, () => assertClose(bs.stress(scenario), expected));
    continue;
  }
  test(`${name}: wasm single call equals native`, async () => {
    assertClose(await bs.simulate(scenario), expected);
  });
  for (const n of [2, 4]) {
    test(`${name}: ${n}-worker pool equals native and the single call bit for bit`, async () => {
      const fractions = [];
      const pooled = await bs.simulate(scenario, { pool: pools[n], onProgress: (p) => fractions.push(p) });
      assertClose(pooled, expected);
      assert.deepEqual(pooled, await bs.simulate(scenario));
      assert.equal(fractions.length, n * 8);
      assert.equal(fractions.at(-1), 1);
      assert.ok(fractions.every((p, i) => i === 0 || p > fractions[i - 1]));
    });
  }
}

test('workers option without a pool: 1, 2 and 4 workers give identical results', async () => {
  const scenario = readJson(new URL('../golden/sim-merton-cascade.json', import.meta.url));
  const one = await bs.simulate(scenario, { workers: 1, paths: 300, seed: 5 });
  assert.deepEqual(await bs.simulate(scenario, { workers: 2, paths: 300, seed: 5 }), one);
  assert.deepEqual(await bs.simulate(scenario, { workers: 4, paths: 300, seed: 5 }), one);
  assert.equal(one.paths, 300);
  assert.equal(one.seed, 5);
});

test('size equals the required_fund of simulate', async () => {
  const scenario = readJson(new URL('../golden/sim-gbm.json', import.meta.url));
  const full = await bs.simulate(scenario);
  const size = await bs.size(scenario);
  assert.equal(size.amount, full.required_fund.amount);
  assert.deepEqual(size.curve, full.curve);
});
