/**
 * The one place the editor's analysis thread is started. A build without Node's worker_threads
 * (a web extension host) replaces this file with one whose thread runs the analyses in-process.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AnalysisReply, AnalysisRequest } from './analysisProtocol';

/** What the analysis client needs of a thread. */
export interface AnalysisThread {
  send(request: AnalysisRequest): void;
  /** `reply` for each answer; `exit` once, when the thread stops or fails (with why). */
  listen(reply: (r: AnalysisReply) => void, exit: (why: string) => void): void;
  /** Ends the thread at once, wherever it is. */
  kill(): void;
}

/** Heap limit of the analysis thread, MiB: a runaway analysis ends the thread, not the editor. */
export const ANALYSIS_HEAP_MB = 512;

/** Starts dist/analysisWorker.js in a worker thread. */
export function startAnalysisThread(distFolder: string): AnalysisThread {
  const worker = new Worker(join(distFolder, 'analysisWorker.js'), {
    resourceLimits: { maxOldGenerationSizeMb: ANALYSIS_HEAP_MB, maxYoungGenerationSizeMb: 32 },
  });
  return threadOf(worker);
}

/** A worker thread that runs analysisWorker.ts's loop (or stands in for it), as an AnalysisThread. */
export function threadOf(worker: Worker): AnalysisThread {
  worker.unref();
  return {
    send: (r) => worker.postMessage(r),
    listen(reply, exit) {
      let ended = false;
      const end = (why: string): void => {
        if (!ended) exit(why);
        ended = true;
      };
      worker.on('message', reply);
      worker.on('error', (e: Error & { code?: string }) =>
        end(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `it ran out of memory (${ANALYSIS_HEAP_MB} MB)` : e.message),
      );
      worker.on('exit', (code) => end(`the analysis thread stopped (exit code ${code})`));
    },
    kill: () => void worker.terminate(),
  };
}
