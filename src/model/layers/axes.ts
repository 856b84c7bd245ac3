/**
 * Layers that move or select axes, as PyTorch defines them: x.permute(dims), x.transpose(a, b)
 * (torch.permute/transpose), x.squeeze(dim)/x.squeeze(), x.unsqueeze(dim), and a slice of one
 * axis — each piece of torch.chunk/torch.split is one (a layer has one output tensor).
 * Dims may be negative; a dim out of range is PyTorch's error in its words. squeeze(dim) of a size
 * other than 1 leaves the tensor as it is (no error, as PyTorch); squeeze() keeps a size it cannot
 * know (the batch) and at run time drops what really is 1.
 */
import * as E from '../../engine';
import { dimText, isKnown, type Dim } from '../../shared/dims';
import {
  NO_EQUIVALENT,
  NO_PARAMS,
  result,
  stop,
  type InferInput,
  type InferResult,
  type LayerFamily,
  type RunContext,
} from './family';
import { dimIndex } from './reduce';

export type PermuteCfg = { kind: 'permute'; dims: number[] };
export type TransposeCfg = { kind: 'transpose'; dim0: number; dim1: number };
/** dim null: every size-1 axis. */
export type SqueezeCfg = { kind: 'squeeze'; dim: number | null };
export type UnsqueezeCfg = { kind: 'unsqueeze'; dim: number };
/** How torch.chunk/torch.split cut an axis: into `chunks`, pieces of `size`, or the given `sizes`. */
export type SplitSpec = { chunks: number } | { size: number } | { sizes: number[] };
/** Piece `index` of the split of axis `dim`. */
export type SliceCfg = { kind: 'slice'; dim: number; split: SplitSpec; index: number };

/**
 * The pieces, as [start, length], of an axis of size n; PyTorch's message when the split is
 * invalid. chunk: pieces of ceil(n / chunks), so there can be fewer than `chunks`; split(size): the
 * last piece takes what is left.
 */
export function splitPieces(n: number, s: SplitSpec, dim: number): [number, number][] | string {
  let sizes: number[];
  if ('sizes' in s) {
    if (s.sizes.some((d) => d < 0))
      return `split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=[${s.sizes.join(', ')}]`;
    const sum = s.sizes.reduce((a, b) => a + b, 0);
    if (sum !== n)
      return `split_with_sizes expects split_sizes to sum exactly to ${n} (input tensor's size at dimension ${dim}), but got split_sizes=[${s.sizes.join(', ')}]`;
    sizes = s.sizes;
  } else {
    let size: number;
    if ('chunks' in s) {
      if (s.chunks <= 0) return `chunk expects \`chunks\` to be greater than 0, got: ${s.chunks}`;
      size = Math.ceil(n / s.chunks);
    } else {
      if (s.size < 0) return `split expects split_size be non-negative, but got split_size=${s.size}`;
      if (s.size === 0 && n !== 0)
        return `split_size can only be 0 if dimension size is 0, but got dimension size of ${n}`;
      size = s.size;
    }
    const count = size === 0 ? 1 : Math.max(Math.ceil(n / size), 1);
    sizes = Array.from({ length: count }, (_, i) => Math.min(size, n - i * size));
  }
  let start = 0;
  return sizes.map((len) => {
    const piece: [number, number] = [start, len];
    start += len;
    return piece;
  });
}

function bad(inp: InferInput, detail: string): InferResult {
  return stop({ severity: 'error', code: 'bad-argument', args: { layer: inp.label, detail } });
}

function inferPermute(inp: InferInput, c: PermuteCfg): InferResult {
  const s = inp.shapes[0]!;
  if (c.dims.length !== s.length)
    return bad(
      inp,
      `number of dims don't match in permute: the tensor has ${s.length} dimensions, the order given has ${c.dims.length}`,
    );
  const perm: number[] = [];
  for (const d of c.dims) {
    const i = dimIndex(d, s.length);
    if (typeof i === 'string') return bad(inp, i);
    if (perm.includes(i)) return bad(inp, `repeated dim in permute: ${i}`);
    perm.push(i);
  }
  return result({ out: perm.map((p) => s[p]!), formula: '0' });
}

/** The permutation a transpose is, or PyTorch's message. */
function transposePerm(c: TransposeCfg, rank: number): number[] | string {
  const a = dimIndex(c.dim0, rank);
  if (typeof a === 'string') return a;
  const b = dimIndex(c.dim1, rank);
  if (typeof b === 'string') return b;
  const perm = Array.from({ length: rank }, (_, i) => i);
  if (rank > 0) [perm[a], perm[b]] = [b, a];
  return perm;
}

function inferTranspose(inp: InferInput, c: TransposeCfg): InferResult {
  const s = inp.shapes[0]!;
  const perm = transposePerm(c, s.length);
  if (typeof perm === 'string') return bad(inp, perm);
  return result({ out: perm.map((p) => s[p]!), formula: '0' });
}

