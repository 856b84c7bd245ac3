/**
 * The engine worker (bundled to dist/worker.js): a worker thread hosting the panel's job.
 */
import { serveJobs } from '../worker/host';
import { panelJob } from './panelJob';

serveJobs([panelJob]);
