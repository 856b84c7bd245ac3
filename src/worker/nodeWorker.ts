/**
 * The engine worker under Node: a worker_threads Worker with a heap limit (client side), and the
 * worker's own entry, which turns on the engine's helper threads (threads.ts) and serves its jobs
 * on parentPort (host side).
 */
import { parentPort, Worker } from 'node:worker_threads';
import { serveJobs } from './host';
import type { AnyJob } from './jobs';
import type { WorkerFactory } from './port';
import { enableEngineThreads } from './threads';

/** Workers running `script` (e.g. dist/worker.js), each with a heap limit in MiB. */
export function nodeWorkerFactory(script: string, maxHeapMb = 1024): WorkerFactory {
  return (events) => {
    const w = new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } });
    w.unref();
    w.on('message', (msg) => events.message(msg));
    w.on('error', (err) => events.error(err));
    w.on('exit', (code) => events.exit(code));
    return {
      postMessage: (msg) => w.postMessage(msg),
      terminate: () => void w.terminate(),
    };
  };
}

/** The message loop of a worker thread that hosts these jobs, with the engine's helper threads on. */
export function serveNodeJobs(jobs: readonly AnyJob[]): void {
  const port = parentPort;
  if (!port) throw new Error('serveNodeJobs runs in a worker thread');
  enableEngineThreads();
  serveJobs(
    {
      onMessage: (handler) => port.on('message', handler),
      postMessage: (msg, transfers) => port.postMessage(msg, transfers),
    },
    jobs,
  );
}
