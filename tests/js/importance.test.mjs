// Importance sampling and runs to a precision through the JS API: the options reach the core,
// a precision run stops at a batch boundary with the target met, and a pool of workers gives
// the single call's result bit for bit (the stopping rule looks at whole batches in path order).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createBackstop, createPool, BackstopError } from '../../wasm/backstop.mjs';
import { readJson } from './golden.mjs';

const bs = await createBackstop();
const pool = createPool(2);
after(() => pool.terminate());
const tail = readJson(new URL('../../bench/scenarios/tail-gbm-1e-4.json', import.meta.url));

test('{importance: "auto"} weights the paths; "off" is plain Monte Carlo with effective_paths = paths', async () => {
  const is = await bs.simulate(tail, { paths: 2000, importance: 'auto' });
  assert.equal(is.depletion_probability.method, 'importance_sampling');
  // Closed form 1e-4 (bench/scenarios/tail-gbm-1e-4.json): within 4 SE of the weighted estimate.
  const [lo, hi] = is.depletion_probability.ci95;
  const se = (hi - lo) / (2 * 1.959963984540054);
  assert.ok(Math.abs(is.depletion_probability.estimate - 1e-4) <= 4 * se, JSON.stringify(is.depletion_probability));
  const plain = await bs.simulate(tail, { paths: 2000, importance: 'off' });
  assert.equal(plain.depletion_probability.method, 'plain');
  assert.equal(plain.depletion_probability.effective_paths, 2000);
});

test('{precision: 0.15}: whole batches until the target, the same on a 2-worker pool', async () => {
  const options = { paths: 1000, importance: 'auto', precision: 0.15 };
  const fractions = [];
  const alone = await bs.simulate(tail, options);
  const pooled = await bs.simulate(tail, { ...options, pool, onProgress: (f) => fractions.push(f) });
  assert.deepEqual(pooled, alone);
  assert.equal(alone.paths % 2000, 0);
  assert.ok(alone.depletion_probability.relative_error <= 0.15, JSON.stringify(alone.depletion_probability));
  assert.ok(!('precision_reached' in pooled));
  assert.equal(fractions.at(-1), 1);
  // The core's own loop (one call, batches in path order) stops at the same batch.
  assert.deepEqual(alone, bs.call('simulate', tail, options));
});

test('a precision run aborted while it runs rejects, and the next run gives the same answer', async () => {
  const options = { paths: 1000, importance: 'auto', precision: 0.05 };
  const controller = new AbortController();
  const aborted = bs.simulate(tail, {
    ...options, pool, signal: controller.signal, onProgress: (f) => { if (f > 0.001) controller.abort(); },
  });
  await assert.rejects(aborted, (e) => e instanceof BackstopError && e.code === 'cancelled');
  const again = await bs.simulate(tail, { ...options, pool });
  assert.deepEqual(again, bs.call('simulate', tail, options));
});

test('bad importance and precision options name the option', async () => {
  await assert.rejects(bs.size(tail, { importance: 'sometimes' }),
    (e) => e instanceof BackstopError && e.pointer === '/options/importance' && /sometimes/.test(e.message));
  await assert.rejects(bs.size(tail, { precision: 0 }),
    (e) => e instanceof BackstopError && e.pointer === '/options/precision' && /got 0/.test(e.message));
});
