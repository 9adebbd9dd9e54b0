// <backstop-calculator> in the browser: results, input changes, permalink round-trip,
// Markdown export, field validation, XSS payloads shown as text, CSP, keyboard reach.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { liveMarkup } from '../js/hostile-cases.mjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser, root, shots, analyticPanel, analyticExpected } from './browser.mjs';
import { linkState } from '../js/preset-catalog.mjs';

const DEFAULT = JSON.parse(readFileSync(join(root, 'scenarios/default.json'), 'utf8'));
const PAYLOAD = '<img src=x onerror=window.__xss=1>';
const b64url = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64url');

let b;
const csp = [];
const foreign = [];
before(async () => {
  b = await openBrowser();
  await b.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await b.context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => { (window.__csp ||= []).push(`${e.violatedDirective} ${e.blockedURI}`); });
    document.addEventListener('result', (e) => { window.__result = e.detail.result; });
  });
  b.context.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) csp.push(m.text()); });
  b.context.on('request', (r) => { if (!r.url().startsWith(b.url) && !/^(blob|data):/.test(r.url())) foreign.push(r.url()); });
});
after(async () => { await b?.close(); });

const calc = 'backstop-calculator';
const done = (page, sel = calc) => page.waitForSelector(`${sel}[state="done"]`, { timeout: 60000 });
const headline = (page) => page.evaluate(() => {
  const r = document.querySelector('backstop-calculator').shadowRoot;
  const v = (id) => r.querySelector(`#${id} .v`);
  return Object.fromEntries(['p-depletion', 'required-fund', 'p-adl'].map((id) => [id, { text: v(id).textContent.trim(), value: v(id).dataset.value }]));
});

test('the default preset shows a result with its interval, seed and version', async () => {
  const { page, url } = b;
  const t0 = Date.now();
  await page.goto(url + 'index.html');
  // The quick estimate comes first, then the full Monte Carlo.
  await page.waitForSelector(`${calc} #p-depletion .v`, { timeout: 30000 });
  const firstResult = Date.now() - t0;
  await done(page);
  const h = await headline(page);
  assert.match(h['p-depletion'].text, /%$/);
  assert.match(h['required-fund'].text, /M$/);
  assert.ok(Number(h['required-fund'].value) > 0);
  const status = await page.textContent(`${calc} .status`);
  assert.match(status, /4,000 paths · seed 1 · backstop \d+\.\d+\.\d+/);
  assert.match(await page.textContent(`${calc} #p-depletion .d`), /95 % CI/);
  assert.match(await page.textContent(`${calc} #risk`), /VaR[\s\S]*99 %/);
  for (const id of ['curve', 'fan', 'waterfall']) assert.ok(await page.$(`${calc} #${id} canvas`), `${id} chart drawn`);
  assert.ok(firstResult < 15000, `first numbers after ${firstResult} ms`);
  await page.screenshot({ path: join(shots, 'widget-index.png'), fullPage: true });
});

test('the analytic panel shows the core\'s own fit of the run (result.analytic), not one of its own', async () => {
  const { page } = b;
  const an = await page.evaluate(() => window.__result.analytic);
  assert.ok(an?.fit?.days_observed > 0, 'the simulate result carries the core\'s analytic fit');
  const panel = await analyticPanel(page);
  const want = analyticExpected(an);
  assert.deepEqual(Object.keys(panel), Object.keys(want));
  for (const [key, value] of Object.entries(want)) {
    assert.ok(Number.isFinite(value), `${key} = ${value}: the default scenario has a finite value for each row`);
    assert.equal(Number(panel[key].value), value, key);
  }
  // The default's fit: a positive loading (fees outpace the mean bad debt), so a finite surplus.
  assert.ok(want.loading > 0 && want.required_surplus > 0);
  assert.equal(panel.required_surplus.text, `${(want.required_surplus / 1e6).toFixed(1)} M`);
});

test('changing open interest and volatility moves the headline; the permalink follows', async () => {
  const { page } = b;
  const before = await headline(page);
  await page.fill(`${calc} #f-book-open_interest`, '3000');
  await page.waitForSelector(`${calc}[state="quick"], ${calc}[state="running"]`);
  await done(page);
  const afterOi = await headline(page);
  assert.notEqual(afterOi['required-fund'].value, before['required-fund'].value);
  assert.ok(Number(afterOi['required-fund'].value) > Number(before['required-fund'].value), 'more OI needs a larger fund');
  await page.fill(`${calc} #f-price_model-daily_volatility`, '5');
  await page.waitForSelector(`${calc}[state="quick"], ${calc}[state="running"]`);
  await done(page);
  const afterVol = await headline(page);
  assert.notEqual(afterVol['p-depletion'].value, afterOi['p-depletion'].value);
  await page.evaluate(() => document.querySelector('backstop-calculator').permalinkReady);
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /^#p=1\.[A-Za-z0-9_-]+$/);
  const { a: s } = await linkState(hash);
  assert.equal(s.book.open_interest, 3e9);
  assert.equal(s.price_model.daily_volatility, 0.05);
});

