// Module Web Worker of the simulate pool (browsers): new Worker(url, {type: 'module'}).
import { handle } from './worker-core.mjs';

self.onmessage = async (event) => {
  const [reply, transfer] = await handle(event.data);
  self.postMessage(reply, transfer);
};
// The pool waits for this before handing out work: a worker that never gets here (blocked by
// a Content-Security-Policy, a script that failed to load) makes the pool fall back.
self.postMessage({ ready: true });
