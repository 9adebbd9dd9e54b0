// The widget's precision control (issue 16): a ±X % target replaces the path count, the run stops
// when the 95 % half-width of P(depletion) is within it, the headline says how the estimate was
// made and how precise it is, the permalink carries the choice, and the field left to the venue
// shows the value in effect.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser } from './browser.mjs';
import { linkState } from '../js/preset-catalog.mjs';

const calc = 'backstop-calculator';
let b;
before(async () => { b = await openBrowser(); });
after(async () => { await b?.close(); });

const view = (page) => page.evaluate(() => {
  const el = document.querySelector('backstop-calculator');
  const r = el.shadowRoot;
  const d = el._a.result.depletion_probability;
  return { d, paths: el._a.result.paths, detail: r.querySelector('#p-depletion .d').textContent.replace(/\s+/g, ' ').trim(),
    pathsField: !!r.querySelector('#f-simulation-paths'), capField: !!r.querySelector('#f-simulation-max_paths'),
    penalty: r.querySelector('#f-policy-penalty-rate').placeholder };
});

test('precision ±30 %: the run stops there, the headline shows method and precision, the link keeps it', async () => {
  const { page, url } = b;
  await page.goto(url + 'index.html');
  await page.waitForSelector(`${calc}[state="done"]`, { timeout: 60000 });
  const before = await view(page);
  // The default: importance sampling, a path count, the precision it reached.
  assert.equal(before.d.method, 'importance_sampling');
  assert.ok(before.pathsField && !before.capField);
  const re = (x) => `±${(100 * x).toPrecision(2)} %`;
  assert.ok(before.detail.includes(`importance sampling, ${re(before.d.relative_error)}`), before.detail);
  // Binance's clearance fee on BTC (0.3 %) is what the blank penalty field stands for.
  assert.equal(before.penalty, '0.3 venue');

  await page.fill(`${calc} #f-simulation-target_relative_error`, '30');
  await page.waitForSelector(`${calc}[state="quick"], ${calc}[state="running"]`);
  await page.waitForSelector(`${calc}[state="done"]`, { timeout: 600000 });
  const after = await view(page);
  assert.ok(!after.pathsField && after.capField, 'a precision replaces the path count (a cap is offered)');
  assert.ok(after.d.relative_error <= 0.3 && after.d.events >= 10, JSON.stringify(after.d));
  assert.ok(after.detail.includes(`importance sampling, ${re(after.d.relative_error)}`), after.detail);
  // Runs to a precision go in whole batches of 2,000 paths.
  assert.equal(after.paths % 2000, 0);
  await page.evaluate(() => document.querySelector('backstop-calculator').permalinkReady);
  const { a } = await linkState(await page.evaluate(() => location.hash));
  assert.equal(a.simulation.target_relative_error, 0.3);
  assert.equal(a.simulation.importance_sampling, 'auto');
});
