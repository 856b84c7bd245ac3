/**
 * A helper thread of the engine (src/worker/threads.ts) that dies in the middle of a job: the
 * job ends with a clear error instead of waiting forever, and the next job runs on all threads
 * again, with the single-thread result. The helper is terminated from the calling thread while
 * the job runs (inside the caller's own first chunk, while the helper is inside one of its own);
 * the caller then waits until that thread is gone before it goes on.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  activeKernels,
  conv2d,
  installThreadPool,
  setKernelPath,
  tensor,
  uninstallThreadPool,
  type SplitKernel,
  type ThreadPool,
} from '../../../src/engine';
import { disableEngineThreads, HELPER_DIED, WorkerPool } from '../../../src/worker/threads';
import { EngineError } from '../../../src/engine';
import { JobClient } from '../../../src/worker/client';
import { nodeWorkerFactory } from '../../../src/worker/nodeWorker';
import type { JobDef } from '../../../src/worker/jobs';
import { conv2dReference } from './threadFaultsOracle';
import { randomArray, rng } from '../helpers/random';

const r = rng(2024);
// large enough for a few thousand chunks (each ≈ 0.1 ms of work)
const x = tensor([1, 96, 96, 32], randomArray(r, 96 * 96 * 32));
const k = tensor([3, 3, 32, 64], randomArray(r, 3 * 3 * 32 * 64));
const op = () => conv2d(x, k, { layout: 'channelsLast', padding: 'same' });

const sleep = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/** A WorkerPool whose helper 0 is terminated during the caller's first chunk of the next job, once. */
class KillingPool implements ThreadPool {
  kill = false;
  readonly threads: number;
  constructor(readonly pool: WorkerPool) {
    this.threads = pool.threads;
  }
  start(fn: SplitKernel, params: number, shares: readonly { begin: number; end: number; scratch: number }[]): void {
    this.pool.start(fn, params, shares);
  }
  wait(): void {
    this.pool.wait();
  }
  run(
    fn: SplitKernel,
    params: number,
    total: number,
    chunk: number,
    scratch: readonly number[],
    local: (b: number, e: number) => void,
    done?: (b: number, e: number) => void,
  ): void {
    let first = this.kill;
    this.kill = false;
    this.pool.run(
      fn,
      params,
      total,
      chunk,
      scratch,
      (b, e) => {
        if (first) {
          first = false;
          // the helper takes chunk after chunk meanwhile: stop it inside one
          const until = Date.now() + 10_000;
          while (!this.pool.busy(0) && Date.now() < until);
          void this.pool.helpers[0]!.terminate();
          sleep(500); // its thread stops where it is, in the middle of a chunk
        }
        local(b, e);
      },
      done,
    );
  }
  dispose(): void {
    this.pool.dispose();
  }
}

/** A WorkerPool whose calling thread, in its first chunk of the first job, waits for helper 0 to take one. */
class JoinPool implements ThreadPool {
  first = true;
  joined = false;
  listeningAtPost = true;
  readonly threads: number;
  constructor(readonly pool: WorkerPool) {
    this.threads = pool.threads;
  }
  start(fn: SplitKernel, params: number, shares: readonly { begin: number; end: number; scratch: number }[]): void {
    this.pool.start(fn, params, shares);
  }
  wait(): void {
    this.pool.wait();
  }
  run(
    fn: SplitKernel,
    params: number,
    total: number,
    chunk: number,
    scratch: readonly number[],
    local: (b: number, e: number) => void,
    done?: (b: number, e: number) => void,
  ): void {
    let first = this.first;
    this.first = false;
    if (first) this.listeningAtPost = this.pool.listening(0);
    this.pool.run(
      fn,
      params,
      total,
      chunk,
      scratch,
      (b, e) => {
        if (first) {
          first = false;
          const until = Date.now() + 20_000;
          while (!this.pool.busy(0) && Date.now() < until);
          this.joined = this.pool.busy(0);
        }
        local(b, e);
      },
      done,
    );
  }
  dispose(): void {
    this.pool.dispose();
  }
}

describe('helper threads that are still starting', () => {
  afterAll(() => {
    uninstallThreadPool();
    disableEngineThreads();
  });

  it('are not waited for: the first job starts on the calling thread, a helper joins it once it listens', () => {
    disableEngineThreads();
    setKernelPath('fast');
    const expected = op();
    let join: JoinPool | null = null;
    expect(installThreadPool((memory, module) => (join = new JoinPool(new WorkerPool(memory, module, 2))))).toBe(true);
    expect(Array.from(op().data)).toEqual(Array.from(expected.data));
    // the job was posted before the helper listened (starting a thread takes milliseconds),
    // and the helper took a chunk of it all the same
    expect(join!.listeningAtPost).toBe(false);
    expect(join!.joined).toBe(true);
    expect(join!.pool.listening(0)).toBe(true);
    expect(Array.from(op().data)).toEqual(Array.from(expected.data));
  });
});

