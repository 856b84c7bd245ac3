/**
 * The engine worker (bundled to dist/worker.js): a worker thread hosting the panel's job and the
 * reading of model files.
 */
import { serveJobs } from '../worker/host';
import { modelFileJob } from './modelFileView';
import { panelJob } from './panelJob';

serveJobs([panelJob, modelFileJob]);
