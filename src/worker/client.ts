/**
 * Runs engine ops in a worker thread with a heap limit. A request superseded by a newer one with
 * the same key is cancelled (the worker is terminated and replaced); if a worker cannot start,
 * the op runs in-process instead so the user still gets a result.
 */
import { Worker } from 'node:worker_threads';
import { EngineError, getMaxElements, type EngineErrorCode, type Tensor } from '../engine';
import { runRequest, runViewJob, type ViewJobRequest, type ViewJobResponse, type WorkerOp, type WorkerRequest, type WorkerResponse, type WireTensor } from './ops';
import type { ViewRequest } from '../present/panelJob';
import type { LayerView } from '../shared/protocol';

export interface EngineClientOptions {
  /** Path of dist/worker.js. */
  workerPath: string;
  /** Heap limit of the worker in MiB. */
  maxHeapMb?: number;
}

export class CancelledError extends Error {
  override readonly name = 'CancelledError';
}

interface Pending {
  resolve: (t: never) => void;
  reject: (e: Error) => void;
  key: string | undefined;
}

export class EngineClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private workerFailed = false;

  constructor(private readonly options: EngineClientOptions) {}

  /** True when ops run in-process because no worker could be started. */
  get inProcess(): boolean {
    return this.workerFailed;
  }

  run(op: WorkerOp, inputs: Tensor[], options: Record<string, unknown> = {}, key?: string): Promise<Tensor> {
    const id = this.nextId++;
    const wire: WireTensor[] = inputs.map((t) => ({ shape: [...t.shape], data: t.data }));
    const req: WorkerRequest = { id, op, inputs: wire, options, maxElements: getMaxElements() };
    if (key !== undefined) this.cancel(key);
    const worker = this.ensureWorker();
    if (!worker) return Promise.resolve(settle(runRequest(req)));
    return new Promise<Tensor>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (t: never) => void, reject, key });
      worker.postMessage(req);
    });
  }

  /** Runs a panel job (model up to a layer → its view); a newer job with the same key cancels it. */
  runView(job: ViewRequest, key?: string): Promise<LayerView> {
    const id = this.nextId++;
    const req: ViewJobRequest = { id, kind: 'view', job, maxElements: getMaxElements() };
    if (key !== undefined) this.cancel(key);
    const worker = this.ensureWorker();
    if (!worker) return Promise.resolve(settleView(runViewJob(req)));
    return new Promise<LayerView>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (t: never) => void, reject, key });
      worker.postMessage(req);
    });
  }

  /** Cancels the in-flight request with this key, if any. */
  cancel(key: string): void {
    const hit = [...this.pending].filter(([, p]) => p.key === key);
    if (hit.length === 0) return;
    for (const [id, p] of hit) {
      this.pending.delete(id);
      p.reject(new CancelledError(`superseded: ${key}`));
    }
    // The worker may be deep in a kernel; replace it rather than wait.
    this.restart();
  }

  dispose(): void {
    for (const [, p] of this.pending) p.reject(new CancelledError('engine client disposed'));
    this.pending.clear();
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private restart(): void {
    const old = this.worker;
    this.worker = undefined;
    const orphans = [...this.pending];
    this.pending.clear();
    void old?.terminate();
    for (const [, p] of orphans) p.reject(new CancelledError('worker restarted'));
  }

  private ensureWorker(): Worker | undefined {
    if (this.workerFailed) return undefined;
    if (this.worker) return this.worker;
    try {
      const w = new Worker(this.options.workerPath, { resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb ?? 1024 } });
      w.unref();
      w.on('message', (res: WorkerResponse | ViewJobResponse) => {
        const p = this.pending.get(res.id);
        if (!p) return;
        this.pending.delete(res.id);
        try {
          p.resolve(('view' in res ? settleView(res) : 'output' in res ? settle(res) : settleAny(res)) as never);
        } catch (e) {
          p.reject(e as Error);
        }
      });
      w.on('error', (err) => this.failAll(w, err));
      w.on('exit', (code) => {
        if (code !== 0) this.failAll(w, new Error(`engine worker stopped (exit code ${code})`));
      });
      this.worker = w;
      return w;
    } catch {
      this.workerFailed = true;
      return undefined;
    }
  }

  private failAll(w: Worker, err: Error): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    const isHeap = /heap|memory/i.test(err.message);
    for (const [, p] of this.pending) {
      p.reject(isHeap ? new EngineError('too-many-elements', `the engine worker ran out of memory: ${err.message}`) : err);
    }
    this.pending.clear();
  }
}

function settle(res: WorkerResponse): Tensor {
  if (res.ok) return { shape: res.output.shape, data: res.output.data };
  throw new EngineError(res.code as EngineErrorCode, res.message);
}

function settleView(res: ViewJobResponse): LayerView {
  if (res.ok) return res.view;
  throw new EngineError(res.code as EngineErrorCode, res.message);
}

function settleAny(res: WorkerResponse | ViewJobResponse): never {
  if (res.ok) throw new Error('unexpected worker response');
  throw new EngineError(res.code as EngineErrorCode, res.message);
}
