// The widget's link to backstop's JavaScript API: one shared core per page (with its name
// tables), the quick pilot run, the full Monte Carlo (in the worker pool when the API has one),
// the sweep and the stress events.
import * as api from '../../wasm/backstop.mjs';
import { loadNames } from './names.js';

const { createBackstop, BackstopError } = api;
export { BackstopError };

/** Paths of the quick pilot run shown while the full Monte Carlo proceeds. */
export const QUICK_PATHS = 300;

/** True when wasm/backstop.mjs offers the Web Worker pool (simulate with {workers}). */
export const HAS_POOL = typeof api.createPool === 'function';

let shared;
/** The page-wide core, loaded once however many calculators the page holds. */
export function core() {
  shared ??= createBackstop().then((bs) => {
    loadNames(bs);
    return bs;
  });
  return shared;
}

const pause = () => new Promise((r) => setTimeout(r, 0));

function cancelled() {
  return new BackstopError('cancelled', 'cancelled', []);
}

/** A small seeded pilot run in this thread (~0.3 s): the "quick estimate". */
export async function quick(bs, scenario) {
  const paths = Math.min(QUICK_PATHS, scenario.simulation?.paths ?? QUICK_PATHS);
  // Plain and fixed-size: the quick estimate must not wait for a pilot or a precision target.
  const simulation = { ...scenario.simulation, importance_sampling: 'off', target_relative_error: undefined, max_paths: undefined };
  return bs.simulate({ ...scenario, simulation }, { paths });
}

let pool;
/** One warm worker pool per page, shared by every calculator on it. */
function sharedPool() {
  pool ??= api.createPool(api.defaultWorkers ? api.defaultWorkers() : Math.max(1, Math.min(8, globalThis.navigator?.hardwareConcurrency || 2)));
  return pool;
}

/**
 * The full run. With the pool: Web Workers, progress and cancellation by the API. Without it:
 * synchronous passes of growing size (each a complete, reproducible run with the same seed),
 * yielding to the page between passes so progress shows and a new input can cancel; the
 * last pass has the scenario's own path count, so the final numbers are the same either way.
 */
export async function full(bs, scenario, { signal, onProgress, onPartial } = {}) {
  const total = scenario.simulation?.paths ?? 10000;
  if (HAS_POOL) return bs.simulate(scenario, { pool: sharedPool(), signal, onProgress });
  const passes = [];
  for (let p = QUICK_PATHS * 4; p < total; p *= 4) passes.push(p);
  passes.push(total);
  const cost = passes.reduce((a, b) => a + b, 0);
  let done = 0;
  let result;
  for (const paths of passes) {
    await pause();
    if (signal?.aborted) throw cancelled();
    result = await bs.simulate(scenario, { paths });
    done += paths;
    onProgress?.(done / cost);
    if (paths !== total) onPartial?.(result);
  }
  await pause();
  if (signal?.aborted) throw cancelled();
  return result;
}

/** A calibration sweep (docs/scenario-format.md#sweep) on the page's worker pool, cancellable, with progress. */
export function runSweep(bs, scenario, { signal, onProgress } = {}) {
  return bs.sweep(scenario, HAS_POOL ? { pool: sharedPool(), signal, onProgress } : { signal, onProgress });
}

/** The stress events of the scenario's shocks (fast, synchronous). */
export function stress(bs, scenario) {
  if (!scenario.stress?.shocks?.length) return null;
  return bs.stress(scenario);
}
