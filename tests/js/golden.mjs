// The parity fixtures of tests/golden/ and the comparison both native and node tests use:
// identical counts of paths, other numbers (weighted counts too) equal to 1e-9 relative (docs/formulas.md#random-numbers).
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

export const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const golden = join(root, 'tests/golden');
const RELATIVE = 1e-9;
const COUNT = /\/(events|histogram|never|paths)(\/|$)/;

export const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));

/** [{command, input, expected}] for every fixture (see scripts/update-golden). */
export function fixtures() {
  const out = [];
  for (const f of readdirSync(golden).sort()) {
    if (f.startsWith('sweep-') && !f.includes('.expected.'))
      out.push({ command: 'sweep', input: join(golden, f), expected: join(golden, f.replace(/\.json$/, '.expected.json')) });
    if (!f.startsWith('sim-') || !f.endsWith('.json') || f.includes('.expected.')) continue;
    const stem = join(golden, f.replace(/\.json$/, ''));
    out.push({ command: 'simulate', input: join(golden, f), expected: `${stem}.expected.json` });
    out.push({ command: 'stress', input: join(golden, f), expected: `${stem}.stress.expected.json` });
  }
  for (const f of readdirSync(join(root, 'scenarios')).sort()) {
    if (!f.endsWith('.json')) continue;
    out.push({ command: 'stress', input: join(root, 'scenarios', f),
      expected: join(golden, `stress-${f.replace(/\.json$/, '')}.expected.json`) });
  }
  for (const f of out) assert.ok(existsSync(f.expected), `${f.expected} missing: run scripts/update-golden`);
  return out;
}

/** Asserts `actual` equals `expected` within the parity tolerance; names the first difference. */
export function assertClose(actual, expected, where = '') {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (actual === expected) return;
    // A weighted count (importance sampling: a sum of likelihood ratios) is a number like any other.
    assert.ok(!(COUNT.test(where) && Number.isInteger(expected)), `${where}: count ${actual} != ${expected}`);
    assert.ok(Math.abs(actual - expected) <= RELATIVE * Math.max(Math.abs(actual), Math.abs(expected)),
      `${where}: ${actual} vs ${expected}`);
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where}: expected an array`);
    assert.equal(actual.length, expected.length, `${where}: length`);
    expected.forEach((e, i) => assertClose(actual[i], e, `${where}/${i}`));
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object', `${where}: expected an object`);
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${where}: members`);
    for (const k of Object.keys(expected)) assertClose(actual[k], expected[k], `${where}/${k}`);
    return;
  }
  assert.equal(actual, expected, where);
}
