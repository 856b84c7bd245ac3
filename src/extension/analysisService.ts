/**
 * One analysis per document version, shared by hovers, inline shapes, diagnostics and the
 * panel. Per-model input shapes (from "Set Input Shape", by file and model name) live in
 * workspace state; the `defaultInputShape` setting applies to files that say nothing. Imports are followed from the
 * file's folder on disk, then into the site-packages of the Python environment found for it
 * (src/analysis/environments.ts: `convlens.pythonPath`, the Python extension's interpreter, a
 * .venv in the workspace, …), found once per folder until a setting or environment changes.
 */
import * as vscode from 'vscode';
import { AnalysisCache } from '../analysis/cache';
import { EDITOR_TIME_LIMIT_SECONDS, type AnalysisResult, type AnalyzeOptions } from '../analysis/analyze';
import { LineMap } from '../analysis/python/lines';
import { DiscoveryCache, type Discovery } from '../analysis/environments';
import { pathResolver } from '../analysis/resolver';
import { sourceFiles } from '../io/sourceFiles';
import { kerasModelSource } from '../modelfile';
import { shiftResult } from '../analysis/shift';
import { chooseLocale, type Settings } from './settings';

/** Per file, per model (a file-wide shape under the old key would override models that declare theirs). */
const INPUT_SHAPES_KEY = 'convlens.modelInputShapes';

/** The interpreter chosen for a file elsewhere (the Python extension), if any. */
export interface InterpreterSource {
  interpreterFor(uri: vscode.Uri): string | null;
}

export class AnalysisService {
  private readonly cache = new AnalysisCache(16);
  private readonly lineMaps = new Map<string, { version: number; map: LineMap }>();
  private readonly shifted = new Map<string, { version: number; result: AnalysisResult }>();
  private readonly environments = new DiscoveryCache(sourceFiles);
  private readonly logged = new WeakSet<Discovery>();

  constructor(
    private readonly state: vscode.Memento,
    private settings: () => Settings,
    private readonly interpreters: InterpreterSource | null = null,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** A setting, the Python extension's environment or the environments on disk changed. */
  environmentsChanged(): void {
    this.environments.clear();
    // the analyses themselves are keyed by their search path (AnalysisCache), notebook cells' by version only
    this.shifted.clear();
  }

  /** The site-packages folders searched for a file's imports, in order. */
  sitePackagesFor(owner: vscode.Uri): string[] {
    const folder = vscode.workspace.getWorkspaceFolder(owner);
    const found = this.environments.get({
      file: owner.fsPath,
      root: folder && folder.uri.scheme === 'file' ? folder.uri.fsPath : null,
      pythonPath: this.settings().pythonPath,
      interpreter: this.interpreters?.interpreterFor(owner) ?? null,
      env: process.env,
    });
    if (!this.logged.has(found)) {
      this.logged.add(found);
      const where = vscode.Uri.joinPath(owner, '..').fsPath;
      for (const n of found.notes) this.log(`convlens.pythonPath: ${n}`);
      this.log(
        found.sitePackages.length
          ? `Packages imported by files in ${where} are read from: ${found.sitePackages.map((s) => `${s.path} (${s.source})`).join(', ')}`
          : `No Python environment found for ${where}: set convlens.pythonPath, or choose an interpreter with the Python extension`,
      );
    }
    return found.sitePackages.map((s) => s.path);
  }

  /** The input shapes the user set on single models of a file ("Set Input Shape"), by model name. */
  inputShapesFor(uri: vscode.Uri): Record<string, number[]> {
    const own = this.state.get<Record<string, Record<string, number[]>>>(INPUT_SHAPES_KEY, {})[uri.toString()];
    if (!own || typeof own !== 'object' || Array.isArray(own)) return {};
    return Object.fromEntries(Object.entries(own).filter(([, v]) => Array.isArray(v)));
  }

  async setInputShape(uri: vscode.Uri, model: string, shape: number[] | null): Promise<void> {
    const all = { ...this.state.get<Record<string, Record<string, number[]>>>(INPUT_SHAPES_KEY, {}) };
    const own = { ...this.inputShapesFor(uri) };
    if (shape) own[model] = shape;
    else delete own[model];
    if (Object.keys(own).length) all[uri.toString()] = own;
    else delete all[uri.toString()];
    await this.state.update(INPUT_SHAPES_KEY, all);
  }

  analyze(doc: vscode.TextDocument): AnalysisResult {
    const cell = notebookContext(doc);
    const inputShapes = this.inputShapesFor(cell ? cell.notebook.uri : doc.uri);
    const inputShape = this.settings().defaultInputShape;
    // imports are followed from the file's folder on disk (synchronous reads of small files)
    const owner = cell ? cell.notebook.uri : doc.uri;
    const resolver =
      owner.scheme === 'file'
        ? pathResolver(owner.fsPath, this.sitePackagesFor(owner), sourceFiles, kerasModelSource)
        : undefined;
    const options: AnalyzeOptions = {
      // the analysis runs on the extension host's thread: past the limit it stops and says so
      timeLimit: { seconds: EDITOR_TIME_LIMIT_SECONDS },
      ...(inputShape ? { inputShape } : {}),
      ...(Object.keys(inputShapes).length ? { inputShapes } : {}),
      ...(resolver ? { resolver } : {}),
    };
    if (!cell) return this.cache.analyze(doc.uri.toString(), doc.version, doc.getText(), options);
    // A notebook cell sees the code cells above it, as when the notebook runs top to bottom;
    // ranges come back relative to this cell (negative: an earlier cell).
    const key = `${cell.notebook.uri.toString()}#${cell.index}`;
    const version = cell.notebook.version * 1_000_003 + doc.version;
    const hit = this.shifted.get(key);
    if (hit && hit.version === version) return hit.result;
    const result = shiftResult(this.cache.analyze(key, version, cell.text, options), cell.base);
    this.shifted.set(key, { version, result });
    return result;
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

/**
 * The language of everything ConvLens writes itself (hovers, diagnostics, inline shapes, the
 * panel, the status bar, the summary): the `convlens.language` setting, or VS Code's display
 * language when it is 'auto'. Read on each use, so a change applies at the next refresh.
 */
export function locale(): 'en' | 'ko' {
  return chooseLocale(vscode.workspace.getConfiguration('convlens').get('language'), vscode.env.language);
}

/** For a notebook cell: the concatenated code of the cells up to it, and where this cell starts. */
function notebookContext(
  doc: vscode.TextDocument,
): { notebook: vscode.NotebookDocument; index: number; text: string; base: number } | null {
  if (doc.uri.scheme !== 'vscode-notebook-cell') return null;
  for (const nb of vscode.workspace.notebookDocuments) {
    const cells = nb
      .getCells()
      .filter((c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === 'python');
    const index = cells.findIndex((c) => c.document === doc);
    if (index < 0) continue;
    const before = cells.slice(0, index).map((c) => c.document.getText());
    const base = before.reduce((a, t) => a + t.length + 1, 0);
    return { notebook: nb, index, text: [...before, doc.getText()].join('\n'), base };
  }
  return null;
}
