/**
 * Messages between the extension host and the explorer webview: one discriminated union per
 * direction, each with a runtime check. The webview bundle imports nothing else from the host.
 * Every message received is validated; anything malformed is dropped. Tensors travel as
 * Float32Array (structured clone), never as JSON number arrays, and always channels-first
 * (C, H, W) whatever the framework's layout: the host converts.
 */

import { isParamStats, type ParamStats } from './weightStats';

export const PROTOCOL_VERSION = 2;

/** Largest tensor the host sends in one view (elements). */
export const MAX_VIEW_ELEMENTS = 4_000_000;
/** Longest tensor key (TensorView.key). */
export const MAX_VIEW_KEY = 200;
/**
 * Bytes of tensor values a webview keeps by key, least recently used dropped first; the host
 * keeps the same account per webview and sends values it knows are kept as references.
 */
export const VIEW_CACHE_BYTES = 256 * 2 ** 20;
/** At most this many channels of a layer are sent; the view says how many there are. */
export const MAX_VIEW_CHANNELS = 64;
/** At most this many parameter tensors of a layer get statistics in a view. */
export const MAX_VIEW_PARAMS = 16;
/** At most this many inputs of a layer (a merge's branches) are sent; the view says how many there are. */
export const MAX_VIEW_INPUTS = 4;
/** Filters of a layer whose presets the panel can set (its weights info lists one per filter). */
export const MAX_PRESET_FILTERS = 4096;
/** Rows of the model strip the panel takes; a larger model is listed up to here, with a message. */
export const MAX_PANEL_LAYERS = 10_000;
/** Longest layer, model or shape text in a panel state. */
export const MAX_PANEL_NAME = 500;
/** Longest layer type. */
export const MAX_PANEL_TYPE = 200;
/** Largest parameter count a row may show. */
export const MAX_PANEL_PARAMS = 1e15;
/** Longest message or other free text. */
export const MAX_PANEL_TEXT = 10_000;

export type Locale = 'en' | 'ko';

export interface TensorView {
  /** Channels-first: [channels, height, width]; a vector is [1, 1, n]. */
  shape: [number, number, number];
  /** The values; empty when `ref` is set (the webview holds them under `key`: viewCache.ts). */
  data: Float32Array;
  min: number;
  max: number;
  /** Channels in the real tensor (the view may hold fewer: MAX_VIEW_CHANNELS). */
  totalChannels: number;
  /** What determines the values (the activation they are drawn from), when the host knows it. */
  key?: string;
  /** The values were sent before under `key` and are not sent again. */
  ref?: true;
  /** The values are not sent: they are the layer's pre-activation through ReLU (v > 0 ? v : 0), computed on arrival. */
  derived?: 'relu';
}

export interface LayerRow {
  index: number;
  name: string;
  type: string;
  /** 'conv' | 'pool' | 'dense' | 'flatten' | 'activation' | 'norm' | 'merge' | 'other' */
  kind: string;
  /** Framework notation, e.g. "(None, 28, 28, 32)" or "(N, 32, 28, 28)". */
  outputShape: string;
  params: number | null;
  line: number;
  error: string | null;
}

export interface Geometry {
  /**
   * 1: a sequence layer (Conv1D, MaxPooling1D, nn.Conv1d): the length is the width axis and the
   * height axis is a single step (inH = outH = 1, kernel, stride and dilation 1, no padding).
   */
  rank: 1 | 2;
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  kernel: [number, number];
  strides: [number, number];
  dilation: [number, number];
  /** top, bottom, left, right */
  pads: [number, number, number, number];
  padding: 'valid' | 'same' | 'explicit' | 'causal';
  /**
   * What the padding cells hold (absent: zeros): PyTorch padding_mode 'reflect' mirrors the input
   * without repeating its edge, 'replicate' repeats the edge, 'circular' wraps around.
   */
  fill?: PaddingFill;
}

export type PaddingFill = 'zeros' | 'reflect' | 'replicate' | 'circular';
export const PADDING_FILLS: readonly PaddingFill[] = ['zeros', 'reflect', 'replicate', 'circular'];

export type WeightsInfo =
  { kind: 'random'; seed: number } | { kind: 'file'; file: string } | { kind: 'preset'; presets: (string | null)[] };

