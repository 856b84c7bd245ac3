/**
 * What the explorer shows, as plain data: the selected document (by URI string), model and
 * layer; the input image; the weights loaded per model; the filter presets (on one convolution
 * per model); the what-if change being previewed and the model it gives. The small methods hold
 * the bookkeeping rules. No editor calls here (the file URI of an image is only carried).
 */
import type { Uri } from 'vscode';
import type { LayerNode, ModelGraph } from '../../model/ir';
import type { LayerPresets, LoadedWeights } from '../../present/viewRequest';
import { isPreset, type PresetName } from '../../runtime/presets';
import { MAX_PRESET_FILTERS, type WhatIf } from '../../shared/protocol';

/** The sample images shipped in media/samples (`<id>.png`), every one of them (a unit test lists the folder). */
export const SAMPLES = [
  'digit-0',
  'digit-1',
  'digit-2',
  'digit-3',
  'digit-4',
  'digit-5',
  'digit-6',
  'digit-7',
  'digit-8',
  'digit-9',
  'tshirt',
  'trousers',
  'sneaker',
  'bag',
  'dress',
  'shapes-square',
  'shapes-circle',
  'shapes-triangle',
  'shapes-stripes',
  'shapes-cross',
  'scene-224',
] as const;

export type InputChoice =
  | { kind: 'sample'; id: string }
  | { kind: 'file'; uri: Uri }
  | { kind: 'drawing'; width: number; height: number; rgba: Uint8Array };

/** The key of a model of a document, for its weights and presets. */
export function modelKey(uri: string, model: string): string {
  return `${uri}#${model}`;
}

export class ExplorerState {
  /** The document the selection is in (its URI as a string). */
  docUri: string | null = null;
  modelName: string | null = null;
  /** Index of the selected layer in the model's layers. */
  selected = 0;
  input: InputChoice = { kind: 'sample', id: 'digit-3' };
  /** The what-if change previewed on the selected model, and the model it gives. */
  whatIf: { change: WhatIf; graph: ModelGraph } | null = null;
  /** The layer whose output the panel hides until its shape is predicted: its inline hint and hover show "?". */
  private hiddenOutput: { uri: string; layer: string } | null = null;
  private readonly weights = new Map<string, LoadedWeights>();
  private readonly presets = new Map<string, LayerPresets>();

  /** Selects a layer; another document or model drops the what-if. */
  select(uri: string, model: string, index: number): void {
    const changed = this.docUri !== uri || this.modelName !== model;
    this.docUri = uri;
    this.modelName = model;
    this.selected = index;
    if (changed) this.whatIf = null;
  }

  isDocument(uri: string): boolean {
    return this.docUri === uri;
  }

  /** The selected model's key. */
  key(): string {
    return modelKey(String(this.docUri), String(this.modelName));
  }

  // ---- the predict-the-shape exercise ----

  /**
   * The panel hid (hidden) or showed again the output of the layer named `layer` of the selected
   * document. One layer is hidden at a time: hiding another replaces it; showing again a layer
   * that is not the hidden one changes nothing. True when the hidden layer changed.
   */
  setOutputHidden(layer: string, hidden: boolean): boolean {
    if (this.docUri === null) return false;
    const before = this.hiddenOutput;
    if (hidden) this.hiddenOutput = { uri: this.docUri, layer };
    else if (before?.uri === this.docUri && before.layer === layer) this.hiddenOutput = null;
    return before?.uri !== this.hiddenOutput?.uri || before?.layer !== this.hiddenOutput?.layer;
  }

  /** Whether the layer named `layer` of the document `uri` has its output hidden. */
  isOutputHidden(uri: string, layer: string): boolean {
    return this.hiddenOutput !== null && this.hiddenOutput.uri === uri && this.hiddenOutput.layer === layer;
  }

  // ---- input ----

  /** A sample by id; an id that is not a sample changes nothing. */
  chooseSample(id: string): void {
    if ((SAMPLES as readonly string[]).includes(id)) this.input = { kind: 'sample', id };
  }

  /** The input's name as the panel shows it (`drawing` is the word for a drawn digit). */
  inputName(drawing: string): string {
    if (this.input.kind === 'sample') return this.input.id;
    if (this.input.kind === 'drawing') return drawing;
    return this.input.uri.path.split('/').pop() ?? '';
  }

  // ---- weights and presets ----

  setWeights(uri: string, model: string, weights: LoadedWeights): void {
    this.weights.set(modelKey(uri, model), weights);
  }

  /** The selected model's loaded weights. */
  loadedWeights(): LoadedWeights | null {
    return this.weights.get(this.key()) ?? null;
  }

  /** The selected model's presets (they are on one layer at a time). */
  layerPresets(): LayerPresets | null {
    return this.presets.get(this.key()) ?? null;
  }

  /**
   * Sets (or clears, with null or an unknown name) the preset of one filter of the selected
   * layer, `layer`. Presets on another layer of the model are dropped; with no preset left the
   * model has none. False when the layer is not a convolution, or has more filters than
   * presets can be chosen for (MAX_PRESET_FILTERS: the list is one slot per filter), or the
   * filter is not one of its own (nothing changes).
   */
  setPreset(layer: LayerNode | undefined, filter: number, preset: string | null): boolean {
    if (!layer || layer.spec.cfg.kind !== 'conv') return false;
    const filters = layer.spec.cfg.c.filters ?? 1;
    if (!Number.isInteger(filters) || filters < 1 || filters > MAX_PRESET_FILTERS) return false;
    if (!Number.isInteger(filter) || filter < 0 || filter >= filters) return false;
    const key = this.key();
    const own = this.presets.get(key);
    const list =
      own && own.layer === this.selected ? [...own.presets] : new Array<PresetName | null>(filters).fill(null);
    if (filter < list.length) list[filter] = preset !== null && isPreset(preset) ? preset : null;
    if (list.every((p) => p === null)) this.presets.delete(key);
    else this.presets.set(key, { layer: this.selected, presets: list });
    return true;
  }

  // ---- what-if ----

  /** The previewed change with `change` on top. */
  whatIfChange(change: WhatIf): WhatIf {
    return { ...this.whatIf?.change, ...change };
  }
}
