/**
 * Keras' Normalization layer: y = (x − mean) / max(√variance, ε) with ε = 1e-7 (Keras'
 * backend.epsilon()), or x·max(√variance, ε) + mean with invert=True. Without mean= and
 * variance= it owns three non-trainable weights, set by adapt() or a weight file: mean and
 * variance shaped like the kept axes of the input (axis=-1: the channels; axis=None: a scalar)
 * and a scalar count — count_params() = 2·∏kept + 1. With mean= and variance= given they are
 * constants and it owns none. A layer of that name with the initial weights (mean 0, variance 1)
 * passes its input through.
 */
import * as E from '../../engine';
import { isKnown, type Dim } from '../../shared/dims';
import {
  NO_EQUIVALENT,
  RunError,
  result,
  stop,
  type InferInput,
  type InferResult,
  type LayerFamily,
  type ParamSpec,
} from './family';

export type StandardizeCfg = {
  kind: 'standardize';
  /** The kept axes of the batched input (negative from the end); [] for axis=None. */
  axes: number[];
  /** mean= and variance= given to the constructor (broadcast to the kept shape; [] when they could not be read), else null. */
  mean: number[] | null;
  variance: number[] | null;
  invert: boolean;
};

const EPSILON = 1e-7;

/** The kept axes, each in [1, rank), sorted; null when one is out of range. */
function keptAxes(c: StandardizeCfg, rank: number): number[] | null {
  const out = c.axes.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
  return out.every((a) => a >= 1 && a < rank) ? out : null;
}

function keptShape(c: StandardizeCfg, s: readonly Dim[]): number[] | null {
  const axes = keptAxes(c, s.length);
  if (!axes) return null;
  const dims = axes.map((a) => s[a]!);
  return dims.every(isKnown) ? (dims as number[]) : null;
}

function specs(shape: number[]): ParamSpec[] {
  return [
    { name: 'mean', shape, role: 'mean', trainable: false, statistic: true },
    { name: 'variance', shape, role: 'variance', trainable: false, statistic: true },
    { name: 'count', shape: [], role: 'count', trainable: false, statistic: true },
  ];
}

function infer(inp: InferInput, c: StandardizeCfg): InferResult {
  const s = inp.shapes[0]!;
  if (!keptAxes(c, s.length))
    return stop({
      severity: 'error',
      code: 'bad-argument',
      args: { layer: inp.label, detail: `axis ${JSON.stringify(c.axes)} is out of range for rank ${s.length}` },
    });
  if (c.mean) return result({ out: s, rf: inp.rf });
  const kept = keptShape(c, s);
  const n = kept ? kept.reduce((a, b) => a * b, 1) : null;
  return result({
    out: s,
    params: n === null ? null : 2 * n + 1,
    trainable: 0,
    formula: n === null ? null : `mean ${n} + variance ${n} + count 1`,
    rf: inp.rf,
  });
}

/** Constant or weight values laid out to broadcast against the input (1 on the other axes). */
function broadcastTensor(values: ArrayLike<number>, x: E.Tensor, axes: number[]): E.Tensor {
  const shape = x.shape.map((d, i) => (axes.includes(i) ? d : 1));
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = values.length === 1 ? values[0]! : values[i]!;
  return E.tensor(shape, data);
}

export const standardizeFamily: LayerFamily<StandardizeCfg> = {
  kinds: ['standardize'],
  infer,
  paramsWithoutInput: (c) => (c.mean ? 0 : c.axes.length === 0 ? 3 : null),
  params: (c, facts) => {
    if (c.mean) return [];
    const kept = facts.inputShapes[0] ? keptShape(c, facts.inputShapes[0]) : null;
    return kept ? specs(kept) : null;
  },
  run: (ctx, c, [x]) => {
    const axes = keptAxes(c, x!.shape.length)!;
    if (c.mean?.length === 0 || c.variance?.length === 0)
      throw new RunError(ctx.label, `${ctx.label}: the mean= and variance= it was given could not be read`);
    const w = c.mean ? null : ctx.params();
    const mean = c.mean ?? w?.get('mean')?.data ?? [0];
    const variance = c.variance ?? w?.get('variance')?.data ?? [1];
    const scale = Float32Array.from(variance, (v) => Math.max(Math.sqrt(v), EPSILON));
    const m = broadcastTensor(mean, x!, axes);
    const d = broadcastTensor(scale, x!, axes);
    return c.invert
      ? E.binaryBroadcast(E.binaryBroadcast(x!, d, 'mul', ctx.label), m, 'add', ctx.label)
      : E.binaryBroadcast(E.binaryBroadcast(x!, m, 'sub', ctx.label), d, 'div', ctx.label);
  },
  equivalent: NO_EQUIVALENT,
  panel: () => ({ kind: 'other', row: 'norm' }),
};

export type Cfg = StandardizeCfg;
export const families = [standardizeFamily];
