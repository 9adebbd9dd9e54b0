// The mock proposal post: builds the permalink (current vs proposed) that an author would
// paste, points the iframe at embed.html with it, and sizes the iframe from its height messages.
import base from '../../scenarios/default.json';
import { writeFragment, presetsWith } from '../widget/preset-data.js';

const current = structuredClone(base);
current.name = 'BTC perpetual: current parameters';
current.fund = { ...current.fund, balance: 1.5e7 };
current.simulation = { ...current.simulation, paths: 4000, seed: 42 };
const proposed = structuredClone(current);
proposed.name = 'BTC perpetual: ARFC proposal';
proposed.fund = { ...proposed.fund, balance: 4e7, fee_share: 0.25 };

const url = `./embed.html${await writeFragment({ a: current, b: proposed }, presetsWith(base).PRESET_CATALOG)}`;
const iframe = document.getElementById('calc');
iframe.src = url;
document.getElementById('permalink').href = url;

const rows = [
  ['Insurance fund balance', '15 M USDT', '40 M USDT'],
  ['Taker-fee share to the fund', '10 %', '25 %'],
  ['Target P(depletion within 30 days)', '1 %', '1 %'],
  ['Maintenance margin', '0.50 %', '0.50 %'],
];
const tbody = document.getElementById('spec-rows');
for (const [k, a, b] of rows) {
  const tr = tbody.insertRow();
  tr.insertCell().textContent = k;
  tr.insertCell().textContent = a;
  const td = tr.insertCell();
  td.textContent = b;
  if (a !== b) td.className = 'changed';
}

// Height reports from our own embed page only; the value is used as a number, nothing else.
window.addEventListener('message', (e) => {
  if (e.origin !== location.origin || e.source !== iframe.contentWindow) return;
  const h = Number(e.data?.height);
  if (e.data?.type === 'backstop:height' && Number.isFinite(h) && h > 200 && h < 10000) iframe.style.height = `${Math.ceil(h)}px`;
});
