/**
 * PyTorch modules (torch.nn signatures and defaults) and functional ops → layer specs.
 * padding='same' is accepted here and refused by the shape rule when the stride is > 1, as
 * PyTorch raises.
 */
import type { LayerCfg, PaddingSpec } from '../../model/ir';
import { asInt, asIntList, asString, type Value } from '../interp/values';
import { TORCH_MORE_MODULES } from './torchLayers';
import { bind, boolOr, intOr, intTuple, numOr, type Bound, type CallArgs } from './args';

type Builder = { params: string[]; build: (b: Bound) => LayerCfg };

function unknownCfg(reason: string): LayerCfg {
  return { kind: 'unknown', reason };
}

function torchPadding(v: Value | undefined, rank: number): PaddingSpec | null {
  if (v === undefined) return new Array(rank).fill([0, 0]) as [number, number][];
  const s = asString(v);
  if (s === 'same' || s === 'valid') return s;
  const l = intTuple(v, rank, 0);
  return l ? l.map((p) => [p, p] as [number, number]) : null;
}

function conv(rank: 1 | 2, transposed: boolean): Builder {
  const params = transposed
    ? [
        'in_channels',
        'out_channels',
        'kernel_size',
        'stride',
        'padding',
        'output_padding',
        'groups',
        'bias',
        'dilation',
        'padding_mode',
      ]
    : ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'dilation', 'groups', 'bias', 'padding_mode'];
  return {
    params,
    build: (b) => {
      const v = b.values;
      const kernel = intTuple(v.get('kernel_size'), rank, null);
      const strides = intTuple(v.get('stride'), rank, 1);
      const dilation = intTuple(v.get('dilation'), rank, 1);
      const padding = torchPadding(v.get('padding'), rank);
      if (!kernel || !strides || !dilation || !padding)
        return unknownCfg('its kernel size, stride, dilation or padding could not be read');
      // padding_mode as written: a value PyTorch refuses is its error (model/layers/conv.ts)
      const modeValue = v.get('padding_mode');
      const paddingMode =
        modeValue === undefined
          ? 'zeros'
          : modeValue.t === 'str'
            ? modeValue.v
            : modeValue.t === 'none'
              ? 'None'
              : modeValue.t === 'num'
                ? String(modeValue.v)
                : null;
      if (paddingMode === null) return unknownCfg('its padding_mode could not be read');
      return {
        kind: 'conv',
        c: {
          rank,
          filters: intOr(v.get('out_channels'), null),
          inChannels: intOr(v.get('in_channels'), null),
          kernel,
          strides,
          dilation,
          padding,
          groups: intOr(v.get('groups'), 1) ?? 1,
          useBias: boolOr(v.get('bias'), true),
          activation: null,
          transposed,
          outputPadding: transposed ? intTuple(v.get('output_padding'), rank, 0) : null,
          depthwise: 'none',
          depthMultiplier: 1,
          ...(paddingMode !== 'zeros' ? { paddingMode } : {}),
        },
      };
    },
  };
}

export function poolCfg(rank: 1 | 2, mode: 'max' | 'avg', v: Map<string, Value>): LayerCfg {
  const size = intTuple(v.get('kernel_size'), rank, null);
  const sv = v.get('stride');
  const strides =
    sv === undefined ||
    sv.t === 'none' ||
    (sv.t === 'tuple' && sv.items.length === 0) ||
    (sv.t === 'list' && sv.items.length === 0)
      ? size
      : intTuple(sv, rank, null);
  const pads = intTuple(v.get('padding'), rank, 0);
  const dilation = mode === 'max' ? intTuple(v.get('dilation'), rank, 1) : new Array<number>(rank).fill(1);
  if (!size || !strides || !pads || !dilation)
    return unknownCfg('its kernel size, stride or padding could not be read');
  return {
    kind: 'pool',
    c: {
      rank,
      mode,
      pool: size,
      strides,
      padding: pads.map((p) => [p, p] as [number, number]),
      dilation,
      ceilMode: boolOr(v.get('ceil_mode'), false),
      countIncludePad: boolOr(v.get('count_include_pad'), true),
      ...(mode === 'avg' && rank === 2 && intOr(v.get('divisor_override'), null) !== null
        ? { divisorOverride: intOr(v.get('divisor_override'), null)! }
        : {}),
    },
  };
}

const POOL_PARAMS = {
  max: ['kernel_size', 'stride', 'padding', 'dilation', 'return_indices', 'ceil_mode'],
  avg: ['kernel_size', 'stride', 'padding', 'ceil_mode', 'count_include_pad', 'divisor_override'],
};

function pool(rank: 1 | 2, mode: 'max' | 'avg'): Builder {
  return { params: POOL_PARAMS[mode], build: (b) => poolCfg(rank, mode, b.values) };
}

