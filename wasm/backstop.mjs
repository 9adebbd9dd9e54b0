// backstop's JavaScript API: an ES module over the Embind facade. Plain objects in and out;
// failures are thrown as BackstopError carrying the JSON pointer of the offending field.
// `simulate` can split its paths across a pool of workers and merge the per-path records
// exactly, so any number of workers gives the same result as one (docs/formulas.md#random-numbers).
import { loadCore } from './load-core.mjs';
import { BackstopError, cancelled, unwrap } from './error.mjs';
import { BackstopPool, createPool, defaultWorkers } from './pool.mjs';

export { BackstopError, BackstopPool, createPool, defaultWorkers };

// Ranges per worker: more ranges than workers balance the load and give finer progress.
const RANGES_PER_WORKER = 8;
// When the calling thread does the work (no workers), the paths are cut into slices of about
// SLICE_MS each, one event-loop task per slice: the page (or Node's event loop) stays
// responsive, progress fires per slice and a cancellation takes effect within one slice. Each
// call into the core has a fixed cost (parsing, engine set-up), estimated by the first slice
// (one path); a slice lasts at least FIXED_COST_SHARE⁻¹ times that, so the cost stays ≤ 5 %.
const SLICE_MS = 100;
const FIXED_COST_SHARE = 0.05;

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
const now = () => globalThis.performance?.now() ?? Date.now();

/** Encoded batches back to back in one array (the form simulateMerge reads). */
function concat(arrays) {
  const all = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    all.set(a, at);
    at += a.length;
  }
  return all;
}

/**
 * The pool stand-in used without workers (none asked for, or none can start on this page): the
 * same ranges, simulated here in slices sized to SLICE_MS from the time the last one took. A
 * range's result is its slices' batches back to back, which the merge reads as consecutive
 * batches; the merge is exact, so the result is the one the workers give.
 */
class InThreadRanges {
  constructor(module) {
    this._module = module;
    this.size = 1;
    this.ranges = 1;  // the slices give the granularity
    this.reportsSlices = true;
  }

  async _run(scenario, options, job) {
    const { path_begin: begin, path_end: end, ...base } = JSON.parse(options);
    const parts = [];
    // Learnt per run from the time the last slice took; the first is one path.
    job.slicePaths ??= 1;
    let target;
    for (let at = begin; at < end;) {
      await nextTask();
      if (job.cancelled) throw cancelled();
      const stop = Math.min(end, at + job.slicePaths);
      const t = now();
      const out = this._module.simulateBatch(scenario, JSON.stringify({ ...base, path_begin: at, path_end: stop }));
      if (typeof out === 'string') unwrap(out);
      const ms = Math.max(now() - t, 0.1);
      target ??= Math.max(SLICE_MS, ms / FIXED_COST_SHARE);
      job.slicePaths = Math.max(1, Math.min(2 * job.slicePaths, Math.round(((stop - at) * target) / ms)));
      parts.push(out);
      job.advance(stop - at);
      at = stop;
    }
    return parts.length === 1 ? parts[0] : concat(parts);
  }

  _cancel(job) { job.cancelled = true; }
}

// JSON.stringify writes NaN and ±Infinity as null, which the core reads as "absent" (and so
// as a default for optional fields): find them first and name each by its JSON pointer.
function nonFinite(value, pointer, out, seen, depth = 0) {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) out.push({ pointer, message: `must be a finite number, got ${value}` });
    return;
  }
  // Past 64 levels the core refuses the document anyway (limit_exceeded).
  if (value === null || typeof value !== 'object' || seen.has(value) || out.length >= 20 || depth > 64) return;
  if (typeof value.toJSON === 'function') return;
  seen.add(value);
  if (Array.isArray(value)) value.forEach((v, i) => nonFinite(v, `${pointer}/${i}`, out, seen, depth + 1));
  else for (const [k, v] of Object.entries(value)) nonFinite(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out, seen, depth + 1);
}

// The core's input limit (README "Limits"): refused here before the text is copied into wasm
// memory, which never shrinks. UTF-16 length <= UTF-8 bytes, so this never refuses too early.
const MAX_INPUT_BYTES = 16 * 1024 * 1024;

