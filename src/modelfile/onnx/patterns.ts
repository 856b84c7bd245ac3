/**
 * Runs of nodes exporters write for one PyTorch layer, read back as that layer: MatMul then Add of
 * a bias (nn.Linear on an input of rank > 2) is one dense layer; Div by √2 → Erf → Add 1 → Mul by
 * the input → Mul by 0.5 (nn.GELU before opset 20) is one GELU. A run is fused only when each of
 * its intermediate values has exactly that one consumer and is not a graph output, so nothing
 * another node reads disappears.
 */
import type { OnnxNode } from './proto';
import { elementCount, type ConstTensor } from './tensors';

export interface FusionContext {
  nodes: readonly OnnxNode[];
  consumers: ReadonlyMap<string, readonly number[]>;
  graphOutputs: ReadonlySet<string>;
  constant(name: string): ConstTensor | null;
}

/** A run starting at a node: the nodes it absorbs, the value its layer produces. */
export type Fusion =
  | { kind: 'dense-bias'; bias: ConstTensor; absorbed: number[]; output: string }
  | { kind: 'gelu'; absorbed: number[]; output: string };

/** The single node reading `value` (and nothing else does, not even the graph's outputs). */
function soleUser(ctx: FusionContext, value: string, op: string): { index: number; node: OnnxNode } | null {
  const users = ctx.consumers.get(value) ?? [];
  if (users.length !== 1 || ctx.graphOutputs.has(value)) return null;
  const node = ctx.nodes[users[0]!]!;
  return node.opType === op && (!node.domain || node.domain === 'ai.onnx') ? { index: users[0]!, node } : null;
}

/** The other operand of a two-input node, as a constant of one float value. */
function otherScalar(ctx: FusionContext, node: OnnxNode, value: string): number | null {
  if (node.input.length !== 2) return null;
  const other = node.input[0] === value ? node.input[1]! : node.input[0]!;
  const t = ctx.constant(other);
  return t && !t.int && elementCount(t.dims) === 1 ? t.data[0]! : null;
}

function near(a: number | null, b: number): boolean {
  return a !== null && Math.abs(a - b) <= 1e-6 * Math.abs(b);
}

function denseBias(ctx: FusionContext, node: OnnxNode): Fusion | null {
  const w = ctx.constant(node.input[1] ?? '');
  const units = w && w.dims.length === 2 ? w.dims[1]! : null;
  const add = soleUser(ctx, node.output[0]!, 'Add');
  if (units === null || !add || add.node.input.length !== 2) return null;
  const other = add.node.input[0] === node.output[0] ? add.node.input[1]! : add.node.input[0]!;
  const b = ctx.constant(other);
  if (!b || b.int || elementCount(b.dims) !== units || b.dims[b.dims.length - 1] !== units) return null;
  return { kind: 'dense-bias', bias: b, absorbed: [add.index], output: add.node.output[0]! };
}

function erfGelu(ctx: FusionContext, div: OnnxNode): Fusion | null {
  const x = div.input[0]!;
  const d = ctx.constant(div.input[1] ?? '');
  if (!d || d.int || elementCount(d.dims) !== 1 || !near(d.data[0]!, Math.SQRT2)) return null;
  const erf = soleUser(ctx, div.output[0]!, 'Erf');
  const add = erf && soleUser(ctx, erf.node.output[0]!, 'Add');
  if (!add || !near(otherScalar(ctx, add.node, erf!.node.output[0]!), 1)) return null;
  const mul1 = soleUser(ctx, add.node.output[0]!, 'Mul');
  if (!mul1 || mul1.node.input.length !== 2 || !mul1.node.input.includes(x)) return null;
  const mul2 = soleUser(ctx, mul1.node.output[0]!, 'Mul');
  if (!mul2 || !near(otherScalar(ctx, mul2.node, mul1.node.output[0]!), 0.5)) return null;
  return { kind: 'gelu', absorbed: [erf!.index, add.index, mul1.index, mul2.index], output: mul2.node.output[0]! };
}

/** The run that starts at `node`, if it is one of the patterns above. */
export function fusionAt(ctx: FusionContext, node: OnnxNode): Fusion | null {
  if (!node.output[0]) return null;
  if (node.opType === 'MatMul') return denseBias(ctx, node);
  if (node.opType === 'Div') return erfGelu(ctx, node);
  return null;
}
