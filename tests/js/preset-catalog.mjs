// The bundled presets and their pinned versions read from disk, as the widget bundles them
// (web/widget/presets.js), for tests that write or read permalinks in Node.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { presetCatalog, readFragment } from '../../web/widget/permalink.js';

const root = new URL('../..', import.meta.url).pathname;
export const PRESETS = Object.fromEntries(readdirSync(join(root, 'scenarios')).filter((f) => f.endsWith('.json'))
  .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(root, 'scenarios', f), 'utf8'))]));
export const PINS = JSON.parse(readFileSync(join(root, 'web/widget/preset-pins.json'), 'utf8'));
export const catalog = presetCatalog(PRESETS, PINS);

/** {a, b, w} of a permalink's fragment (either format). */
export const linkState = (hash) => readFragment(hash, catalog);
