/**
 * Padding and cropping. Keras ZeroPadding1D/2D ((top, bottom), (left, right)) and Cropping1D/2D; PyTorch ZeroPad2d,
 * ConstantPad1d/2d, ReflectionPad1d/2d, ReplicationPad1d/2d and F.pad, written last dimension
 * first ((left, right, top, bottom)). Stored as [before, after] per padded axis, outermost first.
 * PyTorch pads the last len(pads) axes; its conditions are kept: a non-constant mode pads a
 * (k+1)- or (k+2)-D input for k padded axes, reflect needs pad < size, circular pad ≤ size, and the
 * constant mode may crop (negative pads) but pads no more axes than the input has.
 */
import * as E from '../../engine';
import { addDim, dimText, isKnown, shapeText, type Dim } from '../../shared/dims';
import {
  NO_EQUIVALENT,
  NO_PARAMS,
  RunError,
  result,
  stop,
  type InferInput,
  type InferResult,
  type LayerFamily,
} from './family';
import { rankIssue } from './window';

export type PadCfg = {
  kind: 'pad';
  mode: E.FillMode;
  value: number;
  /** [before, after] per padded axis, outermost first: [[top, bottom], [left, right]]. */
  pads: [number, number][];
  /** What PyTorch refuses in the arguments themselves (an odd pad length, an unknown mode). */
  invalid?: string;
};

function badArgument(inp: InferInput, detail: string): InferResult {
  return stop({ severity: 'error', code: 'bad-argument', args: { layer: inp.label, detail } });
}

/** The padded axes of an input of this rank: Keras's spatial axes, PyTorch's last ones. */
function paddedAxes(inp: Pick<InferInput, 'conv'>, rank: number, k: number): number[] {
  const first = inp.conv.channelsLast ? 1 : rank - k;
  return Array.from({ length: k }, (_, i) => first + i);
}

function inferPad(inp: InferInput, c: PadCfg): InferResult {
  if (c.invalid) return badArgument(inp, c.invalid);
  const s = inp.shapes[0]!;
  const k = c.pads.length;
  if (inp.conv.channelsLast) {
    if (s.length !== k + 2) return stop(rankIssue(inp, k, s));
  } else if (c.mode !== 'constant' && s.length !== k + 1 && s.length !== k + 2) {
    return badArgument(
      inp,
      `mode='${c.mode}' padding of ${k} dimension(s) needs a ${k + 1}-D or ${k + 2}-D input, got ${shapeText(s, inp.conv.batchSymbol)}`,
    );
  } else if (k > s.length) {
    return badArgument(inp, `padding length ${2 * k} is too large for a ${s.length}-D input`);
  }
  const axes = paddedAxes(inp, s.length, k);
  const out: Dim[] = [...s];
  // innermost axis first, the order PyTorch checks them in
  for (let i = k - 1; i >= 0; i--) {
    const [b, a] = c.pads[i]!;
    const d = s[axes[i]!]!;
    if (isKnown(d)) {
      const problem = E.padProblem(c.mode, d, b, a);
      if (problem)
        return badArgument(inp, `${problem} at dimension ${axes[i]} of input ${shapeText(s, inp.conv.batchSymbol)}`);
    }
    out[axes[i]!] = addDim(d, b + a);
  }
  return result({ out, formula: '0', rf: inp.rf });
}

export const padFamily: LayerFamily<PadCfg> = {
  kinds: ['pad'],
  infer: inferPad,
  ...NO_PARAMS,
  run: (ctx, c, [x]) => {
    if (c.invalid) throw new RunError(ctx.label, `${ctx.label}: ${c.invalid}`);
    const rank = x!.shape.length;
    const pads: [number, number][] = x!.shape.map(() => [0, 0]);
    paddedAxes(ctx, rank, c.pads.length).forEach((axis, i) => (pads[axis] = c.pads[i]!));
    return E.pad(x!, pads, c.mode, c.value, ctx.label);
  },
  equivalent: (c, facts) => {
    if (c.mode !== 'constant' || c.value !== 0 || c.pads.length !== 2) return null;
    const [[t, b], [l, r]] = c.pads as [[number, number], [number, number]];
    return facts.conv.channelsLast
      ? `nn.ZeroPad2d((${l}, ${r}, ${t}, ${b}))`
      : `layers.ZeroPadding2D(((${t}, ${b}), (${l}, ${r})))`;
  },
  panel: () => ({ kind: 'other', row: 'other' }),
};

/** Keras Cropping1D/2D: [before, after] per spatial axis; Keras raises when a crop leaves nothing of an axis. */
export type CropCfg = { kind: 'crop'; crops: readonly (readonly [number, number])[] };

function spatialOf(inp: InferInput, pairs: CropCfg['crops']) {
  const s = inp.shapes[0]!;
  if (s.length !== pairs.length + 2) return null;
  return inp.conv.splitShape(s);
}

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

export type Cfg = PadCfg | CropCfg;
export const families = [padFamily, cropFamily];
