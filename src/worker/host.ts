/**
 * The worker side of a job host, on any HostPort (a Node worker thread's parentPort, a Web
 * Worker's global scope: nodeWorker.ts, webWorker.ts): it says it is ready, then answers each
 * request by running the named job and moving the result's buffers back. A request for a job
 * this host does not have gets an error response; nothing a request does takes the worker down.
 */
import {
  errorResponse,
  runJob,
  unknownJob,
  type AnyJob,
  type HostMessage,
  type JobRequest,
  type JobResponse,
} from './jobs';
import type { HostPort } from './port';

export type JobTable = ReadonlyMap<string, AnyJob>;

export function jobTable(jobs: readonly AnyJob[]): JobTable {
  const table = new Map<string, AnyJob>();
  for (const j of jobs) {
    if (table.has(j.name)) throw new Error(`two jobs named '${j.name}'`);
    table.set(j.name, j);
  }
  return table;
}

export interface Reply {
  response: JobResponse;
  transfers: ArrayBuffer[];
}

/** Runs one request against a host's jobs: the response and the buffers to move with it. */
export function handleRequest(jobs: JobTable, req: JobRequest): Reply {
  const job = jobs.get(req.job);
  if (!job) return { response: unknownJob(req.id, String(req.job), jobs.keys()), transfers: [] };
  const response = runJob(job, req);
  if (!response.ok) return { response, transfers: [] };
  try {
    return { response, transfers: [...new Set(job.transfers(response.result))] };
  } catch (e) {
    return { response: errorResponse(req.id, e), transfers: [] };
  }
}

/** Anything with an id gets an answer; a bad job name or cap becomes an error response. */
function hasId(v: unknown): v is JobRequest {
  return typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'number';
}

/** The message loop of a worker that hosts these jobs. */
export function serveJobs(port: HostPort, jobs: readonly AnyJob[]): void {
  const table = jobTable(jobs);
  port.onMessage((msg: unknown) => {
    // Without an id there is no one to answer.
    if (!hasId(msg)) return;
    const { response, transfers } = handleRequest(table, msg);
    try {
      port.postMessage(response satisfies HostMessage, transfers);
    } catch (e) {
      // A result that cannot be cloned: report it instead of dying.
      port.postMessage(errorResponse(msg.id, e) satisfies HostMessage);
    }
  });
  port.postMessage({ ready: true } satisfies HostMessage);
}
