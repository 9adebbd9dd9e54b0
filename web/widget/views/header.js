// The title bar: the scenario's name and what it covers, the preset picker and the A/B switch.
import { html, nothing } from 'lit';
import { PRESET_KEYS, presetLabel } from '../presets.js';

const isPreset = (side, key) => side?.scenario?.name === presetLabel(key);

/**
 * @param st {a, cur, comparing, version, presetError}: the current side, the side being edited,
 *   the version, why the preset picked last could not be shown ('' when it was)
 * @param on {preset(key), compare()}
 */
export function headerView({ a, cur, comparing, version, presetError }, on) {
  const s = a?.scenario;
  return html`<header part="header">
      <h2>${s?.name ?? 'Insurance fund calculator'}
        <span class="sub">${Array.isArray(s?.markets) ? `${s.markets.length} markets` : s?.market?.symbol ?? ''} · depletion risk of the insurance fund over
          ${s?.simulation?.horizon_days ?? '—'} days${version ? ` · backstop ${version}` : ''}</span></h2>
      <label>Preset
        <select id="preset" @change=${(e) => on.preset(e.target.value)} aria-label="Preset scenario">
          ${PRESET_KEYS.map((k) => html`<option value=${k} ?selected=${isPreset(cur, k)}>${presetLabel(k)}</option>`)}
          ${PRESET_KEYS.some((k) => isPreset(cur, k)) ? nothing : html`<option value="" selected disabled>Custom</option>`}
        </select>
      </label>
      ${presetError ? html`<span class="preset-error" role="alert">${presetError}</span>` : nothing}
      <button id="compare" aria-pressed=${comparing ? 'true' : 'false'} @click=${on.compare}>
        ${comparing ? 'End A/B compare' : 'Compare with a proposal'}</button>
    </header>`;
}
