/**
 * Basic indexing of a PyTorch tensor, `x[:, :d]`, `x[:, c:, :, :]`, `x[..., ::2]`, `x[:, 0]`,
 * `x[:, None]`, as torch 1.13 does it: a slice keeps its axis (Python's clamping of the bounds, a
 * step greater than zero), an integer removes it (PyTorch's IndexError out of range), None inserts
 * an axis of size 1, an Ellipsis stands for the axes no other item takes; axes left over are kept.
 */
import * as E from '../../engine';
import { dimText, isKnown, type Dim } from '../../shared/dims';
import { NO_EQUIVALENT, NO_PARAMS, result, stop, type InferInput, type InferResult, type LayerFamily } from './family';

export type IndexItem =
  | { t: 'slice'; start: number | null; stop: number | null; step: number }
  | { t: 'int'; i: number }
  | { t: 'none' }
  | { t: 'ellipsis' };
export type IndexCfg = { kind: 'index'; items: IndexItem[] };

/** Python's slice.indices(n) with a positive step: [start, stop] clamped into [0, n]. */
function bounds(n: number, s: Extract<IndexItem, { t: 'slice' }>): [number, number] {
  const at = (v: number | null, dflt: number): number =>
    v === null ? dflt : Math.min(Math.max(v < 0 ? v + n : v, 0), n);
  return [at(s.start, 0), at(s.stop, n)];
}

function sliceLength(n: number, s: Extract<IndexItem, { t: 'slice' }>): number {
  const [a, b] = bounds(n, s);
  return Math.max(0, Math.ceil((b - a) / s.step));
}

function itemText(s: IndexItem): string {
  if (s.t === 'int') return String(s.i);
  if (s.t === 'none') return 'None';
  if (s.t === 'ellipsis') return '...';
  const step = s.step === 1 ? '' : `:${s.step}`;
  return `${s.start ?? ''}:${s.stop ?? ''}${step}`;
}

export function indexText(c: IndexCfg): string {
  return `[${c.items.map(itemText).join(', ')}]`;
}

/** Each item with the axis it takes (-1: none), the Ellipsis expanded; or PyTorch's message. */
function plan(c: IndexCfg, rank: number): { item: IndexItem; axis: number }[] | string {
  const takes = c.items.filter((s) => s.t === 'slice' || s.t === 'int').length;
  if (takes > rank) return `too many indices for tensor of dimension ${rank}`;
  for (const s of c.items) {
    if (s.t === 'slice' && s.step === 0) return 'slice step cannot be zero';
    if (s.t === 'slice' && s.step < 0) return 'step must be greater than zero';
  }
  const out: { item: IndexItem; axis: number }[] = [];
  let axis = 0;
  let expanded = false;
  const full: IndexItem = { t: 'slice', start: null, stop: null, step: 1 };
  for (const s of c.items) {
    // the first Ellipsis takes the axes left; torch 1.13 takes a further one as taking none
    if (s.t === 'ellipsis' && !expanded) {
      expanded = true;
      for (let k = 0; k < rank - takes; k++) out.push({ item: full, axis: axis++ });
    } else if (s.t === 'ellipsis') continue;
    else if (s.t === 'none') out.push({ item: s, axis: -1 });
    else out.push({ item: s, axis: axis++ });
  }
  while (axis < rank) out.push({ item: full, axis: axis++ });
  return out;
}

function infer(inp: InferInput, c: IndexCfg): InferResult {
  const s = inp.shapes[0]!;
  const p = plan(c, s.length);
  const bad = (detail: string): InferResult =>
    stop({ severity: 'error', code: 'bad-argument', args: { layer: inp.label, detail } });
  if (typeof p === 'string') return bad(p);
  const out: Dim[] = [];
  for (const { item, axis } of p) {
    if (item.t === 'none') out.push(1);
    else if (item.t === 'int') {
      const n = s[axis]!;
      if (isKnown(n) && (item.i < -n || item.i >= n))
        return bad(`index ${item.i} is out of bounds for dimension ${axis} with size ${n}`);
    } else if (item.t === 'slice') {
      const n = s[axis]!;
      if (item.start === null && item.stop === null && item.step === 1) out.push(n);
      else if (isKnown(n)) out.push(sliceLength(n, item));
      else out.push({ sym: `len(${dimText(n)}[${itemText(item)}])` });
    }
  }
  const same = out.length === s.length && out.every((d, k) => k < 2 || d === s[k]);
  return result({ out, formula: '0', rf: same ? inp.rf : null });
}

function run(c: IndexCfg, x: E.Tensor, label: string): E.Tensor {
  const p = plan(c, x.shape.length);
  if (typeof p === 'string') E.fail('bad-argument', `${label}: ${p}`);
  const strides: number[] = [];
  let acc = 1;
  for (let k = x.shape.length - 1; k >= 0; k--) {
    strides[k] = acc;
    acc *= x.shape[k]!;
  }
  // per output axis: its size, the input offset of its first element and the step between elements
  const axes: { size: number; step: number }[] = [];
  let base = 0;
  for (const { item, axis } of p) {
    if (item.t === 'none') axes.push({ size: 1, step: 0 });
    else if (item.t === 'int') {
      const n = x.shape[axis]!;
      if (item.i < -n || item.i >= n)
        E.fail('bad-argument', `${label}: index ${item.i} is out of bounds for dimension ${axis} with size ${n}`);
      base += (item.i < 0 ? item.i + n : item.i) * strides[axis]!;
    } else if (item.t === 'slice') {
      const n = x.shape[axis]!;
      base += bounds(n, item)[0] * strides[axis]!;
      axes.push({ size: sliceLength(n, item), step: item.step * strides[axis]! });
    }
  }
  const shape = axes.map((a) => a.size);
  const total = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(total);
  const idx = new Array<number>(axes.length).fill(0);
  for (let o = 0; o < total; o++) {
    let off = base;
    for (let k = 0; k < axes.length; k++) off += idx[k]! * axes[k]!.step;
    data[o] = x.data[off]!;
    for (let k = axes.length - 1; k >= 0; k--) {
      if (++idx[k]! < axes[k]!.size) break;
      idx[k] = 0;
    }
  }
  return E.tensor(shape, data, label);
}

export const indexFamily: LayerFamily<IndexCfg> = {
  kinds: ['index'],
  infer,
  ...NO_PARAMS,
  run: (ctx, c, [x]) => run(c, x!, ctx.label),
  equivalent: NO_EQUIVALENT,
  panel: () => ({ kind: 'other', row: 'other' }),
};

export type Cfg = IndexCfg;
export const families = [indexFamily];
