// One report module for the CLI and the widget: for the same result, bs.report (wasm) writes
// byte for byte what `backstop <command> -f markdown|csv` prints (the CLI's own JSON result is
// handed to the wasm core), and the widget's exports (web/widget/format.js) are those reports,
// readable by a CSV reader and inert under markdown-it with hostile names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { createBackstop } from '../../wasm/backstop.mjs';
import { toMarkdown, toCSV } from '../../web/widget/format.js';
import { BASE, NAMES, liveMarkup } from './hostile-cases.mjs';
import { ROOT, STAGES, cli, scratch, table } from './report-io.mjs';

const file = scratch('backstop-reports-wasm-');
const bs = await createBackstop();

// The CLI's JSON result, then every format of it from the CLI and from wasm.
async function samePrinted(command, path, input, tables, ...flags) {
  const result = JSON.parse(cli(command, path, ...flags));
  assert.equal(await bs.report(command, result, { input }), cli(command, path, ...flags, '-f', 'markdown'), `${command} markdown`);
  for (const t of tables)
    assert.equal(await bs.report(command, result, { input, format: 'csv', table: t }), cli(command, path, ...flags, '-f', 'csv', '--table', t), `${command} csv ${t}`);
  return result;
}

for (const f of readdirSync(join(ROOT, 'scenarios')).filter((x) => x.endsWith('.json'))) {
  test(`stress of ${f}: the wasm report is the CLI's, table by table`, async () => {
    const path = join(ROOT, 'scenarios', f);
    await samePrinted('stress', path, JSON.parse(readFileSync(path, 'utf8')), ['events', 'positions', 'adl_fills']);
  });
}

test('simulate, size, sweep, validate and position: the wasm report is the CLI\'s', async () => {
  const path = file(BASE);
  await samePrinted('simulate', path, BASE, ['summary', 'curve', 'fund_quantiles'], '--paths', '2000', '--seed', '5');
  await samePrinted('size', path, BASE, ['summary', 'curve'], '--paths', '2000', '--seed', '5');
  const sw = { ...BASE, sweep: { parameter: '/policy/penalty/rate', values: [0, 0.01] } };
  await samePrinted('sweep', file(sw), sw, ['points'], '--paths', '500');
  const pos = JSON.parse(readFileSync(join(ROOT, 'tests/golden/position-linear-long.json'), 'utf8'));
  await samePrinted('position', join(ROOT, 'tests/golden/position-linear-long.json'), pos, ['position']);
  await samePrinted('validate', path, BASE, ['errors']);
});

test('the report command names a bad command, format or table', async () => {
  await assert.rejects(bs.report('nope', {}), (e) => e.pointer === '/command');
  await assert.rejects(bs.report('stress', {}, { format: 'pdf' }), (e) => e.pointer === '/format');
  await assert.rejects(bs.report('stress', { events: [] }, { format: 'csv', table: 'nope' }), (e) => e.pointer === '/table');
  await assert.rejects(bs.table([{ key: 'x', unit: 'furlongs' }], [[1]]), (e) => e.pointer === '/result/columns/0/unit');
});

// A result as the widget holds it: the scenario, the simulate result and the stress events.
async function side(doc, paths = 1000) {
  return { scenario: doc, result: await bs.simulate(doc, { paths }), stress: bs.stress(doc) };
}

