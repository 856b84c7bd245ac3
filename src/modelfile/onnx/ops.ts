/**
 * ONNX ops → layer configs of the existing families (framework 'pytorch': channels-first, OIHW
 * weights, the same layouts as ONNX), with ONNX's semantics and defaults: pooling strides default
 * to 1, AveragePool excludes padding unless count_include_pad, auto_pad SAME puts the odd pixel
 * after (SAME_UPPER) or before (SAME_LOWER), Gemm folds alpha/beta/transB into a Linear weight
 * (out, in), Clip 0..6 is ReLU6. An op whose attributes ask for something the families cannot do
 * exactly is refused with the reason, never approximated.
 */
import type * as E from '../../engine';
import { isKnown, type Dim, type Shape } from '../../shared/dims';
import type { LayerCfg } from '../../model/ir';
import type { Attrs } from './attrs';
import { elementCount, type ConstTensor } from './tensors';

/** A node input: an activation (the model input or a layer output) or a constant. */
export type Operand = { kind: 'act'; name: string; shape: Shape } | { kind: 'const'; t: ConstTensor };

export interface OpInput {
  op: string;
  attrs: Attrs;
  opset: number;
  /** Aligned with the node's inputs; null for an optional input left out (''). */
  inputs: readonly (Operand | null)[];
  /** MatMul: the 1-D constant of the Add that follows it, fused into one dense layer. */
  fusedBias?: ConstTensor;
}

export interface WeightPlan {
  param: string;
  shape: number[];
  data: Float32Array;
}

export interface LayerPlan {
  cfg: LayerCfg;
  /** The activations the layer reads, in order (value names). */
  acts: string[];
  weights: WeightPlan[];
}

export type OpOutcome = LayerPlan | { unsupported: string };

const FLT_MAX = 3.4028234663852886e38;
const SELU_ALPHA = 1.67326319217681884765625;
const SELU_GAMMA = 1.05070102214813232421875;

const no = (detail: string): OpOutcome => ({ unsupported: detail });

function act(inp: OpInput, i: number): { name: string; shape: Shape } | null {
  const o = inp.inputs[i];
  return o && o.kind === 'act' ? o : null;
}

function constant(inp: OpInput, i: number): ConstTensor | null {
  const o = inp.inputs[i];
  return o && o.kind === 'const' ? o.t : null;
}

function floats(t: ConstTensor): Float32Array {
  return t.data instanceof Float32Array ? t.data : Float32Array.from(t.data);
}

function plan(cfg: LayerCfg, acts: string[], weights: WeightPlan[] = []): LayerPlan {
  return { cfg, acts, weights };
}

/** Per spatial axis [before, after] from ONNX pads [x1_begin, x2_begin, …, x1_end, x2_end, …]. */
function padPairs(pads: readonly number[], rank: number): [number, number][] {
  return Array.from({ length: rank }, (_, i) => [pads[i] ?? 0, pads[i + rank] ?? 0] as [number, number]);
}

/**
 * The explicit padding of a window op: pads, or what auto_pad computes from the input size
 * (SAME_*: output ceil(in / stride), the odd pixel after for SAME_UPPER, before for SAME_LOWER).
 */
function windowPadding(
  inp: OpInput,
  spatial: readonly Dim[],
  kernel: number[],
  strides: number[],
  dilation: number[],
): [number, number][] | string {
  const rank = kernel.length;
  const auto = inp.attrs.string('auto_pad', 'NOTSET');
  if (auto === 'NOTSET') {
    const pads = inp.attrs.ints('pads') ?? new Array<number>(2 * rank).fill(0);
    if (pads.length !== 2 * rank) return `pads has ${pads.length} values for ${rank} spatial axes`;
    if (pads.some((p) => p < 0)) return 'negative pads';
    return padPairs(pads, rank);
  }
  if (auto === 'VALID') return padPairs([], rank);
  if (auto !== 'SAME_UPPER' && auto !== 'SAME_LOWER') return `auto_pad '${auto}'`;
  const out: [number, number][] = [];
  for (let i = 0; i < rank; i++) {
    const d = spatial[i]!;
    if (!isKnown(d)) return `auto_pad ${auto} needs a known input size (pass the input shape)`;
    const s = strides[i]!;
    const eff = (kernel[i]! - 1) * dilation[i]! + 1;
    const total = Math.max((Math.ceil(d / s) - 1) * s + eff - d, 0);
    const small = Math.floor(total / 2);
    out.push(auto === 'SAME_UPPER' ? [small, total - small] : [total - small, small]);
  }
  return out;
}

