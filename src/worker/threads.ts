/**
 * Multi-threaded engine kernels under Node: helper worker_threads that run the engine's
 * WebAssembly kernels on the same shared memory, each taking chunks of the output rows.
 *
 * `enableEngineThreads(n)` switches the engine (src/engine/wasm/runtime.ts) to a shared
 * WebAssembly.Memory and starts n − 1 helpers; the calling thread is the n-th and computes too,
 * so n = 2 keeps two cores busy. An op stays synchronous: the caller posts a job in a small
 * SharedArrayBuffer control block and wakes the helpers with Atomics.notify; then every thread,
 * the caller included, takes small chunks of the job one at a time from a shared counter
 * (Atomics.compareExchange) until none is left. A thread that the machine slows down (other
 * processes on the cores) simply takes fewer chunks, and a helper that has not woken up yet
 * holds no one: the caller waits only for chunks that were taken (so the pool does not wait for
 * its helpers to start: the first job begins on the calling thread). While it waits it hands
 * finished chunks to the op (which copies them out). No message passing and no copies in:
 * inputs, weights and outputs are already in the shared memory.
 *
 * A helper that dies (it ran out of memory, it was terminated) must not hang the caller: every
 * wait is in slices, and a job in which no chunk has finished for STALL_MS while a helper holds
 * one ends with an error naming what happened; a helper whose thread has exited (seen at its
 * 'exit' event, or found stuck in a job) is terminated and replaced before the next job, so
 * the next job runs on all threads again.
 *
 * This is the Node-specific part of the fast path, which is why it lives here and not in
 * src/engine (which imports nothing from Node).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  installThreadPool,
  uninstallThreadPool,
  type Share,
  type SplitKernel,
  type ThreadPool,
  type WasmMemory,
  type WasmModule,
} from '../engine';

/**
 * Control block layout (Int32 slots). A job is published like a seqlock: GEN is made odd, the
 * job's fields are written, then GEN is made even and the helpers are notified; a helper takes a
 * snapshot of the fields between two equal even reads of GEN.
 */
const GEN = 0; // job generation (odd while the caller writes a job)
const FN = 1; // kernel id, see FN_IDS
const PARAMS = 2; // parameter block address
const PENDING = 3; // fixed shares: helpers still running the current job
const FAILED = 4; // set by a thread whose kernel threw
const QUIT = 5;
// 6: unused
const MODE = 7; // 0: fixed shares (start/wait), 1: chunks from the counter (run)
const TOTAL = 8; // run: the index range [0, TOTAL)
const CHUNK = 9; // run: indices per chunk
const CHUNKS = 10; // run: number of chunks
const NEXT = 11; // run: job tag (high 16 bits) | next chunk to take (low 16 bits)
const DONE = 12; // run: chunks finished (or failed)
const SHARES = 16; // then (begin, end, scratch, busy) per helper, then FLAGS; busy: 1 + the chunk it runs, or 0
// after the chunk flags: one slot per helper, 1 once it listens for jobs

/** At most this many chunks per job (fewer than 2^16: the chunk index sits next to the job tag). */
const MAX_CHUNKS = 4096;

const FN_IDS: Record<SplitKernel, number> = { conv_run: 1, dw_run: 2, pool_run: 3, plane_run: 4, pw_run: 5 };

/** How long helpers and the caller spin before sleeping in Atomics.wait (loop iterations). */
const SPIN = 20000;

/**
 * A job in which no chunk finished for this long while a helper holds one has lost that helper
 * (a chunk is about 0.1 ms of work; a slow machine makes that tens of milliseconds, not seconds).
 */
const STALL_MS = 10_000;

/** The error of a job that lost a helper thread. */
export const HELPER_DIED =
  'engine threads: a helper thread stopped in the middle of a computation; it is restarted for the next one';

/**
 * The helper's whole program, run with `eval: true` so it needs no separate bundle or loader
 * (the same code works from dist/, tsx and vitest). Plain JavaScript, self-contained.
 */
