// What the report tests share: the native CLI run to success, scenario files in a temporary
// folder, and RFC 4180 CSV read strictly (every row as wide as the header).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(ROOT, 'build/native/cli/backstop');
export const STAGES = ['insurance_fund', 'treasury', 'fee_pool', 'backstop_vault', 'adl', 'socialized_loss', 'uncovered'];

export function cli(...args) {
  const r = spawnSync(CLI, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

// A writer of documents (objects as JSON, strings as they are) into a fresh temporary folder.
export function scratch(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let n = 0;
  return (doc) => {
    const f = join(dir, `doc-${n++}.json`);
    writeFileSync(f, typeof doc === 'string' ? doc : JSON.stringify(doc));
    return f;
  };
}

export const table = (text) => parse(text, { columns: true, relax_column_count: false, skip_empty_lines: false });
