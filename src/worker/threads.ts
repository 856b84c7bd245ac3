/**
 * Multi-threaded engine kernels under Node: helper worker_threads that run the engine's
 * WebAssembly kernels on the same shared memory, each on its own share of the output rows.
 *
 * `enableEngineThreads(n)` switches the engine (src/engine/wasm/runtime.ts) to a shared
 * WebAssembly.Memory and starts n − 1 helpers; the calling thread is the n-th and computes share
 * 0 itself, so n = 2 keeps two cores busy. An op stays synchronous: the caller posts a job in a
 * small SharedArrayBuffer control block, wakes the helpers with Atomics.notify, runs its share,
 * and blocks in Atomics.wait until the helpers' shares are done. No message passing and no
 * copies: inputs, weights and outputs are already in the shared memory.
 *
 * This is the Node-specific part of the fast path, which is why it lives here and not in
 * src/engine (which imports nothing from Node).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  installThreadPool, uninstallThreadPool, type Share, type SplitKernel, type ThreadPool, type WasmMemory, type WasmModule,
} from '../engine';

/** Control block layout (Int32 slots). */
const GEN = 0; // job generation: helpers wait for it to change
const FN = 1; // kernel id, see FN_IDS
const PARAMS = 2; // parameter block address
const PENDING = 3; // helpers still running the current job
const FAILED = 4; // set by a helper whose kernel threw
const QUIT = 5;
const READY = 6; // helpers that have instantiated the module
const SHARES = 8; // then (begin, end, scratch, -) per helper

const FN_IDS: Record<SplitKernel, number> = { conv_run: 1, dw_run: 2, pool_run: 3 };

/** How long helpers and the caller spin before sleeping in Atomics.wait (loop iterations). */
const SPIN = 20000;

/**
 * The helper's whole program, run with `eval: true` so it needs no separate bundle or loader
 * (the same code works from dist/, tsx and vitest). Plain JavaScript, self-contained.
 */
const HELPER_SOURCE = `
'use strict';
const { workerData } = require('node:worker_threads');
const { memory, module, control, index, spin } = workerData;
const ctl = new Int32Array(control);
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
let gen = Atomics.load(ctl, ${GEN});
Atomics.add(ctl, ${READY}, 1);
Atomics.notify(ctl, ${READY});
for (;;) {
  for (let i = 0; i < spin && Atomics.load(ctl, ${GEN}) === gen; i++);
  while (Atomics.load(ctl, ${GEN}) === gen) Atomics.wait(ctl, ${GEN}, gen, 1000);
  gen = Atomics.load(ctl, ${GEN});
  if (Atomics.load(ctl, ${QUIT})) break;
  const s = ${SHARES} + 4 * index;
  const fn = ctl[${FN}], p = ctl[${PARAMS}], b = ctl[s], e = ctl[s + 1], scratch = ctl[s + 2];
  try {
    if (b < e) {
      if (fn === 1) k.conv_run(p, b, e, scratch);
      else if (fn === 2) k.dw_run(p, b, e);
      else k.pool_run(p, b, e);
    }
  } catch (err) {
    Atomics.store(ctl, ${FAILED}, 1);
  }
  if (Atomics.sub(ctl, ${PENDING}, 1) === 1) Atomics.notify(ctl, ${PENDING});
}
`;

class WorkerPool implements ThreadPool {
  private readonly ctl: Int32Array;
  private readonly workers: Worker[] = [];
  private running = false;

  constructor(memory: WasmMemory, module: WasmModule, readonly threads: number) {
    const helpers = threads - 1;
    this.ctl = new Int32Array(new SharedArrayBuffer(4 * (SHARES + 4 * helpers)));
    for (let i = 0; i < helpers; i++) {
      const w = new Worker(HELPER_SOURCE, { eval: true, workerData: { memory, module, control: this.ctl.buffer, index: i, spin: SPIN } });
      w.unref();
      this.workers.push(w);
    }
    // Block until every helper listens: a job posted before a helper read the generation
    // would be missed. Starting a worker takes tens of milliseconds.
    const deadline = Date.now() + 20_000;
    for (let r = Atomics.load(this.ctl, READY); r < helpers; r = Atomics.load(this.ctl, READY)) {
      if (Date.now() > deadline) {
        this.dispose();
        throw new Error(`engine threads: ${helpers - r} of ${helpers} helper thread(s) did not start`);
      }
      Atomics.wait(this.ctl, READY, r, 100);
    }
  }

  start(fn: SplitKernel, params: number, shares: readonly Share[]): void {
    const c = this.ctl;
    const helpers = this.workers.length;
    c[FN] = FN_IDS[fn];
    c[PARAMS] = params;
    c[FAILED] = 0;
    for (let i = 0; i < helpers; i++) {
      const s = shares[i + 1];
      c[SHARES + 4 * i] = s ? s.begin : 0;
      c[SHARES + 4 * i + 1] = s ? s.end : 0;
      c[SHARES + 4 * i + 2] = s ? s.scratch : 0;
    }
    Atomics.store(c, PENDING, helpers);
    Atomics.add(c, GEN, 1);
    Atomics.notify(c, GEN);
    this.running = true;
  }

  wait(): void {
    if (!this.running) return;
    this.running = false;
    const c = this.ctl;
    for (let i = 0; i < SPIN && Atomics.load(c, PENDING) !== 0; i++);
    for (let p = Atomics.load(c, PENDING); p !== 0; p = Atomics.load(c, PENDING)) Atomics.wait(c, PENDING, p, 1000);
    if (Atomics.load(c, FAILED)) throw new Error('engine threads: a helper thread failed in a kernel');
  }

  dispose(): void {
    Atomics.store(this.ctl, QUIT, 1);
    Atomics.add(this.ctl, GEN, 1);
    Atomics.notify(this.ctl, GEN);
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
export function enableEngineThreads(threads = defaultEngineThreads()): boolean {
  uninstallThreadPool();
  if (!Number.isInteger(threads) || threads < 2) return false;
  try {
    return installThreadPool((memory, module) => new WorkerPool(memory, module, threads));
  } catch {
    uninstallThreadPool();
    return false;
  }
}

/** Stops the helpers; ops run on the calling thread again. */
export function disableEngineThreads(): void {
  uninstallThreadPool();
}
