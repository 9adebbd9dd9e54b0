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

// A hang guard, not a speed assertion (speed is measured in bench/): a refusal that never comes fails.
const HANG_MS = 120000;

function run(command, text, ...flags) {
  const file = join(dir, `case-${n++}.json`);
  writeFileSync(file, text);
  const r = spawnSync(CLI, [command, file, ...flags], { encoding: 'utf8', maxBuffer: 1 << 26, timeout: HANG_MS });
  return r;
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
  });
}

for (const c of TEXTS) {
  test(`CLI refuses: ${c.name}`, () => {
    const r = run('validate', c.make());
    assertRefused(r, c.code, c.pointer);
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

// replay: bad price CSVs and bad `replay` fields are refused naming the line or the field.
const REPLAY_CSVS = [
  { name: 'no close column', csv: 'date,open\n2020-01-01,1\n', code: 'invalid_input', says: 'line 1: the header "date,open" has no price column' },
  { name: 'a word for a price', csv: 'close\n10\n<b>x</b>\n', code: 'invalid_input', says: 'line 3: price "<b>x</b>" is not a number' },
  { name: 'NaN price', csv: 'Close\nNaN\n', code: 'invalid_input', says: 'line 2: price "NaN" is not a number' },
  { name: 'negative price', csv: 'price\n-5\n', code: 'invalid_input', says: 'line 2: price "-5" must be positive' },
  { name: 'low above the close', csv: 'close,high,low\n10,12,11\n', code: 'invalid_input', says: 'line 2: needs low <= close <= high' },
  { name: 'time going backwards', csv: 'timestamp,close\n1600000000,1\n1500000000,2\n', code: 'invalid_input', says: 'line 3: timestamp "1500000000" is not after' },
  { name: 'a row short of fields', csv: 'close,high,low\n10,11\n', code: 'invalid_input', says: 'line 2: has 2 fields' },
  { name: 'a NUL byte', csv: 'close\n1\u0000\n', code: 'invalid_input', says: 'NUL' },
  { name: 'header only', csv: 'close\n', code: 'invalid_input', says: 'no price rows' },
  { name: 'more rows than the limit', csv: 'close\n' + '1\n'.repeat(20001), code: 'limit_exceeded', says: 'more than the limit of 20000 rows' },
];

function runReplay(scenarioText, csvText, ...flags) {
  const file = join(dir, `case-${n++}.json`);
  writeFileSync(file, scenarioText);
  const args = ['replay', file];
  if (csvText !== undefined) {
    const csv = join(dir, `case-${n++}.csv`);
    writeFileSync(csv, csvText);
    args.push(csv);
  }
  const r = spawnSync(CLI, [...args, ...flags], { encoding: 'utf8', maxBuffer: 1 << 26, timeout: HANG_MS });
  return r;
}

for (const c of REPLAY_CSVS) {
  test(`CLI replay refuses: ${c.name}`, () => {
    const r = runReplay(JSON.stringify(BASE), c.csv);
    assertRefused(r, c.code, '/csv');
    assert.ok(r.stderr.includes(c.says), r.stderr);
  });
}

test('CLI replay refuses bad replay fields and a bad --interval-days, naming them', () => {
  const bad = (replay) => runReplay(JSON.stringify({ ...BASE, replay }));
  assertRefused(bad({ close: [100, -1] }), 'invalid_input', '/replay/close/1');
  assertRefused(bad({ close: [] }), 'invalid_input', '/replay/close');
  assertRefused(bad({ close: [1, 2], high: [3] }), 'invalid_input', '/replay');
  assertRefused(bad({ close: [1], interval_days: 0 }), 'invalid_input', '/replay/interval_days');
  assertRefused(bad({ close: [1], extra: 1 }), 'invalid_input', '/replay/extra');
  assertRefused(runReplay(JSON.stringify(BASE)), 'invalid_input', '/replay');
  assertRefused(runReplay(JSON.stringify(BASE), 'close\n1\n', '--interval-days', '-1'), 'invalid_input', '--interval-days');
});

test('CLI replay: a good path gives one step per row, in json, markdown and csv', () => {
  const csv = 'date,close\n2024-01-01,59000\n2024-01-02,52000\n2024-01-04,61000\n';
  const r = runReplay(JSON.stringify(BASE), csv);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.steps.map((s) => s.t_days), [1, 2, 4]);
  assert.deepEqual(out.steps.map((s) => s.price), [59000, 52000, 61000]);
  const md = runReplay(JSON.stringify(BASE), csv, '--format', 'markdown');
  assert.match(md.stdout, /\| 2 \| 52000 \|/);
  const lines = runReplay(JSON.stringify(BASE), csv, '--format', 'csv').stdout.trim().split('\n');
  assert.equal(lines.length, 4);
  assert.match(lines[0], /^t_days,price,/);
});
