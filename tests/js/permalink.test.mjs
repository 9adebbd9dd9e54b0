// Permalinks (web/widget/permalink.js): links written before keep opening to the same scenario,
// the merge patch against RFC 7386's own examples, the compressed payload against zlib, pinned
// preset versions, and a hostile table of links (each a PermalinkError naming what is wrong).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { createBackstop } from '../../wasm/backstop.mjs';
import {
  readFragment, writeFragment, mergePatch, diffPatch, presetCatalog, presetVersion, canonical,
  PermalinkError, MAX_INFLATED, MAX_FRAGMENT,
} from '../../web/widget/permalink.js';
import { PRESETS, PINS, catalog } from './preset-catalog.mjs';

const root = new URL('../..', import.meta.url).pathname;
const FIXTURES = readdirSync(join(root, 'tests/golden/permalinks')).sort()
  .map((f) => ({ file: f, ...JSON.parse(readFileSync(join(root, 'tests/golden/permalinks', f), 'utf8')) }));
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
/** A format-1 fragment around any document, compressed by zlib (not by the code under test). */
const zlibLink = (doc) => `#p=1.${b64url(deflateRawSync(Buffer.from(typeof doc === 'string' ? doc : JSON.stringify(doc))))}`;

test('the fixtures hold the three links the issue measures', () => {
  assert.deepEqual(FIXTURES.map((f) => f.file), ['alts-pooled-ab.json', 'alts-pooled.json', 'default.json']);
});

for (const fx of FIXTURES) {
  test(`a link written before format 1 still opens to the same scenario: ${fx.file}`, async () => {
    const got = await readFragment(fx.fragment, catalog);
    assert.deepStrictEqual(got.a, fx.a);
    if (fx.b) assert.deepStrictEqual(got.b, fx.b);
    else assert.equal(got.b, undefined);
  });

  test(`format 1 round trip, shorter than format 0: ${fx.file}`, async () => {
    const frag = await writeFragment({ a: fx.a, b: fx.b ?? undefined }, catalog);
    assert.match(frag, /^#p=1\.[A-Za-z0-9_-]+$/);
    const got = await readFragment(frag, catalog);
    assert.equal(canonical(got.a), canonical(fx.a));
    if (fx.b) assert.equal(canonical(got.b), canonical(fx.b));
    // The limit for a chat message is 2,000 characters, for the whole URL.
    assert.ok(frag.length + 'https://example.org/backstop/index.html'.length < 2000, `${frag.length} characters`);
    assert.ok(frag.length * 4 < fx.fragment.length, `${frag.length} vs ${fx.fragment.length} before`);
  });
}

test('the payload is plain deflate-raw of JSON: zlib reads what the writer wrote', async () => {
  const fx = FIXTURES.find((f) => f.file === 'alts-pooled-ab.json');
  const frag = await writeFragment({ a: fx.a, b: fx.b, w: { pointer: '/fund/fee_share', from: '0', to: '30', count: '4', paths: '300' } }, catalog);
  const doc = JSON.parse(inflateRawSync(Buffer.from(frag.slice('#p=1.'.length), 'base64url')).toString('utf8'));
  assert.equal(doc.a.preset, 'alts-pooled');
  assert.equal(doc.a.version, presetVersion(PRESETS['alts-pooled']));
  assert.deepEqual(doc.a.patch, {}, 'a is the preset as bundled (it runs 4,000 paths, as the page asks)');
  assert.deepEqual(doc.b.patch, { name: fx.b.name, fund: { balance: fx.b.fund.balance } }, 'b is its change from a');
  assert.equal(doc.w.pointer, '/fund/fee_share');
});

test('a scenario far from every preset is carried whole', async () => {
  const s = { name: 'own', market: { symbol: 'X', mark_price: 1 }, unknown_section: { k: [1, null, 2] } };
  const frag = await writeFragment({ a: s }, catalog);
  const doc = JSON.parse(inflateRawSync(Buffer.from(frag.slice(5), 'base64url')).toString('utf8'));
  assert.deepEqual(doc.a, { scenario: s });
  assert.deepStrictEqual((await readFragment(frag, catalog)).a, s);
});

// RFC 7386, Appendix A: target, patch, result.
const RFC7386 = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];
test('mergePatch gives RFC 7386 Appendix A\'s results', () => {
  for (const [target, patch, result] of RFC7386) assert.deepStrictEqual(mergePatch(target, patch), result, JSON.stringify([target, patch]));
});

/** The JSON pointers of the null values in a document. */
const nullsOf = (v, at = '') => (v === null ? [at] : v && typeof v === 'object'
  ? Object.entries(v).flatMap(([k, x]) => (Array.isArray(v) ? [] : nullsOf(x, `${at}/${k}`))) : []);

