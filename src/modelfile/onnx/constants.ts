/**
 * Folding the constant parts of a graph: the nodes whose inputs are all constants (initializers,
 * Constant nodes, the shape of an activation) are computed when the file is read and never shown
 * as layers. Exporters build shapes this way: torch writes `x.view(x.size(0), -1)` as Shape →
 * Gather → Unsqueeze → Concat → Reshape, and F.pad's pads as ConstantOfShape → Concat → Reshape →
 * Slice → Transpose → Cast. Sizes not known until run time (a symbolic batch) travel as named
 * elements (`sym`) through the ops that only move elements; arithmetic on them cannot be folded.
 * Semantics are ONNX's (numpy broadcasting, integer division truncating, Slice clamping).
 */
import type { Shape } from '../../shared/dims';
import type { Attrs } from './attrs';
import { checkElements, elementCount, isFloatType, type ConstTensor } from './tensors';

/** A constant node that cannot be computed here; the message says why. */
export class FoldError extends Error {
  override readonly name = 'FoldError';
}

/** Ops computed when all their inputs are constants. */
export const FOLDABLE = new Set([
  'Identity',
  'Cast',
  'Shape',
  'Size',
  'Gather',
  'Unsqueeze',
  'Squeeze',
  'Concat',
  'Slice',
  'Reshape',
  'Transpose',
  'ConstantOfShape',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Neg',
  'Range',
  'Flatten',
]);

export interface FoldContext {
  file: string;
  /** "node 'x' (Reshape)": for messages. */
  what: string;
  attrs: Attrs;
  opset: number;
}

function strides(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1]! * dims[i + 1]!;
  return s;
}

function make(ctx: FoldContext, dims: number[], values: ArrayLike<number>, isInt: boolean, sym?: (string | null)[]) {
  checkElements(ctx.file, ctx.what, elementCount(dims));
  const out: ConstTensor = {
    dims,
    data: isInt ? Array.from(values, (v) => Math.trunc(v)) : Float32Array.from(values),
    int: isInt,
  };
  if (sym && sym.some((s) => s !== null)) out.sym = sym;
  return out;
}

/** Output element i ← input element pick(i), sizes given by `dims`; sym names travel along. */
function gatherBy(ctx: FoldContext, x: ConstTensor, dims: number[], pick: (idx: number[]) => number): ConstTensor {
  const n = elementCount(dims);
  checkElements(ctx.file, ctx.what, n);
  const values = new Array<number>(n);
  const sym = x.sym ? new Array<string | null>(n) : undefined;
  const idx = new Array<number>(dims.length).fill(0);
  for (let i = 0; i < n; i++) {
    const src = pick(idx);
    values[i] = x.data[src]!;
    if (sym) sym[i] = x.sym![src] ?? null;
    for (let k = dims.length - 1; k >= 0; k--) {
      if (++idx[k]! < dims[k]!) break;
      idx[k] = 0;
    }
  }
  return make(ctx, dims, values, x.int, sym);
}

function axisOf(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= Math.max(rank, 1)) throw new FoldError(`axis ${axis} is out of range for rank ${rank}`);
  return a;
}

function ints(t: ConstTensor | null, what: string): number[] {
  if (!t) throw new FoldError(`its ${what} is missing`);
  if (t.sym) throw new FoldError(`its ${what} depends on a size not known until run time`);
  return Array.from(t.data);
}

/** Axes from the attribute (older opsets) or the input (opset 13 on). */
function axesOf(ctx: FoldContext, input: ConstTensor | null | undefined): number[] | null {
  if (input) return ints(input, 'axes');
  return ctx.attrs.ints('axes');
}

function constantValue(ctx: FoldContext, decode: (t: NonNullable<ReturnType<Attrs['tensor']>>) => ConstTensor) {
  const a = ctx.attrs;
  const t = a.tensor('value');
  if (t) return decode(t);
  if (a.has('value_float')) return make(ctx, [], [a.float('value_float', 0)], false);
  if (a.has('value_int')) return make(ctx, [], [a.int('value_int', 0)], true);
  const fs = a.floats('value_floats');
  if (fs) return make(ctx, [fs.length], fs, false);
  const is = a.ints('value_ints');
  if (is) return make(ctx, [is.length], is, true);
  throw new FoldError('it has no value this reader knows (sparse or string values are not read)');
}

