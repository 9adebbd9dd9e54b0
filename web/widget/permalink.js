// The permalink: the whole state (scenarios with their seeds, the A/B proposal, the sweep form)
// in the URL fragment, read as data only (JSON.parse of decoded text; the core validates the
// scenarios). Format 1, written now: '#p=1.<base64url of deflate-raw of JSON>' holding
//   {a: {preset, version, patch} | {scenario}, b?: {patch} | {scenario}, w?: sweep form}
// where a is a JSON merge patch (RFC 7386) on a bundled preset pinned by its version (a hash of
// its content; old versions are kept in preset-pins.json) and b a merge patch on a. Format 0,
// still read: '#s=<base64url JSON>&b=<...>&w=<...>' (every link written before format 1).
// docs/outputs.md, "Permalinks".

/** Largest fragment read, in characters, and largest decompressed document, in bytes. */
export const MAX_FRAGMENT = 2_000_000;
export const MAX_INFLATED = 2 * 1024 * 1024;
export const FORMAT = 1;

/** A link that cannot be read; the message says which part and why. */
export class PermalinkError extends Error {
  constructor(message) {
    super(message);
    this.name = 'PermalinkError';
  }
}

// ---- JSON helpers ------------------------------------------------------------------------------

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** JSON text with object keys sorted at every level: equal documents give equal text. */
export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  return JSON.stringify(value);
}

/** The version of a preset: FNV-1a (32 bit) of its canonical JSON's UTF-8 bytes, 8 hex digits. */
export function presetVersion(scenario) {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(canonical(scenario))) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

// An own data property even for '__proto__' (a plain assignment would set the prototype).
const put = (obj, key, value) => Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });

/** RFC 7386 MergePatch(target, patch), returning a new value; the inputs are not changed. */
export function mergePatch(target, patch) {
  if (!isObject(patch)) return structuredClone(patch);
  const out = {};
  if (isObject(target)) for (const k of Object.keys(target)) put(out, k, structuredClone(target[k]));
  for (const k of Object.keys(patch)) {
    if (patch[k] === null) delete out[k];
    else put(out, k, mergePatch(Object.hasOwn(out, k) ? out[k] : undefined, patch[k]));
  }
  return out;
}

/** A merge patch taking `from` to `to` (objects); null when none exists (`to` holds a null). */
export function diffPatch(from, to) {
  const patch = {};
  for (const k of Object.keys(from)) if (!Object.hasOwn(to, k)) put(patch, k, null);
  for (const k of Object.keys(to)) {
    const [x, y] = [from[k], to[k]];
    if (Object.hasOwn(from, k) && canonical(x) === canonical(y)) continue;
    if (y === null) return null;
    if (isObject(x) && isObject(y)) {
      const sub = diffPatch(x, y);
      if (sub === null) return null;
      put(patch, k, sub);
    } else {
      put(patch, k, y);
    }
  }
  // A null inside a new object would read as "delete": such a patch fails this check.
  return canonical(mergePatch(from, patch)) === canonical(to) ? patch : null;
}

// ---- bytes ------------------------------------------------------------------------------------

function toBase64url(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text, what) {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new PermalinkError(`${what} is not base64url text`);
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

const canCompress = () => typeof CompressionStream === 'function' && typeof DecompressionStream === 'function';

async function deflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Inflates, stopping at `cap` bytes of output (a deflate bomb costs at most that much). */
async function inflate(bytes, cap, what) {
  const ds = new DecompressionStream('deflate-raw');
  const writer = ds.writable.getWriter();
  writer.write(bytes).catch(() => {});
  writer.close().catch(() => {});
  const reader = ds.readable.getReader();
  const chunks = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > cap) {
        reader.cancel().catch(() => {});
        throw new PermalinkError(`${what} expands beyond ${cap} bytes`);
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof PermalinkError) throw e;
    throw new PermalinkError(`${what} is truncated or not deflate data`);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

function parseObject(bytes, what) {
  let value;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new PermalinkError(`${what} is not JSON text (${e.message})`);
  }
  if (!isObject(value)) throw new PermalinkError(`${what} is not an object`);
  return value;
}

// ---- format 0 (read only) ---------------------------------------------------------------------

/** Format 0: base64url JSON of one object. */
export const encodeV0 = (obj) => toBase64url(new TextEncoder().encode(JSON.stringify(obj)));
const decodeV0 = (text, what) => parseObject(fromBase64url(text, what), what);

// ---- format 1 ---------------------------------------------------------------------------------

/**
 * The presets a link may name: the bundled ones and the pinned earlier versions.
 * @param presets {key: scenario} as bundled now
 * @param pins {key: {version: scenario | 'current'}} (preset-pins.json), or a function that
 *   resolves to them: read only for a link that names a preset at another version than today's
 */
