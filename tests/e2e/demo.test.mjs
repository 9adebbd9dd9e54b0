// The demo pages: exchange transparency page (compact widgets fed by page numbers), the
// governance post (embed.html in an iframe with an A/B permalink), all under the strict CSP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openBrowser, shots } from './browser.mjs';
import { linkState } from '../js/preset-catalog.mjs';

let b;
const foreign = [];
before(async () => {
  b = await openBrowser();
  await b.context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => { (window.__csp ||= []).push(`${e.violatedDirective} ${e.blockedURI}`); });
  });
  b.context.on('request', (r) => { if (!r.url().startsWith(b.url) && !/^(blob|data):/.test(r.url())) foreign.push(r.url()); });
});
after(async () => { await b?.close(); });

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:";

for (const name of ['index', 'embed', 'exchange-demo', 'governance-demo']) {
  test(`${name}.html carries the strict CSP and the favicon`, async () => {
    const { page, url } = b;
    await page.goto(url + name + '.html');
    assert.equal(await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content'), CSP);
    assert.match(await page.getAttribute('link[rel="icon"]', 'href'), /favicon/);
  });
}

test('exchange demo: compact widgets show results for the page-provided numbers', async () => {
  const { page, url } = b;
  await page.goto(url + 'exchange-demo.html');
  await page.waitForSelector('#w-btc[state="done"]', { timeout: 60000 });
  await page.waitForSelector('#w-eth[state="done"]', { timeout: 60000 });
  assert.equal(await page.textContent('#total-balance'), '$76.5M');
  for (const id of ['w-btc', 'w-eth']) {
    assert.equal(await page.getAttribute(`#${id}`, 'mode'), 'compact');
    assert.equal(await page.$(`#${id} .inputs`), null, 'no inputs in compact mode');
    assert.match(await page.textContent(`#${id} #p-depletion .v`), /%$/);
    assert.ok(await page.$(`#${id} #curve canvas`));
    assert.match(await page.getAttribute(`#${id} .foot a`, 'href'), /index\.html#p=1\.[\w-]+$/);
  }
  // The page's numbers reached the model: the ETH fund balance shows in the widget.
  assert.match(await page.textContent('#w-eth #p-adl .d'), /fund 14\.5 M/);
  // "Open in the full calculator" reproduces the widget's numbers.
  const href = await page.getAttribute('#w-eth .foot a', 'href');
  const want = await page.getAttribute('#w-eth #required-fund .v', 'data-value');
  await page.screenshot({ path: join(shots, 'exchange-demo.png'), fullPage: true });
  const full = await b.context.newPage();
  await full.goto(href);
  await full.waitForSelector('backstop-calculator[state="done"]', { timeout: 60000 });
  assert.equal(await full.getAttribute('backstop-calculator #required-fund .v', 'data-value'), want);
  await full.close();
  assert.deepEqual(await page.evaluate(() => window.__csp ?? []), []);
});

test('governance demo: the iframe shows current vs proposed from the permalink', async () => {
  const { page, url } = b;
  await page.goto(url + 'governance-demo.html');
  const frame = page.frameLocator('#calc');
  await frame.locator('backstop-calculator[state="done"]').waitFor({ timeout: 90000 });
  const table = await frame.locator('backstop-calculator #compare-table').textContent();
  assert.match(table, /Current[\s\S]*Proposed/);
  assert.ok(await frame.locator('backstop-calculator #compare-table tr.diff').count() > 0);
  const src = await page.getAttribute('#calc', 'src');
  assert.match(src, /^\.\/embed\.html#p=1\.[\w-]+$/);
  const link = await linkState(src.slice(src.indexOf('#')));
  assert.deepEqual([link.a.fund.balance, link.b.fund.balance, link.b.fund.fee_share], [1.5e7, 4e7, 0.25]);
  assert.equal(await page.getAttribute('#permalink', 'href'), src);
  // The iframe was sized from the embed's height report.
  const h = await page.evaluate(() => document.getElementById('calc').getBoundingClientRect().height);
  assert.ok(h > 600, `iframe height ${h}`);
  // ... to the calculator's own height: no blank strip under it (the document's scrollHeight
  // never shrinks below the iframe, so reporting it left one).
  await page.waitForTimeout(300);
  const inner = page.frames().find((f) => f.url().includes('embed.html'));
  const content = await inner.evaluate(() => document.querySelector('backstop-calculator').getBoundingClientRect().height);
  const frameHeight = await page.evaluate(() => document.getElementById('calc').getBoundingClientRect().height);
  assert.ok(Math.abs(frameHeight - content) <= 2, `iframe ${frameHeight} px for ${content} px of calculator`);
  await page.screenshot({ path: join(shots, 'governance-demo.png'), fullPage: true });
  assert.deepEqual(await inner.evaluate(() => window.__csp ?? []), []);
  assert.deepEqual(await page.evaluate(() => window.__csp ?? []), []);
});

test('demo pages: no console errors, no requests outside the site', () => {
  assert.deepEqual(b.consoleErrors, []);
  assert.deepEqual(foreign, []);
});
