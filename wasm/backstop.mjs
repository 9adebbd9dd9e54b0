// backstop's JavaScript API: an ES module over the Embind facade. Plain objects in and out;
// failures are thrown as BackstopError carrying the JSON pointer of the offending field.
import createBackstopModule from './generated/backstop_core.mjs';
import { wasmBinary } from './generated/backstop_core_wasm.mjs';

/** Error thrown for invalid input, exceeded work limits, cancellation or internal faults. */
export class BackstopError extends Error {
  constructor(code, message, errors = []) {
    super(message);
    this.name = 'BackstopError';
    /** 'invalid_input' | 'limit_exceeded' | 'cancelled' | 'internal' */
    this.code = code;
    /** every problem found, each {pointer, message} */
    this.errors = errors;
    /** JSON pointer of the first offending field ('' for the whole document) */
    this.pointer = errors.length ? errors[0].pointer : '';
  }
}

function unwrap(text) {
  const envelope = JSON.parse(text);
  if (envelope.ok) return envelope.result;
  throw new BackstopError(envelope.code, envelope.message, envelope.errors || []);
}

function encode(value, what) {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value ?? null);
  } catch (e) {
    throw new BackstopError('invalid_input', `${what} cannot be serialised as JSON: ${e.message}`, [
      { pointer: '', message: `cannot be serialised as JSON: ${e.message}` },
    ]);
  }
}

/** The synchronous core in this thread (a worker or the page). */
export class Backstop {
  constructor(module) {
    this._module = module;
    this.version = module.version();
  }

  /** Runs any core command on a scenario object (or JSON text). */
  call(command, input, options = {}) {
    return unwrap(this._module.call(command, encode(input, 'input'), encode(options, 'options')));
  }

  position(input) { return this.call('position', input); }
  validate(scenario) { return this.call('validate', scenario); }
  stress(scenario) { return this.call('stress', scenario); }
  ruin(scenario) { return this.call('ruin', scenario); }
  size(scenario, options = {}) { return this.call('size', scenario, options); }
  simulate(scenario, options = {}) {
    const { onProgress, signal, workers, ...rest } = options; // pool-only options are ignored here
    return this.call('simulate', scenario, rest);
  }
}

/**
 * Loads the WebAssembly core. The wasm binary is embedded in an ES module, so this works
 * in browsers, workers and Node without any network request.
 */
export async function createBackstop() {
  const module = await createBackstopModule({ wasmBinary });
  return new Backstop(module);
}

export default createBackstop;