function broadcast(ctx: FoldContext, a: ConstTensor, b: ConstTensor, f: (x: number, y: number) => number): ConstTensor {
  if (a.sym || b.sym) throw new FoldError('it computes with a size not known until run time');
  const rank = Math.max(a.dims.length, b.dims.length);
  const da = [...new Array<number>(rank - a.dims.length).fill(1), ...a.dims];
  const db = [...new Array<number>(rank - b.dims.length).fill(1), ...b.dims];
  const dims = da.map((x, i) => {
    const y = db[i]!;
    if (x !== y && x !== 1 && y !== 1) throw new FoldError(`shapes [${a.dims}] and [${b.dims}] do not broadcast`);
    return x === 1 ? y : x;
  });
  const sa = strides(da);
  const sb = strides(db);
  const n = elementCount(dims);
  checkElements(ctx.file, ctx.what, n);
  const out = new Array<number>(n);
  const idx = new Array<number>(rank).fill(0);
  for (let i = 0; i < n; i++) {
    let ia = 0;
    let ib = 0;
    for (let k = 0; k < rank; k++) {
      if (da[k] !== 1) ia += idx[k]! * sa[k]!;
      if (db[k] !== 1) ib += idx[k]! * sb[k]!;
    }
    out[i] = f(a.data[ia]!, b.data[ib]!);
    for (let k = rank - 1; k >= 0; k--) {
      if (++idx[k]! < dims[k]!) break;
      idx[k] = 0;
    }
  }
  return make(ctx, dims, out, a.int && b.int);
}

function arithmetic(op: string, isInt: boolean): (x: number, y: number) => number {
  switch (op) {
    case 'Add':
      return (x, y) => x + y;
    case 'Sub':
      return (x, y) => x - y;
    case 'Mul':
      return (x, y) => x * y;
    default:
      return isInt ? (x, y) => Math.trunc(x / y) : (x, y) => Math.fround(x / y);
  }
}

function slice(ctx: FoldContext, x: ConstTensor, inputs: readonly (ConstTensor | null)[]): ConstTensor {
  const old = ctx.opset < 10;
  const starts = old ? (ctx.attrs.ints('starts') ?? []) : ints(inputs[1] ?? null, 'starts');
  const ends = old ? (ctx.attrs.ints('ends') ?? []) : ints(inputs[2] ?? null, 'ends');
  const axes = old ? ctx.attrs.ints('axes') : inputs[3] ? ints(inputs[3], 'axes') : null;
  const steps = !old && inputs[4] ? ints(inputs[4], 'steps') : null;
  const rank = x.dims.length;
  const start = new Array<number>(rank).fill(0);
  const step = new Array<number>(rank).fill(1);
  const dims = [...x.dims];
  starts.forEach((s0, i) => {
    const axis = axisOf(axes ? axes[i]! : i, rank);
    const d = x.dims[axis]!;
    const st = steps ? steps[i]! : 1;
    if (st === 0) throw new FoldError('a slice step is 0');
    let s = s0 < 0 ? s0 + d : s0;
    let e = ends[i]! < 0 ? ends[i]! + d : ends[i]!;
    if (st > 0) {
      s = Math.min(Math.max(s, 0), d);
      e = Math.min(Math.max(e, 0), d);
      dims[axis] = Math.max(Math.ceil((e - s) / st), 0);
    } else {
      s = Math.min(Math.max(s, 0), d - 1);
      e = Math.min(Math.max(e, -1), d - 1);
      dims[axis] = Math.max(Math.ceil((e - s) / st), 0);
    }
    start[axis] = s;
    step[axis] = st;
  });
  const sx = strides(x.dims);
  return gatherBy(ctx, x, dims, (idx) => idx.reduce((acc, v, k) => acc + (start[k]! + v * step[k]!) * sx[k]!, 0));
}

