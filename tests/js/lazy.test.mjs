// web/widget/lazy.js: the chunk loader shares one import between callers, and forgets a failure
// so that the next action retries (a page that went offline once is not broken for good).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lazy } from '../../web/widget/lazy.js';

test('lazy: one load for concurrent and later callers', async () => {
  let calls = 0;
  const get = lazy('thing', async () => { calls += 1; return { n: calls }; });
  const [x, y] = await Promise.all([get(), get()]);
  assert.equal(x, y);
  assert.equal(await get(), x);
  assert.equal(calls, 1);
});

test('lazy: a failure names what and why, is shared by the callers waiting, and the next call retries', async () => {
  let calls = 0;
  const get = lazy('preset scenarios', async () => {
    calls += 1;
    if (calls === 1) throw new TypeError('Failed to fetch dynamically imported module');
    return 'loaded';
  });
  const both = await Promise.allSettled([get(), get()]);
  assert.deepEqual(both.map((r) => r.status), ['rejected', 'rejected']);
  assert.equal(both[0].reason.message, 'the preset scenarios could not be loaded (Failed to fetch dynamically imported module); try again');
  assert.ok(both[0].reason.cause instanceof TypeError);
  assert.equal(calls, 1);
  assert.equal(await get(), 'loaded');
  assert.equal(await get(), 'loaded');
  assert.equal(calls, 2);
});
