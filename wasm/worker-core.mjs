// The work a pool worker does, shared by the browser worker (worker.mjs) and the Node one
// (node-worker.mjs): simulate one range of paths and return its records as a Float64Array.
import { loadCore } from './load-core.mjs';

let modulePromise;

/**
 * Handles one request {id, scenario, options} (JSON texts). Resolves to [reply, transfer]:
 * {id, ok: true, batch} with the batch's buffer to transfer, or {id, ok: false, envelope}.
 */
export async function handle({ id, scenario, options }) {
  try {
    modulePromise ??= loadCore();
    const out = (await modulePromise).simulateBatch(scenario, options);
    if (typeof out === 'string') return [{ id, ok: false, envelope: out }, []];
    return [{ id, ok: true, batch: out }, [out.buffer]];
  } catch (e) {
    const envelope = JSON.stringify({ ok: false, code: 'internal', message: `worker: ${e?.message ?? e}`, errors: [] });
    return [{ id, ok: false, envelope }, []];
  }
}