/** How several inputs become one: element-wise, or joined along an axis. */
export type MergeOpName =
  'add' | 'subtract' | 'multiply' | 'divide' | 'average' | 'maximum' | 'minimum' | 'concat' | 'stack';
export const MERGE_OPS: readonly MergeOpName[] = [
  'add',
  'subtract',
  'multiply',
  'divide',
  'average',
  'maximum',
  'minimum',
  'concat',
  'stack',
];

/**
 * What an explanation card needs beyond the input and output: a normalization's statistics and
 * affine parameters per channel (at most MAX_VIEW_CHANNELS), a dropout's rate, an activation's
 * function, how a merge combines its inputs (concat: along the channel axis or another one).
 */
export type Explain =
  | {
      kind: 'batchNorm';
      mean: Float32Array;
      variance: Float32Array;
      gamma: Float32Array | null;
      beta: Float32Array | null;
      epsilon: number;
    }
  | { kind: 'dropout'; rate: number | null }
  | { kind: 'activation'; fn: string; alpha: number | null }
  | { kind: 'merge'; op: MergeOpName; alongChannels: boolean }
  /** Arithmetic with a number or a held tensor, written out ("out = x × 0.5"). */
  | { kind: 'arithmetic'; formula: string };

export interface LayerView {
  index: number;
  name: string;
  type: string;
  framework: 'keras' | 'pytorch';
  kind: 'conv' | 'pool' | 'dense' | 'flatten' | 'other';
  /** The layer's input (the image for the first layer). */
  input: TensorView;
  /** Its output (after the activation, for a convolution with one). */
  output: TensorView;
  /** A convolution with a fused activation: the output before it. */
  preActivation: TensorView | null;
  activation: string | null;
  /** Convolution kernels, [filters, in channels, kh, kw] flattened; bias per filter. */
  kernels: { shape: [number, number, number, number]; data: Float32Array; bias: Float32Array | null } | null;
  geometry: Geometry | null;
  /** Pooling: the other pooling mode on the same input (max ⇄ average), for comparison. */
  poolMode: 'max' | 'avg' | null;
  otherPool: TensorView | null;
  /** Flatten/Dense: how a (C, H, W) tensor is read into a vector. */
  flattenOrder: 'channels-last' | 'channels-first' | null;
  /** Dense output after softmax: the values are probabilities. */
  probabilities: boolean;
  weights: WeightsInfo;
  /** Per parameter tensor the layer runs with: mean, std, range and histogram (none for large layers). */
  weightStats: ParamStats[];
  /** The equivalent layer in the other framework, as code. */
  equivalent: string | null;
  /** Preprocessing of the input image, one sentence per step. */
  preprocessing: string[];
  /** Every input of the layer in order (a merge's branches), the first being `input`; at most MAX_VIEW_INPUTS. */
  inputs: TensorView[];
  /** How many inputs the layer has (`inputs` may hold fewer). */
  totalInputs: number;
  /** What the layer's explanation card needs, when it has one. */
  explain: Explain | null;
}

export interface ModelState {
  kind: 'model';
  modelName: string;
  framework: 'keras' | 'pytorch';
  /** A model read from a saved model file rather than source: its format's name ('ONNX', 'Keras (.keras)'). */
  fileFormat?: string;
  layers: LayerRow[];
  selected: number;
  /** null while the layer is being computed or when it cannot be shown (see message). */
  layer: LayerView | null;
  inputName: string;
  busy: boolean;
  message: string | null;
}

export interface EmptyState {
  kind: 'empty';
  title: string;
  hint: string;
}

export type PanelState = EmptyState | ModelState;

export interface PanelSettings {
  colormap: 'viridis' | 'gray' | 'magma';
  normalization: 'per-map' | 'per-layer';
  locale: Locale;
}

export type HostToWebview =
  | { type: 'state'; runId: number; state: PanelState }
  | { type: 'settings'; settings: PanelSettings }
  | { type: 'samples'; samples: { id: string; label: string }[] };

export type WhatIf = {
  kernel?: number;
  stride?: number;
  padding?: 'valid' | 'same';
  poolMode?: 'max' | 'avg';
};

