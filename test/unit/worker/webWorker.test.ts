/**
 * The web build's worker factory (src/worker/webWorker.ts) with a stand-in for the browser's
 * Worker: started from the bundle's URL where that is allowed; from a Blob URL of the bundle's
 * bytes where the constructor refuses the URL (as VS Code's web worker extension host does for a
 * remote extension's `vscode-remote:` URL), with the messages posted meanwhile delivered in
 * order; a failed load reported as the worker's error; no Worker at all → the factory throws.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { JobClient } from '../../../src/worker/client';
import type { HostMessage, JobDef } from '../../../src/worker/jobs';
import type { WorkerEvents } from '../../../src/worker/port';
import { webWorkerFactory } from '../../../src/worker/webWorker';

class FakeWorker {
  static started: FakeWorker[] = [];
  readonly posted: unknown[] = [];
  readonly listeners = new Map<string, (e: unknown) => void>();
  terminated = false;
  constructor(
    readonly url: string,
    readonly options?: { name?: string },
  ) {
    if (url.startsWith('vscode-remote:')) throw new Error('Creating workers from remote extensions is not supported.');
    FakeWorker.started.push(this);
  }
  postMessage(msg: unknown): void {
    this.posted.push(msg);
  }
  addEventListener(type: string, l: (e: unknown) => void): void {
    this.listeners.set(type, l);
  }
  terminate(): void {
    this.terminated = true;
  }
}

function recorder(): { events: WorkerEvents; log: string[] } {
  const log: string[] = [];
  return {
    log,
    events: {
      message: (m: HostMessage) => log.push(`message ${JSON.stringify(m)}`),
      error: (e) => log.push(`error ${e.message}`),
      exit: (c) => log.push(`exit ${c}`),
    },
  };
}

const g = globalThis as { Worker?: unknown };
const saved = g.Worker;
afterEach(() => {
  g.Worker = saved;
  FakeWorker.started = [];
});

describe('webWorkerFactory', () => {
  it('starts the worker from its URL, named, and wires its events', () => {
    g.Worker = FakeWorker;
    const { events, log } = recorder();
    const handle = webWorkerFactory('https://cdn.example/ext/dist/web/worker.js')(events);
    const w = FakeWorker.started[0]!;
    expect(w.url).toBe('https://cdn.example/ext/dist/web/worker.js');
    expect(w.options?.name).toBe('ConvLens engine');
    handle.postMessage({ id: 1 });
    expect(w.posted).toEqual([{ id: 1 }]);
    w.listeners.get('message')!({ data: { ready: true } });
    w.listeners.get('error')!({ message: 'boom' });
    expect(log).toEqual(['message {"ready":true}', 'error boom']);
    handle.terminate();
    expect(w.terminated).toBe(true);
  });

  it('falls back to a Blob URL of the bytes where the URL is refused; queued messages arrive in order', async () => {
    g.Worker = FakeWorker;
    const { events, log } = recorder();
    const code = new TextEncoder().encode('self.postMessage({ ready: true });');
    let loads = 0;
    const handle = webWorkerFactory('vscode-remote://host/ext/dist/web/worker.js', async () => {
      loads++;
      return code;
    })(events);
    handle.postMessage({ id: 1 });
    handle.postMessage({ id: 2 });
    expect(FakeWorker.started).toEqual([]);
    await new Promise((r) => setTimeout(r, 0));
    expect(loads).toBe(1);
    const w = FakeWorker.started[0]!;
    expect(w.url).toMatch(/^blob:/);
    expect(await (await fetch(w.url)).text()).toBe('self.postMessage({ ready: true });');
    expect(w.posted).toEqual([{ id: 1 }, { id: 2 }]);
    handle.postMessage({ id: 3 });
    expect(w.posted).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(log).toEqual([]);
  });

  it('reports a failed load as the worker error, and starts nothing after terminate', async () => {
    g.Worker = FakeWorker;
    const failed = recorder();
    webWorkerFactory('vscode-remote://host/w.js', () => Promise.reject(new Error('file not found')))(failed.events);
    await new Promise((r) => setTimeout(r, 0));
    expect(failed.log).toEqual(['error file not found']);

    const quiet = recorder();
    const handle = webWorkerFactory('vscode-remote://host/w.js', async () => new Uint8Array(1))(quiet.events);
    handle.terminate();
    await new Promise((r) => setTimeout(r, 0));
    expect(FakeWorker.started).toEqual([]);
    expect(quiet.log).toEqual([]);
  });

  it('throws where there is no Worker (the client then runs jobs in-process), and without a loader on refusal', () => {
    g.Worker = undefined;
    expect(() => webWorkerFactory('https://x/w.js')(recorder().events)).toThrow('Web Workers are not available here');
    g.Worker = FakeWorker;
    expect(() => webWorkerFactory('vscode-remote://host/w.js')(recorder().events)).toThrow(/remote extensions/);
  });
});

describe('a page that is not cross-origin isolated (no SharedArrayBuffer)', () => {
  it('runs jobs without a cancel flag: requests carry none, and a job runs to its end', async () => {
    const sab = globalThis.SharedArrayBuffer;
    const requests: unknown[] = [];
    // a worker that answers each request at once, the way host.ts does
    const spawn = (events: WorkerEvents) => ({
      postMessage: (msg: unknown) => {
        requests.push(msg);
        const req = msg as { id: number; payload: number };
        queueMicrotask(() => events.message({ id: req.id, ok: true, result: req.payload * 2, ms: 0 }));
      },
      terminate: () => undefined,
    });
    const double: JobDef<number, number> = { name: 'double', run: (n) => n * 2, transfers: () => [] };
    try {
      (globalThis as { SharedArrayBuffer?: unknown }).SharedArrayBuffer = undefined;
      const client = new JobClient({ spawn, jobs: [double] });
      expect(await client.run(double, 21)).toBe(42);
      expect(requests[0]).not.toHaveProperty('cancel');
      // in-process too (the factory cannot start a worker): runJob reads no flag
      const here = new JobClient({
        spawn: () => {
          throw new Error('no worker');
        },
        jobs: [double],
      });
      expect(await here.run(double, 5)).toBe(10);
      expect(here.inProcess).toBe(true);
    } finally {
      globalThis.SharedArrayBuffer = sab;
    }
  });
});
