// The calculator on the SPEC §14 presets: a multi-market scenario (its markets listed, the
// single-market inputs hidden, a per-market breakdown, only fund parameters to sweep) and a
// fund held partly in the venue's token (its composition shown).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openBrowser, shots } from './browser.mjs';

const calc = 'backstop-calculator';
let b;
before(async () => {
  b = await openBrowser();
  await b.page.goto(b.url + 'index.html');
  await b.page.waitForSelector(`${calc}[state="done"]`, { timeout: 60000 });
});
after(async () => { await b?.close(); });

const settle = async (page) => {
  await page.waitForSelector(`${calc}[state="quick"], ${calc}[state="running"]`);
  await page.waitForSelector(`${calc}[state="done"]`, { timeout: 120000 });
};

test('the pooled alt-markets preset: markets listed, per-market breakdown, fund parameters to sweep', async () => {
  const { page } = b;
  await page.selectOption(`${calc} #preset`, 'alts-pooled');
  await settle(page);
  assert.equal(await page.locator(`${calc} #markets-list tbody tr`).count(), 5);
  assert.equal(await page.$(`${calc} #f-market-mark_price`), null, 'no single-market inputs');
  assert.ok(await page.$(`${calc} #f-fund-balance`), 'the fund policy stays editable');
  assert.equal(await page.locator(`${calc} #per-market tbody tr`).count(), 5);
  assert.match(await page.textContent(`${calc} #per-market`), /SOL-USDT[\s\S]*LINK-USDT/);
  const offered = await page.locator(`${calc} #sweep-param option`).evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(offered, ['/policy/penalty/rate', '/fund/fee_share']);
  const md = await page.evaluate(() => document.querySelector('backstop-calculator').toMarkdown());
  assert.match(md, /\| Markets \| SOL-USDT, XRP-USDT, DOGE-USDT, AVAX-USDT, LINK-USDT \|/);
  await page.screenshot({ path: join(shots, 'widget-multimarket.png'), fullPage: true });
});

test('the token-fund preset shows what the fund is held in', async () => {
  const { page } = b;
  await page.selectOption(`${calc} #preset`, 'token-fund');
  await settle(page);
  assert.match(await page.textContent(`${calc} #fund-composition`), /50 % token/);
  assert.match(await page.textContent(`${calc} #fund-treasury`), /2\.0 M that governance can release after 7 days/);
  assert.deepEqual(b.consoleErrors, []);
});
