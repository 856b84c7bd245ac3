/**
 * Element-wise arithmetic written in forward(): tensor with tensor (`x * se(x)`, `a + b`, `a / b`,
 * torch.add/mul/sub/div/maximum/minimum) broadcasting as PyTorch does, and tensor with a Python
 * number (`x * 0.5 + 1`, `x / 255`, `1 - x`, `x ** 2`), which keeps the shape, and tensor with a
 * tensor of the model's own (`self.layer_scale * x`, an nn.Parameter), broadcasting the same way.
 * A pair of shapes that cannot broadcast is the error PyTorch raises, in its words; a size that is
 * not known broadcasts with anything (it could be 1 or equal).
 */
import * as E from '../../engine';
import { dimText, isKnown, sameDim, shapeText, type Dim } from '../../shared/dims';
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

/**
 * constant: the other operand is a tensor of the model's own (an nn.Parameter, a tensor built
 * from numbers) rather than the output of a layer; `first` when it is the left operand. Its
 * values are null when not known (a parameter's trained values): the shape still is.
 * alpha: torch.add/sub(a, b, alpha=k), a ± k·b.
 */
export type BinaryCfg = { kind: 'binary'; op: E.BinaryOp; constant?: ConstantOperand; alpha?: number };
export type ConstantOperand = { shape: number[]; values: number[] | null; first: boolean };
/** value null: a number the analysis could not read; the shape is still known, running is not. */
export type ScalarCfg = { kind: 'scalar'; op: E.ScalarOp; value: number | null; scalarFirst: boolean };

/** One aligned pair of sizes: the broadcast size, or null when they cannot broadcast. */
function broadcastDim(a: Dim, b: Dim): Dim | null {
  if (isKnown(a) && isKnown(b)) return a === b || b === 1 ? a : a === 1 ? b : null;
  if (isKnown(a)) return a === 1 ? b : a; // b must be 1 or a
  if (isKnown(b)) return b === 1 ? a : b;
  return sameDim(a, b) ? a : { sym: `max(${dimText(a)}, ${dimText(b)})` };
}

function inferBinary(inp: InferInput, c: BinaryCfg): InferResult {
  const k = c.constant;
  const x = inp.shapes[0]!;
  const [a, b] = (k ? (k.first ? [k.shape, x] : [x, k.shape]) : inp.shapes) as [readonly Dim[], readonly Dim[]];
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    const d = broadcastDim(da, db);
    if (d === null)
      return stop({
        severity: 'error',
        code: 'bad-argument',
        args: {
          layer: inp.label,
          detail: `The size of tensor a (${dimText(da)}) must match the size of tensor b (${dimText(db)}) at non-singleton dimension ${i} (shapes ${shapeText(a, inp.conv.batchSymbol)} and ${shapeText(b, inp.conv.batchSymbol)})`,
        },
      });
    out.push(d);
  }
  return result({ out, formula: '0', rf: inp.rf });
}

const SYMBOL: Record<E.BinaryOp, string> = { add: '+', sub: '−', mul: '×', div: '÷', maximum: 'max', minimum: 'min' };

/** A number as Python writes it (0.5, 2, -1, 1e-06). */
function numberText(v: number | null): string {
  if (v === null) return '?';
  if (Number.isInteger(v)) return String(v);
  // Python writes exponents below 1e-4 (1e-05), JavaScript only below 1e-6
  return (Math.abs(v) < 1e-4 ? v.toExponential() : String(v)).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** The operation written out: x for the layer's input, t for the tensor it holds, A and B for two inputs. */
export function binaryFormula(c: BinaryCfg): string {
  const s = SYMBOL[c.op];
  const fn = c.op === 'maximum' || c.op === 'minimum';
  const [a, b] = c.constant ? (c.constant.first ? ['t', 'x'] : ['x', 't']) : ['A', 'B'];
  const second = c.alpha !== undefined ? `${numberText(c.alpha)} × ${b}` : b;
  const body = fn ? `${s}(${a}, ${second})` : `${a} ${s} ${second}`;
  const held = c.constant ? ` (t: ${c.constant.shape.length ? `(${c.constant.shape.join(', ')})` : 'a scalar'})` : '';
  return `out = ${body}${held}`;
}

export function scalarFormula(c: ScalarCfg): string {
  const v = numberText(c.value);
  if (c.op === 'mul' && c.value === -1) return 'out = −x';
  if (c.op === 'pow') return c.scalarFirst ? `out = ${v} ** x` : `out = x ** ${v}`;
  const s = SYMBOL[c.op];
  return c.scalarFirst ? `out = ${v} ${s} x` : `out = x ${s} ${v}`;
}

const BINARY_MERGE = {
  add: 'add',
  sub: 'subtract',
  mul: 'multiply',
  div: 'divide',
  maximum: 'maximum',
  minimum: 'minimum',
} as const satisfies Record<E.BinaryOp, string>;

export const binaryFamily: LayerFamily<BinaryCfg> = {
  // two tensors of the model, elementwise; a held tensor has the framework's layout
  sameInEitherLayout: (c) => !c.constant,
  kinds: ['binary'],
  infer: inferBinary,
  ...NO_PARAMS,
  run: (ctx, c, [a, b]) => {
    const k = c.constant;
    if (c.alpha !== undefined)
      return E.binaryBroadcast(a!, E.scalarOp(b!, 'mul', c.alpha, false, ctx.label), c.op, ctx.label);
    if (!k) return E.binaryBroadcast(a!, b!, c.op, ctx.label);
    if (!k.values) throw new RunError(ctx.label, `${ctx.label}: the values of the tensor it uses are not known`);
    const t = E.tensor(k.shape, k.values, ctx.label);
    return k.first ? E.binaryBroadcast(t, a!, c.op, ctx.label) : E.binaryBroadcast(a!, t, c.op, ctx.label);
  },
  equivalent: NO_EQUIVALENT,
  // two tensors of the model (a + b): a merge; with a tensor the model holds, a layer of its own
  panel: (c) =>
    c.constant || c.alpha !== undefined
      ? { kind: 'other', row: 'merge', explain: { kind: 'arithmetic', formula: binaryFormula(c) } }
      : { kind: 'other', row: 'merge', explain: { kind: 'merge', op: BINARY_MERGE[c.op], axis: -1 } },
};

export const scalarFamily: LayerFamily<ScalarCfg> = {
  sameInEitherLayout: () => true,
  kinds: ['scalar'],
  infer: (inp) => result({ out: inp.shapes[0]!, formula: '0', rf: inp.rf }),
  ...NO_PARAMS,
  run: (ctx, c, [x]) => {
    if (c.value === null) throw new RunError(ctx.label, `${ctx.label}: the number it uses is not known`);
    return E.scalarOp(x!, c.op, c.value, c.scalarFirst, ctx.label);
  },
  equivalent: NO_EQUIVALENT,
  panel: (c) => ({ kind: 'other', row: 'other', explain: { kind: 'arithmetic', formula: scalarFormula(c) } }),
};

export type Cfg = BinaryCfg | ScalarCfg;
export const families = [binaryFamily, scalarFamily];
