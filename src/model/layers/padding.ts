/**
 * Padding and cropping of the spatial axes. Keras ZeroPadding1D (left, right) and ZeroPadding2D
 * ((top, bottom), (left, right)), PyTorch ZeroPad2d (given as (left, right, top, bottom)): all
 * stored as one [before, after] pair per spatial axis. Keras Cropping1D/2D the same way; Keras
 * raises when a crop leaves nothing of an axis.
 */
import * as E from '../../engine';
import { addDim, dimText, isKnown } from '../../shared/dims';
import { NO_EQUIVALENT, NO_PARAMS, result, stop, type InferInput, type LayerFamily } from './family';
import { rankIssue } from './window';

type Pairs = readonly (readonly [number, number])[];
export type ZeroPadCfg = { kind: 'zeroPad'; pads: Pairs };
export type CropCfg = { kind: 'crop'; crops: Pairs };

function spatialOf(inp: InferInput, pairs: Pairs) {
  const s = inp.shapes[0]!;
  if (s.length !== pairs.length + 2) return null;
  return inp.conv.splitShape(s);
}

/** Lifts a sequence to a height-1 image so the 2-D engine ops serve both ranks. */
function asImage(x: E.Tensor, layout: E.Layout, rank: number): E.Tensor {
  return rank === 1 ? E.seqAsImage('ZeroPadding1D', x, layout) : x;
}

export const zeroPadFamily: LayerFamily<ZeroPadCfg> = {
  kinds: ['zeroPad'],
  infer: (inp, c) => {
    const sp = spatialOf(inp, c.pads);
    if (!sp) return stop(rankIssue(inp, c.pads.length, inp.shapes[0]!));
    const out = sp.spatial.map((d, i) => addDim(d, c.pads[i]![0] + c.pads[i]![1]));
    return result({ out: inp.conv.joinShape(sp.batch, out, sp.channels), formula: '0', rf: inp.rf });
  },
  ...NO_PARAMS,
  run: (ctx, c, [x]) => {
    const layout = ctx.conv.layout;
    if (c.pads.length === 2) return E.zeroPad2d(x!, layout, [c.pads[0]!, c.pads[1]!]);
    return E.imageAsSeq(E.zeroPad2d(asImage(x!, layout, 1), layout, [[0, 0], c.pads[0]!]), layout);
  },
  equivalent: NO_EQUIVALENT,
  panel: () => ({ kind: 'other', row: 'other' }),
};

export const cropFamily: LayerFamily<CropCfg> = {
  kinds: ['crop'],
  infer: (inp, c) => {
    const sp = spatialOf(inp, c.crops);
    if (!sp) return stop(rankIssue(inp, c.crops.length, inp.shapes[0]!));
    const out = sp.spatial.map((d, i) => addDim(d, -(c.crops[i]![0] + c.crops[i]![1])));
    const bad = out.findIndex((d) => isKnown(d) && d <= 0);
    if (bad >= 0)
      return stop({
        severity: 'error',
        code: 'bad-argument',
        arg: 'cropping',
        args: {
          layer: inp.label,
          detail: `cropping (${c.crops[bad]!.join(', ')}) must be smaller than the input size ${dimText(sp.spatial[bad]!)}; Keras raises here`,
        },
      });
    return result({ out: inp.conv.joinShape(sp.batch, out, sp.channels), formula: '0', rf: inp.rf });
  },
  ...NO_PARAMS,
  run: (ctx, c, [x]) => E.cropSpatial(x!, ctx.conv.layout, c.crops, ctx.label),
  equivalent: NO_EQUIVALENT,
  panel: () => ({ kind: 'other', row: 'other' }),
};

export type Cfg = ZeroPadCfg | CropCfg;
export const families = [zeroPadFamily, cropFamily];
