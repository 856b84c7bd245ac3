/**
 * Ops that move or combine values without weights: flatten, reshape, element-wise merges, concatenate,
 * zero padding, cropping, upsampling. Flatten keeps the tensor's own memory order, so a channels-last
 * tensor flattens as (h, w, c) — Keras — and a channels-first one as (c, h, w) — PyTorch.
 */
import { fail } from './errors';
import {
  checkShape,
  formatShape,
  imageShape,
  imageView,
  layoutView,
  sizeOf,
  zeros,
  type Layout,
  type Tensor,
} from './tensor';
import { pair, type IntOrPair } from './conv';

/** (N, ...) → (N, product of the rest), in memory order. */
export function flatten(x: Tensor, startAxis = 1): Tensor {
  if (x.shape.length <= startAxis) return x;
  const head = x.shape.slice(0, startAxis);
  return { shape: [...head, sizeOf(x.shape.slice(startAxis))], data: x.data };
}

/** Reshape with at most one −1, as numpy/PyTorch/Keras do. */
export function reshape(x: Tensor, shape: readonly number[], op = 'Reshape'): Tensor {
  const total = x.data.length;
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1) fail('bad-shape', `${op}: only one dimension can be -1, got ${formatShape(shape)}`);
  if (shape.some((d) => !Number.isInteger(d) || d < -1))
    fail('bad-shape', `${op}: invalid target shape ${formatShape(shape)}`);
  const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  let resolved = [...shape];
  if (unknown === 1) {
    if (known === 0 || total % known !== 0) {
      fail('bad-shape', `${op}: cannot reshape ${formatShape(x.shape)} (${total} values) into ${formatShape(shape)}`);
    }
    resolved = shape.map((d) => (d === -1 ? total / known : d));
  } else if (known !== total) {
    fail(
      'bad-shape',
      `${op}: cannot reshape ${formatShape(x.shape)} (${total} values) into ${formatShape(shape)} (${known} values)`,
    );
  }
  return { shape: resolved, data: x.data };
}

/** Element-wise merges of same-shaped tensors (Keras Add/Subtract/Multiply/Average/Maximum/Minimum). */
export type ElementwiseOp = 'add' | 'subtract' | 'multiply' | 'average' | 'maximum' | 'minimum';

const COMBINE: Record<ElementwiseOp, (acc: number, v: number) => number> = {
  add: (a, v) => a + v,
  subtract: (a, v) => a - v,
  multiply: (a, v) => a * v,
  average: (a, v) => a + v,
  maximum: (a, v) => (v > a || Number.isNaN(v) ? v : a),
  minimum: (a, v) => (v < a || Number.isNaN(v) ? v : a),
};

export function mergeElementwise(inputs: readonly Tensor[], mergeOp: ElementwiseOp, op = 'Add'): Tensor {
  if (inputs.length === 0) fail('bad-argument', `${op}: needs at least one input`);
  if (mergeOp === 'subtract' && inputs.length !== 2)
    fail('bad-argument', `${op}: subtract takes exactly 2 inputs, got ${inputs.length}`);
  const first = inputs[0]!;
  for (const t of inputs) {
    if (t.shape.length !== first.shape.length || t.shape.some((d, i) => d !== first.shape[i])) {
      fail('bad-shape', `${op}: shapes ${formatShape(first.shape)} and ${formatShape(t.shape)} differ`);
    }
  }
  const out = zeros(first.shape, op);
  out.data.set(first.data);
  const f = COMBINE[mergeOp];
  for (const t of inputs.slice(1)) for (let i = 0; i < out.data.length; i++) out.data[i] = f(out.data[i]!, t.data[i]!);
  if (mergeOp === 'average') for (let i = 0; i < out.data.length; i++) out.data[i]! /= inputs.length;
  return out;
}

export function add(inputs: readonly Tensor[], op = 'Add'): Tensor {
  return mergeElementwise(inputs, 'add', op);
}

