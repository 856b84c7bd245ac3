/**
 * Layers that keep the shape: activations (modules, F.* functions, Keras Activation layers),
 * dropout (the identity at inference), identity-like layers, and the model input. Keras acts on
 * the last axis; PyTorch's softmax on `dim`, or without one its legacy rule (dim 0 for 0-, 1- and
 * 3-D inputs, else dim 1). Keras ReLU with max_value/negative_slope/threshold, PReLU (a learned
 * slope per value, shared over `shared_axes`) and Rescaling (x · scale + offset) keep it too, as
 * do PyTorch's PReLU (one slope, or one per channel) and Hardtanh.
 */
import * as E from '../../engine';
import { isKnown } from '../../shared/dims';
import {
  MUL,
  NO_EQUIVALENT,
  NO_PARAMS,
  RunError,
  result,
  stop,
  type InferInput,
  type LayerFacts,
  type LayerFamily,
  type ParamSpec,
  type RunContext,
} from './family';

export type ActivationCfg = {
  kind: 'activation';
  fn: string;
  alpha?: number;
  axis?: number;
  /** hardtanh's [min_val, max_val]. */
  range?: [number, number];
  /** gelu's tanh form (PyTorch approximate='tanh', Keras approximate=True). */
  approximate?: boolean;
  /** PyTorch Softplus: log(1 + exp(β·x)) / β, linear where β·x > threshold. */
  beta?: number;
  threshold?: number;
};
/** PyTorch PReLU: num_parameters slopes (1, or one per channel on axis 1), initialized to `init`. */
export type ChannelPreluCfg = { kind: 'channelPrelu'; numParameters: number; init: number };
/** Keras ReLU with any of its arguments set (plain ReLU stays an 'activation'). */
export type ReluCfg = { kind: 'relu'; maxValue: number | null; negativeSlope: number; threshold: number };
/** Keras PReLU: `sharedAxes` are axes of the batched input (1 = the first after the batch). */
export type PReluCfg = { kind: 'prelu'; sharedAxes: number[] };
export type RescaleCfg = { kind: 'rescale'; scale: number | number[]; offset: number | number[] };
export type PassThroughCfg = { kind: 'dropout'; rate: number | null } | { kind: 'identity' } | { kind: 'input' };

function passThrough(inp: InferInput) {
  return result({ out: inp.shapes[0]!, formula: '0', rf: inp.rf });
}

function unsupported(ctx: RunContext, fn: string): never {
  throw new RunError(ctx.label, `${ctx.label}: the activation '${fn}' is not supported by the engine`);
}

/** A fused activation (Conv2D/Dense `activation=`) after the layer's own op. */
/** A layer's fused activation, written over its fresh output `t` (which no one else holds). */
export function activate(t: E.Tensor, fn: string | null, ctx: RunContext): E.Tensor {
  if (fn === null || fn === 'linear') return t;
  if (!E.isActivation(fn)) unsupported(ctx, fn);
  const alpha = namedAlpha(fn, ctx);
  return E.activationInPlace(t, fn, alpha === undefined ? {} : { alpha });
}

/**
 * The slope of an activation given by name: keras.activations.leaky_relu's negative_slope is 0.2
 * (the LeakyReLU layer's is 0.3, PyTorch's 0.01, both given as arguments).
 */
function namedAlpha(fn: string, ctx: RunContext): number | undefined {
  return fn === 'leaky_relu' && ctx.conv.framework === 'keras' ? 0.2 : undefined;
}

const SOFTMAX_LIKE = new Set(['softmax', 'log_softmax']);

export const activationFamily: LayerFamily<ActivationCfg> = {
  // elementwise; softmax-like functions read an axis
  sameInEitherLayout: (cfg) => !SOFTMAX_LIKE.has(cfg.fn) && cfg.axis === undefined,
  kinds: ['activation'],
  infer: passThrough,
  ...NO_PARAMS,
  run: (ctx, cfg, [x]) => {
    if (!E.isActivation(cfg.fn)) unsupported(ctx, cfg.fn);
    const torchDefault =
      ctx.conv.framework === 'pytorch' && SOFTMAX_LIKE.has(cfg.fn) ? ([0, 1, 3].includes(x!.shape.length) ? 0 : 1) : -1;
    const alpha = cfg.alpha ?? namedAlpha(cfg.fn, ctx);
    // (softmax-like functions make a new tensor either way)
    return (ctx.overwrite ? E.activationInPlace : E.activation)(x!, cfg.fn, {
      ...(alpha !== undefined ? { alpha } : {}),
      ...(cfg.range ? { min: cfg.range[0], max: cfg.range[1] } : {}),
      ...(cfg.approximate ? { approximate: true } : {}),
      ...(cfg.beta !== undefined ? { beta: cfg.beta } : {}),
      ...(cfg.threshold !== undefined ? { threshold: cfg.threshold } : {}),
      axis: cfg.axis ?? torchDefault,
    });
  },
  equivalent: NO_EQUIVALENT,
  panel: (cfg) =>
    SOFTMAX_LIKE.has(cfg.fn)
      ? { kind: 'dense', row: 'activation', probabilities: cfg.fn === 'softmax' }
      : { kind: 'other', row: 'activation', explain: { kind: 'activation', fn: cfg.fn, alpha: cfg.alpha ?? null } },
};

