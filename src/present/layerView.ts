/**
 * Building what the explorer panel shows for one layer (a LayerView of src/shared/protocol.ts)
 * from a model run: tensors converted to channels-first (C, H, W) and capped, kernels in
 * [filters, in channels, kh, kw], the sliding-window geometry, and what the layer's family asks
 * for — the "before activation" rerun, the other pooling mode on the same input, the equivalent
 * layer in the other framework.
 */
import * as E from '../engine';
import { EngineError } from '../engine/errors';
import { axisGeometry, type Geometry2D } from '../engine/geometry';
import { conventions, type Framework } from '../model/conventions';
import { diagnosticMessage, type Diagnostic, type Locale } from '../model/diagnostics';
import type { LayerNode, ModelGraph } from '../model/ir';
import { axisPadding } from '../model/layers/window';
import { equivalentCode, panelSpec, paramSpecs } from '../model/nodes';
import { runLayer, type WeightSource } from '../runtime/forward';
import type { PanelExplain } from '../model/layers/family';
import {
  MAX_VIEW_CHANNELS,
  MAX_VIEW_ELEMENTS,
  MAX_VIEW_INPUTS,
  MAX_VIEW_PARAMS,
  type Explain,
  type Geometry,
  type LayerRow,
  type LayerView,
  type PaddingFill,
  type TensorView,
  type WeightsInfo,
} from '../shared/protocol';
import { Lru } from '../shared/lru';
import { paramStats, type ParamStats } from '../shared/weightStats';
import { shapeNotation, sourceRange } from './notation';

/** A tensor (batch 1, framework layout) as channels-first (C, H, W), keeping at most MAX_VIEW_CHANNELS. */
export function toView(t: E.Tensor, framework: Framework): TensorView {
  const s = t.shape;
  const src = t.data;
  // (c, h, w) of the view, and whether the values are interleaved (channels-last: element
  // (y, x, ci) at (y·w + x)·c + ci) or already in planes (channels-first, vectors)
  let c: number, h: number, w: number;
  let interleaved: boolean;
  if (s.length === 4) {
    interleaved = conventions(framework).channelsLast;
    [c, h, w] = interleaved ? [s[3]!, s[1]!, s[2]!] : [s[1]!, s[2]!, s[3]!];
  } else if (s.length === 3) {
    // sequences: (N, L, C) Keras / (N, C, L) PyTorch → (C, 1, L)
    interleaved = conventions(framework).channelsLast;
    [c, h, w] = interleaved ? [s[2]!, 1, s[1]!] : [s[1]!, 1, s[2]!];
  } else {
    interleaved = false;
    [c, h, w] = [1, 1, src.length / Math.max(1, s[0] ?? 1)];
  }
  const hw = h * w;
  const keep = Math.max(1, Math.min(c, MAX_VIEW_CHANNELS, Math.floor(MAX_VIEW_ELEMENTS / Math.max(1, hw))));
  let data: Float32Array;
  if (interleaved) {
    // in blocks of pixels: the block's source rows stay in cache while each plane's part of it
    // is written in order (a plane a pixel at a time would write `keep` streams whose
    // addresses, h·w·4 bytes apart, often fall in the same cache set)
    data = new Float32Array(keep * hw);
    const BLOCK = 64;
    for (let p0 = 0; p0 < hw; p0 += BLOCK) {
      const p1 = Math.min(hw, p0 + BLOCK);
      for (let ci = 0; ci < keep; ci++) {
        const plane = ci * hw;
        for (let p = p0; p < p1; p++) data[plane + p] = src[p * c + ci]!;
      }
    }
  } else data = src.slice(0, keep * hw);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min)) [min, max] = [0, 0];
  return { shape: [keep, h, w], data, min, max, totalChannels: c };
}

export function rowKind(node: LayerNode): string {
  return panelSpec(node).row;
}

function geometryOf(node: LayerNode): Geometry | null {
  const c = node.spec.cfg;
  const mode =
    c.kind === 'conv' || c.kind === 'pool' ? (typeof c.c.padding === 'string' ? c.c.padding : 'explicit') : 'explicit';
  const g = node.geometry ?? sequenceGeometry(node);
  if (!g) return null;
  return {
    rank: isSequenceWindow(node) ? 1 : 2,
    inH: g.h.inSize,
    inW: g.w.inSize,
    outH: g.outH,
    outW: g.outW,
    kernel: [g.h.kernel, g.w.kernel],
    strides: [g.h.stride, g.w.stride],
    dilation: [g.h.dilation, g.w.dilation],
    pads: [g.padTop, g.padBottom, g.padLeft, g.padRight],
    padding: mode,
    ...(c.kind === 'conv' && c.c.paddingMode && c.c.paddingMode !== 'zeros' && !c.c.transposed
      ? { fill: c.c.paddingMode as PaddingFill }
      : {}),
  };
}

