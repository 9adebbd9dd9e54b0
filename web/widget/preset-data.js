// The presets but the default, and the permalink's reader and writer that compare a scenario with
// every preset (a link is a patch on the nearest one): a chunk of its own in the library, loaded by
// presets.js when a preset is picked or a link is read or written. It imports nothing the page's
// script holds (which would split that into a further chunk fetched at load): the page passes its
// default preset in. Earlier versions of the presets (preset-pins.json) are a further chunk, read
// only to open a link that names one.
import { presetCatalog } from './permalink.js';

export { readFragment, writeFragment } from './permalink.js';

const files = import.meta.glob(['../../scenarios/*.json', '!../../scenarios/default.json'], { eager: true, import: 'default' });
const others = Object.entries(files).map(([path, scenario]) => [path.replace(/^.*\/|\.json$/g, ''), scenario])
  .sort(([a], [b]) => a.localeCompare(b));

/**
 * The presets, {key: scenario} keyed by file stem ('default' first, then by key), with
 * `defaultScenario` (scenarios/default.json) as 'default', and the catalog a permalink may name:
 * these, and earlier versions pinned by scripts/pin-presets.mjs.
 */
export function presetsWith(defaultScenario) {
  const PRESETS = Object.fromEntries([['default', defaultScenario], ...others]);
  return { PRESETS, PRESET_CATALOG: presetCatalog(PRESETS, async () => (await import('./preset-pins.json')).default) };
}
