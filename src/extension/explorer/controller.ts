/**
 * The explorer's controller: one owner of what the panel shows. It follows the cursor and
 * hovers (the layer at an offset is `layerAt`, the hover's own rule), refreshes and publishes
 * the panel state when the selection or the document changes, answers the webview's messages,
 * and is the entry point of the commands. Tensor work goes through a ViewRunner (the engine
 * worker, or in-process if no worker can start); a newer refresh supersedes an older one and
 * stale results are dropped. The webviews are in ./surfaces.ts, the selection and choices in
 * ./state.ts, the image reading in ./inputImage.ts, the pure parts in src/present
 * (viewRequest.ts, whatIf.ts).
 */
import * as vscode from 'vscode';
import { analyze } from '../../analysis/analyze';
import type { Diagnostic } from '../../model/diagnostics';
import type { LayerNode, ModelGraph } from '../../model/ir';
import { layerErrors, layerRows } from '../../present/layerView';
import { fitPanelState, panelIndex } from '../../present/panelState';
import { layerAt, sourceRange } from '../../present/notation';
import type { ViewRequest } from '../../present/panelJob';
import { viewRequest } from '../../present/viewRequest';
import { InputMismatch } from '../../runtime/input';
import { whatIfEdits, whatIfGraph } from '../../present/whatIf';
import { loadWeights, type WeightTensor } from '../../io/weights';
import type { LoadedWeights } from '../../present/viewRequest';
import { matchWeights, type WeightMatch } from '../../runtime/weights';
import {
  MAX_PRESET_FILTERS,
  type HostToWebview,
  type LayerView,
  type ModelState,
  type PanelState,
  type WhatIf,
} from '../../shared/protocol';
import { AnalysisService, isPython, locale } from '../analysisService';
import type { Settings } from '../settings';
import { markdownText, printable } from '../../shared/text';
import { hasReferences } from '../../shared/viewCache';
import { nonFiniteWarnings } from '../../io/weightCheck';
import { readInputImage, type ImageDecoder } from './inputImage';
import { ExplorerState, SAMPLES, type InputChoice } from './state';
import { Surfaces, type SurfaceMessage } from './surfaces';

/**
 * Cursor moves closer together than this are followed once, when they stop (holding an arrow
 * key does not queue a view per line); a move after such a rest is followed at once.
 */
const CURSOR_PAUSE_MS = 25;
/** How long a view may take before the panel says it is computing. */
const BUSY_DELAY_MS = 150;

/** Largest weight file read because the source loads it (larger ones: the Load Weights command). */
const MAX_SOURCE_WEIGHTS_BYTES = 512 * 1024 * 1024;

export interface ViewRunner {
  run(req: ViewRequest, key: string): Promise<LayerView>;
  /** Decodes the input image off the extension host's thread. */
  decode?: ImageDecoder;
  /** Frees what the runner keeps for the panel (its activations), when no panel is open. */
  forget?(): void;
}

/** A model read from a model file (.keras, .h5, .onnx), shown as source models are. */
export interface FileModel {
  graph: ModelGraph;
  diagnostics: Diagnostic[];
  /** 'ONNX', 'Keras (.keras)'… for the panel's badge. */
  format: string;
  /** Reveals a layer in the file's editor (the panel's "show in source"). */
  reveal(index: number): void;
}

/** What is selected: a model of a Python document, or a model file's model. */
type Current =
  | { kind: 'source'; doc: vscode.TextDocument; graph: ModelGraph }
  | { kind: 'file'; uri: string; file: FileModel; graph: ModelGraph };