function spatialOf(shape: Shape): readonly Dim[] {
  return shape.slice(2);
}

function conv(inp: OpInput): OpOutcome {
  const x = act(inp, 0);
  const w = constant(inp, 1);
  if (!x) return no('its input is not an activation');
  if (!w || w.int) return no('its weights are not a float constant of the file');
  const bias = inp.inputs[2] ? constant(inp, 2) : null;
  if (inp.inputs[2] && !bias) return no('its bias is computed at run time');
  const rank = w.dims.length - 2;
  if (rank !== 1 && rank !== 2) return no(`${rank}-D convolution`);
  if (x.shape.length !== rank + 2) return no(`a ${rank}-D convolution of a rank-${x.shape.length} input`);
  const a = inp.attrs;
  const kernel = a.ints('kernel_shape') ?? w.dims.slice(2);
  const strides = a.ints('strides') ?? kernel.map(() => 1);
  const dilation = a.ints('dilations') ?? kernel.map(() => 1);
  const group = a.int('group', 1);
  const transposed = inp.op === 'ConvTranspose';
  const filters = transposed ? w.dims[1]! * group : w.dims[0]!;
  const inChannels = transposed ? w.dims[0]! : w.dims[1]! * group;
  if (kernel.some((k, i) => k !== w.dims[2 + i])) return no(`kernel_shape [${kernel}] differs from the weights`);
  let padding: [number, number][];
  let outputPadding: number[] | null = null;
  if (transposed) {
    if (a.has('output_shape')) return no('output_shape (give pads and output_padding instead)');
    const auto = a.string('auto_pad', 'NOTSET');
    if (auto !== 'NOTSET' && auto !== 'VALID') return no(`auto_pad ${auto} on a transposed convolution`);
    padding = padPairs(auto === 'VALID' ? [] : (a.ints('pads') ?? []), rank);
    if (padding.some(([b, e]) => b !== e)) return no('asymmetric pads on a transposed convolution');
    outputPadding = a.ints('output_padding') ?? kernel.map(() => 0);
  } else {
    const p = windowPadding(inp, spatialOf(x.shape), kernel, strides, dilation);
    if (typeof p === 'string') return no(p);
    padding = p;
  }
  const weights: WeightPlan[] = [{ param: 'weight', shape: w.dims, data: floats(w) }];
  if (bias) {
    if (elementCount(bias.dims) !== filters)
      return no(`a bias of ${elementCount(bias.dims)} values for ${filters} filters`);
    weights.push({ param: 'bias', shape: [filters], data: floats(bias) });
  }
  return plan(
    {
      kind: 'conv',
      c: {
        rank: rank as 1 | 2,
        filters,
        inChannels,
        kernel,
        strides,
        dilation,
        padding,
        groups: group,
        useBias: bias !== null,
        activation: null,
        transposed,
        outputPadding,
        depthwise: 'none',
        depthMultiplier: 1,
      },
    },
    [x.name],
    weights,
  );
}

function pool(inp: OpInput): OpOutcome {
  const x = act(inp, 0);
  if (!x) return no('its input is not an activation');
  const a = inp.attrs;
  const kernel = a.ints('kernel_shape');
  if (!kernel) return no('kernel_shape is missing');
  const rank = kernel.length;
  if ((rank !== 1 && rank !== 2) || x.shape.length !== rank + 2) return no(`${rank}-D pooling`);
  const strides = a.ints('strides') ?? kernel.map(() => 1);
  const dilation = a.ints('dilations') ?? kernel.map(() => 1);
  const isMax = inp.op === 'MaxPool';
  if (!isMax && dilation.some((d) => d !== 1)) return no('dilated average pooling');
  if (isMax && a.int('storage_order', 0) !== 0) return no('storage_order 1');
  const padding = windowPadding(inp, spatialOf(x.shape), kernel, strides, dilation);
  if (typeof padding === 'string') return no(padding);
  if (padding.some(([b, e], i) => b > Math.floor(kernel[i]! / 2) || e > Math.floor(kernel[i]! / 2)))
    return no('pads larger than half the kernel');
  return plan(
    {
      kind: 'pool',
      c: {
        rank: rank as 1 | 2,
        mode: isMax ? 'max' : 'avg',
        pool: kernel,
        strides,
        padding,
        dilation,
        ceilMode: a.int('ceil_mode', 0) === 1,
        countIncludePad: a.int('count_include_pad', 0) === 1,
      },
    },
    [x.name],
  );
}

