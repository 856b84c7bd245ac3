/**
 * The engine worker (bundled to dist/worker.js): a worker thread hosting the panel's jobs (a
 * layer's view; forgetting the activations it keeps), decoding the input image, and the reading
 * of model files.
 */
import { serveJobs } from '../worker/host';
import { imageJob } from './imageJob';
import { modelFileJob } from './modelFileView';
import { panelForgetJob, panelJob } from './panelJob';

serveJobs([panelJob, panelForgetJob, modelFileJob, imageJob]);
