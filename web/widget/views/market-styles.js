// Styles of the "bring your own market" cards (views/market.js).
import { css } from 'lit';

export const marketStyles = css`
  .market { margin-top: 12px; }
  .drop { border: 1.5px dashed var(--_border); border-radius: 8px; padding: 14px; display: flex; flex-wrap: wrap; gap: 6px 10px;
    align-items: center; color: var(--_muted); font-size: 13px; }
  .drop.over { border-color: var(--_accent); background: var(--_accent-soft); }
  .drop .pick { color: var(--_accent); cursor: pointer; text-decoration: underline; font-size: 13px; }
  .drop .pick input { position: absolute; width: 1px; height: 1px; opacity: 0; }
  .market textarea { width: 100%; margin-top: 8px; border: 1px solid var(--_border); border-radius: 6px; padding: 6px 8px;
    font: 12px/1.4 ui-monospace, monospace; resize: vertical; background: var(--_surface); }
  .byo-actions { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin-top: 8px; }
  .fits { width: 100%; border-collapse: collapse; margin-top: 6px; }
  .fits td.params { text-align: left; font-size: 12px; }
  .fits tr.best td:first-child { font-weight: 650; }
  .fits button.use { white-space: nowrap; font-size: 12px; padding: 4px 8px; }
  #replay-split { width: auto; min-width: 240px; border-collapse: collapse; margin-top: 6px; }
  @container (max-width: 560px) {
    .fits thead { display: none; }
    .fits tr { display: grid; grid-template-columns: 1fr 1fr; gap: 2px 8px; padding: 6px 0; border-bottom: 1px solid var(--_border); }
    .fits td { border: 0; padding: 2px 0; text-align: left; }
    .fits td.ll::before { content: 'log-lik. '; color: var(--_muted); }
    .fits td.aic::before { content: 'AIC '; color: var(--_muted); }
    .fits td.params { grid-column: 1 / -1; }
  }
`;
