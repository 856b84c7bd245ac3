/**
 * One analysis per document version, shared by hovers, inline shapes, diagnostics and the
 * panel. Per-model input shapes (from "Set Input Shape", by file and model name) live in
 * workspace state; the `defaultInputShape` setting applies to files that say nothing. Imports are followed from the
 * file's folder on disk, then into the site-packages of the Python environment found for it
 * (src/analysis/environments.ts: `convlens.pythonPath`, the Python extension's interpreter, a
 * .venv in the workspace, …), found once per folder until a setting or environment changes.
 * Files are analyzed in a thread of their own (analysisClient.ts) with a wall-clock deadline, so
 * a file that would keep the analyzer busy never blocks the extension host; what the thread
 * returned for a document version also answers the synchronous callers (commands, the panel).
 */
import * as vscode from 'vscode';
import { AnalysisCache } from '../analysis/cache';
import { EDITOR_TIME_LIMIT_SECONDS, type AnalysisResult, type AnalyzeOptions } from '../analysis/analyze';
import { LineMap } from '../analysis/python/lines';
import { DiscoveryCache, type Discovery } from '../analysis/environments';
import { NotebookAnalyses, type NotebookCell } from '../analysis/notebook';
import type { Platform } from '../platform/types';
import { chooseLocale, type Settings } from './settings';
import { AnalysisClient } from './analysisClient';
import { analyzeOptions, type WireOptions } from './analysisProtocol';
import type { AnalysisThread } from './analysisThread';

/** Wall-clock deadline of a threaded analysis: the in-thread limit, and time to say so. */
export const ANALYSIS_DEADLINE_MS = (EDITOR_TIME_LIMIT_SECONDS + 2) * 1000;

/** Per file, per model (a file-wide shape under the old key would override models that declare theirs). */
const INPUT_SHAPES_KEY = 'convlens.modelInputShapes';

/** The interpreter chosen for a file elsewhere (the Python extension), if any. */
export interface InterpreterSource {
  interpreterFor(uri: vscode.Uri): string | null;
}

export class AnalysisService {
  private readonly cache = new AnalysisCache(16);
  private readonly lineMaps = new Map<string, { version: number; map: LineMap }>();
  /** Notebooks: analyzed whole, once per state, through the cache (the options of the last call). */
  private notebookOptions: AnalyzeOptions = {};
  private readonly notebooks = new NotebookAnalyses((key, stamp, text) =>
    this.cache.analyze(key, hashStamp(stamp), text, this.notebookOptions),
  );
  private readonly environments: DiscoveryCache | null;
  private readonly logged = new WeakSet<Discovery>();
  /** The analysis thread (null: analyses run in-process). */
  private readonly client: AnalysisClient | null;
  /** What the thread returned, per document: its version and options. */
  private readonly threaded = new Map<string, { version: number; optionsKey: string; result: AnalysisResult }>();
  private readonly running = new Map<
    string,
    { version: number; optionsKey: string; promise: Promise<AnalysisResult> }
  >();

  constructor(
    private readonly state: vscode.Memento,
    private settings: () => Settings,
    private readonly interpreters: InterpreterSource | null = null,
    private readonly log: (line: string) => void = () => {},
    /** The disk and environment variables (none in a browser: imports are then not followed). */
    private readonly platform: Pick<Platform, 'files' | 'env'>,
    /** Starts the analysis thread (null: analyses run in-process, as in a browser). */
    startThread: (() => AnalysisThread) | null = null,
  ) {
    this.environments = platform.files ? new DiscoveryCache(platform.files) : null;
    const files = platform.files;
    this.client = startThread
      ? new AnalysisClient(startThread, ANALYSIS_DEADLINE_MS, (key, version, text, o) =>
          this.cache.analyze(key, version, text, analyzeOptions(o, files)),
        )
      : null;
  }

  /** A setting, the Python extension's environment or the environments on disk changed. */
  environmentsChanged(): void {
    this.environments?.clear();
    // the analyses themselves are keyed by their search path (AnalysisCache), notebooks' by their state only
    this.notebooks.clear();
  }

