/**
 * The jobs the engine worker hosts (worker.ts under Node, webWorker.ts in a browser): a layer's
 * view for the panel, forgetting the activations it keeps, decoding the input image, and
 * reading model files.
 */
import type { AnyJob } from '../worker/jobs';
import { imageJob } from './imageJob';
import { modelFileJob } from './modelFileView';
import { panelForgetJob, panelJob } from './panelJob';

export const ENGINE_JOBS: readonly AnyJob[] = [panelJob, panelForgetJob, modelFileJob, imageJob];
