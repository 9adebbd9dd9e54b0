// The core's enum tables (`bs.names()`), which the widget's option lists and labels come from:
// their ids are exactly the spellings the JSON Schema declares, each labelled, none twice, and
// each one the core accepts in a scenario.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createBackstop } from '../../wasm/backstop.mjs';

const schema = JSON.parse(readFileSync(new URL('../../schema/scenario.schema.json', import.meta.url)));
const scenario = JSON.parse(readFileSync(new URL('../../scenarios/default.json', import.meta.url)));
const policy = schema.properties.policy.properties;
const bs = await createBackstop();
const names = bs.names();

// Where each table's ids are declared in the schema.
const DECLARED = {
  stages: policy.stages.items.enum,
  adl_rankings: policy.adl_ranking.enum,
  venues: policy.preset.enum,
  price_models: schema.$defs.price_model.properties.kind.enum,
  impact_models: schema.$defs.market.properties.liquidity.properties.model.enum,
  penalty_modes: policy.penalty.properties.mode.enum,
  socialize_over: policy.socialize_over.enum,
  adl_triggers: policy.adl_trigger.properties.kind.enum,
  fund_coverages: policy.fund_coverage.enum,
  fund_scopes: schema.properties.fund.properties.scope.enum,
  fund_assets: schema.properties.fund.properties.composition.items.properties.asset.enum,
  contracts: schema.$defs.market.properties.contract.enum,
  sides: schema.$defs.book.properties.positions.items.properties.side.enum,
  contract_tiers: policy.venue.properties.contract_tier.enum,
  maintenance_tier_basis: policy.venue.properties.maintenance_tier_basis.enum,
  claim_distributions: schema.properties.ruin.properties.claim.properties.distribution.enum,
  importance_samplings: schema.properties.simulation.properties.importance_sampling.enum,
};

// Every `enum` array anywhere in the schema, by its path.
function schemaEnums(node, path = '', out = []) {
  if (Array.isArray(node)) node.forEach((v, i) => schemaEnums(v, `${path}/${i}`, out));
  else if (node && typeof node === 'object') {
    if (Array.isArray(node.enum)) out.push({ path, ids: node.enum });
    for (const [k, v] of Object.entries(node)) if (k !== 'enum') schemaEnums(v, `${path}/${k}`, out);
  }
  return out;
}

test('the core has a name table for every enum in the schema, and no table the schema lacks', () => {
  assert.deepEqual(Object.keys(names).sort(), Object.keys(DECLARED).sort());
  const tables = Object.values(names).map((t) => JSON.stringify(t.map((e) => e.id)));
  for (const { path, ids } of schemaEnums(schema))
    assert.ok(tables.includes(JSON.stringify(ids)), `${path}: ${ids.join(', ')} is no name table of the core`);
});

test('names() has a table for every enum the widget lists', () => {
  for (const key of Object.keys(DECLARED)) assert.ok(Array.isArray(names[key]), key);
});

for (const [key, ids] of Object.entries(DECLARED)) {
  test(`names().${key}: the schema's ids in its order, each with a label`, () => {
    assert.deepEqual(names[key].map((e) => e.id), ids);
    for (const e of names[key]) {
      assert.equal(typeof e.label, 'string');
      assert.ok(e.label.trim().length > 0, `${key}/${e.id} has a label`);
    }
    assert.equal(new Set(names[key].map((e) => e.label)).size, ids.length, 'labels are distinct');
  });
}

test('every venue id is a preset the core accepts', () => {
  for (const { id } of names.venues) {
    const v = bs.validate({ ...scenario, policy: { preset: id } });
    assert.equal(v.valid, true, `${id}: ${JSON.stringify(v.errors)}`);
  }
});
