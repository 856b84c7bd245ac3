/**
 * PyTorch InstanceNorm1d/2d: each sample's channels normalized by their own mean and biased
 * variance over the spatial positions (a GroupNorm with one group per channel); affine gives γ, β
 * per channel; with track_running_stats the module in eval mode uses its running statistics
 * instead (then it runs as a BatchNorm), kept as buffers. As PyTorch raises: the input is
 * (rank+1)- or (rank+2)-D, has more than one spatial element when it uses its own statistics, and
 * matches num_features when γ, β or statistics exist (only a warning otherwise).
 */
import * as E from '../../engine';
import { isKnown, productDim, shapeText } from '../../shared/dims';
import {
  MUL,
  inputChannels,
  result,
  stop,
  type InferInput,
  type InferResult,
  type LayerFamily,
  type ParamSpec,
} from './family';
import type { Conventions } from '../conventions';
import { normCounts, statistics } from './statistics';

/** PyTorch InstanceNorm1d/2d: affine=False and track_running_stats=False by default. */
export type InstanceNormCfg = {
  kind: 'instanceNorm';
  rank: 1 | 2;
  numFeatures: number | null;
  epsilon: number;
  affine: boolean;
  trackStats: boolean;
};

function specs(c: InstanceNormCfg, n: number, conv: Conventions): ParamSpec[] {
  const names = conv.paramName;
  const out: ParamSpec[] = [];
  if (c.affine) {
    out.push({ name: names.gamma, shape: [n], role: 'gamma', trainable: true });
    out.push({ name: names.beta, shape: [n], role: 'beta', trainable: true });
  }
  if (c.trackStats) out.push(...statistics(n, names));
  return out;
}

function infer(inp: InferInput, c: InstanceNormCfg): InferResult {
  const s = inp.shapes[0]!;
  const text = shapeText(s, inp.conv.batchSymbol);
  if (s.length !== c.rank + 1 && s.length !== c.rank + 2)
    return stop({
      severity: 'error',
      code: 'bad-argument',
      args: { layer: inp.label, detail: `expected ${c.rank + 1}D or ${c.rank + 2}D input (got ${text})` },
    });
  const chAxis = s.length - c.rank - 1;
  const ch = s[chAxis]!;
  const issues: InferResult['issues'] = [];
  if (c.numFeatures !== null && isKnown(ch) && ch !== c.numFeatures) {
    const strict = c.affine || c.trackStats;
    const issue = {
      severity: strict ? ('error' as const) : ('warning' as const),
      code: 'channel-mismatch' as const,
      arg: 'num_features',
      args: { layer: inp.label, expected: c.numFeatures, actual: ch, arg: `num_features=${c.numFeatures}` },
    };
    if (strict) return stop(issue);
    issues.push(issue);
  }
  const spatial = productDim(s.slice(chAxis + 1));
  if (!c.trackStats && spatial === 1)
    return stop({
      severity: 'error',
      code: 'bad-argument',
      args: { layer: inp.label, detail: `expected more than 1 spatial element, got input size ${text}` },
    });
  const n = c.numFeatures ?? (isKnown(ch) ? ch : null);
  if (n === null) return result({ out: s, params: null, trainable: null, buffers: null, rf: inp.rf, issues });
  const counts = normCounts(specs(c, n, inp.conv), inp.conv);
  return result({ ...counts, out: s, formula: c.affine ? `2${MUL}${n} (γ, β)` : '0', rf: inp.rf, issues });
}

export const instanceNormFamily: LayerFamily<InstanceNormCfg> = {
  kinds: ['instanceNorm'],
  infer,
  paramsWithoutInput: (c, conv) =>
    c.numFeatures === null ? null : normCounts(specs(c, c.numFeatures, conv), conv).params,
  buffersWithoutInput: (c, conv) =>
    c.numFeatures === null ? null : normCounts(specs(c, c.numFeatures, conv), conv).buffers,
  params: (c, facts) => {
    const n = c.numFeatures ?? inputChannels(facts);
    return n === null ? null : specs(c, n, facts.conv);
  },
  run: (ctx, c, [x]) => {
    // an unbatched input (C, …) runs as a batch of one
    const unbatched = x!.shape.length === c.rank + 1;
    const xb = unbatched ? { shape: [1, ...x!.shape], data: x!.data } : x!;
    const w = ctx.params();
    const names = ctx.conv.paramName;
    const gamma = w.get(names.gamma)?.data ?? null;
    const beta = w.get(names.beta)?.data ?? null;
    const mean = w.get(names.mean)?.data;
    const variance = w.get(names.variance)?.data;
    const y =
      c.trackStats && mean && variance
        ? E.batchNorm(xb, 'channelsFirst', { gamma, beta, mean, variance, epsilon: c.epsilon }, ctx.label)
        : E.groupNorm(xb, 'channelsFirst', { groups: xb.shape[1]!, gamma, beta, epsilon: c.epsilon }, ctx.label);
    return unbatched ? { shape: x!.shape, data: y.data } : y;
  },
  equivalent: () => null,
  panel: () => ({ kind: 'other', row: 'norm' }),
};
