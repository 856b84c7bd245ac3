/**
 * Merges of several tensors: Keras Add/Subtract/Multiply/Average/Maximum/Minimum/Concatenate
 * (and their lower-case functions), PyTorch `a + b`, `a - b`, `a * b`, torch.add, torch.cat and
 * torch.stack (inputs of one shape, joined along a new axis).
 * Element-wise merges broadcast as Keras does (the batch apart, the rest right-aligned, a size 1
 * takes the other size: (N, H, W, C) by a squeeze-excite (N, C) or (N, 1, 1, C)); Subtract takes
 * exactly two inputs (as Keras raises).
 */
import * as E from '../../engine';
import { dimText, isKnown, sameDim, shapeText, type Dim } from '../../shared/dims';
import { NO_EQUIVALENT, NO_PARAMS, result, stop, type InferInput, type InferResult, type LayerFamily } from './family';

export type MergeOp = E.ElementwiseOp | 'concat' | 'stack';
export type MergeCfg = { kind: 'merge'; op: MergeOp; axis: number };

function mismatch(inp: InferInput, c: MergeCfg, a: readonly Dim[], s: readonly Dim[]): InferResult {
  const b = inp.conv.batchSymbol;
  return stop({
    severity: 'error',
    code: 'merge-mismatch',
    args: { layer: inp.label, op: c.op === 'concat' ? 'concatenate' : c.op, a: shapeText(a, b), b: shapeText(s, b) },
  });
}

/**
 * Keras' element-wise merge shape (Merge._compute_elemwise_op_output_shape), input by input:
 * the batch set apart, the other axes aligned on the right, a size 1 takes the other size, an
 * unknown size stays unknown, two different sizes are the error Keras raises.
 */
function inferElementwise(inp: InferInput, c: MergeCfg, shapes: readonly (readonly Dim[])[]): InferResult {
  // Keras sets the batch apart and aligns the rest: (N, 4, 4, 8) with (N, 8) is (N, 4, 4, 8)
  let out: Dim[] = shapes[0]!.slice(1);
  for (const full of shapes.slice(1)) {
    const s = full.slice(1);
    const [long, short] = out.length >= s.length ? [out, s] : [s, out];
    const next = long.slice(0, long.length - short.length);
    for (const [k, j] of short.entries()) {
      const i = long[long.length - short.length + k]!;
      // Keras: None with None or with a size is None (ours: the unknown size), except 1 broadcasts
      if (!isKnown(i) || !isKnown(j)) next.push(i === 1 ? j : j === 1 ? i : isKnown(i) ? j : i);
      else if (i === 1) next.push(j);
      else if (j === 1 || i === j) next.push(i);
      else return mismatch(inp, c, [shapes[0]![0]!, ...out], full);
    }
    out = next;
  }
  return result({ out: [shapes[0]![0]!, ...out], formula: '0', rf: inp.rf });
}

/** Keras' element-wise merge on the engine: broadcasting when the shapes differ. */
function runElementwise(op: E.ElementwiseOp, inputs: readonly E.Tensor[], label: string): E.Tensor {
  const first = inputs[0];
  if (!first || inputs.every((t) => t.shape.join() === first.shape.join()))
    return E.mergeElementwise(inputs, op, label);
  const binary: E.BinaryOp =
    op === 'subtract'
      ? 'sub'
      : op === 'multiply'
        ? 'mul'
        : op === 'average'
          ? 'add'
          : op === 'maximum' || op === 'minimum'
            ? op
            : 'add';
  // Keras gives a lower-rank input axes of 1 after the batch (expand_dims at axis 1), then broadcasts
  const rank = Math.max(...inputs.map((t) => t.shape.length));
  const [head, ...rest] = inputs.map((t) =>
    t.shape.length === rank
      ? t
      : E.reshape(t, [t.shape[0]!, ...new Array<number>(rank - t.shape.length).fill(1), ...t.shape.slice(1)], label),
  );
  let acc = head!;
  for (const t of rest) acc = E.binaryBroadcast(acc, t, binary, label);
  return op === 'average' ? E.scalarOp(acc, 'div', inputs.length, false, label) : acc;
}

