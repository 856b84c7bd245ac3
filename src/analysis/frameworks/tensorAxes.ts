/**
 * PyTorch tensor ops along axes, written as methods (`x.permute(0, 2, 3, 1)`, `x.mean([2, 3])`,
 * `a, b = x.chunk(2, dim=1)`) or as torch functions (`torch.transpose(x, 1, 2)`,
 * `torch.max(x, 1)`): each becomes a layer node (model/layers/axes.ts, reduce.ts,
 * elementwise.ts). Signatures follow torch 1.13. Ops returning several tensors give a tuple of
 * nodes: a piece of chunk/split per node; max/min(dim) give (values, indices). Arguments that
 * cannot be read make an 'unknown' node, so shapes stop without an error.
 */
import type { LayerCfg } from '../../model/ir';
import type { SplitSpec } from '../../model/layers/axes';
import type { ReduceCfg } from '../../model/layers/reduce';
import { isKnown } from '../../shared/dims';
import type { Range } from '../python/ast';
import type { Interpreter } from '../interp/interpreter';
import { UNKNOWN, asBool, asInt, asIntList, type TensorValue, type Value } from '../interp/values';
import { bind, type CallArgs } from './args';
import { applyFunctional } from './apply';
import { splitPieces } from '../../model/layers/axes';

export const AXIS_OPS = new Set([
  'permute',
  'transpose',
  'squeeze',
  'unsqueeze',
  'mean',
  'sum',
  'amax',
  'amin',
  'max',
  'min',
  'argmax',
  'argmin',
  'chunk',
  'split',
]);

/** Ints as separate arguments or one tuple/list: permute(0, 2, 1) = permute((0, 2, 1)). */
function intsOf(vals: Value[]): number[] | null {
  if (vals.length === 1 && vals[0]!.t !== 'num') return asIntList(vals[0]);
  const out: number[] = [];
  for (const v of vals) {
    const n = asInt(v);
    if (n === null) return null;
    out.push(n);
  }
  return out;
}

/** A dim argument: absent or None → all axes (null); an int or a list of ints; undefined: unreadable. */
function dimsOf(v: Value | undefined): number[] | null | undefined {
  if (v === undefined || v.t === 'none') return null;
  return asIntList(v) ?? undefined;
}

function keepdimOf(v: Value | undefined): boolean | undefined {
  if (v === undefined) return false;
  return asBool(v) ?? undefined;
}

/**
 * `x.<name>(args)` or `torch.<name>(x, args)` (args without x). `type` is how the node is listed
 * ('permute', 'torch.permute'). Undefined when `name` is not an op of this module.
 */
export function axisOp(
  ip: Interpreter,
  x: TensorValue,
  name: string,
  type: string,
  args: CallArgs,
  range: Range,
): Value | undefined {
  const node = (cfg: LayerCfg | null, t = type): TensorValue =>
    applyFunctional(ip, x.fw, t, cfg ?? { kind: 'unknown', reason: 'its arguments could not be read' }, [x], range);
  const a = args.positional;
  switch (name) {
    case 'permute': {
      const dims = intsOf(a.length > 0 ? a : args.keywords.has('dims') ? [args.keywords.get('dims')!] : []);
      return node(dims ? { kind: 'permute', dims } : null);
    }
    case 'transpose': {
      const b = bind(['dim0', 'dim1'], args).values;
      const d0 = asInt(b.get('dim0'));
      const d1 = asInt(b.get('dim1'));
      return node(d0 !== null && d1 !== null ? { kind: 'transpose', dim0: d0, dim1: d1 } : null);
    }
    case 'squeeze': {
      const v = bind(['dim'], args).values.get('dim');
      const dim = v === undefined || v.t === 'none' ? null : asInt(v);
      return node(dim !== null || v === undefined || v.t === 'none' ? { kind: 'squeeze', dim } : null);
    }
    case 'unsqueeze': {
      const dim = asInt(bind(['dim'], args).values.get('dim'));
      return node(dim !== null ? { kind: 'unsqueeze', dim } : null);
    }
    case 'mean':
    case 'sum':
    case 'amax':
    case 'amin':
    case 'argmax':
    case 'argmin': {
      const b = bind(['dim', 'keepdim'], args).values;
      let dims = dimsOf(b.get('dim'));
      // amax/amin: dim=() (the default) reduces every axis; argmax/argmin take one dim
      if (dims !== undefined && dims !== null && dims.length === 0 && (name === 'amax' || name === 'amin')) dims = null;
      if (dims && dims.length !== 1 && (name === 'argmax' || name === 'argmin')) dims = undefined;
      const keepdim = keepdimOf(b.get('keepdim'));
      return node(dims !== undefined && keepdim !== undefined ? { kind: 'reduce', op: name, dims, keepdim } : null);
    }
    case 'max':
    case 'min':
      return maxMin(ip, x, name, type, args, range, node);
    case 'chunk':
    case 'split': {
      const b = bind([name === 'chunk' ? 'chunks' : 'split_size_or_sections', 'dim'], args).values;
      const dim = asInt(b.get('dim') ?? { t: 'num', v: 0 });
      const arg = b.get(name === 'chunk' ? 'chunks' : 'split_size_or_sections');
      let split: SplitSpec | null = null;
      if (name === 'chunk') {
        const k = asInt(arg);
        split = k !== null ? { chunks: k } : null;
      } else if (arg && (arg.t === 'list' || arg.t === 'tuple')) {
        const sizes = asIntList(arg);
        split = sizes ? { sizes } : null;
      } else {
        const size = asInt(arg);
        split = size !== null ? { size } : null;
      }
      if (dim === null || split === null) return node(null);
      return pieces(x, dim, split, (cfg) => node(cfg));
    }
    default:
      return undefined;
  }
}

