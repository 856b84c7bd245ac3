/**
 * The engine worker under Node (bundled to dist/worker.js): a worker thread hosting the engine
 * jobs (engineJobs.ts), with the engine's helper threads.
 */
import { useNodeZlib } from '../io/nodeZlib';
import { serveNodeJobs } from '../worker/nodeWorker';
import { ENGINE_JOBS } from './engineJobs';

useNodeZlib();
serveNodeJobs(ENGINE_JOBS);
