// The library (dist/web/lib/backstop-calculator.js and backstop_core.wasm beside it): one script
// tag on a page with nothing else, under a strict CSP, no request but the page, that file and
// its wasm; its workers are the same file; where workers cannot start (a cross-origin script)
// it computes on the page's thread and gets exactly the same numbers. What it transfers,
// gzipped, stays within the budget an embedding page can afford.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { openBrowser, root, shots } from './browser.mjs';
import { serve } from '../../scripts/serve.mjs';

const LIB = join(root, 'dist/web/lib/backstop-calculator.js');
const WASM = join(root, 'dist/web/lib/backstop_core.wasm');
const calc = 'backstop-calculator';
// What an embedding page must allow: the script, compiling wasm, and fetching the .wasm file.
const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; style-src 'unsafe-inline'; img-src data:";
// Gzipped, JS + wasm: what a transparency page will weigh against uPlot + Lit. Issue 19's goal
// is 250 KiB and is NOT met: calibration, replay, the report module and importance sampling took
// the build from 251.8 KiB to about 371 KiB; native wasm exceptions brought it to 355 KiB and
// the JSON writers' jsonObject() to 341 KiB (bench/README.md "wasm size"). This ceiling only stops further growth unnoticed; it does not
// claim the goal.
const BUDGET_KIB = 350;

let b;
const requests = [];
before(async () => {
  b = await openBrowser();
  await b.context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => { (window.__csp ||= []).push(`${e.violatedDirective} ${e.blockedURI}`); });
  });
  b.context.on('request', (r) => requests.push(r.url()));
});
after(async () => { await b?.close(); });

const headline = (page) => page.evaluate(() => {
  const r = document.querySelector('backstop-calculator').shadowRoot;
  return Object.fromEntries(['p-depletion', 'required-fund', 'p-adl'].map((id) => [id, r.querySelector(`#${id} .v`).dataset.value]));
});

