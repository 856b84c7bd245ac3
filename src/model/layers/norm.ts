/**
 * Normalization. BatchNormalization / BatchNorm2d at inference: y = γ·(x − mean)/√(var + ε) + β
 * on the channel axis. Keras owns γ only with scale=True and β only with center=True (both
 * trainable) and always the moving statistics (not trainable); PyTorch's affine gives both γ
 * (weight) and β (bias), track_running_stats the running statistics. GroupNorm normalizes each
 * sample by its own statistics per group of channels (num_channels divisible by num_groups, as
 * PyTorch and Keras require); PyTorch's affine gives γ and β per channel, Keras' scale γ and center
 * β. LayerNormalization / LayerNorm normalize each run of trailing values (Keras axis=-1: the
 * channels; PyTorch normalized_shape) by its own statistics, γ and β per normalized value.
 * Running statistics are parameters in Keras (non-trainable, as model.summary() counts them) and
 * buffers in PyTorch (outside model.parameters()): conventions.statisticsAreParams.
 */
import * as E from '../../engine';
import { isKnown, shapeText } from '../../shared/dims';
import type { Conventions } from '../conventions';
import { instanceNormFamily, type InstanceNormCfg } from './instanceNorm';
import { normCounts, statistics } from './statistics';
import {
  MUL,
  NO_EQUIVALENT,
  RunError,
  NO_PARAMS,
  inputChannels,
  result,
  stop,
  type InferInput,
  type InferResult,
  type LayerFacts,
  type LayerFamily,
  type ParamSpec,
} from './family';

export type BatchNormCfg = {
  kind: 'batchNorm';
  numFeatures: number | null;
  epsilon: number;
  center: boolean;
  scale: boolean;
  trackStats: boolean;
  /**
   * Keras' `axis` (one int; negative from the end of the batched input): the axis normalized, whose
   * size γ, β and the statistics have. Absent (PyTorch): the channel axis.
   */
  axis?: number;
};

/** The axis a batch normalization normalizes in a batched input of rank `rank`. */
function batchNormAxis(c: BatchNormCfg, rank: number, conv: Conventions): number {
  return c.axis === undefined ? conv.channelAxis(rank) : c.axis < 0 ? c.axis + rank : c.axis;
}
export type GroupNormCfg = {
  kind: 'groupNorm';
  /** −1 (Keras): one group per channel, instance normalization. */
  groups: number;
  numChannels: number | null;
  epsilon: number;
  center: boolean;
  scale: boolean;
  /** Keras' `axis` as written (negative from the end of the batched input): only the channels are read. */
  axis?: number;
};
export type LayerNormCfg = {
  kind: 'layerNorm';
  normalizedShape: number[] | null;
  center: boolean;
  scale: boolean;
  epsilon: number;
  /** Keras `axis`: the normalized axes of the batched input (negative from the end); null: PyTorch's shape. */
  axes: number[] | null;
};

function batchNormParams(c: BatchNormCfg, n: number, names: LayerFacts['conv']['paramName']): ParamSpec[] {
  const out: ParamSpec[] = [];
  if (c.scale) out.push({ name: names.gamma, shape: [n], role: 'gamma', trainable: true });
  if (c.center) out.push({ name: names.beta, shape: [n], role: 'beta', trainable: true });
  if (c.trackStats) out.push(...statistics(n, names));
  return out;
}

/** "2·64 (γ, β) + 2·64 (running mean, var)": the statistics appear only where they are parameters. */
function normFormula(affine: string[], n: number, stats: boolean, conv: Conventions): string {
  const parts = [
    affine.length ? `${affine.length > 1 ? `${affine.length}${MUL}` : ''}${n} (${affine.join(', ')})` : '',
    stats && conv.statisticsAreParams ? `2${MUL}${n} (${conv.statisticsName})` : '',
  ].filter(Boolean);
  return parts.join(' + ') || '0';
}

