/**
 * Upsampling and resizing: Keras UpSampling2D/Resizing, PyTorch Upsample/UpsamplingNearest2d/
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
};

export const upsampleFamily: LayerFamily<UpsampleCfg> = {
  kinds: ['upsample'],
  infer: (inp, c) => {
    const s = inp.shapes[0]!;
    if (s.length !== 4) return stop(rankIssue(inp, 2, s));
    const { batch, spatial, channels } = inp.conv.splitShape(s);
    let out: Dim[];
    if (c.size) out = [c.size[0]!, c.size[1] ?? c.size[0]!];
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
    const target = c.size
      ? { size: [c.size[0]!, c.size[1] ?? c.size[0]!] as [number, number] }
      : { scale: [Math.round(c.scale![0]!), Math.round(c.scale![1] ?? c.scale![0]!)] as [number, number] };
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
