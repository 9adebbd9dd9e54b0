// Minifies the text of Lit `css` tagged templates in a module's source (esbuild leaves template
// literals alone): comments dropped, whitespace collapsed, no space around { } ; nor before a comma
// nor after a colon (the space after a comma stays: Chromium keeps it in var() and custom
// properties' values, whose text it does not parse until use).
// Quoted strings are kept as written. A template with an interpolation (${...}) or a backslash is
// left as it is, as is any source this reader does not follow: the output is only ever the same
// CSS with less whitespace. Used by vite.lib.config.mjs.

/** The CSS text `text` with comments and optional whitespace removed (strings kept). */
export function minifyCss(text) {
  let out = '';
  for (let i = 0; i < text.length;) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new Error('unterminated string in CSS');
      out += text.slice(i, end + 1);
      i = end + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new Error('unterminated comment in CSS');
      i = end + 2;
      if (!/\s$/.test(out)) out += ' ';  // a comment separates tokens like a space
    } else if (/\s/.test(c)) {
      while (i < text.length && /\s/.test(text[i])) i += 1;
      if (!/\s$/.test(out)) out += ' ';
    } else {
      out += c;
      i += 1;
    }
  }
  // Outside strings only: split on strings, tidy the other parts.
  return out.split(/("[^"]*"|'[^']*')/).map((part, k) => (k % 2 ? part
    : part.replace(/ ?([{};]) ?/g, '$1').replace(/ ,/g, ',').replace(/: /g, ':').replace(/;}/g, '}'))).join('').trim();
}

/** `source` with the text of every plain css`...` template minified; the count of templates done. */
export function minifyCssTemplates(source) {
  let count = 0;
  const code = source.replace(/\bcss`([^`\\$]*)`/g, (m, text) => {
    count += 1;
    return `css\`${minifyCss(text)}\``;
  });
  return { code, count };
}
