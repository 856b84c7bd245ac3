/**
 * The analysis thread: runs the editor's analyses off the extension host's main thread, one at a
 * time, keeping one parse per document between versions (AnalysisCache) so an edit re-parses only
 * what changed. Bundled as dist/analysisWorker.js; started by analysisThread.ts.
 */
import { parentPort } from 'node:worker_threads';
import { AnalysisCache } from '../analysis/cache';
import { sourceFiles } from '../io/sourceFiles';
import { analyzeOptions, type AnalysisReply, type AnalysisRequest } from './analysisProtocol';

const cache = new AnalysisCache(16);

parentPort?.on('message', (m: AnalysisRequest) => {
  if (m.kind === 'forget') {
    cache.forget(m.key);
    return;
  }
  let reply: AnalysisReply;
  try {
    reply = { id: m.id, result: cache.analyze(m.key, m.version, m.text, analyzeOptions(m.options, sourceFiles)) };
  } catch (e) {
    reply = { id: m.id, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply);
});
parentPort?.postMessage({ ready: true } satisfies AnalysisReply);
