/**
 * Upsampling and resizing: Keras UpSampling1D/UpSampling2D/Resizing, PyTorch Upsample/UpsamplingNearest2d/
 * UpsamplingBilinear2d and F.interpolate. PyTorch's 'nearest' picks its source index in float32.
 */
import * as E from '../../engine';
import { isKnown, mulDim, type Dim } from '../../shared/dims';
import { NO_EQUIVALENT, NO_PARAMS, result, stop, type LayerFamily } from './family';
import { rankIssue } from './window';

export type UpsampleCfg = {
  kind: 'upsample';
  scale: number[] | null;
  size: number[] | null;
  mode: 'nearest' | 'bilinear';
  alignCorners: boolean;
  /** Keras UpSampling1D: repeats the steps of a sequence (scale has one value). */
  rank?: 1;
  /**
   * PyTorch recompute_scale_factor=True: a fractional scale maps indices as in/out of the sizes it
   * gives, not as 1/scale_factor.
   */
  recompute?: boolean;
};

export const upsampleFamily: LayerFamily<UpsampleCfg> = {
  kinds: ['upsample'],
  infer: (inp, c) => {
    const s = inp.shapes[0]!;
    const rank = c.rank ?? 2;
    if (s.length !== rank + 2) return stop(rankIssue(inp, rank, s));
    const { batch, spatial, channels } = inp.conv.splitShape(s);
    let out: Dim[];
    if (c.size) out = rank === 1 ? [c.size[0]!] : [c.size[0]!, c.size[1] ?? c.size[0]!];
    else {
      const sc = c.scale ?? [2, 2];
      out = spatial.map((d, i) => (isKnown(d) ? Math.floor(d * sc[i]!) : mulDim(d, sc[i]!)));
    }
    const scale = c.scale;
    const rf = inp.rf && scale ? { size: inp.rf.size, jump: inp.rf.jump.map((j, i) => j / scale[i]!) } : null;
    return result({ out: inp.conv.joinShape(batch, out, channels), formula: '0', rf });
  },
  ...NO_PARAMS,
  run: (ctx, c, [x]) => {
    if (c.rank === 1) {
      // a sequence as a height-1 image: only the width is scaled
      const img = E.seqAsImage(ctx.label, x!, ctx.conv.layout);
      const y = E.upsample2d(img, { layout: ctx.conv.layout, mode: 'nearest', scale: [1, Math.round(c.scale![0]!)] });
      return E.imageAsSeq(y, ctx.conv.layout);
    }
    const scale: [number, number] | null = c.scale ? [c.scale[0]!, c.scale[1] ?? c.scale[0]!] : null;
    const { spatial } = ctx.conv.splitShape(x!.shape);
    const target = c.size
      ? { size: [c.size[0]!, c.size[1] ?? c.size[0]!] as [number, number] }
      : scale!.every(Number.isInteger)
        ? { scale: scale! }
        : {
            // a fractional scale_factor: floor(in · scale) outputs, indices mapped by 1/scale
            size: scale!.map((f, i) => Math.floor((spatial[i] as number) * f)) as [number, number],
            ...(c.recompute ? {} : { sizeScale: scale! }),
          };
    return E.upsample2d(x!, {
      layout: ctx.conv.layout,
      mode: c.mode,
      alignCorners: c.alignCorners,
      torchNearest: ctx.conv.framework === 'pytorch',
      ...target,
    });
  },
  equivalent: NO_EQUIVALENT,
  panel: () => ({ kind: 'other', row: 'other' }),
};

export type Cfg = UpsampleCfg;
export const families = [upsampleFamily];