export type WebviewToHost =
  | { type: 'ready'; protocol: number }
  | { type: 'selectLayer'; index: number }
  | { type: 'revealLayer'; index: number }
  | { type: 'chooseInput'; source: 'sample'; id: string }
  | { type: 'chooseInput'; source: 'workspace' | 'file' }
  | { type: 'drawnInput'; width: number; height: number; pixels: Uint8ClampedArray }
  | { type: 'setPreset'; filter: number; preset: string | null }
  | { type: 'whatIf'; change: WhatIf }
  | { type: 'applyWhatIf'; change: WhatIf }
  | { type: 'exportPng' }
  | { type: 'setNormalization'; value: 'per-map' | 'per-layer' }
  /** The learn card hides (or shows again) the output of the layer shown, `index` named `name`, until its shape is predicted. */
  | { type: 'outputHidden'; index: number; name: string; hidden: boolean }
  | { type: 'log'; level: 'info' | 'error'; message: string }
  /** A state referred to values the webview does not hold: send the state again with every value. */
  | { type: 'resend' }
  /** The state of run `runId` is drawn (the host then sends it to the other surfaces). */
  | { type: 'shown'; runId: number };

// ---- runtime checks ----

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const MAX_TEXT = MAX_PANEL_TEXT;

function isText(v: unknown, max = MAX_TEXT): v is string {
  return typeof v === 'string' && v.length <= max;
}

function isInt(v: unknown, min = 0, max = 1e9): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

function isNum(v: unknown): v is number {
  return typeof v === 'number' && !Number.isNaN(v);
}

function isIntTuple(v: unknown, n: number, min = 0): boolean {
  return Array.isArray(v) && v.length === n && v.every((x) => isInt(x, min));
}

export function isTensorView(v: unknown): v is TensorView {
  if (!isRecord(v) || !isIntTuple(v['shape'], 3, 1) || !(v['data'] instanceof Float32Array)) return false;
  const [c, h, w] = v['shape'] as number[];
  const n = c! * h! * w!;
  const ref = v['ref'];
  const derived = v['derived'];
  return (
    n <= MAX_VIEW_ELEMENTS &&
    (v['key'] === undefined || isText(v['key'], MAX_VIEW_KEY)) &&
    (ref === undefined || (ref === true && v['key'] !== undefined)) &&
    (derived === undefined || (derived === 'relu' && ref === undefined)) &&
    v['data'].length === (ref || derived ? 0 : n) &&
    isNum(v['min']) &&
    isNum(v['max']) &&
    isInt(v['totalChannels'], 1)
  );
}

function isChannelValues(v: unknown): v is Float32Array {
  return v instanceof Float32Array && v.length >= 1 && v.length <= MAX_VIEW_CHANNELS;
}

export function isExplain(v: unknown): v is Explain {
  if (!isRecord(v)) return false;
  switch (v['kind']) {
    case 'batchNorm': {
      const mean = v['mean'];
      const n = mean instanceof Float32Array ? mean.length : -1;
      const sameLength = (x: unknown): boolean => isChannelValues(x) && x.length === n;
      return (
        isChannelValues(mean) &&
        sameLength(v['variance']) &&
        (v['gamma'] === null || sameLength(v['gamma'])) &&
        (v['beta'] === null || sameLength(v['beta'])) &&
        isNum(v['epsilon']) &&
        (v['epsilon'] as number) >= 0
      );
    }
    case 'dropout':
      return v['rate'] === null || (isNum(v['rate']) && (v['rate'] as number) >= 0 && (v['rate'] as number) <= 1);
    case 'activation':
      return isText(v['fn'], 64) && (v['alpha'] === null || isNum(v['alpha']));
    case 'merge':
      return MERGE_OPS.includes(v['op'] as MergeOpName) && typeof v['alongChannels'] === 'boolean';
    case 'arithmetic':
      return isText(v['formula'], 200);
    default:
      return false;
  }
}

