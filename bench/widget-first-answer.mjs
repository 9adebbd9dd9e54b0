#!/usr/bin/env node
// Time from navigation to the default widget scenario's first full Monte Carlo answer
// (<backstop-calculator state="done">) in headless Chromium with a pool of 2 workers.
// Needs the built pages (npx vite build). Prints one line per repeat and the median.
//   node bench/widget-first-answer.mjs [--repeats N] [--dirs DIR,DIR,...]
// --dirs: builds of the pages side by side (each DIR a copy of dist/web), served each on its own
// origin and loaded in turn, repeat by repeat, so that every build sees the same load.
import { resolve } from 'node:path';
import { openBrowser } from '../tests/e2e/browser.mjs';
import { serve } from '../scripts/serve.mjs';

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const repeats = Number(arg('--repeats') ?? 3);
const b = await openBrowser();
const servers = [];
try {
  const targets = [];
  for (const dir of (arg('--dirs') ?? '').split(',').filter(Boolean)) {
    const s = await serve({ dir: resolve(dir), port: 0 });
    servers.push(s.server);
    targets.push({ name: dir, url: s.url });
  }
  if (!targets.length) targets.push({ name: 'dist/web', url: b.url });
  // The pool sizes itself from hardwareConcurrency (web/widget/engine.js): pin it to 2 workers.
  await b.context.addInitScript(() => Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => 2 }));
  const times = targets.map(() => []);
  for (let r = 0; r < repeats; ++r) {
    for (const [t, target] of targets.entries()) {
      const page = await b.context.newPage();
      const t0 = Date.now();
      await page.goto(target.url + 'index.html');
      const quick = await page.waitForSelector('backstop-calculator #p-depletion .v', { timeout: 120000 }).then(() => Date.now() - t0);
      await page.waitForSelector('backstop-calculator[state="done"]', { timeout: 120000 });
      const full = Date.now() - t0;
      const status = (await page.textContent('backstop-calculator .status')).trim().replace(/\s+/g, ' ');
      const label = targets.length > 1 ? ` ${target.name}` : '';
      console.log(`widget run ${r + 1}${label}: first numbers (quick estimate) ${quick} ms, first full answer ${full} ms (${status})`);
      times[t].push(full);
      await page.close();
    }
  }
  for (const [t, target] of targets.entries()) {
    const v = times[t].sort((a, c) => a - c);
    const label = targets.length > 1 ? ` (${target.name})` : '';
    console.log(`widget first full answer, default scenario, 2 workers, median of ${repeats}${label}: ${v[Math.floor(v.length / 2)]} ms`);
  }
  if (b.consoleErrors.length) console.log(`console errors: ${b.consoleErrors.join(' | ')}`);
} finally {
  for (const s of servers) s.close();
  await b.close();
}
