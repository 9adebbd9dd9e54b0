// The hostile-input table at the widget: typed values and scenarios no venue could have give
// a message at the field (or the scenario's errors) and an `error` event naming the field; a
// 10^12 path-step scenario is refused at once with the page responsive; the next valid edit
// still computes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import MarkdownIt from 'markdown-it';
import { openBrowser, root } from './browser.mjs';
import { NAMES, liveMarkup } from '../js/hostile-cases.mjs';

const DEFAULT = JSON.parse(readFileSync(join(root, 'scenarios/default.json'), 'utf8'));
const calc = 'backstop-calculator';
let b;
before(async () => { b = await openBrowser(); });
after(async () => { await b?.close(); });

// Sets an <input> in the shadow root as typing would (type=number inputs refuse page.fill of text).
const type = (page, id, text) => page.evaluate(([id, text]) => {
  const el = document.querySelector('backstop-calculator').shadowRoot.querySelector(`#${id}`);
  el.value = text;
  el.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  el.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}, [id, text]);

const fieldState = (page, id) => page.evaluate((id) => {
  const r = document.querySelector('backstop-calculator').shadowRoot;
  return { invalid: r.querySelector(`#${id}`).getAttribute('aria-invalid'), msg: r.querySelector(`#${id}-msg`)?.textContent ?? '' };
}, id);

const TYPED = [
  { id: 'f-market-mark_price', text: 'NaN', msg: /number/ },
  { id: 'f-market-mark_price', text: 'Infinity', msg: /number/ },
  { id: 'f-market-mark_price', text: '-60000', pointer: '/market/mark_price', msg: /> 0/ },
  { id: 'f-market-mark_price', text: '0', pointer: '/market/mark_price', msg: /> 0/ },
  { id: 'f-market-mark_price', text: '1e300', pointer: '/market/mark_price', msg: /maximum/ },
  { id: 'f-market-mark_price', text: '1e-300', pointer: '/market/mark_price', msg: /minimum/ },
  { id: 'f-book-open_interest', text: '-5', pointer: '/book/open_interest', msg: />= 0/ },
  { id: 'f-fund-balance', text: '1e300', pointer: '/fund/balance', msg: /maximum/ },
  { id: 'f-market-maintenance_margin_rate', text: '0', pointer: '/market/maintenance_margin_rate', msg: /must be in/ },
];

test('typed hostile values: a message at the field, an error event naming it, then a valid edit computes', async () => {
  const { page, url } = b;
  await page.goto(url + 'index.html');
  await page.waitForSelector(`${calc}[state="done"]`, { timeout: 60000 });
  await page.evaluate(() => {
    window.__errors = [];
    document.querySelector('backstop-calculator').addEventListener('error', (e) => window.__errors.push(e.detail));
  });
  for (const c of TYPED) {
    await page.evaluate(() => { window.__errors = []; });
    const original = await page.evaluate((id) => document.querySelector('backstop-calculator').shadowRoot.querySelector(`#${id}`).value, c.id);
    await type(page, c.id, c.text);
    await page.waitForFunction((id) => document.querySelector('backstop-calculator').shadowRoot
      .querySelector(`#${id}`).getAttribute('aria-invalid') === 'true', c.id, { timeout: 5000 });
    // Whatever the field got (not a number, out of range), the element says it cannot run.
    await page.waitForSelector(`${calc}[state="invalid"]`, { timeout: 5000 });
    const s = await fieldState(page, c.id);
    assert.equal(s.invalid, 'true', `${c.id} = ${c.text}`);
    assert.match(s.msg, c.msg, `${c.id} = ${c.text}: ${s.msg}`);
    if (c.pointer) {
      // The error event comes with the (debounced) run that the edit schedules.
      await page.waitForFunction((p) => window.__errors.some((e) => e.pointer === p), c.pointer, { timeout: 5000 });
      const last = await page.evaluate((p) => window.__errors.findLast((e) => e.pointer === p), c.pointer);
      assert.equal(last.code, 'invalid_input');
      assert.equal(last.pointer, c.pointer, JSON.stringify(last));
    }
    await type(page, c.id, original);
    await page.waitForSelector(`${calc}[state="done"]`, { timeout: 60000 });
    assert.equal((await fieldState(page, c.id)).invalid, 'false');
  }
});

test('JS NaN / Infinity set through the scenario property are named by field', async () => {
  const { page } = b;
  const errors = await page.evaluate(async (scenario) => {
    // A fresh element: index.html's calculator reads its scenario from the URL fragment.
    document.body.textContent = '';
    const el = document.createElement('backstop-calculator');
    document.body.append(el);
    el.scenario = { ...scenario, market: { ...scenario.market, mark_price: NaN }, fund: { ...scenario.fund, balance: Infinity } };
    const bad = () => [...el.shadowRoot.querySelectorAll('[aria-invalid="true"]')].map((e) => e.id);
    for (let i = 0; i < 100 && bad().length < 2; ++i) await new Promise((r) => setTimeout(r, 50));
    return bad();
  }, DEFAULT);
  assert.ok(errors.includes('f-market-mark_price'), errors.join());
  assert.ok(errors.includes('f-fund-balance'), errors.join());
});