export function concatenate(inputs: readonly Tensor[], axis: number, op = 'Concatenate'): Tensor {
  if (inputs.length === 0) fail('bad-argument', `${op}: needs at least one input`);
  const first = inputs[0]!;
  const rank = first.shape.length;
  const ax = axis < 0 ? axis + rank : axis;
  if (ax < 0 || ax >= rank) fail('bad-argument', `${op}: axis ${axis} is out of range for rank ${rank}`);
  let total = 0;
  for (const t of inputs) {
    if (t.shape.length !== rank || t.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
      fail(
        'bad-shape',
        `${op}: shapes ${formatShape(first.shape)} and ${formatShape(t.shape)} differ outside axis ${axis}`,
      );
    }
    total += t.shape[ax]!;
  }
  const outShape = first.shape.map((d, i) => (i === ax ? total : d));
  const out = zeros(outShape, op);
  const outer = sizeOf(first.shape.slice(0, ax));
  const inner = sizeOf(first.shape.slice(ax + 1));
  let offset = 0;
  for (const t of inputs) {
    const chunk = t.shape[ax]! * inner;
    for (let o = 0; o < outer; o++)
      out.data.set(t.data.subarray(o * chunk, (o + 1) * chunk), o * total * inner + offset);
    offset += chunk;
  }
  return out;
}

/** Keras ZeroPadding2D / PyTorch ZeroPad2d: padding ((top, bottom), (left, right)). */
export function zeroPad2d(
  x: Tensor,
  layout: Layout,
  padding: readonly [readonly [number, number], readonly [number, number]],
): Tensor {
  const op = 'ZeroPadding2D';
  const v = imageView(op, x, layout);
  const [[t, b], [l, r]] = padding;
  for (const p of [t, b, l, r])
    if (!Number.isInteger(p) || p < 0)
      fail('bad-argument', `${op}: padding must be non-negative integers, got ${JSON.stringify(padding)}`);
  const H = v.h + t + b;
  const W = v.w + l + r;
  const out = zeros(imageShape(v.n, H, W, v.c, layout), op);
  const ov = layoutView(v.n, H, W, v.c, layout);
  for (let n = 0; n < v.n; n++)
    for (let c = 0; c < v.c; c++)
      for (let h = 0; h < v.h; h++)
        for (let w = 0; w < v.w; w++)
          out.data[n * ov.sN + c * ov.sC + (h + t) * ov.sH + (w + l) * ov.sW] =
            x.data[n * v.sN + c * v.sC + h * v.sH + w * v.sW]!;
  return out;
}

export interface Upsample2DOptions {
  layout: Layout;
  /** Integer scale (Keras UpSampling2D size, PyTorch scale_factor) or an explicit output size. */
  scale?: IntOrPair;
  size?: IntOrPair;
  /**
   * With `size`: the scale factor PyTorch was given (not recomputed), which maps output to source
   * indices as 1/scale instead of in/out (a fractional scale_factor: out = floor(in · scale)).
   */
  sizeScale?: [number, number];
  mode: 'nearest' | 'bilinear';
  /** PyTorch align_corners (bilinear only); Keras and PyTorch's default use half-pixel centres. */
  alignCorners?: boolean;
  /**
   * PyTorch 'nearest' computes the source index in float32: floor(fround(dst · fround(scale))),
   * scale = in/out for a size, 1/scale_factor for a factor. It differs from the exact index for
   * some sizes (PyTorch documents 'nearest' as matching OpenCV's INTER_NEAREST).
   */
  torchNearest?: boolean;
}

/**
 * Nearest: source index floor((dst + 0.5) · in / out) (tf.image.resize; Keras repeats, identical for integer scales;
 * PyTorch in float32, see torchNearest). Bilinear: half-pixel centres, src = (dst + 0.5) · in/out − 0.5 clamped at 0
 * (tf.image.resize, PyTorch align_corners=False); with align_corners, src = dst · (in−1)/(out−1).
 */
