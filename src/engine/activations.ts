/**
 * Activation functions as both frameworks define them.
 * - gelu: exact erf form by default (Keras approximate=False, PyTorch approximate='none'),
 *   tanh form when `approximate` is set.
 * - hard_sigmoid: relu6(x + 3) / 6 (Keras 3, PyTorch Hardsigmoid). tf.keras 2 used
 *   clip(0.2x + 0.5, 0, 1): 'hard_sigmoid_legacy'.
 * - leaky_relu: slope from the call (Keras 3 layer 0.3, keras.activations 0.2, PyTorch 0.01).
 * - elu α = 1; selu with the standard α, λ; softmax/log_softmax along one axis (default last).
 * - hardtanh: clamp to [min, max] (PyTorch Hardtanh, default [−1, 1]); PReLU: learned slopes.
 */
import { fail } from './errors';
import { formatShape, sizeOf, unfilled, zeros, type Tensor } from './tensor';

export const ACTIVATIONS = [
  'linear',
  'relu',
  'relu6',
  'leaky_relu',
  'elu',
  'selu',
  'gelu',
  'sigmoid',
  'hard_sigmoid',
  'hard_sigmoid_legacy',
  'tanh',
  'softmax',
  'log_softmax',
  'softplus',
  'softsign',
  'swish',
  'silu',
  'hard_swish',
  'hard_silu',
  'mish',
  'hardtanh',
  'exponential',
] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

export function isActivation(name: string): name is ActivationName {
  return (ACTIVATIONS as readonly string[]).includes(name);
}

export interface ActivationOptions {
  /** leaky_relu negative slope, elu alpha. */
  alpha?: number;
  /** gelu tanh approximation. */
  approximate?: boolean;
  /** softplus as PyTorch's Softplus: log(1 + exp(β·x)) / β, and x itself where β·x > threshold. */
  beta?: number;
  threshold?: number;
  /** softmax / log_softmax axis (negative counts from the end). Default −1. */
  axis?: number;
  /** hardtanh bounds (PyTorch Hardtanh min_val, max_val; default −1, 1). */
  min?: number;
  max?: number;
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/**
 * erf via W. J. Cody's rational approximations (error below 1e-11),
 * far below float32 resolution.
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 0.5) {
    const t = x * x;
    const num =
      (((0.185777706184603153 * t + 3.1611237438705656) * t + 113.864154151050156) * t + 377.485237685302021) * t +
      3209.37758913846947;
    const den =
      (((t + 23.6012909523441209) * t + 244.024637934444173) * t + 1282.61652607737228) * t + 2844.23683343917062;
    return (x * num) / den;
  }
  return x < 0 ? -(1 - erfcPositive(ax)) : 1 - erfcPositive(ax);
}

function erfcPositive(x: number): number {
  if (x < 4) {
    const num =
      ((((((5.64188496988670089e-1 * x + 8.88314979438837594) * x + 66.1191906371416295) * x + 298.635138197400131) *
        x +
        881.95222124176909) *
        x +
        1712.04761263407058) *
        x +
        2051.07837782607147) *
        x +
      1230.33935479799725;
    const den =
      (((((((x + 15.7449261107098347) * x + 117.693950891312499) * x + 537.181101862009858) * x + 1621.38957456669019) *
        x +
        3290.79923573345963) *
        x +
        4362.61909014324716) *
        x +
        3439.36767414372164) *
        x +
      1230.33935480374942;
    return Math.exp(-x * x) * (num / den);
  }
  const z = 1 / (x * x);
  const num =
    ((((1.63153871373020978e-2 * z + 3.05326634961232344e-1) * z + 3.60344899949804439e-1) * z +
      1.25781726111229246e-1) *
      z +
      1.60837851487422766e-2) *
      z +
    6.58749161529837803e-4;
  const den =
    ((((z + 2.56852019228982242) * z + 1.87295284992346725) * z + 5.27905102951428412e-1) * z +
      6.05183413124413191e-2) *
      z +
    2.33520497626869185e-3;
  return (Math.exp(-x * x) / x) * (1 / Math.sqrt(Math.PI) - (z * num) / den);
}

function sigmoid(v: number): number {
  return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
}

function softplus(v: number): number {
  return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
}

/** Returns a function applying one element-wise activation. */
export function elementwise(
  name: Exclude<ActivationName, 'softmax' | 'log_softmax'>,
  o: ActivationOptions = {},
): (v: number) => number {
  switch (name) {
    case 'linear':
      return (v) => v;
    case 'relu':
      return (v) => (v > 0 ? v : 0);
    case 'relu6':
      return (v) => Math.min(Math.max(v, 0), 6);
    case 'leaky_relu': {
      const a = o.alpha ?? 0.01;
      return (v) => (v >= 0 ? v : a * v);
    }
    case 'elu': {
      const a = o.alpha ?? 1;
      return (v) => (v > 0 ? v : a * Math.expm1(v));
    }
    case 'selu':
      return (v) => SELU_SCALE * (v > 0 ? v : SELU_ALPHA * Math.expm1(v));
    case 'gelu':
      return o.approximate
        ? (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)))
        : (v) => 0.5 * v * (1 + erf(v / Math.SQRT2));
    case 'sigmoid':
      return sigmoid;
    case 'hard_sigmoid':
      return (v) => Math.min(Math.max(v + 3, 0), 6) / 6;
    case 'hard_sigmoid_legacy':
      return (v) => Math.min(Math.max(0.2 * v + 0.5, 0), 1);
    case 'tanh':
      return Math.tanh;
    case 'softplus': {
      if (o.beta === undefined && o.threshold === undefined) return softplus;
      const beta = o.beta ?? 1;
      const threshold = o.threshold ?? 20;
      return (v) => (v * beta > threshold ? v : softplus(v * beta) / beta);
    }
    case 'softsign':
      return (v) => v / (1 + Math.abs(v));
    case 'swish':
    case 'silu':
      return (v) => v * sigmoid(v);
    // PyTorch Hardswish / Keras hard_swish: x · relu6(x + 3) / 6
    case 'hard_swish':
    case 'hard_silu':
      return (v) => (v * Math.min(Math.max(v + 3, 0), 6)) / 6;
    // Keras exponential: e^x
    case 'exponential':
      return Math.exp;
    // PyTorch Mish: x · tanh(softplus(x))
    case 'mish':
      return (v) => v * Math.tanh(softplus(v));
    // PyTorch Hardtanh: clamp(x, min_val, max_val)
    case 'hardtanh': {
      const lo = o.min ?? -1;
      const hi = o.max ?? 1;
      return (v) => (v < lo ? lo : v > hi ? hi : v);
    }
  }
}

