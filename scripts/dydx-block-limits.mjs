#!/usr/bin/env node
// Measures what dYdX v4's per-block liquidation limits would do to a stress event, which the
// engine runs in one block (docs/venues.md, dydx_v4): how many blocks each liquidated cohort
// needs, how far the price moves over that time, and what the event costs the fund at that
// moved price. Usage: node scripts/dydx-block-limits.mjs [SCENARIO] [BACKSTOP]
// (defaults scenarios/dex-midcap.json and build/native/cli/backstop).
//
// Limits (dydxprotocol/v4-chain 84d4664bae71e3a077adaac67fb77ad19cd28d30):
// protocol/testing/mainnet/genesis.json:951-959 — min_position_notional_liquidated 1,000 USDC,
// max_position_portion_liquidated_ppm 100,000 (10 % of the position), max_notional_liquidated
// 100,000 USDC and max_quantums_insurance_lost 1,000,000 USDC per subaccount per block;
// x/clob/keeper/liquidations.go:760-1000 (GetLiquidatablePositionSizeDelta: min of the position
// limit max(10 % of the position, min(1,000, position)) and the subaccount's notional left, the
// whole position when it fits); one liquidation per subaccount and perpetual per block
// (HasPerpetualBeenLiquidatedForSubaccount); x/clob/flags/flags.go:39 — at most 50 liquidation
// attempts per block (the node's default); cmd/dydxprotocold/cmd/config.go:118 — TimeoutCommit
// 500 ms, so a block takes at least 0.5 s.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const scenarioPath = resolve(process.argv[2] ?? join(root, 'scenarios/dex-midcap.json'));
const cli = resolve(process.argv[3] ?? join(root, 'build/native/cli/backstop'));
const MIN_POSITION = 1_000, PORTION = 0.1, SUBACCOUNT_NOTIONAL = 100_000, ATTEMPTS_PER_BLOCK = 50;
const BLOCK_SECONDS = 0.5;  // the commit timeout alone: a lower bound on the block time

/** Blocks one subaccount needs to liquidate a position of `notional` (at a fixed price). */
export function blocksFor(notional) {
  let left = notional, blocks = 0;
  while (left > 1e-9) {
    const cap = Math.min(Math.max(PORTION * left, Math.min(MIN_POSITION, left)), SUBACCOUNT_NOTIONAL);
    left = cap >= left ? 0 : left - cap;
    ++blocks;
  }
  return blocks;
}

const scenario = JSON.parse(readFileSync(scenarioPath, 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'dydx-blocks-'));
function stress(shocks) {
  const f = join(dir, 's.json');
  writeFileSync(f, JSON.stringify({ ...scenario, stress: { shocks } }));
  return JSON.parse(execFileSync(cli, ['stress', f, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 26 })).events;
}
const sigma = scenario.price_model.daily_volatility;
const p0 = scenario.market.mark_price;
const fmt = (x) => Math.round(x).toLocaleString('en-US');
const events = stress(scenario.stress.shocks);
console.log(`${scenarioPath}: one block = ${BLOCK_SECONDS} s (lower bound), daily volatility ${sigma}`);
for (const e of events) {
  const price = p0 * (1 + e.shock);
  const cohorts = e.positions.filter((p) => p.liquidated && p.liquidated_quantity > 0)
    .map((p) => ({ id: p.id, notional: p.liquidated_quantity * price }));
  if (!cohorts.length) continue;
  console.log(`\nshock ${e.shock}: fund pays ${fmt(e.waterfall.insurance_fund)}, ADL ${fmt(e.waterfall.adl)}`);
  for (const accountSize of [null, 1e6, 1e5, 1e4]) {
    // Each cohort as one subaccount (null), or split into subaccounts of `accountSize`, all
    // liquidated in parallel but at most 50 attempts per block.
    let attempts = 0, longest = 0;
    for (const c of cohorts) {
      const size = accountSize ?? c.notional;
      const b = blocksFor(Math.min(size, c.notional));
      attempts += Math.ceil(c.notional / size) * b;
      longest = Math.max(longest, b);
    }
    const blocks = Math.max(longest, Math.ceil(attempts / ATTEMPTS_PER_BLOCK));
    const seconds = blocks * BLOCK_SECONDS;
    const move = sigma * Math.sqrt(seconds / 86400);
    // The event at the price one standard deviation further on over that time.
    const shock = (1 + e.shock) * (e.shock < 0 ? 1 - move : 1 + move) - 1;
    const [moved] = stress([shock]);
    console.log(`  ${accountSize ? `subaccounts of ${fmt(accountSize)}` : 'each cohort one subaccount'}: ` +
      `${fmt(blocks)} blocks (${fmt(attempts)} attempts), >= ${seconds.toFixed(0)} s, 1-sd move ${(100 * move).toFixed(2)} %; ` +
      `at shock ${shock.toFixed(4)} the fund pays ${fmt(moved.waterfall.insurance_fund)}, ADL ${fmt(moved.waterfall.adl)}`);
  }
}
rmSync(dir, { recursive: true, force: true });
