// The TypeScript declarations: type-check a consumer file with tsc, and check that every
// runtime export of the module is declared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './golden.mjs';
import * as api from '../../wasm/backstop.mjs';

test('tsc --noEmit over tests/js/types-usage.ts passes against wasm/backstop.d.ts', () => {
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '--noEmit', '-p', join(root, 'tests/js/tsconfig.json')],
      { cwd: root, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
});

test('every runtime export is declared', () => {
  const dts = readFileSync(join(root, 'wasm/backstop.d.ts'), 'utf8');
  const declared = new Set([...dts.matchAll(/^export (?:class|function|const) (\w+)/gm)].map((m) => m[1]));
  if (/^export default /m.test(dts)) declared.add('default');
  assert.deepEqual(Object.keys(api).sort(), [...declared].sort());
});
