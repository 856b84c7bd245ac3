/**
 * Jobs for a worker thread: a job is a named, synchronous function from plain data to plain
 * data, plus the buffers of its result to move (not copy) back. This module holds the job type,
 * the messages between client (client.ts) and host (host.ts), and `runJob`, which runs one
 * request under the element cap it carries and turns whatever the job throws into an error
 * response — the same in the worker and in-process.
 */
import { EngineError, setMaxElements, type EngineErrorCode } from '../engine';

/**
 * A job. `run` and `transfers` are methods (not function-typed fields) so that any
 * JobDef<Req, Res> fits where a list of jobs of different types is expected (AnyJob).
 */
export interface JobDef<Req, Res> {
  /** Unique among the jobs of one host, e.g. 'panel.view'. */
  readonly name: string;
  run(req: Req): Res;
  /** The ArrayBuffers of a result that may be moved to the receiving thread. */
  transfers(res: Res): ArrayBuffer[];
}

export type AnyJob = JobDef<unknown, unknown>;

export interface JobRequest<P = unknown> {
  id: number;
  /** The job's name. */
  job: string;
  payload: P;
  /** The engine's element cap while the job runs (the caller's cap). */
  maxElements: number;
  /**
   * Shared with the caller (one Int32): set to 1 to ask the job to stop. A job checks it between
   * its steps (`throwIfCancelled`), so a superseded request ends without the worker being
   * replaced and what the worker keeps (caches) survives.
   */
  cancel?: SharedArrayBuffer;
}

/** Engine codes, plus 'internal' (anything else the job threw), 'unknown-job' and 'cancelled'. */
export type JobErrorCode = EngineErrorCode | 'internal' | 'unknown-job' | 'cancelled';

/** A request superseded by a newer one (or its client disposed) before it finished. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
}

/** The cancel flag of the request running on this thread, if any. */
let currentCancel: Int32Array | null = null;

/** Between steps of a job: stops it (CancelledError) when its caller asked. */
export function throwIfCancelled(): void {
  if (currentCancel !== null && Atomics.load(currentCancel, 0) !== 0) throw new CancelledError('cancelled');
}

export type JobResponse<R = unknown> =
  { id: number; ok: true; result: R; ms: number } | { id: number; ok: false; code: JobErrorCode; message: string };

/** What a host posts: responses, and once, before any response, that it is listening. */
export type HostMessage = JobResponse | { ready: true };

/** A failed job whose error did not come from the engine ('internal', 'unknown-job'). */
export class JobError extends Error {
  override readonly name = 'JobError';
  constructor(
    readonly code: Exclude<JobErrorCode, EngineErrorCode | 'cancelled'>,
    message: string,
  ) {
    super(message);
  }
}

// A Record over the union, so a new engine code cannot be forgotten here.
const ENGINE_CODES: Record<EngineErrorCode, true> = {
  'bad-argument': true,
  'bad-shape': true,
  'kernel-too-large': true,
  'output-empty': true,
  'channel-mismatch': true,
  'too-many-elements': true,
};

/** Runs one request with the element cap set; the previous cap is restored afterwards. */
export function runJob<Req, Res>(job: JobDef<Req, Res>, req: JobRequest<Req>): JobResponse<Res> {
  const start = performance.now();
  let prevCap: number;
  try {
    prevCap = setMaxElements(req.maxElements);
  } catch (e) {
    return errorResponse(req.id, e);
  }
  const prevCancel = currentCancel;
  currentCancel =
    typeof SharedArrayBuffer === 'function' && req.cancel instanceof SharedArrayBuffer
      ? new Int32Array(req.cancel, 0, 1)
      : null;
  try {
    return { id: req.id, ok: true, result: job.run(req.payload), ms: performance.now() - start };
  } catch (e) {
    return errorResponse(req.id, e);
  } finally {
    setMaxElements(prevCap);
    currentCancel = prevCancel;
  }
}

/** EngineError → its code; RangeError (an allocation failed) → 'too-many-elements'; else 'internal'. */
export function errorResponse(id: number, e: unknown): JobResponse<never> {
  if (e instanceof CancelledError) return { id, ok: false, code: 'cancelled', message: e.message };
  if (e instanceof EngineError) return { id, ok: false, code: e.code, message: e.message };
  if (e instanceof RangeError)
    return { id, ok: false, code: 'too-many-elements', message: `out of memory (${e.message})` };
  return { id, ok: false, code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

export function unknownJob(id: number, name: string, known: Iterable<string>): JobResponse<never> {
  const names = [...known];
  return {
    id,
    ok: false,
    code: 'unknown-job',
    message: `unknown job '${name}' (known: ${names.length ? names.join(', ') : 'none'})`,
  };
}

/** The result of a response, or its error thrown as EngineError (engine codes) or JobError. */
export function settle<Res>(res: JobResponse<Res>): Res {
  if (res.ok) return res.result;
  if (res.code === 'cancelled') throw new CancelledError(res.message);
  if (Object.hasOwn(ENGINE_CODES, res.code)) throw new EngineError(res.code as EngineErrorCode, res.message);
  throw new JobError(res.code as Exclude<JobErrorCode, EngineErrorCode | 'cancelled'>, res.message);
}
