/** worker_threads entry: runs engine requests and transfers result buffers back. */
import { parentPort } from 'node:worker_threads';
import { runRequest, type WorkerRequest } from './ops';

parentPort?.on('message', (req: WorkerRequest) => {
  const res = runRequest(req);
  if (res.ok) parentPort!.postMessage(res, [res.output.data.buffer as ArrayBuffer]);
  else parentPort!.postMessage(res);
});
