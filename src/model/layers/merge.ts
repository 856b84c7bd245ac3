/**
 * Merges of several tensors: Keras Add/Subtract/Multiply/Average/Maximum/Minimum/Concatenate
 * (and their lower-case functions), PyTorch `a + b`, `a - b`, `a * b`, torch.add and torch.cat.
 * Element-wise merges need equal shapes; Subtract takes exactly two inputs (as Keras raises).
 */
import * as E from '../../engine';
import { dimText, isKnown, sameDim, shapeText } from '../../shared/dims';
import { NO_EQUIVALENT, NO_PARAMS, result, stop, type InferInput, type InferResult, type LayerFamily } from './family';

export type MergeOp = E.ElementwiseOp | 'concat';
export type MergeCfg = { kind: 'merge'; op: MergeOp; axis: number };

function infer(inp: InferInput, c: MergeCfg): InferResult {
  const shapes = inp.shapes;
  const first = shapes[0]!;
  const b = inp.conv.batchSymbol;
  if (c.op === 'subtract' && shapes.length !== 2) {
    return stop({
      severity: 'error',
      code: 'bad-argument',
      args: { layer: inp.label, detail: `subtract takes exactly 2 inputs, got ${shapes.length}` },
    });
  }
  const rank = first.length;
  const axis = c.axis < 0 ? c.axis + rank : c.axis;
  for (const s of shapes.slice(1)) {
    const bad =
      s.length !== rank ||
      s.some(
        (d, i) =>
          i !== 0 && (c.op !== 'concat' || i !== axis) && !sameDim(d, first[i]!) && isKnown(d) && isKnown(first[i]!),
      );
    if (bad)
      return stop({
        severity: 'error',
        code: 'merge-mismatch',
        args: {
          layer: inp.label,
          op: c.op === 'concat' ? 'concatenate' : c.op,
          a: shapeText(first, b),
          b: shapeText(s, b),
        },
      });
  }
  if (c.op !== 'concat') return result({ out: first, formula: '0', rf: inp.rf });
  const out = [...first];
  const sizes = shapes.map((s) => s[axis]!);
  out[axis] = sizes.every(isKnown) ? sizes.reduce((a, d) => a + d, 0) : { sym: sizes.map(dimText).join('+') };
  return result({ out, formula: '0', rf: inp.rf });
}

export const mergeFamily: LayerFamily<MergeCfg> = {
  kinds: ['merge'],
  infer,
  ...NO_PARAMS,
  run: (ctx, c, inputs) =>
    c.op === 'concat' ? E.concatenate(inputs, c.axis, ctx.label) : E.mergeElementwise(inputs, c.op, ctx.label),
  equivalent: NO_EQUIVALENT,
  panel: () => ({ kind: 'other', row: 'merge' }),
};

export type Cfg = MergeCfg;
export const families = [mergeFamily];
