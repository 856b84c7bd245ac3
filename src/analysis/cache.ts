/**
 * Analysis results cached per document and version, so hovers, inline shapes and diagnostics
 * of one version share a single analysis.
 */
import { analyze, type AnalysisResult, type AnalyzeOptions } from './analyze';
import { ParseCache } from './python/parse';

interface Entry {
  version: number;
  text: string;
  optionsKey: string;
  result: AnalysisResult;
  parse: ParseCache;
}

export class AnalysisCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = 32) {}

  analyze(key: string, version: number, text: string, options: AnalyzeOptions = {}): AnalysisResult {
    const optionsKey = JSON.stringify(options);
    const hit = this.entries.get(key);
    if (hit && hit.version === version && hit.optionsKey === optionsKey && hit.text.length === text.length)
      return hit.result;
    const parse = hit?.parse ?? new ParseCache();
    const result = analyze(text, options, parse);
    this.entries.delete(key);
    this.entries.set(key, { version, text, optionsKey, result, parse });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return result;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