test('diffPatch: every preset to every other, and back through mergePatch', () => {
  const all = Object.values(PRESETS);
  let patched = 0;
  for (const x of all) for (const y of all) {
    const p = diffPatch(x, y);
    // Only a null in y that x does not hold at the same place cannot be written as a merge patch.
    const inexpressible = nullsOf(y).some((at) => !nullsOf(x).includes(at));
    assert.equal(p === null, inexpressible, `${x.name} -> ${y.name}`);
    if (p) assert.equal(canonical(mergePatch(x, p)), canonical(y));
    patched += p ? 1 : 0;
  }
  assert.ok(patched > all.length, `${patched} of ${all.length ** 2} pairs patched`);
  assert.deepEqual(diffPatch(PRESETS.default, PRESETS.default), {});
  // A null value cannot be written by a merge patch: no patch, so the writer carries the scenario.
  assert.equal(diffPatch({ a: 1 }, { a: null }), null);
  assert.equal(diffPatch({}, { a: { b: null } }), null);
});

test('every bundled preset\'s version is pinned (run node scripts/pin-presets.mjs after editing one)', () => {
  for (const [key, s] of Object.entries(PRESETS)) {
    assert.equal(PINS[key]?.[presetVersion(s)], 'current',
      `scenarios/${key}.json changed since its version was pinned: run node scripts/pin-presets.mjs so links to the old version keep opening`);
  }
  for (const [key, versions] of Object.entries(PINS)) {
    for (const [version, s] of Object.entries(versions)) {
      if (s === 'current') assert.equal(presetVersion(PRESETS[key]), version, `${key}: only the bundled version is current`);
      else assert.equal(presetVersion(s), version, `${key}: the stored content is version ${version}`);
    }
  }
});

test('the picker\'s labels (web/widget/preset-names.json, the page\'s only copy of the names) are the presets\' names, default first', () => {
  const names = JSON.parse(readFileSync(join(root, 'web/widget/preset-names.json'), 'utf8'));
  const keys = Object.keys(PRESETS).filter((k) => k !== 'default').sort((x, y) => x.localeCompare(y));
  assert.deepEqual(Object.keys(names), ['default', ...keys], 'run node scripts/pin-presets.mjs after adding or removing a preset');
  for (const [key, name] of Object.entries(names)) assert.equal(name, PRESETS[key].name, `scenarios/${key}.json was renamed: run node scripts/pin-presets.mjs`);
});