function isGeometry(v: unknown): v is Geometry {
  if (!(
    isRecord(v) &&
    (v['rank'] === 1 || v['rank'] === 2) &&
    ['inH', 'inW', 'outH', 'outW'].every((k) => isInt(v[k], 1)) &&
    isIntTuple(v['kernel'], 2, 1) &&
    isIntTuple(v['strides'], 2, 1) &&
    isIntTuple(v['dilation'], 2, 1) &&
    isIntTuple(v['pads'], 4) &&
    ['valid', 'same', 'explicit', 'causal'].includes(v['padding'] as string) &&
    (v['fill'] === undefined || PADDING_FILLS.includes(v['fill'] as PaddingFill))
  ))
    return false;
  // a sequence has one step of height: nothing slides or pads along it
  const g = v as unknown as Geometry;
  return (
    g.rank === 2 ||
    (g.inH === 1 &&
      g.outH === 1 &&
      g.kernel[0] === 1 &&
      g.strides[0] === 1 &&
      g.dilation[0] === 1 &&
      g.pads[0] === 0 &&
      g.pads[1] === 0)
  );
}

function isWeightsInfo(v: unknown): v is WeightsInfo {
  if (!isRecord(v)) return false;
  if (v['kind'] === 'random') return isInt(v['seed'], 0, 2 ** 32);
  if (v['kind'] === 'file') return isText(v['file'], 1000);
  if (v['kind'] === 'preset')
    return (
      Array.isArray(v['presets']) &&
      v['presets'].length <= MAX_PRESET_FILTERS &&
      v['presets'].every((p) => p === null || isText(p, 64))
    );
  return false;
}

function isLayerRow(v: unknown): v is LayerRow {
  return (
    isRecord(v) &&
    isInt(v['index']) &&
    isText(v['name'], MAX_PANEL_NAME) &&
    isText(v['type'], MAX_PANEL_TYPE) &&
    isText(v['kind'], 32) &&
    isText(v['outputShape'], MAX_PANEL_NAME) &&
    (v['params'] === null || isInt(v['params'], 0, MAX_PANEL_PARAMS)) &&
    isInt(v['line']) &&
    (v['error'] === null || isText(v['error']))
  );
}

function nullable<T>(v: unknown, check: (x: unknown) => x is T): boolean {
  return v === null || check(v);
}

export function isLayerView(v: unknown): v is LayerView {
  if (!isRecord(v)) return false;
  const k = v['kernels'];
  const kernelsOk =
    k === null ||
    (isRecord(k) &&
      isIntTuple(k['shape'], 4, 1) &&
      k['data'] instanceof Float32Array &&
      k['data'].length === (k['shape'] as number[]).reduce((a, b) => a * b, 1) &&
      k['data'].length <= MAX_VIEW_ELEMENTS &&
      (k['bias'] === null || k['bias'] instanceof Float32Array));
  return (
    isInt(v['index']) &&
    isText(v['name'], 500) &&
    isText(v['type'], 200) &&
    (v['framework'] === 'keras' || v['framework'] === 'pytorch') &&
    ['conv', 'pool', 'dense', 'flatten', 'other'].includes(v['kind'] as string) &&
    isTensorView(v['input']) &&
    isTensorView(v['output']) &&
    nullable(v['preActivation'], isTensorView) &&
    (v['activation'] === null || isText(v['activation'], 64)) &&
    kernelsOk &&
    nullable(v['geometry'], isGeometry) &&
    (v['poolMode'] === null || v['poolMode'] === 'max' || v['poolMode'] === 'avg') &&
    nullable(v['otherPool'], isTensorView) &&
    (v['flattenOrder'] === null || v['flattenOrder'] === 'channels-last' || v['flattenOrder'] === 'channels-first') &&
    typeof v['probabilities'] === 'boolean' &&
    isWeightsInfo(v['weights']) &&
    Array.isArray(v['weightStats']) &&
    v['weightStats'].length <= MAX_VIEW_PARAMS &&
    v['weightStats'].every(isParamStats) &&
    (v['equivalent'] === null || isText(v['equivalent'])) &&
    Array.isArray(v['preprocessing']) &&
    v['preprocessing'].length <= 20 &&
    v['preprocessing'].every((s) => isText(s, 500)) &&
    Array.isArray(v['inputs']) &&
    v['inputs'].length >= 1 &&
    v['inputs'].length <= MAX_VIEW_INPUTS &&
    v['inputs'].every(isTensorView) &&
    isInt(v['totalInputs'], v['inputs'].length, 100_000) &&
    nullable(v['explain'], isExplain)
  );
}

