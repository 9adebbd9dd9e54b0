// The hostile-input table shared by the CLI, JS API and widget tests: each case changes the
// default scenario and names the field the error must point at, and the error code.
import { readFileSync } from 'node:fs';

export const BASE = JSON.parse(readFileSync(new URL('../../scenarios/default.json', import.meta.url), 'utf8'));
const clone = (x) => structuredClone(x);
const edit = (f) => () => { const s = clone(BASE); f(s); return s; };

/** {name, make() -> scenario object, pointer, code, command?, text?: literal JSON text for the CLI} */
export const CASES = [
  { name: 'NaN mark price', make: edit((s) => { s.market.mark_price = NaN; }), pointer: '/market/mark_price', code: 'invalid_input',
    text: (t) => t.replace(/"mark_price": [0-9.e+]+/, '"mark_price": NaN') },
  { name: 'Infinity fund balance', make: edit((s) => { s.fund.balance = Infinity; }), pointer: '/fund/balance', code: 'invalid_input',
    text: (t) => t.replace(/"balance": [0-9.e+]+/, '"balance": Infinity') },
  { name: '-Infinity shock', make: edit((s) => { s.stress.shocks[0] = -Infinity; }), pointer: '/stress/shocks/0', code: 'invalid_input',
    text: (t) => t.replace(/"shocks": \[[^\]]*\]/, '"shocks": [-Infinity]') },
  { name: 'negative mark price', make: edit((s) => { s.market.mark_price = -60000; }), pointer: '/market/mark_price', code: 'invalid_input' },
  { name: 'zero maintenance margin', make: edit((s) => { s.market.maintenance_margin_rate = 0; }), pointer: '/market/maintenance_margin_rate', code: 'invalid_input' },
  { name: 'negative daily volatility', make: edit((s) => { s.price_model.daily_volatility = -0.01; }), pointer: '/price_model/daily_volatility', code: 'invalid_input' },
  { name: 'zero mark price', make: edit((s) => { s.market.mark_price = 0; }), pointer: '/market/mark_price', code: 'invalid_input' },
  { name: 'shares summing to 0.7', make: edit((s) => { s.book.leverage = [{ leverage: 2, share: 0.4 }, { leverage: 10, share: 0.3 }]; }), pointer: '/book/leverage', code: 'invalid_input' },
  { name: 'leverage 0', make: edit((s) => { s.book.leverage[0].leverage = 0; }), pointer: '/book/leverage/0/leverage', code: 'invalid_input' },
  { name: 'leverage 1e9', make: edit((s) => { s.book.leverage[0].leverage = 1e9; }), pointer: '/book/leverage/0/leverage', code: 'invalid_input' },
  { name: 'empty book', make: edit((s) => { s.book = {}; }), pointer: '/book', code: 'invalid_input' },
  { name: 'empty positions and no open interest', make: edit((s) => { s.book = { positions: [] }; }), pointer: '/book/positions', code: 'invalid_input' },
  { name: 'huge magnitude 1e300', make: edit((s) => { s.market.mark_price = 1e300; }), pointer: '/market/mark_price', code: 'invalid_input' },
  { name: 'tiny magnitude 1e-300', make: edit((s) => { s.market.mark_price = 1e-300; }), pointer: '/market/mark_price', code: 'invalid_input' },
  { name: 'huge open interest 1e300', make: edit((s) => { s.book.open_interest = 1e300; }), pointer: '/book/open_interest', code: 'invalid_input' },
  { name: 'wrong type: string number', make: edit((s) => { s.market.mark_price = '60000'; }), pointer: '/market/mark_price', code: 'invalid_input' },
  { name: 'wrong type: object for an array', make: edit((s) => { s.book.leverage = { leverage: 2 }; }), pointer: '/book/leverage', code: 'invalid_input' },
  { name: 'wrong type: market is a number', make: edit((s) => { s.market = 7; }), pointer: '/market', code: 'invalid_input' },
  { name: 'unknown field', make: edit((s) => { s.market.mark_prize = 1; }), pointer: '/market/mark_prize', code: 'invalid_input' },
  { name: 'duplicate position ids', make: edit((s) => {
    s.book.positions = [{ id: 'a', side: 'long', quantity: 1, entry_price: 60000, collateral: 5000 },
      { id: 'a', side: 'short', quantity: 1, entry_price: 60000, collateral: 5000 }];
  }), pointer: '/book/positions/1/id', code: 'invalid_input' },
  { name: '10^12 path-steps', command: 'simulate', make: edit((s) => {
    s.simulation = { ...s.simulation, paths: 10000000, horizon_days: 3650, steps_per_day: 28 };
  }), pointer: '/simulation/paths', code: 'limit_exceeded' },
  { name: 'too many positions', make: () => {
    const s = clone(BASE);
    const p = { side: 'long', quantity: 1, entry_price: 60000, collateral: 5000 };
    s.book.positions = Array.from({ length: 100001 }, (_, i) => ({ id: `p${i}`, ...p }));
    return s;
  }, pointer: '/book/positions', code: 'limit_exceeded' },
  // The scenario's own replay path (read by validate, stress and simulate as well as replay).
  { name: 'replay: a negative close', make: edit((s) => { s.replay = { close: [60000, -1] }; }), pointer: '/replay/close/1', code: 'invalid_input' },
  { name: 'replay: low above the close', make: edit((s) => { s.replay = { close: [60000, 59000], high: [61000, 60000], low: [59000, 59500] }; }), pointer: '/replay/close/1', code: 'invalid_input' },
  { name: 'replay: high shorter than close', make: edit((s) => { s.replay = { close: [60000, 59000], high: [61000], low: [59000] }; }), pointer: '/replay', code: 'invalid_input' },
  { name: 'replay: empty close', make: edit((s) => { s.replay = { close: [] }; }), pointer: '/replay/close', code: 'invalid_input' },
  { name: 'replay: zero interval', make: edit((s) => { s.replay = { close: [60000], interval_days: 0 }; }), pointer: '/replay/interval_days', code: 'invalid_input' },
  { name: 'replay: a string for a close', make: edit((s) => { s.replay = { close: ['60000'] }; }), pointer: '/replay/close/0', code: 'invalid_input' },
  { name: 'replay: not an object', make: edit((s) => { s.replay = [60000]; }), pointer: '/replay', code: 'invalid_input' },
  { name: 'replay: more closes than the limit', make: edit((s) => { s.replay = { close: new Array(20001).fill(60000) }; }), pointer: '/replay/close', code: 'limit_exceeded' },
  { name: 'paths over the limit', command: 'simulate', make: edit((s) => { s.simulation.paths = 1e9; }), pointer: '/simulation/paths', code: 'limit_exceeded' },
  { name: 'steps per path over the limit (warm-up counts)', command: 'simulate', make: edit((s) => { s.simulation.steps_per_day = 1440; s.book.warmup_days = 3000; }), pointer: '/book/warmup_days', code: 'limit_exceeded' },
];

