/**
 * Keras layers of the model's own code: subclasses of keras.layers.Layer with an __init__, a
 * build(input_shape) that creates weights with self.add_weight(…), and a call(). Called on Keras
 * tensors, such a layer is built once, as Keras builds it on its first call (build() gets the
 * input's shape: a tuple with None for the batch, a list of them for a list of inputs), its call()
 * is followed op by op, and it gets one row at the output (model/layers/module.ts) with its own
 * weights: count_params() counts every weight add_weight() made, trainable or not.
 */
import type { LayerSpec } from '../../model/ir';
import type { OwnTensor } from '../../model/layers/module';
import type { Range } from '../python/ast';
import type { Interpreter } from '../interp/interpreter';
import {
  NONE,
  UNKNOWN,
  asIntList,
  num,
  type CallArgs,
  type ClassValue,
  type InstanceValue,
  type LayerValue,
  type TensorValue,
  type Value,
} from '../interp/values';
import { bind } from './args';
import { applyLayer } from './apply';
import { kerasInitializerArg } from './initializers';
import { MAX_VALUES, constTensor } from './tensorValues';

const KERAS_LAYER_BASES = new Set(['keras.layers.Layer', 'keras.Layer']);

/** A subclass of keras.layers.Layer (not of keras.Model: a model of its own), through its bases. */
export function isKerasLayerClass(cls: ClassValue, normalize: (p: string) => string, depth = 0): boolean {
  if (cls.framework !== 'keras' || depth > 20) return false;
  return cls.bases.some(
    (b) =>
      (b.t === 'qual' && KERAS_LAYER_BASES.has(normalize(b.path))) ||
      (b.t === 'class' && isKerasLayerClass(b, normalize, depth + 1)),
  );
}

interface LayerState {
  built: boolean;
  /** The weights add_weight() made, in order; null once one's shape could not be read. */
  weights: OwnTensor[] | null;
  spec: LayerSpec | null;
}

const states = new WeakMap<InstanceValue, LayerState>();

function stateOf(inst: InstanceValue): LayerState {
  let s = states.get(inst);
  if (!s) states.set(inst, (s = { built: false, weights: [], spec: null }));
  return s;
}

/**
 * self.add_weight(shape=…, initializer=…, dtype=…, trainable=True, …, name=…) — Keras 3 takes
 * shape, initializer and dtype by position; tf.keras 2 took the name first. Returns the weight as
 * a tensor of the layer's own (its values are not known).
 */
function addWeight(self: InstanceValue, args: CallArgs): Value {
  const legacy = args.positional[0]?.t === 'str';
  const b = bind(legacy ? ['name', 'shape', 'dtype', 'initializer'] : ['shape', 'initializer', 'dtype'], args).values;
  const st = stateOf(self);
  const given = b.get('shape');
  const shape = given === undefined || given.t === 'none' ? [] : asIntList(given);
  const trainable = b.get('trainable');
  const isTrainable = trainable === undefined || trainable.t !== 'bool' || trainable.v;
  const name = b.get('name');
  if (!shape || shape.some((d) => d < 0)) st.weights = null;
  else
    st.weights?.push({ name: name?.t === 'str' ? name.v : 'variable', shape, trainable: isTrainable, buffer: false });
  if (!shape || shape.some((d) => d < 0)) return UNKNOWN;
  // the initial values of a constant initializer are known (and run); random ones are not
  const init = kerasInitializerArg(b.get('initializer'));
  const fill = init?.kind === 'zeros' ? 0 : init?.kind === 'ones' ? 1 : init?.kind === 'constant' ? init.value : null;
  const n = shape.reduce((a, d) => a * d, 1);
  const values = fill === null || n > MAX_VALUES ? null : new Array<number>(n).fill(fill);
  return { ...constTensor(shape, 'float32', values), fw: 'keras', param: { trainable: isTrainable } };
}

/** Methods of keras.layers.Layer a custom layer calls on itself; undefined for others. */
export function kerasLayerMethod(self: InstanceValue, name: string, args: CallArgs): Value | undefined {
  if (self.cls.framework !== 'keras') return undefined;
  if (name === 'add_weight' || name === 'add_variable') return addWeight(self, args);
  return undefined;
}

function kerasTensors(v: Value | undefined): TensorValue[] | null {
  if (!v) return null;
  if (v.t === 'tensor') return v.fw === 'keras' && !v.data ? [v] : null;
  if (v.t !== 'list' && v.t !== 'tuple') return null;
  const ts = v.items.map(kerasTensors);
  return ts.length > 0 && ts.every((t) => t !== null) ? ts.flat() : null;
}

