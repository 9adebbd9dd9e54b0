#!/usr/bin/env node
// Pins the versions of the bundled presets (scenarios/*.json) in web/widget/preset-pins.json,
// so a permalink written against a preset keeps opening to the same scenario after the preset
// changes: the current version is marked "current"; a version no longer current is stored in
// full, its content taken from git history. It also writes the presets' names (the picker's
// labels) to web/widget/preset-names.json. Run it after editing a preset (tests/js/permalink
// fails until then). Usage: node scripts/pin-presets.mjs
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { presetVersion } from '../web/widget/permalink.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const file = join(root, 'web/widget/preset-pins.json');
const pins = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
const git = (...args) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });

/** The content of scenarios/<key>.json at the version `version`, searched through git history. */
function fromHistory(key, version) {
  const path = `scenarios/${key}.json`;
  for (const rev of git('log', '--all', '--format=%H', '--', path).split('\n').filter(Boolean)) {
    let text;
    try { text = git('show', `${rev}:${path}`); } catch { continue; }
    try {
      const s = JSON.parse(text);
      if (presetVersion(s) === version) return s;
    } catch { /* not JSON at that commit */ }
  }
  throw new Error(`${path} at version ${version} is not in git history: links pinned to it cannot be kept`);
}

const current = Object.fromEntries(readdirSync(join(root, 'scenarios')).filter((f) => f.endsWith('.json'))
  .map((f) => [f.replace(/\.json$/, ''), presetVersion(JSON.parse(readFileSync(join(root, 'scenarios', f), 'utf8')))]));
for (const key of new Set([...Object.keys(pins), ...Object.keys(current)])) {
  const entry = (pins[key] ??= {});
  for (const [version, value] of Object.entries(entry)) {
    if (value === 'current' && version !== current[key]) {
      entry[version] = fromHistory(key, version);
      console.log(`${key}: version ${version} superseded, stored in full`);
    }
  }
  if (current[key] && entry[current[key]] !== 'current') {
    entry[current[key]] = 'current';
    console.log(`${key}: version ${current[key]} pinned`);
  }
}
const sorted = Object.fromEntries(Object.keys(pins).sort().map((k) => [k, pins[k]]));
writeFileSync(file, JSON.stringify(sorted, null, 2) + '\n');

// The names the preset picker shows at load (the scenarios themselves load when one is picked),
// in the picker's order: 'default' first, then by key.
const names = Object.fromEntries(Object.keys(current)
  .sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)))
  .map((k) => [k, JSON.parse(readFileSync(join(root, 'scenarios', `${k}.json`), 'utf8')).name]));
writeFileSync(join(root, 'web/widget/preset-names.json'), JSON.stringify(names, null, 2) + '\n');
