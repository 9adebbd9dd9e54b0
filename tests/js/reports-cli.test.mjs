// The CLI's reports as a reader meets them (build/native/cli/backstop): every CSV table parsed
// by a real CSV reader (csv-parse, strict column counts), each stress row adding up to its bad
// debt, numbers in plain decimal; every Markdown report rendered by markdown-it with HTML off
// and on, hostile names inert (tests/js/hostile-cases.mjs NAMES).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { BASE, NAMES, liveMarkup } from './hostile-cases.mjs';
import { CLI, ROOT, STAGES, cli, scratch, table } from './report-io.mjs';

const file = scratch('backstop-reports-');
const SCENARIOS = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.json')).map((f) => join(ROOT, 'scenarios', f));
const PLAIN = /^-?\d+(\.\d+)?$/;

// Every numeric cell is a plain decimal (no exponent, no separators, no 17-digit residue).
function assertPlainNumbers(rows, textColumns) {
  for (const row of rows)
    for (const [k, v] of Object.entries(row))
      if (!textColumns.includes(k) && v !== '') assert.match(v, PLAIN, `${k} = ${v}`);
}

for (const path of SCENARIOS) {
  const name = path.split('/').pop();
  test(`stress CSV of ${name}: every table reads strictly, each row adds up to its bad debt`, () => {
    const events = table(cli('stress', path, '-f', 'csv'));
    assert.ok(events.length > 0);
    for (const k of ['shock', 'market', 'bad_debt', ...STAGES, 'penalties_to_fund', 'penalties_to_vault', 'fund_after', 'vault_after', 'fee_pool_after', 'treasury_after'])
      assert.ok(k in events[0], `column ${k}`);
    assertPlainNumbers(events, ['market']);
    for (const e of events) {
      const paid = STAGES.reduce((s, k) => s + Number(e[k]), 0);
      // Each cell is rounded to 6 decimals: the sum of 7 differs by at most 7 × 5e-7.
      assert.ok(Math.abs(paid - Number(e.bad_debt)) <= 4e-6 + 1e-12 * Number(e.bad_debt), `${e.shock} ${e.market}: ${paid} vs ${e.bad_debt}`);
    }
    // Several markets: each market's rows and the "all markets" row; the markets add up to it.
    const markets = new Set(events.map((e) => e.market));
    if (markets.has('all markets')) {
      for (const shock of new Set(events.map((e) => e.shock))) {
        const rows = events.filter((e) => e.shock === shock);
        const all = rows.find((e) => e.market === 'all markets');
        const sum = rows.filter((e) => e !== all).reduce((s, e) => s + Number(e.bad_debt), 0);
        assert.ok(Math.abs(sum - Number(all.bad_debt)) <= 1e-5 * rows.length, `${shock}: markets ${sum} vs all ${all.bad_debt}`);
      }
    }
    const positions = table(cli('stress', path, '-f', 'csv', '--table', 'positions'));
    assertPlainNumbers(positions, ['id', 'liquidated', 'backstopped']);
    table(cli('stress', path, '-f', 'csv', '--table', 'adl_fills'));
  });

  test(`stress Markdown of ${name} renders without live markup`, () => {
    const md = cli('stress', path, '-f', 'markdown');
    assert.deepEqual(liveMarkup(md, MarkdownIt), []);
    assert.ok(!/e[+-]\d/.test(md.replace(/[A-Za-z]+e[+-]?\d/g, '')), 'no exponent form');
  });
}

test('stress: the fee pool and the treasury are columns of the table, and the row adds up (issue 20)', () => {
  const drift = table(cli('stress', join(ROOT, 'scenarios/drift-sol.json'), '-f', 'csv'));
  const crash = drift.find((e) => Number(e.shock) === -0.3);
  assert.ok(Number(crash.fee_pool) > 0, 'the fee pool paid part of the -30 % bad debt');
  const doc = JSON.parse(readFileSync(join(ROOT, 'scenarios/token-fund.json'), 'utf8'));
  doc.fund.treasury = { ...(doc.fund.treasury ?? {}), delay_days: 0 };
  const rows = table(cli('stress', file(doc), '-f', 'csv'));
  assert.ok(rows.some((e) => Number(e.treasury) > 0), 'the treasury pays in some shock');
});

