// The scenarios shipped in scenarios/*.json. The page carries their names (preset-names.json,
// written by scripts/pin-presets.mjs) and the default one; the others are a chunk of their own
// (preset-data.js, with the permalink's reader and writer, which compare a scenario with every
// preset), fetched when a preset is picked or a link is read or written.
import NAMES from './preset-names.json';
import DEFAULT from '../../scenarios/default.json';
import { lazy } from './lazy.js';

/** The preset keys in the picker's order ('default' first, then by key). */
export const PRESET_KEYS = Object.keys(NAMES);

export const isPresetKey = (key) => typeof key === 'string' && Object.hasOwn(NAMES, key);

export const presetLabel = (key) => (isPresetKey(key) ? NAMES[key] : key);

/** {PRESETS, PRESET_CATALOG, readFragment, writeFragment} from the chunk preset-data.js (a promise). */
export const presetData = lazy('preset scenarios', async () => {
  const { presetsWith, readFragment, writeFragment } = await import('./preset-data.js');
  return { ...presetsWith(DEFAULT), readFragment, writeFragment };
});

/** The bundled scenario `key` (a promise; the default needs no fetch). Not a copy: clone it before editing. */
export async function presetScenario(key) {
  if (!isPresetKey(key)) throw new Error(`no preset "${key}"`);
  return key === 'default' ? DEFAULT : (await presetData()).PRESETS[key];
}
