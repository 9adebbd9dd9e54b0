// bs.calibrate (wasm) against the native CLI on the same CSV: the same fits, and the same
// errors naming the line; an array of prices gives what the CSV of those prices gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createBackstop, BackstopError } from '../../wasm/backstop.mjs';
import { assertClose } from './golden.mjs';

const CLI = fileURLToPath(new URL('../../build/native/cli/backstop', import.meta.url));
const DAX = fileURLToPath(new URL('../data/dax-1991-1998.csv', import.meta.url));
const bs = await createBackstop();

function cli(...args) {
  const r = spawnSync(CLI, ['calibrate', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('bs.calibrate on the DAX CSV equals the CLI (all models)', async () => {
  const native = cli(DAX);
  const wasm = await bs.calibrate(readFileSync(DAX, 'utf8'));
  assert.equal(wasm.best, 'garch');
  assert.equal(wasm.fits.length, 5);
  assertClose(wasm, native);
});

test('bs.calibrate with model and intervalDays equals the CLI flags', async () => {
  const native = cli(DAX, '--model', 'student_t', '--interval-days', '7');
  const wasm = await bs.calibrate(readFileSync(DAX, 'utf8'), { model: 'student_t', intervalDays: 7 });
  assert.equal(wasm.interval_days, 7);
  assert.deepEqual(wasm.fits.map((f) => f.kind), ['student_t']);
  assertClose(wasm, native);
});

test('an array of prices gives the same fit as the CSV of those prices', async () => {
  const prices = readFileSync(DAX, 'utf8').split('\n').filter((l) => /^[0-9]/.test(l)).map(Number);
  assert.equal(prices.length, 1860);
  const fromArray = await bs.calibrate(prices, { model: 'gbm' });
  const fromCsv = await bs.calibrate(readFileSync(DAX, 'utf8'), { model: 'gbm' });
  assert.deepEqual(fromArray, fromCsv);
  assert.deepEqual(await bs.calibrate(Float64Array.from(prices), { model: 'gbm' }), fromCsv);
});

test('CSV errors name the line, in wasm as in the CLI', async () => {
  const text = 'close\n100\n101\nabc\n';
  await assert.rejects(bs.calibrate(text), (e) => {
    assert.ok(e instanceof BackstopError);
    assert.equal(e.code, 'invalid_input');
    assert.equal(e.pointer, '/csv');
    assert.match(e.message, /line 4: price "abc" is not a number/);
    return true;
  });
  const r = spawnSync(CLI, ['calibrate', '-'], { input: text, encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /\(stdin\): line 4: price "abc" is not a number/);
  await assert.rejects(bs.calibrate([100, NaN, 101]), (e) => e.pointer === '/prices/1');
});
