// Error mapping at the JS boundary: every failure is a BackstopError with a code, the
// pointer of the offending field and the full list of problems; nothing else escapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBackstop, createPool, BackstopError } from '../../wasm/backstop.mjs';
import { readJson } from './golden.mjs';

const bs = await createBackstop();
const scenario = readJson(new URL('../golden/sim-gbm.json', import.meta.url));

function rejectsWith(code, pointer) {
  return (e) => {
    assert.ok(e instanceof BackstopError, `not a BackstopError: ${e}`);
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'BackstopError');
    assert.equal(e.code, code, e.message);
    if (pointer !== undefined) assert.equal(e.pointer, pointer, e.message);
    assert.ok(Array.isArray(e.errors));
    return true;
  };
}

test('bad field: invalid_input with the pointer, the value in the message and every error', async () => {
  const bad = { ...scenario, market: { ...scenario.market, maintenance_margin_rate: -0.5, mark_price: 'x' } };
  assert.throws(() => bs.stress(bad), (e) => {
    rejectsWith('invalid_input')(e);
    const pointers = e.errors.map((x) => x.pointer);
    assert.ok(pointers.includes('/market/maintenance_margin_rate'), pointers.join());
    assert.ok(pointers.includes('/market/mark_price'), pointers.join());
    assert.equal(e.pointer, e.errors[0].pointer);
    assert.match(e.message, /-0\.5|"x"/);
    return true;
  });
});

test('simulate rejects (not throws synchronously) with the same error, in this thread and in a pool', async () => {
  const bad = { ...scenario, price_model: { ...scenario.price_model, daily_volatility: -1 } };
  await assert.rejects(bs.simulate(bad), rejectsWith('invalid_input', '/price_model/daily_volatility'));
  await assert.rejects(bs.simulate(bad, { workers: 2 }), rejectsWith('invalid_input', '/price_model/daily_volatility'));
});

test('non-JSON text: invalid_input at the whole document', async () => {
  assert.throws(() => bs.stress('{"market": '), rejectsWith('invalid_input', ''));
  assert.throws(() => bs.call('stress', 'not json at all'), (e) => rejectsWith('invalid_input', '')(e) &&
    /not valid JSON/.test(e.message));
});

test('values JSON cannot carry: invalid_input', async () => {
  const cyclic = {};
  cyclic.self = cyclic;
  assert.throws(() => bs.stress(cyclic), rejectsWith('invalid_input', ''));
  assert.throws(() => bs.stress(1n), rejectsWith('invalid_input', ''));
});

test('work limit exceeded: limit_exceeded naming the field, before any work starts', async () => {
  const huge = { ...scenario, simulation: { ...scenario.simulation, paths: 10000000, horizon_days: 365 } };
  const t0 = Date.now();
  await assert.rejects(bs.simulate(huge), rejectsWith('limit_exceeded', '/simulation/paths'));
  await assert.rejects(bs.simulate(huge, { workers: 2 }), rejectsWith('limit_exceeded', '/simulation/paths'));
  assert.ok(Date.now() - t0 < 5000);
  await assert.rejects(bs.size(huge), rejectsWith('limit_exceeded', '/simulation/paths'));
});

test('deeply nested input: limit_exceeded', async () => {
  assert.throws(() => bs.stress('['.repeat(10000) + ']'.repeat(10000)), rejectsWith('limit_exceeded', ''));
});

test('paths out of range: limit_exceeded past the limit, invalid_input below 0, naming the option', async () => {
  await assert.rejects(bs.simulate(scenario, { paths: 1e9 }), rejectsWith('limit_exceeded', '/options/paths'));
  await assert.rejects(bs.simulate(scenario, { paths: 1e9, workers: 2 }), rejectsWith('limit_exceeded', '/options/paths'));
  await assert.rejects(bs.simulate(scenario, { paths: -3 }), rejectsWith('invalid_input', '/options/paths'));
});

test('unknown command: invalid_input listing every command (the full module\'s)', async () => {
  await assert.rejects(bs.call('explode', scenario), (e) => rejectsWith('invalid_input', '')(e) &&
    /explode/.test(e.message) && /simulate/.test(e.message) && /calibrate/.test(e.message));
});

test('validate never throws: {valid, errors}', async () => {
  assert.deepEqual(bs.validate(scenario), { valid: true, errors: [] });
  const r = bs.validate({ ...scenario, fund: { balance: -1 } });
  assert.equal(r.valid, false);
  assert.equal(r.errors[0].pointer, '/fund/balance');
  const t = bs.validate('{');
  assert.equal(t.valid, false);
  assert.equal(t.errors[0].pointer, '');
});

test('cancellation: AbortSignal rejects with code cancelled; the pool keeps working', async () => {
  const pool = createPool(2);
  try {
    const ac = new AbortController();
    const running = bs.simulate(scenario, { pool, paths: 400000, signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    await assert.rejects(running, rejectsWith('cancelled'));
    const already = new AbortController();
    already.abort();
    await assert.rejects(bs.simulate(scenario, { pool, signal: already.signal }), rejectsWith('cancelled'));
    await assert.rejects(bs.simulate(scenario, { signal: already.signal }), rejectsWith('cancelled'));
    const after = await bs.simulate(scenario, { pool, paths: 200 });
    assert.deepEqual(after, await bs.simulate(scenario, { paths: 200 }));
  } finally {
    pool.terminate();
  }
});

test('terminating a pool rejects its running simulations with cancelled', async () => {
  const pool = createPool(2);
  const running = bs.simulate(scenario, { pool, paths: 400000 });
  setTimeout(() => pool.terminate(), 100);
  await assert.rejects(running, rejectsWith('cancelled'));
  await assert.rejects(bs.simulate(scenario, { pool }), rejectsWith('cancelled'));
});

test('bad pool sizes: invalid_input', async () => {
  assert.throws(() => createPool(0), rejectsWith('invalid_input'));
  assert.throws(() => createPool(1.5), rejectsWith('invalid_input'));
});
