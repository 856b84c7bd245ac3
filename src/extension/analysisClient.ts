/**
 * The editor's analyses, run in a thread (analysisThread.ts) with a wall-clock deadline: the
 * in-thread time limit stops a long analysis first; a thread that has not answered by the
 * deadline (a hang the limit does not reach) or that dies (out of memory) is killed, its job
 * ends with a diagnostic at the start of the file ("analysis stopped after N s"), and the next
 * job starts a fresh thread. One job runs at a time; a queued job superseded by a newer one for
 * the same document gets the newer one's result. If no thread can be started, jobs run
 * in-process (with the in-process time limit).
 */
import type { AnalysisResult } from '../analysis/analyze';
import type { AnalysisReply, AnalysisRequest, WireOptions } from './analysisProtocol';
import type { AnalysisThread } from './analysisThread';

type Job = Extract<AnalysisRequest, { kind: 'analyze' }>;

interface Pending {
  job: Job;
  resolve: (r: AnalysisResult) => void;
  promise: Promise<AnalysisResult>;
}

/** The result of an analysis that did not finish: one warning at the start of the file. */
export function stoppedResult(detail: string): AnalysisResult {
  return {
    models: [],
    diagnostics: [{ range: { from: 0, to: 0 }, severity: 'warning', code: 'file-capped', args: { detail } }],
    capped: detail,
  };
}

export class AnalysisClient {
  private thread: AnalysisThread | null = null;
  /** The current thread has said it listens. */
  private ready = false;
  private current: Pending | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private inProcess = false;
  private disposed = false;
  /** Threads started so far (a killed or dead one is replaced on the next job). */
  threadsStarted = 0;

  constructor(
    private readonly start: () => AnalysisThread,
    /** Wall-clock deadline of one job, from the moment the thread gets it. */
    private readonly deadlineMs: number,
    /** Runs a job on the calling thread when no thread can be started. */
    private readonly fallback: (key: string, version: number, text: string, options: WireOptions) => AnalysisResult,
  ) {}

  analyze(key: string, version: number, text: string, options: WireOptions): Promise<AnalysisResult> {
    if (this.disposed) return Promise.resolve(stoppedResult('analysis stopped: the extension is shutting down'));
    const job: Job = { kind: 'analyze', id: this.nextId++, key, version, text, options };
    let resolve!: (r: AnalysisResult) => void;
    const promise = new Promise<AnalysisResult>((r) => (resolve = r));
    const pending: Pending = { job, resolve, promise };
    // a queued job of the same document is superseded: it gets this one's result
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const q = this.queue[i]!;
      if (q.job.key !== key) continue;
      this.queue.splice(i, 1);
      promise.then(q.resolve);
    }
    this.queue.push(pending);
    this.pump();
    return promise;
  }

  /** A document was closed: the thread drops its parse. */
  forget(key: string): void {
    this.thread?.send({ kind: 'forget', key });
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.thread?.kill();
    this.thread = null;
    for (const p of [...(this.current ? [this.current] : []), ...this.queue.splice(0)])
      p.resolve(stoppedResult('analysis stopped: the extension is shutting down'));
    this.current = null;
  }

  private pump(): void {
    if (this.current || this.disposed) return;
    const next = this.queue.shift();
    if (!next) return;
    const thread = this.threadOrNull();
    if (!thread) {
      const { key, version, text, options } = next.job;
      next.resolve(this.fallback(key, version, text, options));
      this.pump();
      return;
    }
    this.current = next;
    this.timer = setTimeout(() => {
      // a hang the in-thread limit did not reach: the thread is killed and replaced
      this.restart(`analysis stopped after ${Math.round(this.deadlineMs / 1000)} s`);
    }, this.deadlineMs);
    thread.send(next.job);
  }

  private threadOrNull(): AnalysisThread | null {
    if (this.thread) return this.thread;
    if (this.inProcess) return null;
    let thread: AnalysisThread;
    try {
      thread = this.start();
    } catch {
      this.inProcess = true;
      return null;
    }
    this.threadsStarted++;
    this.thread = thread;
    this.ready = false;
    thread.listen(
      (r) => this.answered(thread, r),
      (why) => {
        if (this.thread !== thread) return;
        if (this.ready) {
          this.restart(`analysis stopped: ${why}`);
          return;
        }
        // it never ran: analyses run here from now on, the waiting one first
        clearTimeout(this.timer);
        this.thread = null;
        this.inProcess = true;
        const waiting = this.current;
        this.current = null;
        if (waiting) this.queue.unshift(waiting);
        this.pump();
      },
    );
    return thread;
  }

  private answered(thread: AnalysisThread, r: AnalysisReply): void {
    if (this.thread !== thread) return;
    if ('ready' in r) {
      this.ready = true;
      return;
    }
    if (!this.current || this.current.job.id !== r.id) return;
    clearTimeout(this.timer);
    const done = this.current;
    this.current = null;
    done.resolve('result' in r ? r.result : stoppedResult(`analysis failed: ${r.error}`));
    this.pump();
  }

  /** Ends the current job with `detail`, kills the thread; the next job starts another. */
  private restart(detail: string): void {
    clearTimeout(this.timer);
    const thread = this.thread;
    this.thread = null;
    thread?.kill();
    const done = this.current;
    this.current = null;
    done?.resolve(stoppedResult(detail));
    this.pump();
  }
}