function globalPool(inp: OpInput): OpOutcome {
  const x = act(inp, 0);
  if (!x) return no('its input is not an activation');
  const rank = x.shape.length - 2;
  if (rank !== 1 && rank !== 2) return no(`global pooling of a rank-${x.shape.length} input`);
  return plan(
    { kind: 'globalPool', mode: inp.op === 'GlobalMaxPool' ? 'max' : 'avg', rank: rank as 1 | 2, keepdims: true },
    [x.name],
  );
}

/** A dense layer from a weight already in PyTorch's (out, in) layout. */
function dense(x: string, weight: Float32Array, units: number, inF: number, bias: Float32Array | null): LayerPlan {
  const weights: WeightPlan[] = [{ param: 'weight', shape: [units, inF], data: weight }];
  if (bias) weights.push({ param: 'bias', shape: [units], data: bias });
  return plan({ kind: 'dense', units, inFeatures: inF, useBias: bias !== null, activation: null }, [x], weights);
}

function transpose2d(t: Float32Array, rows: number, cols: number, scale: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = t[r * cols + c]! * scale;
  return out;
}

/** A bias for `units` outputs from a constant of one value or `units` values along the last axis. */
function biasOf(t: ConstTensor, units: number, scale: number): Float32Array | null {
  const n = elementCount(t.dims);
  const last = t.dims[t.dims.length - 1] ?? 1;
  if (n === 1) return new Float32Array(units).fill(t.data[0]! * scale);
  if (n === units && last === units) return Float32Array.from(floats(t), (v) => v * scale);
  return null;
}

function gemm(inp: OpInput): OpOutcome {
  const x = act(inp, 0);
  const b = constant(inp, 1);
  if (!x || x.shape.length !== 2) return no('its first input is not a 2-D activation');
  if (!b || b.int || b.dims.length !== 2) return no('its B input is not a 2-D float constant of the file');
  const a = inp.attrs;
  if (a.int('transA', 0) !== 0) return no('transA=1');
  const alpha = a.float('alpha', 1);
  const beta = a.float('beta', 1);
  const transB = a.int('transB', 0) === 1;
  const [units, inF] = transB ? [b.dims[0]!, b.dims[1]!] : [b.dims[1]!, b.dims[0]!];
  const data = floats(b);
  const weight = transB
    ? alpha === 1
      ? data
      : Float32Array.from(data, (v) => v * alpha)
    : transpose2d(data, inF, units, alpha);
  let bias: Float32Array | null = null;
  if (inp.inputs[2]) {
    const c = constant(inp, 2);
    if (!c || c.int) return no('its C input is not a float constant of the file');
    bias = biasOf(c, units, beta);
    if (!bias) return no(`C of shape [${c.dims}] does not broadcast per output`);
  }
  return dense(x.name, weight, units, inF, bias);
}

function matmul(inp: OpInput): OpOutcome {
  const x = act(inp, 0);
  const b = constant(inp, 1);
  if (!x || x.shape.length < 2) return no('its first input is not an activation of rank 2 or more');
  if (!b || b.int || b.dims.length !== 2) return no('its second input is not a 2-D float constant of the file');
  const [inF, units] = [b.dims[0]!, b.dims[1]!];
  const bias = inp.fusedBias ? biasOf(inp.fusedBias, units, 1) : null;
  return dense(x.name, transpose2d(floats(b), inF, units, 1), units, inF, bias);
}