export function adaptiveCfg(rank: 1 | 2, mode: 'max' | 'avg', v: Value | undefined): LayerCfg {
  if (!v) return unknownCfg('its output size could not be read');
  const n = asInt(v);
  if (n !== null) return { kind: 'adaptivePool', mode, out: new Array(rank).fill(n) };
  if ((v.t === 'tuple' || v.t === 'list') && v.items.length === rank) {
    const out = v.items.map((it) => (it.t === 'none' ? null : asInt(it)));
    if (out.every((o, i) => o !== null || v.items[i]!.t === 'none')) return { kind: 'adaptivePool', mode, out };
  }
  return unknownCfg('its output size could not be read');
}

function adaptive(rank: 1 | 2, mode: 'max' | 'avg'): Builder {
  return {
    params: ['output_size', 'return_indices'],
    build: (b) => adaptiveCfg(rank, mode, b.values.get('output_size')),
  };
}

function act(fn: string, params: string[] = [], alphaParam?: string, alphaDefault?: number): Builder {
  return {
    params,
    build: (b) => ({
      kind: 'activation',
      fn,
      ...(alphaParam ? { alpha: numOr(b.values.get(alphaParam), alphaDefault ?? 0) } : {}),
      // dim omitted or None: PyTorch's legacy rule, decided by the input's rank when it runs
      ...(params.includes('dim') && intOr(b.values.get('dim'), null) !== null
        ? { axis: intOr(b.values.get('dim'), null)! }
        : {}),
      ...(fn === 'gelu' && asString(b.values.get('approximate')) === 'tanh' ? { approximate: true } : {}),
      ...(fn === 'softplus'
        ? { beta: numOr(b.values.get('beta'), 1), threshold: numOr(b.values.get('threshold'), 20) }
        : {}),
    }),
  };
}

function bn(): Builder {
  return {
    params: ['num_features', 'eps', 'momentum', 'affine', 'track_running_stats'],
    build: (b) => {
      const affine = boolOr(b.values.get('affine'), true);
      return {
        kind: 'batchNorm',
        numFeatures: intOr(b.values.get('num_features'), null),
        epsilon: numOr(b.values.get('eps'), 1e-5),
        center: affine,
        scale: affine,
        trackStats: boolOr(b.values.get('track_running_stats'), true),
      };
    },
  };
}

export function upsampleCfg(v: Map<string, Value>, forceBilinearAligned = false): LayerCfg {
  const sizeV = v.get('size');
  const scaleV = v.get('scale_factor');
  const mode = forceBilinearAligned ? 'bilinear' : (asString(v.get('mode')) ?? 'nearest');
  if (mode !== 'nearest' && mode !== 'bilinear') return unknownCfg(`mode='${mode}' is not supported`);
  const size = sizeV && sizeV.t !== 'none' ? intTuple(sizeV, 2, null) : null;
  let scale: number[] | null = null;
  if (scaleV && scaleV.t !== 'none') {
    if (scaleV.t === 'num') scale = [scaleV.v, scaleV.v];
    else if ((scaleV.t === 'tuple' || scaleV.t === 'list') && scaleV.items.every((i) => i.t === 'num'))
      scale = scaleV.items.map((i) => (i as { v: number }).v);
  }
  if (!size && !scale) return unknownCfg('its size or scale factor could not be read');
  return {
    kind: 'upsample',
    size,
    scale,
    mode,
    alignCorners: forceBilinearAligned || boolOr(v.get('align_corners'), false),
    ...(boolOr(v.get('recompute_scale_factor'), false) ? { recompute: true } : {}),
  };
}

const drop: Builder = {
  params: ['p', 'inplace'],
  build: (b) => ({ kind: 'dropout', rate: numOr(b.values.get('p'), 0.5) }),
};

