// The worker pool in headless Chromium: module Web Workers under a strict CSP give results
// identical to the page thread, and the 2-worker speed-up on the benchmark scenario.
// BENCH_PATHS=2000 node --test tests/e2e/pool.test.mjs prints the full-size measurement.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser } from './browser.mjs';

let b;
before(async () => { b = await openBrowser(); });
after(async () => { await b?.close(); });

test('pool-bench page: 1 and 2 workers identical to the page thread; speed-up reported', { timeout: 600000 }, async () => {
  const paths = Number(process.env.BENCH_PATHS || 400);
  const repeats = Number(process.env.BENCH_REPEATS || 1);
  await b.page.goto(`${b.url}pool-bench.html?paths=${paths}&repeats=${repeats}`);
  await b.page.waitForSelector('body[data-done="true"]', { timeout: 600000 });
  const r = await b.page.evaluate(() => window.poolBench);
  assert.equal(r.error, undefined, r.error);
  assert.equal(r.identical1, true);
  assert.equal(r.identical2, true);
  assert.ok(r.speedup > 0);
  console.log(`# chromium pool bench: ${JSON.stringify(r)}`);
  assert.deepEqual(b.consoleErrors, []);
});
