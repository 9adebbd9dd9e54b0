// simulate without workers: the calling thread computes in slices, one event-loop task each, so
// an abort takes effect within a slice, progress fires as it goes, timers keep running, and the
// merged result is the single call's to the last digit. Options this build cannot honour are
// invalid_input naming the option, never internal.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createBackstop, BackstopError } from '../../wasm/backstop.mjs';
import { root, readJson } from './golden.mjs';

const scenario = readJson(join(root, 'scenarios/default.json'));
let bs;
before(async () => { bs = await createBackstop(); });

test('an abort 50 ms into a 100,000-path run rejects with cancelled within a slice, not after the run', async () => {
  const controller = new AbortController();
  let abortedAt = 0, progress = 0;
  setTimeout(() => { abortedAt = performance.now(); controller.abort(); }, 50);
  const started = performance.now();
  const error = await bs.simulate(scenario, { paths: 100000, signal: controller.signal, onProgress: () => ++progress })
    .then(() => null, (e) => e);
  // From when the abort was due: a slice that had started must finish first.
  const after = performance.now() - (started + 50);
  assert.ok(error instanceof BackstopError, `rejected with ${error}`);
  assert.equal(error.code, 'cancelled');
  assert.ok(abortedAt > 0, 'the abort timer ran while simulate was in progress');
  // A slice lasts ~100 ms (more on a loaded machine); the whole run takes minutes in one call.
  console.log(`# rejected ${after.toFixed(0)} ms after the abort was due (it ran ${(abortedAt - started).toFixed(0)} ms in; ${progress} progress calls)`);
  assert.ok(after < 5000, `rejected ${after.toFixed(0)} ms after the abort`);
});

test('progress fires per slice, timers run between slices, and the result is the single call\'s', async () => {
  const fractions = [];
  let ticks = 0;
  const timer = setInterval(() => ++ticks, 1);
  const r = await bs.simulate(scenario, { paths: 1500, seed: 11, onProgress: (f) => fractions.push(f) });
  clearInterval(timer);
  assert.ok(fractions.length > 1, `progress fired ${fractions.length} time(s)`);
  assert.deepEqual(fractions, [...fractions].sort((a, b) => a - b), 'progress never goes back');
  assert.equal(fractions.at(-1), 1);
  assert.ok(ticks > 1, `a 1 ms timer ran ${ticks} time(s) during the run`);
  assert.deepEqual(r, bs.call('simulate', scenario, { paths: 1500, seed: 11 }));
});

test('threads > 1 (no threads in this build) and unknown options are invalid_input naming the option', async () => {
  for (const [options, pointer] of [[{ threads: 2 }, '/options/threads'], [{ path: 100 }, '/options/path'], [{ workerz: 2 }, '/options/workerz']]) {
    await assert.rejects(bs.simulate(scenario, options), (e) => {
      assert.equal(e.code, 'invalid_input', e.message);
      assert.equal(e.pointer, pointer);
      assert.match(e.message, new RegExp(pointer.split('/').at(-1)));
      return true;
    });
  }
  await assert.rejects(bs.size(scenario, { threads: 4 }), (e) => e.code === 'invalid_input' && e.pointer === '/options/threads');
  await assert.rejects(bs.sweep({ ...scenario, sweep: { parameter: '/fund/fee_share', values: [0, 0.1] } }, { threads: 3 }),
    (e) => e.code === 'invalid_input' && e.pointer === '/options/threads');
  // threads: 1 is what the build does: accepted.
  assert.equal((await bs.simulate(scenario, { threads: 1, paths: 20 })).paths, 20);
});
