/**
 * Geometry records of sliding-window ops: per axis, the sizes, the padding actually applied and
 * the output size, validated. The output-size formula itself is src/shared/window.ts (the one
 * place it is written); shape inference, the kernels, the hover and the panel read these records.
 */
import { paddedOut, samePlan, type AxisPadding } from '../shared/window';
import { fail, requireNonNegativeInt, requirePositiveInt } from './errors';

export type PadMode = 'valid' | 'same' | 'causal' | 'explicit';

export type { AxisPadding };

/**
 * Padding of a 2-D op: a mode; one int for all sides; [padH, padW] (PyTorch's symmetric tuple);
 * or [[top, bottom], [left, right]].
 */
export type Padding2D =
  | 'valid'
  | 'same'
  | number
  | readonly [number, number]
  | readonly [readonly [number, number], readonly [number, number]];

export interface AxisGeometry {
  readonly inSize: number;
  readonly kernel: number;
  readonly stride: number;
  readonly dilation: number;
  /** (kernel - 1) * dilation + 1 */
  readonly effectiveKernel: number;
  readonly mode: PadMode;
  readonly ceilMode: boolean;
  readonly padBefore: number;
  readonly padAfter: number;
  readonly out: number;
}

export interface AxisArgs {
  inSize: number;
  kernel: number;
  stride: number;
  dilation?: number;
  padding: AxisPadding;
  ceilMode?: boolean;
}

/**
 * Computes one axis. Returns out ≤ 0 rather than throwing when the window does not fit, so that
 * callers can name both axes in one message (see conv2dGeometry).
 */
export function axisGeometry(op: string, a: AxisArgs): AxisGeometry {
  const dilation = a.dilation ?? 1;
  const ceilMode = a.ceilMode ?? false;
  requireNonNegativeInt(op, 'input size', a.inSize);
  requirePositiveInt(op, 'kernel size', a.kernel);
  requirePositiveInt(op, 'stride', a.stride);
  requirePositiveInt(op, 'dilation', dilation);
  const effectiveKernel = (a.kernel - 1) * dilation + 1;
  // one object shape for every result: this runs for every layer on every keystroke
  const make = (mode: PadMode, padBefore: number, padAfter: number, out: number): AxisGeometry => ({
    inSize: a.inSize,
    kernel: a.kernel,
    stride: a.stride,
    dilation,
    effectiveKernel,
    mode,
    ceilMode,
    padBefore,
    padAfter,
    out,
  });
  const p = a.padding;
  if (p === 'same') {
    const plan = samePlan(a.inSize, a.kernel, a.stride, dilation);
    return make('same', plan.before, plan.after, plan.out);
  }
  let before = 0;
  let after = 0;
  let mode: PadMode = 'valid';
  if (p === 'causal') {
    before = effectiveKernel - 1;
    mode = 'causal';
  } else if (p !== 'valid') {
    [before, after] = p;
    requireNonNegativeInt(op, 'padding', before);
    requireNonNegativeInt(op, 'padding', after);
    mode = 'explicit';
  }
  return make(mode, before, after, paddedOut(a.inSize, before, after, a.kernel, a.stride, dilation, ceilMode));
}

export interface Geometry2D {
  readonly h: AxisGeometry;
  readonly w: AxisGeometry;
  readonly outH: number;
  readonly outW: number;
  readonly padTop: number;
  readonly padBottom: number;
  readonly padLeft: number;
  readonly padRight: number;
}

export interface Window2DArgs {
  inH: number;
  inW: number;
  kernel: readonly [number, number];
  strides: readonly [number, number];
  dilations?: readonly [number, number];
  padding: Padding2D;
  ceilMode?: boolean;
}

