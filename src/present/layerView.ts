/**
 * Building what the explorer panel shows for one layer (a LayerView of src/protocol.ts) from a
 * model run: tensors converted to channels-first (C, H, W) and capped, kernels in
 * [filters, in channels, kh, kw], the sliding-window geometry, the other pooling mode computed
 * on the same input, and the equivalent layer in the other framework.
 */
import * as E from '../engine';
import { equivalentCode } from '../model/equivalent';
import { isKnown } from '../shared/dims';
import type { LayerNode, ModelGraph } from '../model/ir';
import { MAX_VIEW_CHANNELS, MAX_VIEW_ELEMENTS, type Geometry, type LayerRow, type LayerView, type TensorView, type WeightsInfo } from '../shared/protocol';
import { runLayer, type WeightSource } from '../runtime/forward';
import { paramSpecs } from '../runtime/params';

/** A tensor (batch 1, framework layout) as channels-first (C, H, W), keeping at most MAX_VIEW_CHANNELS. */
export function toView(t: E.Tensor, framework: 'keras' | 'pytorch'): TensorView {
  const s = t.shape;
  let c: number, h: number, w: number;
  let at: (ci: number, y: number, x: number) => number;
  if (s.length === 4) {
    if (framework === 'keras') {
      [h, w, c] = [s[1]!, s[2]!, s[3]!];
      at = (ci, y, x) => t.data[(y * w + x) * c + ci]!;
    } else {
      [c, h, w] = [s[1]!, s[2]!, s[3]!];
      at = (ci, y, x) => t.data[(ci * h + y) * w + x]!;
    }
  } else if (s.length === 3) {
    // sequences: (N, L, C) Keras / (N, C, L) PyTorch → (C, 1, L)
    if (framework === 'keras') {
      [h, w, c] = [1, s[1]!, s[2]!];
      at = (ci, _y, x) => t.data[x * c + ci]!;
    } else {
      [c, h, w] = [s[1]!, 1, s[2]!];
      at = (ci, _y, x) => t.data[ci * w + x]!;
    }
  } else {
    const n = t.data.length / Math.max(1, s[0] ?? 1);
    [c, h, w] = [1, 1, n];
    at = (_c, _y, x) => t.data[x]!;
  }
  const keep = Math.max(1, Math.min(c, MAX_VIEW_CHANNELS, Math.floor(MAX_VIEW_ELEMENTS / Math.max(1, h * w))));
  const data = new Float32Array(keep * h * w);
  let min = Infinity;
  let max = -Infinity;
  for (let ci = 0; ci < keep; ci++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = at(ci, y, x);
        data[(ci * h + y) * w + x] = v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
  }
  if (!Number.isFinite(min)) [min, max] = [0, 0];
  return { shape: [keep, h, w], data, min, max, totalChannels: c };
}

function kindOf(node: LayerNode): LayerView['kind'] {
  const c = node.spec.cfg;
  if (c.kind === 'conv' && c.c.rank === 2 && !c.c.transposed) return 'conv';
  if (c.kind === 'pool' && c.c.rank === 2) return 'pool';
  if (c.kind === 'dense' || (c.kind === 'activation' && (c.fn === 'softmax' || c.fn === 'log_softmax'))) return 'dense';
  if (c.kind === 'flatten' || c.kind === 'reshape') return 'flatten';
  return 'other';
}

export function rowKind(node: LayerNode): string {
  const k = node.spec.cfg.kind;
  if (k === 'conv' || k === 'pool' || k === 'dense' || k === 'flatten' || k === 'activation') return k;
  if (k === 'globalPool' || k === 'adaptivePool') return 'pool';
  if (k === 'batchNorm' || k === 'layerNorm') return 'norm';
  if (k === 'merge') return 'merge';
  if (k === 'reshape') return 'flatten';
  return 'other';
}

function geometryOf(node: LayerNode): Geometry | null {
  const g = node.geometry;
  if (!g) return null;
  const c = node.spec.cfg;
  const mode = c.kind === 'conv' || c.kind === 'pool' ? (typeof c.c.padding === 'string' ? c.c.padding : 'explicit') : 'explicit';
  return {
    inH: g.h.inSize, inW: g.w.inSize, outH: g.outH, outW: g.outW, kernel: [g.h.kernel, g.w.kernel], strides: [g.h.stride, g.w.stride],
    dilation: [g.h.dilation, g.w.dilation], pads: [g.padTop, g.padBottom, g.padLeft, g.padRight], padding: mode,
  };
}

