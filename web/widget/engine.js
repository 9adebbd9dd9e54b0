// The widget's link to backstop's JavaScript API: one shared core per page, the quick pilot
// run, the full Monte Carlo (in the worker pool when the API has one) and the stress events.
import * as api from '../../wasm/backstop.mjs';

const { createBackstop, BackstopError } = api;
export { BackstopError };

/** Paths of the quick pilot run shown while the full Monte Carlo proceeds. */
export const QUICK_PATHS = 300;

/** True when wasm/backstop.mjs offers the Web Worker pool (simulate with {workers}). */
export const HAS_POOL = typeof api.createPool === 'function';

let shared;
/** The page-wide core, loaded once however many calculators the page holds. */
export function core() {
  shared ??= createBackstop();
  return shared;
}

const pause = () => new Promise((r) => setTimeout(r, 0));

function cancelled() {
  return new BackstopError('cancelled', 'cancelled', []);
}

/** A small seeded pilot run in this thread (~0.3 s): the "quick estimate". */
export async function quick(bs, scenario) {
  const paths = Math.min(QUICK_PATHS, scenario.simulation?.paths ?? QUICK_PATHS);
  return bs.simulate(scenario, { paths });
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

/** A calibration sweep (SPEC §14) on the page's worker pool, cancellable, with progress. */
export function runSweep(bs, scenario, { signal, onProgress } = {}) {
  return bs.sweep(scenario, HAS_POOL ? { pool: sharedPool(), signal, onProgress } : { signal, onProgress });
}

/** The stress events of the scenario's shocks (fast, synchronous). */
export function stress(bs, scenario) {
  if (!scenario.stress?.shocks?.length) return null;
  return bs.stress(scenario);
}

/**
 * An analytic Cramér–Lundberg cross-check (SPEC §8), fitted to a pilot run: premiums are the
 * fund's fee income per day, claims arrive at the jump rate (or once a day without jumps)
 * with exponential sizes whose mean matches the pilot's mean bad debt per day. Returns null
 * when the API has no `ruin` command or the fit has nothing to work with.
 */
export function analytic(bs, scenario, pilot) {
  const days = scenario.simulation?.horizon_days ?? 30;
  const m = scenario.market ?? {};
  const premium = (scenario.fund?.fee_share ?? 0) * (m.taker_fee_rate ?? 0) * (m.daily_volume ?? 0);
  const pm = scenario.price_model ?? {};
  const rate = pm.kind === 'merton' && pm.jump_intensity_per_year > 0 ? pm.jump_intensity_per_year / 365 : 1;
  const perDay = (pilot?.bad_debt?.mean ?? 0) / days;
  if (!(perDay > 0) || !(premium >= 0)) return null;
  const ruin = {
    initial_surplus: scenario.fund?.balance ?? 0,
    premium_rate: premium,
    claim_rate: rate,
    claim: { distribution: 'exponential', mean: perDay / rate },
    horizon: days,
    target_probability: scenario.simulation?.target_depletion_probability ?? 0.01,
  };
  try {
    return { input: ruin, result: bs.ruin({ ...scenario, ruin }) };
  } catch {
    return null; // no ruin command in this build, or a fit it rejects: hide the panel
  }
}
