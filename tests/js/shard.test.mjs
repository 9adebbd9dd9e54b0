// Runs split by paths at the CLI (docs/outputs.md, partial results): four shard processes run
// side by side, `backstop merge` of their parts prints byte for byte what the unsplit run prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../build/native/cli/backstop', import.meta.url));
const golden = (name) => fileURLToPath(new URL(`../golden/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'backstop-shard-'));
const HANG_MS = 300000;  // a hang guard, not a speed assertion

// One process, its stdout collected as bytes.
function runAsync(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(CLI, args);
    const out = [];
    let err = '';
    const timer = setTimeout(() => child.kill(), HANG_MS);
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => { err += d; });
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout: Buffer.concat(out), stderr: err });
    });
  });
}

const run = (args, input) => spawnSync(CLI, args, { input, maxBuffer: 1 << 28, timeout: HANG_MS });

// The four shards at once, each part written to its file; returns the files.
async function shardsInParallel(command, scenario, flags, name) {
  const results = await Promise.all([0, 1, 2, 3].map((i) => runAsync([command, scenario, ...flags, '--shard', `${i}/4`, '--partial'])));
  return results.map((r, i) => {
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.subarray(0, 19).toString(), 'backstop-partial 1\n');
    const file = join(dir, `${name}-${i}.part`);
    writeFileSync(file, r.stdout);
    return file;
  });
}

test('simulate: four shards run in parallel merge to the unsplit output, in every format', async () => {
  for (const scenario of ['sim-merton-cascade.json', 'sim-multi-market.json']) {
    const flags = ['--paths', '1001', '--seed', '17'];
    const parts = await shardsInParallel('simulate', golden(scenario), flags, scenario);
    for (const format of ['json', 'markdown', 'csv']) {
      const whole = run(['simulate', golden(scenario), ...flags, '--format', format]);
      assert.equal(whole.status, 0, whole.stderr.toString());
      const merged = run(['merge', ...parts.reverse(), '--format', format]);
      assert.equal(merged.status, 0, merged.stderr.toString());
      assert.ok(merged.stdout.equals(whole.stdout), `${scenario} ${format}: merge differs from simulate`);
    }
    const json = JSON.parse(run(['simulate', golden(scenario), ...flags]).stdout);
    assert.equal(json.paths, 1001);
    assert.equal(json.seed, 17);
  }
});

test('simulate with importance sampling: the shards weight their paths as the unsplit run does', async () => {
  const tail = fileURLToPath(new URL('../../bench/scenarios/tail-gbm-1e-4.json', import.meta.url));
  const flags = ['--paths', '2000', '--importance', 'auto'];
  const parts = await shardsInParallel('simulate', tail, flags, 'tail');
  const whole = run(['simulate', tail, ...flags]);
  assert.equal(whole.status, 0, whole.stderr.toString());
  assert.equal(JSON.parse(whole.stdout).depletion_probability.method, 'importance_sampling');
  const merged = run(['merge', ...parts]);
  assert.equal(merged.status, 0, merged.stderr.toString());
  assert.ok(merged.stdout.equals(whole.stdout), 'importance-sampled merge differs from simulate');
});

test('sweep: four shards run in parallel merge to the sweep output; a part can come on stdin', async () => {
  const flags = ['--paths', '203', '--parameter', '/policy/penalty/rate', '--values', '0,0.004,0.01'];
  const parts = await shardsInParallel('sweep', golden('sweep-penalty.json'), flags, 'sweep');
  for (const format of ['json', 'csv']) {
    const whole = run(['sweep', golden('sweep-penalty.json'), ...flags, '--format', format]);
    assert.equal(whole.status, 0, whole.stderr.toString());
    const merged = run(['merge', parts[0], parts[1], '-', parts[3], '--format', format], readFileSync(parts[2]));
    assert.equal(merged.status, 0, merged.stderr.toString());
    assert.ok(merged.stdout.equals(whole.stdout), `sweep ${format}: merge differs from sweep`);
  }
  assert.equal(JSON.parse(run(['merge', ...parts]).stdout).points.length, 3);
});

test('merge refuses a missing shard, a shard twice, parts of two runs, naming file and field', async () => {
  const flags = ['--paths', '40'];
  const parts = await shardsInParallel('simulate', golden('sim-gbm.json'), flags, 'refuse');
  const refused = (args, says) => {
    const r = run(['merge', ...args]);
    assert.equal(r.status, 2, r.stderr.toString());
    assert.match(r.stderr.toString(), /\(invalid_input\)/);
    assert.ok(r.stderr.toString().includes(says), r.stderr.toString());
  };
  refused([parts[0], parts[1], parts[3]], '/shard: 1 of 4 shards missing: 2 (paths 20 to 30)');
  refused([parts[0], parts[1], parts[1], parts[2]], `${parts[1]}: /shard/index: shard 1/4 is given twice`);
  const other = join(dir, 'other-seed.part');
  const o = run(['simulate', golden('sim-gbm.json'), ...flags, '--seed', '99', '--shard', '3/4', '--partial']);
  assert.equal(o.status, 0, o.stderr.toString());
  writeFileSync(other, o.stdout);
  refused([parts[0], parts[1], parts[2], other], `${other}: /seed: is 99 but ${parts[0]} has`);
  const help = run(['merge', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout.toString(), /Examples:\n  backstop merge part-0.bin/);
  // A shard without --partial, and an index past the count, are refused before any work.
  for (const [shard, says] of [['1/4', '--shard: needs --partial'], ['4/4', '--shard: is 4/4: the index must be 0 to 3']]) {
    const r = run(['simulate', golden('sim-gbm.json'), '--shard', shard, ...(shard === '4/4' ? ['--partial'] : [])]);
    assert.equal(r.status, 2);
    assert.ok(r.stderr.toString().includes(says), r.stderr.toString());
  }
});