function inferBatchNorm(inp: InferInput, c: BatchNormCfg): InferResult {
  const s = inp.shapes[0]!;
  const ch = s[inp.conv.channelAxis(s.length)]!;
  const issues: InferResult['issues'] = [];
  if (c.numFeatures !== null && isKnown(ch) && ch !== c.numFeatures) {
    const range = inp.argRanges['num_features'];
    issues.push({
      severity: 'error',
      code: 'channel-mismatch',
      arg: 'num_features',
      args: { layer: inp.label, expected: c.numFeatures, actual: ch, arg: `num_features=${c.numFeatures}` },
      ...(range
        ? {
            fix: {
              title: { en: `Set num_features to ${ch}`, ko: `num_features를 ${ch}(으)로 바꾸기` },
              edits: [{ range, newText: String(ch) }],
            },
          }
        : {}),
    });
  }
  const axis = batchNormAxis(c, s.length, inp.conv);
  // Keras builds γ, β and the statistics with the axis' size: the batch (axis 0) has none, and an
  // axis past the input's rank is refused
  if (axis < 1 || axis >= s.length)
    return stop({
      severity: 'error',
      code: 'bad-argument',
      arg: 'axis',
      args: { layer: inp.label, detail: `axis=${c.axis} is not a normalizable axis of the ${s.length}-D input` },
    });
  const size = s[axis]!;
  const n = c.numFeatures ?? (isKnown(size) ? size : null);
  if (n === null) return result({ out: s, params: null, trainable: null, buffers: null, rf: inp.rf, issues });
  // what normCounts(batchNormParams(…)) gives, without building the list: this runs on every keystroke
  const trainable = ((c.scale ? 1 : 0) + (c.center ? 1 : 0)) * n;
  const stats = c.trackStats ? 2 * n : 0;
  const statsAreParams = inp.conv.statisticsAreParams;
  const affine = [c.scale ? 'γ' : '', c.center ? 'β' : ''].filter(Boolean);
  return result({
    params: statsAreParams ? trainable + stats : trainable,
    trainable,
    buffers: statsAreParams ? 0 : stats,
    out: s,
    formula: normFormula(affine, n, c.trackStats, inp.conv),
    flops: 0,
    rf: inp.rf,
    issues,
  });
}

export const batchNormFamily: LayerFamily<BatchNormCfg> = {
  // the channel axis from ctx.conv unless one is given
  sameInEitherLayout: (c) => c.axis === undefined,
  freshOutput: () => true,
  kinds: ['batchNorm'],
  infer: inferBatchNorm,
  paramsWithoutInput: (c, conv) =>
    c.numFeatures === null ? null : normCounts(batchNormParams(c, c.numFeatures, conv.paramName), conv).params,
  buffersWithoutInput: (c, conv) =>
    c.numFeatures === null ? null : normCounts(batchNormParams(c, c.numFeatures, conv.paramName), conv).buffers,
  params: (c, facts) => {
    const s = facts.inputShapes[0];
    const d = c.axis === undefined || !s ? undefined : s[batchNormAxis(c, s.length, facts.conv)];
    const n = c.numFeatures ?? (c.axis === undefined ? inputChannels(facts) : typeof d === 'number' ? d : null);
    return n === null ? null : batchNormParams(c, n, facts.conv.paramName);
  },
  run: (ctx, c, [x]) => {
    const w = ctx.params();
    const names = ctx.conv.paramName;
    const axis = batchNormAxis(c, x!.shape.length, ctx.conv);
    const n = x!.shape[axis]!;
    // without running statistics (PyTorch track_running_stats=False) inference normalizes with the
    // batch's own mean and (biased) variance, as in training
    const batch = c.trackStats ? null : batchStatistics(x!, axis);
    return E.batchNorm(
      x!,
      ctx.conv.layout,
      {
        gamma: w.get(names.gamma)?.data ?? null,
        beta: w.get(names.beta)?.data ?? null,
        mean: batch?.mean ?? w.get(names.mean)?.data ?? new Float32Array(n),
        variance: batch?.variance ?? w.get(names.variance)?.data ?? new Float32Array(n).fill(1),
        epsilon: c.epsilon,
        axis,
      },
      ctx.label,
    );
  },
  equivalent: NO_EQUIVALENT,
  panel: (c) => ({ kind: 'other', row: 'norm', explain: { kind: 'batchNorm', epsilon: c.epsilon } }),
};

/** Per channel (axis `axis`) mean and biased variance over every other axis, in float64. */
function batchStatistics(x: E.Tensor, axis: number): { mean: Float32Array; variance: Float32Array } {
  const n = x.shape[axis]!;
  const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const sum = new Float64Array(n);
  const sq = new Float64Array(n);
  for (let i = 0; i < x.data.length; i++) {
    const ch = Math.floor(i / inner) % n;
    const v = x.data[i]!;
    sum[ch] = sum[ch]! + v;
    sq[ch] = sq[ch]! + v * v;
  }
  const count = x.data.length / n;
  const mean = new Float32Array(n);
  const variance = new Float32Array(n);
  for (let ch = 0; ch < n; ch++) {
    const m = sum[ch]! / count;
    mean[ch] = m;
    variance[ch] = Math.max(sq[ch]! / count - m * m, 0);
  }
  return { mean, variance };
}

