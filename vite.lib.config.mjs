// The single-file library: web/widget/library.js -> dist/web/lib/backstop-calculator.js, with
// Lit, uPlot, the JS API and the base64 wasm bundled in, once. The pool's worker is the file
// itself (wasm/web-worker.mjs aliased to web/widget/library-worker.js). Built after the pages
// by vite.config.mjs, so `npx vite build` makes both; alone: npx vite build -c vite.lib.config.mjs
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, transformWithEsbuild } from 'vite';

export const LIB_DIR = resolve('dist/web/lib');
export const LIB_FILE = 'backstop-calculator.js';

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
    rollupOptions: { output: { inlineDynamicImports: true } },
  },
  plugins: [{
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
    // The demo page that loads nothing but the library file (served at lib/demo.html).
    name: 'backstop-lib-demo',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'demo.html', source: readFileSync(resolve('web/lib/demo.html'), 'utf8') });
    },
  }],
});
