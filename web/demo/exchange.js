// The mock exchange's page script: its "live" numbers (here a constant snapshot) go into the
// page's own table and, through the `scenario` property, into two compact calculators.
import '../widget/define.js';
import base from '../../scenarios/default.json';

const SNAPSHOT = {
  asOf: '2024-11-18 00:00 UTC',
  absorbed30d: 1.84e6,
  change30d: 0.042,
  markets: [
    { id: 'btc', symbol: 'BTC-USDT', mark: 91250, oi: 1.35e9, volume: 1.2e10, fund: 6.2e7, feeShare: 0.1, vol: 0.032, jumps: 10, mmr: 0.005 },
    { id: 'eth', symbol: 'ETH-USDT', mark: 3120, oi: 5.2e8, volume: 4.5e9, fund: 1.45e7, feeShare: 0.1, vol: 0.042, jumps: 14, mmr: 0.005 },
  ],
};

const usd = (x) => (x >= 1e9 ? `$${(x / 1e9).toFixed(2)}B` : `$${(x / 1e6).toFixed(1)}M`);

/** A backstop scenario (docs/scenario-format.md) from one market row of the page. */
function scenarioFor(m) {
  const s = structuredClone(base);
  s.name = `${m.symbol} perpetual · Meridian`;
  s.market = { ...s.market, symbol: `${m.symbol}-PERP`, mark_price: m.mark, daily_volume: m.volume, maintenance_margin_rate: m.mmr };
  s.book = { ...s.book, open_interest: m.oi };
  s.fund = { ...s.fund, balance: m.fund, fee_share: m.feeShare };
  s.price_model = { ...s.price_model, daily_volatility: m.vol, jump_intensity_per_year: m.jumps };
  s.simulation = { ...s.simulation, paths: 2000, seed: 7 };
  return s;
}

const total = SNAPSHOT.markets.reduce((a, m) => a + m.fund, 0);
const oi = SNAPSHOT.markets.reduce((a, m) => a + m.oi, 0);
document.getElementById('total-balance').textContent = usd(total);
document.getElementById('total-change').textContent = `▲ ${(100 * SNAPSHOT.change30d).toFixed(1)} % in 30 days`;
document.getElementById('total-oi').textContent = usd(oi);
document.getElementById('total-ratio').textContent = `${((100 * total) / oi).toFixed(2)} %`;
document.getElementById('absorbed').textContent = usd(SNAPSHOT.absorbed30d);
document.getElementById('stamp').textContent = `Snapshot ${SNAPSHOT.asOf}`;

const rows = document.getElementById('market-rows');
for (const m of SNAPSHOT.markets) {
  const tr = rows.insertRow();
  for (const text of [`${m.symbol} Perpetual`, m.mark.toLocaleString('en-US'), usd(m.oi), usd(m.fund), `${((100 * m.fund) / m.oi).toFixed(2)} %`, `${(100 * m.feeShare).toFixed(0)} % of taker fees`]) {
    tr.insertCell().textContent = text;
  }
  document.getElementById(`w-${m.id}`).scenario = scenarioFor(m);
}
