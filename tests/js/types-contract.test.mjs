// The declared result types against the output contract: every golden output (written by the
// native CLI, tests/golden/*.expected.json) is walked next to its TypeScript type through the
// compiler's own checker. Every key the JSON has must be a declared property (result types have
// no catch-all index signature), and every value's kind (number, string, boolean, null, array,
// object) must be one the type admits. The scenario type is generated from the schema
// (scripts/schema-types.mjs --check).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { root, readJson } from './golden.mjs';
import { createBackstop } from '../../wasm/backstop.mjs';

const program = ts.createProgram([join(root, 'wasm/backstop.d.ts')], { strict: true, noEmit: true, types: [] });
const checker = program.getTypeChecker();
const file = program.getSourceFile(join(root, 'wasm/backstop.d.ts'));
const exported = new Map(checker.getExportsOfModule(checker.getSymbolAtLocation(file)).map((s) => [s.name, s]));
const declared = (name) => checker.getDeclaredTypeOfSymbol(exported.get(name));

const members = (t) => (t.isUnion() ? t.types : [t]);
const F = ts.TypeFlags;

function kinds(value) {
  if (value === null) return F.Null;
  if (typeof value === 'number') return F.NumberLike;
  if (typeof value === 'string') return F.StringLike;
  if (typeof value === 'boolean') return F.BooleanLike;
  return 0;
}

/** Problems found walking `value` against `type`, each "pointer: message". */
function check(value, type, pointer, out) {
  if (out.length > 20) return out;
  const options = members(type);
  if (options.some((t) => t.flags & (F.Any | F.Unknown))) return out;
  const flag = kinds(value);
  if (flag) {
    if (!options.some((t) => t.flags & flag)) out.push(`${pointer}: ${JSON.stringify(value)} is not a ${checker.typeToString(type)}`);
    return out;
  }
  if (Array.isArray(value)) {
    const arrays = options.filter((t) => checker.isArrayType(t) || checker.isTupleType(t));
    if (!arrays.length) return out.push(`${pointer}: an array, declared ${checker.typeToString(type)}`), out;
    const a = arrays[0];
    value.forEach((v, i) => {
      const element = checker.isTupleType(a) ? checker.getTypeArguments(a)[i] : checker.getTypeArguments(a)[0];
      if (!element) out.push(`${pointer}/${i}: beyond the declared tuple ${checker.typeToString(a)}`);
      else check(v, element, `${pointer}/${i}`, out);
    });
    return out;
  }
  const objects = options.filter((t) => t.flags & F.Object && !checker.isArrayType(t));
  if (!objects.length) return out.push(`${pointer}: an object, declared ${checker.typeToString(type)}`), out;
  const loose = (t) => t.flags & (F.Any | F.Unknown);
  for (const o of objects) {
    if (checker.getIndexInfosOfType(o).some((i) => loose(i.type))) out.push(`${pointer}: ${checker.typeToString(o)} has an index signature of unknown, so it types nothing`);
  }
  for (const [k, v] of Object.entries(value)) {
    const prop = objects.map((o) => checker.getPropertyOfType(o, k)).find(Boolean);
    // A typed map (e.g. Record<string, string>) types its keys' values.
    const map = objects.map((o) => checker.getIndexTypeOfType(o, ts.IndexKind.String)).find(Boolean);
    if (prop) check(v, checker.getTypeOfSymbol(prop), `${pointer}/${k}`, out);
    else if (map) check(v, map, `${pointer}/${k}`, out);
    else out.push(`${pointer}/${k}: not declared in ${checker.typeToString(type)}`);
  }
  return out;
}

const golden = join(root, 'tests/golden');
const RESULT_TYPE = { sim: 'SimulateResult', stress: 'StressResult', sweep: 'SweepResult' };

// The CLI's outputs as committed (scripts/update-golden).
for (const f of readdirSync(golden).filter((f) => f.endsWith('.expected.json') && !f.startsWith('ruin-')).sort()) {
  const name = f.endsWith('.stress.expected.json') ? 'StressResult' : RESULT_TYPE[f.split('-')[0]];
  test(`${f} is typed by ${name}, field for field`, async () => {
    assert.deepEqual(check(readJson(join(golden, f)), declared(name), '', []), []);
  });
}

// ruin-*.expected.json hold independent reference values, not outputs: check the outputs.
test('ruin, position and names outputs are typed by RuinResult, PositionResult and Names, field for field', async () => {
  const bs = await createBackstop();
  const ruins = readdirSync(golden).filter((f) => /^ruin-[\w-]+\.json$/.test(f) && !f.includes('.expected.'));
  assert.ok(ruins.length >= 3);
  for (const f of ruins) assert.deepEqual(check(await bs.ruin(readJson(join(golden, f))), declared('RuinResult'), f, []), []);
  const position = await bs.position(readJson(join(golden, 'position-linear-long.json')));
  assert.deepEqual(check(position, declared('PositionResult'), 'position', []), []);
  assert.deepEqual(check(bs.names(), declared('Names'), 'names', []), []);
});

test('the checker finds an undeclared field and a wrong kind (it can fail)', async () => {
  const problems = check({ events: [{ shock: 'x', no_such_field: 1 }] }, declared('StressResult'), '', []);
  assert.ok(problems.some((p) => p.startsWith('/events/0/no_such_field: not declared')), problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('/events/0/shock: "x" is not a number')), problems.join('\n'));
});

test('wasm/scenario.d.ts is what schema/scenario.schema.json gives (scripts/schema-types.mjs --check)', async () => {
  execFileSync(process.execPath, [join(root, 'scripts/schema-types.mjs'), '--check'], { stdio: 'pipe' });
});