/** A 1-D convolution or pooling layer (Conv1D, MaxPooling1D, nn.Conv1d, nn.MaxPool1d…). */
function isSequenceWindow(node: LayerNode): boolean {
  const c = node.spec.cfg;
  return (c.kind === 'conv' || c.kind === 'pool') && c.c.rank === 1;
}

/**
 * A 1-D window as a 2-D geometry of height one: the length is the width axis (the panel draws a
 * sequence as a 1×L strip), the height axis a single step that nothing slides along.
 */
function sequenceGeometry(node: LayerNode): Geometry2D | null {
  const c = node.spec.cfg;
  const s = node.inputShapes[0];
  if (!isSequenceWindow(node) || !s || s.length !== 3 || (c.kind !== 'conv' && c.kind !== 'pool')) return null;
  const len = conventions(node.spec.framework).splitShape(s).spatial[0];
  if (typeof len !== 'number') return null;
  try {
    const w = axisGeometry(node.name, {
      inSize: len,
      kernel: c.kind === 'conv' ? c.c.kernel[0]! : c.c.pool[0]!,
      stride: c.c.strides[0]!,
      dilation: c.c.dilation[0]!,
      padding: axisPadding(c.c.padding, 0),
      ceilMode: c.kind === 'pool' ? c.c.ceilMode : false,
    });
    if (w.out < 1) return null;
    const h = axisGeometry(node.name, { inSize: 1, kernel: 1, stride: 1, padding: 'valid' });
    return {
      h,
      w,
      outH: 1,
      outW: w.out,
      padTop: 0,
      padBottom: 0,
      padLeft: w.padBefore,
      padRight: w.padAfter,
    };
  } catch (e) {
    if (e instanceof EngineError) return null;
    throw e;
  }
}

/**
 * Kernels as [filters, in channels per group, kh, kw] from the framework's layout; a 1-D kernel
 * (Keras (k, in, out), PyTorch (out, in, k)) as kh = 1.
 */
function kernelsOf(node: LayerNode, weights: WeightSource): LayerView['kernels'] {
  const c = node.spec.cfg;
  if (c.kind !== 'conv' || c.c.transposed || c.c.depthwise === 'separable') return null;
  const specs = paramSpecs(node);
  const kSpec = specs?.find((p) => p.role === 'kernel');
  if (!specs || !kSpec) return null;
  const w = weights(node, kSpec);
  const bSpec = specs.find((p) => p.role === 'bias');
  const bias = bSpec ? weights(node, bSpec) : null;
  // a 1-D kernel is a 2-D one of height 1: the same index arithmetic with kh = 1
  const ks =
    c.c.rank === 1
      ? conventions(node.spec.framework).channelsLast
        ? [1, ...kSpec.shape]
        : [...kSpec.shape.slice(0, 2), 1, kSpec.shape[2]!]
      : kSpec.shape;
  if (ks.length !== 4) return null;
  let cout: number, cin: number, kh: number, kw: number;
  let at: (o: number, i: number, y: number, x: number) => number;
  if (conventions(node.spec.framework).channelsLast) {
    [kh, kw] = [ks[0]!, ks[1]!];
    if (c.c.depthwise === 'depthwise') {
      // (kh, kw, cin, mult): output channel ci·mult + m sees input channel ci only
      const [ci, m] = [ks[2]!, ks[3]!];
      [cout, cin] = [ci * m, 1];
      at = (o, _i, y, x) => w[((y * kw + x) * ci + Math.floor(o / m)) * m + (o % m)]!;
    } else {
      [cin, cout] = [ks[2]!, ks[3]!];
      at = (o, i, y, x) => w[((y * kw + x) * cin + i) * cout + o]!;
    }
  } else {
    [cout, cin, kh, kw] = [ks[0]!, ks[1]!, ks[2]!, ks[3]!];
    at = (o, i, y, x) => w[((o * cin + i) * kh + y) * kw + x]!;
  }
  const keepOut = Math.min(cout, MAX_VIEW_CHANNELS);
  const keepIn = Math.min(cin, MAX_VIEW_CHANNELS);
  if (keepOut * keepIn * kh * kw > MAX_VIEW_ELEMENTS) return null;
  const data = new Float32Array(keepOut * keepIn * kh * kw);
  for (let o = 0; o < keepOut; o++)
    for (let i = 0; i < keepIn; i++)
      for (let y = 0; y < kh; y++)
        for (let x = 0; x < kw; x++) data[((o * keepIn + i) * kh + y) * kw + x] = at(o, i, y, x);
  return { shape: [keepOut, keepIn, kh, kw], data, bias: bias ? bias.slice(0, keepOut) : null };
}