export const passThroughFamily: LayerFamily<PassThroughCfg> = {
  sameInEitherLayout: (c) => c.kind !== 'input',
  kinds: ['dropout', 'identity', 'input'],
  infer: passThrough,
  ...NO_PARAMS,
  run: (_ctx, _cfg, [x]) => x!,
  equivalent: NO_EQUIVALENT,
  panel: (c) =>
    c.kind === 'dropout'
      ? { kind: 'other', row: 'other', explain: { kind: 'dropout', rate: c.rate } }
      : { kind: 'other', row: 'other' },
};

export const reluFamily: LayerFamily<ReluCfg> = {
  sameInEitherLayout: () => true,
  kinds: ['relu'],
  infer: (inp, c) => {
    // Keras refuses negative arguments when the layer is made
    const bad = (
      [
        ['max_value', c.maxValue],
        ['negative_slope', c.negativeSlope],
        ['threshold', c.threshold],
      ] as const
    ).find(([, v]) => v !== null && v < 0);
    if (bad)
      return stop({
        severity: 'error',
        code: 'bad-argument',
        arg: bad[0],
        args: { layer: inp.label, detail: `${bad[0]} must not be negative, got ${bad[1]}` },
      });
    return passThrough(inp);
  },
  ...NO_PARAMS,
  run: (ctx, c, [x]) => E.kerasRelu(x!, c, ctx.label),
  equivalent: NO_EQUIVALENT,
  panel: () => ({ kind: 'other', row: 'activation' }),
};

/** alpha's shape: the per-sample input shape with 1 on the shared axes (Keras PReLU.build). */
function alphaShape(c: PReluCfg, s: readonly (number | { sym: string })[]): number[] | null {
  const out: number[] = [];
  for (let i = 1; i < s.length; i++) {
    const d = s[i]!;
    if (c.sharedAxes.includes(i)) out.push(1);
    else if (typeof d === 'number') out.push(d);
    else return null;
  }
  return out;
}

function preluSpecs(shape: number[]): ParamSpec[] {
  return [{ name: 'alpha', shape, role: 'alpha', trainable: true }];
}

export const preluFamily: LayerFamily<PReluCfg> = {
  kinds: ['prelu'],
  infer: (inp, c) => {
    const s = inp.shapes[0]!;
    const shape = alphaShape(c, s);
    const n = shape ? shape.reduce((a, b) => a * b, 1) : null;
    return result({
      out: s,
      params: n,
      trainable: n,
      formula: shape ? `${shape.join(MUL)} (α)` : null,
      flops: 0,
      rf: inp.rf,
    });
  },
  paramsWithoutInput: () => null,
  params: (c, facts: LayerFacts) => {
    const s = facts.inputShapes[0];
    const shape = s ? alphaShape(c, s) : null;
    return shape ? preluSpecs(shape) : null;
  },
  run: (ctx, _c, [x]) => {
    const alpha = ctx.params().get('alpha');
    if (!alpha) throw new RunError(ctx.label, `${ctx.label}: alpha is not known`);
    return E.prelu(x!, alpha, ctx.label);
  },
  equivalent: NO_EQUIVALENT,
  panel: () => ({ kind: 'other', row: 'activation' }),
};

export const channelPreluFamily: LayerFamily<ChannelPreluCfg> = {
  kinds: ['channelPrelu'],
  infer: (inp, c) => {
    const s = inp.shapes[0]!;
    // PyTorch compares num_parameters with input.size(1) (a 1-D input has one channel)
    const ch = s.length >= 2 ? s[1]! : 1;
    if (c.numParameters !== 1 && isKnown(ch) && ch !== c.numParameters)
      return stop({
        severity: 'error',
        code: 'channel-mismatch',
        arg: 'num_parameters',
        args: { layer: inp.label, expected: c.numParameters, actual: ch, arg: `num_parameters=${c.numParameters}` },
      });
    return result({
      out: s,
      params: c.numParameters,
      trainable: c.numParameters,
      formula: String(c.numParameters),
      rf: inp.rf,
    });
  },
  paramsWithoutInput: (c) => c.numParameters,
  params: (c, facts) => [
    { name: facts.conv.paramName.alpha, shape: [c.numParameters], role: 'alpha', trainable: true },
  ],
  run: (ctx, _c, [x]) => {
    const w = ctx.params().get(ctx.conv.paramName.alpha);
    if (!w) throw new RunError(ctx.label, `${ctx.label}: its slopes are missing`);
    return E.preluChannels(x!, w.data, ctx.label);
  },
  equivalent: NO_EQUIVALENT,
  panel: () => ({ kind: 'other', row: 'activation' }),
};

export const rescaleFamily: LayerFamily<RescaleCfg> = {
  kinds: ['rescale'],
  infer: passThrough,
  ...NO_PARAMS,
  run: (ctx, c, [x]) => E.rescale(x!, c.scale, c.offset, ctx.label),
  equivalent: NO_EQUIVALENT,
  panel: () => ({ kind: 'other', row: 'other' }),
};

export type Cfg = ActivationCfg | PassThroughCfg | ReluCfg | PReluCfg | ChannelPreluCfg | RescaleCfg;
export const families = [
  activationFamily,
  passThroughFamily,
  reluFamily,
  preluFamily,
  channelPreluFamily,
  rescaleFamily,
];
