/**
 * Command ids and their handlers: plain functions over a small context object. The ids listed
 * here and the ones contributed in package.json are checked to be the same by a unit test.
 * Every command does something sensible without a Python editor or a model: a message.
 */
import * as vscode from 'vscode';
import { summaryText } from '../present/summary';
import { InputError } from '../io/errors';
import { encodePng } from '../io/png';
import { nonFiniteWarnings } from '../io/weightCheck';
import { loadWeights } from '../io/weights';
import { matchWeights } from '../runtime/weights';
import { viewImage, viewSvg } from '../present/featureMaps';
import { fontDraws } from '../present/font5x7';
import { featureMapFileName } from '../present/exportName';
import { modelAt } from '../present/notation';
import { AnalysisService, isPython, locale } from './analysisService';
import type { ExplorerController } from './explorer/controller';
import { SAMPLES } from './explorer/state';
import type { LanguageFeatures } from './languageFeatures';
import { parseShapeSetting, type Settings } from './settings';
import { SUMMARY_SCHEME } from './summaryDocument';
import { activePythonCode, ownerUri } from './notebooks';
import { openExample, shippedWeights, walkthroughStepDone, WALKTHROUGH_CONTEXT, WALKTHROUGH_ID } from './examples';

export interface CommandContext {
  extensionUri: vscode.Uri;
  analysis: AnalysisService;
  explorer: ExplorerController;
  features: LanguageFeatures;
  settings: () => Settings;
  log: vscode.OutputChannel;
}

/** The active Python editor; else (a walkthrough or a panel has the focus) the one visible Python editor. */
function pythonEditor(): vscode.TextEditor | undefined {
  const e = vscode.window.activeTextEditor;
  if (e) return isPython(e.document) ? e : undefined;
  const visible = vscode.window.visibleTextEditors.filter((v) => isPython(v.document));
  return visible.length === 1 ? visible[0] : undefined;
}

/**
 * The Python code at hand: a Python editor, a notebook cell being edited, a notebook's selected
 * cell (or the cell whose menu ran the command); else the one visible Python editor.
 */
function activePython(arg?: unknown): { document: vscode.TextDocument; offset: number } | undefined {
  const code = activePythonCode(isPython, arg);
  if (code) return code;
  const e = pythonEditor();
  return e ? { document: e.document, offset: e.document.offsetAt(e.selection.active) } : undefined;
}

let lastPython: vscode.TextDocument | undefined;

/** Called when the active editor changes: the last Python document the user worked in. */
export function noteActiveEditor(e: vscode.TextEditor | undefined): void {
  if (e && isPython(e.document)) lastPython = e.document;
}

/**
 * The Python document a command about a whole model acts on: the code at hand; else, when a
 * walkthrough or a panel hides it, the last one the user worked in.
 */
function pythonDocument(arg?: unknown): vscode.TextDocument | undefined {
  return activePython(arg)?.document ?? (lastPython && !lastPython.isClosed ? lastPython : undefined);
}

function noEditor(): void {
  void vscode.window.showInformationMessage(vscode.l10n.t('Open a Keras or PyTorch Python file first.'));
}

const MAX_WEIGHTS_FILE_BYTES = 2 * 1024 * 1024 * 1024 - 1;

async function readLimited(uri: vscode.Uri, max: number): Promise<Uint8Array> {
  const st = await vscode.workspace.fs.stat(uri);
  if (st.size > max)
    throw new InputError(
      'too-large',
      `${uri.path.split('/').pop()}: ${(st.size / 1048576).toFixed(0)} MB is over the ${(max / 1048576).toFixed(0)} MB limit`,
    );
  return vscode.workspace.fs.readFile(uri);
}

async function pickModel(ctx: CommandContext, doc: vscode.TextDocument): Promise<string | undefined> {
  const models = ctx.analysis.analyze(doc).models;
  if (models.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No Keras or PyTorch model was found in this file.'));
    return undefined;
  }
  if (models.length === 1) return models[0]!.name;
  const pick = await vscode.window.showQuickPick(
    models.map((m) => ({ label: m.name, description: `${m.framework} · ${m.layers.length}` })),
    { placeHolder: vscode.l10n.t('Which model?') },
  );
  return pick?.label;
}

