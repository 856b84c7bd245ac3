/**
 * Layers that keep the shape: activations (modules, F.* functions, Keras Activation layers),
 * dropout (the identity at inference), identity-like layers, and the model input. Keras acts on
 * the last axis; PyTorch's softmax on `dim`, or without one its legacy rule (dim 0 for 0-, 1- and
 * 3-D inputs, else dim 1). PyTorch PReLU learns its negative slopes (one, or one per channel).
 */
import * as E from '../../engine';
import { isKnown } from '../../shared/dims';
import {
  NO_EQUIVALENT,
  NO_PARAMS,
  RunError,
  result,
  stop,
  type InferInput,
  type LayerFamily,
  type RunContext,
} from './family';

export type ActivationCfg = {
  kind: 'activation';
  fn: string;
  alpha?: number;
  axis?: number;
  /** hardtanh's [min_val, max_val]. */
  range?: [number, number];
};
/** PyTorch PReLU: num_parameters slopes (1, or one per channel on axis 1), initialized to `init`. */
export type PreluCfg = { kind: 'prelu'; numParameters: number; init: number };
export type PassThroughCfg = { kind: 'dropout'; rate: number | null } | { kind: 'identity' } | { kind: 'input' };

function passThrough(inp: InferInput) {
  return result({ out: inp.shapes[0]!, formula: '0', rf: inp.rf });
}

function unsupported(ctx: RunContext, fn: string): never {
  throw new RunError(ctx.label, `${ctx.label}: the activation '${fn}' is not supported by the engine`);
}

/** A fused activation (Conv2D/Dense `activation=`) after the layer's own op. */
export function activate(t: E.Tensor, fn: string | null, ctx: RunContext): E.Tensor {
  if (fn === null || fn === 'linear') return t;
  if (!E.isActivation(fn)) unsupported(ctx, fn);
  return E.activation(t, fn);
}

const SOFTMAX_LIKE = new Set(['softmax', 'log_softmax']);

export const activationFamily: LayerFamily<ActivationCfg> = {
  kinds: ['activation'],
  infer: passThrough,
  ...NO_PARAMS,
  run: (ctx, cfg, [x]) => {
    if (!E.isActivation(cfg.fn)) unsupported(ctx, cfg.fn);
    const torchDefault =
      ctx.conv.framework === 'pytorch' && SOFTMAX_LIKE.has(cfg.fn) ? ([0, 1, 3].includes(x!.shape.length) ? 0 : 1) : -1;
    return E.activation(x!, cfg.fn, {
      ...(cfg.alpha !== undefined ? { alpha: cfg.alpha } : {}),
      ...(cfg.range ? { min: cfg.range[0], max: cfg.range[1] } : {}),
      axis: cfg.axis ?? torchDefault,
    });
  },
  equivalent: NO_EQUIVALENT,
  panel: (cfg) =>
    SOFTMAX_LIKE.has(cfg.fn)
      ? { kind: 'dense', row: 'activation', probabilities: cfg.fn === 'softmax' }
      : { kind: 'other', row: 'activation' },
};

export const passThroughFamily: LayerFamily<PassThroughCfg> = {
  kinds: ['dropout', 'identity', 'input'],
  infer: passThrough,
  ...NO_PARAMS,
  run: (_ctx, _cfg, [x]) => x!,
  equivalent: NO_EQUIVALENT,
  panel: () => ({ kind: 'other', row: 'other' }),
};

export const preluFamily: LayerFamily<PreluCfg> = {
  kinds: ['prelu'],
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
    return E.prelu(x!, w.data, ctx.label);
  },
  equivalent: NO_EQUIVALENT,
  panel: () => ({ kind: 'other', row: 'activation' }),
};

export type Cfg = ActivationCfg | PassThroughCfg | PreluCfg;
export const families = [activationFamily, passThroughFamily, preluFamily];