export function presetCatalog(presets, pins = {}) {
  const current = Object.fromEntries(Object.entries(presets).map(([k, s]) => [k, { scenario: s, version: presetVersion(s) }]));
  let loaded;
  return {
    current,
    /** The preset `key` at `version` (a promise); rejects when this page does not have it. */
    async lookup(key, version) {
      if (typeof key === 'string' && Object.hasOwn(current, key) && current[key].version === version) return current[key].scenario;
      if (typeof pins === 'function') {
        try {
          pins = await (loaded ??= pins());
        } catch (e) {
          loaded = undefined;  // the next link tries again
          throw new PermalinkError(`the earlier versions of the presets could not be loaded (${e?.message ?? e})`);
        }
      }
      const known = typeof key === 'string' && (Object.hasOwn(current, key) || Object.hasOwn(pins, key));
      if (!known) throw new PermalinkError(`the link's preset ${JSON.stringify(String(key)).slice(0, 80)} is not one this page has`);
      const old = Object.hasOwn(pins, key) && typeof version === 'string' && Object.hasOwn(pins[key], version) ? pins[key][version] : null;
      if (isObject(old)) return old;
      throw new PermalinkError(`the link's preset "${key}" is pinned at version ${JSON.stringify(String(version)).slice(0, 40)}, which this page does not have`);
    },
  };
}

/** The shortest description of `scenario`: a patch on the preset nearest to it, else the scenario. */
function describe(scenario, catalog) {
  let best = { scenario };
  let size = JSON.stringify(scenario).length;
  for (const [key, { scenario: base, version }] of Object.entries(catalog.current)) {
    const patch = diffPatch(base, scenario);
    const n = patch && JSON.stringify(patch).length + key.length + 40;
    if (patch && n < size) { best = { preset: key, version, patch }; size = n; }
  }
  return best;
}

function describeProposal(b, a) {
  const patch = diffPatch(a, b);
  return patch && JSON.stringify(patch).length < JSON.stringify(b).length ? { patch } : { scenario: b };
}

/**
 * The fragment of a state ('#p=1.…'), or format 0 where this browser cannot compress.
 * @param state {a, b?, w?}: scenarios (plain JSON objects) and the sweep form
 */
export async function writeFragment({ a, b, w }, catalog) {
  if (!canCompress()) return `#s=${encodeV0(a)}${b ? `&b=${encodeV0(b)}` : ''}${w ? `&w=${encodeV0(w)}` : ''}`;
  const doc = { a: describe(a, catalog) };
  if (b) doc.b = describeProposal(b, a);
  if (w) doc.w = w;
  return `#p=${FORMAT}.${toBase64url(await deflate(new TextEncoder().encode(JSON.stringify(doc))))}`;
}

async function resolveSide(side, what, base, catalog) {
  if (!isObject(side)) throw new PermalinkError(`the link's ${what} is not an object`);
  if (Object.hasOwn(side, 'scenario')) {
    if (!isObject(side.scenario)) throw new PermalinkError(`the link's ${what}.scenario is not an object`);
    return side.scenario;
  }
  if (!isObject(side.patch)) throw new PermalinkError(`the link's ${what}.patch is not an object`);
  const from = base ?? await catalog.lookup(side.preset, side.version);
  return mergePatch(from, side.patch);
}

/**
 * Reads {a, b, w} from a fragment of either format; {} when it holds no state. Throws a
 * PermalinkError naming the part that cannot be read. Scenarios are returned unvalidated.
 */
export async function readFragment(hash, catalog) {
  const h = String(hash ?? '').replace(/^#/, '');
  if (!h) return {};
  if (h.length > MAX_FRAGMENT) throw new PermalinkError(`the link is longer than ${MAX_FRAGMENT} characters`);
  const params = new URLSearchParams(h);
  const p = params.get('p');
  if (p === null) {
    const out = {};
    for (const [key, name] of [['s', 'a'], ['b', 'b'], ['w', 'w']]) if (params.get(key)) out[name] = decodeV0(params.get(key), `the link's "${key}"`);
    return out;
  }
  const m = /^(\d{1,6})\.(.*)$/s.exec(p);
  if (!m) throw new PermalinkError('the link has no format version (expected "p=1.…")');
  if (Number(m[1]) !== FORMAT) throw new PermalinkError(`the link is in format ${m[1]}; this page reads formats 0 and ${FORMAT}`);
  if (!canCompress()) throw new PermalinkError('this browser cannot decompress the link (no DecompressionStream)');
  const doc = parseObject(await inflate(fromBase64url(m[2], 'the link'), MAX_INFLATED, 'the link'), 'the link');
  if (!Object.hasOwn(doc, 'a')) throw new PermalinkError('the link has no scenario ("a")');
  const out = { a: await resolveSide(doc.a, 'a', null, catalog) };
  if (Object.hasOwn(doc, 'b')) out.b = await resolveSide(doc.b, 'b', out.a, catalog);
  if (Object.hasOwn(doc, 'w')) {
    if (!isObject(doc.w)) throw new PermalinkError("the link's w (sweep) is not an object");
    out.w = doc.w;
  }
  return out;
}