const HELPER_SOURCE = `
'use strict';
const { workerData } = require('node:worker_threads');
const { memory, module, control, index, spin, flags, ready, gen } = workerData;
const ctl = new Int32Array(control);
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
const run = (fn, p, b, e, scratch) => {
  if (fn === 1) k.conv_run(p, b, e, scratch);
  else if (fn === 2) k.dw_run(p, b, e);
  else if (fn === 4) k.plane_run(p, b, e);
  else if (fn === 5) k.pw_run(p, b, e, scratch);
  else k.pool_run(p, b, e);
};
// Takes the next chunk of the job tagged \`tag\`: its index, or -1 when none is left or the job
// is over (a newer job carries another tag, so a late helper can never take one of its chunks).
const take = (tag, n) => {
  for (;;) {
    const v = Atomics.load(ctl, ${NEXT});
    if ((v >>> 16) !== tag || (v & 0xffff) >= n) return -1;
    if (Atomics.compareExchange(ctl, ${NEXT}, v, v + 1) === v) return v & 0xffff;
  }
};
// The generation when this helper was started: a job posted since then (while it started) is
// still taken; in one already over, no chunk is left to take.
let seen = gen;
Atomics.store(ctl, ready + index, 1);
Atomics.notify(ctl, ready + index);
for (;;) {
  let g = Atomics.load(ctl, ${GEN});
  for (let i = 0; i < spin && (g === seen || (g & 1)); i++) g = Atomics.load(ctl, ${GEN});
  while (g === seen || (g & 1)) {
    Atomics.wait(ctl, ${GEN}, g, 1000);
    g = Atomics.load(ctl, ${GEN});
  }
  const mode = Atomics.load(ctl, ${MODE}), fn = Atomics.load(ctl, ${FN}), p = Atomics.load(ctl, ${PARAMS});
  const s = ${SHARES} + 4 * index;
  const b = Atomics.load(ctl, s), e = Atomics.load(ctl, s + 1), scratch = Atomics.load(ctl, s + 2);
  const total = Atomics.load(ctl, ${TOTAL}), chunk = Atomics.load(ctl, ${CHUNK}), n = Atomics.load(ctl, ${CHUNKS});
  const tag = Atomics.load(ctl, ${NEXT}) >>> 16;
  if (Atomics.load(ctl, ${GEN}) !== g) continue; // a newer job was being written: read again
  seen = g;
  if (Atomics.load(ctl, ${QUIT})) break;
  if (mode === 1) {
    for (let c = take(tag, n); c >= 0; c = take(tag, n)) {
      Atomics.store(ctl, s + 3, c + 1);
      try {
        run(fn, p, c * chunk, Math.min(total, (c + 1) * chunk), scratch);
      } catch (err) {
        Atomics.store(ctl, ${FAILED}, 1);
      }
      Atomics.store(ctl, s + 3, 0);
      Atomics.store(ctl, flags + c, tag);
      Atomics.add(ctl, ${DONE}, 1);
      Atomics.notify(ctl, ${DONE});
    }
    continue;
  }
  Atomics.store(ctl, s + 3, 1);
  try {
    if (b < e) run(fn, p, b, e, scratch);
  } catch (err) {
    Atomics.store(ctl, ${FAILED}, 1);
  }
  Atomics.store(ctl, s + 3, 0);
  if (Atomics.sub(ctl, ${PENDING}, 1) === 1) Atomics.notify(ctl, ${PENDING});
}
`;

export class WorkerPool implements ThreadPool {
  private readonly ctl: Int32Array;
  private readonly workers: Worker[] = [];
  /** Helpers whose thread has exited or was found stuck: replaced before the next job. */
  private readonly lost = new Set<number>();
  private disposed = false;
  private running = false;
  private tag = 0;
  /** Control slot of chunk 0's flag: a finished chunk's flag holds its job's tag. */
  private readonly flags: number;
  /** Control slot of helper 0's ready flag (1 once it listens for jobs). */
  private readonly ready: number;

  constructor(
    private readonly memory: WasmMemory,
    private readonly module: WasmModule,
    readonly threads: number,
    private readonly stallMs = STALL_MS,
  ) {
    const helpers = threads - 1;
    this.flags = SHARES + 4 * helpers;
    this.ready = this.flags + MAX_CHUNKS;
    this.ctl = new Int32Array(new SharedArrayBuffer(4 * (this.ready + helpers)));
    // Not waited for: a job posted while a helper starts is taken by it once it listens, and
    // until then the calling thread takes the chunks (run); only fixed shares (start) wait.
    for (let i = 0; i < helpers; i++) this.workers.push(this.spawn(i));
  }

  /** The helper threads (index i takes the shares of thread i + 1). */
  get helpers(): readonly Worker[] {
    return this.workers;
  }

  /** Whether helper i has started and listens for jobs. */
  listening(i: number): boolean {
    return Atomics.load(this.ctl, this.ready + i) === 1;
  }