test('widget exports: the CSV is `backstop simulate -f csv` for the same result; the Markdown holds the core\'s reports', async () => {
  const path = file(BASE);
  // The widget holding the results the CLI computed.
  const a = { scenario: BASE, result: JSON.parse(cli('simulate', path, '--paths', '1000')), stress: JSON.parse(cli('stress', path)) };
  assert.equal(await toCSV({ bs, scenario: BASE, result: a.result }), cli('simulate', path, '--paths', '1000', '-f', 'csv'));
  const md = await toMarkdown({ bs, a, b: null, sweep: null, permalink: 'http://127.0.0.1/index.html#s=abc', version: bs.version });
  assert.ok(md.includes(cli('simulate', path, '--paths', '1000', '-f', 'markdown')), 'the simulate report');
  assert.ok(md.includes(cli('stress', path, '-f', 'markdown')), 'the stress report');
  assert.match(md, /\[open this scenario\]\(http:\/\/127\.0\.0\.1\/index\.html#s=abc\)/);
  // Each stress row adds up, read from the widget's stress CSV.
  for (const e of table(await bs.report('stress', a.stress, { format: 'csv', input: BASE })))
    assert.ok(Math.abs(STAGES.reduce((s, k) => s + Number(e[k]), 0) - Number(e.bad_debt)) < 1e-5);
});

test('widget A/B Markdown: probability changes in percentage points', async () => {
  const a = await side(BASE);
  const proposed = structuredClone(BASE);
  proposed.fund.balance *= 2;
  const b = await side(proposed);
  const md = await toMarkdown({ bs, a, b, sweep: null, permalink: 'http://x/#s=1', version: bs.version });
  const row = md.split('\n').find((l) => l.startsWith('| P(fund depleted within horizon) |'));
  const [, cur, prop, change] = row.replace(/ \|$/, '').split(' | ');
  const delta = 100 * (b.result.depletion_probability.estimate - a.result.depletion_probability.estimate);
  assert.equal(change, `${delta > 0 ? '+' : ''}${delta.toFixed(2)} pp`, row);
  assert.ok(cur.endsWith('%') && prop.endsWith('%'));
  assert.match(md, /\| Insurance fund \| [^|]+ \| [^|]+ \| changed \|/);
});

for (const hostile of NAMES) {
  test(`widget exports with the name ${JSON.stringify(hostile)}: inert Markdown, one CSV field`, async () => {
    const doc = structuredClone(BASE);
    doc.name = hostile;
    doc.market.symbol = hostile;
    const a = await side(doc, 300);
    const b = await side({ ...structuredClone(doc), name: `${hostile} (proposed)` }, 300);
    for (const md of await Promise.all([
      toMarkdown({ bs, a, b: null, sweep: null, permalink: 'http://x/#s=1', version: bs.version }),
      toMarkdown({ bs, a, b, sweep: null, permalink: 'http://x/#s=1', version: bs.version }),
    ]))
      assert.deepEqual(liveMarkup(md, MarkdownIt), [], md);
    const expect = /^[=+\-@]/.test(hostile) ? `'${hostile}` : hostile;
    assert.equal(table(await toCSV({ bs, scenario: doc, result: a.result }))[0].scenario, expect);
    assert.equal(table(await bs.report('stress', a.stress, { format: 'csv', input: doc }))[0].market, expect);
  });
}

// The values in effect for fields left to the venue. Independent values: dYdX v4's
// max_liquidation_fee_ppm 15000 (x/clob liquidations config: 1.5 %) and Binance's clearance fee
// (0.3 % BTC, 0.5 % other contracts); an override is shown as given.
test('fields left to the venue: the policy in effect in bs.policy, the CLI Markdown and the widget\'s export', async () => {
  const dex = JSON.parse(readFileSync(join(ROOT, 'scenarios/dex-midcap.json'), 'utf8'));
  assert.equal(dex.policy.penalty, undefined, 'dex-midcap leaves the penalty to the venue');
  const [m] = bs.policy(dex).markets;
  assert.equal(m.symbol, dex.market.symbol);
  assert.deepEqual({ mode: m.policy.penalty.mode, rate: m.policy.penalty.rate }, { mode: 'fee_rate', rate: 0.015 });
  const line = /In effect: liquidation penalty 1\.50 % of the notional closed \(100\.0 % to the fund\)/;
  assert.match(cli('stress', file(dex), '-f', 'markdown'), line);
  assert.match(cli('simulate', file(dex), '--paths', '200', '-f', 'markdown'), line);
  // The widget's parameter table: the value in effect, marked as the venue's; an override as given.
  const inEffect = (doc) => bs.policy(doc).markets[0].policy;
  const a = { ...(await side(dex, 200)), inEffect: inEffect(dex) };
  const exported = await toMarkdown({ bs, a, b: null, sweep: null, permalink: 'http://x/#p=1', version: bs.version });
  assert.match(exported, /\| Liquidation penalty \| 1\.5 % \(venue default\) \|/);
  // The ADL ranking by its label (dYdX v4's is random), as the CLI writes it; not its id.
  assert.equal(m.policy.adl_ranking, 'random');
  const ranking = /ADL ranking random \(dYdX\)\./;
  assert.match(exported, ranking);
  assert.match(cli('simulate', file(dex), '--paths', '200', '-f', 'markdown'), ranking);
  const set = structuredClone(dex);
  set.policy.penalty = { mode: 'fee_rate', rate: 0.004 };
  assert.equal(inEffect(set).penalty.rate, 0.004);
  const b = { ...(await side(set, 200)), inEffect: inEffect(set) };
  assert.match(await toMarkdown({ bs, a: b, b: null, sweep: null, permalink: 'http://x/#p=1', version: bs.version }),
    /\| Liquidation penalty \| 0\.4 % \|/);
  assert.match(cli('stress', file(set), '-f', 'markdown'), /In effect: liquidation penalty 0\.40 %/);
  // Binance's clearance fee by contract (0.3 % on BTC, 0.5 % on others): the preset picks by symbol.
  const def = JSON.parse(readFileSync(join(ROOT, 'scenarios/default.json'), 'utf8'));
  assert.equal(inEffect(def).penalty.rate, 0.003);
  assert.equal(inEffect({ ...def, market: { ...def.market, symbol: 'ETH-PERP' } }).penalty.rate, 0.005);
});
