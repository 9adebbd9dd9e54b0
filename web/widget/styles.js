// Styles of <backstop-calculator>. Everything a host page may theme is a --backstop-* custom
// property read on :host (documented on the element class); uPlot's own sheet is adopted
// into the shadow root because document styles do not reach it.
import { css, unsafeCSS } from 'lit';
import uplotCss from 'uplot/dist/uPlot.min.css?inline';

export const uplotStyles = unsafeCSS(uplotCss);

export const styles = css`
  :host {
    --_font: var(--backstop-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_ink: var(--backstop-ink, #14213d);
    --_muted: var(--backstop-muted, #5c677d);
    --_bg: var(--backstop-bg, #f6f8fb);
    --_surface: var(--backstop-surface, #ffffff);
    --_border: var(--backstop-border, #dfe4ec);
    --_accent: var(--backstop-accent, #0b6e4f);
    --_accent-soft: var(--backstop-accent-soft, rgba(11, 110, 79, 0.16));
    --_proposed: var(--backstop-proposed, #6c4bd8);
    --_bad: var(--backstop-bad, #b3261e);
    --_warn: var(--backstop-warn, #c77700);
    --_good: var(--backstop-good, #0b7a3e);
    --_radius: var(--backstop-radius, 10px);
    display: block;
    font: 14px/1.45 var(--_font);
    color: var(--_ink);
    container-type: inline-size;
  }
  :host([hidden]) { display: none; }
  * { box-sizing: border-box; }
  .frame { background: var(--_bg); border: 1px solid var(--_border); border-radius: var(--_radius); overflow: hidden; }
  header { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; padding: 14px 18px; background: var(--_surface); border-bottom: 1px solid var(--_border); }
  /* the preset's select goes under "Preset" rather than cut its name short */
  header label { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; min-width: 0; max-width: 100%; }
  header label select { min-width: 0; max-width: 100%; }
  header h2 { font-size: 16px; margin: 0; font-weight: 650; flex: 1 1 240px; min-width: 0; overflow-wrap: anywhere; }
  header .sub { display: block; font-weight: 400; font-size: 12px; color: var(--_muted); }
  header .preset-error { color: var(--_bad); font-size: 12px; flex-basis: 100%; }
  label, .lbl { font-size: 12px; color: var(--_muted); }
  select, input, button, textarea { font: inherit; color: inherit; }
  select, input { border: 1px solid var(--_border); border-radius: 6px; background: var(--_surface); padding: 5px 8px; min-width: 0; }
  input[type='number'] { font-variant-numeric: tabular-nums; }
  input:focus-visible, select:focus-visible, button:focus-visible, a:focus-visible, textarea:focus-visible {
    outline: 2px solid var(--_accent); outline-offset: 1px;
  }
  [aria-invalid='true'] { border-color: var(--_bad); background: color-mix(in srgb, var(--_bad) 6%, var(--_surface)); }
  button { cursor: pointer; border: 1px solid var(--_border); background: var(--_surface); border-radius: 6px; padding: 6px 12px; font-size: 13px; }
  button:hover { border-color: var(--_accent); }
  button.primary { background: var(--_accent); border-color: var(--_accent); color: #fff; }
  button.link { border: 0; background: none; color: var(--_accent); padding: 2px 4px; }
  button[aria-pressed='true'] { background: var(--_ink); border-color: var(--_ink); color: #fff; }
  .layout { display: grid; grid-template-columns: minmax(300px, 360px) 1fr; }
  @container (max-width: 820px) { .layout { grid-template-columns: 1fr; } }
  .inputs { background: var(--_surface); border-right: 1px solid var(--_border); padding: 6px 16px 16px; }
  /* min-width 0: a fieldset is otherwise as wide as its widest select, past the column */
  fieldset { border: 0; padding: 0; margin: 12px 0 0; min-width: 0; }
  legend { font-size: 11px; letter-spacing: .08em; text-transform: uppercase; color: var(--_muted); font-weight: 650; padding: 0; margin-bottom: 6px; }
  .field { display: grid; grid-template-columns: 1fr 150px; align-items: center; gap: 2px 10px; padding: 3px 0; }
  .field > label { color: var(--_ink); font-size: 13px; }
  .field .ctl { display: flex; align-items: center; gap: 4px; }
  .field .ctl input, .field .ctl select { width: 100%; }
  /* a select is as wide as its longest option ("auto (cross-entropy tilt)"), at least the inputs'
     column; it goes under its label when both do not fit on one line */
  .field.sel { display: flex; flex-wrap: wrap; justify-content: space-between; column-gap: 10px; }
  .field.sel > label { flex: 1 1 auto; }
  .field.sel .ctl { flex: 0 1 auto; min-width: min(150px, 100%); max-width: 100%; margin-left: auto; }
  .field.sel .ctl select { width: auto; min-width: 100%; max-width: 100%; font-size: 13px; }
  .field.sel > .msg { flex: 1 0 100%; }
  .field .unit { font-size: 11px; color: var(--_muted); flex: 0 0 40px; line-height: 1.15; }
  .field.changed > label::before { content: '●'; color: var(--_proposed); font-size: 9px; margin-right: 5px; vertical-align: 2px; }
  .msg { grid-column: 1 / -1; color: var(--_bad); font-size: 12px; overflow-wrap: anywhere; }
  .hint { grid-column: 1 / -1; color: var(--_muted); font-size: 11px; margin-top: -2px; }
  table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
  .lev th, .lev td { padding: 2px 4px 2px 0; font-size: 12px; text-align: left; font-weight: 400; color: var(--_muted); }
  .lev input { width: 100%; }
  .lev td:last-child { width: 26px; }
  .lev .rm { padding: 2px 6px; line-height: 1; }
  .lev-foot { display: flex; justify-content: space-between; align-items: center; font-size: 12px; color: var(--_muted); margin-top: 4px; }
  .errors { margin: 10px 0 0; padding: 8px 10px; border-radius: 6px; background: color-mix(in srgb, var(--_bad) 8%, var(--_surface)); color: var(--_bad); font-size: 12px; overflow-wrap: anywhere; }
  .errors p { margin: 2px 0; }
  .outputs { padding: 16px 18px 18px; min-width: 0; display: flex; flex-direction: column; gap: 14px; }
  .headline { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 12px; }
  @container (max-width: 1000px) { .stat .v { font-size: 21px; } .stat { padding: 10px 12px; } }
  @container (max-width: 440px) { .headline { grid-template-columns: 1fr; } }
  .stat { background: var(--_surface); border: 1px solid var(--_border); border-radius: 8px; padding: 12px 14px; min-width: 0; }
  .stat .k { font-size: 12px; color: var(--_muted); }
  .stat .v { font-size: 26px; font-weight: 700; letter-spacing: -0.01em; font-variant-numeric: tabular-nums; line-height: 1.2; margin-top: 2px; }
  .stat .v.b { color: var(--_proposed); font-size: 18px; }
  .stat .d { font-size: 12px; color: var(--_muted); font-variant-numeric: tabular-nums; }
  .stat.alert .v { color: var(--_bad); }
  .stat.ok .v { color: var(--_good); }
  .status { display: flex; align-items: center; gap: 10px; font-size: 12px; color: var(--_muted); min-height: 28px; flex-wrap: wrap; }
  .badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 11px; font-weight: 600; border: 1px solid currentColor; }
  .badge.quick { color: var(--_warn); }
  .badge.final { color: var(--_good); }
  .badge.stale { color: var(--_bad); }
  .results { display: flex; flex-direction: column; gap: 14px; min-width: 0; transition: opacity .15s; }
  /* numbers of earlier inputs: greyed; struck through while the inputs are invalid */
  .results.stale { opacity: .45; filter: grayscale(1); }
  .results.invalid .stat .v { text-decoration: line-through; text-decoration-thickness: 2px; }
  progress { flex: 1 1 120px; height: 6px; appearance: none; border: 0; border-radius: 3px; background: var(--_border); max-width: 260px; }
  progress::-webkit-progress-bar { background: var(--_border); border-radius: 3px; }
  progress::-webkit-progress-value { background: var(--_accent); border-radius: 3px; }
  .cards { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 12px; }
  @container (max-width: 980px) { .cards { grid-template-columns: 1fr; } }
  .card { background: var(--_surface); border: 1px solid var(--_border); border-radius: 8px; padding: 12px 14px; min-width: 0; }
  .card.wide { grid-column: 1 / -1; }
  .card h3 { margin: 0 0 8px; font-size: 13px; font-weight: 650; display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: 2px 8px; }
  .card h3 select { font-size: 12px; font-weight: 400; padding: 2px 6px; }
  .chart { width: 100%; min-height: 40px; }
  .note { font-size: 12px; color: var(--_muted); margin: 6px 0 0; }
  .risk th, .risk td { padding: 5px 6px; border-bottom: 1px solid var(--_border); text-align: right; font-size: 13px; }
  .risk th:first-child, .risk td:first-child { text-align: left; }
  /* a number and its unit stay on one line ("26.5 M"); the row label wraps instead */
  .risk td:not(:first-child) { white-space: nowrap; }
  @container (max-width: 440px) { .risk th, .risk td { padding: 5px 3px; font-size: 12px; } .card { padding: 10px; } }
  .risk thead th { color: var(--_muted); font-weight: 500; font-size: 12px; }
  .risk tr.diff td.bv { background: color-mix(in srgb, var(--_proposed) 10%, transparent); }
  .better { color: var(--_good); font-weight: 600; }
  .worse { color: var(--_bad); font-weight: 600; }
  .actions { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
  .actions .spacer { flex: 1; }
  .toast { font-size: 12px; color: var(--_good); }
  textarea { width: 100%; min-height: 160px; font: 12px/1.4 ui-monospace, Menlo, Consolas, monospace; border: 1px solid var(--_border); border-radius: 6px; padding: 8px; }
  .warn { font-size: 12px; color: var(--_warn); margin: 0; }
  .seg { display: inline-flex; border: 1px solid var(--_border); border-radius: 7px; overflow: hidden; }
  .seg button { border: 0; border-radius: 0; padding: 4px 10px; }
  .seg button[aria-pressed='true'].b { background: var(--_proposed); }
  .empty { color: var(--_muted); padding: 40px 0; text-align: center; }
  .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }

  /* compact mode: headline and one chart, for a transparency page */
  :host([mode='compact']) .outputs { padding: 14px 16px; }
  :host([mode='compact']) .stat .v { font-size: 22px; }
  .foot { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 6px 12px; font-size: 11px; color: var(--_muted); }
  .foot a { color: var(--_accent); }

  .sweep-form { display: grid; grid-template-columns: minmax(170px, 1.6fr) repeat(4, minmax(80px, 1fr)) auto; gap: 8px 12px; align-items: start; margin-bottom: 6px; }
  @container (max-width: 1100px) { .sweep-form { grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); } .sweep-form .sf:first-child { grid-column: span 2; } }
  .sweep-form .sf { display: flex; flex-direction: column; gap: 3px; min-width: 0; }
  .sweep-form .sf .ctl { display: flex; align-items: center; gap: 4px; }
  .sweep-form .sf input, .sweep-form .sf select { width: 100%; }
  .sweep-form .sf .unit { font-size: 11px; color: var(--_muted); flex: 0 0 auto; }
  .sweep-form .go { justify-content: flex-end; align-self: end; }
  #sweep-table { margin-top: 8px; }
  /* the band's edges need no legend entry of their own */
  #sweep-chart .u-legend .u-series:nth-child(2), #sweep-chart .u-legend .u-series:nth-child(3) { display: none; }
  .u-legend { font-size: 11px; color: var(--_muted); }
  .u-legend .u-marker { width: 10px; height: 3px; }
`;