  /** Whether helper i is inside a piece of a job right now. */
  busy(i: number): boolean {
    return Atomics.load(this.ctl, SHARES + 4 * i + 3) !== 0;
  }

  private spawn(i: number): Worker {
    Atomics.store(this.ctl, this.ready + i, 0);
    const w = new Worker(HELPER_SOURCE, {
      eval: true,
      workerData: {
        memory: this.memory,
        module: this.module,
        control: this.ctl.buffer,
        index: i,
        spin: SPIN,
        flags: this.flags,
        ready: this.ready,
        gen: Atomics.load(this.ctl, GEN),
      },
    });
    w.unref();
    w.on('exit', () => {
      if (!this.disposed && this.workers[i] === w) this.lost.add(i);
    });
    w.on('error', () => undefined);
    return w;
  }

  /**
   * Blocks until every helper listens for jobs (fixed shares need all of them; starting a worker
   * takes tens of milliseconds). A helper that has not started within 20 s ends the pool.
   */
  private awaitReady(): void {
    const deadline = Date.now() + 20_000;
    for (let i = 0; i < this.workers.length; i++) {
      while (Atomics.load(this.ctl, this.ready + i) === 0) {
        if (Date.now() > deadline) {
          this.dispose();
          throw new Error(`engine threads: helper thread ${i + 1} did not start`);
        }
        Atomics.wait(this.ctl, this.ready + i, 0, 100);
      }
    }
  }

  /** Replaces the helpers that were lost, so the next job has all its threads. */
  private heal(): void {
    if (this.lost.size === 0) return;
    for (const i of this.lost) {
      void this.workers[i]!.terminate();
      Atomics.store(this.ctl, SHARES + 4 * i + 3, 0);
      this.workers[i] = this.spawn(i);
    }
    this.lost.clear();
  }

  /**
   * Waits (in slices) until `slot` reaches `target` (DONE) or 0 (PENDING). If nothing changes
   * for stallMs while a helper holds work, that helper is taken as lost: it is terminated, the
   * others are let finish, and the job ends with HELPER_DIED.
   */
  private waitFor(slot: number, done: (v: number) => boolean, tick?: () => void): void {
    const c = this.ctl;
    let last = Atomics.load(c, slot);
    let since = Date.now();
    for (let v = last; !done(v); v = Atomics.load(c, slot)) {
      tick?.();
      if (v !== last) {
        last = v;
        since = Date.now();
      } else if (Date.now() - since > this.stallMs) {
        const stuck = this.workers.flatMap((_, i) => (Atomics.load(c, SHARES + 4 * i + 3) !== 0 ? [i] : []));
        if (stuck.length > 0) {
          for (const i of stuck) {
            this.lost.add(i);
            void this.workers[i]!.terminate();
          }
          // the helpers still alive finish what they hold before the next job is posted
          const alive = (i: number) => !stuck.includes(i);
          const until = Date.now() + this.stallMs;
          while (
            Date.now() < until &&
            this.workers.some((_, i) => alive(i) && Atomics.load(c, SHARES + 4 * i + 3) !== 0)
          )
            Atomics.wait(c, slot, Atomics.load(c, slot), 10);
          throw new Error(HELPER_DIED);
        }
        since = Date.now();
      }
      Atomics.wait(c, slot, v, Math.min(100, this.stallMs));
    }
  }

  /** Writes a job between two GEN increments (odd while writing) and wakes the helpers. */
  private post(write: (c: Int32Array) => void): void {
    const c = this.ctl;
    Atomics.add(c, GEN, 1);
    write(c);
    Atomics.add(c, GEN, 1);
    Atomics.notify(c, GEN);
  }

  private writeShares(c: Int32Array, shares: readonly Share[] | null, scratch: readonly number[] | null): void {
    for (let i = 0; i < this.workers.length; i++) {
      const s = shares?.[i + 1];
      Atomics.store(c, SHARES + 4 * i, s ? s.begin : 0);
      Atomics.store(c, SHARES + 4 * i + 1, s ? s.end : 0);
      Atomics.store(c, SHARES + 4 * i + 2, s ? s.scratch : (scratch?.[i + 1] ?? 0));
    }
  }

  start(fn: SplitKernel, params: number, shares: readonly Share[]): void {
    this.heal();
    this.awaitReady();
    this.post((c) => {
      Atomics.store(c, MODE, 0);
      Atomics.store(c, FN, FN_IDS[fn]);
      Atomics.store(c, PARAMS, params);
      Atomics.store(c, FAILED, 0);
      this.writeShares(c, shares, null);
      Atomics.store(c, PENDING, this.workers.length);
    });
    this.running = true;
  }