test('a scenario asking for 10^12 path-steps is refused at once and the page stays responsive', async () => {
  const { page, url } = b;
  await page.goto(url + 'embed.html');
  await page.waitForSelector(`${calc}[state="done"]`, { timeout: 60000 });
  const r = await page.evaluate(async (scenario) => {
    const huge = { ...scenario, simulation: { ...scenario.simulation, paths: 10000000, horizon_days: 3650, steps_per_day: 28 } };
    document.body.textContent = '';
    const el = document.createElement('backstop-calculator');
    el.setAttribute('scenario', JSON.stringify(huge));
    const t0 = performance.now();
    let gap = 0, last = t0;
    // The main thread must keep turning: the longest gap between animation frames while we wait.
    const tick = () => { const n = performance.now(); gap = Math.max(gap, n - last); last = n; if (n - t0 < 1500) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    document.body.append(el);
    while (!el.shadowRoot?.textContent.includes('exceeds the limit') && performance.now() - t0 < 5000) await new Promise((res) => setTimeout(res, 20));
    const ms = performance.now() - t0;
    await new Promise((res) => setTimeout(res, 1600 - ms));
    const invalid = [...el.shadowRoot.querySelectorAll('[aria-invalid="true"]')].map((e) => e.id);
    return { ms, gap, text: el.shadowRoot.textContent, state: el.getAttribute('state'), invalid };
  }, DEFAULT);
  assert.match(r.text, /paths × steps = 10000000 × 102200 = 1022000000000 exceeds the limit/);
  assert.deepEqual(r.invalid, ['f-simulation-paths']);
  assert.ok(r.ms < 1000, `refused after ${r.ms} ms`);
  assert.ok(r.gap < 500, `longest frame gap ${r.gap} ms`);
  assert.notEqual(r.state, 'running');
});

test('a literal NaN in the scenario attribute is a readable error shown as text', async () => {
  const { page } = b;
  const text = await page.evaluate((json) => {
    document.body.textContent = '';
    const el = document.createElement('backstop-calculator');
    el.setAttribute('scenario', json.replace(/"mark_price": [0-9.e+]+/, '"mark_price": NaN'));
    document.body.append(el);
    return new Promise((res) => setTimeout(() => res(el.shadowRoot.textContent), 500));
  }, JSON.stringify(DEFAULT, null, 2));
  assert.match(text, /not valid JSON/);
  assert.equal(await page.evaluate(() => document.querySelectorAll('img').length), 0);
});

// A scenario set as a property after start replaces the one in the URL fragment (permalink mode),
// so its name, not the preset's, reaches the exports.
test('hostile names stay inert in the widget\'s Markdown export and read back from its CSV', async () => {
  const { page, url } = b;
  await page.goto(url + 'embed.html');
  await page.waitForSelector(`${calc}[state="done"]`, { timeout: 60000 });
  for (const name of NAMES) {
    const { md, csv, stressCsv } = await page.evaluate(async ([scenario, name]) => {
      const el = document.querySelector('backstop-calculator');
      el.scenario = { ...scenario, name, market: { ...scenario.market, symbol: name }, simulation: { ...scenario.simulation, paths: 500 } };
      for (let i = 0; i < 600 && !(el.getAttribute('state') === 'done' && el._a?.scenario?.name === name); ++i) await new Promise((r) => setTimeout(r, 50));
      return { md: await el.toMarkdown(), csv: await el._bs.report('simulate', el._a.result, { format: 'csv', input: el._a.scenario }),
        stressCsv: await el._bs.report('stress', el._a.stress, { format: 'csv', input: el._a.scenario }) };
    }, [DEFAULT, name]);
    assert.deepEqual(liveMarkup(md, MarkdownIt), [], `${JSON.stringify(name)}:\n${md}`);
    const expect = /^[=+\-@]/.test(name) ? `'${name}` : name;
    assert.equal(parse(csv, { columns: true, relax_column_count: false })[0].scenario, expect);
    assert.equal(parse(stressCsv, { columns: true, relax_column_count: false })[0].market, expect);
  }
  // What a forum renders from the last of them (HTML and linkify on): the payload as text; the
  // one link is the widget's own permalink.
  const one = await page.evaluate(() => document.querySelector('backstop-calculator').toMarkdown());
  const html = new MarkdownIt({ html: true, linkify: true }).render(one);
  assert.ok(!/<img|<script/i.test(html), html.slice(0, 400));
  assert.deepEqual([...html.matchAll(/<a\s[^>]*>/gi)].map(([t]) => t.replace(/#p=1\.[\w-]+/, '#p=1.…')), [`<a href="${url}embed.html#p=1.…">`]);
});