function inferSqueeze(inp: InferInput, c: SqueezeCfg): InferResult {
  const s = inp.shapes[0]!;
  if (c.dim === null) return result({ out: s.filter((d) => d !== 1), formula: '0' });
  const i = dimIndex(c.dim, s.length);
  if (typeof i === 'string') return bad(inp, i);
  // a symbolic size is taken as not 1 (a batch of one is not assumed)
  return result({ out: s[i] === 1 ? s.filter((_, k) => k !== i) : s, formula: '0', rf: inp.rf });
}

function inferUnsqueeze(inp: InferInput, c: UnsqueezeCfg): InferResult {
  const s = inp.shapes[0]!;
  const i = dimIndex(c.dim, s.length + 1);
  if (typeof i === 'string') return bad(inp, i);
  return result({ out: [...s.slice(0, i), 1, ...s.slice(i)], formula: '0', rf: inp.rf });
}

function inferSlice(inp: InferInput, c: SliceCfg): InferResult {
  const s = inp.shapes[0]!;
  const i = dimIndex(c.dim, s.length);
  if (typeof i === 'string') return bad(inp, i);
  const size: Dim = s[i]!;
  let length: Dim;
  if (isKnown(size)) {
    const pieces = splitPieces(size, c.split, i);
    if (typeof pieces === 'string') return bad(inp, pieces);
    const piece = pieces[c.index];
    if (!piece) return bad(inp, `the split gives ${pieces.length} pieces, not ${c.index + 1}`);
    length = piece[1];
  } else if ('sizes' in c.split) length = c.split.sizes[c.index]!;
  else if ('size' in c.split) length = c.split.size;
  else length = { sym: `ceil(${dimText(size)}/${c.split.chunks})` };
  return result({ out: s.map((d, k) => (k === i ? length : d)), formula: '0', rf: i >= 2 ? null : inp.rf });
}

function runSlice(ctx: RunContext, c: SliceCfg, x: E.Tensor): E.Tensor {
  const i = E.normalizeAxis(c.dim, x.shape.length, ctx.label);
  const pieces = splitPieces(x.shape[i]!, c.split, i);
  if (typeof pieces === 'string') E.fail('bad-argument', `${ctx.label}: ${pieces}`);
  const piece = pieces[c.index];
  if (!piece) E.fail('bad-argument', `${ctx.label}: the split gives ${pieces.length} pieces, not ${c.index + 1}`);
  return E.sliceAxis(x, i, piece[0], piece[1], ctx.label);
}

export const permuteFamily: LayerFamily<PermuteCfg> = {
  kinds: ['permute'],
  infer: inferPermute,
  ...NO_PARAMS,
  run: (ctx, c, [x]) => E.permute(x!, c.dims, ctx.label),
  equivalent: NO_EQUIVALENT,
  panel: () => ({ kind: 'other', row: 'other' }),
};

export const transposeFamily: LayerFamily<TransposeCfg> = {
  kinds: ['transpose'],
  infer: inferTranspose,
  ...NO_PARAMS,
  run: (ctx, c, [x]) => {
    const perm = transposePerm(c, x!.shape.length);
    if (typeof perm === 'string') E.fail('bad-argument', `${ctx.label}: ${perm}`);
    return E.permute(x!, perm, ctx.label);
  },
  equivalent: NO_EQUIVALENT,
  panel: () => ({ kind: 'other', row: 'other' }),
};

export const squeezeFamily: LayerFamily<SqueezeCfg> = {
  kinds: ['squeeze'],
  infer: inferSqueeze,
  ...NO_PARAMS,
  run: (ctx, c, [x]) => {
    const s = x!.shape;
    if (c.dim === null)
      return E.reshape(
        x!,
        s.filter((d) => d !== 1),
        ctx.label,
      );
    const i = E.normalizeAxis(c.dim, s.length, ctx.label);
    return s[i] === 1 && s.length > 0 ? E.reshape(x!, [...s.slice(0, i), ...s.slice(i + 1)], ctx.label) : x!;
  },
  equivalent: NO_EQUIVALENT,
  panel: () => ({ kind: 'other', row: 'other' }),
};

export const unsqueezeFamily: LayerFamily<UnsqueezeCfg> = {
  kinds: ['unsqueeze'],
  infer: inferUnsqueeze,
  ...NO_PARAMS,
  run: (ctx, c, [x]) => {
    const s = x!.shape;
    const i = E.normalizeAxis(c.dim, s.length + 1, ctx.label);
    return E.reshape(x!, [...s.slice(0, i), 1, ...s.slice(i)], ctx.label);
  },
  equivalent: NO_EQUIVALENT,
  panel: () => ({ kind: 'other', row: 'other' }),
};

export const sliceFamily: LayerFamily<SliceCfg> = {
  kinds: ['slice'],
  infer: inferSlice,
  ...NO_PARAMS,
  run: (ctx, c, [x]) => runSlice(ctx, c, x!),
  equivalent: NO_EQUIVALENT,
  panel: () => ({ kind: 'other', row: 'other' }),
};

export type Cfg = PermuteCfg | TransposeCfg | SqueezeCfg | UnsqueezeCfg | SliceCfg;
export const families = [permuteFamily, transposeFamily, squeezeFamily, unsqueezeFamily, sliceFamily];
