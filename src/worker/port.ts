/**
 * The engine worker as the job client and host see it, whatever runs it: a Node worker thread
 * (nodeWorker.ts) or a Web Worker (webWorker.ts). The client side starts one through a
 * WorkerFactory; the host side answers on a HostPort. Nothing here imports Node or the DOM.
 */
import type { HostMessage } from './jobs';

/** What the client hears from a worker it started. */
export interface WorkerEvents {
  message(msg: HostMessage): void;
  /** The worker failed: a script that did not load, an uncaught error, out of memory. */
  error(err: Error): void;
  /** The worker stopped (Node: its exit code). */
  exit(code: number): void;
}

/** A started worker. */
export interface WorkerHandle {
  /** Throws when the message cannot be cloned. */
  postMessage(msg: unknown): void;
  terminate(): void;
}

/** Starts a worker and wires its events; throws when no worker can be started here. */
export type WorkerFactory = (events: WorkerEvents) => WorkerHandle;

/** The host end of the channel, inside the worker. */
export interface HostPort {
  onMessage(handler: (msg: unknown) => void): void;
  postMessage(msg: HostMessage, transfers?: ArrayBuffer[]): void;
}
