// Module Web Worker of the simulate pool (browsers): new Worker(url, {type: 'module'}).
import { handle } from './worker-core.mjs';

self.onmessage = async (event) => {
  const [reply, transfer] = await handle(event.data);
  self.postMessage(reply, transfer);
};