function batchNorm(inp: OpInput): OpOutcome {
  const x = act(inp, 0);
  if (!x) return no('its input is not an activation');
  if (inp.attrs.int('training_mode', 0) !== 0) return no('training_mode=1');
  const ts = [1, 2, 3, 4].map((i) => constant(inp, i));
  if (ts.some((t) => !t || t.int)) return no('its scale, bias, mean and variance are not float constants of the file');
  const n = elementCount(ts[0]!.dims);
  if (ts.some((t) => elementCount(t!.dims) !== n)) return no('its scale, bias, mean and variance differ in size');
  const names = ['weight', 'bias', 'running_mean', 'running_var'];
  return plan(
    {
      kind: 'batchNorm',
      numFeatures: n,
      epsilon: inp.attrs.float('epsilon', 1e-5),
      center: true,
      scale: true,
      trackStats: true,
    },
    [x.name],
    ts.map((t, i) => ({ param: names[i]!, shape: [n], data: floats(t!) })),
  );
}

function prelu(inp: OpInput): OpOutcome {
  const x = act(inp, 0);
  const s = constant(inp, 1);
  if (!x) return no('its input is not an activation');
  if (!s || s.int) return no('its slope is not a float constant of the file');
  const n = elementCount(s.dims);
  // one slope, or one per channel shaped (C, 1, …, 1) so that it broadcasts on axis 1
  const perChannel =
    s.dims.length === x.shape.length - 1 && s.dims.slice(1).every((d) => d === 1) && x.shape[1] === s.dims[0];
  if (n !== 1 && !perChannel) return no(`a slope of shape [${s.dims}] (one per channel or one in all is read)`);
  return plan(
    { kind: 'channelPrelu', numParameters: n, init: 0.25 },
    [x.name],
    [{ param: 'weight', shape: [n], data: floats(s) }],
  );
}

function scalarOf(t: ConstTensor | null): number | null {
  return t && !t.int && elementCount(t.dims) === 1 ? t.data[0]! : null;
}

function clip(inp: OpInput): OpOutcome {
  const x = act(inp, 0);
  if (!x) return no('its input is not an activation');
  let lo = -FLT_MAX;
  let hi = FLT_MAX;
  if (inp.opset < 11) {
    lo = inp.attrs.float('min', lo);
    hi = inp.attrs.float('max', hi);
  } else {
    if (inp.inputs[1]) {
      const v = scalarOf(constant(inp, 1));
      if (v === null) return no('its min is not a constant number');
      lo = v;
    }
    if (inp.inputs[2]) {
      const v = scalarOf(constant(inp, 2));
      if (v === null) return no('its max is not a constant number');
      hi = v;
    }
  }
  if (lo === 0 && hi === 6) return plan({ kind: 'activation', fn: 'relu6' }, [x.name]);
  if (lo === 0 && hi >= FLT_MAX) return plan({ kind: 'activation', fn: 'relu' }, [x.name]);
  return plan({ kind: 'activation', fn: 'hardtanh', range: [lo, hi] }, [x.name]);
}

const SIMPLE: Record<string, E.ActivationName> = {
  Relu: 'relu',
  Sigmoid: 'sigmoid',
  Tanh: 'tanh',
  Softplus: 'softplus',
  Softsign: 'softsign',
  HardSwish: 'hard_swish',
  Mish: 'mish',
};

