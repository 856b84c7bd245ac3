/**
 * Worker-thread entry of scripts/corpus-isolate.ts: measures one corpus model
 * (scripts/corpus-compare.ts) and posts the result, so that an analysis exhausting its memory
 * takes down only this thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { measureModel, type TruthModel } from './corpus-compare';

const { model, corpusDir } = workerData as { model: TruthModel; corpusDir: string };
parentPort!.postMessage(measureModel(model, corpusDir));
