// The hostile-input table at the JS API: every case a BackstopError with the code and the
// field's JSON pointer (also for JS NaN/Infinity, which JSON.stringify would turn into null),
// and the next valid call still gives the same result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBackstop, BackstopError } from '../../wasm/backstop.mjs';
import { BASE, CASES, CSV_CASES, TEXTS } from './hostile-cases.mjs';

const bs = await createBackstop();
const reference = bs.stress(BASE);

const isError = (code, pointer) => (e) => {
  assert.ok(e instanceof BackstopError, `not a BackstopError: ${e}`);
  assert.equal(e.code, code, e.message);
  assert.equal(e.pointer, pointer, e.message);
  assert.ok(e.errors.length >= 1 && e.errors.every((x) => typeof x.message === 'string' && x.message.length > 0));
  return true;
};

function expectError(fn, code, pointer) {
  assert.throws(fn, isError(code, pointer));
}

for (const c of [...CASES, ...TEXTS]) {
  test(`JS API refuses: ${c.name}; the next valid call still works`, () => {
    const input = c.make();
    expectError(() => bs.call(c.command ?? 'stress', input), c.code, c.pointer);
    // validate reports the same field without throwing.
    if (typeof input !== 'string' || input.length < 1e6) {
      const v = bs.validate(input);
      assert.equal(v.valid, false);
      assert.ok(v.errors.some((e) => e.pointer === c.pointer), JSON.stringify(v.errors).slice(0, 300));
    }
    assert.deepEqual(bs.stress(BASE), reference);
  });
}

test('JS NaN / Infinity in options name the option', async () => {
  await assert.rejects(bs.simulate(BASE, { paths: NaN }), (e) => e.code === 'invalid_input' && e.pointer === '/options/paths');
  await assert.rejects(bs.simulate(BASE, { seed: Infinity, workers: 2 }), (e) => e.code === 'invalid_input' && e.pointer === '/options/seed');
});

test('every NaN in a document is listed, each by its pointer', () => {
  const s = structuredClone(BASE);
  s.market.mark_price = NaN;
  s.book.leverage[1].share = -Infinity;
  expectError(() => bs.stress(s), 'invalid_input', '/market/mark_price');
  try { bs.stress(s); } catch (e) {
    assert.deepEqual(e.errors.map((x) => x.pointer), ['/market/mark_price', '/book/leverage/1/share']);
    assert.match(e.errors[1].message, /-Infinity/);
  }
});

test('10^12 path-steps refused before any path runs, also through a worker pool', async () => {
  const huge = structuredClone(BASE);
  huge.simulation = { ...huge.simulation, paths: 10000000, horizon_days: 3650, steps_per_day: 28 };
  let progressed = false;
  await assert.rejects(bs.simulate(huge, { workers: 2, onProgress: () => { progressed = true; } }),
    (e) => e.code === 'limit_exceeded' && e.pointer === '/simulation/paths');
  assert.equal(progressed, false);
  const small = await bs.simulate(BASE, { paths: 50 });
  assert.equal(small.paths, 50);
  assert.ok(small.depletion_probability.estimate >= 0 && small.depletion_probability.estimate <= 1);
});

for (const c of CSV_CASES) {
  test(`JS API calibrate refuses: ${c.name}, naming the line`, async () => {
    await assert.rejects(bs.calibrate(c.text), isError(c.code, '/csv'));
    await assert.rejects(bs.calibrate(c.text), (e) => e.message.includes(`line ${c.line}: `));
  });
}
