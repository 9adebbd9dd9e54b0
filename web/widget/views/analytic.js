// The analytic cross-check: the core's own Cramér–Lundberg view of the run (`analytic` in the
// simulate result, docs/outputs.md#simulate; formulas in docs/formulas.md#ruin-theory), fitted
// by the core to the simulated daily bad debt of every market, in the contract's settlement unit.
import { html } from 'lit';
import { pct, money, int } from '../format.js';

const row = (key, label, value, text) =>
  html`<tr data-key=${key}><td>${label}</td><td data-value=${value ?? ''}>${text}</td></tr>`;

/** @param r the simulate result on screen (quick, partial or full) */
export function analyticView(r) {
  const an = r?.analytic;
  if (!an) {
    return html`<h3>Analytic cross-check</h3>
      <p class="note" id="analytic-none">The core could not fit a Cramér–Lundberg model to this run (see the warnings above).</p>`;
  }
  const fh = an.finite_horizon;
  const diffusion = fh?.diffusion != null;
  const psiT = diffusion ? fh.diffusion : fh?.exact;
  const rs = an.required_surplus;
  const fit = an.fit ?? {};
  return html`<h3>Analytic cross-check <span class="lbl">Cramér–Lundberg</span></h3>
    <table class="risk" id="analytic"><tbody>
      ${row('finite_horizon', `ψ(u, ${fh?.horizon ?? '—'} d), ${diffusion ? 'diffusion approx.' : 'exact'}`, psiT, pct(psiT))}
      ${row('psi', 'ψ(u), infinite horizon', an.psi, pct(an.psi))}
      ${row('required_surplus', `Surplus for ψ ≤ ${pct(rs?.target)}`, rs?.amount, money(rs?.amount))}
      ${row('loading', 'Premium loading θ', an.loading, an.loading == null ? '—' : an.loading.toFixed(2))}
    </tbody></table>
    <p class="note">${an.note ?? 'Compound Poisson model fitted to the run'}: fee income ${money(fit.premium_per_day)}/day, bad debt on
      ${int(fit.days_with_bad_debt)} of ${int(fit.days_observed)} simulated days, ${money(an.claim_mean)} on such a day on average.
      ${(an.notes ?? []).map((n) => `${n}. `)}A rough model of fat-tailed, clustered losses: a cross-check, not the answer.</p>`;
}
