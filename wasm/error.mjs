// The one error type of the JavaScript API (re-exported by backstop.mjs).

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

/** Turns a facade envelope (JSON text) into its result, or throws its error. */
export function unwrap(text) {
  const envelope = JSON.parse(text);
  if (envelope.ok) return envelope.result;
  throw new BackstopError(envelope.code, envelope.message, envelope.errors || []);
}

export function cancelled() {
  return new BackstopError('cancelled', 'cancelled');
}