function activation(inp: OpInput): OpOutcome {
  const x = act(inp, 0);
  if (!x) return no('its input is not an activation');
  const a = inp.attrs;
  const simple = SIMPLE[inp.op];
  if (simple) return plan({ kind: 'activation', fn: simple }, [x.name]);
  switch (inp.op) {
    case 'LeakyRelu':
      return plan({ kind: 'activation', fn: 'leaky_relu', alpha: a.float('alpha', 0.01) }, [x.name]);
    case 'Elu':
      return plan({ kind: 'activation', fn: 'elu', alpha: a.float('alpha', 1) }, [x.name]);
    case 'Selu':
      if (a.float('alpha', SELU_ALPHA) !== SELU_ALPHA || a.float('gamma', SELU_GAMMA) !== SELU_GAMMA)
        return no('alpha or gamma other than the standard SELU constants');
      return plan({ kind: 'activation', fn: 'selu' }, [x.name]);
    case 'HardSigmoid': {
      const alpha = a.float('alpha', 0.2);
      const beta = a.float('beta', 0.5);
      // PyTorch's Hardsigmoid exports alpha=1/6 (in float32), beta=0.5: relu6(x + 3) / 6
      if (beta === 0.5 && alpha === Math.fround(1 / 6))
        return plan({ kind: 'activation', fn: 'hard_sigmoid' }, [x.name]);
      if (beta === 0.5 && alpha === Math.fround(0.2))
        return plan({ kind: 'activation', fn: 'hard_sigmoid_legacy' }, [x.name]);
      return no(`alpha=${alpha}, beta=${beta} (1/6 and 0.5, or 0.2 and 0.5 are read)`);
    }
    case 'Gelu':
      if (a.string('approximate', 'none') !== 'none') return no("approximate='tanh'");
      return plan({ kind: 'activation', fn: 'gelu' }, [x.name]);
    case 'Softmax':
    case 'LogSoftmax': {
      const rank = x.shape.length;
      const axis = a.int('axis', inp.opset < 13 ? 1 : -1);
      const at = axis < 0 ? axis + rank : axis;
      // before opset 13 the input is flattened from `axis` on: one axis only when it is the last
      if (inp.opset < 13 && at !== rank - 1 && !x.shape.slice(at + 1).every((d) => d === 1))
        return no(`axis ${axis} before opset 13 (softmax over the flattened trailing axes)`);
      return plan({ kind: 'activation', fn: inp.op === 'Softmax' ? 'softmax' : 'log_softmax', axis: at }, [x.name]);
    }
    default:
      return no('');
  }
}

/** A reshape to a known output shape; the batch axis stays the batch (−2) when it is symbolic. */
function reshapeTo(x: { name: string; shape: Shape }, out: readonly Dim[]): OpOutcome {
  const target: number[] = [];
  for (const [i, d] of out.entries()) {
    if (isKnown(d)) target.push(d);
    else if (i === 0 && d === x.shape[0]) target.push(-2);
    else return no('a size not known until run time');
  }
  return plan({ kind: 'reshape', target, includesBatch: true }, [x.name]);
}

function axesInput(inp: OpInput, i: number): number[] | null | 'bad' {
  if (inp.opset < 13 || (inp.op.startsWith('Reduce') && inp.opset < 18 && inp.op !== 'ReduceSum'))
    return inp.attrs.ints('axes');
  if (!inp.inputs[i]) return null;
  const t = constant(inp, i);
  return t && t.int && !t.sym ? Array.from(t.data) : 'bad';
}

function squeezeOps(inp: OpInput): OpOutcome {
  const x = act(inp, 0);
  if (!x) return no('its input is not an activation');
  const axes = axesInput(inp, 1);
  if (axes === 'bad') return no('its axes are not a constant');
  const rank = x.shape.length;
  if (inp.op === 'Squeeze') {
    if (!axes) return plan({ kind: 'squeeze', dim: null }, [x.name]);
    const at = axes.map((a) => (a < 0 ? a + rank : a));
    if (at.some((a) => a < 0 || a >= rank || x.shape[a] !== 1)) return no('it squeezes an axis whose size is not 1');
    if (at.length === 1) return plan({ kind: 'squeeze', dim: at[0]! }, [x.name]);
    return reshapeTo(
      x,
      x.shape.filter((_, i) => !at.includes(i)),
    );
  }
  if (!axes) return no('its axes are missing');
  const outRank = rank + axes.length;
  const at = axes.map((a) => (a < 0 ? a + outRank : a));
  if (at.length === 1) return plan({ kind: 'unsqueeze', dim: at[0]! }, [x.name]);
  const out: Dim[] = [];
  let k = 0;
  for (let i = 0; i < outRank; i++) out.push(at.includes(i) ? 1 : x.shape[k++]!);
  return reshapeTo(x, out);
}

const REDUCE: Record<string, E.ReduceOp> = {
  ReduceMean: 'mean',
  ReduceMax: 'amax',
  ReduceMin: 'amin',
  ReduceSum: 'sum',
};

