// The scenarios shipped in scenarios/*.json, bundled as JSON modules (no fetch at run time).
// Their earlier versions (preset-pins.json) are a chunk of their own, loaded only to open a link
// that names one.
import { presetCatalog } from './permalink.js';

const files = import.meta.glob('../../scenarios/*.json', { eager: true, import: 'default' });

/** {key: scenario}, keyed by file stem ('default', 'btc-large-venue', ...), 'default' first. */
export const PRESETS = Object.fromEntries(
  Object.entries(files)
    .map(([path, scenario]) => [path.replace(/^.*\/|\.json$/g, ''), scenario])
    .sort(([a], [b]) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b))),
);

export const presetLabel = (key) => PRESETS[key]?.name ?? key;

/** The presets a permalink may name: these, and earlier versions pinned by scripts/pin-presets.mjs. */
export const PRESET_CATALOG = presetCatalog(PRESETS, async () => (await import('./preset-pins.json')).default);