export interface ViewInputs {
  graph: ModelGraph;
  index: number;
  /** The layer's input tensors and output, batch 1, framework layout. */
  inputs: E.Tensor[];
  output: E.Tensor;
  /** A fused activation's input (the bare layer's output), when the caller has it: not run again. */
  preActivation?: E.Tensor;
  weights: WeightSource;
  weightsInfo: WeightsInfo;
  preprocessing: string[];
  /**
   * What determines each tensor (its activation's key: activationCache.ts), when known: the
   * webview keeps tensors by key and the host does not send one twice (shared/viewCache.ts).
   */
  keys?: { inputs: (string | undefined)[]; output: string; preActivation: string; otherPool: string };
  /** Keys of views whose values the caller holds: those come back as references, without values. */
  held?: ReadonlySet<string>;
}

/**
 * Views already built, by key (in the thread that builds them): showing a layer again, or the
 * next layer (whose input is this one's output), copies the view instead of converting the
 * layout again. Least recently used dropped past the bound; cleared with the activations.
 */
const builtViews = new Lru<TensorView>(192 * 2 ** 20);

export function clearBuiltViews(): void {
  builtViews.clear();
}

/**
 * A tensor's view with its key (the layout conversion and channel cap belong to the key too),
 * built once per key; a reference without values when the caller holds them (`held`).
 */
function keyedView(
  make: () => TensorView,
  key: string | undefined,
  fw: Framework,
  held: ReadonlySet<string> | undefined,
): TensorView {
  if (key === undefined) return make();
  const full = `v1:${fw}:${key}`;
  let t = builtViews.touch(full);
  if (!t) {
    t = { ...make(), key: full };
    builtViews.add(full, t.data.byteLength, t);
  }
  if (held?.has(full)) return { ...t, data: new Float32Array(0), ref: true };
  // the view leaves this thread (its buffer is moved): the kept one stays whole
  return { ...t, data: t.data.slice() };
}

export function buildLayerView(v: ViewInputs): LayerView {
  const node = v.graph.layers[v.index]!;
  const fw = node.spec.framework;
  const panel = panelSpec(node);
  // the same layer with another configuration, on the same inputs and weights
  const rerun = (cfg: LayerNode['spec']['cfg']): TensorView =>
    toView(runLayer({ ...node, spec: { ...node.spec, cfg } }, v.inputs, v.weights), fw);
  const kind = panel.kind;
  const k = v.keys;
  const kept = (make: () => TensorView, key: string | undefined): TensorView => keyedView(make, key, fw, v.held);
  const inputs = v.inputs.slice(0, MAX_VIEW_INPUTS).map((t, i) => kept(() => toView(t, fw), k?.inputs[i]));
  return {
    index: v.index,
    name: node.name,
    type: node.spec.type,
    framework: fw,
    kind,
    input: inputs[0]!,
    output: kept(() => toView(v.output, fw), k?.output),
    preActivation: v.preActivation
      ? kept(() => toView(v.preActivation!, fw), k?.preActivation)
      : panel.bare
        ? kept(() => rerun(panel.bare!), k?.preActivation)
        : null,
    activation: panel.activation ?? null,
    kernels: kernelsOf(node, v.weights),
    geometry: geometryOf(node),
    poolMode: panel.pool?.mode ?? null,
    otherPool: panel.pool ? kept(() => rerun(panel.pool!.other), k?.otherPool) : null,
    flattenOrder:
      kind === 'flatten' || kind === 'dense'
        ? conventions(fw).channelsLast
          ? 'channels-last'
          : 'channels-first'
        : null,
    probabilities: panel.probabilities ?? false,
    weights: v.weightsInfo,
    weightStats: weightStatsOf(node, v.weights),
    equivalent: equivalentCode(node),
    preprocessing: v.preprocessing,
    inputs,
    totalInputs: v.inputs.length,
    explain: panel.explain ? explainOf(node, panel.explain, v.weights) : null,
  };
}