export function activation(x: Tensor, name: string, o: ActivationOptions = {}): Tensor {
  if (!isActivation(name)) fail('bad-argument', `unknown activation '${name}' (known: ${ACTIVATIONS.join(', ')})`);
  if (name === 'softmax' || name === 'log_softmax') return softmax(x, o.axis ?? -1, name === 'log_softmax');
  // every value is written below
  const out = unfilled(x.shape, name);
  const src = x.data;
  const dst = out.data;
  if (name === 'relu') {
    // v > 0 ? v : 0, as elementwise('relu') (NaN and −0 become 0), without a call per value
    for (let i = 0; i < src.length; i++) {
      const v = src[i]!;
      dst[i] = v > 0 ? v : 0;
    }
    return out;
  }
  const f = elementwise(name, o);
  for (let i = 0; i < src.length; i++) dst[i] = f(src[i]!);
  return out;
}

/**
 * The same activation written over x's own values, for a fresh output no one else holds (a
 * convolution's or a dense layer's fused activation): no second tensor, and ReLU in a plain loop
 * instead of a call per value. Same values as activation(); softmax still makes a new tensor.
 */
export function activationInPlace(x: Tensor, name: string, o: ActivationOptions = {}): Tensor {
  if (!isActivation(name)) fail('bad-argument', `unknown activation '${name}' (known: ${ACTIVATIONS.join(', ')})`);
  if (name === 'softmax' || name === 'log_softmax') return softmax(x, o.axis ?? -1, name === 'log_softmax');
  const d = x.data;
  if (name === 'relu') {
    // v > 0 ? v : 0, as elementwise('relu'): NaN and −0 become 0
    for (let i = 0; i < d.length; i++) if (!(d[i]! > 0)) d[i] = 0;
    return x;
  }
  const f = elementwise(name, o);
  for (let i = 0; i < d.length; i++) d[i] = f(d[i]!);
  return x;
}

/**
 * PyTorch PReLU: max(0, x) + a · min(0, x) with one slope (weight of length 1) or one per channel
 * (axis 1, or axis 0 for a 1-D input).
 */
/** PyTorch PReLU: one slope, or one per channel (axis 1). */
export function preluChannels(x: Tensor, weight: Float32Array, op = 'PReLU'): Tensor {
  const rank = x.shape.length;
  const c = rank >= 2 ? x.shape[1]! : 1;
  if (weight.length !== 1 && weight.length !== c)
    fail('channel-mismatch', `${op}: ${weight.length} slopes for ${c} channels of ${formatShape(x.shape)}`);
  const inner = rank >= 2 ? sizeOf(x.shape.slice(2)) : 1;
  const out = zeros(x.shape, op);
  for (let i = 0; i < x.data.length; i++) {
    const v = x.data[i]!;
    const a = weight.length === 1 ? weight[0]! : weight[Math.floor(i / inner) % c]!;
    out.data[i] = v >= 0 ? v : a * v;
  }
  return out;
}

/** Numerically stable softmax / log-softmax along `axis`. */
export function softmax(x: Tensor, axis = -1, log = false): Tensor {
  const op = log ? 'log_softmax' : 'softmax';
  const rank = x.shape.length;
  const ax = axis < 0 ? axis + rank : axis;
  if (rank === 0 || ax < 0 || ax >= rank)
    fail('bad-argument', `${op}: axis ${axis} is out of range for shape ${formatShape(x.shape)}`);
  const len = x.shape[ax]!;
  const inner = sizeOf(x.shape.slice(ax + 1));
  const outer = sizeOf(x.shape.slice(0, ax));
  const out = zeros(x.shape, op);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let max = -Infinity;
      for (let k = 0; k < len; k++) max = Math.max(max, x.data[base + k * inner]!);
      let sum = 0;
      for (let k = 0; k < len; k++) sum += Math.exp(x.data[base + k * inner]! - max);
      const logSum = Math.log(sum);
      for (let k = 0; k < len; k++) {
        const z = x.data[base + k * inner]! - max;
        out.data[base + k * inner] = log ? z - logSum : Math.exp(z) / sum;
      }
    }
  }
  return out;
}
