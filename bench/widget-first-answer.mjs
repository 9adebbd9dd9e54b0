#!/usr/bin/env node
// Time from navigation to the default widget scenario's first full Monte Carlo answer
// (<backstop-calculator state="done">) in headless Chromium with a pool of 2 workers.
// Needs the built pages (npx vite build). Prints one line per repeat and the median.
//   node bench/widget-first-answer.mjs [--repeats N]
import { openBrowser } from '../tests/e2e/browser.mjs';

const i = process.argv.indexOf('--repeats');
const repeats = i > 0 ? Number(process.argv[i + 1]) : 3;
const b = await openBrowser();
try {
  // The pool sizes itself from hardwareConcurrency (web/widget/engine.js): pin it to 2 workers.
  await b.context.addInitScript(() => Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => 2 }));
  const times = [];
  for (let r = 0; r < repeats; ++r) {
    const page = await b.context.newPage();
    const t0 = Date.now();
    await page.goto(b.url + 'index.html');
    const quick = await page.waitForSelector('backstop-calculator #p-depletion .v', { timeout: 120000 }).then(() => Date.now() - t0);
    await page.waitForSelector('backstop-calculator[state="done"]', { timeout: 120000 });
    const full = Date.now() - t0;
    const status = (await page.textContent('backstop-calculator .status')).trim().replace(/\s+/g, ' ');
    console.log(`widget run ${r + 1}: first numbers (quick estimate) ${quick} ms, first full answer ${full} ms (${status})`);
    times.push(full);
    await page.close();
  }
  times.sort((a, c) => a - c);
  console.log(`widget first full answer, default scenario, 2 workers, median of ${repeats}: ${times[Math.floor(times.length / 2)]} ms`);
  if (b.consoleErrors.length) console.log(`console errors: ${b.consoleErrors.join(' | ')}`);
} finally {
  await b.close();
}
