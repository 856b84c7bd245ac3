/**
 * The engine worker in a browser (bundled to dist/web/worker.js): a Web Worker hosting the engine
 * jobs (engineJobs.ts) on single-threaded SIMD kernels.
 */
import { serveWebJobs } from '../worker/webWorker';
import { ENGINE_JOBS } from './engineJobs';

serveWebJobs(ENGINE_JOBS);
