// Permalinks in the browser: the links written before compression (tests/golden/permalinks)
// open to the same numbers as the compressed link the page writes for them, and a link whose
// patch makes the scenario invalid opens to a field error, a corrupt one to a message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { openBrowser, root } from './browser.mjs';
import { PRESETS } from '../js/preset-catalog.mjs';
import { presetVersion, canonical } from '../../web/widget/permalink.js';

const calc = 'backstop-calculator';
const FIXTURES = readdirSync(join(root, 'tests/golden/permalinks')).sort()
  .map((f) => ({ file: f, ...JSON.parse(readFileSync(join(root, 'tests/golden/permalinks', f), 'utf8')) }));

let b;
before(async () => { b = await openBrowser(); });
after(async () => { await b?.close(); });

/** The numbers on screen: the headline values and, in A/B mode, the comparison table's text. */
const numbers = (page) => page.evaluate(() => {
  const r = document.querySelector('backstop-calculator').shadowRoot;
  return {
    headline: ['p-depletion', 'required-fund', 'p-adl'].map((id) => r.querySelector(`#${id} .v`).dataset.value),
    compare: r.querySelector('#compare-table')?.textContent ?? null,
  };
});

const open = async (page, url) => {
  await page.goto('about:blank');
  await page.goto(url);
  await page.waitForSelector(`${calc}[state="done"]`, { timeout: 90000 });
};

/** The scenarios the element loaded, as canonical JSON (key order aside), and the fragment. */
const loaded = async (page) => {
  const got = await page.evaluate(async () => {
    const el = document.querySelector('backstop-calculator');
    await el.permalinkReady;
    return { a: el._a.scenario, b: el._b?.scenario ?? null, hash: location.hash };
  });
  return { a: canonical(got.a), b: got.b && canonical(got.b), hash: got.hash };
};
const canon = (v) => v && canonical(v);

for (const fx of FIXTURES) {
  test(`a link written before compression loads its scenarios, and so does the link the page rewrites: ${fx.file}`, async () => {
    const { page, url } = b;
    await page.goto('about:blank');
    await page.goto(url + 'index.html' + fx.fragment);
    await page.waitForSelector(`${calc}[state="quick"], ${calc}[state="running"], ${calc}[state="done"]`, { timeout: 60000 });
    const old = await loaded(page);
    assert.equal(old.a, canon(fx.a));
    assert.equal(old.b, fx.b ? canon(fx.b) : null);
    assert.match(old.hash, /^#p=1\.[\w-]+$/, 'the page rewrote the link in format 1');
    assert.ok(old.hash.length * 4 < fx.fragment.length, `${old.hash.length} characters, ${fx.fragment.length} before`);
    await page.goto('about:blank');
    await page.goto(url + 'index.html' + old.hash);
    await page.waitForSelector(`${calc}[state="quick"], ${calc}[state="running"], ${calc}[state="done"]`, { timeout: 60000 });
    const now = await loaded(page);
    assert.deepEqual([now.a, now.b, now.hash], [old.a, old.b, old.hash]);
    assert.deepEqual(b.consoleErrors, []);
  });
}

test('the default link written before compression opens to the same numbers as its successor', async () => {
  const { page, url } = b;
  const fx = FIXTURES.find((f) => f.file === 'default.json');
  await open(page, url + 'index.html' + fx.fragment);
  const before = await numbers(page);
  await page.evaluate(() => document.querySelector('backstop-calculator').permalinkReady);
  const now = await page.evaluate(() => location.hash);
  await open(page, url + 'index.html' + now);
  assert.deepEqual(await numbers(page), before);
});

const zlibLink = (doc) => `#p=1.${deflateRawSync(Buffer.from(JSON.stringify(doc))).toString('base64url')}`;

test('a link whose patch makes the scenario invalid opens to the field error, as text', async () => {
  const { page, url } = b;
  const doc = { a: { preset: 'default', version: presetVersion(PRESETS.default), patch: { name: '<img src=x onerror=window.__xss=1>', market: { mark_price: -5 } } } };
  await page.goto('about:blank');
  await page.goto(url + 'index.html' + zlibLink(doc));
  await page.waitForSelector(`${calc}[state="invalid"]`, { timeout: 30000 });
  assert.match(await page.textContent(`${calc} #f-market-mark_price-msg`), /-5/);
  assert.equal(await page.getAttribute(`${calc} #f-market-mark_price`, 'aria-invalid'), 'true');
  assert.match(await page.textContent(`${calc} header h2`), /<img src=x onerror/);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.equal(await page.$(`${calc} >> img[src=x]`), null);
  assert.deepEqual(b.consoleErrors, []);
});

test('a corrupt link shows why, as text, and the default scenario', async () => {
  const { page, url } = b;
  await page.goto('about:blank');
  await page.goto(url + 'index.html#p=1.' + deflateRawSync(Buffer.from('{"a":{"scenario":{}}}')).toString('base64url').slice(0, -4));
  await page.waitForSelector(`${calc}[state="done"]`, { timeout: 90000 });
  assert.match(await page.textContent(`${calc} .errors[role=alert]`), /The link's scenario could not be read \(the link is truncated or not deflate data\); showing the default instead\./);
  assert.equal(await page.$eval(`${calc} #required-fund .v`, (e) => Number(e.dataset.value) > 0), true);
  assert.deepEqual(b.consoleErrors, []);
});
