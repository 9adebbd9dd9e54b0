// Bring your own market in the browser: a dropped price CSV gives the fits table bs.calibrate
// gives (log-likelihood and AIC per model), "Use this model" fills the price-model inputs and
// reruns, the replay chart is drawn; text from the file is shown as text; screenshots at 1280
// and 390 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser, root, shots } from './browser.mjs';
import { createBackstop } from '../../wasm/backstop.mjs';

const calc = 'backstop-calculator';
const DAX = readFileSync(join(root, 'tests/data/dax-1991-1998.csv'), 'utf8');
const bs = await createBackstop();

let b;
before(async () => { b = await openBrowser(); });
after(async () => { await b?.close(); });

const done = (page) => page.waitForSelector(`${calc}[state="done"]`, { timeout: 90000 });

/** Drops `text` as a file named `name` on the drop zone. */
async function dropCsv(page, text, name) {
  const dt = await page.evaluateHandle(([t, n]) => {
    const d = new DataTransfer();
    d.items.add(new File([t], n, { type: 'text/csv' }));
    return d;
  }, [text, name]);
  await page.dispatchEvent(`${calc} #csv-drop`, 'drop', { dataTransfer: dt });
}

const fitsRows = (page) => page.$$eval(`${calc} #fits tbody tr`, (rows) => rows.map((r) => ({
  kind: r.dataset.kind, ll: r.querySelector('.ll').textContent.trim(), aic: r.querySelector('.aic').textContent.trim(),
  params: r.querySelector('.params').textContent.trim() })));

const shown = (x) => (x == null ? '—' : x.toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 }));

test('a dropped CSV gives bs.calibrate\'s fits; "Use this model" fills the inputs and reruns', async () => {
  const { page, url } = b;
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(url + 'index.html');
  await done(page);
  await dropCsv(page, DAX, 'dax-<b>1991</b>.csv');
  await page.waitForSelector(`${calc} #fits tbody tr`, { timeout: 30000 });
  const expected = await bs.calibrate(DAX);
  const rows = await fitsRows(page);
  assert.deepEqual(rows.map((r) => r.kind), expected.fits.map((f) => f.kind));
  rows.forEach((r, i) => {
    assert.equal(r.ll, shown(expected.fits[i].log_likelihood), `${r.kind} log-likelihood`);
    assert.equal(r.aic, shown(expected.fits[i].aic), `${r.kind} AIC`);
  });
  assert.match(rows.find((r) => r.kind === 'student_t').params, /Degrees of freedom ν 4\.19/);
  assert.match(rows.find((r) => r.kind === 'gbm').params, /Daily volatility 1\.03 % \/day/);
  // The file's name is text, not markup.
  assert.equal(await page.textContent(`${calc} #csv-name`), 'dax-<b>1991</b>.csv');
  assert.equal(await page.$(`${calc} #byo b`), null);

  // Student t: the model and its inputs change, and the calculator reruns.
  const t = expected.fits.find((f) => f.kind === 'student_t');
  await page.click(`${calc} button.use[data-kind="student_t"]`);
  await page.waitForFunction(() => document.querySelector('backstop-calculator').shadowRoot
    .querySelector('#f-price_model-kind')?.value === 'student_t');
  await done(page);
  const vol = Number(await page.inputValue(`${calc} #f-price_model-daily_volatility`));
  assert.ok(Math.abs(vol - 100 * t.price_model.daily_volatility) < 1e-6, `daily volatility input ${vol}`);
  const dof = Number(await page.inputValue(`${calc} #f-price_model-dof`));
  assert.ok(Math.abs(dof - t.price_model.dof) < 1e-6, `dof input ${dof}`);

  // The DAX path replays on the default book: a chart and a summary of the path's 1860 steps.
  await page.waitForSelector(`${calc} #replay-chart canvas`, { timeout: 30000 });
  assert.match(await page.textContent(`${calc} #replay-summary`), /1859 steps|1860 steps/);
  // The DAX starts near 1,500 and the scenario at 60,000: the first step is said to be a −97 % move.
  assert.match(await page.textContent(`${calc} #replay-start`), /first step is a −97 % move/);
  await page.screenshot({ path: join(shots, 'market-1280.png'), fullPage: true });
  await page.locator(`${calc} .market`).screenshot({ path: join(shots, 'market-1280-cards.png') });
});

