// The permalink: the whole scenario (seed included) as base64url JSON in the URL fragment,
// '#s=<current>' and, in A/B mode, '&b=<proposed>'; after a sweep, '&w=<its form>'. The fragment is parsed as data only:
// JSON.parse of decoded text, accepted only when it is a plain object; the core validates it.

const MAX_FRAGMENT = 2_000_000;

export function encode(obj) {
  const bytes = new TextEncoder().encode(JSON.stringify(obj));
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decode(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a scenario object');
  return value;
}

/** Reads {a, b} scenarios from a fragment ('#s=...&b=...'); throws on malformed data. */
export function readFragment(hash) {
  const h = String(hash ?? '').replace(/^#/, '');
  if (!h || h.length > MAX_FRAGMENT) return {};
  const params = new URLSearchParams(h);
  const out = {};
  if (params.get('s')) out.a = decode(params.get('s'));
  if (params.get('b')) out.b = decode(params.get('b'));
  if (params.get('w')) out.w = decode(params.get('w'));
  return out;
}

export function fragmentOf(a, b, w) {
  return `#s=${encode(a)}${b ? `&b=${encode(b)}` : ''}${w ? `&w=${encode(w)}` : ''}`;
}

/** A safe link target from an attribute: http(s) or a relative path, never javascript: or data:. */
export function safeUrl(value) {
  if (!value) return null;
  try {
    const u = new URL(value, location.href);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href.split('#')[0] : null;
  } catch {
    return null;
  }
}
