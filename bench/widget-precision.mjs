#!/usr/bin/env node
// Time from navigation to a +-10 % answer (simulation.target_relative_error 0.1, importance
// sampling) on the default widget scenario with its fund raised to P(depletion) ~ 1e-4
// (bench/scenarios/default-1e-4.json), in headless Chromium with a pool of 2 workers. Needs
// the built pages (npx vite build). Prints the time, the paths run and the interval; while it runs,
// the share of the path cap done at 2 s, 10 s, 60 s, ... (the run's progress), so that a run that
// does not finish still says how far it got (the precision after that many batches:
// `backstop simulate` with simulation.max_paths cut to those batches gives the same batches).
//   node bench/widget-precision.mjs [timeout seconds, default 3600]
import { readFileSync } from 'node:fs';
import { openBrowser } from '../tests/e2e/browser.mjs';
import { encodeV0 as encode } from '../web/widget/permalink.js';

const scenario = JSON.parse(readFileSync(new URL('./scenarios/default-1e-4.json', import.meta.url), 'utf8'));
const b = await openBrowser();
try {
  await b.context.addInitScript(() => Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => 2 }));
  const page = await b.context.newPage();
  const timeout = 1000 * Number(process.argv[2] ?? 3600);
  const t0 = Date.now();
  await page.goto(b.url + 'index.html#s=' + encode(scenario));
  const cap = scenario.simulation.max_paths;
  const marks = [2, 10, 30, 60, 120, 300, 600, 1200, 2400].filter((s) => 1000 * s < timeout);
  const done = page.waitForSelector('backstop-calculator[state="done"]', { timeout }).then(() => true, () => false);
  for (const s of marks) {
    const left = t0 + 1000 * s - Date.now();
    if (await Promise.race([done, new Promise((r) => setTimeout(() => r(false), Math.max(0, left)))])) break;
    const f = await page.evaluate(() => document.querySelector('backstop-calculator')?._runner?.progress ?? 0);
    console.log(`at ${s} s: progress ${(100 * f).toFixed(1)} % of the ${cap}-path cap (about ${Math.round(f * cap)} paths)`);
  }
  const finished = await done;
  const ms = Date.now() - t0;
  if (!finished) {
    console.log(`not done after ${timeout / 1000} s`);
    process.exitCode = 1;
  } else {
    const d = await page.evaluate(() => {
      const r = document.querySelector('backstop-calculator')._a.result;
      return { paths: r.paths, ...r.depletion_probability };
    });
    console.log(`widget to +-10 %, default scenario at fund ${scenario.fund.balance}, 2 workers: ${ms} ms, ` +
      `${d.paths} paths, P = ${d.estimate} [${d.ci95.join(', ')}], relative error ${d.relative_error}, ${d.method}`);
  }
} finally {
  await b.close();
}