export const TORCH_MODULES: Record<string, Builder> = {
  Conv1d: conv(1, false),
  Conv2d: conv(2, false),
  ConvTranspose1d: conv(1, true),
  ConvTranspose2d: conv(2, true),
  MaxPool1d: pool(1, 'max'),
  MaxPool2d: pool(2, 'max'),
  AvgPool1d: pool(1, 'avg'),
  AvgPool2d: pool(2, 'avg'),
  AdaptiveAvgPool1d: adaptive(1, 'avg'),
  AdaptiveAvgPool2d: adaptive(2, 'avg'),
  AdaptiveMaxPool1d: adaptive(1, 'max'),
  AdaptiveMaxPool2d: adaptive(2, 'max'),
  Linear: {
    params: ['in_features', 'out_features', 'bias'],
    build: (b) => ({
      kind: 'dense',
      units: intOr(b.values.get('out_features'), null),
      inFeatures: intOr(b.values.get('in_features'), null),
      useBias: boolOr(b.values.get('bias'), true),
      activation: null,
    }),
  },
  LazyLinear: {
    params: ['out_features', 'bias'],
    build: (b) => ({
      kind: 'dense',
      units: intOr(b.values.get('out_features'), null),
      inFeatures: null,
      useBias: boolOr(b.values.get('bias'), true),
      activation: null,
    }),
  },
  Flatten: {
    params: ['start_dim', 'end_dim'],
    build: (b) => ({
      kind: 'flatten',
      startDim: intOr(b.values.get('start_dim'), 1) ?? 1,
      endDim: intOr(b.values.get('end_dim'), -1) ?? -1,
    }),
  },
  Dropout: drop,
  Dropout1d: drop,
  Dropout2d: drop,
  AlphaDropout: drop,
  BatchNorm1d: bn(),
  BatchNorm2d: bn(),
  LayerNorm: {
    params: ['normalized_shape', 'eps', 'elementwise_affine', 'bias'],
    build: (b) => {
      const affine = boolOr(b.values.get('elementwise_affine'), true);
      return {
        kind: 'layerNorm',
        normalizedShape: asIntList(b.values.get('normalized_shape')),
        // bias=False (PyTorch 2.1+): the scale without the shift
        center: affine && boolOr(b.values.get('bias'), true),
        scale: affine,
        epsilon: numOr(b.values.get('eps'), 1e-5),
        axes: null,
      };
    },
  },
  GroupNorm: {
    params: ['num_groups', 'num_channels', 'eps', 'affine'],
    build: (b) => {
      const groups = intOr(b.values.get('num_groups'), null);
      if (groups === null || groups < 1) return unknownCfg('its num_groups could not be read');
      return {
        kind: 'groupNorm',
        groups,
        numChannels: intOr(b.values.get('num_channels'), null),
        epsilon: numOr(b.values.get('eps'), 1e-5),
        center: boolOr(b.values.get('affine'), true),
        scale: boolOr(b.values.get('affine'), true),
      };
    },
  },
  LocalResponseNorm: {
    params: ['size', 'alpha', 'beta', 'k'],
    build: (b) => {
      const size = intOr(b.values.get('size'), null);
      if (size === null || size < 1) return unknownCfg('its size could not be read');
      return {
        kind: 'localResponseNorm',
        size,
        alpha: numOr(b.values.get('alpha'), 1e-4),
        beta: numOr(b.values.get('beta'), 0.75),
        k: numOr(b.values.get('k'), 1),
      };
    },
  },
  Identity: { params: [], build: () => ({ kind: 'identity' }) },
  ReLU: act('relu', ['inplace']),
  ReLU6: act('relu6', ['inplace']),
  LeakyReLU: act('leaky_relu', ['negative_slope', 'inplace'], 'negative_slope', 0.01),
  ELU: act('elu', ['alpha', 'inplace'], 'alpha', 1),
  SELU: act('selu', ['inplace']),
  GELU: act('gelu', ['approximate']),
  Sigmoid: act('sigmoid'),
  Hardsigmoid: act('hard_sigmoid', ['inplace']),
  Hardswish: act('hard_swish', ['inplace']),
  Tanh: act('tanh'),
  Softmax: act('softmax', ['dim']),
  LogSoftmax: act('log_softmax', ['dim']),
  Softplus: act('softplus', ['beta', 'threshold']),
  Softsign: act('softsign'),
  SiLU: act('silu', ['inplace']),
  Mish: act('mish', ['inplace']),
  Upsample: {
    params: ['size', 'scale_factor', 'mode', 'align_corners', 'recompute_scale_factor'],
    build: (b) => upsampleCfg(b.values),
  },
  UpsamplingNearest2d: { params: ['size', 'scale_factor'], build: (b) => upsampleCfg(b.values) },
  UpsamplingBilinear2d: { params: ['size', 'scale_factor'], build: (b) => upsampleCfg(b.values, true) },
  ...TORCH_MORE_MODULES,
};

export function bindTorch(className: string, args: CallArgs): { builder: Builder | null; bound: Bound } {
  const builder = TORCH_MODULES[className] ?? null;
  return { builder, bound: bind(builder?.params ?? [], args) };
}

/** Element-wise activations reachable as F.x, torch.x or tensor.x(). */
export const TORCH_ACTIVATION_FUNCTIONS: Record<string, string> = {
  relu: 'relu',
  relu_: 'relu',
  relu6: 'relu6',
  leaky_relu: 'leaky_relu',
  elu: 'elu',
  selu: 'selu',
  gelu: 'gelu',
  sigmoid: 'sigmoid',
  hardsigmoid: 'hard_sigmoid',
  hardswish: 'hard_swish',
  tanh: 'tanh',
  softmax: 'softmax',
  log_softmax: 'log_softmax',
  softplus: 'softplus',
  softsign: 'softsign',
  silu: 'silu',
  mish: 'mish',
};