function encode(value, what) {
  if (typeof value === 'string') {
    if (value.length > MAX_INPUT_BYTES) {
      const message = `input is at least ${value.length} bytes, more than the limit of ${MAX_INPUT_BYTES}`;
      throw new BackstopError('limit_exceeded', message, [{ pointer: '', message }]);
    }
    return value;
  }
  const bad = [];
  nonFinite(value, what === 'options' ? '/options' : '', bad, new Set());
  if (bad.length) {
    throw new BackstopError('invalid_input', bad.map((e) => `${e.pointer || '(document)'}: ${e.message}`).join('; '), bad);
  }
  try {
    return JSON.stringify(value ?? null);
  } catch (e) {
    throw new BackstopError('invalid_input', `${what} cannot be serialised as JSON: ${e.message}`, [
      { pointer: '', message: `cannot be serialised as JSON: ${e.message}` },
    ]);
  }
}

function badOption(name, message) {
  const pointer = name ? `/options/${name}` : '/options';
  return new BackstopError('invalid_input', `${name ? `options.${name}` : 'options'}: ${message}`, [{ pointer, message }]);
}

const KNOWN_OPTIONS = {
  run: ['paths', 'seed', 'threads', 'importance', 'precision'],
  simulate: ['paths', 'seed', 'threads', 'importance', 'precision', 'workers', 'pool', 'onProgress', 'signal'],
};

/**
 * Only the options the core reads (undefined members are dropped by JSON.stringify), after
 * refusing what this build cannot honour: a misspelt option, or threads inside one call (the
 * WebAssembly module has no threads; workers run ranges in parallel instead).
 */
function runOptions(options = {}, known = KNOWN_OPTIONS.run) {
  if (options === null || typeof options !== 'object') throw badOption('', `must be an object, got ${options}`);
  for (const key of Object.keys(options)) {
    if (!known.includes(key) && options[key] !== undefined) throw badOption(key, `unknown option (known: ${known.join(', ')})`);
  }
  // `importance`: 'auto' | 'off'; `precision`: target relative error (e.g. 0.1 for +-10 %).
  const { paths, seed, threads, importance, precision } = options;
  if (typeof threads === 'number' && threads > 1) {
    throw badOption('threads', `must be 1 in the WebAssembly build, got ${threads}: pass {workers: ${threads}} to run in parallel`);
  }
  return { paths, seed, threads, importance, precision };
}

/**
 * The core in this thread (a worker or the page): the start module, synchronous, and the full
 * module for the commands the start module lacks (report, calibrate, replay, ...), loaded on
 * their first call; those methods return promises.
 */
export class Backstop {
  /**
   * `module`: a loaded start module, and `loadFull` loads the full one when needed; or the full
   * module and `loadFull` null (every command then runs synchronously in `module`).
   */
  constructor(module, loadFull = () => loadCore('full')) {
    this._module = module;
    this._commands = new Set(module.commands().split(','));
    this._loadFull = loadFull;
    this.version = module.version();
  }

  /** The module that runs every command, loaded on first use (once per Backstop). */
  _full() {
    this._fullModule ??= this._loadFull().catch((e) => {
      this._fullModule = undefined;  // a later call may retry
      throw e;
    });
    return this._fullModule;
  }

  /**
   * Runs any core command on a scenario object (or JSON text): synchronously when the start
   * module has it (validate, stress, simulate, names, policy), else a promise.
   */
  call(command, input, options = {}) {
    if (this._commands.has(command) || !this._loadFull) {
      return unwrap(this._module.call(command, encode(input, 'input'), encode(options, 'options')));
    }
    return this._callFull(command, input, options);
  }

  async _callFull(command, input, options) {
    const text = encode(input, 'input'), optionsText = encode(options, 'options');
    return unwrap((await this._full()).call(command, text, optionsText));
  }

