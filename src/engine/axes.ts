/**
 * Ops along named axes, as PyTorch defines them: permute (transpose is a permute that swaps two
 * axes), a slice of one axis (each piece of torch.chunk / torch.split), and reductions over axes
 * (sum, mean, amax, amin, and argmax/argmin with the index as a float). Axes may be negative.
 * Reductions accumulate in float64 and round once to float32.
 */
import { fail } from './errors';
import { formatShape, sizeOf, zeros, type Tensor } from './tensor';

/** A possibly negative axis as an index into a rank-`rank` shape; PyTorch's message when out of range. */
export function normalizeAxis(axis: number, rank: number, op: string): number {
  const lo = -Math.max(rank, 1);
  const hi = Math.max(rank, 1) - 1;
  if (!Number.isInteger(axis) || axis < lo || axis > hi)
    fail('bad-argument', `${op}: Dimension out of range (expected to be in range of [${lo}, ${hi}], but got ${axis})`);
  return axis < 0 ? axis + Math.max(rank, 1) : axis;
}

/** out[i0, i1, …] = x[index along dims[0], …]: output axis k is input axis dims[k]. */
export function permute(x: Tensor, dims: readonly number[], op = 'permute'): Tensor {
  const rank = x.shape.length;
  if (dims.length !== rank)
    fail('bad-argument', `${op}: ${dims.length} dims given for a tensor of rank ${rank} ${formatShape(x.shape)}`);
  const perm = dims.map((d) => normalizeAxis(d, rank, op));
  if (new Set(perm).size !== rank) fail('bad-argument', `${op}: repeated dim in ${formatShape(dims)}`);
  const outShape = perm.map((p) => x.shape[p]!);
  const out = zeros(outShape, op);
  if (out.data.length === 0 || rank === 0) {
    out.data.set(x.data);
    return out;
  }
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= x.shape[i]!;
  }
  const st = perm.map((p) => inStrides[p]!);
  const idx = new Array<number>(rank).fill(0);
  const inner = outShape[rank - 1]!;
  const innerStride = st[rank - 1]!;
  let off = 0;
  for (let o = 0; o < out.data.length; o += inner) {
    for (let k = 0; k < inner; k++) out.data[o + k] = x.data[off + k * innerStride]!;
    for (let ax = rank - 2; ax >= 0; ax--) {
      idx[ax]!++;
      off += st[ax]!;
      if (idx[ax]! < outShape[ax]!) break;
      off -= st[ax]! * outShape[ax]!;
      idx[ax] = 0;
    }
  }
  return out;
}

/** x[..., start:start+length, ...] along `axis`. */
export function sliceAxis(x: Tensor, axis: number, start: number, length: number, op = 'slice'): Tensor {
  const rank = x.shape.length;
  const ax = normalizeAxis(axis, rank, op);
  const size = x.shape[ax]!;
  if (!Number.isInteger(start) || !Number.isInteger(length) || start < 0 || length < 0 || start + length > size)
    fail('bad-argument', `${op}: [${start}, ${start + length}) is not inside axis ${axis} of size ${size}`);
  const outShape = x.shape.map((d, i) => (i === ax ? length : d));
  const out = zeros(outShape, op);
  const outer = sizeOf(x.shape.slice(0, ax));
  const inner = sizeOf(x.shape.slice(ax + 1));
  for (let o = 0; o < outer; o++)
    out.data.set(x.data.subarray((o * size + start) * inner, (o * size + start + length) * inner), o * length * inner);
  return out;
}

export type ReduceOp = 'sum' | 'mean' | 'amax' | 'amin' | 'argmax' | 'argmin';

/** Does v replace the best so far? Max/min propagate NaN; ties keep the first index. */
function better(op: ReduceOp, v: number, best: number): boolean {
  if (Number.isNaN(best)) return false;
  if (Number.isNaN(v)) return true;
  return op === 'amax' || op === 'argmax' ? v > best : v < best;
}

/**
 * Reduces `axes` (null: all axes). keepdim leaves size-1 axes in their place. Reducing an empty
 * axis with amax/amin/argmax/argmin is an error, as PyTorch raises.
 */
export function reduce(
  x: Tensor,
  op: ReduceOp,
  axes: readonly number[] | null,
  keepdim: boolean,
  name: string = op,
): Tensor {
  const rank = x.shape.length;
  const red = axes === null ? x.shape.map((_, i) => i) : axes.map((a) => normalizeAxis(a, rank, name));
  if (new Set(red).size !== red.length) fail('bad-argument', `${name}: an axis appears twice in ${formatShape(red)}`);
  const kept = x.shape.map((_, i) => i).filter((i) => !red.includes(i));
  // reduced axes last: each output value reduces one contiguous run
  const moved = red.length === 0 || kept.every((k, i) => k === i) ? x : permute(x, [...kept, ...red], name);
  const count = sizeOf(red.map((i) => x.shape[i]!));
  const outShape = keepdim ? x.shape.map((d, i) => (red.includes(i) ? 1 : d)) : kept.map((i) => x.shape[i]!);
  const out = zeros(outShape, name);
  if (count === 0 && op !== 'sum' && op !== 'mean' && out.data.length > 0)
    fail('bad-argument', `${name}: cannot reduce an empty axis of ${formatShape(x.shape)}`);
  const v = moved.data;
  for (let o = 0; o < out.data.length; o++) {
    const base = o * count;
    if (op === 'sum' || op === 'mean') {
      let acc = 0;
      for (let k = 0; k < count; k++) acc += v[base + k]!;
      out.data[o] = op === 'mean' ? acc / count : acc;
    } else {
      let best = v[base]!;
      let at = 0;
      for (let k = 1; k < count; k++)
        if (better(op, v[base + k]!, best)) {
          best = v[base + k]!;
          at = k;
        }
      out.data[o] = op === 'argmax' || op === 'argmin' ? at : best;
    }
  }
  return out;
}
