// The single-file library (dist/web/lib/backstop-calculator.js): one script tag on a page with
// nothing else, under a strict CSP, no request but the page and that file; its workers are the
// same file; where workers cannot start (a cross-origin script) it computes on the page's
// thread and gets exactly the same numbers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { openBrowser, root, shots } from './browser.mjs';
import { serve } from '../../scripts/serve.mjs';

const LIB = join(root, 'dist/web/lib/backstop-calculator.js');
const calc = 'backstop-calculator';
const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'unsafe-inline'; img-src data:";

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

test('the library is one file with the wasm in it once; the pages carry it once too, with no .wasm or worker file', () => {
  const text = readFileSync(LIB, 'utf8');
  // "AGFzbQ" is base64 of the wasm magic number "\0asm".
  assert.equal(text.split('AGFzbQ').length - 1, 1, 'the wasm is embedded exactly once');
  assert.match(text, /new Worker\(import\.meta\.url/);
  assert.doesNotMatch(text, /\.wasm["']\s*,\s*import\.meta\.url/);
  // The pages' build too: one chunk holds the API and the wasm, and it is also the pool's worker.
  const assets = join(root, 'dist/web/assets');
  const files = readdirSync(assets);
  assert.deepEqual(files.filter((f) => /\.wasm$|^worker/.test(f)), [], 'no .wasm asset, no worker chunk');
  const copies = files.filter((f) => f.endsWith('.js')).reduce((n, f) => n + readFileSync(join(assets, f), 'utf8').split('AGFzbQ').length - 1, 0);
  assert.equal(copies, 1, 'the pages carry the wasm once');
  const raw = statSync(LIB).size;
  const gz = gzipSync(readFileSync(LIB), { level: 9 }).length;
  console.log(`# backstop-calculator.js: ${(raw / 1024).toFixed(0)} KiB raw, ${(gz / 1024).toFixed(0)} KiB gzipped`);
});

let workerNumbers;
test('one script tag under script-src \'self\' \'wasm-unsafe-eval\': a result, no other request, workers from the same file', async () => {
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
  assert.deepEqual([...new Set(requests)].sort(), [url + 'lib/demo.html', script].sort());
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
    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src ${url.replace(/\/$/, '')} 'wasm-unsafe-eval'; style-src 'unsafe-inline'; img-src data:">
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
    assert.deepEqual([...new Set(requests)].sort(), [other.url + 'index.html', script].sort());
    assert.deepEqual(await page.evaluate(() => window.__csp ?? []), []);
    assert.deepEqual(b.consoleErrors, []);
    await page.close();
  } finally {
    other.server.close();
  }
});
