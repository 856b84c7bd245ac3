/**
 * Sub-pixel rearrangement: PyTorch PixelShuffle(r) / F.pixel_shuffle, (…, C·r², H, W) →
 * (…, C, H·r, W·r), and PixelUnshuffle(r) / F.pixel_unshuffle, the reverse. PyTorch's conditions
 * are kept: at least 3 dimensions, channels divisible by r² (shuffle), height and width divisible
 * by r (unshuffle). The channel order is PyTorch's (Keras has no such layer; tf.nn.depth_to_space
 * orders channels differently).
 */
import * as E from '../../engine';
import { dimText, isKnown, mulDim, shapeText, type Dim } from '../../shared/dims';
import { NO_EQUIVALENT, NO_PARAMS, result, stop, type InferInput, type InferResult, type LayerFamily } from './family';

export type PixelShuffleCfg = { kind: 'pixelShuffle'; factor: number; inverse: boolean };

function divides(d: Dim, by: number): boolean {
  return !isKnown(d) || d % by === 0;
}

/** d / by for a known d; a symbolic one reads as "d/by". */
function divDim(d: Dim, by: number): Dim {
  return isKnown(d) ? d / by : by === 1 ? d : { sym: `${dimText(d)}/${by}` };
}

function infer(inp: InferInput, c: PixelShuffleCfg): InferResult {
  const s = inp.shapes[0]!;
  const op = c.inverse ? 'pixel_unshuffle' : 'pixel_shuffle';
  const bad = (detail: string) => stop({ severity: 'error', code: 'bad-argument', args: { layer: inp.label, detail } });
  if (s.length < 3)
    return bad(`${op} expects input to have at least 3 dimensions, got ${shapeText(s, inp.conv.batchSymbol)}`);
  const r = c.factor;
  const [C, H, W] = s.slice(-3) as [Dim, Dim, Dim];
  const lead = s.slice(0, -3);
  if (!c.inverse) {
    if (!divides(C, r * r))
      return bad(`${op} expects the channel dimension (${dimText(C)}) to be divisible by upscale_factor² = ${r * r}`);
    const rf = inp.rf ? { size: inp.rf.size, jump: inp.rf.jump.map((j) => j / r) } : null;
    return result({ out: [...lead, divDim(C, r * r), mulDim(H, r), mulDim(W, r)], formula: '0', rf });
  }
  for (const [name, d] of [
    ['height', H],
    ['width', W],
  ] as const)
    if (!divides(d, r)) return bad(`${op} expects ${name} (${dimText(d)}) to be divisible by downscale_factor = ${r}`);
  // one output pixel gathers an r×r block
  const rf = inp.rf
    ? { size: inp.rf.size.map((sz, i) => sz + (r - 1) * inp.rf!.jump[i]!), jump: inp.rf.jump.map((j) => j * r) }
    : null;
  return result({ out: [...lead, mulDim(C, r * r), divDim(H, r), divDim(W, r)], formula: '0', rf });
}

export const pixelShuffleFamily: LayerFamily<PixelShuffleCfg> = {
  kinds: ['pixelShuffle'],
  infer,
  ...NO_PARAMS,
  run: (ctx, c, [x]) => E.pixelShuffle(x!, c.factor, c.inverse, ctx.label),
  equivalent: NO_EQUIVALENT,
  panel: () => ({ kind: 'other', row: 'other' }),
};

export type Cfg = PixelShuffleCfg;
export const families = [pixelShuffleFamily];