/** Splits a Padding2D into its two axes. */
export function splitPadding2D(op: string, p: Padding2D): [AxisPadding, AxisPadding] {
  if (p === 'valid' || p === 'same') return [p, p];
  if (typeof p === 'number')
    return [
      [p, p],
      [p, p],
    ];
  if (Array.isArray(p) && p.length === 2) {
    const [a, b] = p as readonly unknown[];
    if (typeof a === 'number' && typeof b === 'number')
      return [
        [a, a],
        [b, b],
      ];
    if (Array.isArray(a) && Array.isArray(b) && a.length === 2 && b.length === 2) {
      return [
        [a[0] as number, a[1] as number],
        [b[0] as number, b[1] as number],
      ];
    }
  }
  return fail(
    'bad-argument',
    `${op}: padding must be 'valid', 'same', an int, (padH, padW) or ((top, bottom), (left, right)), got ${JSON.stringify(p)}`,
  );
}

function describePadding(p: Padding2D): string {
  return typeof p === 'string' ? `padding='${p}'` : `padding=${JSON.stringify(p)}`;
}

/**
 * Geometry of a 2-D sliding window (convolution or pooling). Throws 'kernel-too-large' when
 * the (dilated) window is larger than the padded input, naming both sizes.
 */
export function window2dGeometry(op: string, a: Window2DArgs): Geometry2D {
  const [padH, padW] = splitPadding2D(op, a.padding);
  const dil = a.dilations ?? [1, 1];
  const h = axisGeometry(op, {
    inSize: a.inH,
    kernel: a.kernel[0],
    stride: a.strides[0],
    dilation: dil[0],
    padding: padH,
    ceilMode: a.ceilMode ?? false,
  });
  const w = axisGeometry(op, {
    inSize: a.inW,
    kernel: a.kernel[1],
    stride: a.strides[1],
    dilation: dil[1],
    padding: padW,
    ceilMode: a.ceilMode ?? false,
  });
  if (h.out < 1 || w.out < 1) {
    const dilated = h.dilation > 1 || w.dilation > 1 ? ` (dilated to ${h.effectiveKernel}×${w.effectiveKernel})` : '';
    const padded =
      h.padBefore + h.padAfter + w.padBefore + w.padAfter > 0
        ? ` (${a.inH + h.padBefore + h.padAfter}×${a.inW + w.padBefore + w.padAfter} after padding)`
        : '';
    fail(
      'kernel-too-large',
      `${op}: kernel ${a.kernel[0]}×${a.kernel[1]}${dilated} is larger than its ${a.inH}×${a.inW} input${padded} with ${describePadding(a.padding)}`,
    );
  }
  return {
    h,
    w,
    outH: h.out,
    outW: w.out,
    padTop: h.padBefore,
    padBottom: h.padAfter,
    padLeft: w.padBefore,
    padRight: w.padAfter,
  };
}

/**
 * PyTorch pooling also requires each pad to be at most half the kernel size
 * ("pad should be smaller than or equal to half of kernel size").
 */
export function checkTorchPoolPadding(op: string, kernel: readonly [number, number], g: Geometry2D): void {
  const pads: [number, number, number][] = [
    [g.padTop, g.padBottom, kernel[0]],
    [g.padLeft, g.padRight, kernel[1]],
  ];
  for (const [before, after, k] of pads) {
    if (Math.max(before, after) > Math.floor(k / 2)) {
      fail('bad-argument', `${op}: padding ${Math.max(before, after)} is more than half of kernel size ${k}`);
    }
  }
}

export interface TransposeAxisGeometry {
  readonly inSize: number;
  readonly kernel: number;
  readonly stride: number;
  readonly dilation: number;
  readonly effectiveKernel: number;
  /** Output position of input i, kernel tap t: i * stride - padBefore + t * dilation. */
  readonly padBefore: number;
  readonly out: number;
}

export interface TransposeAxisArgs {
  inSize: number;
  kernel: number;
  stride: number;
  dilation?: number;
  /** Keras: 'valid' | 'same'; PyTorch: an int (symmetric). */
  padding: 'valid' | 'same' | number;
  outputPadding?: number;
}