function reduce(inp: OpInput): OpOutcome {
  const x = act(inp, 0);
  if (!x) return no('its input is not an activation');
  const axes = axesInput(inp, 1);
  if (axes === 'bad') return no('its axes are not a constant');
  const keepdim = inp.attrs.int('keepdims', 1) === 1;
  if (!axes || axes.length === 0) {
    if (inp.attrs.int('noop_with_empty_axes', 0) === 1) return plan({ kind: 'identity' }, [x.name]);
    return plan({ kind: 'reduce', op: REDUCE[inp.op]!, dims: null, keepdim }, [x.name]);
  }
  return plan({ kind: 'reduce', op: REDUCE[inp.op]!, dims: axes, keepdim }, [x.name]);
}

function flatten(inp: OpInput): OpOutcome {
  const x = act(inp, 0);
  if (!x) return no('its input is not an activation');
  const rank = x.shape.length;
  const axis = inp.attrs.int('axis', 1);
  const at = axis < 0 ? axis + rank : axis;
  if (at === 1) return plan({ kind: 'flatten', startDim: 1, endDim: -1 }, [x.name]);
  const prod = (s: readonly Dim[]): Dim =>
    s.reduce<Dim>((p, d) => (isKnown(p) && isKnown(d) ? p * d : { sym: '?' }), 1);
  return reshapeTo(x, [prod(x.shape.slice(0, at)), prod(x.shape.slice(at))]);
}

function reshape(inp: OpInput): OpOutcome {
  const x = act(inp, 0);
  const s = constant(inp, 1);
  if (!x) return no('its input is not an activation');
  if (!s || !s.int) return no('its shape is not a constant');
  const allowZero = inp.attrs.int('allowzero', 0) === 1;
  const target: number[] = [];
  for (const [i, v] of Array.from(s.data).entries()) {
    const name = s.sym?.[i] ?? null;
    const copy = v === 0 && !allowZero;
    const d: Dim | null = name !== null ? { sym: name } : copy ? (x.shape[i] ?? null) : v;
    if (d === null) return no(`shape element ${i} copies an axis the input does not have`);
    if (isKnown(d)) target.push(d);
    else if (i === 0 && x.shape[0] !== undefined && !isKnown(x.shape[0]) && d.sym === x.shape[0].sym) target.push(-2);
    else return no(`shape element ${i} is a size not known until run time`);
  }
  return plan({ kind: 'reshape', target, includesBatch: true }, [x.name]);
}

function pad(inp: OpInput): OpOutcome {
  const x = act(inp, 0);
  if (!x) return no('its input is not an activation');
  const rank = x.shape.length;
  const a = inp.attrs;
  let pads: number[];
  let value = 0;
  let axes: number[] = x.shape.map((_, i) => i);
  if (inp.opset < 11) {
    pads = a.ints('pads') ?? [];
    value = a.float('value', 0);
  } else {
    const p = constant(inp, 1);
    if (!p || !p.int || p.sym) return no('its pads are not a constant');
    pads = Array.from(p.data);
    if (inp.inputs[2]) {
      const v = scalarOf(constant(inp, 2));
      if (v === null) return no('its constant_value is not a constant number');
      value = v;
    }
    if (inp.inputs[3]) {
      const t = constant(inp, 3);
      if (!t || !t.int) return no('its axes are not a constant');
      axes = Array.from(t.data, (v) => (v < 0 ? v + rank : v));
    }
  }
  if (pads.length !== 2 * axes.length) return no(`pads has ${pads.length} values for ${axes.length} axes`);
  const full: [number, number][] = x.shape.map(() => [0, 0]);
  axes.forEach((ax, i) => (full[ax] = [pads[i]!, pads[i + axes.length]!]));
  const first = full.findIndex(([b, e]) => b !== 0 || e !== 0);
  const modes: Record<string, E.FillMode> = {
    constant: 'constant',
    reflect: 'reflect',
    edge: 'replicate',
    wrap: 'circular',
  };
  const mode = modes[a.string('mode', 'constant')];
  if (!mode) return no(`mode '${a.string('mode', '')}'`);
  if (first < 0) return plan({ kind: 'identity' }, [x.name]);
  return plan({ kind: 'pad', mode, value, pads: full.slice(first) }, [x.name]);
}

