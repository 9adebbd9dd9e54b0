#!/usr/bin/env node
// Where the wasm's bytes go: code size per function, grouped by library and by source area,
// read from a build linked with --profiling-funcs (function names kept, code unchanged).
//   cmake --preset wasm -B build/wasm-prof -DBACKSTOP_WASM_OUTPUT_DIR=$PWD/build/out-prof \
//     -DCMAKE_EXE_LINKER_FLAGS=--profiling-funcs && cmake --build build/wasm-prof
//   node bench/wasm-size.mjs build/out-prof/backstop_core.wasm [--top N] [--grep REGEX] [--objects DIR]
// Groups are heuristics on the demangled name (the first rule that matches wins); sizes are
// function bodies in bytes, raw (gzip shrinks every group by a similar factor). --objects DIR
// (a native build's build/native/core/CMakeFiles/backstop_core.dir) also sums backstop's code
// per source file: each wasm function goes to the object file that defines the same name
// natively (std:: namespaces normalised; names several files define, and code LTO inlined
// into another function, count where they ended up).
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const file = process.argv[2];
if (!file) throw new Error('usage: node bench/wasm-size.mjs FILE.wasm [--top N] [--grep REGEX]');
const opt = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const top = Number(opt('--top', 40));
const grep = opt('--grep', null);
const bytes = readFileSync(file);

