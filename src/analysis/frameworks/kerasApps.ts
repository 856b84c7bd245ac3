/**
 * What keras.applications code calls besides layers: imagenet_utils.obtain_input_shape (the
 * input shape a model of the family builds, per Keras' own rules), correct_pad (the padding
 * before a strided convolution), backend.image_data_format(),
 * and the application models themselves (keras.applications.VGG16(…)) when their source is not
 * found (calls.ts reads it when it is): used as a layer they keep the tensor's rank and leave its
 * sizes symbolic, and say so.
 */
import type { LayerCfg } from '../../model/ir';
import { NONE, UNKNOWN, asInt, asIntList, asString, num, type Value } from '../interp/values';
import { bind, boolOr, type CallArgs } from './args';

/** Keras' default, and the only layout ConvLens models for Keras. */
export const IMAGE_DATA_FORMAT: Value = { t: 'str', v: 'channels_last' };

function shapeValue(dims: (number | null)[]): Value {
  return { t: 'tuple', items: dims.map((d) => (d === null ? NONE : num(d))) };
}

/**
 * keras.src.applications.imagenet_utils.obtain_input_shape: with imagenet weights and the top
 * the default (size, size, 3); an input shape given is kept; none given: the default with the
 * top, (None, None, 3) without it. Keras' refusals (a wrong shape for imagenet weights, sizes
 * below min_size) are not re-raised here: the layers that follow report what they see.
 */
export function obtainInputShape(args: CallArgs): Value {
  const b = bind(['input_shape', 'default_size', 'min_size', 'data_format', 'require_flatten', 'weights'], args);
  const given = b.values.get('input_shape');
  const size = asInt(b.values.get('default_size'));
  const first = asString(b.values.get('data_format')) === 'channels_first';
  const flatten = boolOr(b.values.get('require_flatten'), true);
  const imagenet = asString(b.values.get('weights')) === 'imagenet';
  const givenItems = given && (given.t === 'tuple' || given.t === 'list') ? given.items : null;
  if (givenItems && givenItems.length === 3 && !(imagenet && flatten)) return given!;
  if (given && given.t !== 'none' && !givenItems) return { t: 'unknown' };
  const full = (d: number | null): Value => shapeValue(first ? [3, d, d] : [d, d, 3]);
  if (flatten || imagenet) return size === null ? { t: 'unknown' } : full(size);
  return full(null);
}

/**
 * keras.src.applications.imagenet_utils.correct_pad(inputs, kernel_size): the ZeroPadding2D
 * amounts before a strided convolution, from the tensor's height and width (channels-last):
 * ((k//2 - adjust, k//2), …) with adjust 1 for an even size (and for an unknown one), else 0.
 */
export function correctPad(args: CallArgs): Value {
  const b = bind(['inputs', 'kernel_size'], args);
  const x = b.values.get('inputs');
  const kv = b.values.get('kernel_size');
  const k1 = kv ? asInt(kv) : null;
  const kernel = k1 !== null ? [k1, k1] : kv ? asIntList(kv) : null;
  if (!x || x.t !== 'tensor' || !x.shape || x.shape.length < 3 || !kernel || kernel.length !== 2) return UNKNOWN;
  const [h, w] = [x.shape[1]!, x.shape[2]!];
  let adjust: [number, number];
  if (typeof h !== 'number') adjust = [1, 1];
  else if (typeof w !== 'number') return UNKNOWN;
  else adjust = [1 - (h % 2), 1 - (w % 2)];
  const pair = (c: number, a: number): Value => shapeValue([c - a, c]);
  return { t: 'tuple', items: [pair(kernel[0]! >> 1, adjust[0]), pair(kernel[1]! >> 1, adjust[1])] };
}

/** keras.applications.<Name>(…) whose source was not read: an info diagnostic where it is applied. */
export function applicationCfg(path: string, args: CallArgs): LayerCfg {
  const b = bind(['include_top', 'weights', 'input_tensor', 'input_shape', 'pooling', 'classes'], args);
  return {
    kind: 'opaque',
    what: path,
    includeTop: boolOr(b.values.get('include_top'), true),
    pooling: asString(b.values.get('pooling')),
  };
}