  async position(input) { return this.call('position', input); }
  /** Every enum's JSON ids and labels from the core's name tables: {"<enum>": [{id, label}]}. */
  names() {
    if (!this._names) this._names = this.call('names', {});
    return this._names;
  }
  /**
   * Each market's venue policy in effect, every field (the preset's values where the scenario
   * sets none): {markets: [{symbol, policy}]}.
   */
  policy(scenario) { return this.call('policy', scenario); }
  stress(scenario) { return this.call('stress', scenario); }
  /**
   * A command's result as Markdown or CSV text, exactly as the CLI writes it (the core's report
   * module): `command` is 'stress' | 'simulate' | 'size' | 'sweep' | 'validate' | 'position',
   * `input` the scenario the result came from, `table` a CSV table (docs/outputs.md#reports).
   * With `proposed` (and `proposedInput`), two simulate results side by side.
   */
  async report(command, result, { format = 'markdown', table, input, proposed, proposedInput } = {}) {
    return (await this.call('report', { command, format, table, input, result, proposed, proposed_input: proposedInput })).text;
  }
  /**
   * A table of one's own written by the core's rules: `columns` [{key, label, unit}] (unit
   * 'text' | 'money' | 'probability' | ...), `rows` of cells (numbers, or strings for text).
   */
  async table(columns, rows, format = 'markdown') {
    return (await this.call('report', { command: 'table', format, result: { columns, rows } })).text;
  }
  async ruin(scenario) { return this.call('ruin', scenario); }
  /**
   * A price path through the waterfall step by step: `csv` (header row, close|price, optional
   * high/low and time|date|timestamp) or, when null/undefined, the scenario's own `replay` field.
   */
  async replay(scenario, csv, { intervalDays } = {}) {
    if (csv != null && typeof csv !== 'string') {
      throw new BackstopError('invalid_input', 'csv must be text', [{ pointer: '/csv', message: 'must be text' }]);
    }
    const parts = [`"scenario":${encode(scenario, 'scenario')}`];
    if (csv != null) parts.push(`"csv":${JSON.stringify(encode(csv, 'csv'))}`);
    if (intervalDays !== undefined) parts.push(`"interval_days":${encode(intervalDays, 'options')}`);
    return this.call('replay', `{${parts.join(',')}}`);
  }
  async size(scenario, options = {}) { return this.call('size', scenario, runOptions(options)); }

  /**
   * Maximum-likelihood fits of the price models to a price series: CSV text (header with a
   * `close` or `price` column, optional `time`/`date`/`timestamp`) or an array of prices.
   * Options: `model` ('gbm' | 'student_t' | 'merton' | 'garch' | 'bootstrap' | 'all', default
   * 'all') and `intervalDays` (spacing when there is no time column; default 1).
   */
  async calibrate(input, { model, intervalDays } = {}) {
    // A typed array (Float64Array) would serialise as an object: pass its numbers.
    const data = typeof input === 'string' ? { csv: input } : { prices: ArrayBuffer.isView(input) ? Array.from(input) : input };
    return this.call('calibrate', { ...data, model, interval_days: intervalDays });
  }

  /** Never throws for bad input: {valid, errors}. */
  validate(scenario) {
    try {
      const r = this.call('validate', scenario);
      return { valid: r.valid, errors: r.errors ?? [] };
    } catch (e) {
      if (e instanceof BackstopError && e.code !== 'internal') return { valid: false, errors: e.errors };
      throw e;
    }
  }

  /**
   * Fund-depletion Monte Carlo. The paths are split into contiguous ranges and merged
   * exactly: with `workers` (> 1) or `pool`, workers simulate them; otherwise this thread
   * does, one range per event-loop task (so `signal` and `onProgress` work here too).
   */
  async simulate(scenario, options = {}) {
    runOptions(options, KNOWN_OPTIONS.simulate);
    const { onProgress, signal, workers, pool, ...rest } = options;
    if (signal?.aborted) throw cancelled();
    const text = encode(scenario, 'scenario');
    if (!pool && !(workers > 1)) {
      this._inThread ??= new InThreadRanges(this._module);
      return this._simulateInPool(this._inThread, text, rest, onProgress, signal);
    }
    const own = pool ? null : createPool(workers);
    try {
      return await this._simulateInPool(own ?? pool, text, rest, onProgress, signal);
    } finally {
      own?.terminate();
    }
  }

  async _simulateInPool(pool, text, rest, onProgress, signal) {
    const options = runOptions(rest);
    const plan = unwrap(this._module.simulatePlan(text, encode(options, 'options')));
    const base = { paths: plan.paths, seed: plan.seed, importance: plan.importance, precision: options.precision };
    if (plan.precision) return this._simulateToPrecision(pool, text, base, plan.precision, onProgress, signal);
    const batches = await this._runRanges(pool, text, base, 0, plan.paths, (f) => onProgress?.(f), signal);
    if (!batches) return this._simulateInPool(this._inThread, text, rest, onProgress, signal);
    return unwrap(this._module.simulateMerge(text, JSON.stringify(base), concat(batches)));
  }

