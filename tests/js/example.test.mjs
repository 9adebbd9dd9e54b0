// The newcomer check: examples/node-simulate.mjs (written from the README) prints the same
// depletion probability as the native CLI on the same scenario and seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './golden.mjs';

const cli = join(root, 'build/native/cli/backstop');

test('examples/node-simulate.mjs prints the depletion probability of `backstop simulate`',
  { skip: !existsSync(cli) && 'native CLI not built', timeout: 300000 }, () => {
    const scenario = join(root, 'scenarios/default.json');
    const printed = execFileSync(process.execPath, [join(root, 'examples/node-simulate.mjs'), scenario],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const ours = Number(/depletion probability: (\S+)/.exec(printed)?.[1]);
    const native = JSON.parse(execFileSync(cli, ['simulate', scenario, '--format', 'json', '--threads', '2'],
      { encoding: 'utf8', maxBuffer: 1 << 28 }));
    assert.equal(ours, native.depletion_probability.estimate, printed);
  });

// examples/paths/: replay paths assembled from published figures (each file cites its source and
// says it is an approximation). The path replays through the CLI as its comments say, with the
// cited closes, and its money adds up: each step's bad debt is the sum of its waterfall.
test('examples/paths/btc-2020-03-12-13.csv replays on btc-large-venue with the cited closes',
  { skip: !existsSync(cli) && 'native CLI not built' }, () => {
    const path = join(root, 'examples/paths/btc-2020-03-12-13.csv');
    const text = readFileSync(path, 'utf8');
    assert.match(text, /APPROXIMATION/);
    const r = JSON.parse(execFileSync(cli, ['replay', join(root, 'scenarios/btc-large-venue.json'), path, '--format', 'json'],
      { encoding: 'utf8', maxBuffer: 1 << 26 }));
    assert.deepEqual(r.steps.map((s) => s.price), [4830, 5400]);
    assert.deepEqual(r.steps.map((s) => s.t_days), [1, 2]);
    for (const s of r.steps) {
      const stages = Object.values(s.waterfall).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(stages - s.bad_debt) <= 1e-6 * Math.max(1, s.bad_debt), JSON.stringify(s));
      assert.ok(s.liquidated_notional > 0, 'the crash liquidates');
    }
  });
