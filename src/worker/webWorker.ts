/**
 * The engine worker in a browser: a Web Worker started from the worker bundle's URL (client
 * side), and the worker's own entry serving its jobs on the worker's global scope (host side).
 * The engine runs its single-threaded SIMD kernels there: helper threads would need
 * SharedArrayBuffer, which a page that is not cross-origin isolated does not have.
 */
import { serveJobs } from './host';
import type { AnyJob } from './jobs';
import type { WorkerFactory } from './port';

/** The part of a Web Worker and of a worker's global scope used here (no DOM types in this project). */
interface MessageTarget {
  postMessage(msg: unknown, transfer?: ArrayBuffer[]): void;
  addEventListener(type: 'message', listener: (e: { data: unknown }) => void): void;
  addEventListener(type: 'error', listener: (e: { message?: string }) => void): void;
  addEventListener(type: 'messageerror', listener: (e: unknown) => void): void;
}

interface WebWorker extends MessageTarget {
  terminate(): void;
}

type WorkerConstructor = new (url: string, options?: { name?: string }) => WebWorker;

/**
 * Workers running the script at `url`. Where a worker cannot be started from that URL — VS Code's
 * web worker extension host refuses `vscode-remote:` URLs, those of an extension installed on a
 * server — the script's bytes are read with `load` and the worker is started from a Blob URL of
 * them; messages posted meanwhile are queued. Throws (so jobs run in-process) where Worker does
 * not exist; a load or start that fails later is reported as the worker's error.
 */
export function webWorkerFactory(url: string, load?: () => Promise<Uint8Array>): WorkerFactory {
  return (events) => {
    const Ctor = (globalThis as { Worker?: WorkerConstructor }).Worker;
    if (typeof Ctor !== 'function') throw new Error('Web Workers are not available here');
    let worker: WebWorker | null = null;
    let queued: unknown[] = [];
    let terminated = false;
    const start = (from: string): void => {
      const w = new Ctor(from, { name: 'ConvLens engine' });
      w.addEventListener('message', (e) => events.message(e.data as never));
      w.addEventListener('error', (e) =>
        events.error(new Error(e.message || `the engine worker failed to run ${url}`)),
      );
      w.addEventListener('messageerror', () =>
        events.error(new Error('a message from the engine worker could not be read')),
      );
      worker = w;
      for (const m of queued) w.postMessage(m);
      queued = [];
    };
    try {
      start(url);
    } catch (e) {
      if (!load) throw e;
      load()
        .then((bytes) => {
          if (terminated) return;
          start(URL.createObjectURL(new Blob([bytes], { type: 'text/javascript' })));
        })
        .catch((err: unknown) => events.error(err instanceof Error ? err : new Error(String(err))));
    }
    return {
      postMessage: (msg) => (worker ? worker.postMessage(msg) : void queued.push(msg)),
      terminate: () => {
        terminated = true;
        worker?.terminate();
      },
    };
  };
}

/** The message loop of a Web Worker that hosts these jobs. */
export function serveWebJobs(jobs: readonly AnyJob[]): void {
  const scope = globalThis as unknown as MessageTarget;
  serveJobs(
    {
      onMessage: (handler) => scope.addEventListener('message', (e) => handler(e.data)),
      postMessage: (msg, transfers) => scope.postMessage(msg, transfers),
    },
    jobs,
  );
}
