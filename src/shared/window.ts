/**
 * The output size of a sliding window along one axis — the one formula, for known sizes and, as
 * its symbolic twin, for unknown ones ("(H-2)//2"). The engine's geometry records, the shape
 * rules, the hover and the panel all compute sizes here.
 *
 * - TF/Keras 'same': out = ⌈in / stride⌉; total pad = max((out − 1)·stride + effK − in, 0), the
 *   smaller half before (top/left), the extra cell after (bottom/right).
 * - Keras 'causal' (1-D): effK − 1 zeros before, none after.
 * - Explicit pads: out = ⌊(in + before + after − effK) / stride⌋ + 1; PyTorch's ceil_mode rounds
 *   up, but the last window must start inside the input or the leading padding.
 * - effK = (kernel − 1)·dilation + 1.
 */
import { ceilDivDim, floorDivDim, isKnown, type Dim } from './dims';

/** Padding of one axis: a mode, or explicit [before, after]. */
export type AxisPadding = 'valid' | 'same' | 'causal' | readonly [number, number];

export interface AxisPlan {
  out: number;
  before: number;
  after: number;
}

export function effectiveKernel(kernel: number, dilation: number): number {
  return (kernel - 1) * dilation + 1;
}

/** TF/Keras 'same' along one axis. */
export function samePlan(inSize: number, kernel: number, stride: number, dilation: number): AxisPlan {
  const out = Math.ceil(inSize / stride);
  const total = Math.max((out - 1) * stride + effectiveKernel(kernel, dilation) - inSize, 0);
  const before = Math.floor(total / 2);
  return { out, before, after: total - before };
}

/** The pads a mode implies (before 'same' is resolved, which needs the input size). */
export function explicitPads(p: Exclude<AxisPadding, 'same'>, kernel: number, dilation: number): [number, number] {
  if (p === 'valid') return [0, 0];
  if (p === 'causal') return [effectiveKernel(kernel, dilation) - 1, 0];
  return [p[0], p[1]];
}

/**
 * Output size with explicit pads; ≤ 0 when the window does not fit (callers name the error).
 * `ceilMode` is PyTorch's pooling rule.
 */
export function paddedOut(
  inSize: number,
  before: number,
  after: number,
  kernel: number,
  stride: number,
  dilation: number,
  ceilMode = false,
): number {
  const span = inSize + before + after - effectiveKernel(kernel, dilation);
  if (span < 0) return Math.floor(span / stride) + 1;
  let out = (ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  if (ceilMode && (out - 1) * stride >= inSize + before) out -= 1;
  return out;
}

/** One axis, any padding mode, known size. */
export function axisPlan(
  inSize: number,
  kernel: number,
  stride: number,
  dilation: number,
  padding: AxisPadding,
  ceilMode = false,
): AxisPlan {
  if (padding === 'same') return samePlan(inSize, kernel, stride, dilation);
  const [before, after] = explicitPads(padding, kernel, dilation);
  return { out: paddedOut(inSize, before, after, kernel, stride, dilation, ceilMode), before, after };
}

/**
 * The symbolic twin: the same output size for a size that may be unknown. For explicit pads,
 * ⌊(X + c) / s⌋ + 1 is written ⌊(X + c + s) / s⌋ so that texts stay like (H-2)//2.
 */
export function axisOutDim(
  inDim: Dim,
  kernel: number,
  stride: number,
  dilation: number,
  padding: AxisPadding,
  ceilMode = false,
): Dim {
  if (isKnown(inDim)) return axisPlan(inDim, kernel, stride, dilation, padding, ceilMode).out;
  if (padding === 'same') return ceilDivDim(inDim, 0, stride);
  const [b, a] = explicitPads(padding, kernel, dilation);
  const c = b + a - effectiveKernel(kernel, dilation);
  return ceilMode ? ceilDivDim(inDim, c + stride, stride) : floorDivDim(inDim, c + stride, stride);
}
