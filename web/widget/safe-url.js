// A link target read from an attribute (`calculator-url`), in its own module: the page needs it
// at load, the permalink code (a chunk) only when a link is asked for.
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