function reshapeDims(x: ConstTensor, shape: number[], allowZero: boolean): number[] {
  const dims = shape.map((d, i) => (d === 0 && !allowZero ? (x.dims[i] ?? 0) : d));
  const n = elementCount(x.dims);
  const minus = dims.filter((d) => d === -1).length;
  if (minus > 1) throw new FoldError('its shape has more than one -1');
  const known = dims.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const out = dims.map((d) => (d === -1 ? (known === 0 ? 0 : n / known) : d));
  if (elementCount(out) !== n || out.some((d) => !Number.isInteger(d) || d < 0))
    throw new FoldError(`cannot reshape [${x.dims}] into [${shape}]`);
  return out;
}

/** The values of a Shape node on an activation of this shape (start/end of opset 15). */
export function shapeOf(ctx: FoldContext, shape: Shape): ConstTensor {
  const rank = shape.length;
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
  const s = shape.slice(clamp(ctx.attrs.int('start', 0)), clamp(ctx.attrs.int('end', rank)));
  return make(
    ctx,
    [s.length],
    s.map((d) => (typeof d === 'number' ? d : -1)),
    true,
    s.map((d) => (typeof d === 'number' ? null : d.sym)),
  );
}

/**
 * Computes a constant node (`op` in FOLDABLE, or Constant) from constant inputs (null: an
 * optional input left out). Throws FoldError when it cannot.
 */