test('simulate CSV: one headline row, and its curve and fund quantiles as tables of their own', () => {
  const s = file(BASE);
  const summary = table(cli('simulate', s, '--paths', '2000', '--seed', '3', '-f', 'csv'));
  assert.equal(summary.length, 1);
  const json = JSON.parse(cli('simulate', s, '--paths', '2000', '--seed', '3'));
  assert.equal(Number(summary[0].depletion_probability), json.depletion_probability.estimate);
  assert.equal(Number(summary[0].paths), 2000);
  assert.equal(summary[0].seed, '3');
  assertPlainNumbers(summary, ['scenario', 'version']);
  const curve = table(cli('simulate', s, '--paths', '2000', '--seed', '3', '-f', 'csv', '--table', 'curve'));
  assert.equal(curve.length, json.curve.length);
  const q = table(cli('simulate', s, '--paths', '2000', '--seed', '3', '-f', 'csv', '--table', 'fund_quantiles'));
  assert.equal(q.length, json.fund_quantiles.days.length);
});

test('simulate of several markets: the markets table', () => {
  const rows = table(cli('simulate', join(ROOT, 'scenarios/alts-pooled.json'), '--paths', '300', '-f', 'csv', '--table', 'markets'));
  assert.equal(rows.length, 5);
  const share = rows.reduce((s, r) => s + Number(r.share_of_bad_debt), 0);
  assert.ok(share === 0 || Math.abs(share - 1) < 1e-9, `shares sum to ${share}`);
});

test('size Markdown holds the curve; sweep CSV one row per point', () => {
  const s = file(BASE);
  const md = cli('size', s, '--paths', '2000', '-f', 'markdown');
  const json = JSON.parse(cli('size', s, '--paths', '2000'));
  const curveRows = md.split('\n').filter((l) => /^\| [\d,]+ \| [\d.<]/.test(l));
  assert.equal(curveRows.length, json.curve.length, md);
  assert.deepEqual(liveMarkup(md, MarkdownIt), []);
  const sweep = table(cli('sweep', s, '--paths', '500', '--parameter', '/policy/penalty/rate', '--values', '0,0.005,0.01', '-f', 'csv'));
  assert.deepEqual(sweep.map((r) => r['/policy/penalty/rate']), ['0', '0.005', '0.01']);
  assertPlainNumbers(sweep, []);
});

