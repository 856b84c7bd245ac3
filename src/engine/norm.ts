/**
 * Batch normalization at inference: y = γ · (x − mean) / sqrt(var + ε) + β on the channel axis
 * (last for Keras, axis 1 for PyTorch). Keras' default ε is 1e-3, PyTorch's 1e-5: callers pass it.
 * Dropout is the identity at inference in both frameworks.
 */
import { fail } from './errors';
import { formatShape, zeros, type Layout, type Tensor } from './tensor';

export interface BatchNormParams {
  gamma?: Float32Array | null;
  beta?: Float32Array | null;
  mean: Float32Array;
  variance: Float32Array;
  epsilon: number;
}

export function batchNorm(x: Tensor, layout: Layout, p: BatchNormParams, op = 'BatchNormalization'): Tensor {
  if (x.shape.length < 2) fail('bad-shape', `${op}: input must have a channel axis, got ${formatShape(x.shape)}`);
  const axis = layout === 'channelsLast' ? x.shape.length - 1 : 1;
  const c = x.shape[axis]!;
  for (const [name, arr] of [['mean', p.mean], ['variance', p.variance], ['gamma', p.gamma], ['beta', p.beta]] as const) {
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
  const out = zeros(x.shape, op);
  for (let i = 0; i < x.data.length; i++) {
    const ch = Math.floor(i / inner) % c;
    out.data[i] = x.data[i]! * scale[ch]! + shift[ch]!;
  }
  return out;
}

export function dropout(x: Tensor): Tensor {
  return x;
}