/** Raw texts: deeply nested JSON and a 50 MB document. */
export const TEXTS = [
  { name: 'deeply nested JSON', make: () => '{"market":' + '['.repeat(100000) + ']'.repeat(100000) + '}', pointer: '', code: 'limit_exceeded' },
  { name: '50 MB document', make: () => JSON.stringify({ ...BASE, name: 'x'.repeat(50 * 1024 * 1024) }), pointer: '', code: 'limit_exceeded' },
];

// Price CSVs for `calibrate`: each names the line at fault (`line`), or none for whole-file
// problems. The CLI prints the file's path in place of the /csv pointer.
const rows = (n, f = (i) => 100 + (i % 7)) => Array.from({ length: n }, (_, i) => String(f(i)));
export const CSV_CASES = [
  { name: 'CSV: a price that is not a number', text: ['close', ...rows(40)].join('\n').replace('\n103\n', '\n1O3\n'), line: 5, code: 'invalid_input' },
  { name: 'CSV: a zero price', text: ['# comment', 'price', ...rows(40, (i) => (i === 9 ? 0 : 100 + i))].join('\n'), line: 12, code: 'invalid_input' },
  { name: 'CSV: a gap in the dates', text: ['date,close', ...rows(40, (i) => `${new Date(Date.UTC(2024, 0, 1 + i + (i >= 20 ? 3 : 0))).toISOString().slice(0, 10)},${100 + (i % 5)}`)].join('\n'), line: 22, code: 'invalid_input' },
  { name: 'CSV: timestamps going back', text: ['timestamp,close', ...rows(40, (i) => `${1700000000 + 86400 * (i === 30 ? 28 : i)},${100 + (i % 5)}`)].join('\n'), line: 32, code: 'invalid_input' },
  { name: 'CSV: too few prices', text: 'close\n1\n2\n3\n', line: 4, code: 'invalid_input' },
  { name: 'CSV: NaN as a price', text: ['close', ...rows(40)].join('\n').replace('\n104\n', '\nNaN\n'), line: 6, code: 'invalid_input' },
  { name: 'CSV: binary junk', text: '\u0000\u0001\u0002close\n\u0000', line: 1, code: 'invalid_input' },
];

