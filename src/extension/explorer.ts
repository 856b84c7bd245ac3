/**
 * The explorer: one controller owns what the panel shows (document, model, selected layer,
 * input, weights, presets) and sends it to every open surface — the side view in the ConvLens
 * activity-bar container and the large panel beside the code. Tensor work goes through a
 * ViewRunner (the engine worker, or in-process if no worker can start); a newer request
 * supersedes an older one and stale results are dropped by run id.
 */
import * as vscode from 'vscode';
import type { Tensor } from '../engine';
import { decodeImage, describePreprocessing, toModelInput } from '../io/image';
import { isKnown } from '../shared/dims';
import { diagnosticMessage } from '../model/diagnostics';
import type { ModelGraph } from '../model/ir';
import { layerRows } from '../present/layerView';
import { preprocessText } from '../present/preprocess';
import type { ViewRequest } from '../present/panelJob';
import { fileWeightsOf } from '../present/panelJob';
import { isWebviewToHost, type HostToWebview, type LayerView, type ModelState, type PanelState, type WeightsInfo, type WebviewToHost } from '../shared/protocol';
import { isPreset, type PresetName } from '../runtime/presets';
import type { WeightMatch } from '../runtime/weights';
import { AnalysisService, isPython, locale } from './analysisService';
import { applyWhatIf, whatIfGraph } from './whatIf';
import type { Settings } from './settings';
import { webviewHtml } from './webviewHtml';

export interface ViewRunner {
  run(req: ViewRequest, key: string): Promise<LayerView>;
}

export const SAMPLES = [
  'digit-3', 'digit-7', 'digit-0', 'tshirt', 'trousers', 'sneaker', 'bag', 'dress',
  'shapes-square', 'shapes-circle', 'shapes-triangle', 'shapes-stripes', 'scene-224',
] as const;

const MAX_IMAGE_FILE_BYTES = 64 * 1024 * 1024;

type InputChoice = { kind: 'sample'; id: string } | { kind: 'file'; uri: vscode.Uri } | { kind: 'drawing'; width: number; height: number; rgba: Uint8Array };

interface Surface {
  webview: vscode.Webview;
  ready: boolean;
}

