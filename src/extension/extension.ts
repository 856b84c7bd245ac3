/**
 * Activation, the same on every extension host: the entry points (node.ts for the Node extension
 * host, web.ts for the web worker extension host) call activateWith with their platform
 * (src/platform). It only wires things together: the analyzer runs when a Python document is
 * first analyzed, and the engine worker starts with the first panel request.
 */
import * as vscode from 'vscode';
import { setMaxElements } from '../engine/tensor';
import type { Platform } from '../platform/types';
import { JobClient } from '../worker/client';
import { decodeInput, imageJob } from '../present/imageJob';
import { clearActivations, panelForgetJob, panelJob } from '../present/panelJob';
import { AnalysisService } from './analysisService';
import type { AnalysisThread } from './analysisThread';
import { COMMANDS, noteActiveEditor, type CommandContext, type CommandId } from './commands';
import { engineScript } from './engineScript';
import { ExplorerController, type ViewRunner } from './explorer/controller';
import { LanguageFeatures } from './languageFeatures';
import { MODEL_FILE_EDITOR, ModelFileEditors } from './modelFileEditor';
import { PythonInterpreters } from './pythonEnvironment';
import { readSettings, type Settings } from './settings';
import { SUMMARY_SCHEME, SummaryDocuments } from './summaryDocument';
import { EXAMPLE_SCHEME, ExampleFileSystem, walkthroughStepDone, WALKTHROUGH_CONTEXT } from './examples';

export const EXPLORER_VIEW_ID = 'convlens.explorerView';
export const EXPLORER_PANEL_TYPE = 'convlens.explorer';
export const START_VIEW_ID = 'convlens.startView';

function viewRunner(
  context: vscode.ExtensionContext,
  settings: () => Settings,
  platform: Platform,
): ViewRunner & vscode.Disposable {
  let client: JobClient | null = null;
  const newClient = () =>
    new JobClient({
      spawn: platform.engineWorker(engineScript(context.extensionUri, platform), 2048),
      jobs: [panelJob, panelForgetJob, imageJob],
    });
  return {
    run: (req, key) => {
      if (settings().workerThreads === 0) return new Promise((resolve) => resolve(panelJob.run(req)));
      client ??= newClient();
      return client.run(panelJob, req, key);
    },
    decode: (req) => {
      if (settings().workerThreads === 0) return Promise.resolve(decodeInput(req));
      client ??= newClient();
      return client.run(imageJob, req);
    },
    forget: () => {
      clearActivations();
      void client?.run(panelForgetJob, null).catch(() => undefined);
    },
    dispose: () => client?.dispose(),
  };
}

/**
 * Activates ConvLens on a platform. `analysisThread` starts the thread the editor's analyses
 * run in (Node); without one (a browser) they run in-process under their own time limit.
 */
export function activateWith(
  context: vscode.ExtensionContext,
  platform: Platform,
  analysisThread: ((distDir: string) => AnalysisThread) | null = null,
): void {
  let settings = readSettings(vscode.workspace.getConfiguration('convlens'));
  setMaxElements(settings.maxElements);
  const getSettings = () => settings;
  const log = vscode.window.createOutputChannel('ConvLens');
  if (!platform.files)
    log.appendLine(
      'Imports of other files and packages are not followed here: this extension host has no disk to read them from while a file is analyzed.',
    );
  const interpreters = new PythonInterpreters();
  const analysis = new AnalysisService(
    context.workspaceState,
    getSettings,
    interpreters,
    (line) => log.appendLine(line),
    platform,
    analysisThread ? () => analysisThread(vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath) : null,
  );
  const features = new LanguageFeatures(analysis, getSettings);
  // where imported packages are read from changed: find the environments again, re-analyze
  const environmentsChanged = () => {
    analysis.environmentsChanged();
    features.refresh();
  };
  const venvs = vscode.workspace.createFileSystemWatcher(
    '**/{.venv,venv,env,.env}/{pyvenv.cfg,conda-meta}',
    false,
    true,
    false,
  );
  const runner = viewRunner(context, getSettings, platform);
  const explorer = new ExplorerController(context.extensionUri, analysis, getSettings, runner);
  const summaries = new SummaryDocuments(analysis);
  const modelFiles = new ModelFileEditors(context.extensionUri, explorer, getSettings, platform);
  features.onHoverLayer = (doc, offset) => {
    walkthroughStepDone(WALKTHROUGH_CONTEXT.hovered);
    explorer.preview(doc, offset);
  };
  explorer.onInputDrawn = () => walkthroughStepDone(WALKTHROUGH_CONTEXT.drawn);
  const examples = new ExampleFileSystem(context.extensionUri);
  features.hiddenOutput = (uri, name) => explorer.hiddenOutputHover(uri, name);
  explorer.onOutputHiddenChanged = () => features.refresh();
  noteActiveEditor(vscode.window.activeTextEditor);
  const ctx: CommandContext = {
    extensionUri: context.extensionUri,
    analysis,
    explorer,
    features,
    settings: getSettings,
    log,
  };
  for (const id of Object.keys(COMMANDS) as CommandId[]) {
    const handler = COMMANDS[id] as (c: CommandContext, ...args: unknown[]) => unknown;
    context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => handler(ctx, ...args)));
  }
  context.subscriptions.push(
    { dispose: () => analysis.dispose() },
    log,
    interpreters,
    interpreters.onDidChange(environmentsChanged),
    venvs,
    venvs.onDidCreate(environmentsChanged),
    venvs.onDidDelete(environmentsChanged),
    features,
    runner,
    explorer,
    summaries,
    vscode.workspace.registerTextDocumentContentProvider(SUMMARY_SCHEME, summaries),
    vscode.window.onDidChangeActiveTextEditor(noteActiveEditor),
    examples,
    vscode.workspace.registerFileSystemProvider(EXAMPLE_SCHEME, examples, { isReadonly: true, isCaseSensitive: true }),
    // the side bar's "Get Started" view: always empty, so VS Code shows its buttons (viewsWelcome)
    vscode.window.createTreeView(START_VIEW_ID, {
      treeDataProvider: { getChildren: () => [], getTreeItem: (x: vscode.TreeItem) => x },
    }),
    vscode.workspace.onDidChangeTextDocument((e) => summaries.update(e.document.uri)),
    // a closed notebook's analysis and its cells' results are dropped
    vscode.workspace.onDidCloseNotebookDocument((nb) => analysis.forgetNotebook(nb.uri)),
    vscode.window.registerWebviewViewProvider(EXPLORER_VIEW_ID, {
      resolveWebviewView: (view) => explorer.resolveView(view),
    }),
    modelFiles,
    vscode.window.registerCustomEditorProvider(MODEL_FILE_EDITOR, modelFiles, {
      supportsMultipleEditorsPerDocument: true,
    }),
    vscode.window.registerWebviewPanelSerializer(EXPLORER_PANEL_TYPE, {
      deserializeWebviewPanel: async (panel) => explorer.adoptPanel(panel),
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('python.defaultInterpreterPath') && !e.affectsConfiguration('convlens'))
        environmentsChanged();
      if (!e.affectsConfiguration('convlens')) return;
      if (e.affectsConfiguration('convlens.pythonPath')) analysis.environmentsChanged();
      settings = readSettings(vscode.workspace.getConfiguration('convlens'));
      setMaxElements(settings.maxElements);
      features.refresh();
      explorer.onSettingsChanged();
    }),
  );
}
