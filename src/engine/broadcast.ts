/**
 * Element-wise arithmetic with broadcasting, as PyTorch (and numpy) define it: shapes are aligned
 * at their last axis, a missing or size-1 axis stretches to the other size, any other difference
 * is an error worded as PyTorch raises it. Values are float32: each result is rounded once, as a
 * float32 kernel computes it.
 */
import { fail } from './errors';
import { zeros, type Tensor } from './tensor';

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'maximum' | 'minimum';
export type ScalarOp = 'add' | 'sub' | 'mul' | 'div' | 'pow';

const BINARY: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  // torch.maximum/minimum propagate NaN
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
};

/** The broadcast shape of a and b; PyTorch's message when they cannot broadcast. */
export function broadcastShapes(a: readonly number[], b: readonly number[], op = 'broadcast'): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1)
      fail(
        'bad-shape',
        `${op}: The size of tensor a (${da}) must match the size of tensor b (${db}) at non-singleton dimension ${i}`,
      );
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Element strides of `shape` seen as a tensor of `outShape` (0 on stretched axes). */
function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const rank = outShape.length;
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const o = rank - shape.length + i;
    strides[o] = shape[i] === 1 ? 0 : s;
    s *= shape[i]!;
  }
  return strides;
}

export function binaryBroadcast(a: Tensor, b: Tensor, op: BinaryOp, name = 'binary'): Tensor {
  const shape = broadcastShapes(a.shape, b.shape, name);
  const out = zeros(shape, name);
  const f = BINARY[op];
  const n = out.data.length;
  if (n === 0) return out;
  const rank = shape.length;
  if (rank === 0) {
    out.data[0] = f(a.data[0]!, b.data[0]!);
    return out;
  }
  const sa = broadcastStrides(a.shape, shape);
  const sb = broadcastStrides(b.shape, shape);
  const idx = new Array<number>(rank).fill(0);
  const inner = shape[rank - 1]!;
  const ia = sa[rank - 1]!;
  const ib = sb[rank - 1]!;
  let offA = 0;
  let offB = 0;
  for (let o = 0; o < n; o += inner) {
    for (let k = 0; k < inner; k++) out.data[o + k] = f(a.data[offA + k * ia]!, b.data[offB + k * ib]!);
    // next row: increment the multi-index over the outer axes
    for (let ax = rank - 2; ax >= 0; ax--) {
      idx[ax]!++;
      offA += sa[ax]!;
      offB += sb[ax]!;
      if (idx[ax]! < shape[ax]!) break;
      offA -= sa[ax]! * shape[ax]!;
      offB -= sb[ax]! * shape[ax]!;
      idx[ax] = 0;
    }
  }
  return out;
}

/**
 * A tensor with a Python number: `x * 0.5`, `x / 255`, `1 - x` (scalarFirst), `x ** 2`. The
 * number is a float32 in the kernel. `2 / x` is what PyTorch's Tensor.__rdiv__ computes:
 * x.reciprocal() * 2, two roundings.
 */
export function scalarOp(x: Tensor, op: ScalarOp, value: number, scalarFirst: boolean, name = 'scalar'): Tensor {
  const out = zeros(x.shape, name);
  const s = Math.fround(value);
  const d = out.data;
  const v = x.data;
  const n = d.length;
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) d[i] = v[i]! + s;
      break;
    case 'mul':
      for (let i = 0; i < n; i++) d[i] = v[i]! * s;
      break;
    case 'sub':
      if (scalarFirst) for (let i = 0; i < n; i++) d[i] = s - v[i]!;
      else for (let i = 0; i < n; i++) d[i] = v[i]! - s;
      break;
    case 'div':
      if (scalarFirst) for (let i = 0; i < n; i++) d[i] = Math.fround(1 / v[i]!) * s;
      else for (let i = 0; i < n; i++) d[i] = v[i]! / s;
      break;
    case 'pow':
      if (scalarFirst) for (let i = 0; i < n; i++) d[i] = Math.pow(s, v[i]!);
      else for (let i = 0; i < n; i++) d[i] = Math.pow(v[i]!, s);
      break;
  }
  return out;
}