test('a pasted path replays as bs.replay does, with the waterfall split; 390 px', async () => {
  const { page, url } = b;
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(url + 'index.html');
  await done(page);
  // The element's `error` events, as a page embedding it would see them.
  await page.evaluate(() => {
    window.errorEvents = [];
    document.querySelector('backstop-calculator').addEventListener('error', (e) => window.errorEvents.push(e.detail));
  });
  const errorEvents = () => page.evaluate(() => window.errorEvents);
  // Daily gaps of −5 %, −16 %, −22 % and +13 % from the default scenario's mark price of 60,000.
  const crash = 'close\n57000\n48000\n37200\n42000\n';
  await page.fill(`${calc} #csv-paste`, crash);
  await page.click(`${calc} #csv-fit`);
  // Too few prices to fit but fine to replay: a note with the core's count (bs.calibrate's own
  // message asks for 31), no error beside the replay.
  await assert.rejects(bs.calibrate(crash), /calibration needs at least 31 /);
  await page.waitForSelector(`${calc} #fit-note`);
  assert.equal((await page.textContent(`${calc} #fit-note`)).replace(/\s+/g, ' ').trim(),
    'Too few prices to fit a model (31 needed); the replay below uses them as they are.');
  assert.equal(await page.$(`${calc} #fit-error`), null, 'no fit error shown');
  assert.equal(await page.$(`${calc} #byo [role="alert"]`), null, 'nothing announced as an alert');
  await page.waitForSelector(`${calc} #replay-chart canvas`);
  assert.deepEqual(await errorEvents(), [], 'no error event for a path too short to fit but replayed');
  const scenario = await page.evaluate(() => document.querySelector('backstop-calculator')._current().scenario);
  const expected = await bs.replay(scenario, crash);
  assert.ok(expected.totals.bad_debt > 0, 'the crash leaves bad debt on the default book');
  // The split table shows bs.replay's totals per stage, in the same units as money() prints.
  const split = await page.$$eval(`${calc} #replay-split tbody tr`, (rows) => rows.map((r) => r.cells[1].textContent));
  const paid = Object.values(expected.totals.waterfall).filter((v) => v > 0);
  assert.equal(split.length, paid.length, 'one row per stage that paid');
  assert.match(await page.textContent(`${calc} #replay-summary`), new RegExp(`${(expected.totals.bad_debt / 1e6).toFixed(0)} M bad debt`));
  assert.ok(await page.$(`${calc} #replay-stages canvas`), 'stage chart drawn');
  const summary = await page.textContent(`${calc} #replay-summary`);
  assert.match(summary, /4 steps over 4\.00 days/);
  await page.screenshot({ path: join(shots, 'market-390.png'), fullPage: true });
  await page.locator(`${calc} .market`).screenshot({ path: join(shots, 'market-390-cards.png') });

  // A price the replay cannot use either stays an error, the core's message as text, and no note.
  const bad = 'close\n57000\n-5\n42000\n';
  await page.fill(`${calc} #csv-paste`, bad);
  await page.click(`${calc} #csv-fit`);
  await page.waitForSelector(`${calc} #fit-error`);
  assert.equal((await page.textContent(`${calc} #fit-error`)).trim(), '/csv: line 3: price "-5" must be positive');
  assert.equal(await page.$(`${calc} #fit-note`), null, 'no note beside a real error');
  assert.equal(await page.$(`${calc} #replay-chart canvas`), null, 'no replay of a path that does not read');
  assert.deepEqual((await errorEvents()).map((d) => [d.code, d.message]),
    [['invalid_input', '/csv: line 3: price "-5" must be positive']], 'one error event, the core\'s');
  assert.deepEqual(b.consoleErrors, []);
});