let at = 8;
const leb = () => {
  let result = 0, shift = 0, b;
  do {
    b = bytes[at++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return result;
};
const str = () => {
  const n = leb();
  const s = bytes.toString('utf8', at, at + n);
  at += n;
  return s;
};

let imported = 0;
const bodies = [];
const names = new Map();
const sections = [];
while (at < bytes.length) {
  const id = bytes[at++];
  const size = leb();
  const end = at + size;
  sections.push({ id, size });
  if (id === 2) {  // imports: functions are numbered after the imported ones
    for (let n = leb(); n > 0; --n) {
      str(); str();
      const kind = bytes[at++];
      if (kind === 0) { leb(); ++imported; } else if (kind === 1) { at++; const f = leb(); leb(); if (f & 1) leb(); } else if (kind === 2) { const f = leb(); leb(); if (f & 1) leb(); } else if (kind === 3) { at += 2; } else at++;
    }
  } else if (id === 10) {
    for (let n = leb(), i = 0; i < n; ++i) {
      const len = leb();
      bodies.push({ index: imported + i, size: len });
      at += len;
    }
  } else if (id === 0 && str() === 'name') {
    while (at < end) {
      const sub = bytes[at++];
      const subEnd = at + leb();
      if (sub === 1) for (let n = leb(); n > 0; --n) { const idx = leb(); names.set(idx, str()); }
      at = subEnd;
    }
  }
  at = end;
}
if (names.size === 0) throw new Error(`${file} has no name section: link with --profiling-funcs`);

const mangled = bodies.map((b) => names.get(b.index) ?? `func${b.index}`);
const demangled = execFileSync('llvm-cxxfilt', { input: mangled.join('\n'), maxBuffer: 1 << 28, encoding: 'utf8' }).split('\n');
const fns = bodies.map((b, i) => ({ ...b, name: demangled[i] || mangled[i] }));

// First match wins: most specific first.
const rules = [
  ['nlohmann::json (parse, dump, conversions)', /nlohmann|json_abi|basic_json/],
  ['Boost.Math', /boost::math/],
  ['Boost (other)', /boost::/],
  ['embind + wasm facade', /emscripten::|\(anonymous namespace\)::(guarded|simulate|prepare|call|tiltFor)|EMSCRIPTEN_BINDINGS|_embind_/],
  ['backstop report (io/report)', /backstop::report::/],
  ['backstop calibrate', /calibrat|backstop::(fit|optimi|Fit|negLog|logLik)|PriceSeries|priceCsv|readPriceCsv/i],
  ['backstop replay', /replay|Replay|PricePath/],
  ['backstop partial / shard', /[Pp]artial|[Ss]hard/],
  ['backstop importance sampling', /[Ii]mportance|Tilt|tilt|crossEntropy/],
  ['backstop ruin', /[Rr]uin|claims|Claim/],
  ['backstop stress', /[Ss]tress/],
  ['backstop sweep', /[Ss]weep/],
  ['backstop scenario reader/writer + validation', /scenario|Scenario|Reader|Issues|sections|backstop::(read|write)/],
  ['backstop (other)', /backstop::/],
  ['libc++ strings / streams / locale', /std::__2::(basic_string|basic_ostream|basic_istream|basic_ios|locale|ctype|num_put|num_get|ios_base|basic_streambuf|basic_stringbuf|__num)/],
  ['libc++ containers / algorithms', /std::__2::/],
  ['libc++abi / exceptions', /__cxa|__cxxabiv1|_Unwind|__gxx|std::exception|std::bad|std::(runtime|logic|out_of|invalid|length|domain)_error|demangle|itanium/],
  ['libc (printf, strtod, math, malloc)', /^(printf|vfprintf|fmt_|pop_arg|fwrite|strto|__floatscan|__intscan|decfloat|hexfloat|scanexp|__shgetc|__shlim|frexp|fmod|__rem_pio|__sin|__cos|__tan|exp|log|pow|sin|cos|tan|atan|asin|acos|cbrt|sqrt|erf|lgamma|tgamma|expm1|log1p|__lgamma|emmalloc|malloc|free|realloc|memalign|calloc|mem|str|snprintf|vsnprintf|sprintf|__towrite|__fwritex|out|pad|fmt|wctomb|wcrtomb|__stdio|__lockfile|__unlockfile|__memcpy|__errno|ldexp|scalbn|__ashlti3|__lshrti3|__multi3|__trunctfdf2|__extenddftf2|__addtf3|__multf3|__divtf3|__subtf3|__fixtfsi|__floatsitf|__letf2|__getf2|__eqtf2|__netf2|__unordtf2|__fe_)/],
];
const groups = new Map();
for (const f of fns) {
  // The qualified name only (before the argument list): a backstop function taking a Json
  // counts as backstop, an nlohmann template instantiated for backstop counts as nlohmann.
  const head = f.name.replace(/<[^<>]*(<[^<>]*(<[^<>]*>[^<>]*)*>[^<>]*)*>/g, '<>').split('(')[0];
  const g = rules.find(([, re]) => re.test(head))?.[0] ?? 'other (libc, runtime, unnamed)';
  f.group = g;
  const e = groups.get(g) ?? { size: 0, count: 0 };
  e.size += f.size;
  e.count += 1;
  groups.set(g, e);
}

const objects = opt('--objects', null);
if (objects) {
  // libc++ vs libstdc++ namespaces, wasm32's int64 (long long) vs x86-64's (long), clone suffixes.
  const norm = (n) => n.replace(/std::__(2|cxx11)::/g, 'std::').replace(/\blong long\b/g, 'long')
    .replace(/( \(\.[\w.]+\))+$/, '').replace(/\.\d+$/, '');
  const headOf = (n) => n.split('(')[0];
  // Only objects of sources that still exist (a build directory keeps those of deleted files).
  const files = execFileSync('find', [objects, '-name', '*.o'], { encoding: 'utf8' }).trim().split('\n')
    .filter((o) => existsSync(new URL(`../core/src/${o.slice(o.indexOf('/src/') + 5).replace(/\.o$/, '')}`, import.meta.url)));
  // A strong definition (T/t) names the file; inline functions and templates are weak (W) in
  // every file that uses them, so a name only weak in several files is "(inline, several files)".
  const full = new Map(), heads = new Map();
  const add = (m, k, src, strong) => {
    const e = m.get(k) ?? { strong: new Set(), weak: new Set() };
    (strong ? e.strong : e.weak).add(src);
    m.set(k, e);
  };
  for (const o of files) {
    const src = o.slice(o.indexOf('/src/') + 5).replace(/\.o$/, '');
    const syms = execFileSync('llvm-nm', ['--defined-only', '--demangle', o], { encoding: 'utf8', maxBuffer: 1 << 28 });
    for (const line of syms.split('\n')) {
      const m = /^\S*\s+([A-Za-z])\s+(.*)$/.exec(line);
      if (!m || !/(^|\s)backstop::/.test(headOf(m[2]))) continue;
      const strong = /[Tt]/.test(m[1]);
      add(full, norm(m[2]), src, strong);
      add(heads, headOf(norm(m[2])), src, strong);
    }
  }
  const pick = (e) => {
    if (!e) return null;
    const set = e.strong.size ? e.strong : e.weak;
    return set.size === 1 ? [...set][0] : e.strong.size ? '(several files)' : '(inline, several files)';
  };
  const bySource = new Map();
  for (const f of fns) {
    const n = norm(f.name);
    if (!/(^|\s)backstop::/.test(headOf(n))) continue;
    const src = pick(full.get(n)) ?? pick(heads.get(headOf(n))) ?? '(not found natively)';
    const e = bySource.get(src) ?? { size: 0, count: 0 };
    e.size += f.size;
    e.count += 1;
    bySource.set(src, e);
  }
  console.log('\nbackstop code by source file (core/src/...):');
  for (const [src, e] of [...bySource].sort((a, b) => b[1].size - a[1].size))
    console.log(`${String(e.size).padStart(8)} ${String(e.count).padStart(5)} fns  ${src}`);
}

const code = fns.reduce((n, f) => n + f.size, 0);
const pct = (n) => `${((100 * n) / bytes.length).toFixed(1)} %`;
const pad = (s, n) => String(s).padStart(n);
const sectionNames = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount'];
console.log(`${file}: ${bytes.length} B; ${fns.length} functions, code ${code} B`);
for (const s of sections) if (s.size > 1024) console.log(`  section ${sectionNames[s.id] ?? s.id}: ${s.size} B (${pct(s.size)})`);
console.log('\nby group (code bytes, share of the file):');
for (const [g, e] of [...groups].sort((a, b) => b[1].size - a[1].size))
  console.log(`${pad(e.size, 8)} ${pad(pct(e.size), 7)} ${pad(e.count, 5)} fns  ${g}`);
const shown = grep ? fns.filter((f) => new RegExp(grep).test(f.name)) : fns;
console.log(`\nlargest ${top} functions${grep ? ` matching /${grep}/ (${shown.length}, ${shown.reduce((n, f) => n + f.size, 0)} B)` : ''}:`);
for (const f of [...shown].sort((a, b) => b.size - a.size).slice(0, top))
  console.log(`${pad(f.size, 8)}  [${f.group.split(' ')[0]}${f.group.startsWith('backstop') ? ' ' + f.group.split(' ')[1] : ''}] ${f.name.slice(0, 200)}`);
