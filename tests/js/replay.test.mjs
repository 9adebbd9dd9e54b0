// bs.replay (wasm) against the native CLI on the same scenario and path: the same steps and
// totals, from a CSV (closes, or closes with high/low and dates) and from the scenario's own
// `replay` field; a one-row path equals stress's event for that shock; errors name the line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBackstop, BackstopError } from '../../wasm/backstop.mjs';
import { assertClose } from './golden.mjs';

const CLI = fileURLToPath(new URL('../../build/native/cli/backstop', import.meta.url));
const at = (rel) => fileURLToPath(new URL(`../../${rel}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'backstop-replay-'));
const bs = await createBackstop();
let n = 0;

function cli(scenarioFile, csv, ...flags) {
  const args = ['replay', scenarioFile];
  if (csv !== undefined) {
    const file = join(dir, `path-${n++}.csv`);
    writeFileSync(file, csv);
    args.push(file);
  }
  const r = spawnSync(CLI, [...args, ...flags], { encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const scenario = (name) => JSON.parse(readFileSync(at(`scenarios/${name}.json`), 'utf8'));

// A fall of 45 % over five days and part of the way back, as closes only and as candles.
const CLOSES = [0.97, 0.9, 0.72, 0.55, 0.62, 0.7];
const closesCsv = (p0) => 'close\n' + CLOSES.map((f) => p0 * f).join('\n') + '\n';
const candlesCsv = (p0) => 'date,open,high,low,close\n' + CLOSES.map((f, i) => {
  const d = `2024-05-${String(10 + i).padStart(2, '0')}`;
  return [d, p0, p0 * Math.max(f, 1) * 1.01, p0 * f * 0.96, p0 * f].join(',');
}).join('\n') + '\n';

for (const name of ['default', 'btc-large-venue', 'drift-sol', 'token-fund']) {
  test(`bs.replay on ${name} equals the CLI (closes, candles with dates, --interval-days)`, async () => {
    const s = scenario(name);
    const p0 = s.market.mark_price;
    const file = at(`scenarios/${name}.json`);
    const closes = await bs.replay(s, closesCsv(p0));
    assert.equal(closes.steps.length, CLOSES.length);
    assert.deepEqual(closes.steps.map((x) => x.t_days), [1, 2, 3, 4, 5, 6]);
    assertClose(closes, cli(file, closesCsv(p0)));
    const candles = await bs.replay(s, candlesCsv(p0));
    assertClose(candles, cli(file, candlesCsv(p0)));
    // The lows reach further than the closes: at least as much is liquidated.
    assert.ok(candles.totals.liquidated_notional >= closes.totals.liquidated_notional);
    const half = await bs.replay(s, closesCsv(p0), { intervalDays: 0.5 });
    assert.deepEqual(half.steps.map((x) => x.t_days), [0.5, 1, 1.5, 2, 2.5, 3]);
    assertClose(half, cli(file, closesCsv(p0), '--interval-days', '0.5'));
  });
}

test('bs.replay on the scenario\'s own replay field equals the CLI', async () => {
  const file = at('tests/golden/replay-hand.json');
  const s = JSON.parse(readFileSync(file, 'utf8'));
  const wasm = await bs.replay(s, null);
  assert.deepEqual(wasm.steps.map((x) => x.price), s.replay.close);
  assertClose(wasm, cli(file));
  // The same path written as a CSV gives the same result.
  const csv = 'close,high,low\n' + s.replay.close.map((c, i) => `${c},${s.replay.high[i]},${s.replay.low[i]}`).join('\n');
  assert.deepEqual(await bs.replay(s, csv), wasm);
});

test('a one-row path to P0·(1+s) without fee inflow is stress\'s event for shock s', async () => {
  const s = scenario('default');
  s.fund.fee_share = 0;
  const shock = -0.3;
  const event = bs.stress({ ...s, stress: { shocks: [shock] } }).events[0];
  const r = await bs.replay(s, `close\n${s.market.mark_price * (1 + shock)}\n`);
  assert.equal(r.steps[0].fee_inflow, 0);
  for (const k of ['liquidated_notional', 'bad_debt', 'penalties_to_fund'])
    assert.ok(Math.abs(r.steps[0][k] - event[k]) <= 1e-9 * Math.max(1, Math.abs(event[k])), `${k}: ${r.steps[0][k]} vs ${event[k]}`);
});

test('replay errors name the line in wasm as in the CLI, and a bad replay field by its pointer', async () => {
  const s = scenario('default');
  await assert.rejects(bs.replay(s, 'close\n60000\nabc\n'), (e) => {
    assert.ok(e instanceof BackstopError);
    assert.equal(e.pointer, '/csv');
    assert.match(e.message, /line 3: price "abc" is not a number/);
    return true;
  });
  const file = join(dir, 'bad.csv');
  writeFileSync(file, 'close\n60000\nabc\n');
  const r = spawnSync(CLI, ['replay', at('scenarios/default.json'), file], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /line 3: price "abc" is not a number/);
  await assert.rejects(bs.replay({ ...s, replay: { close: [60000, 0] } }, null), (e) => e.pointer === '/replay/close/1');
  assert.equal(bs.validate({ ...s, replay: { close: [60000, 0] } }).errors[0].pointer, '/replay/close/1');
});
