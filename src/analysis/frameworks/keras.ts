/**
 * Keras layers (Keras 3 signatures and defaults) → layer specs. Pooling strides default to the
 * pool size; auto names follow Keras' snake_case rule with per-file counters.
 */
import type { LayerCfg, PaddingSpec } from '../../model/ir';
import type { MergeOp } from '../../model/layers/merge';
import { asInt, asIntList, asNumber, asString, type Value } from '../interp/values';
import { activationName, bind, boolOr, intOr, intTuple, numOr, type Bound, type CallArgs } from './args';
import { valueText } from './unmodelled';

/** Keras' to_snake_case: Conv2D → conv2d, MaxPooling2D → max_pooling2d, ReLU → re_lu. */
export function kerasSnake(name: string): string {
  return name
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

const ALIASES: Record<string, string> = {
  MaxPool1D: 'MaxPooling1D',
  MaxPool2D: 'MaxPooling2D',
  AvgPool1D: 'AveragePooling1D',
  AvgPool2D: 'AveragePooling2D',
  GlobalAvgPool1D: 'GlobalAveragePooling1D',
  GlobalAvgPool2D: 'GlobalAveragePooling2D',
  GlobalMaxPool1D: 'GlobalMaxPooling1D',
  GlobalMaxPool2D: 'GlobalMaxPooling2D',
  Convolution2D: 'Conv2D',
  Convolution1D: 'Conv1D',
  Conv2DTranspose: 'Conv2DTranspose',
  Convolution1DTranspose: 'Conv1DTranspose',
  Convolution2DTranspose: 'Conv2DTranspose',
  SeparableConvolution1D: 'SeparableConv1D',
  SeparableConvolution2D: 'SeparableConv2D',
};

export function canonicalKerasClass(name: string): string {
  return ALIASES[name] ?? name;
}

function kerasPadding(v: Value | undefined, lowerCase = true): PaddingSpec | null {
  // a convolution lower-cases it (standardize_padding): padding="SAME" is 'same'; a pooling
  // layer keeps it as written, and Keras refuses padding="SAME" when the layer is called
  const s = v === undefined ? 'valid' : lowerCase ? asString(v)?.toLowerCase() : asString(v);
  if (s === 'valid' || s === 'same' || s === 'causal') return s;
  return null;
}

type Builder = { params: string[]; build: (b: Bound) => LayerCfg };

function conv(rank: 1 | 2, kind: 'plain' | 'transpose' | 'depthwise' | 'separable'): Builder {
  const params =
    kind === 'depthwise'
      ? [
          'kernel_size',
          'strides',
          'padding',
          'depth_multiplier',
          'data_format',
          'dilation_rate',
          'activation',
          'use_bias',
        ]
      : kind === 'transpose'
        ? [
            'filters',
            'kernel_size',
            'strides',
            'padding',
            'output_padding',
            'data_format',
            'dilation_rate',
            'activation',
            'use_bias',
          ]
        : kind === 'separable'
          ? [
              'filters',
              'kernel_size',
              'strides',
              'padding',
              'data_format',
              'dilation_rate',
              'depth_multiplier',
              'activation',
              'use_bias',
            ]
          : [
              'filters',
              'kernel_size',
              'strides',
              'padding',
              'data_format',
              'dilation_rate',
              'groups',
              'activation',
              'use_bias',
            ];
  return {
    params,
    build: (b) => {
      const v = b.values;
      const kernel = intTuple(v.get('kernel_size'), rank, null);
      const strides = intTuple(v.get('strides'), rank, 1);
      const dilation = intTuple(v.get('dilation_rate'), rank, 1);
      const padding = kerasPadding(v.get('padding'));
      if (!kernel) return refuse(b, 'kernel_size', ints(rank));
      if (!strides) return refuse(b, 'strides', ints(rank));
      if (!dilation) return refuse(b, 'dilation_rate', ints(rank));
      if (!padding) return refuse(b, 'padding', "must be 'valid', 'same' or 'causal'");
      return {
        kind: 'conv',
        c: {
          rank,
          filters: kind === 'depthwise' ? null : intOr(v.get('filters'), null),
          inChannels: null,
          kernel,
          strides,
          dilation,
          padding,
          groups: intOr(v.get('groups'), 1) ?? 1,
          useBias: boolOr(v.get('use_bias'), true),
          activation: activationName(v.get('activation')),
          transposed: kind === 'transpose',
          outputPadding:
            v.get('output_padding') && v.get('output_padding')!.t !== 'none'
              ? intTuple(v.get('output_padding'), rank, 0)
              : null,
          depthwise: kind === 'depthwise' ? 'depthwise' : kind === 'separable' ? 'separable' : 'none',
          depthMultiplier: intOr(v.get('depth_multiplier'), 1) ?? 1,
        },
      };
    },
  };
}

function pool(rank: 1 | 2, mode: 'max' | 'avg'): Builder {
  return {
    params: ['pool_size', 'strides', 'padding', 'data_format'],
    build: (b) => {
      const size = intTuple(b.values.get('pool_size'), rank, 2);
      const strides =
        b.values.get('strides') === undefined || b.values.get('strides')!.t === 'none'
          ? size
          : intTuple(b.values.get('strides'), rank, null);
      const padding = kerasPadding(b.values.get('padding'), false);
      if (!size) return refuse(b, 'pool_size', ints(rank));
      if (!strides) return refuse(b, 'strides', ints(rank));
      if (!padding || padding === 'causal') return refuse(b, 'padding', "must be 'valid' or 'same'");
      return {
        kind: 'pool',
        c: {
          rank,
          mode,
          pool: size,
          strides,
          padding,
          dilation: new Array<number>(rank).fill(1),
          ceilMode: false,
          countIncludePad: false,
        },
      };
    },
  };
}

function globalPool(rank: 1 | 2, mode: 'max' | 'avg'): Builder {
  return {
    params: ['data_format', 'keepdims'],
    build: (b) => ({ kind: 'globalPool', mode, rank, keepdims: boolOr(b.values.get('keepdims'), false) }),
  };
}

function act(fn: string, alphaParam?: string, alphaDefault?: number): Builder {
  return {
    params: alphaParam ? [alphaParam] : [],
    build: (b) => ({
      kind: 'activation',
      fn,
      ...(alphaParam ? { alpha: numOr(b.values.get(alphaParam), alphaDefault ?? 0) } : {}),
    }),
  };
}

/**
 * Keras' padding/cropping argument: an int (the same on every side), one (before, after) pair
 * for 1-D, or per axis an int or a pair for 2-D.
 */
function pairs(v: Value | undefined, rank: 1 | 2, dflt: number): [number, number][] | null {
  if (v === undefined) return new Array(rank).fill(0).map(() => [dflt, dflt]);
  const n = asInt(v);
  if (n !== null) return new Array(rank).fill(0).map(() => [n, n]);
  if (v.t !== 'tuple' && v.t !== 'list') return null;
  if (rank === 1) {
    const l = asIntList(v);
    return l && l.length === 2 ? [[l[0]!, l[1]!]] : null;
  }
  if (v.items.length !== 2) return null;
  const out: [number, number][] = [];
  for (const it of v.items) {
    const l = asIntList(it);
    if (!l || (l.length !== 1 && l.length !== 2)) return null;
    out.push([l[0]!, l[1] ?? l[0]!]);
  }
  return out;
}

/** A number or a list of numbers (Rescaling's scale and offset). */
function numbers(v: Value | undefined, dflt: number | null): number | number[] | null {
  if (v === undefined) return dflt;
  if (v.t === 'num') return v.v;
  if (v.t === 'tuple' || v.t === 'list') {
    const out = v.items.map((x) => (x.t === 'num' ? x.v : NaN));
    return out.some(Number.isNaN) ? null : out;
  }
  return null;
}

/** A number or a list of numbers as a list (Normalization's mean= and variance=). */
function numberList(v: Value): number[] | null {
  const n = asNumber(v);
  if (n !== null) return [n];
  const items = v.t === 'list' || v.t === 'tuple' ? v.items.map(asNumber) : null;
  return items && items.every((x) => x !== null) ? (items as number[]) : null;
}

const PAIRS_1D = 'must be an int or a tuple of 2 ints';
const PAIRS_2D = 'must be an int, a tuple of 2 ints or a tuple of 2 tuples of 2 ints';

function unknownCfg(reason: string): LayerCfg {
  return { kind: 'unknown', reason };
}

/** A refusal naming the argument and its value as written, and what Keras requires of it. */
function refuse(b: Bound, arg: string, what: string): LayerCfg {
  const v = b.values.get(arg);
  if (v === undefined) return { kind: 'unknown', reason: `${arg} is required`, arg };
  const value = valueText(v);
  return { kind: 'unknown', reason: `${arg}=${value} ${what}`, arg, value };
}

/**
 * A refusal of a number Keras refuses when the layer is made (a negative slope): an error, as
 * Keras raises. A value that could not be read as a number (n is NaN) stays unread.
 */
function refuseNumber(b: Bound, arg: string, what: string, n: number): LayerCfg {
  const r = refuse(b, arg, what);
  return Number.isNaN(n) || r.kind !== 'unknown' || r.arg === undefined || r.value === undefined
    ? r
    : { ...r, invalid: true };
}

const ints = (rank: number): string => `must be an int or a tuple of ${rank} ints`;

/** An `axis=` int: -1 when not given; null when given and not an int. */
function axisArg(b: Bound): number | null {
  return intOr(b.values.get('axis'), -1);
}

const merge = (op: MergeOp): Builder => ({
  params: op === 'concat' ? ['axis'] : [],
  build: (b) => {
    const axis = axisArg(b);
    return axis === null ? refuse(b, 'axis', 'must be an int') : { kind: 'merge', op, axis };
  },
});

export const KERAS_LAYERS: Record<string, Builder> = {
  Conv1D: conv(1, 'plain'),
  Conv2D: conv(2, 'plain'),
  Conv1DTranspose: conv(1, 'transpose'),
  Conv2DTranspose: conv(2, 'transpose'),
  DepthwiseConv1D: conv(1, 'depthwise'),
  DepthwiseConv2D: conv(2, 'depthwise'),
  SeparableConv1D: conv(1, 'separable'),
  SeparableConv2D: conv(2, 'separable'),
  MaxPooling1D: pool(1, 'max'),
  MaxPooling2D: pool(2, 'max'),
  AveragePooling1D: pool(1, 'avg'),
  AveragePooling2D: pool(2, 'avg'),
  GlobalMaxPooling1D: globalPool(1, 'max'),
  GlobalMaxPooling2D: globalPool(2, 'max'),
  GlobalAveragePooling1D: globalPool(1, 'avg'),
  GlobalAveragePooling2D: globalPool(2, 'avg'),
  Dense: {
    params: ['units', 'activation', 'use_bias'],
    build: (b) => ({
      kind: 'dense',
      units: intOr(b.values.get('units'), null),
      inFeatures: null,
      useBias: boolOr(b.values.get('use_bias'), true),
      activation: activationName(b.values.get('activation')),
    }),
  },
  Flatten: { params: ['data_format'], build: () => ({ kind: 'flatten', startDim: 1, endDim: -1 }) },
  Reshape: {
    params: ['target_shape'],
    build: (b) => {
      const t = asIntList(b.values.get('target_shape'));
      return t
        ? { kind: 'reshape', target: t, includesBatch: false }
        : refuse(b, 'target_shape', 'must be a tuple of ints');
    },
  },
  Dropout: { params: ['rate'], build: (b) => ({ kind: 'dropout', rate: numOr(b.values.get('rate'), 0) }) },
  SpatialDropout1D: { params: ['rate'], build: (b) => ({ kind: 'dropout', rate: numOr(b.values.get('rate'), 0) }) },
  SpatialDropout2D: { params: ['rate'], build: (b) => ({ kind: 'dropout', rate: numOr(b.values.get('rate'), 0) }) },
  GaussianNoise: { params: ['stddev'], build: () => ({ kind: 'identity' }) },
  GaussianDropout: { params: ['rate'], build: (b) => ({ kind: 'dropout', rate: numOr(b.values.get('rate'), 0) }) },
  BatchNormalization: {
    params: ['axis', 'momentum', 'epsilon', 'center', 'scale'],
    build: (b) => {
      const center = boolOr(b.values.get('center'), true);
      const scale = boolOr(b.values.get('scale'), true);
      // Keras 3 takes one int (int(axis)): a list, as tf.keras 2 took, is refused
      const axis = b.values.get('axis') === undefined ? -1 : asInt(b.values.get('axis'));
      if (axis === null) return refuse(b, 'axis', 'must be an int');
      // Keras owns γ only with scale=True and β only with center=True; moving statistics always.
      return {
        kind: 'batchNorm',
        numFeatures: null,
        epsilon: numOr(b.values.get('epsilon'), 1e-3),
        center,
        scale,
        trackStats: true,
        axis,
      };
    },
  },
  LayerNormalization: {
    params: ['axis', 'epsilon', 'center', 'scale'],
    build: (b) => {
      const axes = b.values.get('axis') === undefined ? [-1] : asIntList(b.values.get('axis'));
      // axis=[] normalizes nothing (scalar γ and β); axis 0 is the batch, whose size Keras cannot build
      if (!axes || axes.some((a) => a === 0)) return refuse(b, 'axis', 'must be an int or a list of ints other than 0');
      return {
        kind: 'layerNorm',
        normalizedShape: null,
        center: boolOr(b.values.get('center'), true),
        scale: boolOr(b.values.get('scale'), true),
        epsilon: numOr(b.values.get('epsilon'), 1e-3),
        axes,
      };
    },
  },
  GroupNormalization: {
    params: ['groups', 'axis', 'epsilon', 'center', 'scale'],
    build: (b) => {
      const groups = intOr(b.values.get('groups'), 32);
      const axis = axisArg(b);
      // Keras: "expected a positive integer (or `-1` for instance normalization)"
      if (groups === null || (groups < 1 && groups !== -1)) return refuse(b, 'groups', 'must be a positive int or -1');
      if (axis === null) return refuse(b, 'axis', 'must be an int');
      return {
        kind: 'groupNorm',
        groups,
        numChannels: null,
        epsilon: numOr(b.values.get('epsilon'), 1e-3),
        center: boolOr(b.values.get('center'), true),
        scale: boolOr(b.values.get('scale'), true),
        axis,
      };
    },
  },
  Activation: {
    params: ['activation'],
    build: (b) => ({ kind: 'activation', fn: activationName(b.values.get('activation')) ?? 'linear' }),
  },
  ReLU: {
    params: ['max_value', 'negative_slope', 'threshold'],
    build: (b) => {
      const v = b.values;
      const maxValue =
        v.get('max_value') === undefined || v.get('max_value')!.t === 'none' ? null : numOr(v.get('max_value'), NaN);
      // given and not a number: NaN, refused below
      const given = (k: string): number => (v.get(k) === undefined ? 0 : numOr(v.get(k), NaN));
      const negativeSlope = given('negative_slope');
      const threshold = given('threshold');
      // Keras: "… of a ReLU layer cannot be a negative value"
      if (maxValue !== null && !(maxValue >= 0))
        return refuseNumber(b, 'max_value', 'must be a number ≥ 0 or None', maxValue);
      if (!(negativeSlope >= 0)) return refuseNumber(b, 'negative_slope', 'must be a number ≥ 0', negativeSlope);
      if (!(threshold >= 0)) return refuseNumber(b, 'threshold', 'must be a number ≥ 0', threshold);
      if (maxValue === null && negativeSlope === 0 && threshold === 0) return { kind: 'activation', fn: 'relu' };
      return { kind: 'relu', maxValue, negativeSlope, threshold };
    },
  },
  PReLU: {
    params: ['alpha_initializer', 'alpha_regularizer', 'alpha_constraint', 'shared_axes'],
    build: (b) => {
      const v = b.values.get('shared_axes');
      const axes = v === undefined || v.t === 'none' ? [] : asIntList(v);
      return axes ? { kind: 'prelu', sharedAxes: axes } : refuse(b, 'shared_axes', 'must be an int or a list of ints');
    },
  },
  // alpha: the tf.keras 2 name, which Keras 3 still takes
  LeakyReLU: {
    params: ['negative_slope', 'alpha'],
    build: (b) => {
      // Keras 3 takes alpha= over negative_slope= when both are given
      const arg = b.values.has('alpha') ? 'alpha' : 'negative_slope';
      const v = b.values.get(arg);
      const alpha = v === undefined ? 0.3 : numOr(v, NaN);
      // Keras: "The negative_slope value of a Leaky ReLU layer cannot be None or negative value"
      return alpha >= 0
        ? { kind: 'activation', fn: 'leaky_relu', alpha }
        : refuseNumber(b, arg, 'must be a number ≥ 0', alpha);
    },
  },
  ELU: act('elu', 'alpha', 1),
  Softmax: {
    params: ['axis'],
    build: (b) => {
      const axis = axisArg(b);
      return axis === null ? refuse(b, 'axis', 'must be an int') : { kind: 'activation', fn: 'softmax', axis };
    },
  },
  ZeroPadding1D: {
    params: ['padding'],
    build: (b) => {
      const p = pairs(b.values.get('padding'), 1, 1);
      return p ? { kind: 'pad', mode: 'constant', value: 0, pads: p } : refuse(b, 'padding', PAIRS_1D);
    },
  },
  ZeroPadding2D: {
    params: ['padding', 'data_format'],
    build: (b) => {
      const p = pairs(b.values.get('padding'), 2, 1);
      return p ? { kind: 'pad', mode: 'constant', value: 0, pads: p } : refuse(b, 'padding', PAIRS_2D);
    },
  },
  Cropping1D: {
    params: ['cropping'],
    build: (b) => {
      const p = pairs(b.values.get('cropping'), 1, 1);
      return p ? { kind: 'crop', crops: p } : refuse(b, 'cropping', PAIRS_1D);
    },
  },
  Cropping2D: {
    params: ['cropping', 'data_format'],
    build: (b) => {
      const p = pairs(b.values.get('cropping'), 2, 0);
      return p ? { kind: 'crop', crops: p } : refuse(b, 'cropping', PAIRS_2D);
    },
  },
  UpSampling1D: {
    params: ['size'],
    build: (b) => {
      const size = intOr(b.values.get('size'), 2);
      return size !== null && size > 0
        ? { kind: 'upsample', scale: [size], size: null, mode: 'nearest', alignCorners: false, rank: 1 }
        : refuse(b, 'size', 'must be a positive int');
    },
  },
  UpSampling2D: {
    params: ['size', 'data_format', 'interpolation'],
    build: (b) => {
      const size = intTuple(b.values.get('size'), 2, 2);
      const mode = asString(b.values.get('interpolation')) ?? 'nearest';
      return size
        ? {
            kind: 'upsample',
            scale: size,
            size: null,
            mode: mode === 'bilinear' ? 'bilinear' : 'nearest',
            alignCorners: false,
          }
        : refuse(b, 'size', ints(2));
    },
  },
  Resizing: {
    params: ['height', 'width', 'interpolation', 'crop_to_aspect_ratio', 'pad_to_aspect_ratio'],
    build: (b) => {
      const h = intOr(b.values.get('height'), null);
      const w = intOr(b.values.get('width'), null);
      if (h === null) return refuse(b, 'height', 'must be an int');
      return w !== null
        ? {
            kind: 'upsample',
            scale: null,
            size: [h, w],
            mode: asString(b.values.get('interpolation')) === 'nearest' ? 'nearest' : 'bilinear',
            alignCorners: false,
          }
        : refuse(b, 'width', 'must be an int');
    },
  },
  Rescaling: {
    params: ['scale', 'offset'],
    build: (b) => {
      const scale = numbers(b.values.get('scale'), null);
      const offset = numbers(b.values.get('offset'), 0);
      if (scale === null) return refuse(b, 'scale', 'must be a number or a list of numbers');
      return offset !== null
        ? { kind: 'rescale', scale, offset }
        : refuse(b, 'offset', 'must be a number or a list of numbers');
    },
  },
  Normalization: {
    params: ['axis', 'mean', 'variance', 'invert'],
    build: (b) => {
      const axis = b.values.get('axis');
      const axes = axis === undefined ? [-1] : axis.t === 'none' ? [] : (asIntList(axis) ?? null);
      if (!axes) return refuse(b, 'axis', 'must be an int, a tuple of ints or None');
      const given = (v: Value | undefined): number[] | null =>
        v === undefined || v.t === 'none' ? null : (numberList(v) ?? []);
      const mean = given(b.values.get('mean'));
      const variance = given(b.values.get('variance'));
      return { kind: 'standardize', axes, mean, variance, invert: boolOr(b.values.get('invert'), false) };
    },
  },
  Add: merge('add'),
  Subtract: merge('subtract'),
  Multiply: merge('multiply'),
  Average: merge('average'),
  Maximum: merge('maximum'),
  Minimum: merge('minimum'),
  Concatenate: merge('concat'),
  InputLayer: { params: ['shape'], build: () => ({ kind: 'input' }) },
  // its function is followed when the layer is called (frameworks/kerasCustom.ts); this stands when it cannot be
  Lambda: {
    params: ['function', 'output_shape', 'mask', 'arguments'],
    build: () => unknownCfg('its function could not be followed'),
  },
};

/** Lower-case functional forms: layers.add([a, b]) → an Add layer applied to the list. */
export const KERAS_MERGE_FUNCTIONS: Record<string, string> = {
  add: 'Add',
  subtract: 'Subtract',
  multiply: 'Multiply',
  average: 'Average',
  maximum: 'Maximum',
  minimum: 'Minimum',
  concatenate: 'Concatenate',
};

/** Augmentation layers are the identity at inference. */
export function isKerasAugmentation(name: string): boolean {
  return /^Random[A-Z]/.test(name);
}

export function kerasInputShape(b: Bound): number[] | null {
  const shape = b.values.get('input_shape') ?? b.values.get('shape');
  const batched = b.values.get('batch_input_shape') ?? b.values.get('batch_shape');
  // Keras: "You cannot pass both `shape` and `batch_shape` at the same time"
  if (shape && batched) return null;
  if (shape) return asIntListWithNone(shape);
  return (batched && asIntListWithNone(batched)?.slice(1)) ?? null;
}

/**
 * (None, 28, 28) style tuples: None is kept as −1 so the caller can decide. A single int is not a
 * shape (Keras: "Cannot convert '28' to a shape").
 */
function asIntListWithNone(v: Value): number[] | null {
  if (v.t !== 'tuple' && v.t !== 'list') return null;
  const out: number[] = [];
  for (const it of v.items) {
    if (it.t === 'none') out.push(-1);
    else {
      const n = asInt(it);
      if (n === null) return null;
      out.push(n);
    }
  }
  return out;
}

export function bindKeras(className: string, args: CallArgs): { builder: Builder | null; bound: Bound } {
  const builder = KERAS_LAYERS[className] ?? null;
  return { builder, bound: bind(builder?.params ?? [], args) };
}
