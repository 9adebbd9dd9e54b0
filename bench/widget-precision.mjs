#!/usr/bin/env node
// Time from navigation to a +-10 % answer (simulation.target_relative_error 0.1, importance
// sampling) on the default widget scenario with its fund raised to P(depletion) ~ 1e-4
// (bench/scenarios/default-1e-4.json), in headless Chromium with a pool of 2 workers. Needs
// the built pages (npx vite build). Prints the time, the paths run and the interval.
//   node bench/widget-precision.mjs
import { readFileSync } from 'node:fs';
import { openBrowser } from '../tests/e2e/browser.mjs';
import { encodeV0 as encode } from '../web/widget/permalink.js';

const scenario = JSON.parse(readFileSync(new URL('./scenarios/default-1e-4.json', import.meta.url), 'utf8'));
const b = await openBrowser();
try {
  await b.context.addInitScript(() => Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => 2 }));
  const page = await b.context.newPage();
  const t0 = Date.now();
  await page.goto(b.url + 'index.html#s=' + encode(scenario));
  await page.waitForSelector('backstop-calculator[state="done"]', { timeout: 3600000 });
  const ms = Date.now() - t0;
  const d = await page.evaluate(() => {
    const r = document.querySelector('backstop-calculator')._a.result;
    return { paths: r.paths, ...r.depletion_probability };
  });
  console.log(`widget to +-10 %, default scenario at fund ${scenario.fund.balance}, 2 workers: ${ms} ms, ` +
    `${d.paths} paths, P = ${d.estimate} [${d.ci95.join(', ')}], relative error ${d.relative_error}, ${d.method}`);
} finally {
  await b.close();
}
