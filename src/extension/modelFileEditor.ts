/**
 * The read-only editor of model files (.keras, .h5, .onnx): VS Code opens a file of these types
 * here instead of as binary. The file is read through vscode.workspace.fs and parsed in a worker
 * thread (present/modelFileView.ts, job 'modelfile.read') while the editor shows progress; the
 * editor then shows the summary table with the weights of every layer, and a selected row opens
 * that layer in the ConvLens Explorer beside it, with the file's trained weights. The webview is
 * webview/modelfile/main.ts; messages are checked both ways (shared/modelFileProtocol.ts).
 */
import * as vscode from 'vscode';
import { loadModelFile, modelFileJob, modelFileSummary, type LoadedModelFile } from '../present/modelFileView';
import {
  isModelFileToHost,
  type HostToModelFile,
  type ModelFileState,
  type ModelFileToHost,
} from '../shared/modelFileProtocol';
import type { Platform } from '../platform/types';
import { JobClient } from '../worker/client';
import { locale } from './analysisService';
import { engineScript } from './engineScript';
import type { ExplorerController, FileModel } from './explorer/controller';
import type { Settings } from './settings';
import { webviewHtml } from './webviewHtml';

export const MODEL_FILE_EDITOR = 'convlens.modelFile';

/** Largest model file opened (a VGG16 .keras is 528 MB). */
const MAX_MODEL_FILE_BYTES = 1024 * 1024 * 1024;

class ModelFileDocument implements vscode.CustomDocument {
  loaded: LoadedModelFile | null = null;
  error: string | null = null;
  selected = 0;
  file: FileModel | null = null;
  ready: Promise<void>;
  private readonly panels = new Set<vscode.WebviewPanel>();
  private readonly watcher: vscode.FileSystemWatcher | null;

  constructor(
    readonly uri: vscode.Uri,
    private readonly load: (doc: ModelFileDocument) => Promise<void>,
    private readonly onDispose: (doc: ModelFileDocument) => void,
    onReloaded: (doc: ModelFileDocument) => void,
  ) {
    this.ready = load(this);
    // saved again (a new training run): read it again, as a text editor shows the new text
    const dir = vscode.Uri.joinPath(uri, '..');
    this.watcher =
      uri.scheme === 'file'
        ? vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, this.name), true, false, true)
        : null;
    this.watcher?.onDidChange(() => {
      this.loaded = null;
      this.error = null;
      this.file = null;
      this.post();
      this.ready = this.load(this).then(() => {
        this.post();
        onReloaded(this);
      });
    });
  }

  get name(): string {
    return this.uri.path.split('/').pop() ?? this.uri.path;
  }

  addPanel(panel: vscode.WebviewPanel): void {
    this.panels.add(panel);
    panel.onDidDispose(() => this.panels.delete(panel));
  }

  state(): ModelFileState {
    if (this.error !== null) return { kind: 'error', file: this.name, message: this.error };
    if (!this.loaded) return { kind: 'loading', file: this.name, text: '' };
    return modelFileSummary(this.loaded, this.name, this.selected, locale());
  }

  post(): void {
    const msg: HostToModelFile = { type: 'state', state: this.state(), locale: locale() };
    for (const p of this.panels) void p.webview.postMessage(msg);
  }

  dispose(): void {
    this.watcher?.dispose();
    this.onDispose(this);
  }
}

export class ModelFileEditors implements vscode.CustomReadonlyEditorProvider<ModelFileDocument>, vscode.Disposable {
  private client: JobClient | null = null;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly explorer: ExplorerController,
    private readonly settings: () => Settings,
    private readonly platform: Platform,
  ) {}

  openCustomDocument(uri: vscode.Uri): ModelFileDocument {
    return new ModelFileDocument(
      uri,
      (doc) => this.load(doc),
      (doc) => this.explorer.forgetFile(doc.uri),
      (doc) => {
        if (this.explorer.showsFile(doc.uri)) this.showLayer(doc);
      },
    );
  }

  resolveCustomEditor(doc: ModelFileDocument, panel: vscode.WebviewPanel): void {
    const webview = panel.webview;
    webview.options = {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(this.extensionUri, 'dist'),
        vscode.Uri.joinPath(this.extensionUri, 'media'),
      ],
    };
    webview.html = webviewHtml(webview, this.extensionUri, locale(), 'modelfile.js');
    doc.addPanel(panel);
    webview.onDidReceiveMessage((m: unknown) => {
      if (isModelFileToHost(m)) void this.onMessage(doc, m);
    });
    void doc.ready.then(() => doc.post());
  }

  private async onMessage(doc: ModelFileDocument, msg: ModelFileToHost): Promise<void> {
    switch (msg.type) {
      case 'ready':
        doc.post();
        break;
      case 'selectLayer':
        doc.selected = msg.index;
        this.showLayer(doc);
        break;
      case 'openExplorer':
        this.showLayer(doc);
        break;
      case 'showSource': {
        const source = doc.loaded?.file.source;
        if (source === undefined) return;
        const text = await vscode.workspace.openTextDocument({ language: 'python', content: source });
        await vscode.window.showTextDocument(text, { viewColumn: vscode.ViewColumn.Beside, preview: true });
        break;
      }
    }
  }

  /** The selected row's layer in the explorer panel, with the file's weights. */
  private showLayer(doc: ModelFileDocument): void {
    const loaded = doc.loaded;
    const graph = loaded?.file.graph;
    if (!loaded || !graph || !loaded.match || graph.layers.length === 0) return;
    doc.file ??= {
      graph,
      diagnostics: loaded.file.diagnostics,
      format: modelFileSummary(loaded, doc.name, 0, locale()).format,
      reveal: (index) => {
        doc.selected = index;
        doc.post();
      },
    };
    this.explorer.showFileLayer(doc.uri, doc.file, loaded.match, doc.name, doc.selected);
  }

  /** Reads the file and parses it off the extension host's thread, with progress. */
  private async load(doc: ModelFileDocument): Promise<void> {
    await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Window,
        title: vscode.l10n.t('ConvLens: reading {0}', doc.name),
      },
      async () => {
        try {
          const stat = await vscode.workspace.fs.stat(doc.uri);
          if (stat.size > MAX_MODEL_FILE_BYTES) {
            doc.error = vscode.l10n.t(
              '{0}: {1} MB is over the {2} MB limit for model files',
              doc.name,
              String(Math.round(stat.size / 1048576)),
              String(MAX_MODEL_FILE_BYTES / 1048576),
            );
            return;
          }
          const bytes = await vscode.workspace.fs.readFile(doc.uri);
          const req = { bytes, name: doc.name, inputShape: null };
          const res =
            this.settings().workerThreads === 0
              ? loadModelFile(req)
              : await this.jobs().run(modelFileJob, req, doc.uri.toString());
          if (res.ok) {
            doc.loaded = res.loaded;
            // start on the first layer with weights (a functional model's first row is its input)
            doc.selected = res.loaded.stats[0]?.[0] ?? 0;
          } else doc.error = res.message;
        } catch (e) {
          doc.error = `${doc.name}: ${e instanceof Error ? e.message : String(e)}`;
        }
      },
    );
  }

  private jobs(): JobClient {
    this.client ??= new JobClient({
      spawn: this.platform.engineWorker(engineScript(this.extensionUri, this.platform), 4096),
      jobs: [modelFileJob],
    });
    return this.client;
  }

  dispose(): void {
    this.client?.dispose();
  }
}