/**
 * Hostile names for the Markdown and CSV exports: each goes into a scenario's name, a market
 * symbol and a position id; the rendered Markdown must hold no link, heading, image or HTML
 * from it, and a CSV reader must read it back as one field.
 */
export const NAMES = [
  'line one\nline two\r\n### heading from a newline',
  'pipe | breaks | cells',
  '<img src=x onerror=alert(1)>',
  '[text](https://example.org)',
  '# leading hash',
  '`code` and ``more``',
  '![image](https://example.org/x.png)',
  '*emphasis* _under_ ~~strike~~',
  '<script>window.__xss=1</script>',
  'a, "quoted", name',
  '=HYPERLINK("https://example.org")',
  // Bare links that markdown-it's linkify (forums turn it on) would make live.
  'see https://example.org/x and www.example.org',
  'mail admin@example.org or visit example.org',
];

/**
 * Renders Markdown with markdown-it without and with HTML, and with HTML and linkify (Discourse
 * renders with both on), and returns what a hostile name could have produced: links (bare URLs
 * too), images, raw HTML tags, headings.
 */
export function liveMarkup(md, MarkdownIt) {
  const out = [];
  // The widget's own permalink ("Reproduce: [open this scenario](...)") is the one link allowed.
  md = md.replace(/\[open this scenario\]\([^)\s]*\)/g, 'open this scenario');
  for (const [html, linkify] of [[false, false], [true, false], [true, true]]) {
    const rendered = new MarkdownIt({ html, linkify }).render(md);
    const mode = `html:${html}${linkify ? '+linkify' : ''}`;
    if (/<a\s/i.test(rendered)) out.push(`${mode}: a link`);
    if (/<img\s/i.test(rendered)) out.push(`${mode}: an image`);
    if (/<script/i.test(rendered)) out.push(`${mode}: a script`);
    if (/<code>(code|more)<\/code>/i.test(rendered)) out.push(`${mode}: a code span from a name`);
    if (/<(em|strong)>(emphasis|under)<\//i.test(rendered) || /<(s|del)>strike/i.test(rendered)) out.push(`${mode}: emphasis from a name`);
    if (/<h[12]>/i.test(rendered)) out.push(`${mode}: an h1/h2 heading`);
    if (/<[a-z][^>]*\son[a-z]+=/i.test(rendered)) out.push(`${mode}: a live event attribute`);
    out.push(...[...rendered.matchAll(/<h(\d)>([^<]*)/g)].filter(([, , t]) => /heading from a newline|leading hash/.test(t) && !/Stress test|backstop/.test(t)).map(([, l]) => `${mode}: heading h${l} from a name`));
  }
  return out;
}
