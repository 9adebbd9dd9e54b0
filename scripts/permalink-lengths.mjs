#!/usr/bin/env node
// Lengths of the permalink fragments of tests/golden/permalinks (links as the widget wrote them
// before compression) in format 0 and as the widget writes them now (format 1), plus the same
// scenarios written whole (no preset to patch). Usage: node scripts/permalink-lengths.mjs
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFragment, presetCatalog } from '../web/widget/permalink.js';
import { catalog } from '../tests/js/preset-catalog.mjs';

const dir = join(new URL('..', import.meta.url).pathname, 'tests/golden/permalinks');
const none = presetCatalog({});
console.log('fixture                 format 0   format 1   format 1 without presets');
for (const f of readdirSync(dir).sort()) {
  const fx = JSON.parse(readFileSync(join(dir, f), 'utf8'));
  const state = { a: fx.a, b: fx.b ?? undefined };
  const [now, whole] = [await writeFragment(state, catalog), await writeFragment(state, none)];
  console.log(`${f.replace(/\.json$/, '').padEnd(22)} ${String(fx.fragment.length).padStart(9)} ${String(now.length).padStart(10)} ${String(whole.length).padStart(12)}`);
}
