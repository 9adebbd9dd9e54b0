// The documentation users have is in the repository: no reference to the internal design
// note remains in any tracked file, and every relative link and docs/ pointer (file and
// heading anchor) in README.md, docs/ and the code resolves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
// Tracked text files (a NUL byte marks binary content); files deleted in the work tree are skipped.
const texts = tracked
  .filter((f) => existsSync(join(root, f)) && statSync(join(root, f)).isFile())
  .map((f) => ({ file: f, buf: readFileSync(join(root, f)) }))
  .filter(({ buf }) => !buf.includes(0))
  .map(({ file, buf }) => ({ file, text: buf.toString('utf8') }));

// GitHub's heading anchors: lowercase, punctuation dropped, spaces to hyphens, repeats numbered.
function slug(heading) {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

// Lines outside fenced code blocks, with their 1-based numbers.
function prose(text) {
  const out = [];
  let fenced = false;
  text.split('\n').forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    else if (!fenced) out.push({ line, n: i + 1 });
  });
  return out;
}

const anchorCache = new Map();
function anchors(file) {
  if (!anchorCache.has(file)) {
    const seen = new Map();
    const set = new Set();
    for (const { line } of prose(readFileSync(file, 'utf8'))) {
      const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
      if (!m) continue;
      const base = slug(m[1]);
      const k = seen.get(base) ?? 0;
      seen.set(base, k + 1);
      set.add(k ? `${base}-${k}` : base);
    }
    anchorCache.set(file, set);
  }
  return anchorCache.get(file);
}

// Why a link target (relative to `from`) does not resolve, or null when it does.
function brokenTarget(from, target) {
  const [path, anchor] = target.split('#');
  const file = path ? join(dirname(from), decodeURIComponent(path)) : from;
  if (!existsSync(file)) return `${path} does not exist`;
  if (anchor && file.endsWith('.md') && !anchors(file).has(anchor)) return `${relative(root, file)} has no heading #${anchor}`;
  return null;
}

test('slug follows GitHub for the headings the docs use', () => {
  assert.equal(slug('Loss waterfall'), 'loss-waterfall');
  assert.equal(slug('GARCH(1,1)'), 'garch11');
  assert.equal(slug('dYdX v4: fillable price and fund delta'), 'dydx-v4-fillable-price-and-fund-delta');
  assert.equal(slug('fund.composition'), 'fundcomposition');
  assert.equal(slug('What P(depletion) means'), 'what-pdepletion-means');
  assert.equal(slug('correlation and common_jumps'), 'correlation-and-common_jumps');
});

test('no tracked file refers to the internal design note', () => {
  // Built from parts so that this file does not match itself.
  const needles = ['SPEC ' + '\u00a7', 'SPEC' + '.md', 'design note ' + '\u00a7'];
  const hits = [];
  for (const { file, text } of texts)
    text.split('\n').forEach((line, i) => {
      for (const n of needles) if (line.includes(n)) hits.push(`${file}:${i + 1}: ${line.trim().slice(0, 100)}`);
    });
  assert.deepEqual(hits, [], `point these to docs/ (model.md, formulas.md, scenario-format.md, outputs.md, venues.md):\n${hits.join('\n')}`);
});

test('every relative link in README.md and docs/*.md points to an existing file and heading', () => {
  const pages = tracked.filter((f) => f === 'README.md' || /^docs\/[^/]+\.md$/.test(f));
  assert.ok(pages.includes('README.md') && pages.filter((f) => f.startsWith('docs/')).length >= 6, `pages: ${pages}`);
  const broken = [];
  let checked = 0;
  for (const page of pages) {
    const abs = join(root, page);
    for (const { line, n } of prose(readFileSync(abs, 'utf8'))) {
      const text = line.replace(/`[^`]*`/g, '');  // code spans are not links
      for (const m of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        const target = m[1].replace(/^<|>$/g, '');
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;  // https:, mailto:
        checked++;
        const why = brokenTarget(abs, target);
        if (why) broken.push(`${page}:${n}: (${target}) ${why}`);
      }
    }
  }
  assert.ok(checked >= 50, `only ${checked} relative links found: is the link pattern still right?`);
  assert.deepEqual(broken, [], broken.join('\n'));
});

test('every docs/<file>.md#anchor pointer in a tracked file resolves', () => {
  const broken = [];
  let checked = 0;
  for (const { file, text } of texts)
    text.split('\n').forEach((line, i) => {
      for (const m of line.matchAll(/(?<![\w/.-])docs\/([\w.-]+\.md)(?:#([\w-]+))?/g)) {
        checked++;
        const why = brokenTarget(join(root, 'docs', 'index'), m[1] + (m[2] ? `#${m[2]}` : ''));
        if (why) broken.push(`${file}:${i + 1}: ${m[0]}: ${why}`);
      }
    });
  assert.ok(checked >= 10, `only ${checked} docs/ pointers found`);
  assert.deepEqual(broken, [], broken.join('\n'));
});
