// The element's uPlot charts (a Lit ReactiveController): drawn after each update into the
// containers the views leave (#curve, #fan, #waterfall, #sweep-chart), redrawn only when their
// data changed, resized with the element and destroyed with it. Colours are the host's
// --backstop-* custom properties, read at each draw, so a page's theme reaches the canvas.
import { curveChart, fanChart, waterfallChart } from '../charts.js';
import { sweepChart } from '../sweep.js';

/** The chart colours and font: the host's --backstop-* custom properties, read now. */
export function themeOf(host) {
  const cs = getComputedStyle(host);
  const v = (n, d) => cs.getPropertyValue(n).trim() || d;
  return {
    font: v('--backstop-font', 'system-ui, sans-serif'), ink: v('--backstop-ink', '#14213d'), muted: v('--backstop-muted', '#5c677d'),
    grid: v('--backstop-border', '#dfe4ec'), accent: v('--backstop-accent', '#0b6e4f'), accentSoft: v('--backstop-accent-soft', 'rgba(11,110,79,.35)'),
    band1: v('--backstop-band-outer', 'rgba(11,110,79,.12)'), band2: v('--backstop-band-inner', 'rgba(11,110,79,.24)'),
    surface: v('--backstop-surface', '#ffffff'), b: v('--backstop-proposed', '#6c4bd8'), bad: v('--backstop-bad', '#b3261e'), warn: v('--backstop-warn', '#c77700'),
  };
}

export class ChartController {
  /** @param data () => {a, b, event, mode, sweep}: the displayed results ({scenario, result}), the stress event, the last sweep */
  constructor(host, { data }) {
    this.host = host;
    this._data = data;
    /** [{el, chart}] of the charts on screen. */
    this.charts = [];
    this._key = null;
    host.addController(this);
  }

  hostConnected() {
    this._ro = new ResizeObserver(() => this.resize());
    this._ro.observe(this.host);
  }

  hostDisconnected() {
    this._ro?.disconnect();
    this.destroy();
    this._key = null;
  }

  theme() { return themeOf(this.host); }

  destroy() {
    for (const c of this.charts) c.chart.destroy();
    this.charts = [];
  }

  hostUpdated() {
    const { a, b, event, mode, sweep } = this._data();
    const key = [a?.result, b?.result, event, mode, sweep?.result].map((x) => x ?? 0);
    if (this._key && key.every((x, i) => x === this._key[i])) return;
    this._key = key;
    this.destroy();
    if (!a?.result) return;
    const theme = this.theme();
    const compact = mode === 'compact';
    const draw = (sel, fn, height, extra = {}) => {
      const el = this.host.renderRoot.querySelector(sel);
      if (!el) return;
      el.textContent = '';
      const width = Math.max(200, el.clientWidth);
      this.charts.push({ el, chart: fn(el, { a, b: b?.result ? b : null, theme, width, height, ...extra }) });
    };
    draw('#curve', curveChart, compact ? 190 : 240, { compact });
    if (compact) return;
    draw('#fan', fanChart, 240);
    if (event) draw('#waterfall', waterfallChart, 240, { event });
    if (sweep?.result?.points?.length) draw('#sweep-chart', sweepChart, 260, { sweep });
  }

  resize() {
    for (const { el, chart } of this.charts) {
      const w = Math.max(200, el.clientWidth);
      if (Math.abs(chart.width - w) > 2) chart.setSize({ width: w, height: chart.height });
    }
  }
}
