/**
 * Fully connected layers: Keras Dense (acts on the last axis of any rank; kernel (in, out)),
 * PyTorch Linear/LazyLinear (weight (out, in)).
 */
import * as E from '../../engine';
import { UNKNOWN_DIM, isKnown, productDim, shapeText } from '../../shared/dims';
import { otherFramework } from '../conventions';
import { activate } from './activation';
import { torchActivationModule } from './conv';
import {
  MUL,
  result,
  stop,
  type InferInput,
  type InferResult,
  type Issue,
  type LayerFacts,
  type LayerFamily,
  type ParamSpec,
} from './family';

export type DenseCfg = {
  kind: 'dense';
  units: number | null;
  inFeatures: number | null;
  useBias: boolean;
  activation: string | null;
};

function lastDim(facts: LayerFacts): number | null {
  const s = facts.inputShapes[0];
  const d = s?.[s.length - 1];
  return d !== undefined && isKnown(d) ? d : null;
}

function infer(inp: InferInput, c: DenseCfg): InferResult {
  const s = inp.shapes[0]!;
  if (s.length < 2)
    return stop({
      severity: 'error',
      code: 'rank-mismatch',
      args: { layer: inp.label, expected: 'a batched', actual: shapeText(s) },
    });
  const last = s[s.length - 1]!;
  const issues: Issue[] = [];
  const inF = c.inFeatures ?? (isKnown(last) ? last : null);
  if (c.inFeatures !== null && isKnown(last) && last !== c.inFeatures) {
    const detail = s.length > 2 ? `it acts on the last axis of ${shapeText(s, inp.conv.batchSymbol)}` : '';
    const range = inp.argRanges['in_features'];
    issues.push({
      severity: 'error',
      code: 'in-features-mismatch',
      arg: 'in_features',
      args: { layer: inp.label, arg: 'in_features', expected: c.inFeatures, actual: last, detail },
      ...(range
        ? {
            fix: {
              title: { en: `Set in_features to ${last}`, ko: `in_features를 ${last}(으)로 바꾸기` },
              edits: [{ range, newText: String(last) }],
            },
          }
        : {}),
    });
  }
  // units the code computes from something unknown (an argument, a file) are unknown, not an error
  const out = [...s.slice(0, -1), c.units ?? UNKNOWN_DIM];
  if (inF === null || c.units === null)
    return result({ out, params: null, trainable: null, formula: null, flops: null, rf: null, issues });
  const params = inF * c.units + (c.useBias ? c.units : 0);
  const rows = productDim(s.slice(1, -1));
  return result({
    out,
    params,
    trainable: params,
    formula: `${inF}${MUL}${c.units}${c.useBias ? ` + ${c.units}` : ''}`,
    flops: isKnown(rows) ? 2 * rows * inF * c.units : null,
    rf: null,
    issues,
  });
}

function params(c: DenseCfg, facts: LayerFacts): ParamSpec[] | null {
  const inF = c.inFeatures ?? lastDim(facts);
  if (inF === null || c.units === null) return null;
  const names = facts.conv.paramName;
  const shape = facts.conv.kernelLayout.dense === 'IO' ? [inF, c.units] : [c.units, inF];
  return [
    { name: names.kernel, shape, role: 'kernel', trainable: true },
    ...(c.useBias ? [{ name: names.bias, shape: [c.units], role: 'bias' as const, trainable: true }] : []),
  ];
}

export const denseFamily: LayerFamily<DenseCfg> = {
  kinds: ['dense'],
  infer,
  paramsWithoutInput: (c) =>
    c.inFeatures !== null && c.units !== null ? c.inFeatures * c.units + (c.useBias ? c.units : 0) : null,
  params,
  run: (ctx, c, [x]) => {
    const { paramName, kernelLayout } = ctx.conv;
    // a kernel of more than a piece's worth (VGG16's fc1: 411 MB) drawn at random is not held
    // whole: the product reads it in pieces as they are drawn, with the same result
    const piece = ctx.stream?.(paramName.kernel);
    if (piece && piece.shape.length === 2 && piece.shape[0]! * piece.shape[1]! > E.DENSE_STREAM_CHUNK) {
      const w = ctx.params(new Set([paramName.kernel]));
      const y = E.denseStreamed(x!, [piece.shape[0]!, piece.shape[1]!], piece.fill, {
        kernelLayout: kernelLayout.dense,
        bias: w.get(paramName.bias) ?? null,
        name: ctx.label,
      });
      return activate(y, c.activation, ctx);
    }
    const w = ctx.params();
    const y = E.dense(x!, w.get(paramName.kernel)!, {
      kernelLayout: kernelLayout.dense,
      bias: w.get(paramName.bias) ?? null,
      name: ctx.label,
    });
    return activate(y, c.activation, ctx);
  },
  equivalent: (c, facts) => {
    if (otherFramework(facts.conv.framework) === 'pytorch')
      return `nn.Linear(${lastDim(facts) ?? 'in_features'}, ${c.units ?? 'out_features'})${torchActivationModule(c.activation)}`;
    return `layers.Dense(${c.units ?? 'units'})`;
  },
  inputHint: (c) => ({ features: c.inFeatures }),
  panel: (c) => ({
    kind: 'dense',
    row: 'dense',
    ...(c.activation ? { activation: c.activation } : {}),
    probabilities: c.activation === 'softmax',
  }),
};

export type Cfg = DenseCfg;
export const families = [denseFamily];
