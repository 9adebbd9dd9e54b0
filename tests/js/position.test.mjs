// The wasm build against values derived by hand (docs/formulas.md#position-arithmetic), and error mapping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBackstop, BackstopError } from '../../wasm/backstop.mjs';

const bs = await createBackstop();

test('linear long worked example: bankruptcy 90, liquidation 90/0.995', async () => {
  const r = await bs.position({ maintenance_margin_rate: 0.005,
    position: { side: 'long', quantity: 1, entry_price: 100, collateral: 10 } });
  assert.equal(r.bankruptcy_price, 90);
  assert.equal(r.liquidation_price, 90 / 0.995);
  assert.equal(r.leverage, 10);
});

test('inverse long: bankruptcy q/(M + q/E)', async () => {
  const r = await bs.position({ contract: 'inverse', maintenance_margin_rate: 0.01,
    position: { side: 'long', quantity: 10000, entry_price: 10000, collateral: 0.1 } });
  assert.equal(r.bankruptcy_price, 10000 / 1.1);
  assert.equal(r.liquidation_price, 10100 / 1.1);
});

test('bad input throws BackstopError naming the field and value', async () => {
  await assert.rejects(bs.position({ maintenance_margin_rate: 0.005,
    position: { side: 'long', quantity: 1, entry_price: 'abc', collateral: 10 } }),
  (e) => e instanceof BackstopError && e.code === 'invalid_input' &&
    e.pointer === '/position/entry_price' && /"abc"/.test(e.message));
});
