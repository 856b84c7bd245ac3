/**
 * Runs a model graph with the engine: from an input tensor through every layer, returning each
 * layer's activation in the framework's layout (what `model(x)` or a forward hook gives).
 * Layers the engine cannot run stop the run with a message naming the layer.
 */
import * as E from '../engine';
import { isKnown } from '../model/dims';
import type { LayerNode, ModelGraph, PaddingSpec } from '../model/ir';
import { paramSpecs, type ParamSpec } from './params';

export type WeightSource = (node: LayerNode, p: ParamSpec) => Float32Array;

export interface LayerRun {
  layer: LayerNode;
  output: E.Tensor;
  ms: number;
}

export class RunError extends Error {
  override readonly name = 'RunError';
  /** `code`: the engine's error code when the engine refused the layer. */
  constructor(readonly layer: string, message: string, readonly code: E.EngineErrorCode | null = null) {
    super(message);
  }
}

function pad2d(p: PaddingSpec, rank: 1 | 2): E.Padding2D {
  if (p === 'valid' || p === 'same') return p;
  if (p === 'causal') throw new Error('causal padding is computed per axis');
  return rank === 1 ? [[0, 0], [p[0]![0], p[0]![1]]] : [[p[0]![0], p[0]![1]], [p[1]![0], p[1]![1]]];
}

function layoutOf(node: LayerNode): E.Layout {
  return node.spec.framework === 'keras' ? 'channelsLast' : 'channelsFirst';
}

function params(node: LayerNode, weights: WeightSource): Map<string, E.Tensor> {
  const specs = paramSpecs(node);
  if (specs === null) throw new RunError(node.name, `${node.name}: its parameter shapes are not known`);
  const out = new Map<string, E.Tensor>();
  for (const p of specs) out.set(p.name, E.tensor(p.shape, weights(node, p), node.name));
  return out;
}

function activate(t: E.Tensor, fn: string | null, node: LayerNode): E.Tensor {
  if (fn === null || fn === 'linear') return t;
  if (!E.isActivation(fn)) throw new RunError(node.name, `${node.name}: the activation '${fn}' is not supported by the engine`);
  return E.activation(t, fn);
}

/**
 * An activation module/function: Keras acts on the last axis; PyTorch's softmax on `dim`, or
 * without one, its legacy rule (dim 0 for 0-, 1- and 3-D inputs, else dim 1).
 */
function runActivation(node: LayerNode, x: E.Tensor, fn: string, alpha: number | undefined, axis: number | undefined): E.Tensor {
  if (!E.isActivation(fn)) throw new RunError(node.name, `${node.name}: the activation '${fn}' is not supported by the engine`);
  const torchSoftmax = node.spec.framework === 'pytorch' && (fn === 'softmax' || fn === 'log_softmax');
  const legacyDim = [0, 1, 3].includes(x.shape.length) ? 0 : 1;
  return E.activation(x, fn, { ...(alpha !== undefined ? { alpha } : {}), axis: axis ?? (torchSoftmax ? legacyDim : -1) });
}

function resolveReshape(node: LayerNode, x: E.Tensor, target: number[], includesBatch: boolean): number[] {
  if (!includesBatch) return [x.shape[0]!, ...target];
  const out = node.outputShape;
  if (out && out.every(isKnown)) return out as number[];
  return target.map((d, i) => (d === -2 && i === 0 ? x.shape[0]! : d));
}