test('a permalink reproduces exactly the same numbers in a fresh page', async () => {
  const { page, context, url } = b;
  const hash = await page.evaluate(() => location.hash);
  const expected = await headline(page);
  const link = await page.evaluate(() => document.querySelector('backstop-calculator').permalinkUrl());
  assert.equal(link, url + 'index.html' + hash);
  const fresh = await context.newPage();
  await fresh.goto(link);
  await done(fresh);
  assert.deepEqual(await headline(fresh), expected);
  assert.equal(await fresh.inputValue(`${calc} #f-book-open_interest`), '3000');
  // The embed page reads the same fragment and gets the same numbers.
  await fresh.goto(url + 'embed.html' + hash);
  await done(fresh);
  assert.deepEqual(await headline(fresh), expected);
  await fresh.close();
});

test('Markdown export holds parameters, seed, version and the headline numbers', async () => {
  const { page } = b;
  const md = await page.evaluate(() => document.querySelector('backstop-calculator').toMarkdown());
  const h = await headline(page);
  const version = await page.evaluate(() => document.querySelector('backstop-calculator')._version);
  assert.match(md, /\| Open interest \(one side\) \| 3000 M USD \|/);
  assert.match(md, /\| Mark price \| [\d.]+ USD \|/);
  assert.match(md, /\| Daily volatility \| 5 % \|/);
  assert.match(md, /seed 1\b/);
  assert.ok(md.includes(`backstop ${version}`));
  // The results are the core's simulate and stress reports, as `backstop ... -f markdown` writes them.
  const reports = await page.evaluate(() => {
    const el = document.querySelector('backstop-calculator');
    return Promise.all([el._bs.report('simulate', el._a.result, { input: el._a.scenario }), el._bs.report('stress', el._a.stress, { input: el._a.scenario })]);
  });
  for (const r of reports) assert.ok(md.includes(r), r.slice(0, 80));
  assert.ok(md.includes('| P(fund depleted within horizon) |'));
  assert.ok(h['p-depletion'].text, 'the headline shows P(depletion)');
  assert.match(md, /\[open this scenario\]\(http:\/\/127\.0\.0\.1:\d+\/index\.html#p=1\./);
  // The button copies the same text (or shows it for manual copying without a clipboard).
  await page.click(`${calc} #copy-md`);
  await page.waitForSelector(`${calc} .toast`);
  const copied = (await page.$(`${calc} #md-out`))
    ? await page.inputValue(`${calc} #md-out`)
    : await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, md);
});

test('A/B compare runs the proposal beside the current set and highlights differences', async () => {
  const { page } = b;
  await page.click(`${calc} #compare`);
  await page.fill(`${calc} #f-fund-fee_share`, '30');
  await page.waitForSelector(`${calc}[state="quick"], ${calc}[state="running"]`);
  await done(page);
  const table = await page.textContent(`${calc} #compare-table`);
  assert.match(table, /Current[\s\S]*Proposed[\s\S]*Required fund/);
  assert.ok(await page.$(`${calc} #compare-table tr.diff`), 'a changed metric is highlighted');
  assert.ok(await page.$(`${calc} .field.changed #f-fund-fee_share`), 'the changed parameter is marked');
  await page.evaluate(() => document.querySelector('backstop-calculator').permalinkReady);
  const ab = await linkState(await page.evaluate(() => location.hash));
  assert.equal(ab.a.fund.fee_share, 0.1);
  assert.equal(ab.b.fund.fee_share, 0.3);
  const md = await page.evaluate(() => document.querySelector('backstop-calculator').toMarkdown());
  assert.match(md, /\| Fee share to fund \| 10 % \| 30 % \| changed \|/);
  assert.match(md, /\| P\(fund depleted within horizon\) \| [\d.]+ % \| [\d.]+ % \| [+-]?[\d.]+ pp \|/);
  await page.screenshot({ path: join(shots, 'widget-compare.png'), fullPage: true });
  await page.click(`${calc} #compare`);
});

test('bad input: the message sits next to the field and an error event fires', async () => {
  const { page } = b;
  await page.evaluate(() => {
    window.__errors = [];
    document.querySelector('backstop-calculator').addEventListener('error', (e) => window.__errors.push(e.detail));
  });
  await page.fill(`${calc} #f-market-maintenance_margin_rate`, '150');
  await page.waitForSelector(`${calc}[state="invalid"]`);
  assert.equal(await page.getAttribute(`${calc} #f-market-maintenance_margin_rate`, 'aria-invalid'), 'true');
  assert.match(await page.textContent(`${calc} #f-market-maintenance_margin_rate-msg`), /must be in \(0, 1\), got 1\.5/);
  const errs = await page.evaluate(() => window.__errors);
  assert.equal(errs.at(-1).code, 'invalid_input');
  assert.equal(errs.at(-1).pointer, '/market/maintenance_margin_rate');
  await page.fill(`${calc} #f-market-maintenance_margin_rate`, '0.5');
  await done(page);
  assert.equal(await page.$(`${calc} #f-market-maintenance_margin_rate-msg`), null);
});

test('an XSS payload in the permalink fragment is shown as text and never runs', async () => {
  const { page, url } = b;
  const s = structuredClone(DEFAULT);
  s.name = PAYLOAD;
  s.simulation.paths = 1000;
  await page.goto(url + 'index.html#s=' + b64url(s));
  await done(page);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.ok((await page.textContent(`${calc} header h2`)).includes(PAYLOAD), 'payload visible as text');
  assert.equal(await page.evaluate(() => document.querySelector('backstop-calculator').shadowRoot.querySelectorAll('img').length), 0);
  const md = await page.evaluate(() => document.querySelector('backstop-calculator').toMarkdown());
  assert.deepEqual(liveMarkup(md, MarkdownIt), [], 'Markdown escapes markup');
  // A fragment that is not base64 JSON is reported, not executed, and the default loads.
  await page.goto(url + 'index.html#s=' + encodeURIComponent('"><script>window.__xss=3</script>'));
  await page.waitForSelector(`${calc} .errors`);
  assert.match(await page.textContent(`${calc} .errors`), /could not be read/);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
});

test('an XSS payload in attributes is shown as text and never runs', async () => {
  const { page, url } = b;
  await page.goto(url + 'embed.html');
  await done(page);
  await page.evaluate(([scenario, payload]) => {
    document.body.textContent = '';
    const a = document.createElement('backstop-calculator');
    a.id = 'a';
    a.setAttribute('mode', 'compact');
    a.setAttribute('scenario', JSON.stringify(scenario));
    a.setAttribute('calculator-url', 'javascript:window.__xss=4');
    const p = document.createElement('backstop-calculator');
    p.id = 'p';
    p.setAttribute('mode', 'compact');
    p.setAttribute('preset', payload);
    document.body.append(a, p);
  }, [{ ...DEFAULT, name: PAYLOAD, simulation: { ...DEFAULT.simulation, paths: 600 } }, PAYLOAD]);
  await page.waitForSelector('#a[state="done"]', { timeout: 60000 });
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.match(await page.textContent('#p .errors'), /Unknown preset "<img src=x onerror=window.__xss=1>"/);
  assert.equal(await page.$('#a a[href^="javascript"]'), null, 'javascript: link refused');
  assert.equal(await page.evaluate(() => document.querySelectorAll('img').length), 0);
  await page.screenshot({ path: join(shots, 'widget-xss.png') });
});

test('keyboard only: Tab reaches every input of the calculator', async () => {
  const { page, url } = b;
  await page.goto(url + 'index.html');
  await done(page);
  const wanted = await page.evaluate(() => [...document.querySelector('backstop-calculator').shadowRoot
    .querySelectorAll('.inputs input, .inputs select, header select')].map((e) => e.id));
  assert.ok(wanted.length >= 30, `${wanted.length} inputs`);
  const reached = new Set();
  for (let i = 0; i < 160 && wanted.some((id) => !reached.has(id)); i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.id);
    if (id) reached.add(id);
  }
  assert.deepEqual(wanted.filter((id) => !reached.has(id)), []);
  // and a value typed from the keyboard takes effect
  await page.focus(`${calc} #f-fund-balance`);
  await page.keyboard.press('Control+A');
  await page.keyboard.type('20');
  await page.waitForSelector(`${calc}[state="quick"], ${calc}[state="running"]`);
  await done(page);
  assert.match(await page.textContent(`${calc} #p-adl .d`), /fund 20\.0 M/);
});

test('strict CSP: nothing blocked, no foreign requests, no console errors', async () => {
  const { page } = b;
  assert.deepEqual(await page.evaluate(() => window.__csp ?? []), []);
  assert.deepEqual(csp, []);
  assert.deepEqual(foreign, []);
});

// Every page error of the tests above (e.g. uPlot's log axis looping on a probability below its
// 1e-16 tick table: "RangeError: Invalid array length" after A/B compare).
test('no console errors', () => {
  assert.deepEqual(b.consoleErrors, []);
});
