// Serves the built pages (dist/web) on 127.0.0.1. Used by `npm start` and the browser tests.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.md': 'text/markdown; charset=utf-8',
};

/**
 * Starts a static server over `dir`; resolves to {server, url}. Port 0 picks a free one.
 * `types` overrides content types by extension (tests serve .wasm as a misconfigured server would).
 */
export function serve({ dir = join(root, 'dist/web'), port = 0, host = '127.0.0.1', types = {} } = {}) {
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://localhost');
      let path = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
      let file = join(dir, path);
      if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
      if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      const headers = { 'content-type': types[extname(file)] ?? TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' };
      // The single-file library is meant to be loaded by other sites' pages: a cross-origin
      // module script needs CORS.
      if (path.startsWith('/lib/')) headers['access-control-allow-origin'] = '*';
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok({ server, url: `http://${host}:${server.address().port}/` }));
  });
}

function headline() {
  const cli = join(root, 'build/native/cli/backstop');
  const scenario = join(root, 'scenarios/default.json');
  try {
    const out = JSON.parse(execFileSync(cli, ['simulate', scenario, '--threads', '2'], { encoding: 'utf8' }));
    const d = out.depletion_probability;
    const pct = (x) => `${(100 * x).toFixed(2)} %`;
    return `default scenario (${scenario.replace(root + '/', '')}): P(fund depleted within horizon) = ${pct(d.estimate)}` +
      ` [95 % CI ${pct(d.ci95[0])} – ${pct(d.ci95[1])}], required fund for ${pct(out.required_fund.target)}: ` +
      `${Math.round(out.required_fund.amount).toLocaleString('en-US')}`;
  } catch (e) {
    return `default scenario: not available (${String(e.message).split('\n')[0]})`;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT || 5173);
  const { url } = await serve({ port }).catch(() => serve({ port: 0 }));
  console.log(`backstop is serving the calculator at ${url}`);
  console.log(headline());
  console.log('Press Ctrl+C to stop.');
}