function resize(inp: OpInput): OpOutcome {
  const x = act(inp, 0);
  if (!x) return no('its input is not an activation');
  if (x.shape.length !== 4) return no('resizing a tensor that is not 4-D');
  const a = inp.attrs;
  const mode = a.string('mode', 'nearest');
  if (mode !== 'nearest' && mode !== 'linear') return no(`mode '${mode}'`);
  if (a.int('antialias', 0) !== 0) return no('antialias');
  if (a.has('axes')) return no('axes');
  if (a.string('keep_aspect_ratio_policy', 'stretch') !== 'stretch') return no('keep_aspect_ratio_policy');
  // Upsample (opset 7–9) is Resize with asymmetric coordinates and floor
  const upsample = inp.op === 'Upsample';
  const coords = upsample ? 'asymmetric' : a.string('coordinate_transformation_mode', 'half_pixel');
  const nearestMode = upsample ? 'floor' : a.string('nearest_mode', 'round_prefer_floor');
  let scales: number[] | null = null;
  let sizes: number[] | null = null;
  if (upsample) {
    const s = inp.opset < 9 ? a.floats('scales') : scalarsOf(constant(inp, 1));
    scales = s;
  } else {
    const si = inp.opset < 11 ? 1 : 2;
    const st = inp.inputs[si] ? constant(inp, si) : null;
    if (st && elementCount(st.dims) > 0) scales = Array.from(st.data);
    const zt = inp.inputs[3] ? constant(inp, 3) : null;
    if (zt && elementCount(zt.dims) > 0) sizes = zt.sym ? null : Array.from(zt.data);
    if (!scales && !sizes) return no('its scales or sizes are not constants');
  }
  if (scales && (scales.length !== 4 || scales[0] !== 1 || scales[1] !== 1))
    return no('scales other than 1 on the batch and channel axes');
  const [h, w] = [x.shape[2]!, x.shape[3]!];
  let out: [number, number] | null = null;
  if (sizes) {
    if (sizes.length !== 4 || sizes[0] !== x.shape[0] || sizes[1] !== x.shape[1]) {
      if (sizes.length !== 4 || !isKnown(x.shape[1]!) || sizes[1] !== x.shape[1])
        return no('sizes that change the batch or channel axes');
    }
    out = [sizes[2]!, sizes[3]!];
  } else if (isKnown(h) && isKnown(w)) out = [Math.floor(h * scales![2]!), Math.floor(w * scales![3]!)];
  const integral = (sc: number[] | null) => sc !== null && sc.slice(2).every((v) => Number.isInteger(v) && v >= 1);
  if (mode === 'nearest') {
    if (coords !== 'asymmetric' || nearestMode !== 'floor')
      return no(`nearest with coordinate_transformation_mode '${coords}' and nearest_mode '${nearestMode}'`);
    // src = floor(dst / scale): ConvLens reproduces it exactly for whole-number factors
    const factors =
      scales ??
      (out && isKnown(h) && isKnown(w) && out[0] % h === 0 && out[1] % w === 0 ? [1, 1, out[0] / h, out[1] / w] : null);
    if (!integral(factors)) return no('nearest resizing by a factor that is not a whole number');
    return plan(
      { kind: 'upsample', scale: out ? null : factors!.slice(2), size: out, mode: 'nearest', alignCorners: false },
      [x.name],
    );
  }
  if (coords !== 'half_pixel' && coords !== 'pytorch_half_pixel' && coords !== 'align_corners')
    return no(`linear with coordinate_transformation_mode '${coords}'`);
  if (!out) {
    if (!integral(scales)) return no('linear resizing of an input of unknown size by a factor that is not whole');
    return plan(
      {
        kind: 'upsample',
        scale: scales!.slice(2),
        size: null,
        mode: 'bilinear',
        alignCorners: coords === 'align_corners',
      },
      [x.name],
    );
  }
  if (coords === 'pytorch_half_pixel' && (out[0] === 1 || out[1] === 1)) return no('pytorch_half_pixel to a size of 1');
  // half_pixel with scales uses 1/scale, the same as in/out when the output is a whole multiple
  if (coords !== 'align_corners' && scales && !sizes && !integral(scales))
    return no('linear resizing by a factor that is not a whole number');
  return plan(
    { kind: 'upsample', scale: null, size: out, mode: 'bilinear', alignCorners: coords === 'align_corners' },
    [x.name],
  );
}