test('validate: the README position example is valid; problems are a pointer/message table a CSV reader reads', () => {
  assert.deepEqual(JSON.parse(cli('validate', join(ROOT, 'tests/golden/position-linear-long.json'))), { valid: true });
  const bad = file({ ...BASE, fund: { balance: -1, 'odd, key': 1 }, market: { ...BASE.market, mark_price: 'x' } });
  const r = spawnSync(CLI, ['validate', bad, '-f', 'csv'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  const rows = table(r.stdout);
  assert.deepEqual(Object.keys(rows[0]), ['pointer', 'message']);
  assert.ok(rows.length >= 3, r.stdout);
  assert.ok(rows.some((e) => e.pointer === '/fund/balance'));
  const md = spawnSync(CLI, ['validate', bad, '-f', 'markdown'], { encoding: 'utf8' }).stdout;
  assert.match(md, /\| field \(JSON pointer\) \| problem \|/);
  assert.match(md, /\| \/fund\/balance \| /);
  assert.ok(!md.includes('errors[0]'), 'not a flattened dump');
  const badPosition = file({ contract: 'linear', maintenance_margin_rate: 0.005, position: { side: 'long', quantity: -1, entry_price: 100, collateral: 10 } });
  const p = spawnSync(CLI, ['validate', badPosition], { encoding: 'utf8' });
  assert.equal(p.status, 2);
  assert.deepEqual(JSON.parse(p.stdout).errors.map((e) => e.pointer), ['/position/quantity']);
});

test('ruin, calibrate and replay CSV read strictly (method texts with commas stay one field)', () => {
  const ruin = table(cli('ruin', join(ROOT, 'tests/golden/ruin-lognormal.json'), '-f', 'csv'));
  assert.ok(ruin.some((r) => r.value.includes(',')), 'a method text with a comma, quoted');
  const cal = table(cli('calibrate', join(ROOT, 'tests/data/dax-1991-1998.csv'), '--model', 'gbm', '-f', 'csv'));
  assert.ok(cal.length > 3);
  const replay = table(cli('replay', file(BASE), join(ROOT, 'tests/data/dax-1991-1998.csv'), '-f', 'csv'));
  assert.ok(replay.length > 100);
  assertPlainNumbers(replay, []);
});

test('CLI: a flag the subcommand does not use is an error naming it; misspelt commands get a suggestion', () => {
  const s = file(BASE);
  const r = spawnSync(CLI, ['stress', s, '--paths', '5'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--paths is not an option of stress/);
  for (const [cmd, flag] of [['validate', '--seed'], ['position', '--threads'], ['ruin', '--paths']]) {
    const x = spawnSync(CLI, [cmd, s, flag, '1'], { encoding: 'utf8' });
    assert.equal(x.status, 2, `${cmd} ${flag}`);
    assert.match(x.stderr, new RegExp(`${flag} is not an option of ${cmd}`));
  }
  const typo = spawnSync(CLI, ['simulat', s], { encoding: 'utf8' });
  assert.equal(typo.status, 2);
  assert.match(typo.stderr, /did you mean simulate\?/);
  for (const cmd of ['stress', 'simulate', 'size', 'sweep', 'validate', 'position', 'ruin', 'replay', 'calibrate'])
    assert.match(cli(cmd, '--help'), new RegExp(`Examples:\\n  backstop ${cmd} `), `${cmd} --help has examples`);
});

for (const hostile of NAMES) {
  test(`hostile name ${JSON.stringify(hostile)}: inert in every Markdown report, one field in every CSV`, () => {
    const doc = structuredClone(BASE);
    doc.name = hostile;
    doc.market.symbol = hostile;
    doc.book = { positions: [
      { id: hostile, side: 'long', quantity: 10, entry_price: doc.market.mark_price, collateral: doc.market.mark_price },
      { id: 'short-1', side: 'short', quantity: 10, entry_price: doc.market.mark_price, collateral: doc.market.mark_price },
    ] };
    doc.simulation.paths = 300;
    const s = file(doc);
    for (const cmd of ['stress', 'simulate', 'size']) {
      const md = cli(cmd, s, '-f', 'markdown');
      assert.deepEqual(liveMarkup(md, MarkdownIt), [], `${cmd}:\n${md}`);
    }
    const sweep = file({ ...doc, sweep: { parameter: '/policy/penalty/rate', values: [0, 0.01] } });
    assert.deepEqual(liveMarkup(cli('sweep', sweep, '-f', 'markdown'), MarkdownIt), []);
    // The name reads back exactly (less a formula's leading apostrophe) from every CSV.
    const expect = /^[=+\-@]/.test(hostile) ? `'${hostile}` : hostile;
    assert.equal(table(cli('simulate', s, '-f', 'csv'))[0].scenario, expect);
    assert.equal(table(cli('stress', s, '-f', 'csv'))[0].market, expect);
    assert.ok(table(cli('stress', s, '-f', 'csv', '--table', 'positions')).some((p) => p.id === expect));
    // A hostile key reaches validate's messages: still inert, still one field.
    const bad = file({ ...doc, [hostile]: 1 });
    const v = spawnSync(CLI, ['validate', bad, '-f', 'markdown'], { encoding: 'utf8' });
    assert.equal(v.status, 2);
    assert.deepEqual(liveMarkup(v.stdout, MarkdownIt), [], v.stdout);
    const vc = table(spawnSync(CLI, ['validate', bad, '-f', 'csv'], { encoding: 'utf8' }).stdout);
    assert.equal(vc.length, 1);
  });
}
