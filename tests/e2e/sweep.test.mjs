// The widget's parameter sweep (docs/model.md#sweeps, issue 9): range form with messages at the fields, a
// cancellable run with progress, the chart and table with one entry per value, the exports.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser, shots } from './browser.mjs';
import { linkState } from '../js/preset-catalog.mjs';

const calc = 'backstop-calculator';
let b;
before(async () => {
  b = await openBrowser();
  const { page, url } = b;
  await page.goto(url + 'index.html');
  await page.waitForSelector(`${calc}[state="done"]`, { timeout: 60000 });
  await page.evaluate(() => {
    window.__sweeps = [];
    document.querySelector('backstop-calculator').addEventListener('sweep', (e) => window.__sweeps.push(e.detail.result));
  });
});
after(async () => { await b?.close(); });

test('the range form reports bad values next to the fields and does not run', async () => {
  const { page } = b;
  await page.selectOption(`${calc} #sweep-param`, '/fund/fee_share');
  assert.equal(await page.inputValue(`${calc} #sweep-from`), '5', 'half the scenario\'s 10 %');
  assert.equal(await page.inputValue(`${calc} #sweep-to`), '20');
  await page.fill(`${calc} #sweep-count`, '1');
  await page.fill(`${calc} #sweep-to`, '150');
  assert.match(await page.textContent(`${calc} #sweep-count-msg`), /from 2 to 25/);
  assert.match(await page.textContent(`${calc} #sweep-to-msg`), /≤ 100/);
  assert.equal(await page.getAttribute(`${calc} #sweep-count`, 'aria-invalid'), 'true');
  await page.click(`${calc} #sweep-run`);
  await page.waitForTimeout(300);
  assert.equal(await page.$(`${calc} #sweep-table`), null, 'nothing ran');
});

test('a small sweep of the fee share: chart and table with one entry per value, finite required funds', async () => {
  const { page } = b;
  await page.fill(`${calc} #sweep-from`, '0');
  await page.fill(`${calc} #sweep-to`, '30');
  await page.fill(`${calc} #sweep-count`, '4');
  await page.fill(`${calc} #sweep-paths`, '300');
  assert.equal(await page.$(`${calc} #sweep .msg`), null, 'no messages left');
  await page.click(`${calc} #sweep-run`);
  await page.waitForSelector(`${calc} #sweep-table tbody tr`, { timeout: 60000 });
  await page.waitForSelector(`${calc} #sweep-chart canvas`);
  const result = await page.evaluate(() => window.__sweeps.at(-1));
  assert.deepEqual(result.parameters, [{ pointer: '/fund/fee_share', values: [0, 0.1, 0.2, 0.3] }]);
  assert.equal(result.paths, 300);
  assert.equal(result.points.length, 4);
  const table = await page.evaluate(() => [...document.querySelector('backstop-calculator').shadowRoot
    .querySelectorAll('#sweep-table tbody tr')].map((tr) => [...tr.cells].map((c) => c.dataset.value ?? c.textContent.trim())));
  assert.equal(table.length, 4);
  assert.deepEqual(table.map((r) => r[0]), ['0 %', '10 %', '20 %', '30 %']);
  table.forEach((row, i) => {
    const amount = Number(row[3]);
    assert.ok(Number.isFinite(amount) && amount > 0, `required fund of row ${i} is a finite number: ${row[3]}`);
    assert.equal(amount, result.points[i].required_fund.amount);
    assert.equal(Number(row[1]), result.points[i].depletion_probability.estimate);
  });
  // The chart plots the same points: x in the form's units (%), P(depletion), its band, the fund.
  const plotted = await page.evaluate(() => {
    const el = document.querySelector('backstop-calculator');
    return el._charts.find((c) => c.el.id === 'sweep-chart').chart.data;
  });
  assert.deepEqual(plotted[0], [0, 10, 20, 30]);
  assert.deepEqual(plotted[3], result.points.map((p) => p.depletion_probability.estimate));
  assert.deepEqual(plotted[1], result.points.map((p) => p.depletion_probability.ci95[0]));
  assert.deepEqual(plotted[4], result.points.map((p) => p.required_fund.amount / 1e6));
  // A higher fee share feeds the fund: the required fund does not grow (same random numbers).
  assert.ok(result.points[3].required_fund.amount <= result.points[0].required_fund.amount);
  await page.locator(`${calc} #sweep`).screenshot({ path: join(shots, 'widget-sweep.png') });
});

test('the sweep is in the Markdown export', async () => {
  const { page } = b;
  const md = await page.evaluate(() => document.querySelector('backstop-calculator').toMarkdown());
  assert.match(md, /#### Sweep: Fee share to fund \(`\/fund\/fee_share`\), 300 paths per value, seed 1/);
  const rows = md.split('\n').filter((l) => /^\| \d+ % \|/.test(l));
  assert.equal(rows.length, 4);
});

test('the sweep is in the CSV download', async () => {
  const { page } = b;
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(`${calc} #dl-csv`)]);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.match(csv, /"sweep","parameter","\/fund\/fee_share"/);
  const fund = csv.split('\r\n').filter((l) => l.startsWith('"sweep_required_fund",'));
  assert.deepEqual(fund.map((l) => l.split(',')[1]), ['"0"', '"0.1"', '"0.2"', '"0.3"']);
  assert.ok(fund.every((l) => Number.isFinite(Number(l.split(',')[2].replace(/"/g, '')))));
});

test('the permalink carries the sweep: opened elsewhere, it reruns it to the same numbers', async () => {
  const { page } = b;
  const first = await page.evaluate(() => window.__sweeps.at(-1));
  const link = await page.evaluate(async () => {
    const el = document.querySelector('backstop-calculator');
    await el.permalinkReady;
    return el.permalinkUrl();
  });
  assert.equal((await linkState(link.slice(link.indexOf('#')))).w.pointer, '/fund/fee_share');
  await page.goto('about:blank');
  await page.goto(link);
  await page.waitForSelector(`${calc}[state="done"]`, { timeout: 60000 });
  await page.waitForSelector(`${calc} #sweep-table tbody tr`, { timeout: 60000 });
  assert.equal(await page.inputValue(`${calc} #sweep-count`), '4');
  assert.equal(await page.inputValue(`${calc} #sweep-paths`), '300');
  const amounts = await page.evaluate(() => [...document.querySelector('backstop-calculator').shadowRoot
    .querySelectorAll('#sweep-table tbody tr')].map((tr) => Number(tr.cells[3].dataset.value ?? tr.cells[3].textContent)));
  assert.deepEqual(amounts, first.points.map((p) => p.required_fund.amount));
  await page.evaluate(() => {
    window.__sweeps = [];
    document.querySelector('backstop-calculator').addEventListener('sweep', (e) => window.__sweeps.push(e.detail.result));
  });
});

test('a running sweep shows progress and can be cancelled', async () => {
  const { page } = b;
  await page.fill(`${calc} #sweep-paths`, '20000');
  await page.fill(`${calc} #sweep-count`, '8');
  await page.click(`${calc} #sweep-run`);
  await page.waitForSelector(`${calc} #sweep progress`);
  await page.click(`${calc} #sweep-cancel`);
  await page.waitForFunction(() => /Sweep cancelled/.test(document.querySelector('backstop-calculator').shadowRoot.querySelector('#sweep .status').textContent));
  assert.ok(await page.$(`${calc} #sweep-run`), 'the run button is back');
  assert.deepEqual(b.consoleErrors, []);
});