test(`the library is one script and the .wasm beside it, ${BUDGET_KIB} KiB gzipped at most; the pages carry the wasm once too`, () => {
  const text = readFileSync(LIB, 'utf8');
  // "AGFzbQ" is base64 of the wasm magic number "\0asm": no copy of the wasm inside the script.
  assert.equal(text.split('AGFzbQ').length - 1, 0, 'no base64 wasm in the script');
  assert.equal(readFileSync(WASM).subarray(0, 4).toString('latin1'), '\0asm');
  assert.match(text, /new Worker\(import\.meta\.url/);
  assert.equal(text.match(/new URL\("\.\/backstop_core\.wasm",\s*import\.meta\.url\)/g)?.length, 1, 'one reference to the wasm beside the script');
  // The pages' build: one chunk holds the API and is also the pool's worker; one .wasm asset.
  const assets = join(root, 'dist/web/assets');
  const files = readdirSync(assets);
  assert.equal(files.filter((f) => f.endsWith('.wasm')).length, 1, 'one .wasm asset');
  assert.deepEqual(files.filter((f) => /^worker/.test(f)), [], 'no worker chunk');
  const copies = files.filter((f) => f.endsWith('.js')).reduce((n, f) => n + readFileSync(join(assets, f), 'utf8').split('AGFzbQ').length - 1, 0);
  assert.equal(copies, 0, 'no base64 wasm in the pages');
  const kib = (n) => n / 1024;
  const size = (f) => ({ raw: statSync(f).size, gz: gzipSync(readFileSync(f), { level: 9 }).length });
  const js = size(LIB), wasm = size(WASM);
  const total = kib(js.gz + wasm.gz);
  console.log(`# backstop-calculator.js ${kib(js.raw).toFixed(0)} KiB raw, ${kib(js.gz).toFixed(0)} KiB gzipped; ` +
    `backstop_core.wasm ${kib(wasm.raw).toFixed(0)} KiB raw, ${kib(wasm.gz).toFixed(0)} KiB gzipped; ` +
    `total ${total.toFixed(0)} KiB gzipped (gzip -9, budget ${BUDGET_KIB} KiB)`);
  assert.ok(total <= BUDGET_KIB, `${total.toFixed(1)} KiB gzipped is over the budget of ${BUDGET_KIB} KiB`);
});

let workerNumbers;
test('one script tag under script-src \'self\' \'wasm-unsafe-eval\'; connect-src \'self\': a result, no request but the script and its wasm, workers from the same file', async () => {
  const { page, url } = b;
  requests.length = 0;
  await page.goto(url + 'lib/demo.html');
  assert.equal(await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content'), CSP);
  assert.equal(await page.locator('script').count(), 1);
  await page.waitForSelector(`${calc}[state="done"]`, { timeout: 60000 });
  workerNumbers = await headline(page);
  assert.ok(Number(workerNumbers['required-fund']) > 0);
  for (const id of ['curve', 'fan', 'waterfall']) assert.ok(await page.$(`${calc} #${id} canvas`), `${id} chart drawn`);
  const script = url + 'lib/backstop-calculator.js';
  assert.ok(page.workers().length >= 1, 'the Monte Carlo ran in workers');
  for (const w of page.workers()) assert.equal(w.url(), script);
  assert.deepEqual([...new Set(requests)].sort(), [url + 'lib/demo.html', script, url + 'lib/backstop_core.wasm'].sort());
  assert.deepEqual(await page.evaluate(() => window.__csp ?? []), []);
  assert.deepEqual(b.consoleErrors, []);
  await page.screenshot({ path: join(shots, 'lib-demo.png'), fullPage: true });
});

test('loaded from another origin (no workers possible): computed on the page thread, same numbers', async () => {
  const { context, url } = b;
  // A page on a second origin (another port) that embeds the library from the first one.
  const dir = mkdtempSync(join(tmpdir(), 'backstop-cross-'));
  const script = url + 'lib/backstop-calculator.js';
  writeFileSync(join(dir, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8">
    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src ${url.replace(/\/$/, '')} 'wasm-unsafe-eval'; connect-src ${url.replace(/\/$/, '')}; style-src 'unsafe-inline'; img-src data:">
    <link rel="icon" href="data:,"><title>elsewhere</title><script type="module" src="${script}"></script></head>
    <body><backstop-calculator preset="default"></backstop-calculator></body></html>`);
  const other = await serve({ dir, port: 0 });
  try {
    const page = await context.newPage();
    requests.length = 0;
    await page.goto(other.url + 'index.html');
    await page.waitForSelector(`${calc}[state="done"]`, { timeout: 60000 });
    assert.equal(page.workers().length, 0, 'no worker could start');
    assert.deepEqual(await headline(page), workerNumbers);
    assert.deepEqual([...new Set(requests)].sort(), [other.url + 'index.html', script, url + 'lib/backstop_core.wasm'].sort());
    assert.deepEqual(await page.evaluate(() => window.__csp ?? []), []);
    assert.deepEqual(b.consoleErrors, []);
    await page.close();
  } finally {
    other.server.close();
  }
});

test('served as application/octet-stream (a server that does not know .wasm): compiled from the bytes, same numbers', async () => {
  const { context } = b;
  const dir = mkdtempSync(join(tmpdir(), 'backstop-mime-'));
  for (const f of ['demo.html', 'backstop-calculator.js', 'backstop_core.wasm']) copyFileSync(join(root, 'dist/web/lib', f), join(dir, f));
  const site = await serve({ dir, port: 0, types: { '.wasm': 'application/octet-stream' } });
  try {
    const page = await context.newPage();
    const wasmTypes = [];
    page.on('response', (r) => { if (r.url().endsWith('.wasm')) wasmTypes.push(r.headers()['content-type']); });
    await page.goto(site.url + 'demo.html');
    await page.waitForSelector(`${calc}[state="done"]`, { timeout: 60000 });
    assert.ok(wasmTypes.length >= 1 && wasmTypes.every((t) => t === 'application/octet-stream'), wasmTypes.join());
    assert.deepEqual(await headline(page), workerNumbers);
    assert.deepEqual(await page.evaluate(() => window.__csp ?? []), []);
    assert.deepEqual(b.consoleErrors, []);
    await page.close();
  } finally {
    site.server.close();
  }
});