/** The normalized axes' sizes: PyTorch's normalized_shape, or Keras' axes of the input. */
function normSizes(c: LayerNormCfg, s: readonly (number | { sym: string })[]): (number | null)[] {
  if (c.normalizedShape) return c.normalizedShape;
  const axes = (c.axes ?? [-1]).map((a) => (a < 0 ? a + s.length : a)).sort((a, b) => a - b);
  return axes.map((a) => {
    const d = s[a];
    return d !== undefined && isKnown(d) ? d : null;
  });
}

function layerNormSpecs(c: LayerNormCfg, shape: number[], names: LayerFacts['conv']['paramName']): ParamSpec[] {
  return [
    ...(c.scale ? [{ name: names.gamma, shape, role: 'gamma' as const, trainable: true }] : []),
    ...(c.center ? [{ name: names.beta, shape, role: 'beta' as const, trainable: true }] : []),
  ];
}

export const layerNormFamily: LayerFamily<LayerNormCfg> = {
  kinds: ['layerNorm'],
  infer: (inp, c) => {
    const s = inp.shapes[0]!;
    // PyTorch: the input's last axes must be normalized_shape
    const ns = c.normalizedShape;
    if (ns && (s.length < ns.length || s.slice(s.length - ns.length).some((d, i) => isKnown(d) && d !== ns[i]))) {
      const want = ns.join(', ');
      return stop({
        severity: 'error',
        code: 'bad-argument',
        arg: 'normalized_shape',
        args: {
          layer: inp.label,
          detail: `Given normalized_shape=[${want}], expected input with shape [*, ${want}], but got input of size ${shapeText(s, inp.conv.batchSymbol)}`,
        },
      });
    }
    const sizes = normSizes(c, s);
    const n = sizes.every((d) => d !== null) ? (sizes as number[]).reduce((a, b) => a * b, 1) : null;
    const k = (c.scale ? 1 : 0) + (c.center ? 1 : 0);
    const params = n === null ? null : k * n;
    return result({
      out: s,
      params,
      trainable: params,
      formula: params === null ? null : k ? `${k > 1 ? `${k}${MUL}` : ''}${n}` : '0',
      rf: inp.rf,
    });
  },
  paramsWithoutInput: (c) =>
    c.normalizedShape ? ((c.scale ? 1 : 0) + (c.center ? 1 : 0)) * c.normalizedShape.reduce((a, b) => a * b, 1) : null,
  params: (c, facts) => {
    const s = facts.inputShapes[0];
    const sizes = s ? normSizes(c, s) : [null];
    return sizes.every((d) => d !== null) ? layerNormSpecs(c, sizes as number[], facts.conv.paramName) : null;
  },
  run: (ctx, c, [x]) => {
    const rank = x!.shape.length;
    const count = c.normalizedShape?.length ?? (c.axes ?? [-1]).length;
    const axes = (c.axes ?? [-1]).map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
    // the engine normalizes runs of trailing values: the axes must be the last ones
    if (c.axes && axes.some((a, i) => a !== rank - axes.length + i))
      throw new RunError(ctx.label, `${ctx.label}: normalizing axes other than the last ones is not supported`);
    const w = ctx.params();
    const names = ctx.conv.paramName;
    return E.layerNorm(
      x!,
      {
        size: x!.shape.slice(rank - count).reduce((a, b) => a * b, 1),
        gamma: w.get(names.gamma)?.data ?? null,
        beta: w.get(names.beta)?.data ?? null,
        epsilon: c.epsilon,
      },
      ctx.label,
    );
  },
  equivalent: NO_EQUIVALENT,
  panel: () => ({ kind: 'other', row: 'norm' }),
};

function inferGroupNorm(inp: InferInput, c: GroupNormCfg): InferResult {
  const s = inp.shapes[0]!;
  const channelAxis = inp.conv.channelAxis(s.length);
  if (c.axis !== undefined && (c.axis < 0 ? c.axis + s.length : c.axis) !== channelAxis)
    return stop({
      severity: 'info',
      code: 'unreadable-layer',
      arg: 'axis',
      args: {
        layer: inp.label,
        reason: `axis=${c.axis} is read only as the channels axis (-1 or ${channelAxis})`,
        arg: 'axis',
        value: String(c.axis),
      },
    });
  const ch = s[channelAxis]!;
  const n = c.numChannels ?? (isKnown(ch) ? ch : null);
  if (n !== null && c.groups !== -1 && n % c.groups !== 0) {
    const detail =
      inp.conv.framework === 'keras'
        ? `${n} channels cannot be split into groups=${c.groups} (Keras requires a divisor${n < c.groups ? ' and no more groups than channels' : ''})`
        : `num_channels=${n} must be divisible by num_groups=${c.groups}`;
    return stop({
      severity: 'error',
      code: 'bad-argument',
      arg: inp.conv.framework === 'keras' ? 'groups' : 'num_groups',
      args: { layer: inp.label, detail },
    });
  }
  if (c.numChannels !== null && isKnown(ch) && ch !== c.numChannels) {
    return stop({
      severity: 'error',
      code: 'channel-mismatch',
      arg: 'num_channels',
      args: { layer: inp.label, expected: c.numChannels, actual: ch, arg: `num_channels=${c.numChannels}` },
    });
  }
  if (n === null) return result({ out: s, params: null, trainable: null, rf: inp.rf });
  const names = [c.scale ? 'γ' : '', c.center ? 'β' : ''].filter(Boolean);
  const params = names.length * n;
  const formula = names.length ? `${names.length > 1 ? `2${MUL}` : ''}${n} (${names.join(', ')})` : '0';
  return result({ out: s, params, trainable: params, formula, rf: inp.rf });
}

