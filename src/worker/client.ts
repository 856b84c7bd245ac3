/**
 * Runs jobs (jobs.ts) in a worker that hosts them (host.ts), started by the WorkerFactory given
 * (nodeWorker.ts: a worker thread with a heap limit; webWorker.ts: a Web Worker). A request
 * superseded by a newer one with the same key is cancelled: its promise rejects at once
 * (CancelledError) and its job is asked to stop through a shared flag it checks between steps,
 * so the worker — and what it keeps, such as the panel's activations — lives on (where there is no
 * SharedArrayBuffer, in a page that is not cross-origin isolated, the job runs to its end and its
 * answer is dropped); only a job that
 * has not stopped within CANCEL_GRACE_MS gets the worker replaced. If the worker cannot start — the constructor throws, or the thread fails before
 * its host says it is ready (a missing or broken script) — jobs run in-process from then on,
 * the waiting ones included, so the user still gets a result. A worker that fails after it
 * was ready (out of memory, a crash) rejects what was waiting; nothing is rerun here.
 */
import { EngineError, getMaxElements } from '../engine';
import {
  CancelledError,
  JobError,
  runJob,
  settle,
  type AnyJob,
  type HostMessage,
  type JobDef,
  type JobRequest,
} from './jobs';
import type { WorkerFactory, WorkerHandle } from './port';

export { CancelledError };

/** How long a cancelled job may take to stop before its worker is replaced. */
const CANCEL_GRACE_MS = 3000;

export interface JobClientOptions {
  /** Starts the worker (its script must serve these jobs); a factory that throws means in-process jobs. */
  spawn: WorkerFactory;
  /** The jobs the worker hosts (also what runs in-process if it cannot start). */
  jobs: readonly AnyJob[];
}

interface Pending {
  job: AnyJob;
  request: JobRequest;
  resolve: (res: unknown) => void;
  reject: (e: Error) => void;
  key: string | undefined;
}

export class JobClient {
  private worker: WorkerHandle | undefined;
  /** The current worker's host has said it is listening. */
  private ready = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Cancelled requests still running in the worker, with the timer that replaces it if they do not stop. */
  private readonly stopping = new Map<number, ReturnType<typeof setTimeout>>();
  /** How many workers have been started (a cancelled job that stopped leaves it unchanged). */
  private started = 0;
  private workerFailed = false;
  private readonly jobs = new Map<string, AnyJob>();

  constructor(private readonly options: JobClientOptions) {
    for (const j of options.jobs) this.jobs.set(j.name, j);
  }

  /** True when jobs run in-process because no worker could be started. */
  get inProcess(): boolean {
    return this.workerFailed;
  }

  /** How many workers this client has started so far. */
  get workersStarted(): number {
    return this.started;
  }

  /** Runs a job; a newer request with the same key cancels this one (CancelledError). */
  run<Req, Res>(job: JobDef<Req, Res>, req: Req, key?: string): Promise<Res> {
    if (this.jobs.get(job.name) !== job) {
      return Promise.reject(new JobError('unknown-job', `job '${job.name}' is not one this client's worker hosts`));
    }
    const request: JobRequest = {
      id: this.nextId++,
      job: job.name,
      payload: req,
      maxElements: getMaxElements(),
      ...(typeof SharedArrayBuffer === 'function' ? { cancel: new SharedArrayBuffer(4) } : {}),
    };
    if (key !== undefined) this.cancel(key);
    const worker = this.ensureWorker();
    if (!worker) return runHere(job as AnyJob, request) as Promise<Res>;
    return new Promise<Res>((resolve, reject) => {
      this.pending.set(request.id, {
        job: job as AnyJob,
        request,
        resolve: resolve as (r: unknown) => void,
        reject,
        key,
      });
      try {
        worker.postMessage(request);
      } catch (e) {
        // The payload cannot be cloned.
        this.pending.delete(request.id);
        reject(e as Error);
      }
    });
  }

  /**
   * Cancels the in-flight request with this key, if any: its promise rejects now, its job is
   * asked to stop between steps; if it has not stopped after CANCEL_GRACE_MS (deep in one long
   * kernel), the worker is replaced.
   */
  cancel(key: string): void {
    for (const [id, p] of [...this.pending]) {
      if (p.key !== key) continue;
      this.pending.delete(id);
      if (p.request.cancel) Atomics.store(new Int32Array(p.request.cancel, 0, 1), 0, 1);
      p.reject(new CancelledError(`superseded: ${key}`));
      const w = this.worker;
      this.stopping.set(
        id,
        setTimeout(() => {
          this.stopping.delete(id);
          if (this.worker === w) this.restart();
        }, CANCEL_GRACE_MS),
      );
    }
  }

  dispose(): void {
    for (const [, p] of this.pending) p.reject(new CancelledError('job client disposed'));
    this.pending.clear();
    this.clearStopping();
    this.worker?.terminate();
    this.worker = undefined;
  }

  private clearStopping(): void {
    for (const t of this.stopping.values()) clearTimeout(t);
    this.stopping.clear();
  }

  private restart(): void {
    const old = this.worker;
    this.worker = undefined;
    const orphans = [...this.pending];
    this.pending.clear();
    this.clearStopping();
    old?.terminate();
    for (const [, p] of orphans) p.reject(new CancelledError('worker restarted'));
  }

  private ensureWorker(): WorkerHandle | undefined {
    if (this.workerFailed) return undefined;
    if (this.worker) return this.worker;
    try {
      // the events refer to the handle the factory returns (none arrive before it returns)
      let w: WorkerHandle | undefined;
      w = this.options.spawn({
        message: (msg: HostMessage) => this.onMessage(w, msg),
        error: (err) => this.onFailure(w, err),
        exit: (code) => this.onFailure(w, new Error(`the engine worker stopped (exit code ${code})`)),
      });
      this.worker = w;
      this.ready = false;
      this.started++;
      return w;
    } catch {
      this.workerFailed = true;
      return undefined;
    }
  }

  private onMessage(w: WorkerHandle | undefined, msg: HostMessage): void {
    if (w === undefined || this.worker !== w) return;
    if ('ready' in msg) {
      this.ready = true;
      return;
    }
    const stop = this.stopping.get(msg.id);
    if (stop !== undefined) {
      // a cancelled job answered (stopped, or finished first): its caller has moved on
      clearTimeout(stop);
      this.stopping.delete(msg.id);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    try {
      p.resolve(settle(msg));
    } catch (e) {
      p.reject(e as Error);
    }
  }

  /** The current worker failed or stopped (a terminated one is no longer current). */
  private onFailure(w: WorkerHandle | undefined, err: Error): void {
    if (w === undefined || this.worker !== w) return;
    this.worker = undefined;
    this.clearStopping();
    const waiting = [...this.pending.values()];
    this.pending.clear();
    if (!this.ready) {
      this.workerFailed = true;
      for (const p of waiting) runHere(p.job, p.request).then(p.resolve, p.reject);
      return;
    }
    const isHeap = (err as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY' || /heap|memory/i.test(err.message);
    for (const p of waiting) {
      p.reject(
        isHeap ? new EngineError('too-many-elements', `the engine worker ran out of memory: ${err.message}`) : err,
      );
    }
  }
}

/** Runs a request on this thread; its errors come back as they would from the worker. */
function runHere(job: AnyJob, request: JobRequest): Promise<unknown> {
  return new Promise((resolve) => resolve(settle(runJob(job, request))));
}
