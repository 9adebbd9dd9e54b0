import { createBackstop } from '../wasm/backstop.mjs';

const form = document.getElementById('position-form');
const out = (id, text) => { document.getElementById(id).textContent = text; };
const fmt = (v) => (v === null || v === undefined ? 'never' : Number(v).toLocaleString('en-US', { maximumFractionDigits: 6 }));
const bs = await createBackstop();

async function update() {
  const f = new FormData(form);
  const num = (k) => (f.get(k) === '' ? null : Number(f.get(k)));
  const input = {
    contract: f.get('contract'),
    maintenance_margin_rate: num('maintenance_margin_rate'),
    position: { side: f.get('side'), quantity: num('quantity'), entry_price: num('entry_price'), collateral: num('collateral') },
  };
  for (const el of form.querySelectorAll('input')) el.removeAttribute('aria-invalid');
  try {
    const r = await bs.position(input);
    out('liquidation', fmt(r.liquidation_price));
    out('bankruptcy', fmt(r.bankruptcy_price));
    out('leverage', r.leverage === null ? '—' : `${fmt(r.leverage)}×`);
    out('error', '');
  } catch (e) {
    out('liquidation', '—'); out('bankruptcy', '—'); out('leverage', '—');
    out('error', e.errors?.map((x) => `${x.pointer}: ${x.message}`).join('\n') || e.message);
    for (const x of e.errors || []) {
      const name = x.pointer.split('/').pop();
      form.querySelector(`[name="${CSS.escape(name)}"]`)?.setAttribute('aria-invalid', 'true');
    }
  }
}
form.addEventListener('input', update);
await update();
document.body.dataset.ready = 'true';
