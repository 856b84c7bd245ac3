/**
 * The web worker extension host (vscode.dev, github.dev, browser-hosted VS Code): no disk to read
 * synchronously and no environment variables; the engine in a Web Worker (dist/web/worker.js)
 * on single-threaded SIMD kernels (started from the bundle's bytes where VS Code refuses the
 * extension's URL). Where no Web Worker can be started, the job client runs the jobs on the
 * extension host's thread.
 */
import { webWorkerFactory } from '../worker/webWorker';
import type { Platform } from './types';

export const webPlatform: Platform = {
  kind: 'web',
  files: null,
  env: {},
  workerScript: ['dist', 'web', 'worker.js'],
  engineWorker: (script) => webWorkerFactory(script.url, () => script.read()),
};
