/**
 * The engine worker under Node (bundled to dist/worker.js): a worker thread hosting the engine
 * jobs (engineJobs.ts), with the engine's helper threads.
 */
import { serveNodeJobs } from '../worker/nodeWorker';
import { ENGINE_JOBS } from './engineJobs';

serveNodeJobs(ENGINE_JOBS);
