#!/usr/bin/env node
// Generates wasm/scenario.d.ts (the TypeScript type of a scenario) from schema/scenario.schema.json,
// so the types cannot drift from the schema the core is tested against.
//   node scripts/schema-types.mjs          writes wasm/scenario.d.ts
//   node scripts/schema-types.mjs --check  exits 1 when the file is not what the schema gives
// Covers the keywords the schema uses: type, enum, const, properties, required,
// additionalProperties, items, oneOf, $ref to $defs; bounds and patterns stay in the schema.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const SCHEMA = join(root, 'schema/scenario.schema.json');
const OUT = join(root, 'wasm/scenario.d.ts');

const pascal = (s) => s.replace(/(^|_)([a-z])/g, (_, __, c) => c.toUpperCase());
const ident = /^[A-Za-z_$][\w$]*$/;
const key = (k) => (ident.test(k) ? k : JSON.stringify(k));

function doc(node, indent) {
  const lines = [node.description, node.default !== undefined ? `Default: ${JSON.stringify(node.default)}.` : null].filter(Boolean);
  if (!lines.length) return '';
  // "*/" inside a description would end the comment early.
  const text = lines.join(' ');
  return `${indent}/** ${text.replace(/\*\//g, '*\\/')} */\n`;
}

function generate(schema) {
  const defs = schema.$defs ?? {};
  const named = [];

  function type(node, indent) {
    if (node.$ref) {
      const name = node.$ref.match(/^#\/\$defs\/(\w+)$/)?.[1];
      if (!name || !defs[name]) throw new Error(`unsupported $ref ${node.$ref}`);
      return pascal(name);
    }
    if ('const' in node) return JSON.stringify(node.const);
    if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join(' | ');
    if (node.oneOf) return node.oneOf.map((n) => wrap(type(n, indent))).join(' | ');
    const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
    if (!types.length && node.properties) types.push('object');
    if (!types.length) return 'unknown';
    return types.map((t) => {
      switch (t) {
        case 'number': case 'integer': return 'number';
        case 'string': return 'string';
        case 'boolean': return 'boolean';
        case 'null': return 'null';
        case 'array': return `${wrap(node.items ? type(node.items, indent) : 'unknown')}[]`;
        case 'object': return object(node, indent);
        default: throw new Error(`unsupported type ${t}`);
      }
    }).join(' | ');
  }

  const wrap = (t) => (/[|&]/.test(t) && !/^[{(]/.test(t) ? `(${t})` : t);

  function object(node, indent) {
    const inner = `${indent}  `;
    const required = new Set(node.required ?? []);
    let body = '';
    for (const [k, v] of Object.entries(node.properties ?? {})) {
      body += `${doc(v, inner)}${inner}${key(k)}${required.has(k) ? '' : '?'}: ${type(v, inner)};\n`;
    }
    const extra = node.additionalProperties;
    if (extra && typeof extra === 'object') body += `${inner}[key: string]: ${type(extra, inner)};\n`;
    else if (extra !== false && !node.properties) body += `${inner}[key: string]: unknown;\n`;
    // The core reads keys named description, source or notes, or starting with _ or $, as
    // comments anywhere; any other unknown key is an error (so a misspelt one does not compile).
    return `Commented & {\n${body}${indent}}`;
  }

  for (const [name, node] of Object.entries(defs)) {
    named.push(`${doc(node, '')}export type ${pascal(name)} = ${type(node, '')};\n`);
  }
  const top = `${doc(schema, '')}export type Scenario = ${type(schema, '')};\n`;
  return `// Generated from schema/scenario.schema.json by scripts/schema-types.mjs. Do not edit.

/** Keys the core reads as comments in any object of a scenario. */
export interface Commented {
  description?: string;
  source?: string;
  notes?: unknown;
  [comment: \`_\${string}\`]: unknown;
  [comment: \`$\${string}\`]: unknown;
}

${top}
${named.join('\n')}`;
}

const text = generate(JSON.parse(readFileSync(SCHEMA, 'utf8')));
if (process.argv.includes('--check')) {
  const current = readFileSync(OUT, 'utf8');
  if (current !== text) {
    console.error('wasm/scenario.d.ts is not what schema/scenario.schema.json gives: run node scripts/schema-types.mjs');
    process.exit(1);
  }
} else {
  writeFileSync(OUT, text);
}
