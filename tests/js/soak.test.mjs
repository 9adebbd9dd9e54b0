// 10,000 alternating valid and invalid calls must leave the wasm heap flat: an exception
// escaping through Embind would leak wasm stack and memory (TOOLCHAIN.md pitfall 5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backstop, createBackstop, BackstopError } from '../../wasm/backstop.mjs';
import { loadCore } from '../../wasm/load-core.mjs';
import { readJson } from './golden.mjs';

const bs = await createBackstop();
// The full module (every command), as the API loads it on the first call the start module lacks.
const full = new Backstop(await loadCore('full'), null);
const scenario = readJson(new URL('../golden/sim-student-t-positions.json', import.meta.url));
const small = JSON.stringify({ ...scenario, stress: { shocks: [-0.1] } });
const position = { maintenance_margin_rate: 0.005,
  position: { side: 'long', quantity: 1, entry_price: 100, collateral: 10 } };

const valid = [
  () => full.call('position', position),
  () => assert.equal(bs.validate(small).valid, true),
  () => bs.stress(small),
  // a run to a precision keeps its records in the module until closed
  () => {
    const m = bs._module, run = m.precisionOpen();
    const batch = m.simulateBatch(small, '{"path_begin": 0, "path_end": 2}');
    assert.equal(JSON.parse(m.precisionAppend(run, small, '', batch)).result.paths, 2);
    assert.equal(JSON.parse(m.precisionResult(run, small, '')).result.paths, 2);
    m.precisionClose(run);
  },
];
const invalid = [
  () => full.call('position', { ...position, position: { ...position.position, quantity: -1 } }),
  () => full.call('report', { command: 'stress', format: 'pdf', result: {} }),
  () => bs.stress('{"market": nope'),
  () => bs.stress({ ...scenario, market: { ...scenario.market, mark_price: Number.NaN } }),
  () => full.call('no_such_command', small),
  () => bs.stress('['.repeat(100) + ']'.repeat(100)),
  // the pool's entry points, called as a worker would
  () => { const r = bs._module.simulateBatch(small, '{"path_begin": 5, "path_end": 2}'); if (typeof r === 'string') throw new BackstopError('x', r); },
  () => { throw new BackstopError('x', bs._module.simulateMerge(small, '', new Float64Array([1, 0, 3, 1, 0]))); },
  () => {
    const run = bs._module.precisionOpen();
    try { throw new BackstopError('x', bs._module.precisionAppend(run, small, '', new Float64Array([1, 0, 3, 1, 0]))); }
    finally { bs._module.precisionClose(run); }
  },
  () => { throw new BackstopError('x', bs._module.precisionResult(-1, small, '')); },
];

function round(i) {
  if (i % 2 === 0) {
    valid[(i / 2) % valid.length]();
    return;
  }
  assert.throws(invalid[((i - 1) / 2) % invalid.length], BackstopError);
}

test('10,000 alternating valid and invalid calls leave the heap flat', () => {
  for (let i = 0; i < 500; ++i) round(i);  // warm-up: allocator pools reach their steady size
  const before = [bs.memoryStats(), full.memoryStats()];
  for (let i = 0; i < 10000; ++i) round(i);
  const after = [bs.memoryStats(), full.memoryStats()];
  for (const k of [0, 1]) {
    const [b, a] = [before[k], after[k]], name = ['start', 'full'][k];
    assert.equal(a.memory, b.memory, `${name}: wasm memory grew from ${b.memory} to ${a.memory} bytes`);
    // Finer than the memory size, which grows in large steps: nothing stays allocated and
    // no leaked exception frame moves the stack.
    assert.equal(a.heapInUse, b.heapInUse, `${name}: malloc'd bytes went from ${b.heapInUse} to ${a.heapInUse}`);
    assert.equal(a.stackPointer, b.stackPointer, `${name}: the wasm stack pointer moved`);
  }
  assert.equal(bs.memoryBytes(), after[0].memory);
  const r = full.call('position', position);  // and the module still answers correctly
  assert.equal(r.bankruptcy_price, 90);
  assert.equal(r.liquidation_price, 90 / 0.995);
});
