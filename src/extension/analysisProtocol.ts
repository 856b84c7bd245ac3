/**
 * Messages between the editor's analysis client (analysisClient.ts) and the thread that runs
 * the analyses (analysisWorker.ts). Everything here is plain data (structured-clone safe): the
 * options a document is analyzed with are sent as values, and the thread rebuilds the resolver
 * from the file's path and its site-packages folders.
 */
import type { AnalysisResult, AnalyzeOptions } from '../analysis/analyze';
import { pathResolver } from '../analysis/resolver';
import type { SourceFileSystem } from '../platform/types';
import { kerasModelSource } from '../modelfile';

/** The analysis options of one document, as values. */
export interface WireOptions {
  inputShape?: number[];
  inputShapes?: Record<string, number[]>;
  /** Imports are followed from this file's folder, then these site-packages folders. */
  resolver?: { file: string; sitePackages: string[] };
  /** The in-thread budget: past it the analysis stops and says so (the first line of defence). */
  timeLimitSeconds: number;
}

export type AnalysisRequest =
  | { kind: 'analyze'; id: number; key: string; version: number; text: string; options: WireOptions }
  | { kind: 'forget'; key: string };

export type AnalysisReply =
  | { id: number; result: AnalysisResult }
  | { id: number; error: string }
  /** Sent once when the thread listens: a thread that stops before it never ran (a missing script). */
  | { ready: true };

/** Analysis options from their values: the resolver over the files on disk (none without a disk). */
export function analyzeOptions(w: WireOptions, files: SourceFileSystem | null): AnalyzeOptions {
  return {
    timeLimit: { seconds: w.timeLimitSeconds },
    ...(w.inputShape ? { inputShape: w.inputShape } : {}),
    ...(w.inputShapes ? { inputShapes: w.inputShapes } : {}),
    ...(w.resolver && files
      ? { resolver: pathResolver(w.resolver.file, w.resolver.sitePackages, files, kerasModelSource) }
      : {}),
  };
}
