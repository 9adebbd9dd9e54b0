// scripts/min-css-templates.mjs (the library build's minifier for Lit css`...` templates): less
// whitespace, the same CSS. The browser's own parser compares whole stylesheets in
// tests/e2e/library.test.mjs; here, hand-written cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minifyCss, minifyCssTemplates } from '../../scripts/min-css-templates.mjs';

test('minifyCss: comments and optional whitespace go, strings and significant spaces stay', () => {
  assert.equal(minifyCss(`
    /* a comment with 'quotes' and "more" */
    :host { display: block; }
    .a .b , .c > .d { margin: 0 auto ; width: calc(100% - 2 * 8px); }
    .e::before { content: '  two  spaces; }  '; font: 12px/1.4 ui-monospace, monospace; }
    @media (max-width: 700px) { .f :is(.g) { grid-column: 1 / -1 } }
  `), ":host{display:block}.a .b, .c > .d{margin:0 auto;width:calc(100% - 2 * 8px)}.e::before{content:'  two  spaces; }  ';font:12px/1.4 ui-monospace, monospace}@media (max-width:700px){.f :is(.g){grid-column:1 / -1}}");
  assert.equal(minifyCss('a/* x */b{}'), 'a b{}', 'a comment separates like a space');
  assert.throws(() => minifyCss("a{content:'open}"), /unterminated string/);
});

test('minifyCssTemplates: plain css templates only; others are left as written', () => {
  const src = "const a = css`\n  .x { color: red; }\n`;\nconst b = css`.y { width: ${w}px; }`;\nconst c = html`<p> two  spaces </p>`;";
  const { code, count } = minifyCssTemplates(src);
  assert.equal(count, 1);
  assert.equal(code, "const a = css`.x{color:red}`;\nconst b = css`.y { width: ${w}px; }`;\nconst c = html`<p> two  spaces </p>`;");
});