/** Where an export is proposed: the document's workspace folder, else the document's own folder, else the first workspace folder. */
function exportFolder(doc: vscode.Uri | null): vscode.Uri | undefined {
  const ws = doc ? vscode.workspace.getWorkspaceFolder(doc) : undefined;
  if (ws) return ws.uri;
  if (doc?.scheme === 'file') return vscode.Uri.joinPath(doc, '..');
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

export const COMMANDS = {
  'convlens.openExplorer': (ctx: CommandContext): void => {
    ctx.explorer.showPanel();
    const e = activePython();
    if (e) void ctx.explorer.showAt(e.document, e.offset, false);
  },
  'convlens.visualizeLayer': async (ctx: CommandContext, uri?: unknown, offset?: unknown): Promise<void> => {
    let doc: vscode.TextDocument | undefined;
    let at: number | undefined;
    if (typeof uri === 'string' && typeof offset === 'number') {
      doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
      at = offset;
    } else {
      const e = activePython(uri);
      doc = e?.document;
      at = e?.offset;
    }
    if (!doc || at === undefined) return noEditor();
    if (!(await ctx.explorer.showAt(doc, at, true))) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Put the cursor on a layer (for example Conv2D or nn.Conv2d) to visualize it.'),
      );
    }
  },
  'convlens.showSummary': async (_ctx: CommandContext, cell?: unknown): Promise<void> => {
    const e = activePython(cell);
    if (!e) return noEditor();
    const uri = vscode.Uri.from({
      scheme: SUMMARY_SCHEME,
      path: `/${e.document.uri.path.split('/').pop()} — summary.txt`,
      query: e.document.uri.toString(),
    });
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  },
  'convlens.chooseInput': async (ctx: CommandContext, source?: unknown): Promise<void> => {
    type Item = vscode.QuickPickItem & { pick: () => Promise<void> | void };
    const samples: Item[] = SAMPLES.map((id) => ({
      label: `$(file-media) ${id}`,
      description: vscode.l10n.t('sample'),
      pick: () => ctx.explorer.setInput({ kind: 'sample', id }),
    }));
    const browse: Item = {
      label: `$(folder-opened) ${vscode.l10n.t('Open an image file…')}`,
      pick: async () => {
        const files = await vscode.window.showOpenDialog({
          canSelectMany: false,
          filters: { Images: ['png', 'jpg', 'jpeg'] },
        });
        if (files?.[0]) ctx.explorer.setInput({ kind: 'file', uri: files[0] });
      },
    };
    if (source === 'file') return browse.pick();
    const found = await vscode.workspace.findFiles('**/*.{png,jpg,jpeg,PNG,JPG,JPEG}', '**/node_modules/**', 200);
    const workspace: Item[] = found.map((uri) => ({
      label: `$(file) ${vscode.workspace.asRelativePath(uri)}`,
      description: vscode.l10n.t('workspace'),
      pick: () => ctx.explorer.setInput({ kind: 'file', uri }),
    }));
    const separator = (label: string): Item => ({ label, kind: vscode.QuickPickItemKind.Separator, pick: () => {} });
    const items =
      source === 'workspace'
        ? workspace
        : [
            separator(vscode.l10n.t('samples')),
            ...samples,
            ...(workspace.length ? [separator(vscode.l10n.t('workspace')), ...workspace] : []),
            separator(''),
            browse,
          ];
    if (items.length === 0) return browse.pick();
    const chosen = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Choose the input image') });
    if (!chosen) return;
    await chosen.pick();
    ctx.explorer.showPanel();
  },
  /**
   * `arg`: 'textbook-cnn' loads the trained weights that ship with ConvLens (the walkthrough's
   * step); a notebook cell (its menu) loads into that cell's notebook.
   */
  'convlens.loadWeights': async (ctx: CommandContext, arg?: unknown): Promise<void> => {
    const shipped = typeof arg === 'string' ? arg : undefined;
    const doc = pythonDocument(shipped === undefined ? arg : undefined);
    if (!doc) return noEditor();
    const e = { document: doc };
    const model = await pickModel(ctx, e.document);
    if (!model) return;
    const own = shippedWeights(ctx.extensionUri, shipped);
    const files = own
      ? [own]
      : await vscode.window.showOpenDialog({
          canSelectMany: false,
          filters: { [vscode.l10n.t('Weights')]: ['safetensors', 'h5', 'keras', 'pt', 'pth'] },
        });
    if (!files?.[0]) return;
    const name = files[0].path.split('/').pop() ?? 'weights';
    try {
      const wf = loadWeights(await readLimited(files[0], MAX_WEIGHTS_FILE_BYTES), name);
      const graph = ctx.analysis.analyze(e.document).models.find((m) => m.name === model)!;
      const match = matchWeights(graph, wf.tensors);
      const nonFinite = nonFiniteWarnings(name, wf.tensors);
      if (nonFinite.length) {
        for (const w of nonFinite) ctx.log.appendLine(`warning: ${w}`);
        void vscode.window.showWarningMessage(
          vscode.l10n.t('{0} holds NaN or infinite values (kept as they are); see the ConvLens output.', name),
        );
      }
      if (match.problems.length) {
        for (const p of match.problems) ctx.log.appendLine(`${name}: ${p.message}`);
        ctx.log.show(true);
        void vscode.window.showErrorMessage(
          vscode.l10n.t(
            '{0}: {1} layer(s) could not be loaded; see the ConvLens output.',
            name,
            String(match.problems.length),
          ),
        );
        return;
      }
      ctx.explorer.setWeights(e.document.uri, model, match, name);
      walkthroughStepDone(WALKTHROUGH_CONTEXT.weightsLoaded);
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Loaded {0} tensors from {1} into {2}.', String(match.matched), name, model),
      );
    } catch (err) {
      void vscode.window.showErrorMessage(err instanceof Error ? err.message : String(err));
    }
  },
  'convlens.exportFeatureMaps': async (ctx: CommandContext): Promise<void> => {
    const view = await ctx.explorer.currentLayer();
    if (!view) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Show a layer in the ConvLens panel first.'));
      return;
    }
    // next to the work: the workspace folder of the model's file, else its folder, else the first workspace folder
    const modelName = ctx.explorer.currentModelName();
    const lang = locale();
    const title = `${modelName ?? ''} | ${view.name} (${view.type})`;
    // the PNG's bitmap font draws ASCII only: names in other scripts (or Korean) go to SVG by default
    const svgFirst = !fontDraws(title) || lang === 'ko';
    const name = featureMapFileName(modelName, view.name, svgFirst ? 'svg' : 'png');
    const folder = exportFolder(ownerUri(ctx.explorer.currentDocument() ?? activePython()?.document.uri ?? null));
    const filters: Record<string, string[]> = svgFirst
      ? { SVG: ['svg'], PNG: ['png'] }
      : { PNG: ['png'], SVG: ['svg'] };
    const target = await vscode.window.showSaveDialog({
      filters,
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
    });
    if (!target) return;
    const options = { normalize: ctx.settings().normalization, colormap: ctx.settings().colormap };
    const saved = target.path.split('/').pop() ?? '';
    if (/\.svg$/i.test(target.path)) {
      const heading = lang === 'ko' ? `${title} — 특성 맵` : `${title} — feature maps`;
      const { svg } = viewSvg(view, { ...options, title: heading, locale: lang });
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(svg));
      void vscode.window.showInformationMessage(vscode.l10n.t('Saved {0}.', saved));
      return;
    }
    const img = viewImage(view, { ...options, title });
    await vscode.workspace.fs.writeFile(target, encodePng(img.width, img.height, img.rgba));
    void vscode.window.showInformationMessage(
      fontDraws(title)
        ? vscode.l10n.t('Saved {0}.', saved)
        : vscode.l10n.t('Saved {0}. Its title shows some characters as "?": export as SVG to keep them.', saved),
    );
  },
  'convlens.toggleInlineShapes': async (ctx: CommandContext): Promise<void> => {
    await vscode.workspace
      .getConfiguration('convlens')
      .update('inlineShapes', !ctx.settings().inlineShapes, vscode.ConfigurationTarget.Global);
  },
  'convlens.setInputShape': async (ctx: CommandContext, cell?: unknown): Promise<void> => {
    const e = activePython(cell);
    if (!e) return noEditor();
    // the model at the cursor; another model's declared input stays its own
    const at = modelAt(ctx.analysis.analyze(e.document), e.offset);
    const model = at?.name ?? (await pickModel(ctx, e.document));
    if (!model) return;
    // a notebook's shapes are the notebook's (every cell sees the same models)
    const owner = ownerUri(e.document.uri);
    const current = ctx.analysis.inputShapesFor(owner)[model];
    const value = await vscode.window.showInputBox({
      title: vscode.l10n.t('ConvLens: input shape of {0} without the batch dimension', model),
      prompt: vscode.l10n.t('PyTorch: C, H, W (e.g. 1, 28, 28). Keras: H, W, C. Empty to clear.'),
      value: current ? current.join(', ') : '',
      validateInput: (v) =>
        v.trim() === '' || parseShapeSetting(v) ? null : vscode.l10n.t('1 to 4 positive integers, like 3, 224, 224'),
    });
    if (value === undefined) return;
    await ctx.analysis.setInputShape(owner, model, value.trim() === '' ? null : parseShapeSetting(value));
    ctx.features.refresh();
    void ctx.explorer.refresh();
  },
  'convlens.openExample': (ctx: CommandContext, id?: unknown, mode?: unknown): Promise<void> =>
    openExample(ctx.extensionUri, id, mode),
  'convlens.openWalkthrough': async (): Promise<void> => {
    // beside the code when there is code, so that the steps and the editor are seen together
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, !!pythonEditor());
  },
} satisfies Record<string, (ctx: CommandContext, ...args: unknown[]) => unknown>;

export type CommandId = keyof typeof COMMANDS;

export { summaryText, locale };
