// The JSON Schema documents exactly what the core accepts: every field of every preset and
// golden scenario is declared in it, and the core accepts every preset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createBackstop } from '../../wasm/backstop.mjs';

const schema = JSON.parse(readFileSync(new URL('../../schema/scenario.schema.json', import.meta.url)));
const comment = (k) => ['description', 'source', 'notes'].includes(k) || k.startsWith('_') || k.startsWith('$');

// Local references only ("#/$defs/name").
const resolve = (node) => (node?.$ref ? node.$ref.slice(2).split('/').reduce((n, k) => n[k], schema) : node);

function undeclared(value, ref, path, out) {
  const node = resolve(ref);
  if (!node || typeof value !== 'object' || value === null) return out;
  if (Array.isArray(value)) { value.forEach((v, i) => undeclared(v, node.items, `${path}/${i}`, out)); return out; }
  for (const [k, v] of Object.entries(value)) {
    if (comment(k)) continue;
    if (!node.properties || !(k in node.properties)) { if (node.additionalProperties === false || node === schema) out.push(`${path}/${k}`); continue; }
    undeclared(v, node.properties[k], `${path}/${k}`, out);
  }
  return out;
}

const dir = new URL('../../scenarios/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const bs = await createBackstop();

for (const f of files) {
  test(`scenarios/${f} is declared by the schema and valid for the core`, () => {
    const doc = JSON.parse(readFileSync(new URL(f, dir)));
    assert.deepEqual(undeclared(doc, schema, '', []), []);
    const v = bs.validate(doc);
    assert.equal(v.valid, true, JSON.stringify(v.errors));
  });
}

test('a field the schema does not declare is rejected by the core too', () => {
  const doc = JSON.parse(readFileSync(new URL('default.json', dir)));
  doc.market.maintenance_margin_rte = 0.01;
  assert.deepEqual(undeclared(doc, schema, '', []), ['/market/maintenance_margin_rte']);
  const r = bs.validate(doc);
  assert.equal(r.valid, false);
  assert.equal(r.errors[0].pointer, '/market/maintenance_margin_rte');
});
