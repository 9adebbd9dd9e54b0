// The share and export bar: permalink, Markdown, JSON, CSV; a toast after a copy, and the text
// itself to copy by hand where the clipboard is unavailable.
import { html, nothing } from 'lit';

/**
 * CSV is one table per file (docs/outputs.md#reports): the simulate summary, the stress events
 * and the sweep's points each have their own download.
 * @param {{hasScenario: boolean, ready: boolean, hasStress: boolean, hasSweep: boolean, toast: string, markdown: string|null}} s
 * @param {{copyLink, copyMarkdown, downloadJSON, downloadCSV, downloadStressCSV, downloadSweepCSV}} on
 */
export function exportsView({ hasScenario, ready, hasStress, hasSweep, toast, markdown }, on) {
  return html`<div class="actions" part="actions">
      <button id="copy-link" ?disabled=${!hasScenario} @click=${on.copyLink}>Copy permalink</button>
      <button id="copy-md" ?disabled=${!ready} @click=${on.copyMarkdown}>Copy as Markdown</button>
      <button id="dl-json" ?disabled=${!ready} @click=${on.downloadJSON}>Download JSON</button>
      <button id="dl-csv" ?disabled=${!ready} @click=${on.downloadCSV}>Download CSV</button>
      ${hasStress ? html`<button id="dl-stress-csv" @click=${on.downloadStressCSV}>Stress CSV</button>` : nothing}
      ${hasSweep ? html`<button id="dl-sweep-csv" @click=${on.downloadSweepCSV}>Sweep CSV</button>` : nothing}
      <span class="spacer"></span>
      ${toast ? html`<span class="toast" role="status">${toast}</span>` : nothing}
    </div>
    ${markdown ? html`<textarea id="md-out" readonly aria-label="Export text" .value=${markdown}></textarea>` : nothing}`;
}
