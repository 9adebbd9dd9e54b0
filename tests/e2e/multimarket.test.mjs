// The calculator on the multi-market presets (docs/model.md#several-markets-one-fund): a
// multi-market scenario (its markets listed, one market's inputs at a time, a per-market
// breakdown, the core's analytic fit over all markets, only fund parameters to sweep) and a fund
// held partly in the venue's token (its composition shown).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openBrowser, shots, analyticPanel, analyticExpected } from './browser.mjs';

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
  await page.evaluate(() => document.querySelector('backstop-calculator').addEventListener('result', (e) => { window.__result = e.detail.result; }));
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

test('the analytic panel of a multi-market run is the core\'s fit over all markets (result.analytic)', async () => {
  const { page } = b;
  const an = await page.evaluate(() => window.__result.analytic);
  const method = await page.evaluate(() => window.__result.depletion_probability.method);
  if (method === 'importance_sampling') {
    // The fit reads the plain (defensive) component's paths only: whole paths of 30 days, a share of the 4,000.
    assert.equal(an.fit.days_observed % 30, 0, 'whole paths');
    assert.ok(an.fit.days_observed >= 0.1 * 4000 * 30 && an.fit.days_observed < 4000 * 30, String(an.fit.days_observed));
  } else {
    assert.equal(an.fit.days_observed, 4000 * 30, 'one fit over every path-day of the pooled fund');
  }
  const panel = await analyticPanel(page);
  const want = analyticExpected(an);
  for (const [key, value] of Object.entries(want)) assert.equal(panel[key].value, value == null ? '' : String(value), key);
  // Five alt markets' bad debt outpaces the fee income: negative loading, ruin certain, no surplus.
  assert.ok(want.loading < 0);
  assert.equal(want.psi, 1);
  assert.equal(panel.psi.text, '100.0 %');
  assert.equal(panel.required_surplus.text, '—');
  assert.match(await page.textContent(`${calc} #analytic + .note`), /ruin is certain/);
});

test('a market picked in a multi-market scenario has its own inputs, and editing one moves its numbers', async () => {
  const { page } = b;
  await page.selectOption(`${calc} #preset`, 'alts-pooled');
  await settle(page);
  await page.evaluate(() => {
    window.__results = [];
    document.querySelector('backstop-calculator').addEventListener('result', (e) => window.__results.push(e.detail.result));
  });
  await page.selectOption(`${calc} #market-pick`, '1');
  const oi = `${calc} #f-markets-1-book-open_interest`;
  assert.equal(await page.inputValue(oi), '300');  // XRP-USDT: 3e8 shown in M
  assert.equal(await page.inputValue(`${calc} #f-markets-1-price_model-daily_volatility`), '4.5');
  await page.fill(oi, '100');
  await page.waitForFunction(() => window.__results.length === 1, null, { timeout: 120000 });
  await page.fill(oi, '900');
  await page.waitForFunction(() => window.__results.length === 2, null, { timeout: 120000 });
  const [low, after] = await page.evaluate(() => window.__results);
  const before = low.markets[1];
  assert.equal(after.markets[1].open_interest, 9e8);
  assert.equal(after.markets[0].open_interest, 6e8, 'the other markets are untouched');
  assert.ok(after.markets[1].bad_debt.mean > before.bad_debt.mean, 'nine times the OI, more bad debt');
  assert.match(await page.textContent(`${calc} #markets-list`), /XRP-USDT\s*900/);
  // A bad value is named at that market's field.
  await page.fill(oi, '-5');
  await page.waitForSelector(`${calc}[state="invalid"]`, { timeout: 5000 });
  assert.equal(await page.getAttribute(oi, 'aria-invalid'), 'true');
  assert.deepEqual(b.consoleErrors, []);
});

test('the token-fund preset shows what the fund is held in', async () => {
  const { page } = b;
  await page.selectOption(`${calc} #preset`, 'token-fund');
  await settle(page);
  assert.match(await page.textContent(`${calc} #fund-composition`), /50 % token/);
  assert.match(await page.textContent(`${calc} #fund-treasury`), /2\.0 M that governance can release after 7 days/);
  assert.deepEqual(b.consoleErrors, []);
});
