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

test('README library size matches the built file', () => {
  const lib = new URL('../../dist/web/lib/backstop-calculator.js', import.meta.url);
  assert.ok(existsSync(lib), 'dist/web/lib/backstop-calculator.js is missing: run `npm run build` (npm test builds it first)');
  const bytes = readFileSync(lib);
  const m = /Size: about ([\d.]+) MB raw,\s*about (\d+) KiB gzipped/.exec(readme);
  assert.ok(m, 'README should say "Size: about X MB raw, about Y KiB gzipped"');
  const rawMB = bytes.length / 1e6, gzKiB = gzipSync(bytes, { level: 9 }).length / 1024;
  // Rounded figures: within 10 % of the file.
  assert.ok(Math.abs(rawMB / Number(m[1]) - 1) <= 0.1, `raw ${rawMB.toFixed(3)} MB, README says ${m[1]} MB`);
  assert.ok(Math.abs(gzKiB / Number(m[2]) - 1) <= 0.1, `gzipped ${gzKiB.toFixed(0)} KiB, README says ${m[2]} KiB`);
  // "most of it is the base64 wasm": the longest base64 run is over half the file.
  let longest = 0;
  for (const run of bytes.toString('latin1').matchAll(/[A-Za-z0-9+/]{4096,}={0,2}/g)) longest = Math.max(longest, run[0].length);
  assert.ok(longest > bytes.length / 2, `longest base64 run ${longest} of ${bytes.length} bytes`);
});
