import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openBrowser, shots } from './browser.mjs';

let b;
before(async () => { b = await openBrowser(); });
after(async () => { await b?.close(); });

test('position page computes both prices in the browser', async () => {
  const { page, url } = b;
  await page.goto(url + 'position.html');
  await page.waitForSelector('body[data-ready="true"]');
  // Linear long, entry 100, q 1, collateral 10, mmr 0.5 %: bankruptcy 90, liquidation 90/0.995.
  assert.equal(await page.textContent('#bankruptcy'), '90');
  assert.equal(await page.textContent('#liquidation'), (90 / 0.995).toLocaleString('en-US', { maximumFractionDigits: 6 }));
  await page.fill('input[name="collateral"]', '20');
  assert.equal(await page.textContent('#bankruptcy'), '80');
  await page.screenshot({ path: join(shots, 'position.png') });
});

test('bad input shows the field and value, no crash', async () => {
  const { page } = b;
  await page.fill('input[name="quantity"]', '-3');
  const err = await page.textContent('#error');
  assert.match(err, /\/position\/quantity: must be a positive finite number, got -3/);
  assert.equal(await page.getAttribute('input[name="quantity"]', 'aria-invalid'), 'true');
  assert.equal(await page.textContent('#bankruptcy'), '—');
  await page.fill('input[name="quantity"]', '1');
  assert.equal(await page.textContent('#error'), '');
  assert.deepEqual(b.consoleErrors, []);
});
