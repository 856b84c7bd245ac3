/**
 * One analysis per document version, shared by hovers, inline shapes, diagnostics and the
 * panel. Per-document input shapes (from "Set Input Shape") live in workspace state; the
 * `defaultInputShape` setting applies to files that say nothing.
 */
import * as vscode from 'vscode';
import { AnalysisCache } from '../analysis/cache';
import type { AnalysisResult } from '../analysis/analyze';
import { LineMap } from '../analysis/positions';
import type { Settings } from './settings';

const INPUT_SHAPES_KEY = 'convlens.inputShapes';

export class AnalysisService {
  private readonly cache = new AnalysisCache(16);
  private readonly lineMaps = new Map<string, { version: number; map: LineMap }>();

  constructor(
    private readonly state: vscode.Memento,
    private settings: () => Settings,
  ) {}

  inputShapeFor(uri: vscode.Uri): number[] | null {
    const map = this.state.get<Record<string, number[]>>(INPUT_SHAPES_KEY, {});
    const own = map[uri.toString()];
    return Array.isArray(own) ? own : this.settings().defaultInputShape;
  }

  async setInputShape(uri: vscode.Uri, shape: number[] | null): Promise<void> {
    const map = { ...this.state.get<Record<string, number[]>>(INPUT_SHAPES_KEY, {}) };
    if (shape) map[uri.toString()] = shape;
    else delete map[uri.toString()];
    await this.state.update(INPUT_SHAPES_KEY, map);
  }

  analyze(doc: vscode.TextDocument): AnalysisResult {
    const inputShape = this.inputShapeFor(doc.uri);
    return this.cache.analyze(doc.uri.toString(), doc.version, doc.getText(), inputShape ? { inputShape } : {});
  }

  lines(doc: vscode.TextDocument): LineMap {
    const key = doc.uri.toString();
    const hit = this.lineMaps.get(key);
    if (hit && hit.version === doc.version) return hit.map;
    const map = new LineMap(doc.getText());
    this.lineMaps.set(key, { version: doc.version, map });
    return map;
  }

  range(doc: vscode.TextDocument, r: { from: number; to: number }): vscode.Range {
    return new vscode.Range(doc.positionAt(r.from), doc.positionAt(r.to));
  }

  forget(doc: vscode.TextDocument): void {
    this.cache.forget(doc.uri.toString());
    this.lineMaps.delete(doc.uri.toString());
  }
}

export function isPython(doc: vscode.TextDocument | undefined): doc is vscode.TextDocument {
  return !!doc && (doc.languageId === 'python' || doc.uri.path.endsWith('.py'));
}

export function locale(): 'en' | 'ko' {
  return vscode.env.language.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}
