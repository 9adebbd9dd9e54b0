// The figures the README quotes match what they describe: the work limits against the
// constants the core checks, the robustness sweep against its test, the library size
// against the built file. A figure that drifts fails here instead of misleading a reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const read = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const readme = read('README.md');

// `inline constexpr <type> kName = <literal>;` → the literal's text and value.
function constants(path) {
  const out = {};
  for (const m of read(path).matchAll(/constexpr\s+(?:long long|double|int|(?:std::)?size_t)\s+(k\w+)\s*=\s*([0-9.e+-]+)(?:LL|u)?\s*(<<\s*(\d+))?/g))
    out[m[1]] = { text: m[2], value: Number(m[2]) * (m[4] ? 2 ** Number(m[4]) : 1) };
  return out;
}
const limits = constants('core/include/backstop/model/scenario.hpp');
const api = constants('core/src/io/api.cpp');
const ruin = constants('core/include/backstop/ruin/ruin.hpp');

const grouped = (n) => n.toLocaleString('en-US');
const row = (label) => {
  const line = readme.split('\n').find((l) => l.startsWith(`| ${label}`));
  assert.ok(line, `README Limits table has no row starting "| ${label}"`);
  return line;
};
// The number as a whole token: not part of a longer number ("1,440" in "1,440, x" but not in "11,440").
const hasNumber = (text, n) => new RegExp(`(?<![\\d.]|\\d,)${grouped(n)}(?!\\d|[,.]\\d)`).test(text);

test('README Limits table matches the limits the core enforces', () => {
  const table = [
    ['paths × steps per run', ['kMaxPathSteps']],
    ['paths (', ['kMaxPaths']],
    ['steps per path', ['kMaxStepsPerPath', 'kMaxStepsPerDay', 'kMaxHorizonDays']],
    ['per-path records kept', ['kMaxRecordCells']],
    ['drawdown ADL look-back', ['kMaxDrawdownWindowSteps']],
    ['explicit positions', ['kMaxPositions']],
    ['leverage buckets', ['kMaxLeverageBuckets']],
    ['stress shocks', ['kMaxShocks']],
    ['bootstrap returns', ['kMaxBootstrapReturns']],
    ['cascade iterations per step', ['kMaxCascadeIterations']],
    ['markets', ['kMaxMarkets']],
    ['fund holdings', ['kMaxFundHoldings']],
    ['sweep values per axis', ['kMaxSweepValues', 'kMaxSweepPoints']],
  ];
  for (const [label, names] of table)
    for (const name of names) {
      assert.ok(limits[name], `${name} not found in core/include/backstop/model/scenario.hpp`);
      assert.ok(hasNumber(row(label), limits[name].value), `README row "${label}" should quote ${name} = ${grouped(limits[name].value)}: ${row(label)}`);
    }
  // 8 bytes per record cell.
  assert.ok(row('per-path records kept').includes(`(${limits.kMaxRecordCells.value * 8 / 1e6} MB)`));
  assert.ok(ruin.kMaxClaimEntries, 'kMaxClaimEntries not found in core/include/backstop/ruin/ruin.hpp');
  assert.ok(hasNumber(row('bootstrap returns'), ruin.kMaxClaimEntries.value));
  assert.ok(api.kMaxInputBytes && api.kMaxDepth, 'kMaxInputBytes / kMaxDepth not found in core/src/io/api.cpp');
  assert.ok(row('scenario JSON').includes(`${api.kMaxInputBytes.value / 2 ** 20} MiB`) && hasNumber(row('scenario JSON'), api.kMaxDepth.value));
  const cal = constants('core/include/backstop/calibrate/calibrate.hpp');
  assert.ok(cal.kMaxPrices && cal.kMaxCsvBytes && cal.kMinReturns, 'calibrate limits not found');
  assert.ok(hasNumber(row('calibrate: prices'), cal.kMaxPrices.value) && row('calibrate: prices').includes(`${cal.kMaxCsvBytes.value / 2 ** 20} MiB`) &&
    row('calibrate: prices').includes(`at least ${cal.kMinReturns.value + 1} prices`));
  // The magnitudes named in the prose under the table.
  assert.ok(readme.includes(`[${limits.kMinPrice.text}, ${limits.kMaxPrice.text}]`), 'price range');
  assert.ok(readme.includes(`above ${limits.kMaxMoney.text}`), 'money maximum');
});

test('README robustness sweep counts match the test', () => {
  const src = read('tests/native/test_robustness_sweep.cpp');
  const counts = [...src.matchAll(/kScenarios\s*=\s*(\d+)/g)].map((m) => Number(m[1]));
  const full = Math.max(...counts), asan = Math.min(...counts);
  assert.ok(full > asan, `counts ${counts}`);
  assert.match(readme, new RegExp(`sweep of ${grouped(full)} random valid scenarios \\(\`RobustnessSweep\`, ${grouped(asan)} under`));
});

test('README library size matches the built files', () => {
  const m = /Size: the script about (\d+) KiB raw, about (\d+) KiB\s+gzipped; the start wasm about (\d+) KiB raw, about (\d+) KiB\s+gzipped; the full wasm about (\d+) KiB raw, about (\d+) KiB\s+gzipped/.exec(readme);
  assert.ok(m, 'README should say "Size: the script about A KiB raw, about B KiB gzipped; the start wasm about C KiB raw, about D KiB gzipped; the full wasm about E KiB raw, about F KiB gzipped"');
  const files = [['backstop-calculator.js', m[1], m[2]], ['backstop_start.wasm', m[3], m[4]], ['backstop_core.wasm', m[5], m[6]]];
  for (const [name, raw, gz] of files) {
    const file = new URL(`../../dist/web/lib/${name}`, import.meta.url);
    assert.ok(existsSync(file), `dist/web/lib/${name} is missing: run \`npm run build\` (npm test builds it first)`);
    const bytes = readFileSync(file);
    const rawKiB = bytes.length / 1024, gzKiB = gzipSync(bytes, { level: 9 }).length / 1024;
    // Rounded figures: within 10 % of the file.
    assert.ok(Math.abs(rawKiB / Number(raw) - 1) <= 0.1, `${name}: raw ${rawKiB.toFixed(0)} KiB, README says ${raw} KiB`);
    assert.ok(Math.abs(gzKiB / Number(gz) - 1) <= 0.1, `${name}: gzipped ${gzKiB.toFixed(0)} KiB, README says ${gz} KiB`);
  }
  // The script carries no copy of the wasm ("AGFzbQ" is base64 of its magic number "\\0asm").
  assert.ok(!readFileSync(new URL('../../dist/web/lib/backstop-calculator.js', import.meta.url), 'latin1').includes('AGFzbQ'));
});
