/**
 * Reductions written in forward(): x.mean(dim, keepdim), x.sum, x.amax/amin, the values of
 * x.max(dim)/x.min(dim) (their indices are argmax/argmin, as floats), torch.mean/sum/max.
 * PyTorch semantics: dims may be negative, an int or a list (`x.mean([2, 3])`), none = every axis
 * (a 0-d result); keepdim leaves size-1 axes; a dim out of range or repeated is PyTorch's error.
 */
import * as E from '../../engine';
import type { Dim } from '../../shared/dims';
import { NO_EQUIVALENT, NO_PARAMS, result, stop, type InferInput, type InferResult, type LayerFamily } from './family';

export type ReduceCfg = { kind: 'reduce'; op: E.ReduceOp; dims: number[] | null; keepdim: boolean };

/** A possibly negative dim of a rank-`rank` tensor, or PyTorch's message. */
export function dimIndex(dim: number, rank: number): number | string {
  const lo = -Math.max(rank, 1);
  const hi = Math.max(rank, 1) - 1;
  if (dim < lo || dim > hi) return `Dimension out of range (expected to be in range of [${lo}, ${hi}], but got ${dim})`;
  return dim < 0 ? dim + Math.max(rank, 1) : dim;
}

function infer(inp: InferInput, c: ReduceCfg): InferResult {
  const s = inp.shapes[0]!;
  const rank = s.length;
  const fail = (detail: string) =>
    stop({ severity: 'error', code: 'bad-argument', args: { layer: inp.label, detail } });
  let axes: number[];
  if (c.dims === null) axes = s.map((_, i) => i);
  else {
    axes = [];
    for (const d of c.dims) {
      const i = dimIndex(d, rank);
      if (typeof i === 'string') return fail(i);
      if (axes.includes(i)) return fail(`dim ${i} appears multiple times in the list of dims`);
      axes.push(i);
    }
  }
  const out: Dim[] = c.keepdim ? s.map((d, i) => (axes.includes(i) ? 1 : d)) : s.filter((_, i) => !axes.includes(i));
  return result({ out, formula: '0', rf: null });
}

export const reduceFamily: LayerFamily<ReduceCfg> = {
  kinds: ['reduce'],
  infer,
  ...NO_PARAMS,
  run: (ctx, c, [x]) => E.reduce(x!, c.op, c.dims, c.keepdim, ctx.label),
  equivalent: NO_EQUIVALENT,
  panel: () => ({ kind: 'other', row: 'other' }),
};

export type Cfg = ReduceCfg;
export const families = [reduceFamily];
