// The option lists and labels of the core's enums (stages, ADL rankings, venues, price models,
// impact models, penalty modes, socialisation bases), read once from the core's `names()`:
// the widget spells no enum list of its own, so it cannot drift from the parser and the CLI.

/** @typedef {{id: string, label: string}} NameEntry */

/** @type {Record<string, NameEntry[]> | null} */
let table = null;

/** Reads the core's tables (once per page; engine.js calls it when the core has loaded). */
export function loadNames(bs) {
  table ??= bs.names();
  return table;
}

/** The entries of one enum ('price_models', 'venues', ...) in the core's order; [] before loading. */
export const optionsOf = (kind) => table?.[kind] ?? [];

/** The label of one id, or the id itself when the core does not know it. */
export const labelOf = (kind, id) => optionsOf(kind).find((e) => e.id === id)?.label ?? id;