/** torch.stack: every input of the same shape (as PyTorch requires), their count as a new axis. */
function inferStack(inp: InferInput, c: MergeCfg, shapes: readonly (readonly Dim[])[]): InferResult {
  const first = shapes[0]!;
  for (const s of shapes.slice(1)) {
    const bad =
      s.length !== first.length || s.some((d, i) => !sameDim(d, first[i]!) && isKnown(d) && isKnown(first[i]!));
    if (bad) return mismatch(inp, c, first, s);
  }
  const axis = c.axis < 0 ? c.axis + first.length + 1 : c.axis;
  if (axis < 0 || axis > first.length)
    return stop({
      severity: 'error',
      code: 'bad-argument',
      args: { layer: inp.label, detail: `dim ${c.axis} is out of range for ${first.length + 1} dimensions` },
    });
  const out = [...first.slice(0, axis), shapes.length, ...first.slice(axis)];
  return result({ out, formula: '0', rf: inp.rf });
}

function runStack(inputs: readonly E.Tensor[], axis: number, label: string): E.Tensor {
  const rank = inputs[0]!.shape.length;
  const at = axis < 0 ? axis + rank + 1 : axis;
  const grown = inputs.map((t) => E.reshape(t, [...t.shape.slice(0, at), 1, ...t.shape.slice(at)], label));
  return E.concatenate(grown, at, label);
}

function infer(inp: InferInput, c: MergeCfg): InferResult {
  const shapes = inp.shapes;
  const first = shapes[0]!;
  if (c.op === 'subtract' && shapes.length !== 2) {
    return stop({
      severity: 'error',
      code: 'bad-argument',
      args: { layer: inp.label, detail: `subtract takes exactly 2 inputs, got ${shapes.length}` },
    });
  }
  if (c.op === 'stack') return inferStack(inp, c, shapes);
  if (c.op !== 'concat') return inferElementwise(inp, c, shapes);
  const rank = first.length;
  const axis = c.axis < 0 ? c.axis + rank : c.axis;
  if (axis < 0 || axis >= rank)
    return stop({
      severity: 'error',
      code: 'bad-argument',
      args: {
        layer: inp.label,
        detail: `${inp.conv.framework === 'keras' ? 'axis' : 'dim'} ${c.axis} is out of range for ${rank} dimensions`,
      },
    });
  for (const s of shapes.slice(1)) {
    const bad =
      s.length !== rank || s.some((d, i) => i !== axis && !sameDim(d, first[i]!) && isKnown(d) && isKnown(first[i]!));
    if (bad) return mismatch(inp, c, first, s);
  }
  const out = [...first];
  const sizes = shapes.map((s) => s[axis]!);
  out[axis] = sizes.every(isKnown) ? sizes.reduce((a, d) => a + d, 0) : { sym: sizes.map(dimText).join('+') };
  return result({ out, formula: '0', rf: inp.rf });
}

export const mergeFamily: LayerFamily<MergeCfg> = {
  // elementwise over inputs of one rank (the runtime asks only for 4-D ones); concat and stack name an axis
  sameInEitherLayout: (c) => c.op !== 'concat' && c.op !== 'stack',
  kinds: ['merge'],
  infer,
  ...NO_PARAMS,
  run: (ctx, c, inputs) =>
    c.op === 'concat'
      ? E.concatenate(inputs, c.axis, ctx.label)
      : c.op === 'stack'
        ? runStack(inputs, c.axis, ctx.label)
        : runElementwise(c.op, inputs, ctx.label),
  equivalent: NO_EQUIVALENT,
  panel: (c) => ({ kind: 'other', row: 'merge', explain: { kind: 'merge', op: c.op, axis: c.axis } }),
};

export type Cfg = MergeCfg;
export const families = [mergeFamily];
