// Builds the demo pages under web/ (multi-page) into dist/web, then the library
// (vite.lib.config.mjs) into dist/web/lib. The wasm is an asset of its own (assets/*.wasm),
// which wasm/load-core.mjs fetches from beside the chunk that holds the API.
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { build, defineConfig } from 'vite';
import libraryConfig from './vite.lib.config.mjs';

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
  // As in the library: the pool's worker is the chunk that holds the API, not a second bundle
  // carrying the API again.
  resolve: { alias: libraryConfig.resolve.alias },
  worker: { format: 'es' },
  server: { fs: { allow: ['..'] } },
  plugins: [{
    name: 'backstop-library',
    apply: 'build',
    // After the pages (whose build empties dist/web): the library and its demo page.
    async closeBundle() { await build({ ...libraryConfig, configFile: false }); },
  }],
});
