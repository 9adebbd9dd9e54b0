// Layout at a phone's width (390 px) and a laptop's (1280 px) on every page: no horizontal
// scroll, no select cut short of its option, the labels the charts draw (markers, amounts,
// stage names) inside their canvas and never over one another nor over the depletion curve, and the depletion curve's axes
// on the part the run knows (not 1e-12 from a few thousand paths) with every quoted number on them. Each page is loaded at 390 px, then widened to 1280 px; the
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
  // Selects too narrow for their chosen option: the width the option alone asks for (a copy of
  // the select holding just that option, at its natural width, beside it) against the width shown.
  clipped: [...document.querySelectorAll('backstop-calculator')].flatMap((el) => [...el.shadowRoot.querySelectorAll('select')]
    .filter((s) => s.getClientRects().length > 0 && s.selectedIndex >= 0).map((s) => {
      const probe = s.cloneNode(false);
      probe.removeAttribute('id');
      probe.append(s.options[s.selectedIndex].cloneNode(true));
      Object.assign(probe.style, { width: 'auto', minWidth: '0', maxWidth: 'none', position: 'absolute', visibility: 'hidden' });
      s.parentNode.append(probe);
      const need = probe.getBoundingClientRect().width;
      probe.remove();
      return { id: s.id, text: s.options[s.selectedIndex].text, need, has: s.getBoundingClientRect().width };
    }).filter((x) => x.need > x.has + 0.5).map((x) => `${x.id} "${x.text}": needs ${x.need.toFixed(1)} px, has ${x.has.toFixed(1)}`)),
  // The curve's axes and what the run behind it says (the drawn results, as the chart controller has them).
  curves: [...document.querySelectorAll('backstop-calculator')].flatMap((el) => {
    const c = el._charts.find((x) => x.el.id === 'curve')?.chart;
    if (!c) return [];
    const { a, b } = el._chartCtl._data();
    const runs = [a, b?.result ? b : null].filter(Boolean).map(({ scenario, result: r }) => ({
      estimate: r.depletion_probability.estimate, low: r.depletion_probability.ci95[0], target: r.required_fund.target,
      effective: r.depletion_probability.effective_paths, paths: r.paths, balance: scenario.fund.balance,
      required: r.required_fund.amount, last: r.curve.at(-1), step: r.curve[1].fund - r.curve[0].fund,
      // where the curve first falls below the axis (its end if never)
      below: (r.curve.find((p) => p.probability < c.scales.y.min) ?? r.curve.at(-1)).fund }));
    return [{ y: [c.scales.y.min, c.scales.y.max], x: [c.scales.x.min, c.scales.x.max], runs }];
  }),
  charts: [...document.querySelectorAll('backstop-calculator')].flatMap((el) => el._charts.map(({ el: box, chart }) => ({
    id: box.id,
    width: chart.ctx.canvas.width / devicePixelRatio,
    height: chart.ctx.canvas.height / devicePixelRatio,
    labels: chart.labels ?? [],
    // The plotted lines in CSS pixels of the canvas (null where a line breaks or leaves the plot).
    lines: chart.series.slice(1).map((s, i) => (chart.data[i + 1] ?? []).map((y, k) => {
      const x = chart.data[0][k];
      if (y == null || x < chart.scales.x.min || x > chart.scales.x.max) return null;
      return [chart.valToPos(x, 'x', true) / devicePixelRatio, chart.valToPos(y, 'y', true) / devicePixelRatio];
    })),
  }))),
}));

const overlap = (p, q) => p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom;

/** The first point of a polyline, walked in steps of at most 0.25 px, inside the box; else null. */
function pointIn(line, box) {
  for (let k = 1; k < line.length; ++k) {
    const [p, q] = [line[k - 1], line[k]];
    if (!p || !q) continue;
    const n = Math.ceil(4 * Math.hypot(q[0] - p[0], q[1] - p[1])) + 1;
    for (let i = 0; i <= n; ++i) {
      const [x, y] = [p[0] + ((q[0] - p[0]) * i) / n, p[1] + ((q[1] - p[1]) * i) / n];
      if (x > box.left && x < box.right && y > box.top && y < box.bottom) return [x, y];
    }
  }
  return null;
}

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
        assert.deepEqual(m.clipped, [], `${m.url} at ${width} px: a select cut off`);
        for (const { y: [yMin, yMax], x: [, xMax], runs } of m.curves) {
          const at = `${m.url} curve at ${width} px`;
          // Never below a decade under 1/(10 x effective paths) of the run: nothing is known there.
          const floor = Math.min(...runs.map((r) => 1 / (10 * (r.effective > 0 ? r.effective : r.paths))));
          assert.ok(yMin >= floor / 10 - 1e-15, `${at}: y axis down to ${yMin}, below ${floor / 10}`);
          // Everything the headline quotes stays on the axis.
          for (const r of runs) {
            for (const p of [r.estimate, r.low, r.target].filter((v) => v > 0)) assert.ok(yMin <= p && p <= yMax, `${at}: ${p} outside [${yMin}, ${yMax}]`);
            // The marked funds (current, needed) in view, as far as the curve goes.
            for (const f of [r.balance, r.required].filter((v) => v > 0)) {
              assert.ok(Math.min(f, runs[0].last.fund) / 1e6 <= xMax + 1e-9, `${at}: fund ${f} right of the axis (${xMax} M)`);
            }
          }
          // The x axis reaches where the first curve meets the bottom, and goes no further than
          // where the last one does (give or take a grid step) or a little past a marked fund: the
          // funds where every curve is below the axis are not drawn.
          const marked = Math.max(...runs.flatMap((r) => [r.balance, r.required].filter((v) => v > 0)));
          const step = runs[0].step / 1e6;
          assert.ok(xMax >= Math.min(runs[0].below / 1e6, runs[0].last.fund / 1e6) - 1e-9, `${at}: x axis to ${xMax} M, the curve goes on to ${runs[0].below / 1e6} M`);
          const end = Math.max(...runs.map((r) => r.below / 1e6 + step), 1.1 * marked / 1e6);
          assert.ok(xMax <= end, `${at}: x axis to ${xMax} M though every curve is below ${yMin} past ${end} M`);
        }
        for (const c of m.charts) {
          if (['curve', 'waterfall'].includes(c.id)) assert.ok(c.labels.length > 0, `${c.id}: labels recorded`);
          for (const l of c.labels) {
            assert.ok(l.left >= 0 && l.right <= c.width && l.top >= 0 && l.bottom <= c.height,
              `${m.url} ${c.id} at ${width} px: "${l.text}" at [${l.left.toFixed(1)}, ${l.right.toFixed(1)}] x [${l.top.toFixed(1)}, ${l.bottom.toFixed(1)}] outside ${c.width} x ${c.height}`);
          }
          c.labels.forEach((p, i) => c.labels.slice(i + 1).forEach((q) => assert.ok(!overlap(p, q),
            `${m.url} ${c.id} at ${width} px: "${p.text}" overlaps "${q.text}"`)));
          // The curve chart's marker labels off the probability curves they annotate.
          if (c.id === 'curve') {
            for (const l of c.labels) for (const line of c.lines) {
              const hit = pointIn(line, l);
              assert.equal(hit, null, `${m.url} curve at ${width} px: "${l.text}" lies on the curve at ${hit?.map((v) => v.toFixed(1))}`);
            }
          }
        }
      }
      await page.screenshot({ path: join(shots, `layout-${path.replace(/[/?=]/g, '_').replace(/\.html.*$/, '')}-${width}.png`), fullPage: true });
    }
    assert.deepEqual(b.consoleErrors, []);
  });
}
