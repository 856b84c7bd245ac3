/**
 * Padding with a mode, and pixel (un)shuffle, on tensors of any rank, as PyTorch defines them.
 * Padding: each axis gets [before, after] (negative crops, as PyTorch's constant padding allows);
 * 'constant' fills with a value, 'reflect' mirrors without repeating the edge (torch.nn.ReflectionPad),
 * 'replicate' repeats the edge, 'circular' wraps around. PyTorch's conditions are kept: reflect
 * needs pad < size, circular pad ≤ size, replicate a non-empty axis.
 */
import { fail } from './errors';
import { formatShape, sizeOf, zeros, type Tensor } from './tensor';

export type FillMode = 'constant' | 'reflect' | 'replicate' | 'circular';

/** Source index along one axis for each output index (−1: the constant value). */
function sourceIndex(mode: FillMode, size: number, before: number, out: number): Int32Array {
  const src = new Int32Array(out);
  for (let o = 0; o < out; o++) {
    let s = o - before;
    if (s < 0 || s >= size) {
      if (mode === 'constant') s = -1;
      else if (mode === 'replicate') s = s < 0 ? 0 : size - 1;
      else if (mode === 'reflect') s = s < 0 ? -s : 2 * (size - 1) - s;
      else s = ((s % size) + size) % size;
    }
    src[o] = s;
  }
  return src;
}

/** Checks PyTorch's conditions for one axis; null when the padding is allowed. */
export function padProblem(mode: FillMode, size: number, before: number, after: number): string | null {
  if (mode === 'reflect' && (before >= size || after >= size))
    return `padding size should be less than the corresponding input dimension, but got: padding (${before}, ${after})`;
  if (mode === 'circular' && (before > size || after > size))
    return `padding (${before}, ${after}) wraps around more than once`;
  if (mode === 'replicate' && size === 0) return 'cannot replicate the edge of an empty dimension';
  if (size + before + after < 0)
    return `the input size ${size}, plus padding ${before} and ${after}, is a negative output size`;
  return null;
}

/** Pads `x`: pads[i] = [before, after] for axis i (one pair per axis of x). */
export function pad(
  x: Tensor,
  pads: readonly (readonly [number, number])[],
  mode: FillMode = 'constant',
  value = 0,
  op = 'Pad',
): Tensor {
  const rank = x.shape.length;
  if (pads.length !== rank) fail('bad-argument', `${op}: ${pads.length} padding pairs for a rank-${rank} input`);
  for (const [b, a] of pads)
    if (!Number.isInteger(b) || !Number.isInteger(a))
      fail('bad-argument', `${op}: padding must be integers, got ${JSON.stringify(pads)}`);
  pads.forEach(([b, a], i) => {
    const p = padProblem(mode, x.shape[i]!, b, a);
    if (p && (b !== 0 || a !== 0))
      fail('bad-argument', `${op}: ${p} at dimension ${i} of input ${formatShape(x.shape)}`);
  });
  const outShape = x.shape.map((d, i) => d + pads[i]![0] + pads[i]![1]);
  const out = zeros(outShape, op);
  const maps = outShape.map((o, i) => sourceIndex(mode, x.shape[i]!, pads[i]![0], o));
  const inStride = x.shape.map((_, i) => sizeOf(x.shape.slice(i + 1)));
  // walk the output in order; the source offset is the sum of each axis' mapped index
  const idx = new Array<number>(rank).fill(0);
  for (let k = 0; k < out.data.length; k++) {
    let off = 0;
    let outside = false;
    for (let i = 0; i < rank; i++) {
      const s = maps[i]![idx[i]!]!;
      if (s < 0) {
        outside = true;
        break;
      }
      off += s * inStride[i]!;
    }
    out.data[k] = outside ? value : x.data[off]!;
    for (let i = rank - 1; i >= 0; i--) {
      if (++idx[i]! < outShape[i]!) break;
      idx[i] = 0;
    }
  }
  return out;
}

/**
 * torch.nn.PixelShuffle on the last three axes (…, C·r², H, W) → (…, C, H·r, W·r):
 * out[c, h·r + i, w·r + j] = in[c·r² + i·r + j, h, w]. `inverse`: PixelUnshuffle, the reverse.
 */
export function pixelShuffle(x: Tensor, r: number, inverse = false, op = 'PixelShuffle'): Tensor {
  const rank = x.shape.length;
  if (rank < 3) fail('bad-shape', `${op}: expects at least 3 dimensions, got ${formatShape(x.shape)}`);
  if (!Number.isInteger(r) || r < 1) fail('bad-argument', `${op}: the factor must be a positive integer, got ${r}`);
  const [C, H, W] = x.shape.slice(-3) as [number, number, number];
  const lead = x.shape.slice(0, -3);
  const n = sizeOf(lead);
  if (!inverse && C % (r * r) !== 0)
    fail('bad-shape', `${op}: ${C} channels are not divisible by the square of the factor ${r}`);
  if (inverse && (H % r !== 0 || W % r !== 0))
    fail('bad-shape', `${op}: height ${H} and width ${W} must be divisible by the factor ${r}`);
  // the shuffled (large) side: channels c, height h·r + i, width w·r + j
  const [c, h, w] = inverse ? [C, H / r, W / r] : [C / (r * r), H, W];
  const outShape = inverse ? [...lead, C * r * r, h, w] : [...lead, c, H * r, W * r];
  const out = zeros(outShape, op);
  const bigW = w * r;
  for (let b = 0; b < n; b++) {
    const base = b * C * H * W;
    for (let ch = 0; ch < c; ch++)
      for (let i = 0; i < r; i++)
        for (let j = 0; j < r; j++) {
          const small = base + (ch * r * r + i * r + j) * h * w;
          for (let y = 0; y < h; y++)
            for (let x0 = 0; x0 < w; x0++) {
              const big = base + ch * h * r * bigW + (y * r + i) * bigW + x0 * r + j;
              if (inverse) out.data[small + y * w + x0] = x.data[big]!;
              else out.data[big] = x.data[small + y * w + x0]!;
            }
        }
  }
  return out;
}
