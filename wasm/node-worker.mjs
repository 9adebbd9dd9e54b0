// The same worker for Node (worker_threads), which has no global Worker.
import { parentPort } from 'node:worker_threads';
import { handle } from './worker-core.mjs';

parentPort.on('message', async (message) => {
  const [reply, transfer] = await handle(message);
  parentPort.postMessage(reply, transfer);
});
parentPort.postMessage({ ready: true });