/** Runs one layer on its inputs (the panel reruns single layers for comparisons). */
export function runLayer(node: LayerNode, inputs: E.Tensor[], weights: WeightSource): E.Tensor {
  const cfg = node.spec.cfg;
  const layout = layoutOf(node);
  const x = inputs[0]!;
  const keras = node.spec.framework === 'keras';
  const name = `${node.spec.type} '${node.name}'`;
  switch (cfg.kind) {
    case 'input':
    case 'dropout':
    case 'identity':
      return x;
    case 'conv': {
      const c = cfg.c;
      const w = params(node, weights);
      const bias = w.get('bias') ?? null;
      let y: E.Tensor;
      if (c.depthwise !== 'none') {
        if (c.rank !== 2) throw new RunError(node.name, `${name}: only 2-D depthwise convolutions are supported`);
        const dw = E.depthwiseConv2d(x, w.get(c.depthwise === 'depthwise' ? 'kernel' : 'depthwise_kernel')!, {
          layout, strides: [c.strides[0]!, c.strides[1]!], dilations: [c.dilation[0]!, c.dilation[1]!], padding: pad2d(c.padding, 2),
          bias: c.depthwise === 'depthwise' ? bias : null, name,
        });
        y = c.depthwise === 'separable' ? E.conv2d(dw, w.get('pointwise_kernel')!, { layout, bias, kernelLayout: 'HWIO', name }) : dw;
      } else if (c.transposed) {
        if (c.rank !== 2) throw new RunError(node.name, `${name}: only 2-D transposed convolutions are supported`);
        const padding = keras ? (c.padding === 'same' ? 'same' : 'valid') : ([(c.padding as [number, number][])[0]![0], (c.padding as [number, number][])[1]![0]] as [number, number]);
        y = E.conv2dTranspose(x, w.get(keras ? 'kernel' : 'weight')!, {
          layout, strides: [c.strides[0]!, c.strides[1]!], dilations: [c.dilation[0]!, c.dilation[1]!], padding,
          ...(c.outputPadding && (!keras || c.outputPadding.some((v) => v > 0)) ? { outputPadding: [c.outputPadding[0]!, c.outputPadding[1]!] as [number, number] } : {}),
          groups: c.groups, bias, kernelLayout: keras ? 'HWOI' : 'IOHW', name,
        });
      } else if (c.rank === 1) {
        y = E.conv1d(x, w.get(keras ? 'kernel' : 'weight')!, {
          layout, stride: c.strides[0]!, dilation: c.dilation[0]!, padding: typeof c.padding === 'string' ? c.padding : c.padding[0]!,
          groups: c.groups, bias, kernelLayout: keras ? 'WIO' : 'OIW', name,
        });
      } else {
        y = E.conv2d(x, w.get(keras ? 'kernel' : 'weight')!, {
          layout, strides: [c.strides[0]!, c.strides[1]!], dilations: [c.dilation[0]!, c.dilation[1]!], padding: pad2d(c.padding, 2),
          groups: c.groups, bias, kernelLayout: keras ? 'HWIO' : 'OIHW', name,
        });
      }
      return activate(y, c.activation, node);
    }
    case 'pool': {
      const c = cfg.c;
      const common = { layout, mode: c.mode, ceilMode: c.ceilMode, countIncludePad: !keras && c.countIncludePad, torchPadRule: !keras, name };
      if (c.rank === 1) {
        return E.pool1d(x, { ...common, poolSize: c.pool[0]!, stride: c.strides[0]!, dilation: c.dilation[0]!, padding: typeof c.padding === 'string' ? (c.padding === 'causal' ? 'valid' : c.padding) : c.padding[0]! });
      }
      return E.pool2d(x, { ...common, poolSize: [c.pool[0]!, c.pool[1]!], strides: [c.strides[0]!, c.strides[1]!], dilations: [c.dilation[0]!, c.dilation[1]!], padding: pad2d(c.padding, 2) });
    }
    case 'globalPool': {
      if (cfg.rank !== 2) throw new RunError(node.name, `${name}: 1-D global pooling is not supported by the engine yet`);
      return E.globalPool2d(x, layout, cfg.mode, cfg.keepdims);
    }
    case 'adaptivePool': {
      if (cfg.out.length !== 2) throw new RunError(node.name, `${name}: 1-D adaptive pooling is not supported by the engine yet`);
      const v = E.imageView(name, x, layout);
      return E.adaptivePool2d(x, layout, cfg.mode, [cfg.out[0] ?? v.h, cfg.out[1] ?? v.w]);
    }
    case 'dense': {
      const w = params(node, weights);
      const y = E.dense(x, w.get(keras ? 'kernel' : 'weight')!, { kernelLayout: keras ? 'IO' : 'OI', bias: w.get('bias') ?? null, name });
      return activate(y, cfg.activation, node);
    }
    case 'flatten': {
      const rank = x.shape.length;
      const start = cfg.startDim < 0 ? cfg.startDim + rank : cfg.startDim;
      const end = cfg.endDim < 0 ? cfg.endDim + rank : cfg.endDim;
      const merged = x.shape.slice(start, end + 1).reduce((a, b) => a * b, 1);
      return E.reshape(x, [...x.shape.slice(0, start), merged, ...x.shape.slice(end + 1)], name);
    }
    case 'reshape':
      return E.reshape(x, resolveReshape(node, x, cfg.target, cfg.includesBatch), name);
    case 'batchNorm': {
      const w = params(node, weights);
      const c = keras ? x.shape[x.shape.length - 1]! : x.shape[1]!;
      return E.batchNorm(x, layout, {
        gamma: w.get(keras ? 'gamma' : 'weight')?.data ?? null, beta: w.get(keras ? 'beta' : 'bias')?.data ?? null,
        mean: w.get(keras ? 'moving_mean' : 'running_mean')?.data ?? new Float32Array(c),
        variance: w.get(keras ? 'moving_variance' : 'running_var')?.data ?? new Float32Array(c).fill(1), epsilon: cfg.epsilon,
      }, name);
    }
    case 'activation':
      return runActivation(node, x, cfg.fn, cfg.alpha, cfg.axis);
    case 'zeroPad':
      return E.zeroPad2d(x, layout, cfg.pads);
    case 'upsample':
      return E.upsample2d(x, {
        layout, mode: cfg.mode, alignCorners: cfg.alignCorners, torchNearest: !keras,
        ...(cfg.size ? { size: [cfg.size[0]!, cfg.size[1] ?? cfg.size[0]!] as [number, number] } : { scale: [Math.round(cfg.scale![0]!), Math.round(cfg.scale![1] ?? cfg.scale![0]!)] as [number, number] }),
      });
    case 'merge': {
      if (cfg.op === 'concat') return E.concatenate(inputs, cfg.axis, name);
      if (cfg.op === 'add') return E.add(inputs, name);
      const out = E.zeros(x.shape, name);
      out.data.fill(1);
      for (const t of inputs) for (let i = 0; i < out.data.length; i++) out.data[i] *= t.data[i]!;
      return out;
    }
    case 'layerNorm':
      throw new RunError(node.name, `${name}: layer normalization is not supported by the engine yet`);
    case 'unknown':
      throw new RunError(node.name, `${name}: ${cfg.reason}`);
  }
}

