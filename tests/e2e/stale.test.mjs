// Stale results: after an edit the numbers on screen belong to the previous inputs until the
// new run's first result arrives; while the inputs are invalid they stay marked (issue 20).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openBrowser, shots } from './browser.mjs';

const calc = 'backstop-calculator';
let b;
before(async () => { b = await openBrowser(); });
after(async () => { await b?.close(); });

/** What the element shows about staleness: its attributes, the marked region and the badge. */
const marking = (page) => page.evaluate(() => {
  const el = document.querySelector('backstop-calculator');
  const r = el.shadowRoot;
  const results = r.querySelector('.results');
  const badge = r.querySelector('#stale');
  const v = r.querySelector('#p-depletion .v');
  return {
    state: el.getAttribute('state'),
    stale: el.hasAttribute('stale'),
    cls: results?.className.trim() ?? null,
    opacity: results ? Number(getComputedStyle(results).opacity) : null,
    badge: badge && badge.offsetParent !== null ? badge.textContent.trim() : null,
    finalBadge: !!r.querySelector('.badge.final'),
    strike: v ? getComputedStyle(v).textDecorationLine : null,
    markdownEnabled: !r.querySelector('#copy-md')?.disabled,
  };
});

test('a bad mark price marks the old result stale until a valid run completes', async () => {
  const { page, url } = b;
  await page.goto(url + 'index.html');
  await page.waitForSelector(`${calc}[state="done"]`, { timeout: 60000 });
  const clear = { state: 'done', stale: false, cls: 'results', opacity: 1, badge: null, finalBadge: true, strike: 'none', markdownEnabled: true };
  assert.deepEqual(await marking(page), clear);

  await page.fill(`${calc} #f-market-mark_price`, '-5');
  await page.waitForSelector(`${calc}[state="invalid"]`, { timeout: 5000 });
  const bad = await marking(page);
  assert.equal(bad.stale, true, 'stale attribute while the inputs are invalid');
  assert.match(bad.cls, /\bstale\b/);
  assert.match(bad.cls, /\binvalid\b/);
  assert.ok(bad.opacity < 0.6, `dimmed (opacity ${bad.opacity})`);
  assert.equal(bad.badge, 'Out of date', 'a visible badge says so');
  assert.equal(bad.finalBadge, false, 'no "Monte Carlo" badge over numbers of other inputs');
  assert.equal(bad.strike, 'line-through');
  assert.equal(bad.markdownEnabled, false, 'no export of numbers that do not match the inputs');
  assert.match(await page.textContent(`${calc} .status`), /previous inputs: fix the highlighted inputs/);
  await page.screenshot({ path: join(shots, 'stale-invalid.png') });

  // A valid edit: pending (still marked) until the run's first result, then clear.
  await page.fill(`${calc} #f-market-mark_price`, '61000');
  const pending = await marking(page);
  assert.equal(pending.state, 'pending');
  assert.equal(pending.stale, true);
  assert.equal(pending.badge, 'Out of date');
  await page.waitForSelector(`${calc}[state="done"]`, { timeout: 60000 });
  assert.deepEqual(await marking(page), clear);
});
