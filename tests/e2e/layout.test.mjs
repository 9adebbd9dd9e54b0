// Layout at a phone's width (390 px) and a laptop's (1280 px) on every page: no horizontal
// scroll, and the labels the charts draw (markers, amounts, stage names) inside their canvas
// and never over one another. Each page is loaded at 390 px, then widened to 1280 px; the
// screenshots (test-output/screenshots/layout-*.png) are for looking at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openBrowser, shots } from './browser.mjs';

const PAGES = ['index.html', 'exchange-demo.html', 'governance-demo.html', 'embed.html', 'position.html', 'lib/demo.html', 'pool-bench.html?paths=400'];
const WIDTHS = [390, 1280];

let b;
before(async () => { b = await openBrowser(); });
after(async () => { await b?.close(); });

/**
 * Every frame's calculators done (the governance page holds its calculator in an iframe); each
 * is scrolled into view first, as it starts only when visible.
 */
async function settled(page) {
  for (const frame of page.frames()) {
    for (const el of await frame.locator('backstop-calculator, iframe').all()) await el.scrollIntoViewIfNeeded();
  }
  for (const frame of page.frames()) {
    await frame.waitForFunction(() => [...document.querySelectorAll('backstop-calculator')]
      .every((el) => el.getAttribute('state') === 'done'), null, { timeout: 120000 });
  }
  // The charts redraw on the next frames after a resize.
  await page.waitForTimeout(600);
}

/** Per frame: the document's scroll width and the window's, and each chart's labels. */
const measure = (frame) => frame.evaluate(() => ({
  url: location.pathname,
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
  // Content wider than its card or headline box (clipped or spilling out).
  spills: [...document.querySelectorAll('backstop-calculator')].flatMap((el) => [...el.shadowRoot.querySelectorAll('.card, .stat, header, .inputs')]
    .filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => `${c.id || c.className || c.tagName}: ${c.scrollWidth} > ${c.clientWidth}`)),
  charts: [...document.querySelectorAll('backstop-calculator')].flatMap((el) => el._charts.map(({ el: box, chart }) => ({
    id: box.id,
    width: chart.ctx.canvas.width / devicePixelRatio,
    height: chart.ctx.canvas.height / devicePixelRatio,
    labels: chart.labels ?? [],
  }))),
}));

const overlap = (p, q) => p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom;

for (const path of PAGES) {
  test(`${path}: no horizontal scroll and chart labels inside their chart, apart, at ${WIDTHS.join(' and ')} px`, async () => {
    const { page, url } = b;
    await page.setViewportSize({ width: WIDTHS[0], height: 844 });
    await page.goto(url + path);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
      await settled(page);
      for (const frame of page.frames()) {
        const m = await measure(frame);
        assert.ok(m.scrollWidth <= m.innerWidth, `${m.url} at ${width} px: ${m.scrollWidth} px wide in a ${m.innerWidth} px window`);
        assert.deepEqual(m.spills, [], `${m.url} at ${width} px: content wider than its box`);
        for (const c of m.charts) {
          if (['curve', 'waterfall'].includes(c.id)) assert.ok(c.labels.length > 0, `${c.id}: labels recorded`);
          for (const l of c.labels) {
            assert.ok(l.left >= 0 && l.right <= c.width && l.top >= 0 && l.bottom <= c.height,
              `${m.url} ${c.id} at ${width} px: "${l.text}" at [${l.left.toFixed(1)}, ${l.right.toFixed(1)}] x [${l.top.toFixed(1)}, ${l.bottom.toFixed(1)}] outside ${c.width} x ${c.height}`);
          }
          c.labels.forEach((p, i) => c.labels.slice(i + 1).forEach((q) => assert.ok(!overlap(p, q),
            `${m.url} ${c.id} at ${width} px: "${p.text}" overlaps "${q.text}"`)));
        }
      }
      await page.screenshot({ path: join(shots, `layout-${path.replace(/[/?=]/g, '_').replace(/\.html.*$/, '')}-${width}.png`), fullPage: true });
    }
    assert.deepEqual(b.consoleErrors, []);
  });
}
