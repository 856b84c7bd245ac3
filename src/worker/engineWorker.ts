/**
 * worker_threads entry: runs engine requests and transfers result buffers back. Convolution and
 * pooling kernels use every core (up to 4): this thread plus helper threads (threads.ts).
 */
import { parentPort } from 'node:worker_threads';
import { isViewJob, runRequest, runViewJob, viewTransfers, type ViewJobRequest, type WorkerRequest } from './ops';
import { enableEngineThreads } from './threads';

enableEngineThreads();

parentPort?.on('message', (req: WorkerRequest | ViewJobRequest) => {
  if (isViewJob(req)) {
    const res = runViewJob(req);
    if (res.ok) parentPort!.postMessage(res, viewTransfers(res.view));
    else parentPort!.postMessage(res);
    return;
  }
  const res = runRequest(req);
  if (res.ok) parentPort!.postMessage(res, [res.output.data.buffer as ArrayBuffer]);
  else parentPort!.postMessage(res);
});