function groupNormSpecs(c: GroupNormCfg, n: number, names: LayerFacts['conv']['paramName']): ParamSpec[] {
  return [
    ...(c.scale ? [{ name: names.gamma, shape: [n], role: 'gamma' as const, trainable: true }] : []),
    ...(c.center ? [{ name: names.beta, shape: [n], role: 'beta' as const, trainable: true }] : []),
  ];
}

export const groupNormFamily: LayerFamily<GroupNormCfg> = {
  kinds: ['groupNorm'],
  infer: inferGroupNorm,
  paramsWithoutInput: (c) => (c.numChannels === null ? null : ((c.scale ? 1 : 0) + (c.center ? 1 : 0)) * c.numChannels),
  params: (c, facts) => {
    const n = c.numChannels ?? inputChannels(facts);
    return n === null ? null : groupNormSpecs(c, n, facts.conv.paramName);
  },
  run: (ctx, c, [x]) => {
    const w = ctx.params();
    const names = ctx.conv.paramName;
    return E.groupNorm(
      x!,
      ctx.conv.layout,
      {
        groups: c.groups === -1 ? x!.shape[ctx.conv.channelAxis(x!.shape.length)]! : c.groups,
        gamma: w.get(names.gamma)?.data ?? null,
        beta: w.get(names.beta)?.data ?? null,
        epsilon: c.epsilon,
      },
      ctx.label,
    );
  },
  equivalent: NO_EQUIVALENT,
  panel: () => ({ kind: 'other', row: 'norm' }),
};

/** PyTorch LocalResponseNorm: b_c = a_c / (k + α/size · Σ a²)^β over `size` neighbouring channels. */
export type LocalResponseNormCfg = { kind: 'localResponseNorm'; size: number; alpha: number; beta: number; k: number };

/**
 * As F.local_response_norm: the squares averaged over channels c − ⌊size/2⌋ … c + ⌊(size−1)/2⌋
 * (missing channels count as zeros, the divisor is always `size`).
 */
function localResponseNorm(x: E.Tensor, c: LocalResponseNormCfg, axis: number): E.Tensor {
  const n = x.shape[axis]!;
  const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const out = E.zeros(x.shape, 'LocalResponseNorm');
  const before = Math.floor(c.size / 2);
  const after = Math.floor((c.size - 1) / 2);
  for (let i = 0; i < x.data.length; i++) {
    const ch = Math.floor(i / inner) % n;
    let sq = 0;
    for (let j = Math.max(ch - before, 0); j <= Math.min(ch + after, n - 1); j++) {
      const v = x.data[i + (j - ch) * inner]!;
      sq += v * v;
    }
    out.data[i] = x.data[i]! / Math.pow(c.k + (c.alpha * sq) / c.size, c.beta);
  }
  return out;
}

export const localResponseNormFamily: LayerFamily<LocalResponseNormCfg> = {
  kinds: ['localResponseNorm'],
  infer: (inp) => {
    const s = inp.shapes[0]!;
    if (s.length < 3)
      return stop({
        severity: 'error',
        code: 'rank-mismatch',
        args: { layer: inp.label, expected: '3-D or higher (N, C, …)', actual: `${s.length}-D` },
      });
    return result({ out: s, formula: '0', rf: inp.rf });
  },
  ...NO_PARAMS,
  run: (ctx, c, [x]) => localResponseNorm(x!, c, ctx.conv.channelAxis(x!.shape.length)),
  equivalent: NO_EQUIVALENT,
  panel: () => ({ kind: 'other', row: 'norm' }),
};

export type Cfg = BatchNormCfg | LayerNormCfg | GroupNormCfg | InstanceNormCfg | LocalResponseNormCfg;
export const families = [
  batchNormFamily,
  layerNormFamily,
  groupNormFamily,
  instanceNormFamily,
  localResponseNormFamily,
];