function scalarsOf(t: ConstTensor | null): number[] | null {
  return t && !t.int ? Array.from(t.data) : null;
}

const BINARY: Record<string, 'add' | 'sub' | 'mul' | 'div'> = { Add: 'add', Sub: 'sub', Mul: 'mul', Div: 'div' };

function arithmetic(inp: OpInput): OpOutcome {
  const a0 = inp.inputs[0];
  const a1 = inp.inputs[1];
  if (!a0 || !a1) return no('an operand is missing');
  if (inp.op === 'Pow') {
    const x = act(inp, 0);
    const e = scalarOf(constant(inp, 1));
    if (!x || e === null) return no('a power other than an activation to a constant number');
    return plan({ kind: 'scalar', op: 'pow', value: e, scalarFirst: false }, [x.name]);
  }
  const op = BINARY[inp.op]!;
  if (a0.kind === 'act' && a1.kind === 'act') return plan({ kind: 'binary', op }, [a0.name, a1.name]);
  const [x, k, first] = a0.kind === 'act' ? [a0, a1, false] : [a1 as Operand, a0, true];
  if (x.kind !== 'act' || k.kind !== 'const') return no('no activation operand');
  if (k.t.int) return no('arithmetic of an activation with integers');
  if (elementCount(k.t.dims) === 1)
    return plan({ kind: 'scalar', op, value: k.t.data[0]!, scalarFirst: first }, [x.name]);
  return plan({ kind: 'binary', op, constant: { shape: k.t.dims, values: Array.from(k.t.data), first } }, [x.name]);
}

function layoutOps(inp: OpInput): OpOutcome {
  const a = inp.attrs;
  if (inp.op === 'Concat') {
    const names: string[] = [];
    for (const o of inp.inputs) {
      if (!o || o.kind !== 'act') return no('a constant among the concatenated tensors');
      names.push(o.name);
    }
    return plan({ kind: 'merge', op: 'concat', axis: a.int('axis', 0) }, names);
  }
  const x = act(inp, 0);
  if (!x) return no('its input is not an activation');
  if (inp.op === 'Transpose') {
    const rank = x.shape.length;
    return plan({ kind: 'permute', dims: a.ints('perm') ?? x.shape.map((_, i) => rank - 1 - i) }, [x.name]);
  }
  if (inp.op === 'Dropout') {
    const r = inp.opset < 12 ? a.float('ratio', 0.5) : scalarOf(inp.inputs[1] ? constant(inp, 1) : null);
    return plan({ kind: 'dropout', rate: r ?? 0.5 }, [x.name]);
  }
  return plan({ kind: 'identity' }, [x.name]);
}

/** Every op read as a layer, and the function that maps it. */
export const OPS: Readonly<Record<string, (inp: OpInput) => OpOutcome>> = {
  Conv: conv,
  ConvTranspose: conv,
  MaxPool: pool,
  AveragePool: pool,
  GlobalAveragePool: globalPool,
  GlobalMaxPool: globalPool,
  Gemm: gemm,
  MatMul: matmul,
  BatchNormalization: batchNorm,
  PRelu: prelu,
  Clip: clip,
  Relu: activation,
  Sigmoid: activation,
  Tanh: activation,
  Softplus: activation,
  Softsign: activation,
  HardSwish: activation,
  Mish: activation,
  LeakyRelu: activation,
  Elu: activation,
  Selu: activation,
  HardSigmoid: activation,
  Gelu: activation,
  Softmax: activation,
  LogSoftmax: activation,
  Flatten: flatten,
  Reshape: reshape,
  Squeeze: squeezeOps,
  Unsqueeze: squeezeOps,
  ReduceMean: reduce,
  ReduceMax: reduce,
  ReduceMin: reduce,
  ReduceSum: reduce,
  Pad: pad,
  Resize: resize,
  Upsample: resize,
  Add: arithmetic,
  Sub: arithmetic,
  Mul: arithmetic,
  Div: arithmetic,
  Pow: arithmetic,
  Concat: layoutOps,
  Transpose: layoutOps,
  Dropout: layoutOps,
  Identity: layoutOps,
};
