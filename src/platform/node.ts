/**
 * The Node extension host: Python sources read from disk, the process environment, the engine
 * in a worker thread (dist/worker.js) with its helper threads.
 */
import { sourceFiles } from '../io/sourceFiles';
import { nodeWorkerFactory } from '../worker/nodeWorker';
import type { Platform } from './types';

export const nodePlatform: Platform = {
  kind: 'node',
  files: sourceFiles,
  env: process.env,
  workerScript: ['dist', 'worker.js'],
  engineWorker: (script, maxHeapMb) => nodeWorkerFactory(script.fsPath, maxHeapMb),
};