/**
 * Transposed convolution (Keras Conv2DTranspose, PyTorch ConvTranspose2d).
 * - PyTorch: out = (in-1)*s - 2p + d*(k-1) + output_padding + 1.
 * - Keras without output_padding: 'valid' → in*s + max(effK - s, 0); 'same' → in*s, with the
 *   padding of the forward 'same' convolution from out to in.
 * - Keras with output_padding: (in-1)*s + effK - 2*pad + output_padding, pad = 0 ('valid')
 *   or floor(effK/2) ('same').
 */
export function transposeAxisGeometry(op: string, a: TransposeAxisArgs): TransposeAxisGeometry {
  const dilation = a.dilation ?? 1;
  requirePositiveInt(op, 'input size', a.inSize);
  requirePositiveInt(op, 'kernel size', a.kernel);
  requirePositiveInt(op, 'stride', a.stride);
  requirePositiveInt(op, 'dilation', dilation);
  const eff = (a.kernel - 1) * dilation + 1;
  const base = { inSize: a.inSize, kernel: a.kernel, stride: a.stride, dilation, effectiveKernel: eff };
  const op_ = a.outputPadding;
  if (op_ !== undefined) {
    requireNonNegativeInt(op, 'output padding', op_);
    if (op_ >= Math.max(a.stride, dilation)) {
      fail(
        'bad-argument',
        `${op}: output padding ${op_} must be smaller than stride ${a.stride} or dilation ${dilation}`,
      );
    }
  }
  let padBefore: number;
  let out: number;
  if (typeof a.padding === 'number') {
    requireNonNegativeInt(op, 'padding', a.padding);
    padBefore = a.padding;
    out = (a.inSize - 1) * a.stride - 2 * a.padding + eff + (op_ ?? 0);
  } else if (op_ !== undefined) {
    // Keras' output length; TensorFlow then crops the full result as its 'SAME' rule does for
    // that length: half of (in − 1)·stride + eff − out before (less than eff/2 when op_ > 0)
    out = (a.inSize - 1) * a.stride + eff - 2 * (a.padding === 'same' ? Math.floor(eff / 2) : 0) + op_;
    padBefore = Math.floor(Math.max((a.inSize - 1) * a.stride + eff - out, 0) / 2);
  } else if (a.padding === 'valid') {
    padBefore = 0;
    out = a.inSize * a.stride + Math.max(eff - a.stride, 0);
  } else {
    out = a.inSize * a.stride;
    const total = Math.max((a.inSize - 1) * a.stride + eff - out, 0);
    padBefore = Math.floor(total / 2);
  }
  if (out < 1) {
    fail(
      'output-empty',
      `${op}: output size ${out} is not positive (input ${a.inSize}, kernel ${a.kernel}, stride ${a.stride}, padding ${String(a.padding)})`,
    );
  }
  return { ...base, padBefore, out };
}

/**
 * How many output positions use each input cell (the textbook's participation counts: 4/2/1
 * for a 3×3 kernel on a 4×4 input without padding, 9/6/4 with one pixel of padding).
 * Row-major inH × inW.
 */
export function participationCounts(g: Geometry2D): Int32Array {
  const counts = new Int32Array(g.h.inSize * g.w.inSize);
  const rows = axisCounts(g.h);
  const cols = axisCounts(g.w);
  for (let y = 0; y < g.h.inSize; y++)
    for (let x = 0; x < g.w.inSize; x++) counts[y * g.w.inSize + x] = rows[y]! * cols[x]!;
  return counts;
}

function axisCounts(a: AxisGeometry): Int32Array {
  const c = new Int32Array(a.inSize);
  for (let o = 0; o < a.out; o++) {
    for (let t = 0; t < a.kernel; t++) {
      const i = o * a.stride - a.padBefore + t * a.dilation;
      if (i >= 0 && i < a.inSize) c[i]! += 1;
    }
  }
  return c;
}