/** The data of a layer's explanation card: a normalization's statistics, a merge's axis, … */
function explainOf(node: LayerNode, e: PanelExplain, weights: WeightSource): Explain | null {
  switch (e.kind) {
    case 'batchNorm': {
      const specs = paramSpecs(node);
      const get = (role: 'mean' | 'variance' | 'gamma' | 'beta'): Float32Array | null => {
        const p = specs?.find((x) => x.role === role);
        return p ? weights(node, p).slice(0, MAX_VIEW_CHANNELS) : null;
      };
      const gamma = get('gamma');
      const beta = get('beta');
      const n = gamma?.length ?? beta?.length ?? specs?.find((p) => p.role === 'mean')?.shape[0] ?? null;
      if (n === null) return null;
      // without tracked statistics the layer normalizes with mean 0 and variance 1 at inference (as it runs)
      const mean = get('mean') ?? new Float32Array(Math.min(n, MAX_VIEW_CHANNELS));
      const variance = get('variance') ?? new Float32Array(mean.length).fill(1);
      return { kind: 'batchNorm', mean, variance, gamma, beta, epsilon: e.epsilon };
    }
    case 'dropout':
      return { kind: 'dropout', rate: e.rate };
    case 'activation':
      return { kind: 'activation', fn: e.fn, alpha: e.alpha };
    case 'arithmetic':
      return { kind: 'arithmetic', formula: e.formula };
    case 'merge': {
      const rank = node.outputShape?.length ?? 0;
      const axis = e.axis < 0 ? e.axis + rank : e.axis;
      const joins = e.op === 'concat' || e.op === 'stack';
      return {
        kind: 'merge',
        op: e.op,
        alongChannels:
          joins && rank >= 3 && e.op === 'concat' && axis === conventions(node.spec.framework).channelAxis(rank),
      };
    }
  }
}

/** Weight tensors larger than this (elements, all of a layer's together) get no statistics. */
const MAX_STATS_ELEMENTS = 16_000_000;

/** The statistics of each parameter tensor the layer runs with (a file's, presets, or the initializers'). */
function weightStatsOf(node: LayerNode, weights: WeightSource): ParamStats[] {
  const specs = paramSpecs(node);
  if (!specs || specs.length === 0) return [];
  const total = specs.reduce((a, p) => a + p.shape.reduce((x, d) => x * d, 1), 0);
  if (total > MAX_STATS_ELEMENTS) return [];
  return specs.slice(0, MAX_VIEW_PARAMS).map((p) => statsOf(p.name, p.shape, weights(node, p)));
}

/** Statistics already computed, per weight array (kept initial values are the same arrays from view to view). */
const statsMemo = new WeakMap<Float32Array, ParamStats>();

function statsOf(name: string, shape: readonly number[], data: Float32Array): ParamStats {
  const kept = statsMemo.get(data);
  if (kept && kept.name === name && kept.shape.join() === shape.join())
    return { ...kept, shape: [...kept.shape], bins: [...kept.bins] };
  const st = paramStats(name, shape, data);
  statsMemo.set(data, st);
  return { ...st, shape: [...st.shape], bins: [...st.bins] };
}

/** The first error diagnostic inside each layer's source, worded: layer index → message. */
export function layerErrors(graph: ModelGraph, diagnostics: Diagnostic[], locale: Locale): Map<number, string> {
  const errors = new Map<number, string>();
  for (const l of graph.layers) {
    const r = sourceRange(l);
    // a model file's diagnostics name their layer; source diagnostics lie in its range
    const d = diagnostics.find(
      (x) =>
        x.severity === 'error' &&
        (x.node !== undefined ? x.node === l.name : x.range.from >= r.from && x.range.to <= r.to),
    );
    if (d) errors.set(l.index, diagnosticMessage(d, locale));
  }
  return errors;
}

/** The model strip: one row per layer with its output shape in the framework's notation. */
export function layerRows(
  graph: ModelGraph,
  lineOf: (offset: number) => number,
  errors: Map<number, string>,
): LayerRow[] {
  return graph.layers.map((l) => ({
    index: l.index,
    name: l.name,
    type: l.spec.type,
    kind: rowKind(l),
    outputShape: shapeNotation(l.outputShape, graph.framework),
    params: l.spec.functional ? null : l.params,
    line: lineOf(sourceRange(l).from),
    error: errors.get(l.index) ?? null,
  }));
}