test('the earlier versions (a chunk in the library) that fail to load: a PermalinkError, and the next link tries again', async () => {
  const [version, old] = Object.entries(PINS['btc-large-venue']).find(([, s]) => s !== 'current');
  let calls = 0;
  const flaky = presetCatalog(PRESETS, async () => {
    calls += 1;
    if (calls === 1) throw new TypeError('Failed to fetch dynamically imported module');
    return PINS;
  });
  await assert.rejects(flaky.lookup('btc-large-venue', version), (e) => e instanceof PermalinkError && /earlier versions of the presets could not be loaded \(Failed to fetch/.test(e.message));
  assert.deepEqual(await flaky.lookup('btc-large-venue', version), old);
  assert.equal(calls, 2);
  // Loaded once: a third lookup does not call the loader again.
  await flaky.lookup('default', presetVersion(PRESETS.default));
  await flaky.lookup('alts-pooled', 'ffffffff').catch(() => {});
  assert.equal(calls, 2);
});

test('presetVersion: FNV-1a 32 of the canonical JSON (key order does not matter)', () => {
  // FNV-1a 32 test vectors (Fowler, Noll, Vo; isthe.com/chongo/tech/comp/fnv): "" -> 811c9dc5, "a" -> e40c292c.
  const fnv = (text) => { let h = 0x811c9dc5; for (const c of Buffer.from(text)) h = Math.imul(h ^ c, 0x01000193) >>> 0; return h.toString(16).padStart(8, '0'); };
  assert.equal(fnv(''), '811c9dc5');
  assert.equal(fnv('a'), 'e40c292c');
  assert.equal(presetVersion(1), fnv('1'));
  assert.equal(presetVersion({ b: 1, a: [2, { d: 3, c: 4 }] }), fnv('{"a":[2,{"c":4,"d":3}],"b":1}'));
  assert.equal(presetVersion({ a: [2, { c: 4, d: 3 }], b: 1 }), presetVersion({ b: 1, a: [2, { d: 3, c: 4 }] }));
});

test('a link pinned to an earlier preset version opens to the same scenario after the preset changed', async () => {
  const old = structuredClone(PRESETS.default);
  const mine = structuredClone(old);
  mine.fund.balance = 12345678;
  const frag = await writeFragment({ a: mine }, catalog);
  // The preset changes after the link was written; its old version is kept in the pins.
  const changed = structuredClone(old);
  changed.fund.balance = 99e6;
  changed.market.taker_fee_rate = 0.0007;
  const later = presetCatalog({ ...PRESETS, default: changed }, { default: { [presetVersion(old)]: old, [presetVersion(changed)]: 'current' } });
  assert.deepStrictEqual(canonical((await readFragment(frag, later)).a), canonical(mine));
  // Without the old version the link is refused by name, not opened against the new preset.
  const forgot = presetCatalog({ ...PRESETS, default: changed }, {});
  await assert.rejects(readFragment(frag, forgot), (e) => e instanceof PermalinkError && /preset "default" is pinned at version "[0-9a-f]{8}"/.test(e.message));
});

// ---- hostile links ----------------------------------------------------------------------------

const good = await writeFragment({ a: PRESETS.default }, catalog);
const bomb = Buffer.concat([Buffer.from('{"a":{"scenario":{"name":"'), Buffer.alloc(64 * 1024 * 1024, 0x61), Buffer.from('"}}}')]);
const HOSTILE = [
  ['truncated payload', good.slice(0, good.length - 12), /truncated or not deflate data/],
  ['payload cut to one character', '#p=1.A', /not base64url/],
  ['not base64url', '#p=1.%%%%$$$$', /not base64url/],
  ['base64 with + and /', '#p=1.ab+/cd==', /not base64url/],
  ['valid base64, not deflate', `#p=1.${b64url(Buffer.from('hello, world'))}`, /truncated or not deflate data/],
  ['deflate bomb (64 MiB of "a", a few kB on the wire)', `#p=1.${b64url(deflateRawSync(bomb, { level: 9 }))}`, new RegExp(`expands beyond ${MAX_INFLATED} bytes`)],
  ['unknown format version', '#p=2.AAAA', /format 2; this page reads formats 0 and 1/],
  ['no version prefix', '#p=' + good.slice(5), /no format version/],
  ['empty version', '#p=.AAAA', /no format version/],
  ['JSON, not an object', zlibLink([1, 2]), /is not an object/],
  ['not JSON', zlibLink('{"a":'), /is not JSON text/],
  ['not UTF-8', `#p=1.${b64url(deflateRawSync(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])))}`, /is not JSON text/],
  ['no scenario', zlibLink({ b: { patch: {} } }), /has no scenario \("a"\)/],
  ['a is a string', zlibLink({ a: 'default' }), /the link's a is not an object/],
  ['a.scenario is an array', zlibLink({ a: { scenario: [] } }), /a\.scenario is not an object/],
  ['a.patch is a number', zlibLink({ a: { preset: 'default', version: presetVersion(PRESETS.default), patch: 5 } }), /a\.patch is not an object/],
  ['unknown preset', zlibLink({ a: { preset: '<img src=x onerror=alert(1)>', version: '00000000', patch: {} } }), /preset "<img src=x onerror=alert\(1\)>" is not one this page has/],
  ['preset from the prototype', zlibLink({ a: { preset: '__proto__', version: '0', patch: {} } }), /preset "__proto__" is not one this page has/],
  ['unknown preset version', zlibLink({ a: { preset: 'default', version: 'ffffffff', patch: {} } }), /pinned at version "ffffffff"/],
  ['b.patch is null', zlibLink({ a: { scenario: {} }, b: { patch: null } }), /b\.patch is not an object/],
  ['w is a list', zlibLink({ a: { scenario: {} }, w: [] }), /w \(sweep\) is not an object/],
  ['format 0, not base64url', '#s=' + encodeURIComponent('"><script>1</script>'), /the link's "s" is not base64url/],
  ['format 0, JSON string', '#s=' + b64url(Buffer.from('"x"')), /the link's "s" is not an object/],
  ['longer than the cap', '#s=' + 'A'.repeat(MAX_FRAGMENT + 1), new RegExp(`longer than ${MAX_FRAGMENT} characters`)],
];
for (const [name, hash, message] of HOSTILE) {
  test(`hostile link refused with a PermalinkError: ${name}`, async () => {
    const t0 = performance.now();
    await assert.rejects(readFragment(hash, catalog), (e) => {
      assert.ok(e instanceof PermalinkError, `not a PermalinkError: ${e?.stack ?? e}`);
      assert.match(e.message, message);
      return true;
    });
    assert.ok(performance.now() - t0 < 5000, `refused after ${Math.round(performance.now() - t0)} ms`);
  });
}

test('a "__proto__" key in a patch is data, never the prototype', async () => {
  const hash = zlibLink('{"a":{"scenario":{"name":"x"}},"b":{"patch":{"__proto__":{"polluted":1},"fund":{"__proto__":{"p":2}}}}}');
  const { b } = await readFragment(hash, catalog);
  assert.equal({}.polluted, undefined);
  assert.equal(Object.getPrototypeOf(b), Object.prototype);
  assert.ok(Object.hasOwn(b, '__proto__'), 'kept as an own key, for the validator to reject');
  assert.equal(b.fund.p, undefined);
});

test('a patch that makes the scenario invalid opens to field errors from the core, not a crash', async () => {
  const bs = await createBackstop();
  const hash = zlibLink({ a: { preset: 'default', version: presetVersion(PRESETS.default), patch: { market: { mark_price: -5 }, book: { open_interest: 'lots' } } } });
  const { a } = await readFragment(hash, catalog);
  const v = bs.validate(a);
  assert.equal(v.valid, false);
  assert.deepEqual(v.errors.map((e) => e.pointer).sort(), ['/book/open_interest', '/market/mark_price']);
  assert.match(v.errors.find((e) => e.pointer === '/market/mark_price').message, /-5/);
});