export interface RunModelOptions {
  /** Last layer index to run (default: all). */
  until?: number;
  /** Sees each layer's output as soon as it exists (progress, writing files). */
  onLayer?: (r: LayerRun, index: number, total: number) => void;
  /**
   * Which outputs to return. Outputs not returned are dropped as soon as no later layer needs
   * them, so a long model does not hold every activation at once.
   */
  keep?: (index: number) => boolean;
}

/** Runs the layers in order and returns the kept layers' outputs. */
export function runModel(graph: ModelGraph, input: E.Tensor, weights: WeightSource, options: RunModelOptions | number = {}): LayerRun[] {
  const o: RunModelOptions = typeof options === 'number' ? { until: options } : options;
  const until = Math.min(o.until ?? graph.layers.length - 1, graph.layers.length - 1);
  const keep = o.keep ?? (() => true);
  const lastUse = new Array<number>(until + 1).fill(-1);
  graph.layers.slice(0, until + 1).forEach((l, j) => l.inputs.forEach((i) => { if (i >= 0) lastUse[i] = j; }));
  const outs: (E.Tensor | undefined)[] = [];
  const runs: LayerRun[] = [];
  for (let j = 0; j <= until; j++) {
    const layer = graph.layers[j]!;
    const inputs = layer.inputs.map((i) => (i < 0 ? input : outs[i]));
    if (inputs.some((t) => t === undefined)) throw new RunError(layer.name, `${layer.name}: an input of this layer was not computed`);
    const t = performance.now();
    let y: E.Tensor;
    try {
      y = runLayer(layer, inputs as E.Tensor[], weights);
    } catch (e) {
      if (e instanceof E.EngineError) throw new RunError(layer.name, e.message, e.code);
      throw e;
    }
    const r = { layer, output: y, ms: performance.now() - t };
    o.onLayer?.(r, j, until + 1);
    if (keep(j)) runs.push(r);
    outs.push(y);
    // free activations whose last consumer has run
    for (const i of layer.inputs) if (i >= 0 && lastUse[i] === j && !keep(i)) outs[i] = undefined;
    if (lastUse[j] === -1 && !keep(j) && j < until) outs[j] = undefined;
  }
  return runs;
}
