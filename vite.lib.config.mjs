// The library: web/widget/library.js -> dist/web/lib/backstop-calculator.js, with Lit, uPlot
// and the JS API bundled in, and the two wasm modules beside it (fetched by the script, compiled
// as they stream in; one script tag is still all a page needs): backstop_start.wasm at load,
// backstop_core.wasm (every command) on the first export, calibration or replay. The pool's worker is the file
// itself (wasm/web-worker.mjs aliased to web/widget/library-worker.js). Built after the pages
// by vite.config.mjs, so `npx vite build` makes both; alone: npx vite build -c vite.lib.config.mjs
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, transformWithEsbuild } from 'vite';
import { minifyCssTemplates } from './scripts/min-css-templates.mjs';

export const LIB_DIR = resolve('dist/web/lib');
export const LIB_FILE = 'backstop-calculator.js';
/** The start module (loaded with the page) and the full one (loaded on first need). */
export const START_WASM_FILE = 'backstop_start.wasm';
export const WASM_FILE = 'backstop_core.wasm';
const WASM_FILES = [START_WASM_FILE, WASM_FILE];
const LOADER = resolve('wasm/load-core.mjs');
const wasmUrl = (file) => `new URL('./generated/${file}', import.meta.url)`;

export default defineConfig({
  logLevel: 'warn',
  publicDir: false,
  resolve: {
    alias: [{ find: /^\.\/web-worker\.mjs$/, replacement: resolve('web/widget/library-worker.js') }],
  },
  build: {
    outDir: LIB_DIR,
    emptyOutDir: true,
    target: 'es2022', // top-level await (library-worker.js)
    minify: false, // backstop-lib-minify below does it, whitespace included
    chunkSizeWarningLimit: 2000,
    lib: { entry: resolve('web/widget/library.js'), formats: ['es'], fileName: () => LIB_FILE },
    // One chunk besides the entry: the full module's glue (wasm/load-core.mjs imports it
    // dynamically), fetched with backstop_core.wasm on the first export, not with the page.
    rollupOptions: { output: { chunkFileNames: '[name].js' } },
  },
  plugins: [{
    // Library mode would inline the .wasm as base64 (a third larger, and compiled only once all
    // of it has arrived): point the loader at files of fixed names beside the script instead.
    name: 'backstop-lib-wasm',
    enforce: 'pre',
    transform(code, id) {
      if (id !== LOADER) return null;
      for (const file of WASM_FILES) {
        if (!code.includes(wasmUrl(file))) this.error(`${LOADER} no longer contains ${wasmUrl(file)}`);
        code = code.replace(wasmUrl(file), `new URL(/* @vite-ignore */ './${file}', import.meta.url)`);
      }
      return code;
    },
    generateBundle() {
      for (const file of WASM_FILES) {
        this.emitFile({ type: 'asset', fileName: file, source: readFileSync(resolve('wasm/generated', file)) });
      }
    },
  }, {
    // Lib mode keeps whitespace in ES output (for downstream tree-shaking); this file is
    // loaded as is, so minify it fully.
    name: 'backstop-lib-minify',
    // generateBundle: after every renderChunk, which would print the whitespace back.
    async generateBundle(options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        chunk.code = (await transformWithEsbuild(chunk.code, chunk.fileName, { minify: true, format: 'esm', target: 'es2022', legalComments: 'none' })).code;
      }
    },
  }, {
    // The widget's stylesheets (Lit css`...` templates), which esbuild leaves as written.
    name: 'backstop-lib-css',
    transform(code, id) {
      if (!id.startsWith(resolve('web/widget')) || !code.includes('css`')) return null;
      const out = minifyCssTemplates(code);
      return out.count ? { code: out.code, map: null } : null;
    },
  }, {
    // The demo page that loads nothing but the library file (served at lib/demo.html).
    name: 'backstop-lib-demo',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'demo.html', source: readFileSync(resolve('web/lib/demo.html'), 'utf8') });
    },
  }],
});
