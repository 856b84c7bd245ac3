/**
 * Element-wise layers with arguments or weights of their own: Keras ReLU with max_value,
 * negative_slope and threshold; PReLU (a learned slope per position and channel, broadcast over
 * its shared axes); Rescaling (x · scale + offset, scalars or one value per channel).
 */
import { fail } from './errors';
import { formatShape, zeros, type Tensor } from './tensor';

export interface ReluOptions {
  maxValue: number | null;
  negativeSlope: number;
  threshold: number;
}

/**
 * keras.activations.relu, step by step as Keras computes it: x kept where x > threshold (else 0),
 * clipped to [0, max_value] when a maximum is given, then negative_slope · relu(threshold − x)
 * subtracted.
 */
export function kerasRelu(x: Tensor, o: ReluOptions, op = 'ReLU'): Tensor {
  const out = zeros(x.shape, op);
  const { maxValue: m, negativeSlope: a, threshold: t } = o;
  for (let i = 0; i < x.data.length; i++) {
    const v = x.data[i]!;
    let y = t !== 0 ? (v > t ? v : 0) : Math.max(v, 0);
    if (m !== null) y = Math.min(Math.max(y, 0), m);
    if (a !== 0) y -= a * Math.max(t - v, 0);
    out.data[i] = y;
  }
  return out;
}

/**
 * PReLU: y = x for x ≥ 0, alpha · x otherwise. `alpha` has the per-sample shape of x with 1 on
 * the shared axes (Keras shared_axes), and is broadcast there.
 */
export function prelu(x: Tensor, alpha: Tensor, op = 'PReLU'): Tensor {
  const sample = x.shape.slice(1);
  if (alpha.shape.length !== sample.length || alpha.shape.some((d, i) => d !== 1 && d !== sample[i]))
    fail(
      'bad-shape',
      `${op}: alpha of shape ${formatShape(alpha.shape)} does not broadcast to ${formatShape(x.shape)}`,
    );
  const per = sample.reduce((a, b) => a * b, 1);
  // index of alpha for each position of one sample (row-major, stride 0 on broadcast axes)
  const map = new Int32Array(per);
  for (let p = 0; p < per; p++) {
    let rest = p;
    let idx = 0;
    let stride = 1;
    for (let ax = sample.length - 1; ax >= 0; ax--) {
      const i = rest % sample[ax]!;
      rest = Math.floor(rest / sample[ax]!);
      if (alpha.shape[ax] !== 1) idx += i * stride;
      stride *= alpha.shape[ax]!;
    }
    map[p] = idx;
  }
  const out = zeros(x.shape, op);
  for (let i = 0; i < x.data.length; i++) {
    const v = x.data[i]!;
    out.data[i] = v >= 0 ? v : alpha.data[map[i % per]!]! * v;
  }
  return out;
}

/** Rescaling: x · scale + offset; a list gives one value per channel (the last axis). */
export function rescale(
  x: Tensor,
  scale: number | readonly number[],
  offset: number | readonly number[],
  op = 'Rescaling',
): Tensor {
  const c = x.shape[x.shape.length - 1] ?? 1;
  for (const v of [scale, offset])
    if (typeof v !== 'number' && v.length !== 1 && v.length !== c)
      fail('bad-shape', `${op}: ${v.length} values do not broadcast to ${formatShape(x.shape)}`);
  const at = (v: number | readonly number[], ch: number): number =>
    typeof v === 'number' ? v : v.length === 1 ? v[0]! : v[ch]!;
  const out = zeros(x.shape, op);
  for (let i = 0; i < x.data.length; i++) {
    const ch = i % c;
    out.data[i] = x.data[i]! * at(scale, ch) + at(offset, ch);
  }
  return out;
}