/** Kernels as [filters, in channels per group, kh, kw] from the framework's layout. */
function kernelsOf(node: LayerNode, weights: WeightSource): LayerView['kernels'] {
  const c = node.spec.cfg;
  if (c.kind !== 'conv' || c.c.rank !== 2 || c.c.transposed || c.c.depthwise === 'separable') return null;
  const specs = paramSpecs(node);
  const kSpec = specs?.find((p) => p.role === 'kernel');
  if (!specs || !kSpec) return null;
  const w = weights(node, kSpec);
  const bSpec = specs.find((p) => p.role === 'bias');
  const bias = bSpec ? weights(node, bSpec) : null;
  let cout: number, cin: number, kh: number, kw: number;
  let at: (o: number, i: number, y: number, x: number) => number;
  if (node.spec.framework === 'keras') {
    [kh, kw] = [kSpec.shape[0]!, kSpec.shape[1]!];
    if (c.c.depthwise === 'depthwise') {
      // (kh, kw, cin, mult): output channel ci·mult + m sees input channel ci only
      const [ci, m] = [kSpec.shape[2]!, kSpec.shape[3]!];
      [cout, cin] = [ci * m, 1];
      at = (o, _i, y, x) => w[((y * kw + x) * ci + Math.floor(o / m)) * m + (o % m)]!;
    } else {
      [cin, cout] = [kSpec.shape[2]!, kSpec.shape[3]!];
      at = (o, i, y, x) => w[((y * kw + x) * cin + i) * cout + o]!;
    }
  } else {
    [cout, cin, kh, kw] = [kSpec.shape[0]!, kSpec.shape[1]!, kSpec.shape[2]!, kSpec.shape[3]!];
    at = (o, i, y, x) => w[((o * cin + i) * kh + y) * kw + x]!;
  }
  const keepOut = Math.min(cout, MAX_VIEW_CHANNELS);
  const keepIn = Math.min(cin, MAX_VIEW_CHANNELS);
  if (keepOut * keepIn * kh * kw > MAX_VIEW_ELEMENTS) return null;
  const data = new Float32Array(keepOut * keepIn * kh * kw);
  for (let o = 0; o < keepOut; o++) for (let i = 0; i < keepIn; i++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) data[((o * keepIn + i) * kh + y) * kw + x] = at(o, i, y, x);
  return { shape: [keepOut, keepIn, kh, kw], data, bias: bias ? bias.slice(0, keepOut) : null };
}

export interface ViewInputs {
  graph: ModelGraph;
  index: number;
  /** The layer's input tensors and output, batch 1, framework layout. */
  inputs: E.Tensor[];
  output: E.Tensor;
  weights: WeightSource;
  weightsInfo: WeightsInfo;
  preprocessing: string[];
}

export function buildLayerView(v: ViewInputs): LayerView {
  const node = v.graph.layers[v.index]!;
  const fw = node.spec.framework;
  const cfg = node.spec.cfg;
  const kind = kindOf(node);
  let preActivation: TensorView | null = null;
  let activation: string | null = null;
  if (cfg.kind === 'conv' && cfg.c.activation && cfg.c.activation !== 'linear') {
    activation = cfg.c.activation;
    const bare: LayerNode = { ...node, spec: { ...node.spec, cfg: { ...cfg, c: { ...cfg.c, activation: null } } } };
    preActivation = toView(runLayer(bare, v.inputs, v.weights), fw);
  } else if (cfg.kind === 'dense' && cfg.activation) activation = cfg.activation;
  let otherPool: TensorView | null = null;
  let poolMode: LayerView['poolMode'] = null;
  if (cfg.kind === 'pool' && cfg.c.rank === 2) {
    poolMode = cfg.c.mode;
    const other: LayerNode = { ...node, spec: { ...node.spec, cfg: { ...cfg, c: { ...cfg.c, mode: cfg.c.mode === 'max' ? 'avg' : 'max' } } } };
    otherPool = toView(runLayer(other, v.inputs, v.weights), fw);
  }
  const probabilities = (cfg.kind === 'dense' && cfg.activation === 'softmax') || (cfg.kind === 'activation' && cfg.fn === 'softmax');
  return {
    index: v.index, name: node.name, type: node.spec.type, framework: fw, kind,
    input: toView(v.inputs[0]!, fw), output: toView(v.output, fw), preActivation, activation,
    kernels: kernelsOf(node, v.weights), geometry: geometryOf(node), poolMode, otherPool,
    flattenOrder: kind === 'flatten' || kind === 'dense' ? (fw === 'keras' ? 'channels-last' : 'channels-first') : null,
    probabilities, weights: v.weightsInfo, equivalent: equivalentCode(node), preprocessing: v.preprocessing,
  };
}

/** The model strip: one row per layer with its output shape in the framework's notation. */
export function layerRows(graph: ModelGraph, lineOf: (offset: number) => number, errors: Map<number, string>): LayerRow[] {
  const batch = graph.framework === 'keras' ? 'None' : 'N';
  return graph.layers.map((l) => ({
    index: l.index, name: l.name, type: l.spec.type, kind: rowKind(l),
    outputShape: l.outputShape ? `(${[batch, ...l.outputShape.slice(1).map((d) => (isKnown(d) ? String(d) : d.sym))].join(', ')})` : '?',
    params: l.spec.functional ? null : l.params, line: lineOf((l.spec.functional ? l.callRange : l.spec.range).from), error: errors.get(l.index) ?? null,
  }));
}