/** The shape build() receives: (None, 56, 56, 96); lists and tuples of tensors give lists and tuples of shapes. */
function shapeArg(v: Value): Value {
  if (v.t === 'tensor')
    return { t: 'tuple', items: (v.shape ?? []).map((d) => (typeof d === 'number' ? num(d) : NONE)) };
  if (v.t === 'list' || v.t === 'tuple') return { t: v.t, items: v.items.map(shapeArg) };
  return UNKNOWN;
}

function layerSpec(inst: InstanceValue, st: LayerState): LayerSpec {
  return (st.spec ??= {
    // instances and layers draw their ids from one counter: the instance's is free for its row
    id: inst.id,
    framework: 'keras',
    type: inst.cls.def.name,
    cfg: { kind: 'module', tensors: st.weights, base: null },
    name: inst.name ?? null,
    range: inst.range,
    functional: false,
    ...(inst.file ? { file: inst.file } : {}),
  });
}

/**
 * A custom Keras layer called on Keras tensors: built on its first call, its call() followed, and
 * its row applied to what call() returns. Undefined when it is not one (the caller goes on).
 */
export function callKerasLayer(
  ip: Interpreter,
  inst: InstanceValue,
  args: CallArgs,
  range: Range,
  normalize: (p: string) => string,
): Value | undefined {
  if (!isKerasLayerClass(inst.cls, normalize)) return undefined;
  const x = args.positional[0] ?? args.keywords.get('inputs');
  if (!x || !kerasTensors(x)) return undefined;
  const call = ip.findMember(inst.cls, 'call');
  if (call?.value.t !== 'func') return undefined;
  const st = stateOf(inst);
  if (!st.built) {
    st.built = true;
    const build = ip.findMember(inst.cls, 'build');
    if (build?.value.t === 'func')
      ip.callFunction(
        { ...build.value, self: inst, owner: build.owner },
        { positional: [shapeArg(x)], keywords: new Map(), posRanges: [range], kwRanges: new Map() },
        range,
      );
  }
  const out = ip.callFunction({ ...call.value, self: inst, owner: call.owner }, args, range);
  // a layer returning several tensors (or one not known) keeps no row of its own
  if (out.t !== 'tensor' || out.data) return out;
  return applyLayer(ip, { t: 'layer', spec: layerSpec(inst, st), argRanges: {} }, [out], range);
}

/** A Lambda layer's function and the keyword arguments (arguments=) it is called with; its row once followed. */
const lambdas = new WeakMap<LayerSpec, { fn: Value; kwargs: Map<string, Value>; row: LayerSpec | null }>();

/** layers.Lambda(function, output_shape=None, mask=None, arguments=None): remembered for its calls. */
export function rememberLambda(spec: LayerSpec, values: Map<string, Value>): void {
  const fn = values.get('function');
  if (!fn) return;
  const kwargs = new Map<string, Value>();
  const given = values.get('arguments');
  if (given?.t === 'dict')
    given.keys.forEach((k, i) => {
      if (k.t === 'str') kwargs.set(k.v, given.vals[i]!);
    });
  else if (given && given.t !== 'none') return;
  lambdas.set(spec, { fn, kwargs, row: null });
}

/**
 * A Lambda layer applied to Keras tensors: its function is followed with the input as given (a
 * tensor, or a list of them) and arguments= as keywords; the layer's row (no weights) is applied to
 * what it returns. Undefined when the function cannot be followed to one tensor (the layer then
 * stands as not modelled).
 */
export function callLambda(ip: Interpreter, layer: LayerValue, x: Value | undefined, range: Range): Value | undefined {
  const lambda = lambdas.get(layer.spec);
  if (!lambda || !x || !kerasTensors(x)) return undefined;
  const kwRanges = new Map([...lambda.kwargs.keys()].map((k) => [k, range]));
  const mark = ip.nodes.length;
  const out = ip.call(lambda.fn, { positional: [x], keywords: lambda.kwargs, posRanges: [range], kwRanges }, range);
  if (out.t !== 'tensor' || out.data || !out.shape) {
    // what the function did before it was lost is not the layer's: it is applied as not modelled
    ip.nodes.length = mark;
    return undefined;
  }
  lambda.row ??= { ...layer.spec, cfg: { kind: 'module', tensors: [], base: null } };
  return applyLayer(ip, { t: 'layer', spec: lambda.row, argRanges: layer.argRanges }, [out], range);
}