export class ExplorerController implements vscode.Disposable {
  private readonly surfaces = new Set<Surface>();
  private readonly disposables: vscode.Disposable[] = [];
  private runId = 0;
  /** Generation of refresh(): a newer refresh supersedes an older one (runId numbers messages). */
  private refreshGen = 0;
  private docUri: vscode.Uri | null = null;
  private modelName: string | null = null;
  private selected = 0;
  private input: InputChoice = { kind: 'sample', id: 'digit-3' };
  private readonly weights = new Map<string, { match: WeightMatch; file: string }>();
  private presets = new Map<string, (PresetName | null)[]>();
  private whatIf: ViewRequest['graph'] | null = null;
  private whatIfChange: Parameters<typeof whatIfGraph>[2] | null = null;
  private state: PanelState;
  private panel: vscode.WebviewPanel | null = null;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly analysis: AnalysisService,
    private readonly settings: () => Settings,
    private readonly runner: ViewRunner,
  ) {
    this.state = this.emptyState();
    this.disposables.push(
      vscode.window.onDidChangeTextEditorSelection((e) => this.onCursor(e.textEditor)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.docUri && e.document.uri.toString() === this.docUri.toString()) this.scheduleRefresh();
      }),
    );
  }

  // ---- surfaces ----

  resolveView(view: vscode.WebviewView): void {
    this.attach(view.webview, () => view.onDidDispose);
  }

  showPanel(): void {
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel('convlens.explorer', vscode.l10n.t('ConvLens Explorer'), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: this.roots() });
    this.adoptPanel(panel);
  }

  adoptPanel(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    panel.webview.options = { enableScripts: true, localResourceRoots: this.roots() };
    this.attach(panel.webview, () => panel.onDidDispose);
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = null;
    });
  }

  private roots(): vscode.Uri[] {
    return [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')];
  }

  private attach(webview: vscode.Webview, onDispose: () => vscode.Event<void>): void {
    webview.options = { enableScripts: true, localResourceRoots: this.roots() };
    webview.html = webviewHtml(webview, this.extensionUri, locale());
    const surface: Surface = { webview, ready: false };
    this.surfaces.add(surface);
    const sub = webview.onDidReceiveMessage((m: unknown) => void this.onMessage(surface, m));
    onDispose()(() => {
      sub.dispose();
      this.surfaces.delete(surface);
    });
  }

  private post(msg: HostToWebview, only?: Surface): void {
    for (const s of only ? [only] : this.surfaces) if (s.ready) void s.webview.postMessage(msg);
  }

  private publish(): void {
    this.post({ type: 'state', runId: ++this.runId, state: this.state });
  }

  private settingsMessage(): HostToWebview {
    const s = this.settings();
    return { type: 'settings', settings: { colormap: s.colormap, normalization: s.normalization, locale: locale() } };
  }

  // ---- what to show ----

  private emptyState(): PanelState {
    return {
      kind: 'empty',
      title: vscode.l10n.t('No layer selected'),
      hint: vscode.l10n.t('Put the cursor on a Conv2D, pooling or Dense layer in a Keras or PyTorch file to see what it does to an image.'),
    };
  }

  /** Shows the layer at an offset of a document (cursor, hover "Visualize", command). */
  async showAt(doc: vscode.TextDocument, offset: number, reveal = true): Promise<boolean> {
    const result = this.analysis.analyze(doc);
    for (const model of result.models) {
      const hit = model.layers.find((l) => {
        const r = l.spec.functional ? l.callRange : l.spec.range;
        return offset >= r.from && offset <= r.to;
      }) ?? model.layers.find((l) => offset >= l.callRange.from && offset <= l.callRange.to);
      if (hit) {
        this.select(doc.uri, model.name, hit.index);
        if (reveal) this.showPanel();
        return true;
      }
    }
    return false;
  }

  select(uri: vscode.Uri, model: string, index: number): void {
    const changed = this.docUri?.toString() !== uri.toString() || this.modelName !== model;
    this.docUri = uri;
    this.modelName = model;
    this.selected = index;
    if (changed) {
      this.whatIf = null;
      this.whatIfChange = null;
    }
    void this.refresh();
  }

  private cursorTimer: ReturnType<typeof setTimeout> | undefined;

  /** A hovered layer call: preview it if a panel is open (hovers never wait on this). */
  preview(doc: vscode.TextDocument, offset: number): void {
    if (this.surfaces.size === 0) return;
    clearTimeout(this.cursorTimer);
    this.cursorTimer = setTimeout(() => void this.showAt(doc, offset, false), 250);
  }

  private onCursor(editor: vscode.TextEditor): void {
    if (!isPython(editor.document) || this.surfaces.size === 0) return;
    clearTimeout(this.cursorTimer);
    this.cursorTimer = setTimeout(() => void this.showAt(editor.document, editor.document.offsetAt(editor.selection.active), false), 150);
  }

  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), 400);
  }

  private document(): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.docUri?.toString());
  }

  private currentGraph(): { doc: vscode.TextDocument; graph: ModelGraph } | null {
    const doc = this.document();
    if (!doc || !this.modelName) return null;
    const graph = this.analysis.analyze(doc).models.find((m) => m.name === this.modelName);
    return graph ? { doc, graph } : null;
  }

  private key(): string {
    return `${this.docUri?.toString()}#${this.modelName}`;
  }

  /** Recomputes the state for the current selection and sends it. */
  async refresh(): Promise<void> {
    const myRun = ++this.refreshGen;
    const cur = this.currentGraph();
    if (!cur) {
      this.state = this.emptyState();
      this.publish();
      return;
    }
    const { doc, graph: base } = cur;
    const graph = this.whatIf ?? base;
    const index = Math.min(this.selected, graph.layers.length - 1);
    const result = this.analysis.analyze(doc);
    const errors = new Map<number, string>();
    for (const l of graph.layers) {
      const r = l.spec.functional ? l.callRange : l.spec.range;
      const d = result.diagnostics.find((x) => x.severity === 'error' && x.range.from >= r.from && x.range.to <= r.to);
      if (d) errors.set(l.index, diagnosticMessage(d, locale()));
    }
    const lines = this.analysis.lines(doc);
    const model: ModelState = {
      kind: 'model', modelName: graph.name, framework: graph.framework, layers: layerRows(graph, (o) => lines.position(o).line, errors),
      selected: index, layer: null, inputName: this.inputName(), busy: true, message: null,
    };
    this.state = model;
    this.publish();
    try {
      const req = await this.request(graph, index);
      const view = await this.runner.run(req, 'panel');
      if (myRun !== this.refreshGen) return;
      this.state = { ...model, layer: view, busy: false };
    } catch (e) {
      if ((e as Error).name === 'CancelledError' || myRun !== this.refreshGen) return;
      this.state = { ...model, busy: false, message: (e as Error).message };
    }
    this.publish();
  }

  private inputName(): string {
    if (this.input.kind === 'sample') return this.input.id;
    if (this.input.kind === 'drawing') return vscode.l10n.t('drawing');
    return this.input.uri.path.split('/').pop() ?? '';
  }

  private async inputBytes(): Promise<{ rgba: Uint8Array; width: number; height: number; name: string; format?: 'png' | 'jpeg' }> {
    if (this.input.kind === 'drawing') return { rgba: this.input.rgba, width: this.input.width, height: this.input.height, name: 'drawing' };
    const uri = this.input.kind === 'sample' ? vscode.Uri.joinPath(this.extensionUri, 'media', 'samples', `${this.input.id}.png`) : this.input.uri;
    const st = await vscode.workspace.fs.stat(uri);
    if (st.size > MAX_IMAGE_FILE_BYTES) throw new Error(`${uri.path.split('/').pop()}: ${(st.size / 1048576).toFixed(0)} MB is over the ${MAX_IMAGE_FILE_BYTES / 1048576} MB limit for images`);
    const bytes = await vscode.workspace.fs.readFile(uri);
    const img = decodeImage(bytes, uri.path.split('/').pop() ?? 'image');
    return { rgba: img.rgba, width: img.width, height: img.height, name: uri.path, format: img.format };
  }

  private async request(graph: ModelGraph, index: number): Promise<ViewRequest> {
    const img = await this.inputBytes();
    const s = graph.inputShape ?? [];
    const keras = graph.framework === 'keras';
    if (s.length !== 3 || !s.every(isKnown)) throw new Error(vscode.l10n.t('The input shape of {0} is not known. Use "ConvLens: Set Input Shape".', graph.name));
    const [h, w, c] = (keras ? [s[0], s[1], s[2]] : [s[1], s[2], s[0]]) as number[];
    if (c !== 1 && c !== 3) throw new Error(vscode.l10n.t('{0} takes {1} input channels; images give 1 or 3.', graph.name, String(c)));
    const opts = { height: h!, width: w!, channels: c as 1 | 3, layout: keras ? 'channelsLast' as const : 'channelsFirst' as const, scale: 1 as const };
    const input: Tensor = toModelInput(img, opts);
    const steps = describePreprocessing({ width: img.width, height: img.height, ...(img.format ? { format: img.format } : {}) }, opts).map((st) => preprocessText(st, locale()));
    const w8 = this.weights.get(this.key()) ?? null;
    const presetLayer = [...this.presets.entries()].find(([k]) => k.startsWith(`${this.key()}@`));
    const preset = presetLayer ? { layer: Number(presetLayer[0].split('@').pop()), presets: presetLayer[1] } : null;
    const weightsInfo: WeightsInfo = preset && preset.layer === index ? { kind: 'preset', presets: preset.presets } : w8 ? { kind: 'file', file: w8.file } : { kind: 'random', seed: 0 };
    return { graph, index, input, seed: 0, fileWeights: fileWeightsOf(w8?.match ?? null), preset, weightsInfo, preprocessing: steps };
  }

  // ---- messages from the webview ----

  private async onMessage(surface: Surface, raw: unknown): Promise<void> {
    if (!isWebviewToHost(raw)) return;
    const msg: WebviewToHost = raw;
    switch (msg.type) {
      case 'ready':
        surface.ready = true;
        this.post(this.settingsMessage(), surface);
        this.post({ type: 'samples', samples: SAMPLES.map((id) => ({ id, label: id })) }, surface);
        this.post({ type: 'state', runId: ++this.runId, state: this.state }, surface);
        break;
      case 'selectLayer':
        this.selected = msg.index;
        void this.refresh();
        break;
      case 'revealLayer':
        await this.reveal(msg.index);
        break;
      case 'chooseInput':
        if (msg.source === 'sample') {
          if ((SAMPLES as readonly string[]).includes(msg.id)) this.input = { kind: 'sample', id: msg.id };
          void this.refresh();
        } else await vscode.commands.executeCommand('convlens.chooseInput', msg.source);
        break;
      case 'drawnInput':
        this.input = { kind: 'drawing', width: msg.width, height: msg.height, rgba: new Uint8Array(msg.pixels.buffer, msg.pixels.byteOffset, msg.pixels.byteLength) };
        void this.refresh();
        break;
      case 'setPreset':
        this.setPreset(msg.filter, msg.preset);
        break;
      case 'whatIf':
        this.tryWhatIf(msg.change);
        break;
      case 'applyWhatIf':
        await this.applyWhatIfToCode(msg.change);
        break;
      case 'exportPng':
        await vscode.commands.executeCommand('convlens.exportFeatureMaps');
        break;
      case 'setNormalization':
        await vscode.workspace.getConfiguration('convlens').update('normalization', msg.value, vscode.ConfigurationTarget.Global);
        break;
      case 'log':
        if (msg.level === 'error') console.error(`[ConvLens panel] ${msg.message}`);
        break;
    }
  }

  private setPreset(filter: number, preset: string | null): void {
    const graph = this.currentGraph()?.graph;
    if (!graph) return;
    const layer = graph.layers[this.selected];
    if (!layer || layer.spec.cfg.kind !== 'conv') return;
    const key = `${this.key()}@${this.selected}`;
    for (const k of [...this.presets.keys()]) if (k.startsWith(`${this.key()}@`) && k !== key) this.presets.delete(k);
    const cout = layer.spec.cfg.c.filters ?? 1;
    const list = this.presets.get(key) ?? new Array<PresetName | null>(cout).fill(null);
    if (filter < list.length) list[filter] = preset !== null && isPreset(preset) ? preset : null;
    if (list.every((p) => p === null)) this.presets.delete(key);
    else this.presets.set(key, list);
    void this.refresh();
  }

  private tryWhatIf(change: Parameters<typeof whatIfGraph>[2]): void {
    const cur = this.currentGraph();
    if (!cur) return;
    const res = whatIfGraph(cur.doc, cur.graph, { ...this.whatIfChange, ...change }, this.selected, this.analysis);
    if ('error' in res) {
      if (this.state.kind === 'model') {
        this.state = { ...this.state, message: res.error };
        this.publish();
      }
      return;
    }
    this.whatIfChange = { ...this.whatIfChange, ...change };
    this.whatIf = res.graph;
    void this.refresh();
  }

  private async applyWhatIfToCode(change: Parameters<typeof whatIfGraph>[2]): Promise<void> {
    const cur = this.currentGraph();
    if (!cur) return;
    const ok = await applyWhatIf(cur.doc, cur.graph.layers[this.selected]!, { ...this.whatIfChange, ...change });
    if (ok) {
      this.whatIf = null;
      this.whatIfChange = null;
    }
  }

  private async reveal(index: number): Promise<void> {
    const cur = this.currentGraph();
    const layer = cur?.graph.layers[index];
    if (!cur || !layer) return;
    const r = layer.spec.functional ? layer.callRange : layer.spec.range;
    const editor = await vscode.window.showTextDocument(cur.doc, { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
    const range = this.analysis.range(cur.doc, r);
    editor.selection = new vscode.Selection(range.start, range.start);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  // ---- commands' entry points ----

  setInput(choice: InputChoice): void {
    this.input = choice;
    void this.refresh();
  }

  setWeights(uri: vscode.Uri, model: string, match: WeightMatch, file: string): void {
    this.weights.set(`${uri.toString()}#${model}`, { match, file });
    if (this.docUri?.toString() === uri.toString()) void this.refresh();
  }

  currentLayer(): LayerView | null {
    return this.state.kind === 'model' ? this.state.layer : null;
  }

  currentModelName(): string | null {
    return this.state.kind === 'model' ? this.state.modelName : null;
  }

  onSettingsChanged(): void {
    this.post(this.settingsMessage());
  }

  dispose(): void {
    clearTimeout(this.cursorTimer);
    clearTimeout(this.refreshTimer);
    this.panel?.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}
