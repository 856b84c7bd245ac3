/**
 * Padding layers: Keras ZeroPadding2D ((top, bottom), (left, right)), PyTorch ZeroPad2d (given as
 * (left, right, top, bottom)); both are stored as [[top, bottom], [left, right]].
 */
import * as E from '../../engine';
import { addDim } from '../../shared/dims';
import { NO_EQUIVALENT, NO_PARAMS, result, stop, type LayerFamily } from './family';
import { rankIssue } from './window';

export type ZeroPadCfg = { kind: 'zeroPad'; pads: [[number, number], [number, number]] };

export const zeroPadFamily: LayerFamily<ZeroPadCfg> = {
  kinds: ['zeroPad'],
  infer: (inp, c) => {
    const s = inp.shapes[0]!;
    if (s.length !== 4) return stop(rankIssue(inp, 2, s));
    const { batch, spatial, channels } = inp.conv.splitShape(s);
    const [[t, b], [l, r]] = c.pads;
    return result({
      out: inp.conv.joinShape(batch, [addDim(spatial[0]!, t + b), addDim(spatial[1]!, l + r)], channels),
      formula: '0',
      rf: inp.rf,
    });
  },
  ...NO_PARAMS,
  run: (ctx, c, [x]) => E.zeroPad2d(x!, ctx.conv.layout, c.pads),
  equivalent: NO_EQUIVALENT,
  panel: () => ({ kind: 'other', row: 'other' }),
};

export type Cfg = ZeroPadCfg;
export const families = [zeroPadFamily];
