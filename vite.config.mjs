// Builds the demo pages under web/ (multi-page) into dist/. The wasm is embedded in the
// Emscripten module (SINGLE_FILE), so there is no asset to locate at run time.
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const pages = Object.fromEntries(
  readdirSync('web').filter((f) => f.endsWith('.html')).map((f) => [f.replace(/\.html$/, ''), resolve('web', f)]),
);

export default defineConfig({
  root: 'web',
  base: './',
  publicDir: false,
  build: {
    outDir: resolve('dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: { input: pages },
    chunkSizeWarningLimit: 2000,
  },
  worker: { format: 'es' },
  server: { fs: { allow: ['..'] } },
});
