// The hostile-input table at the CLI (build/native/cli/backstop): exit 2, the error code and
// the field's JSON pointer on stderr, refusals of huge work in under a second.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE, CASES, CSV_CASES, TEXTS } from './hostile-cases.mjs';

const CLI = fileURLToPath(new URL('../../build/native/cli/backstop', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'backstop-hostile-'));
let n = 0;

function run(command, text, ...flags) {
  const file = join(dir, `case-${n++}.json`);
  writeFileSync(file, text);
  const t0 = performance.now();
  const r = spawnSync(CLI, [command, file, ...flags], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { ...r, ms: performance.now() - t0 };
}

function assertRefused(r, code, pointer) {
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`\\(${code}\\)`));
  assert.ok(r.stderr.includes(`  ${pointer || '(document)'}: `), r.stderr);
}

for (const c of CASES) {
  test(`CLI refuses: ${c.name}`, () => {
    // NaN and Infinity cannot be written as JSON: the CLI sees them as literal text.
    const text = c.text ? c.text(JSON.stringify(BASE, null, 2)) : JSON.stringify(c.make());
    const r = run(c.command ?? 'stress', text);
    assertRefused(r, c.code, c.pointer);
    if (c.code === 'limit_exceeded') assert.ok(r.ms < 1000, `refused after ${r.ms} ms`);
  });
}

for (const c of TEXTS) {
  test(`CLI refuses: ${c.name}`, () => {
    const r = run('validate', c.make());
    assertRefused(r, c.code, c.pointer);
    assert.ok(r.ms < 1000, `refused after ${r.ms} ms`);
  });
}

for (const c of CSV_CASES) {
  test(`CLI calibrate refuses: ${c.name}, naming the line`, () => {
    const file = join(dir, `case-${n++}.csv`);
    writeFileSync(file, c.text);
    const r = spawnSync(CLI, ['calibrate', file], { encoding: 'utf8' });
    assertRefused(r, c.code, file);
    assert.ok(r.stderr.includes(`${file}: line ${c.line}: `), r.stderr);
  });
}

test('CLI calibrate: a bad --interval-days is named as the flag', () => {
  const file = join(dir, `case-${n++}.csv`);
  writeFileSync(file, ['close', ...Array.from({ length: 40 }, (_, i) => String(100 + (i % 3)))].join('\n'));
  assertRefused(spawnSync(CLI, ['calibrate', file, '--interval-days', 'x'], { encoding: 'utf8' }), 'invalid_input', '--interval-days');
  assertRefused(spawnSync(CLI, ['calibrate', file, '--interval-days', '-1'], { encoding: 'utf8' }), 'invalid_input', '--interval-days');
  const ok = spawnSync(CLI, ['calibrate', file, '--model', 'gbm', '--interval-days', '0.5'], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).interval_days, 0.5);
});

test('CLI: --paths past the limit is limit_exceeded naming --paths, also written 1e9', () => {
  for (const p of ['1e9', '10000001']) {
    const r = run('simulate', JSON.stringify(BASE), '--paths', p);
    assertRefused(r, 'limit_exceeded', '--paths');
    assert.match(r.stderr, /more than the limit of 10000000/);
  }
  const bad = run('simulate', JSON.stringify(BASE), '--paths', '2.5');
  assertRefused(bad, 'invalid_input', '--paths');
});

test('CLI: validate lists the bad field with exit 2; a valid scenario still works', () => {
  const bad = run('validate', JSON.stringify({ ...BASE, fund: { balance: -1 } }));
  assert.equal(bad.status, 2);
  assert.equal(JSON.parse(bad.stdout).errors[0].pointer, '/fund/balance');
  const ok = run('stress', JSON.stringify(BASE));
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).events.length, BASE.stress.shocks.length);
});
