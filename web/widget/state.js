// The calculator's per-side state: what a side holds, which result is on screen, whether it is
// stale, and the `scenario` attribute's parser (used by backstop-calculator.js).

/** Parses the `scenario` attribute: JSON text to an object; anything else is kept as an error marker. */
export const scenarioConverter = {
  fromAttribute(value) {
    if (value == null || value === '') return null;
    try {
      const v = JSON.parse(value);
      return v && typeof v === 'object' && !Array.isArray(v) ? v : { __invalid: 'is not a JSON object' };
    } catch (e) {
      return { __invalid: `is not valid JSON (${e.message})` };
    }
  },
  toAttribute: () => null,
};

/**
 * One side (current or proposed): its scenario, errors, text drafts and the results computed
 * for it; `of` is the scenario object those results belong to (edits replace, never mutate);
 * `inEffect` the first market's venue policy in effect (the core's `policy`; the widget's
 * policy fields apply to every market), for fields left to the venue.
 */
export function side(scenario) {
  return { scenario, errors: [], local: {}, drafts: {}, quick: null, partial: null, result: null, stress: null, of: null, inEffect: null };
}

/** The result on screen for a side: the full run, else the refining pass, else the quick estimate. */
export const shown = (s) => s && (s.result ?? s.partial ?? s.quick);

/** True when the result on screen is not that of the inputs as they stand (edited since, or invalid). */
export const isStale = (s) => !!shown(s) && (s.of !== s.scenario || s.errors.length > 0 || Object.keys(s.local).length > 0);
