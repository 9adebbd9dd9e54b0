// Shared set-up for browser tests: Debian's Chromium driven by playwright-core, headless,
// with the flags this machine needs (TOOLCHAIN.md 12), against the pages served from dist/.
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';

export const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const shots = join(root, 'test-output/screenshots');
mkdirSync(shots, { recursive: true });

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Starts the server and a browser context; returns {url, context, page, consoleErrors, close}. */
export async function openBrowser() {
  const { server, url } = await serve({ port: 0 });
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'backstop-chromium-')), {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ARGS, headless: true,
    viewport: { width: 1280, height: 900 },
  });
  const consoleErrors = [];
  const watch = (page) => {
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
  };
  context.on('page', watch);
  const page = context.pages()[0] || (await context.newPage());
  watch(page);
  return {
    url, context, page, consoleErrors,
    close: async () => { await context.close(); server.close(); },
  };
}

/**
 * The analytic panel of the page's first calculator, row by row: {key: {value, text}} (value
 * is the cell's data-value, the number shown, '' where the core has none).
 */
export const analyticPanel = (page) => page.evaluate(() => Object.fromEntries([...document.querySelector('backstop-calculator')
  .shadowRoot.querySelectorAll('#analytic tr[data-key]')].map((tr) => [tr.dataset.key, { value: tr.cells[1].dataset.value, text: tr.cells[1].textContent.trim() }])));

/** What the analytic panel must show of a simulate result's `analytic`, by row key. */
export const analyticExpected = (an) => ({
  finite_horizon: an.finite_horizon.diffusion ?? an.finite_horizon.exact,
  psi: an.psi,
  required_surplus: an.required_surplus?.amount ?? null,
  loading: an.loading,
});
