/**
 * Batch normalization at inference: y = γ · (x − mean) / sqrt(var + ε) + β on the channel axis
 * (last for Keras, axis 1 for PyTorch). Keras' default ε is 1e-3, PyTorch's 1e-5: callers pass it.
 * Group normalization: the same with each sample's own statistics per group of channels; layer
 * normalization with each run of trailing values' own statistics.
 * Dropout is the identity at inference in both frameworks.
 */
import { fail } from './errors';
import { formatShape, unfilled, zeros, type Layout, type Tensor } from './tensor';

export interface BatchNormParams {
  gamma?: Float32Array | null;
  beta?: Float32Array | null;
  mean: Float32Array;
  variance: Float32Array;
  epsilon: number;
  /** The axis normalized (Keras `axis`, resolved); the layout's channel axis when absent. */
  axis?: number;
}

export function batchNorm(x: Tensor, layout: Layout, p: BatchNormParams, op = 'BatchNormalization'): Tensor {
  if (x.shape.length < 2) fail('bad-shape', `${op}: input must have a channel axis, got ${formatShape(x.shape)}`);
  const axis = p.axis ?? (layout === 'channelsLast' ? x.shape.length - 1 : 1);
  const c = x.shape[axis]!;
  for (const [name, arr] of [
    ['mean', p.mean],
    ['variance', p.variance],
    ['gamma', p.gamma],
    ['beta', p.beta],
  ] as const) {
    if (arr && arr.length !== c) fail('channel-mismatch', `${op}: ${name} has ${arr.length} values for ${c} channels`);
  }
  const scale = new Float32Array(c);
  const shift = new Float32Array(c);
  for (let i = 0; i < c; i++) {
    const s = (p.gamma ? p.gamma[i]! : 1) / Math.sqrt(p.variance[i]! + p.epsilon);
    scale[i] = s;
    shift[i] = (p.beta ? p.beta[i]! : 0) - p.mean[i]! * s;
  }
  let inner = 1;
  for (let i = axis + 1; i < x.shape.length; i++) inner *= x.shape[i]!;
  // every value is written below: runs of `inner` values share a channel, channels in turn
  const out = unfilled(x.shape, op);
  const src = x.data;
  const dst = out.data;
  for (let i = 0, ch = 0; i < src.length; i += inner, ch = ch + 1 === c ? 0 : ch + 1) {
    const s = scale[ch]!;
    const t = shift[ch]!;
    for (let k = i, end = i + inner; k < end; k++) dst[k] = src[k]! * s + t;
  }
  return out;
}

export function dropout(x: Tensor): Tensor {
  return x;
}

export interface GroupNormParams {
  groups: number;
  gamma?: Float32Array | null;
  beta?: Float32Array | null;
  epsilon: number;
}

/**
 * Group normalization (PyTorch GroupNorm, Keras GroupNormalization): for each sample, the
 * channels are split into `groups` consecutive groups; each group is normalized by the mean and
 * the biased variance of all its values (channels × positions), then scaled by γ and shifted by
 * β per channel. Statistics accumulate in float64.
 */
export function groupNorm(x: Tensor, layout: Layout, p: GroupNormParams, op = 'GroupNorm'): Tensor {
  if (x.shape.length < 2) fail('bad-shape', `${op}: input must have a channel axis, got ${formatShape(x.shape)}`);
  const axis = layout === 'channelsLast' ? x.shape.length - 1 : 1;
  const c = x.shape[axis]!;
  if (!Number.isInteger(p.groups) || p.groups < 1 || c % p.groups !== 0)
    fail('bad-argument', `${op}: ${c} channels cannot be split into ${p.groups} groups`);
  for (const [name, arr] of [
    ['gamma', p.gamma],
    ['beta', p.beta],
  ] as const) {
    if (arr && arr.length !== c) fail('channel-mismatch', `${op}: ${name} has ${arr.length} values for ${c} channels`);
  }
  const n = x.shape[0]!;
  const positions = x.data.length / Math.max(1, n * c);
  const perGroup = c / p.groups;
  // value (sample s, channel ch, position q) sits at:
  const at =
    layout === 'channelsLast'
      ? (s: number, ch: number, q: number) => (s * positions + q) * c + ch
      : (s: number, ch: number, q: number) => (s * c + ch) * positions + q;
  const out = zeros(x.shape, op);
  const count = perGroup * positions;
  for (let s = 0; s < n; s++) {
    for (let g = 0; g < p.groups; g++) {
      let sum = 0;
      for (let ch = g * perGroup; ch < (g + 1) * perGroup; ch++)
        for (let q = 0; q < positions; q++) sum += x.data[at(s, ch, q)]!;
      const mean = sum / count;
      let sq = 0;
      for (let ch = g * perGroup; ch < (g + 1) * perGroup; ch++) {
        for (let q = 0; q < positions; q++) {
          const d = x.data[at(s, ch, q)]! - mean;
          sq += d * d;
        }
      }
      const inv = 1 / Math.sqrt(sq / count + p.epsilon);
      for (let ch = g * perGroup; ch < (g + 1) * perGroup; ch++) {
        const scale = (p.gamma ? p.gamma[ch]! : 1) * inv;
        const shift = p.beta ? p.beta[ch]! : 0;
        for (let q = 0; q < positions; q++) {
          const i = at(s, ch, q);
          out.data[i] = (x.data[i]! - mean) * scale + shift;
        }
      }
    }
  }
  return out;
}

export interface LayerNormParams {
  /** How many trailing values form one normalized group (Keras axis=-1: the channels). */
  size: number;
  gamma: Float32Array | null;
  beta: Float32Array | null;
  epsilon: number;
}

/**
 * Layer normalization (Keras LayerNormalization over trailing axes, PyTorch LayerNorm over
 * normalized_shape): each run of `size` consecutive values is normalized by its own mean and
 * biased variance, then scaled by γ and shifted by β element by element. Statistics in float64.
 */
export function layerNorm(x: Tensor, p: LayerNormParams, op = 'LayerNormalization'): Tensor {
  const n = p.size;
  if (!Number.isInteger(n) || n < 1 || x.data.length % n !== 0)
    fail('bad-shape', `${op}: ${formatShape(x.shape)} cannot be split into groups of ${n} values`);
  for (const [name, arr] of [
    ['gamma', p.gamma],
    ['beta', p.beta],
  ] as const) {
    if (arr && arr.length !== n) fail('channel-mismatch', `${op}: ${name} has ${arr.length} values for ${n}`);
  }
  const out = zeros(x.shape, op);
  for (let base = 0; base < x.data.length; base += n) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += x.data[base + i]!;
    const mean = sum / n;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const d = x.data[base + i]! - mean;
      sq += d * d;
    }
    const inv = 1 / Math.sqrt(sq / n + p.epsilon);
    for (let i = 0; i < n; i++)
      out.data[base + i] = (x.data[base + i]! - mean) * inv * (p.gamma ? p.gamma[i]! : 1) + (p.beta ? p.beta[i]! : 0);
  }
  return out;
}
