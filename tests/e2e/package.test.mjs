// The npm package as a user gets it: `npm pack` (its prepack builds what ships), the tarball
// installed offline into a fresh project, then both entry points used by their package names:
// "." in Node (stress equal to the golden output, simulate alone and on two worker_threads),
// the types of both under tsc, and "./calculator" in a page built by Vite and loaded in
// headless Chromium under a strict CSP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { openBrowser, root } from './browser.mjs';
import { assertClose, readJson } from '../js/golden.mjs';
import { serve } from '../../scripts/serve.mjs';

const NAME = readJson(join(root, 'package.json')).name;
const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; style-src 'unsafe-inline'; img-src data:";

let tmp, app;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'backstop-package-'));
  execFileSync('npm', ['pack', '--pack-destination', tmp, '--loglevel=error'],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const [filename] = readdirSync(tmp).filter((f) => f.endsWith('.tgz'));
  assert.ok(filename, 'npm pack wrote a tarball');
  app = join(tmp, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  // The package has no run-time dependencies, so this needs no registry.
  execFileSync('npm', ['install', join(tmp, filename), '--offline', '--no-audit', '--no-fund', '--loglevel=error'],
    { cwd: app, stdio: ['ignore', 'ignore', 'inherit'] });
});
after(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

test('the tarball holds what both entry points need and nothing of the build', () => {
  const pkg = join(app, 'node_modules', ...NAME.split('/'));
  for (const f of ['wasm/backstop.mjs', 'wasm/backstop.d.ts', 'wasm/load-core.mjs', 'wasm/node-worker.mjs',
    'wasm/generated/backstop_start.mjs', 'wasm/generated/backstop_start.wasm',
    'wasm/generated/backstop_core.mjs', 'wasm/generated/backstop_core.wasm',
    // The script and every chunk beside it that it fetches on first use.
    ...readdirSync(join(root, 'dist/web/lib')).filter((f) => f.endsWith('.js')).map((f) => `dist/web/lib/${f}`),
    'dist/web/lib/backstop_start.wasm', 'dist/web/lib/backstop_core.wasm', 'web/lib/calculator.d.ts']) {
    assert.ok(existsSync(join(pkg, f)), `${f} is in the package`);
  }
  const manifest = readJson(join(pkg, 'package.json'));
  assert.equal(manifest.private, undefined);
  assert.equal(manifest.dependencies, undefined, 'no run-time dependencies');
  assert.ok(!existsSync(join(pkg, 'core')) && !existsSync(join(pkg, 'wasm/post-link.mjs')));
});

test('Node: import by package name; stress equals the golden output; simulate alone equals two worker_threads; a report loads the full module', () => {
  writeFileSync(join(app, 'node-check.mjs'), `
    import { readFileSync } from 'node:fs';
    import { createBackstop } from '${NAME}';
    const bs = await createBackstop();
    const scenario = JSON.parse(readFileSync(${JSON.stringify(join(root, 'scenarios/default.json'))}, 'utf8'));
    const alone = await bs.simulate(scenario, { paths: 400, seed: 3 });
    const pooled = await bs.simulate(scenario, { paths: 400, seed: 3, workers: 2 });
    const stress = bs.stress(scenario);
    const report = await bs.report('stress', stress, { input: scenario });
    console.log(JSON.stringify({ from: import.meta.resolve('${NAME}'), version: bs.version, stress, alone, pooled, report }));
  `);
  const out = JSON.parse(execFileSync(process.execPath, ['node-check.mjs'], { cwd: app, encoding: 'utf8' }));
  assert.ok(out.from.startsWith(`file://${app}/node_modules/${NAME}/`), out.from);
  assert.equal(out.version, readJson(join(root, 'package.json')).version);
  assertClose(out.stress, readJson(join(root, 'tests/golden/stress-default.expected.json')));
  assert.equal(out.alone.paths, 400);
  assert.deepEqual(out.pooled, out.alone);
  assert.match(out.report, /^#/m, 'the stress report in Markdown');
});

test('TypeScript: both entry points type-check by package name', () => {
  writeFileSync(join(app, 'use.ts'), `
    import { createBackstop, type SimulateResult } from '${NAME}';
    import type { BackstopCalculator } from '${NAME}/calculator';
    export async function run(el: BackstopCalculator): Promise<number> {
      el.addEventListener('result', (e) => console.log(e.detail.result.required_fund.amount));
      const r: SimulateResult = await (await createBackstop()).simulate({ simulation: { paths: 10 } });
      return r.depletion_probability.estimate;
    }
    const el: BackstopCalculator | null = document.querySelector('backstop-calculator');
    console.log(el?.state);
  `);
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext',
      lib: ['es2022', 'dom'], types: [], skipLibCheck: false },
    files: ['use.ts'],
  }));
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', app], { cwd: app, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
});

test('a Vite page importing "./calculator" by package name shows a result in headless Chromium', async () => {
  const page = join(app, 'page');
  mkdirSync(page);
  writeFileSync(join(page, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8">
    <meta http-equiv="Content-Security-Policy" content="${CSP}">
    <link rel="icon" href="data:,"><title>app</title><script type="module" src="./main.js"></script></head>
    <body><backstop-calculator preset="default" paths="2000"></backstop-calculator></body></html>`);
  // Imported twice (as two bundles of a page would): the element is defined once, no error.
  writeFileSync(join(page, 'main.js'), `import '${NAME}/calculator';\nimport { define } from '${NAME}/calculator';\n` +
    `window.__defined = define() === customElements.get('backstop-calculator');\n`);
  await build({ configFile: false, root: page, base: './', logLevel: 'warn', build: { outDir: join(page, 'dist'), target: 'es2022' } });
  const assets = readdirSync(join(page, 'dist/assets'));
  assert.deepEqual(assets.filter((f) => f.endsWith('.wasm')).map((f) => f.replace(/-[^.]+\.wasm$/, '')).sort(), ['backstop_core', 'backstop_start'], `the start and full modules: ${assets}`);

  const b = await openBrowser();
  const site = await serve({ dir: join(page, 'dist'), port: 0 });
  try {
    const tab = await b.context.newPage();
    await tab.goto(site.url + 'index.html');
    await tab.waitForSelector('backstop-calculator[state="done"]', { timeout: 120000 });
    const fund = await tab.evaluate(() => document.querySelector('backstop-calculator').shadowRoot.querySelector('#required-fund .v').dataset.value);
    assert.ok(Number(fund) > 0, `required fund ${fund}`);
    assert.equal(await tab.evaluate(() => window.__defined), true);
    assert.deepEqual(b.consoleErrors, []);
  } finally {
    site.server.close();
    await b.close();
  }
});
