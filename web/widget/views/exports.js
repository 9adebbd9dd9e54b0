// The share and export bar: permalink, Markdown, JSON, CSV; a toast after a copy, and the text
// itself to copy by hand where the clipboard is unavailable.
import { html, nothing } from 'lit';

/**
 * @param {{hasScenario: boolean, ready: boolean, toast: string, markdown: string|null}} s
 * @param {{copyLink, copyMarkdown, downloadJSON, downloadCSV}} on
 */
export function exportsView({ hasScenario, ready, toast, markdown }, on) {
  return html`<div class="actions" part="actions">
      <button id="copy-link" ?disabled=${!hasScenario} @click=${on.copyLink}>Copy permalink</button>
      <button id="copy-md" ?disabled=${!ready} @click=${on.copyMarkdown}>Copy as Markdown</button>
      <button id="dl-json" ?disabled=${!ready} @click=${on.downloadJSON}>Download JSON</button>
      <button id="dl-csv" ?disabled=${!ready} @click=${on.downloadCSV}>Download CSV</button>
      <span class="spacer"></span>
      ${toast ? html`<span class="toast" role="status">${toast}</span>` : nothing}
    </div>
    ${markdown ? html`<textarea id="md-out" readonly aria-label="Export text" .value=${markdown}></textarea>` : nothing}`;
}