  /** The site-packages folders searched for a file's imports, in order. */
  sitePackagesFor(owner: vscode.Uri): string[] {
    if (!this.environments) return [];
    const folder = vscode.workspace.getWorkspaceFolder(owner);
    const found = this.environments.get({
      file: owner.fsPath,
      root: folder && folder.uri.scheme === 'file' ? folder.uri.fsPath : null,
      pythonPath: this.settings().pythonPath,
      interpreter: this.interpreters?.interpreterFor(owner) ?? null,
      env: this.platform.env,
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

  /**
   * The options a document is analyzed with: its models' input shapes, the default shape, the
   * resolver of its folder and site-packages, the time limit. Re-analyses of edited or re-shaped
   * text (what-if previews, a 1-D model's default length) use the same ones.
   */
  optionsFor(doc: vscode.TextDocument): AnalyzeOptions {
    return analyzeOptions(this.wireOptionsFor(doc), this.platform.files);
  }

  /** The same options as values (what the analysis thread is sent). */
  private wireOptionsFor(doc: vscode.TextDocument): WireOptions {
    const cell = notebookContext(doc);
    const inputShapes = this.inputShapesFor(cell ? cell.notebook.uri : doc.uri);
    const inputShape = this.settings().defaultInputShape;
    // imports are followed from the file's folder on disk (synchronous reads of small files)
    const owner = cell ? cell.notebook.uri : doc.uri;
    return {
      // past the limit the analysis stops and says so
      timeLimitSeconds: EDITOR_TIME_LIMIT_SECONDS,
      ...(inputShape ? { inputShape } : {}),
      ...(Object.keys(inputShapes).length ? { inputShapes } : {}),
      ...(owner.scheme === 'file' && this.platform.files
        ? { resolver: { file: owner.fsPath, sitePackages: this.sitePackagesFor(owner) } }
        : {}),
    };
  }

  /**
   * A document's analysis from the analysis thread (hovers, inline shapes, diagnostics, the
   * status bar): once per version and options. Notebooks are analyzed in-process (all cells at once).
   */
  analyzeAsync(doc: vscode.TextDocument): Promise<AnalysisResult> {
    if (!this.client || notebookContext(doc)) return Promise.resolve(this.analyze(doc));
    const key = doc.uri.toString();
    const options = this.wireOptionsFor(doc);
    const optionsKey = JSON.stringify(options);
    const hit = this.threaded.get(key);
    if (hit && hit.version === doc.version && hit.optionsKey === optionsKey) return Promise.resolve(hit.result);
    const run = this.running.get(key);
    if (run && run.version === doc.version && run.optionsKey === optionsKey) return run.promise;
    const version = doc.version;
    const promise = this.client.analyze(key, version, doc.getText(), options).then((result) => {
      if (this.running.get(key)?.promise === promise) this.running.delete(key);
      if (!doc.isClosed) this.threaded.set(key, { version, optionsKey, result });
      return result;
    });
    this.running.set(key, { version, optionsKey, promise });
    return promise;
  }

  /** A document's analysis now: the thread's result for this version if there is one, else in-process. */
  analyze(doc: vscode.TextDocument): AnalysisResult {
    const cell = notebookContext(doc);
    const wire = this.wireOptionsFor(doc);
    const options = analyzeOptions(wire, this.platform.files);
    if (!cell) {
      const hit = this.threaded.get(doc.uri.toString());
      if (hit && hit.version === doc.version && hit.optionsKey === JSON.stringify(wire)) return hit.result;
      return this.cache.analyze(doc.uri.toString(), doc.version, doc.getText(), options);
    }
    // A notebook's code cells are analyzed together, once per state of the notebook (as after Run
    // All); ranges come back relative to this cell (negative: an earlier cell).
    this.notebookOptions = options;
    return this.notebooks.cell(cell.notebook.uri.toString(), cell.cells, cell.index, JSON.stringify(options));
  }

  /** A notebook was closed: its analysis and its cells' results are dropped. */
  forgetNotebook(uri: vscode.Uri): void {
    this.notebooks.forget(uri.toString());
    this.cache.forget(uri.toString());
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
    const key = doc.uri.toString();
    this.cache.forget(key);
    this.lineMaps.delete(key);
    this.threaded.delete(key);
    this.running.delete(key);
    this.client?.forget(key);
  }

  dispose(): void {
    this.client?.dispose();
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

/** For a notebook cell: its notebook's Python code cells and its index among them. */
function notebookContext(
  doc: vscode.TextDocument,
): { notebook: vscode.NotebookDocument; index: number; cells: NotebookCell[] } | null {
  if (doc.uri.scheme !== 'vscode-notebook-cell') return null;
  for (const nb of vscode.workspace.notebookDocuments) {
    const code = nb
      .getCells()
      .filter((c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === 'python');
    const index = code.findIndex((c) => c.document === doc);
    if (index < 0) continue;
    // a cell's text is read only when the notebook's state changed (cells and their versions)
    const cells = code.map((c) => ({
      id: c.document.uri.fragment,
      version: c.document.version,
      get text() {
        return c.document.getText();
      },
    }));
    return { notebook: nb, index, cells };
  }
  return null;
}

/** The cache's version number of a notebook state. */
function hashStamp(stamp: string): number {
  let h = 0;
  for (let i = 0; i < stamp.length; i++) h = (Math.imul(h, 31) + stamp.charCodeAt(i)) | 0;
  return h;
}