/** How many pieces the interpreter hands out: known from the size, or from the sizes given. */
function pieces(x: TensorValue, dim: number, split: SplitSpec, node: (c: LayerCfg) => TensorValue): Value {
  const rank = x.shape?.length;
  const axis = rank !== undefined && dim < 0 ? dim + rank : dim;
  const size = x.shape?.[axis];
  let count: number;
  if (size !== undefined && isKnown(size)) {
    const p = splitPieces(size, split, axis);
    // an invalid split: one node, whose shape rule reports PyTorch's error
    count = typeof p === 'string' ? 1 : p.length;
  } else if (size === undefined && x.shape)
    count = 1; // dim out of range: the shape rule says so
  else if ('sizes' in split) count = split.sizes.length;
  else if ('chunks' in split && split.chunks > 0) count = split.chunks;
  else return node({ kind: 'unknown', reason: 'the number of pieces depends on a size that is not known' });
  if (count > 10_000) return UNKNOWN;
  const items: Value[] = [];
  for (let index = 0; index < count; index++) items.push(node({ kind: 'slice', dim, split, index }));
  return { t: 'tuple', items };
}

/**
 * max/min: no argument → the largest value (0-d); a tensor → torch.maximum/minimum; a dim →
 * (values, indices). The indices node is recorded first so that the values, what a CNN uses,
 * come last when they end forward().
 */
function maxMin(
  ip: Interpreter,
  x: TensorValue,
  name: 'max' | 'min',
  type: string,
  args: CallArgs,
  range: Range,
  node: (cfg: LayerCfg | null, t?: string) => TensorValue,
): Value {
  const b = bind(['dim', 'keepdim'], args).values;
  const first = b.get('dim') ?? b.get('other');
  if (first === undefined)
    return node({ kind: 'reduce', op: name === 'max' ? 'amax' : 'amin', dims: null, keepdim: false });
  if (first.t === 'tensor')
    return applyFunctional(
      ip,
      x.fw,
      type,
      { kind: 'binary', op: name === 'max' ? 'maximum' : 'minimum' },
      [x, first],
      range,
    );
  const dim = asInt(first);
  const keepdim = keepdimOf(b.get('keepdim'));
  if (dim === null || keepdim === undefined) return node(null);
  const cfg = (op: ReduceCfg['op']): ReduceCfg => ({ kind: 'reduce', op, dims: [dim], keepdim });
  const indices = node(cfg(name === 'max' ? 'argmax' : 'argmin'), `${type}.indices`);
  const values = node(cfg(name === 'max' ? 'amax' : 'amin'));
  return { t: 'tuple', items: [values, indices] };
}

/** torch.<name>(input, ...): the same op with the tensor taken out of the arguments. */
export function torchAxisOp(ip: Interpreter, name: string, args: CallArgs, range: Range): Value | undefined {
  if (!AXIS_OPS.has(name)) return undefined;
  const fromKw = args.positional.length === 0 || args.positional[0]!.t !== 'tensor';
  const x = fromKw ? args.keywords.get('input') : args.positional[0];
  if (!x || x.t !== 'tensor') return UNKNOWN;
  const keywords = new Map(args.keywords);
  keywords.delete('input');
  const rest: CallArgs = {
    ...args,
    positional: fromKw ? args.positional : args.positional.slice(1),
    posRanges: fromKw ? args.posRanges : args.posRanges.slice(1),
    keywords,
  };
  return axisOp(ip, x, name, `torch.${name}`, rest, range);
}
