// A pool of workers that simulate ranges of paths. Browsers get module Web Workers
// (worker.mjs, started by web-worker.mjs); Node, which has no global Worker, gets worker_threads
// (node-worker.mjs). Both run worker-core.mjs. Tasks are handed out dynamically: an idle worker
// takes the next queued range, so more ranges than workers give even load and finer progress.
// A worker counts as started when it says {ready: true}. If no worker of a pool ever starts
// (a cross-origin script, a Content-Security-Policy without worker-src), the pool marks itself
// `unavailable` and Backstop.simulate computes on the page's thread instead.
import { BackstopError, cancelled, unwrap } from './error.mjs';
import { startWebWorker } from './web-worker.mjs';

// Kept out of static analysis so bundlers do not try to resolve Node modules for the web.
const NODE_THREADS = 'node:worker_threads';
const NODE_WORKER = './node-worker.mjs';

/** Resolves once the worker posted {ready: true}; rejects if it fails first. */
function ready(adapter, onReady) {
  return new Promise((resolve, reject) => {
    let started = false;
    adapter.listen((m) => {
      if (!started && m?.ready) { started = true; resolve(adapter); } else if (started) onReady.message?.(m);
    }, (e) => {
      if (!started) { started = true; adapter.terminate(); reject(e); } else onReady.error?.(e);
    });
  });
}

/** Starts one worker; resolves to a small adapter over the Web or Node worker once it is ready. */
async function spawnWorker() {
  if (typeof Worker === 'function') {
    const w = startWebWorker(); // throws synchronously for a cross-origin script
    const handlers = {};
    const adapter = {
      post: (m) => w.postMessage(m),
      listen(onMessage, onError) {
        w.onmessage = (e) => onMessage(e.data);
        w.onerror = (e) => { e.preventDefault?.(); onError(new Error(e.message || 'worker failed to start')); };
        w.onmessageerror = () => onError(new Error('worker message could not be read'));
      },
      hold() {},
      terminate: () => w.terminate(),
    };
    await ready(adapter, handlers);
    return { ...adapter, listen(onMessage, onError) { handlers.message = onMessage; handlers.error = onError; } };
  }
  const { Worker: NodeWorker } = await import(/* @vite-ignore */ NODE_THREADS);
  const w = new NodeWorker(new URL(NODE_WORKER, import.meta.url));
  const handlers = {};
  const adapter = {
    post: (m) => w.postMessage(m),
    listen(onMessage, onError) {
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', (code) => onError(new Error(`worker exited with code ${code}`)));
    },
    // An idle warm pool must not keep a Node process alive.
    hold: (busy) => (busy ? w.ref() : w.unref()),
    terminate: () => w.terminate(),
  };
  await ready(adapter, handlers);
  return { ...adapter, listen(onMessage, onError) { handlers.message = onMessage; handlers.error = onError; } };
}

let nextId = 1;

/** Workers kept warm between simulations; pass as `{pool}` to `Backstop.simulate`. */
export class BackstopPool {
  constructor(size) {
    if (!Number.isInteger(size) || size < 1 || size > 256)
      throw new BackstopError('invalid_input', `pool size must be an integer in [1, 256], got ${size}`,
        [{ pointer: '/options/workers', message: `must be an integer in [1, 256], got ${size}` }]);
    /** number of workers */
    this.size = size;
    this._slots = Array.from({ length: size }, () => ({ worker: null, spawning: null, task: null }));
    this._queue = [];
    this._closed = false;
    this._started = false;
    /** The error that showed workers cannot start here (then simulate runs in the page's thread), else null. */
    this.unavailable = null;
  }

  /** Simulates one range: options is JSON text with paths, seed, path_begin, path_end. */
  _run(scenario, options, job) {
    if (this._closed) return Promise.reject(new BackstopError('cancelled', 'the pool was terminated'));
    if (this.unavailable) return Promise.reject(this.unavailable);
    return new Promise((resolve, reject) => {
      this._queue.push({ id: nextId++, scenario, options, job, resolve, reject });
      this._pump();
    });
  }

  _pump() {
    for (const slot of this._slots) {
      if (slot.task || !this._queue.length) continue;
      const task = this._queue.shift();
      slot.task = task;
      this._start(slot, task);
    }
  }

  async _start(slot, task) {
    let worker;
    try {
      worker = await this._ensureWorker(slot);
    } catch (e) {
      if (slot.task === task) slot.task = null;
      let error = e instanceof BackstopError ? e : new BackstopError('internal', `cannot start a worker: ${e?.message ?? e}`);
      if (!this._started && error.code !== 'cancelled') {
        // Not one worker of this pool ever started: workers are unavailable on this page.
        error = this.unavailable ??= error;
        for (const t of this._queue) t.reject(error);
        this._queue = [];
      }
      task.reject(error);
      this._pump();
      return;
    }
    if (slot.task !== task || slot.worker !== worker) return;  // cancelled while the worker was starting
    worker.hold(true);
    worker.post({ id: task.id, scenario: task.scenario, options: task.options });
  }

  _ensureWorker(slot) {
    if (slot.worker) return Promise.resolve(slot.worker);
    slot.spawning ??= spawnWorker().then((w) => {
      slot.spawning = null;
      if (this._closed) {
        w.terminate();
        throw cancelled();
      }
      this._started = true;
      slot.worker = this._attach(slot, w);
      return slot.worker;
    }, (e) => {
      slot.spawning = null;
      throw e;
    });
    return slot.spawning;
  }

  _attach(slot, worker) {
    worker.listen((reply) => {
      if (slot.worker !== worker) return;  // replaced after a cancellation
      const task = slot.task;
      if (!task || reply.id !== task.id) return;
      slot.task = null;
      worker.hold(false);
      if (reply.ok) task.resolve(reply.batch);
      else {
        try { unwrap(reply.envelope); } catch (e) { task.reject(e); }
      }
      this._pump();
    }, (error) => {
      if (slot.worker !== worker) return;  // already replaced
      slot.worker = null;
      worker.terminate();
      const task = slot.task;
      slot.task = null;
      task?.reject(new BackstopError('internal', `worker failed: ${error.message}`));
      this._pump();
    });
    return worker;
  }

  /** Drops a job's queued ranges and stops the workers running its ranges. */
  _cancel(job) {
    this._queue = this._queue.filter((t) => t.job !== job);
    for (const slot of this._slots) {
      if (slot.task?.job !== job) continue;
      const worker = slot.worker;
      slot.worker = null;  // a fresh one is started for the next task
      slot.task = null;
      worker?.terminate();
    }
    this._pump();
  }

  /** Stops every worker; pending simulations reject with code 'cancelled'. */
  terminate() {
    this._closed = true;
    for (const t of this._queue) t.reject(cancelled());
    this._queue = [];
    for (const slot of this._slots) {
      const { worker, task } = slot;
      slot.worker = null;
      slot.task = null;
      worker?.terminate();
      task?.reject(cancelled());
    }
  }
}

/** Creates a pool of `n` workers (started lazily, on first use). */
export function createPool(n = defaultWorkers()) {
  return new BackstopPool(n);
}

/** One worker per core, at most 8. */
export function defaultWorkers() {
  const cores = globalThis.navigator?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(8, cores));
}