export function upsample2d(x: Tensor, o: Upsample2DOptions): Tensor {
  const op = 'UpSampling2D';
  const v = imageView(op, x, o.layout);
  let H: number, W: number;
  if (o.size !== undefined) [H, W] = pair(o.size, 1);
  else {
    const [sh, sw] = pair(o.scale ?? 2, 2);
    H = v.h * sh;
    W = v.w * sw;
  }
  if (!Number.isInteger(H) || !Number.isInteger(W) || H < 1 || W < 1)
    fail('bad-argument', `${op}: output size must be positive integers, got ${H}×${W}`);
  checkShape(op, imageShape(v.n, H, W, v.c, o.layout));
  const out = zeros(imageShape(v.n, H, W, v.c, o.layout), op);
  const ov = layoutView(v.n, H, W, v.c, o.layout);
  const given = o.size === undefined ? null : (o.sizeScale ?? null);
  const ratio = (inS: number, outS: number, axis: 0 | 1): number => (given ? 1 / given[axis] : inS / outS);
  const src = (dst: number, inS: number, outS: number, axis: 0 | 1): [number, number, number] => {
    let s: number;
    if (o.alignCorners) s = outS > 1 ? (dst * (inS - 1)) / (outS - 1) : 0;
    else s = Math.max((dst + 0.5) * ratio(inS, outS, axis) - 0.5, 0);
    const i0 = Math.min(Math.floor(s), inS - 1);
    const i1 = Math.min(i0 + 1, inS - 1);
    return [i0, i1, s - i0];
  };
  const scales = o.size === undefined ? pair(o.scale ?? 2, 2) : given;
  const nearest = (dst: number, inS: number, outS: number, axis: 0 | 1): number => {
    // tf.image.resize 'nearest' (half-pixel centres); Keras' repeat for whole-number scales
    if (!o.torchNearest) return Math.min(Math.floor(Math.fround((dst + 0.5) * Math.fround(inS / outS))), inS - 1);
    const scale = Math.fround(scales ? 1 / scales[axis] : inS / outS);
    return Math.min(Math.floor(Math.fround(dst * scale)), inS - 1);
  };
  for (let n = 0; n < v.n; n++) {
    for (let h = 0; h < H; h++) {
      const [h0, h1, fh] = o.mode === 'nearest' ? [nearest(h, v.h, H, 0), 0, 0] : src(h, v.h, H, 0);
      for (let w = 0; w < W; w++) {
        const [w0, w1, fw] = o.mode === 'nearest' ? [nearest(w, v.w, W, 1), 0, 0] : src(w, v.w, W, 1);
        for (let c = 0; c < v.c; c++) {
          const base = n * v.sN + c * v.sC;
          let val: number;
          if (o.mode === 'nearest') val = x.data[base + h0 * v.sH + w0 * v.sW]!;
          else {
            const a = x.data[base + h0 * v.sH + w0 * v.sW]!;
            const b = x.data[base + h0 * v.sH + w1 * v.sW]!;
            const c0 = x.data[base + h1 * v.sH + w0 * v.sW]!;
            const d = x.data[base + h1 * v.sH + w1 * v.sW]!;
            const top = a + (b - a) * fw;
            const bottom = c0 + (d - c0) * fw;
            val = top + (bottom - top) * fh;
          }
          out.data[n * ov.sN + c * ov.sC + h * ov.sH + w * ov.sW] = val;
        }
      }
    }
  }
  return out;
}

/**
 * Keras Cropping1D/2D: removes (before, after) positions from each spatial axis (1 axis for a
 * rank-3 sequence, 2 for a rank-4 image), in the tensor's layout.
 */
export function cropSpatial(
  x: Tensor,
  layout: Layout,
  crops: readonly (readonly [number, number])[],
  op = 'Cropping2D',
): Tensor {
  const rank = x.shape.length;
  if (rank !== crops.length + 2)
    fail('bad-shape', `${op}: expects a rank-${crops.length + 2} input, got ${formatShape(x.shape)}`);
  const first = layout === 'channelsLast' ? 1 : 2;
  const outShape = [...x.shape];
  crops.forEach(([a, b], i) => {
    const d = x.shape[first + i]!;
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0 || a + b >= d)
      fail('bad-argument', `${op}: cropping (${a}, ${b}) leaves nothing of an axis of size ${d}`);
    outShape[first + i] = d - a - b;
  });
  const out = zeros(outShape, op);
  const inStrides = strides(x.shape);
  const total = out.data.length;
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < total; o++) {
    let src = 0;
    for (let ax = 0; ax < rank; ax++) {
      const c = ax >= first && ax < first + crops.length ? crops[ax - first]![0] : 0;
      src += (idx[ax]! + c) * inStrides[ax]!;
    }
    out.data[o] = x.data[src]!;
    for (let ax = rank - 1; ax >= 0; ax--) {
      if (++idx[ax]! < outShape[ax]!) break;
      idx[ax] = 0;
    }
  }
  return out;
}

function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}