export function fold(
  op: string,
  inputs: readonly (ConstTensor | null)[],
  ctx: FoldContext,
  decode: (t: NonNullable<ReturnType<Attrs['tensor']>>) => ConstTensor,
): ConstTensor {
  if (op === 'Constant') return constantValue(ctx, decode);
  const x = inputs[0];
  if (!x && op !== 'Range') throw new FoldError('its first input is missing');
  const a = ctx.attrs;
  switch (op) {
    case 'Identity':
      return x!;
    case 'Cast': {
      const toInt = !isFloatType(a.int('to', 1));
      if (x!.sym && !toInt) throw new FoldError('it casts a size not known until run time to a float');
      const isBool = a.int('to', 1) === 9;
      const values = Array.from(x!.data, (v) => (isBool ? (v !== 0 ? 1 : 0) : v));
      return make(ctx, [...x!.dims], values, toInt, x!.sym);
    }
    case 'Shape':
      return shapeOf(ctx, x!.dims);
    case 'Size':
      return make(ctx, [], [elementCount(x!.dims)], true);
    case 'Gather': {
      const idx = inputs[1];
      if (!idx) throw new FoldError('its indices are missing');
      const rank = x!.dims.length;
      const axis = axisOf(a.int('axis', 0), rank);
      const d = x!.dims[axis]!;
      const iv = ints(idx, 'indices').map((i) => {
        const j = i < 0 ? i + d : i;
        if (j < 0 || j >= d) throw new FoldError(`index ${i} is out of range for size ${d}`);
        return j;
      });
      const dims = [...x!.dims.slice(0, axis), ...idx.dims, ...x!.dims.slice(axis + 1)];
      const sx = strides(x!.dims);
      const si = strides(idx.dims);
      const ir = idx.dims.length;
      return gatherBy(ctx, x!, dims, (o) => {
        let flat = 0;
        for (let k = 0; k < ir; k++) flat += o[axis + k]! * si[k]!;
        let src = iv[flat]! * sx[axis]!;
        for (let k = 0; k < axis; k++) src += o[k]! * sx[k]!;
        for (let k = axis + 1; k < rank; k++) src += o[k + ir - 1]! * sx[k]!;
        return src;
      });
    }
    case 'Unsqueeze': {
      const axes = axesOf(ctx, inputs[1]);
      if (!axes) throw new FoldError('its axes are missing');
      const rank = x!.dims.length + axes.length;
      const at = axes.map((ax) => axisOf(ax, rank));
      const dims: number[] = [];
      let k = 0;
      for (let i = 0; i < rank; i++) dims.push(at.includes(i) ? 1 : x!.dims[k++]!);
      return { ...x!, dims };
    }
    case 'Squeeze': {
      const axes = axesOf(ctx, inputs[1]);
      const rank = x!.dims.length;
      const at = axes ? axes.map((ax) => axisOf(ax, rank)) : x!.dims.flatMap((d, i) => (d === 1 ? [i] : []));
      if (at.some((i) => x!.dims[i] !== 1)) throw new FoldError('it squeezes an axis whose size is not 1');
      return { ...x!, dims: x!.dims.filter((_, i) => !at.includes(i)) };
    }
    case 'Flatten': {
      const axis = a.int('axis', 1);
      const at = axis < 0 ? axis + x!.dims.length : axis;
      return { ...x!, dims: [elementCount(x!.dims.slice(0, at)), elementCount(x!.dims.slice(at))] };
    }
    case 'Concat': {
      const parts = inputs.filter((t): t is ConstTensor => t !== null);
      const rank = parts[0]!.dims.length;
      const axis = axisOf(a.int('axis', 0), rank);
      const outer = elementCount(parts[0]!.dims.slice(0, axis));
      const values: number[] = [];
      const sym: (string | null)[] = [];
      for (const p of parts)
        if (p.dims.length !== rank || p.dims.some((d, i) => i !== axis && d !== parts[0]!.dims[i]))
          throw new FoldError('its inputs have shapes that do not concatenate');
      const dims = [...parts[0]!.dims];
      dims[axis] = parts.reduce((s, p) => s + p.dims[axis]!, 0);
      checkElements(ctx.file, ctx.what, elementCount(dims));
      for (let o = 0; o < outer; o++)
        for (const p of parts) {
          const inner = elementCount(p.dims.slice(axis));
          for (let i = o * inner; i < (o + 1) * inner; i++) {
            values.push(p.data[i]!);
            sym.push(p.sym?.[i] ?? null);
          }
        }
      return make(
        ctx,
        dims,
        values,
        parts.every((p) => p.int),
        sym,
      );
    }
    case 'Slice':
      return slice(ctx, x!, inputs);
    case 'Reshape':
      return { ...x!, dims: reshapeDims(x!, ints(inputs[1] ?? null, 'shape'), a.int('allowzero', 0) === 1) };
    case 'Transpose': {
      const rank = x!.dims.length;
      const perm = a.ints('perm') ?? x!.dims.map((_, i) => rank - 1 - i);
      const sx = strides(x!.dims);
      return gatherBy(
        ctx,
        x!,
        perm.map((p) => x!.dims[p]!),
        (idx) => idx.reduce((acc, v, k) => acc + v * sx[perm[k]!]!, 0),
      );
    }
    case 'ConstantOfShape': {
      const dims = ints(x!, 'shape');
      if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new FoldError(`shape [${dims}] is not valid`);
      checkElements(ctx.file, ctx.what, elementCount(dims));
      const t = a.tensor('value');
      const v = t ? decode(t) : null;
      const value = v ? v.data[0]! : 0;
      return make(ctx, dims, new Array<number>(elementCount(dims)).fill(value), v ? v.int : false);
    }
    case 'Neg':
      return broadcast(ctx, x!, { dims: [], data: [-1], int: x!.int }, (p, q) => p * q);
    case 'Range': {
      const [s, l, d] = [0, 1, 2].map((i) => ints(inputs[i] ?? null, 'range bounds')[0]!);
      if (!d) throw new FoldError('its delta is 0');
      const n = Math.max(Math.ceil((l! - s!) / d), 0);
      checkElements(ctx.file, ctx.what, n);
      return make(
        ctx,
        [n],
        Array.from({ length: n }, (_, i) => s! + i * d),
        inputs[0]!.int,
      );
    }
    default: {
      const y = inputs[1];
      if (!y) throw new FoldError('its second input is missing');
      return broadcast(ctx, x!, y, arithmetic(op, x!.int && y.int));
    }
  }
}