function isPanelState(v: unknown): v is PanelState {
  if (!isRecord(v)) return false;
  if (v['kind'] === 'empty') return isText(v['title']) && isText(v['hint']);
  if (v['kind'] !== 'model') return false;
  return (
    isText(v['modelName'], MAX_PANEL_NAME) &&
    (v['framework'] === 'keras' || v['framework'] === 'pytorch') &&
    (v['fileFormat'] === undefined || isText(v['fileFormat'], 100)) &&
    Array.isArray(v['layers']) &&
    v['layers'].length <= MAX_PANEL_LAYERS &&
    v['layers'].every(isLayerRow) &&
    isInt(v['selected']) &&
    nullable(v['layer'], isLayerView) &&
    isText(v['inputName'], 1000) &&
    typeof v['busy'] === 'boolean' &&
    (v['message'] === null || isText(v['message']))
  );
}

function isSettings(v: unknown): v is PanelSettings {
  return (
    isRecord(v) &&
    ['viridis', 'gray', 'magma'].includes(v['colormap'] as string) &&
    (v['normalization'] === 'per-map' || v['normalization'] === 'per-layer') &&
    (v['locale'] === 'en' || v['locale'] === 'ko')
  );
}

export function isHostToWebview(v: unknown): v is HostToWebview {
  if (!isRecord(v)) return false;
  switch (v['type']) {
    case 'state':
      return isInt(v['runId'], 0, Number.MAX_SAFE_INTEGER) && isPanelState(v['state']);
    case 'settings':
      return isSettings(v['settings']);
    case 'samples':
      return (
        Array.isArray(v['samples']) &&
        v['samples'].length <= 200 &&
        v['samples'].every((s) => isRecord(s) && isText(s['id'], 200) && isText(s['label'], 200))
      );
    default:
      return false;
  }
}

function isWhatIf(v: unknown): v is WhatIf {
  if (!isRecord(v)) return false;
  const keys = Object.keys(v);
  return (
    keys.length > 0 &&
    keys.every((k) => ['kernel', 'stride', 'padding', 'poolMode'].includes(k)) &&
    (v['kernel'] === undefined || isInt(v['kernel'], 1, 15)) &&
    (v['stride'] === undefined || isInt(v['stride'], 1, 8)) &&
    (v['padding'] === undefined || v['padding'] === 'valid' || v['padding'] === 'same') &&
    (v['poolMode'] === undefined || v['poolMode'] === 'max' || v['poolMode'] === 'avg')
  );
}

/** Largest drawing the pad may send. */
export const MAX_DRAWING_SIDE = 512;

export function isWebviewToHost(v: unknown): v is WebviewToHost {
  if (!isRecord(v)) return false;
  switch (v['type']) {
    case 'ready':
      return typeof v['protocol'] === 'number';
    case 'selectLayer':
    case 'revealLayer':
      return isInt(v['index'], 0, 100_000);
    case 'chooseInput':
      return v['source'] === 'sample' ? isText(v['id'], 200) : v['source'] === 'workspace' || v['source'] === 'file';
    case 'drawnInput':
      return (
        isInt(v['width'], 1, MAX_DRAWING_SIDE) &&
        isInt(v['height'], 1, MAX_DRAWING_SIDE) &&
        v['pixels'] instanceof Uint8ClampedArray &&
        v['pixels'].length === (v['width'] as number) * (v['height'] as number) * 4
      );
    case 'setPreset':
      return isInt(v['filter'], 0, MAX_PRESET_FILTERS - 1) && (v['preset'] === null || isText(v['preset'], 64));
    case 'whatIf':
    case 'applyWhatIf':
      return isWhatIf(v['change']);
    case 'exportPng':
    case 'resend':
      return true;
    case 'setNormalization':
      return v['value'] === 'per-map' || v['value'] === 'per-layer';
    case 'outputHidden':
      return isInt(v['index'], 0, 100_000) && isText(v['name'], 500) && typeof v['hidden'] === 'boolean';
    case 'log':
      return (v['level'] === 'info' || v['level'] === 'error') && isText(v['message']);
    case 'shown':
      return isInt(v['runId'], 0, Number.MAX_SAFE_INTEGER);
    default:
      return false;
  }
}