export class ExplorerController implements vscode.Disposable {
  private readonly surfaces: Surfaces;
  private readonly state = new ExplorerState();
  private readonly disposables: vscode.Disposable[] = [];
  /** Numbers the state messages. */
  private runId = 0;
  /** Generation of refresh(): a newer refresh supersedes an older one. */
  private refreshGen = 0;
  /** What the panel shows now. */
  private shown: PanelState;
  /**
   * The request whose view `shown` holds: its tensors the webviews kept were left out of it
   * (ViewRequest.held); run again without that when a surface or the export needs the values.
   */
  private shownRequest: ViewRequest | null = null;
  /** The run giving `shown` its values, while one is under way (withValues). */
  private filling: { shown: PanelState; done: Promise<boolean> } | null = null;
  private cursorTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the cursor last moved (Date.now()). */
  private lastCursorMove = 0;
  private busyTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** The models of the model files open in their editor, by URI. */
  private readonly files = new Map<string, FileModel>();
  /** Weight files that source loads (`load_model`, `load_weights`), by path, read once per change. */
  private readonly sourceWeightFiles = new Map<
    string,
    { mtime: number; tensors: WeightTensor[] | null; error: string | null; nonFinite?: string[] }
  >();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly analysis: AnalysisService,
    private readonly settings: () => Settings,
    private readonly runner: ViewRunner,
  ) {
    this.shown = emptyState();
    this.surfaces = new Surfaces(extensionUri, {
      greeting: () => [
        this.settingsMessage(),
        { type: 'samples', samples: SAMPLES.map((id) => ({ id, label: id })) },
        this.stateMessage(),
      ],
      onMessage: (msg) => this.onMessage(msg),
      closed: () => this.runner.forget?.(),
      valuesMissing: (post) => void this.withValues().then((ok) => ok && post(this.stateMessage())),
    });
    this.disposables.push(
      vscode.window.onDidChangeTextEditorSelection((e) => this.onCursor(e.textEditor)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!this.state.isDocument(e.document.uri.toString())) return;
        clearTimeout(this.refreshTimer);
        this.refreshTimer = setTimeout(() => void this.refresh(), 400);
      }),
    );
  }

  /** The input image file changed since it was decoded: the layer is shown again on the new one. */
  private inputChanged(): void {
    if (this.surfaces.size > 0) void this.refresh();
  }

  // ---- surfaces ----

  resolveView(view: vscode.WebviewView): void {
    this.surfaces.resolveView(view);
  }

  showPanel(): void {
    this.surfaces.showPanel();
  }

  adoptPanel(panel: vscode.WebviewPanel): void {
    this.surfaces.adoptPanel(panel);
  }

  // ---- what to show ----

  /**
   * Shows the layer at an offset of a document (cursor, hover "Visualize", command): the one
   * `layerAt` finds, as the hover does. False when there is no layer there.
   */
  async showAt(doc: vscode.TextDocument, offset: number, reveal = true): Promise<boolean> {
    const hit = layerAt(this.analysis.analyze(doc), offset);
    if (!hit) return false;
    this.select(doc.uri, hit.model.name, hit.layer.index);
    if (reveal) this.showPanel();
    return true;
  }

  select(uri: vscode.Uri, model: string, index: number): void {
    const same =
      this.state.isDocument(uri.toString()) &&
      this.state.modelName === model &&
      this.state.selected === index &&
      this.shown.kind === 'model' &&
      this.shown.selected === index &&
      !this.shown.busy &&
      this.shown.layer !== null;
    this.state.select(uri.toString(), model, index);
    // the cursor moved within the layer already shown: nothing to compute
    if (!same) void this.refresh();
  }

  /** A hovered layer call: preview it if a panel is open (hovers never wait on this). */
  preview(doc: vscode.TextDocument, offset: number): void {
    if (this.surfaces.size === 0) return;
    clearTimeout(this.cursorTimer);
    this.cursorTimer = setTimeout(() => void this.showAt(doc, offset, false), 250);
  }

  private onCursor(editor: vscode.TextEditor): void {
    if (!isPython(editor.document) || this.surfaces.size === 0) return;
    clearTimeout(this.cursorTimer);
    const now = Date.now();
    const rested = now - this.lastCursorMove >= CURSOR_PAUSE_MS;
    this.lastCursorMove = now;
    const follow = (): void =>
      void this.showAt(editor.document, editor.document.offsetAt(editor.selection.active), false);
    // a move after a rest is followed at once; a run of quick moves once it stops. A superseded
    // view stops between layers and what was computed is kept, so following closely is cheap.
    if (rested) follow();
    else this.cursorTimer = setTimeout(follow, CURSOR_PAUSE_MS);
  }

  // ---- model files ----

  /**
   * Shows a layer of a model file's model in the panel, with the file's trained weights. The
   * file's editor calls this when a row is selected; `weights` are the file's, matched.
   */
  showFileLayer(uri: vscode.Uri, file: FileModel, weights: WeightMatch, fileName: string, index: number): void {
    const key = uri.toString();
    if (this.files.get(key) !== file) {
      this.files.set(key, file);
      this.state.setWeights(key, file.graph.name, { match: weights, file: fileName });
    }
    this.state.select(key, file.graph.name, index);
    this.showPanel();
    void this.refresh();
  }

  /** Whether the panel shows a layer of this model file now. */
  showsFile(uri: vscode.Uri): boolean {
    const key = uri.toString();
    return this.files.has(key) && this.state.isDocument(key);
  }

  /** The model file's editor closed: its model is no longer selectable. */
  forgetFile(uri: vscode.Uri): void {
    const key = uri.toString();
    this.files.delete(key);
    if (this.state.isDocument(key)) void this.refresh();
  }

  private currentGraph(): Current | null {
    if (!this.state.modelName || !this.state.docUri) return null;
    const file = this.files.get(this.state.docUri);
    if (file) return { kind: 'file', uri: this.state.docUri, file, graph: file.graph };
    const doc = vscode.workspace.textDocuments.find((d) => this.state.isDocument(d.uri.toString()));
    if (!doc) return null;
    const graph = this.analysis.analyze(doc).models.find((m) => m.name === this.state.modelName);
    return graph ? { kind: 'source', doc, graph } : null;
  }

  /** Recomputes the state for the current selection and sends it. */
  async refresh(): Promise<void> {
    const myRun = ++this.refreshGen;
    const cur = this.currentGraph();
    if (!cur) {
      this.shown = emptyState();
      this.publish();
      return;
    }
    const graph = this.state.whatIf?.graph ?? cur.graph;
    const index = panelIndex(this.state.selected, graph.layers.length);
    let rows: ModelState['layers'];
    if (cur.kind === 'source') {
      const errors = layerErrors(graph, this.analysis.analyze(cur.doc).diagnostics, locale());
      const lines = this.analysis.lines(cur.doc);
      rows = layerRows(graph, (o) => lines.position(o).line, errors);
    } else rows = layerRows(graph, () => 0, layerErrors(graph, cur.file.diagnostics, locale()));
    const model: ModelState = {
      kind: 'model',
      modelName: graph.name,
      framework: graph.framework,
      ...(cur.kind === 'file' ? { fileFormat: cur.file.format } : {}),
      layers: rows,
      selected: index,
      layer: null,
      inputName: this.state.inputName(vscode.l10n.t('drawing')),
      busy: true,
      message: null,
    };
    this.shown = model;
    // the "computing" state is shown only when the view takes a while: a view that is ready at
    // once (a layer kept, a small model) replaces the shown one without a render in between
    clearTimeout(this.busyTimer);
    this.busyTimer = setTimeout(() => {
      if (myRun === this.refreshGen && this.shown.kind === 'model' && this.shown.busy) this.publish();
    }, BUSY_DELAY_MS);
    try {
      // weights the user loaded; else those the source itself loads (load_model, load_weights)
      let weights = this.state.loadedWeights();
      if (!weights && cur.kind === 'source') {
        const fromSource = await this.weightsFromSource(graph);
        if (myRun !== this.refreshGen) return;
        weights = fromSource.weights;
        if (fromSource.problem) this.shown = { ...model, message: fromSource.problem };
      }
      const doc = cur.kind === 'source' && !this.state.whatIf ? cur.doc : null;
      const req = await this.request(graph, index, weights, doc);
      // the values the surfaces keep are not copied and moved again (`held`)
      const view = await this.runner.run({ ...req, held: this.surfaces.keptKeys() }, 'panel');
      if (myRun !== this.refreshGen) return;
      this.shownRequest = req;
      this.shown = {
        ...model,
        message: this.shown.kind === 'model' ? this.shown.message : null,
        layer: view,
        busy: false,
      };
    } catch (e) {
      if ((e as Error).name === 'CancelledError' || myRun !== this.refreshGen) return;
      this.shown = { ...model, busy: false, message: (e as Error).message };
    }
    clearTimeout(this.busyTimer);
    this.publish();
  }

  /**
   * The weights of the file the model's source loads (`keras.models.load_model('x.keras')`,
   * `model.load_weights('x.weights.h5')`), read when the file changed, matched to the graph.
   */
  private async weightsFromSource(
    graph: ModelGraph,
  ): Promise<{ weights: LoadedWeights | null; problem: string | null }> {
    const path = graph.weightsFile?.path;
    if (!path) return { weights: null, problem: null };
    const uri = vscode.Uri.file(path);
    const name = path.split(/[\\/]/).pop() ?? path;
    let entry = this.sourceWeightFiles.get(path);
    try {
      const st = await vscode.workspace.fs.stat(uri);
      if (!entry || entry.mtime !== st.mtime) {
        if (st.size > MAX_SOURCE_WEIGHTS_BYTES)
          entry = {
            mtime: st.mtime,
            tensors: null,
            error: vscode.l10n.t(
              '{0}: {1} MB is over the {2} MB limit for weights loaded automatically; use "ConvLens: Load Weights".',
              name,
              String(Math.round(st.size / 1048576)),
              String(MAX_SOURCE_WEIGHTS_BYTES / 1048576),
            ),
          };
        else {
          try {
            const tensors = loadWeights(await vscode.workspace.fs.readFile(uri), name).tensors;
            // NaN or infinite values are kept (the model computes with them) and said, once per read
            entry = { mtime: st.mtime, tensors, error: null, nonFinite: nonFiniteWarnings(name, tensors) };
          } catch (e) {
            entry = { mtime: st.mtime, tensors: null, error: e instanceof Error ? e.message : String(e) };
          }
        }
        this.sourceWeightFiles.set(path, entry);
      }
    } catch {
      return { weights: null, problem: vscode.l10n.t('{0} was not found; the weights are random.', name) };
    }
    if (!entry.tensors) return { weights: null, problem: entry.error };
    const match = matchWeights(graph, entry.tensors);
    if (match.problems.length)
      return {
        weights: null,
        problem: vscode.l10n.t(
          '{0} does not fit the model ({1}); the weights are random.',
          name,
          match.problems[0]!.message,
        ),
      };
    const nonFinite = entry.nonFinite ?? [];
    return { weights: { match, file: name }, problem: nonFinite.length ? nonFinite.join(' · ') : null };
  }

  private async request(
    graph: ModelGraph,
    index: number,
    weights: LoadedWeights | null,
    doc: vscode.TextDocument | null,
  ): Promise<ViewRequest> {
    const image = await readInputImage(this.state.input, this.extensionUri, this.runner.decode, () =>
      this.inputChanged(),
    );
    try {
      return viewRequest({
        graph,
        index,
        image,
        weights,
        preset: this.state.layerPresets(),
        locale: locale(),
        cacheMb: this.settings().activationCacheMb,
        // a 1-D model of unknown length: the source analyzed again with the default length
        ...(doc !== null
          ? {
              reanalyze: (shape: number[]) => {
                const o = this.analysis.optionsFor(doc);
                const inputShapes = { ...o.inputShapes, [graph.name]: shape };
                return analyze(doc.getText(), { ...o, inputShapes }).models.find((m) => m.name === graph.name) ?? null;
              },
            }
          : {}),
      });
    } catch (e) {
      if (!(e instanceof InputMismatch)) throw e;
      const p = e.problem;
      if (p.kind === 'image-channels')
        throw new Error(
          vscode.l10n.t('{0} takes {1} input channels; images give 1 or 3.', graph.name, String(p.channels)),
        );
      if (p.kind === 'not-an-image')
        throw new Error(vscode.l10n.t('{0} takes an input of shape {1}, not an image.', graph.name, p.shape));
      throw new Error(
        vscode.l10n.t('The input shape of {0} is not known. Use "ConvLens: Set Input Shape".', graph.name),
      );
    }
  }

  private publish(): void {
    this.surfaces.post(this.stateMessage());
  }

  private stateMessage(): HostToWebview {
    // always a state the webview accepts: what does not fit is cut and said in the message
    return { type: 'state', runId: ++this.runId, state: fitPanelState(this.shown, locale()) };
  }

  private settingsMessage(): HostToWebview {
    const s = this.settings();
    return { type: 'settings', settings: { colormap: s.colormap, normalization: s.normalization, locale: locale() } };
  }

  // ---- messages from the webview ----

  private async onMessage(msg: SurfaceMessage): Promise<void> {
    switch (msg.type) {
      case 'selectLayer':
        this.state.selected = msg.index;
        void this.refresh();
        break;
      case 'revealLayer':
        await this.reveal(msg.index);
        break;
      case 'chooseInput':
        if (msg.source === 'sample') {
          this.state.chooseSample(msg.id);
          void this.refresh();
        } else await vscode.commands.executeCommand('convlens.chooseInput', msg.source);
        break;
      case 'drawnInput':
        this.onInputDrawn?.();
        this.setInput({
          kind: 'drawing',
          width: msg.width,
          height: msg.height,
          rgba: new Uint8Array(msg.pixels.buffer, msg.pixels.byteOffset, msg.pixels.byteLength),
        });
        break;
      case 'setPreset': {
        const layer = this.currentGraph()?.graph.layers[this.state.selected];
        if (this.state.setPreset(layer, msg.filter, msg.preset)) void this.refresh();
        else void vscode.window.showWarningMessage(presetRefusal(layer, msg.filter));
        break;
      }
      case 'whatIf':
        this.tryWhatIf(msg.change);
        break;
      case 'applyWhatIf':
        await this.applyWhatIf(msg.change);
        break;
      case 'exportPng':
        await vscode.commands.executeCommand('convlens.exportFeatureMaps');
        break;
      case 'setNormalization':
        await vscode.workspace
          .getConfiguration('convlens')
          .update('normalization', msg.value, vscode.ConfigurationTarget.Global);
        break;
      case 'outputHidden': {
        // the layer the message names must be the one at its index in the selected model
        const layer = this.currentGraph()?.graph.layers[msg.index];
        if (layer?.name === msg.name && this.state.setOutputHidden(msg.name, msg.hidden))
          this.onOutputHiddenChanged?.();
        break;
      }
      case 'log':
        if (msg.level === 'error') console.error(`[ConvLens panel] ${msg.message}`);
        break;
    }
  }

  /** Previews a what-if on the selected layer, or says why it cannot be made. */
  private tryWhatIf(change: WhatIf): void {
    const cur = this.currentGraph();
    if (!cur) return;
    if (cur.kind === 'file') {
      if (this.shown.kind === 'model') {
        this.shown = {
          ...this.shown,
          message: vscode.l10n.t('What-if changes edit source code; this model comes from a saved model file.'),
        };
        this.publish();
      }
      return;
    }
    const merged = this.state.whatIfChange(change);
    const res = whatIfGraph(
      cur.doc.getText(),
      cur.graph,
      merged,
      this.state.selected,
      this.analysis.optionsFor(cur.doc),
    );
    if ('error' in res) {
      if (this.shown.kind === 'model') {
        this.shown = { ...this.shown, message: res.error };
        this.publish();
      }
      return;
    }
    this.state.whatIf = { change: merged, graph: res.graph };
    void this.refresh();
  }

  /** Makes the what-if's edits in the document (one undoable edit); the preview then ends. */
  private async applyWhatIf(change: WhatIf): Promise<void> {
    const cur = this.currentGraph();
    if (cur?.kind !== 'source') return;
    const { doc } = cur;
    const edits = whatIfEdits(doc.getText(), cur.graph.layers[this.state.selected]!, this.state.whatIfChange(change));
    if ('error' in edits) {
      void vscode.window.showWarningMessage(edits.error);
      return;
    }
    const we = new vscode.WorkspaceEdit();
    for (const e of edits) we.replace(doc.uri, new vscode.Range(doc.positionAt(e.from), doc.positionAt(e.to)), e.text);
    if (await vscode.workspace.applyEdit(we)) this.state.whatIf = null;
  }

  private async reveal(index: number): Promise<void> {
    const cur = this.currentGraph();
    const layer = cur?.graph.layers[index];
    if (!cur || !layer) return;
    if (cur.kind === 'file') {
      cur.file.reveal(index);
      return;
    }
    const editor = await vscode.window.showTextDocument(cur.doc, {
      viewColumn: vscode.ViewColumn.One,
      preserveFocus: false,
    });
    const range = this.analysis.range(cur.doc, sourceRange(layer));
    editor.selection = new vscode.Selection(range.start, range.start);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  // ---- commands' entry points ----

  setInput(choice: InputChoice): void {
    this.state.input = choice;
    void this.refresh();
  }

  setWeights(uri: vscode.Uri, model: string, match: WeightMatch, file: string): void {
    this.state.setWeights(uri.toString(), model, { match, file });
    if (this.state.isDocument(uri.toString())) void this.refresh();
  }

  /** Called when the layer whose output the panel hides changed (the editor redraws its hints). */
  onOutputHiddenChanged: (() => void) | null = null;
  /** Called when the user drew on the pad (or dropped a picture) as the input. */
  onInputDrawn: (() => void) | null = null;

  /**
   * The hover of a layer whose output the panel hides until its shape is predicted, or null when
   * the layer's output is not hidden.
   */
  hiddenOutputHover(docUri: string, layerName: string): string | null {
    if (!this.state.isOutputHidden(docUri, layerName)) return null;
    return `**${markdownText(layerName)}** → ?\n\n${vscode.l10n.t('The output shape is hidden until you predict it in the ConvLens panel.')}`;
  }

  /** The layer shown, with all its values (exporting it draws them). */
  async currentLayer(): Promise<LayerView | null> {
    await this.withValues();
    return this.shown.kind === 'model' ? this.shown.layer : null;
  }

  /**
   * Makes sure the shown view carries every value: a view whose kept tensors were left out is
   * computed again without leaving any out (the worker still has them: this costs copies, not
   * layers). False when the shown state changed meanwhile or has no view.
   */
  private withValues(): Promise<boolean> {
    const shown = this.shown;
    const req = this.shownRequest;
    if (shown.kind !== 'model' || !shown.layer) return Promise.resolve(false);
    if (!hasReferences(shown.layer)) return Promise.resolve(true);
    if (!req) return Promise.resolve(false);
    // one run per shown state, however many ask (both surfaces after a reload, the export)
    if (this.filling?.shown === shown) return this.filling.done;
    const done = this.runner.run(req, 'panel.values').then(
      (layer) => {
        if (this.shown !== shown) return false;
        this.shown = { ...shown, layer };
        return true;
      },
      () => false,
    );
    this.filling = { shown, done };
    return done;
  }

  /** The document (or model file) of the model shown. */
  currentDocument(): vscode.Uri | null {
    return this.state.docUri ? vscode.Uri.parse(this.state.docUri) : null;
  }

  currentModelName(): string | null {
    return this.shown.kind === 'model' ? this.shown.modelName : null;
  }

  onSettingsChanged(): void {
    this.surfaces.post(this.settingsMessage());
  }

  dispose(): void {
    clearTimeout(this.cursorTimer);
    clearTimeout(this.refreshTimer);
    clearTimeout(this.busyTimer);
    this.surfaces.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

function emptyState(): PanelState {
  return {
    kind: 'empty',
    title: vscode.l10n.t('No layer selected'),
    hint: vscode.l10n.t(
      'Put the cursor on a Conv2D, pooling or Dense layer in a Keras or PyTorch file to see what it does to an image.',
    ),
  };
}

/** Why a preset kernel was not set on a filter of `layer` (ExplorerState.setPreset returned false). */
function presetRefusal(layer: LayerNode | undefined, filter: number): string {
  if (!layer || layer.spec.cfg.kind !== 'conv')
    return vscode.l10n.t('Preset kernels apply to convolution layers only; nothing was changed.');
  const filters = layer.spec.cfg.c.filters ?? 1;
  if (!(filters <= MAX_PRESET_FILTERS))
    return vscode.l10n.t(
      '{0} has {1} filters: preset kernels can be chosen for layers of at most {2} filters; nothing was changed.',
      printable(layer.name),
      filters.toLocaleString('en-US'),
      MAX_PRESET_FILTERS.toLocaleString('en-US'),
    );
  return vscode.l10n.t(
    '{0} has no filter {1} (it has {2}); nothing was changed.',
    printable(layer.name),
    String(filter),
    filters.toLocaleString('en-US'),
  );
}