  wait(): void {
    if (!this.running) return;
    this.running = false;
    const c = this.ctl;
    for (let i = 0; i < SPIN && Atomics.load(c, PENDING) !== 0; i++);
    this.waitFor(PENDING, (p) => p === 0);
    if (Atomics.load(c, FAILED)) throw new Error('engine threads: a helper thread failed in a kernel');
  }

  run(
    fn: SplitKernel,
    params: number,
    total: number,
    chunk: number,
    scratch: readonly number[],
    local: (begin: number, end: number) => void,
    done?: (begin: number, end: number) => void,
  ): void {
    if (total <= 0) return;
    this.heal();
    const size = Math.max(chunk, Math.ceil(total / MAX_CHUNKS));
    const n = Math.ceil(total / size);
    // Tags 1…0xffff: a flag left at 0 (or at an older job's tag) never reads as done.
    const tag = (this.tag = (this.tag % 0xffff) + 1);
    this.post((c) => {
      Atomics.store(c, MODE, 1);
      Atomics.store(c, FN, FN_IDS[fn]);
      Atomics.store(c, PARAMS, params);
      Atomics.store(c, FAILED, 0);
      this.writeShares(c, null, scratch);
      Atomics.store(c, TOTAL, total);
      Atomics.store(c, CHUNK, size);
      Atomics.store(c, CHUNKS, n);
      Atomics.store(c, DONE, 0);
      Atomics.store(c, NEXT, tag << 16);
    });
    const c = this.ctl;
    const flags = this.flags;
    // Hands finished chunks to `done` in order, merging runs of consecutive ones.
    let reported = 0;
    const report = (): void => {
      let e = reported;
      while (e < n && Atomics.load(c, flags + e) === tag) e++;
      if (e > reported) {
        const b = reported;
        reported = e;
        done!(b * size, Math.min(total, e * size));
      }
    };
    let error: unknown = null;
    for (;;) {
      const v = Atomics.load(c, NEXT);
      const i = v & 0xffff;
      if (i >= n) break;
      if (Atomics.compareExchange(c, NEXT, v, v + 1) !== v) continue;
      try {
        local(i * size, Math.min(total, (i + 1) * size));
      } catch (e) {
        // Stop handing out chunks; wait below for the ones the helpers took.
        error = e;
        let w = Atomics.load(c, NEXT);
        while ((w & 0xffff) < n && Atomics.compareExchange(c, NEXT, w, (tag << 16) | n) !== w)
          w = Atomics.load(c, NEXT);
        Atomics.add(c, DONE, 1 + Math.max(0, n - (w & 0xffff)));
        break;
      }
      Atomics.store(c, flags + i, tag);
      Atomics.add(c, DONE, 1);
      if (done) report();
    }
    // Every chunk is taken: wait for the helpers' (none, if they had not woken up yet),
    // handing each to `done` as it finishes.
    for (let i = 0; i < SPIN && Atomics.load(c, DONE) < n; i++) if (done && (i & 255) === 0) report();
    this.waitFor(
      DONE,
      (d) => d >= n,
      () => {
        if (done && error === null) report();
      },
    );
    if (error !== null) throw error;
    if (Atomics.load(c, FAILED)) throw new Error('engine threads: a helper thread failed in a kernel');
    if (done) report();
  }

  dispose(): void {
    this.disposed = true;
    Atomics.store(this.ctl, QUIT, 1);
    this.post(() => undefined);
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
  }
}

/** Compute threads to use by default: the cores, at most 4 (the caller counts as one). */
export function defaultEngineThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/**
 * Runs the engine's conv/pool kernels on `threads` threads (the caller plus threads − 1 helpers).
 * Returns false, leaving the single-thread path in place, when threads < 2 or WebAssembly SIMD,
 * shared memory or worker threads are unavailable.
 */
export function enableEngineThreads(threads = defaultEngineThreads(), stallMs = STALL_MS): boolean {
  uninstallThreadPool();
  if (!Number.isInteger(threads) || threads < 2) return false;
  try {
    return installThreadPool((memory, module) => new WorkerPool(memory, module, threads, stallMs));
  } catch {
    uninstallThreadPool();
    return false;
  }
}

/** Stops the helpers; ops run on the calling thread again. */
export function disableEngineThreads(): void {
  uninstallThreadPool();
}
