// The newcomer check: examples/node-simulate.mjs (written from the README) prints the same
// depletion probability as the native CLI on the same scenario and seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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