describe('a helper thread that dies mid-job', () => {
  afterAll(() => {
    uninstallThreadPool();
    disableEngineThreads();
  });

  it('ends the job with a clear error; the next job runs on all threads with the single-thread bits', () => {
    disableEngineThreads();
    setKernelPath('fast');
    const expected = op();
    let killer: KillingPool | null = null;
    expect(
      installThreadPool((memory, module) => (killer = new KillingPool(new WorkerPool(memory, module, 2, 1000)))),
    ).toBe(true);
    expect(activeKernels()).toBe('wasm-simd-threads');
    expect(Array.from(op().data)).toEqual(Array.from(expected.data));
    const helper = killer!.pool.helpers[0];
    killer!.kill = true;
    const t = performance.now();
    expect(op).toThrow(HELPER_DIED);
    expect(performance.now() - t).toBeLessThan(30_000);
    // the next job: a new helper in its place, the same bits
    expect(Array.from(op().data)).toEqual(Array.from(expected.data));
    expect(killer!.pool.helpers[0]).not.toBe(helper);
    expect(Array.from(op().data)).toEqual(Array.from(expected.data));
  });

  it('a helper that exits between jobs is replaced before the next one', async () => {
    disableEngineThreads();
    setKernelPath('fast');
    const expected = op();
    let pool: WorkerPool | null = null;
    expect(installThreadPool((memory, module) => (pool = new WorkerPool(memory, module, 2, 1000)))).toBe(true);
    const helper = pool!.helpers[0]!;
    const exited = new Promise((resolve) => helper.once('exit', resolve));
    await helper.terminate();
    await exited;
    expect(Array.from(op().data)).toEqual(Array.from(expected.data));
    expect(pool!.helpers[0]).not.toBe(helper);
  });
});

describe('the engine memory cannot grow', () => {
  afterAll(() => {
    uninstallThreadPool();
    disableEngineThreads();
  });

  it('an op whose arena does not fit falls back to the reference path; the fast path works again after', () => {
    disableEngineThreads();
    setKernelPath('fast');
    const fast = op();
    let grow: ((pages: number) => number) | null = null;
    let memory: { grow(pages: number): number } | null = null;
    expect(
      installThreadPool((m, module) => {
        memory = m as unknown as { grow(pages: number): number };
        grow = memory.grow.bind(memory);
        return new WorkerPool(m, module, 2);
      }),
    ).toBe(true);
    const small = tensor([1, 4, 4, 32], randomArray(r, 4 * 4 * 32));
    conv2d(small, k, { layout: 'channelsLast', padding: 'same' }); // the arena now holds a small op only
    memory!.grow = () => {
      throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
    };
    const fallback = op();
    const ref = conv2dReference(x, k);
    let worst = 0;
    for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(fallback.data[i]! - ref[i]!));
    expect(worst).toBeLessThan(1e-3);
    delete (memory as unknown as { grow?: unknown }).grow;
    expect(grow).not.toBeNull();
    expect(Array.from(op().data)).toEqual(Array.from(fast.data));
  });
});

describe('the engine worker runs out of memory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'convlens-oom-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the job fails with a clear error; the next job gets a fresh worker and works', async () => {
    // a stand-in host: its first run fills the heap (its limit is 32 MB); later runs answer
    const mark = join(dir, 'ran-once');
    const path = join(dir, 'host.js');
    writeFileSync(
      path,
      `const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
parentPort.on('message', (req) => {
  if (!fs.existsSync(${JSON.stringify(mark)})) {
    fs.writeFileSync(${JSON.stringify(mark)}, '');
    const keep = [];
    for (;;) keep.push(new Array(4096).fill(Math.random()));
  }
  parentPort.postMessage({ id: req.id, ok: true, result: req.payload * 2, ms: 0 });
});
parentPort.postMessage({ ready: true });
`,
    );
    const double: JobDef<number, number> = { name: 'double', run: (n) => n * 2, transfers: () => [] };
    const client = new JobClient({ spawn: nodeWorkerFactory(path, 32), jobs: [double] });
    const e = await client.run(double, 1).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(EngineError);
    expect((e as EngineError).code).toBe('too-many-elements');
    expect((e as Error).message).toMatch(/^the engine worker ran out of memory/);
    expect(await client.run(double, 21)).toBe(42);
    expect(client.workersStarted).toBe(2);
    expect(client.inProcess).toBe(false);
    client.dispose();
  });
});