  /**
   * A run to a precision: whole batches of paths from path 0, each split over the pool, until
   * the core's stopping rule holds on the batches so far (the same batches for any pool size).
   */
  async _simulateToPrecision(pool, text, base, precision, onProgress, signal) {
    const options = JSON.stringify(base);
    // The records stay in the module between batches (one decode per batch, not a merge of all).
    const run = this._module.precisionOpen();
    try {
      for (let at = 0; at < precision.max_paths; at += precision.batch) {
        const to = Math.min(precision.max_paths, at + precision.batch);
        const batches = await this._runRanges(pool, text, base, at, to,
          (f) => onProgress?.(Math.min(1, (at + f * (to - at)) / precision.max_paths)), signal);
        if (!batches) return this._simulateToPrecision(this._inThread, text, base, precision, onProgress, signal);
        if (unwrap(this._module.precisionAppend(run, text, options, concat(batches))).precision_reached) break;
      }
      const result = unwrap(this._module.precisionResult(run, text, options));
      onProgress?.(1);
      return result;
    } finally {
      this._module.precisionClose(run);
    }
  }

  /** Simulates paths [from, to) in ranges on the pool; null when workers cannot start here. */
  async _runRanges(pool, text, base, from, to, onFraction, signal) {
    const paths = to - from;
    const count = Math.min(paths, pool.ranges ?? pool.size * RANGES_PER_WORKER);
    let done = 0;
    const job = {
      advance(n) {
        done += n;
        onFraction(done / paths);
      },
    };
    const batches = new Array(count);
    const work = [];
    for (let i = 0; i < count; ++i) {
      const begin = from + Math.floor((paths * i) / count), end = from + Math.floor((paths * (i + 1)) / count);
      work.push(pool._run(text, JSON.stringify({ ...base, path_begin: begin, path_end: end }), job).then((b) => {
        batches[i] = b;
        if (!pool.reportsSlices) job.advance(end - begin);
      }));
    }
    let onAbort;
    const aborted = new Promise((_, reject) => {
      onAbort = () => reject(cancelled());
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([Promise.all(work), aborted]);
    } catch (e) {
      pool._cancel(job);
      work.forEach((p) => p.catch(() => {}));
      if (pool.unavailable && !signal?.aborted) {
        // No worker could start on this page: compute here, in ranges that yield to the page.
        this._inThread ??= new InThreadRanges(this._module);
        return null;
      }
      throw e;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    return batches;
  }

  /**
   * Calibration sweep (docs/model.md#sweeps): the core expands and validates every point; each point is
   * then simulated like `simulate` (on the pool when there is one), all with the same seed
   * and per-path streams, and keeps the fields the core names in the plan.
   */
  async sweep(scenario, options = {}) {
    runOptions(options, KNOWN_OPTIONS.simulate);
    const { onProgress, signal, workers, pool, ...rest } = options;
    if (signal?.aborted) throw cancelled();
    const { points: planned, fields, ...header } = await this.call('sweep_plan', scenario, runOptions(rest));
    const own = pool || !(workers > 1) ? null : createPool(workers);
    const points = [];
    try {
      for (let k = 0; k < planned.length; ++k) {
        if (signal?.aborted) throw cancelled();
        const { at, scenario: doc } = planned[k];
        const r = await this.simulate(doc, {
          threads: rest.threads, importance: rest.importance, precision: rest.precision, signal, pool: own ?? pool,
          onProgress: (f) => onProgress?.((k + f) / planned.length),
        });
        const point = { at };
        for (const f of fields) if (f in r) point[f] = r[f];
        points.push(point);
      }
    } finally {
      own?.terminate();
    }
    return { ...header, points };
  }

  /** Bytes of wasm linear memory (it only grows; a leak shows as growth). */
  memoryBytes() { return this._module.memoryStats().memory; }

  /** {memory, heapInUse, stackPointer}: for leak checks. */
  memoryStats() { return this._module.memoryStats(); }
}

/**
 * Loads the WebAssembly core: backstop_start.wasm beside the glue (or beside the bundle that
 * holds this module), read from disk in Node and fetched in browsers (load-core.mjs);
 * backstop_core.wasm, the full module, follows on the first call of a command it lacks.
 */
export async function createBackstop() {
  return new Backstop(await loadCore());
}

export default createBackstop;
