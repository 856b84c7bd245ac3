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
import { kerasModelSource } from '../modelfile';
import { NotebookAnalyses, type NotebookCell } from '../analysis/notebook';
import type { Platform } from '../platform/types';
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
  /** Notebooks: analyzed whole, once per state, through the cache (the options of the last call). */
  private notebookOptions: AnalyzeOptions = {};
  private readonly notebooks = new NotebookAnalyses((key, stamp, text) =>
    this.cache.analyze(key, hashStamp(stamp), text, this.notebookOptions),
  );
  private readonly environments: DiscoveryCache | null;
  private readonly logged = new WeakSet<Discovery>();

  constructor(
    private readonly state: vscode.Memento,
    private settings: () => Settings,
    private readonly interpreters: InterpreterSource | null = null,
    private readonly log: (line: string) => void = () => {},
    /** The disk and environment variables (none in a browser: imports are then not followed). */
    private readonly platform: Pick<Platform, 'files' | 'env'>,
  ) {
    this.environments = platform.files ? new DiscoveryCache(platform.files) : null;
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
    const cell = notebookContext(doc);
    const inputShapes = this.inputShapesFor(cell ? cell.notebook.uri : doc.uri);
    const inputShape = this.settings().defaultInputShape;
    // imports are followed from the file's folder on disk (synchronous reads of small files)
    const owner = cell ? cell.notebook.uri : doc.uri;
    const files = this.platform.files;
    const resolver =
      owner.scheme === 'file' && files
        ? pathResolver(owner.fsPath, this.sitePackagesFor(owner), files, kerasModelSource)
        : undefined;
    const options: AnalyzeOptions = {
      // the analysis runs on the extension host's thread: past the limit it stops and says so
      timeLimit: { seconds: EDITOR_TIME_LIMIT_SECONDS },
      ...(inputShape ? { inputShape } : {}),
      ...(Object.keys(inputShapes).length ? { inputShapes } : {}),
      ...(resolver ? { resolver } : {}),
    };
    return options;
  }

  analyze(doc: vscode.TextDocument): AnalysisResult {
    const cell = notebookContext(doc);
    const options = this.optionsFor(doc);
    if (!cell) return this.cache.analyze(doc.uri.toString(), doc.version, doc.getText(), options);
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
