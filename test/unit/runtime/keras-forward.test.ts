/**
 * Whole Keras models run by our engine against @tensorflow/tfjs-layers (the TypeScript port of
 * Keras), layer by layer. Python/TensorFlow are not available here, so for every fixture in
 * MODELS the SAME architecture is built by hand with tfjs-layers (one builder per file below,
 * mirroring the Python statement by statement, with the Keras 3 layer names — see
 * scripts/gen-keras-oracle.ts for the naming rules), and:
 *
 *  - the fixture source is analyzed and its model taken;
 *  - the weight list is tfjs-layers': one tensor per weight of every tfjs layer (name and shape
 *    as tfjs has them), generated once: kernels with our `initialValue` (Keras Glorot-uniform,
 *    seeded), and — so that they actually matter — NON-trivial biases, BatchNorm γ/β and moving
 *    statistics (seeded uniform; variances positive, in [0.5, 1.5]);
 *  - tfjs-layers gets them through `setWeights`, our engine through its WeightSource, keyed by
 *    layer and Keras 3 weight name — the same Float32Arrays, in the same layout (Keras kernel
 *    layouts are tfjs-layers' layouts: Conv2D (kh,kw,in,out), Dense (in,out), DepthwiseConv2D
 *    (kh,kw,in,multiplier), Conv2DTranspose (kh,kw,out,in)). The set of weights our graph asks
 *    for (paramSpecs) must equal tfjs' set, layer by layer; a difference is reported and the run
 *    still goes on, so a layer that ignores a weight also shows up as wrong values;
 *  - both run on the same seeded input (batch 1), and the output of EVERY layer is compared,
 *    matched by name: tfjs gives all intermediate outputs through a second model
 *    `tf.model({ inputs, outputs: layers.map(l => l.output) })`.
 *
 * Besides one test per fixture, the merge layers of merges.py and the normalizations of
 * batchnorm_flags.py each get a test of their own, so every case is named in the results.
 *
 * tfjs-layers vs Keras 3 differences minded in the builders:
 *  - names: tfjs auto-names differ ("conv2d_Conv2D1"), so every tfjs layer gets the Keras name;
 *  - UpSampling2D(2) is `size: [2, 2]` in tfjs (a bare number gives NaN dims); only 'nearest'
 *    is used (tfjs bilinear has no half-pixel centres, Keras 3 has);
 *  - DepthwiseConv2D: Keras 3 calls its kernel `kernel`, tfjs (Keras 2) `depthwise_kernel`; the
 *    shape (kh,kw,in,multiplier) is the same;
 *  - BatchNormalization epsilon defaults to 1e-3 in both; center=False / scale=False drop beta /
 *    gamma in both;
 *  - tfjs-layers has no Subtract layer: the builder uses `Subtract` below, a tfjs layer whose
 *    call is tfjs-core's `sub(inputs[0], inputs[1])` — Keras' definition of Subtract.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { analyze } from '../../../src/analysis/analyze';
import { tensor, type Tensor } from '../../../src/engine';
import type { LayerNode, ModelGraph } from '../../../src/model/ir';
import { initialValue, paramSpecs, type ParamSpec } from '../../../src/runtime/init';
import { runModel, type WeightSource } from '../../../src/runtime/forward';
import { expectAllclose } from '../helpers/allclose';
import { rng } from '../helpers/random';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const FIXTURE_DIR = join(REPO, 'test', 'fixtures', 'models', 'keras');
const SEED = 20240611;

/**
 * rtol 1e-4 on each value, plus an absolute floor of 1e-5 × max|expected| of the layer: values
 * near zero (conv outputs, pre-ReLU sums) carry the float32 rounding of the layer's magnitude,
 * not their own. Not widened for any model.
 */
const RTOL = 1e-4;
const ATOL_OF_MAX = 1e-5;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// ---------------------------------------------------------------- tfjs builders (one per fixture)

const L = tfl.layers;
type Sym = tfl.SymbolicTensor;
const ap = (l: tfl.layers.Layer, t: Sym | Sym[]): Sym => l.apply(t) as Sym;

/** textbook_cnn.py: Sequential() + add(), input_shape= on the first layer. */
function textbookCnn(): tfl.LayersModel {
  const model = tfl.sequential();
  model.add(
    L.conv2d({
      name: 'conv2d',
      filters: 32,
      kernelSize: 3,
      activation: 'relu',
      padding: 'same',
      inputShape: [28, 28, 1],
    }),
  );
  model.add(L.maxPooling2d({ name: 'max_pooling2d', poolSize: 2 }));
  model.add(L.conv2d({ name: 'conv2d_1', filters: 64, kernelSize: [3, 3], activation: 'relu', padding: 'same' }));
  model.add(L.maxPooling2d({ name: 'max_pooling2d_1', poolSize: 2 }));
  model.add(L.flatten({ name: 'flatten' }));
  model.add(L.dense({ name: 'dense', units: 100, activation: 'relu' }));
  model.add(L.dropout({ name: 'dropout', rate: 0.4 }));
  model.add(L.dense({ name: 'dense_1', units: 10, activation: 'softmax' }));
  return model;
}

/** mnist_convnet.py: Sequential([keras.Input(shape=(28, 28, 1)), ...]). */
function mnistConvnet(): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      L.inputLayer({ inputShape: [28, 28, 1], name: 'input_layer' }),
      L.conv2d({ name: 'conv2d', filters: 32, kernelSize: [3, 3], activation: 'relu' }),
      L.maxPooling2d({ name: 'max_pooling2d', poolSize: [2, 2] }),
      L.conv2d({ name: 'conv2d_1', filters: 64, kernelSize: [3, 3], activation: 'relu' }),
      L.maxPooling2d({ name: 'max_pooling2d_1', poolSize: [2, 2] }),
      L.flatten({ name: 'flatten' }),
      L.dropout({ name: 'dropout', rate: 0.5 }),
      L.dense({ name: 'dense', units: 10, activation: 'softmax' }),
    ],
  });
}

/** functional_branches.py: two branches, Concatenate + residual Add, pad/pool/transpose/upsample. */
function functionalBranches(): tfl.LayersModel {
  const inputs = tfl.input({ shape: [32, 32, 3], name: 'input_layer' });
  let x = ap(
    L.conv2d({ name: 'conv2d', filters: 32, kernelSize: 3, strides: 2, padding: 'same', useBias: false }),
    inputs,
  );
  x = ap(L.batchNormalization({ name: 'batch_normalization' }), x);
  x = ap(L.reLU({ name: 're_lu' }), x);
  let a = ap(L.conv2d({ name: 'conv2d_1', filters: 16, kernelSize: 1, activation: 'relu' }), x);
  a = ap(
    L.conv2d({ name: 'conv2d_2', filters: 16, kernelSize: 3, padding: 'same', dilationRate: 2, activation: 'relu' }),
    a,
  );
  let b = ap(L.depthwiseConv2d({ name: 'depthwise_conv2d', kernelSize: 3, padding: 'same', depthMultiplier: 2 }), x);
  b = ap(L.conv2d({ name: 'conv2d_3', filters: 16, kernelSize: 1, activation: 'relu' }), b);
  const y = ap(L.concatenate({ name: 'concatenate' }), [a, b]);
  x = ap(L.add({ name: 'add' }), [x, y]);
  x = ap(
    L.zeroPadding2d({
      name: 'zero_padding2d',
      padding: [
        [1, 0],
        [1, 0],
      ],
    }),
    x,
  );
  x = ap(L.averagePooling2d({ name: 'average_pooling2d', poolSize: 3, strides: 2, padding: 'same' }), x);
  x = ap(L.conv2dTranspose({ name: 'conv2d_transpose', filters: 16, kernelSize: 3, strides: 2, padding: 'same' }), x);
  x = ap(L.upSampling2d({ name: 'up_sampling2d', size: [2, 2] }), x); // Keras: UpSampling2D(2), nearest
  x = ap(
    L.conv2d({ name: 'conv2d_4', filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
    x,
  );
  x = ap(L.globalAveragePooling2d({ name: 'global_average_pooling2d' }), x);
  const outputs = ap(L.dense({ name: 'dense', units: 10, activation: 'softmax' }), x);
  return tfl.model({ inputs, outputs });
}

/** loop_blocks.py: Sequential() + add() inside `for filters in [32, 64, 128]`. */
function loopBlocks(): tfl.LayersModel {
  const model = tfl.sequential();
  model.add(L.inputLayer({ inputShape: [64, 64, 3], name: 'input_layer' }));
  [32, 64, 128].forEach((filters, i) => {
    const sfx = i === 0 ? '' : `_${i}`;
    model.add(L.conv2d({ name: `conv2d${sfx}`, filters, kernelSize: 3, padding: 'same', activation: 'relu' }));
    model.add(L.maxPooling2d({ name: `max_pooling2d${sfx}` })); // default pool_size (2, 2)
  });
  model.add(L.globalMaxPooling2d({ name: 'global_max_pooling2d' }));
  model.add(L.dense({ name: 'dense', units: 5 }));
  return model;
}

/** same_stride.py: 'same' padding with strides on even sizes, functional. */
function sameStride(): tfl.LayersModel {
  const inputs = tfl.input({ shape: [32, 32, 3], name: 'input_layer' });
  let x = ap(L.conv2d({ name: 'conv2d', filters: 8, kernelSize: 3, strides: 2, padding: 'same' }), inputs);
  x = ap(L.batchNormalization({ name: 'batch_normalization' }), x);
  x = ap(L.reLU({ name: 're_lu' }), x);
  x = ap(L.averagePooling2d({ name: 'average_pooling2d', poolSize: 3, strides: 2, padding: 'same' }), x);
  x = ap(L.depthwiseConv2d({ name: 'depthwise_conv2d', kernelSize: 3, padding: 'same', depthMultiplier: 2 }), x);
  x = ap(
    L.conv2d({ name: 'conv2d_1', filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
    x,
  );
  x = ap(L.maxPooling2d({ name: 'max_pooling2d', poolSize: 3, strides: 2, padding: 'same' }), x);
  x = ap(
    L.zeroPadding2d({
      name: 'zero_padding2d',
      padding: [
        [1, 0],
        [0, 1],
      ],
    }),
    x,
  );
  x = ap(L.conv2dTranspose({ name: 'conv2d_transpose', filters: 8, kernelSize: 3, strides: 2, padding: 'same' }), x);
  x = ap(L.upSampling2d({ name: 'up_sampling2d', size: [2, 2] }), x); // Keras: UpSampling2D(2), nearest
  x = ap(L.globalAveragePooling2d({ name: 'global_average_pooling2d' }), x);
  const outputs = ap(L.dense({ name: 'dense', units: 5, activation: 'softmax' }), x);
  return tfl.model({ inputs, outputs });
}

/** Keras `Subtract`: inputs[0] − inputs[1], element-wise (tfjs-layers has no such layer). */
class Subtract extends tfl.layers.Layer {
  static readonly className = 'Subtract';
  override computeOutputShape(shapes: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return (shapes as tfl.Shape[])[0]!;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [a, b] = inputs as tf.Tensor[];
    return tf.sub(a!, b!);
  }
}

/** merges.py: three conv branches into every merge layer, class and lower-case forms. */
function merges(): tfl.LayersModel {
  const inputs = tfl.input({ shape: [8, 8, 3], name: 'input_layer' });
  const a = ap(L.conv2d({ name: 'conv_a', filters: 4, kernelSize: 3, padding: 'same' }), inputs);
  const b = ap(L.conv2d({ name: 'conv_b', filters: 4, kernelSize: 3, padding: 'same' }), inputs);
  const c = ap(L.conv2d({ name: 'conv_c', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }), inputs);
  const sub = ap(new Subtract({ name: 'subtract' }), [a, b]);
  const avg = ap(L.average({ name: 'average' }), [a, b]);
  const mx = ap(L.maximum({ name: 'maximum' }), [a, b]);
  const mn = ap(L.minimum({ name: 'minimum' }), [a, b]);
  const mul = ap(L.multiply({ name: 'multiply' }), [a, b]);
  const add = ap(L.add({ name: 'add' }), [a, b]);
  const avg3 = ap(L.average({ name: 'average_3' }), [a, b, c]);
  const max3 = ap(L.maximum({ name: 'maximum_3' }), [a, b, c]);
  const outputs = ap(L.concatenate({ name: 'concat' }), [sub, avg, mx, mn, mul, add, avg3, max3]);
  return tfl.model({ inputs, outputs });
}

/** batchnorm_flags.py: one conv, four BatchNormalization branches (center/scale on and off). */
function batchnormFlags(): tfl.LayersModel {
  const inputs = tfl.input({ shape: [8, 8, 3], name: 'input_layer' });
  const x = ap(L.conv2d({ name: 'conv', filters: 8, kernelSize: 3, padding: 'same' }), inputs);
  const noCenter = ap(L.batchNormalization({ name: 'bn_no_center', center: false }), x);
  const noScale = ap(L.batchNormalization({ name: 'bn_no_scale', scale: false }), x);
  const neither = ap(L.batchNormalization({ name: 'bn_neither', center: false, scale: false }), x);
  const both = ap(L.batchNormalization({ name: 'bn_both' }), x);
  const outputs = ap(L.concatenate({ name: 'concat' }), [noCenter, noScale, neither, both]);
  return tfl.model({ inputs, outputs });
}

/** merge_broadcast.py: a map merged with a 1×1 gate and a 1×8 row (Keras and tfjs broadcast). */
function mergeBroadcast(): tfl.LayersModel {
  const inputs = tfl.input({ shape: [8, 8, 3], name: 'input_layer' });
  const x = ap(L.conv2d({ name: 'conv', filters: 4, kernelSize: 3, padding: 'same' }), inputs);
  const pooled = ap(L.globalAveragePooling2d({ name: 'squeeze' }), x);
  const se = ap(
    L.conv2d({ name: 'gate', filters: 4, kernelSize: 1, activation: 'sigmoid' }),
    ap(L.reshape({ name: 'squeeze_reshape', targetShape: [1, 1, 4] }), pooled),
  );
  const row = ap(L.averagePooling2d({ name: 'row', poolSize: [8, 1] }), x);
  const mul = ap(L.multiply({ name: 'excite' }), [x, se]);
  const add = ap(L.add({ name: 'shift' }), [se, x]);
  const avg = ap(L.average({ name: 'mean' }), [x, se, x]);
  const mx = ap(L.maximum({ name: 'rowmax' }), [x, row]);
  return tfl.model({ inputs, outputs: ap(L.concatenate({ name: 'concat' }), [mul, add, avg, mx]) });
}

const MODELS: { id: string; build: () => tfl.LayersModel }[] = [
  { id: 'textbook_cnn', build: textbookCnn },
  { id: 'mnist_convnet', build: mnistConvnet },
  { id: 'functional_branches', build: functionalBranches },
  { id: 'loop_blocks', build: loopBlocks },
  { id: 'same_stride', build: sameStride },
  { id: 'merges', build: merges },
  { id: 'batchnorm_flags', build: batchnormFlags },
  { id: 'merge_broadcast', build: mergeBroadcast },
];

// ---------------------------------------------------------------- weights

/** Seeded per parameter, so a layer's values do not depend on the other layers. */
function seedOf(key: string): number {
  let h = 2166136261 ^ SEED;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return h >>> 0;
}

function uniformIn(key: string, n: number, lo: number, hi: number): Float32Array {
  const r = rng(seedOf(key));
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * r();
  return a;
}

/** Kernels from our initializer; everything else non-trivial (Keras' defaults are 0 / 1). */
function makeParam(node: LayerNode, p: ParamSpec): Float32Array {
  const n = p.shape.reduce((a, b) => a * b, 1);
  const key = `${node.name}/${p.name}`;
  switch (p.role) {
    case 'kernel':
      return initialValue(p, node, SEED);
    case 'bias':
      return uniformIn(key, n, -0.5, 0.5);
    case 'gamma':
      return uniformIn(key, n, 0.5, 1.5);
    case 'beta':
      return uniformIn(key, n, -0.5, 0.5);
    case 'mean':
      return uniformIn(key, n, -0.5, 0.5);
    case 'variance':
      return uniformIn(key, n, 0.5, 1.5);
    case 'count':
      return new Float32Array(n);
    case 'alpha':
      return uniformIn(key, n, 0.1, 0.4);
  }
}

interface Param {
  spec: ParamSpec;
  data: Float32Array;
}

/** The Keras 3 name of a tfjs weight: tfjs keeps Keras 2's `depthwise_kernel` for DepthwiseConv2D. */
function keras3WeightName(layer: tfl.layers.Layer, tfjsName: string): string {
  return layer.getClassName() === 'DepthwiseConv2D' && tfjsName === 'depthwise_kernel' ? 'kernel' : tfjsName;
}

/** The Keras 3 names of a tfjs layer's weights, in tfjs' order. */
function tfjsWeightNames(layer: tfl.layers.Layer): string[] {
  return layer.weights.map((w) => keras3WeightName(layer, w.originalName.slice(w.originalName.lastIndexOf('/') + 1)));
}

const ROLE_OF: Record<string, ParamSpec['role']> = {
  kernel: 'kernel',
  depthwise_kernel: 'kernel',
  pointwise_kernel: 'kernel',
  bias: 'bias',
  gamma: 'gamma',
  beta: 'beta',
  moving_mean: 'mean',
  moving_variance: 'variance',
};

/**
 * One tensor per weight of every tfjs layer, by layer name then Keras 3 weight name: the name
 * and shape are tfjs-layers', the values generated as described in the header.
 */
function makeWeights(model: tfl.LayersModel, graph: ModelGraph): Map<string, Map<string, Param>> {
  const out = new Map<string, Map<string, Param>>();
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    const node = graph.layers.find((n) => n.name === layer.name);
    if (!node) continue; // reported by the layer-name comparison
    const names = tfjsWeightNames(layer);
    const m = new Map<string, Param>();
    layer.weights.forEach((w, i) => {
      const name = names[i]!;
      const role = ROLE_OF[name];
      expect(role, `${layer.name}: tfjs weight ${w.originalName} of unknown role`).toBeDefined();
      const spec: ParamSpec = { name, shape: [...w.shape] as number[], role: role!, trainable: w.trainable };
      const data = makeParam(node, spec);
      expect(data.length, `${layer.name}/${name}: generated length`).toBe(spec.shape.reduce((a, b) => a * b, 1));
      m.set(name, { spec, data });
    });
    out.set(layer.name, m);
  }
  return out;
}

/** Loads the tensors into the tfjs layers, in each layer's own weight order. */
function loadIntoTfjs(model: tfl.LayersModel, weights: Map<string, Map<string, Param>>): void {
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    const m = weights.get(layer.name);
    if (!m) continue; // reported by the layer-name comparison
    const values = tfjsWeightNames(layer).map((name) => {
      const p = m.get(name)!;
      return tf.tensor(p.data, p.spec.shape, 'float32');
    });
    layer.setWeights(values);
    values.forEach((v) => v.dispose());
  }
}

/** "name [shape]" of each weight, sorted: what a layer owns, for comparing ours with tfjs'. */
function ourParamList(node: LayerNode): string[] | null {
  return (
    paramSpecs(node)
      ?.map((p) => `${p.name} [${p.shape.join(',')}]`)
      .sort() ?? null
  );
}

function tfjsParamList(layer: tfl.layers.Layer): string[] {
  const names = tfjsWeightNames(layer);
  return layer.weights.map((w, i) => `${names[i]} [${w.shape.join(',')}]`).sort();
}

function trainableCount(layer: tfl.layers.Layer): number {
  return layer.trainableWeights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b as number), 1), 0);
}

// ---------------------------------------------------------------- comparison

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** max |actual − expected| / max|expected|: the layer's error relative to its magnitude. */
function relError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < expected.length; i++) d = Math.max(d, Math.abs(actual[i]! - expected[i]!));
  const m = maxAbs(expected);
  return m === 0 ? d : d / m;
}

/** The largest |actual − expected| / (atol + rtol·|expected|): ≤ 1 means within tolerance. */
function toleranceUsed(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol: number): number {
  let m = 0;
  for (let i = 0; i < expected.length; i++)
    m = Math.max(m, Math.abs(actual[i]! - expected[i]!) / (atol + rtol * Math.abs(expected[i]!)));
  return m;
}

interface Outcome {
  rel: number;
  used: number;
  error: string | null;
}

function compare(actual: Tensor, expShape: number[], expected: Float32Array, label: string): Outcome {
  expect(actual.shape, `${label}: shape`).toEqual(expShape);
  const atol = ATOL_OF_MAX * maxAbs(expected);
  let error: string | null = null;
  try {
    expectAllclose(actual.data, expected, { rtol: RTOL, atol }, label);
  } catch (e) {
    error = (e as Error).message;
  }
  return { rel: relError(actual.data, expected), used: toleranceUsed(actual.data, expected, atol, RTOL), error };
}

/** Indices where |actual − expected| > atol + rtol·|expected| (the tolerance of `compare`). */
function outside(actual: ArrayLike<number>, expected: ArrayLike<number>): number[] {
  const atol = ATOL_OF_MAX * maxAbs(expected);
  const out: number[] = [];
  for (let i = 0; i < expected.length; i++)
    if (!(Math.abs(actual[i]! - expected[i]!) <= atol + RTOL * Math.abs(expected[i]!))) out.push(i);
  return out;
}

// ---------------------------------------------------------------- running a fixture on both sides

interface Expected {
  name: string;
  type: string;
  shape: number[];
  data: Float32Array;
}

interface FixtureRun {
  graph: ModelGraph;
  tfLayers: tfl.layers.Layer[];
  /** The layer names tfjs-layers lists in model.layers. */
  listed: string[];
  /** Our output of every layer, by name. */
  ours: Map<string, Tensor>;
  /** tfjs-layers' output of every layer, in tfjs' layer order. */
  expected: Expected[];
}

const runs = new Map<string, FixtureRun>();

/** Analyzes the fixture, runs it on our engine and on tfjs-layers with the same weights and input (once per fixture). */
function fixtureRun(id: string): FixtureRun {
  const done = runs.get(id);
  if (done) return done;
  const build = MODELS.find((m) => m.id === id)!.build;
  const result = analyze(readFileSync(join(FIXTURE_DIR, `${id}.py`), 'utf8'));
  expect(
    result.models.map((m) => m.name),
    `${id}: models found`,
  ).toEqual(['model']);
  const graph = result.models[0]!;
  const inputShape = graph.inputShape as number[];
  expect(
    inputShape.every((d) => typeof d === 'number'),
    `${id}: input shape ${JSON.stringify(graph.inputShape)}`,
  ).toBe(true);

  // the same parameters for both sides: tfjs-layers' weight list, by layer and weight name
  const model = build();
  const weights = makeWeights(model, graph);
  loadIntoTfjs(model, weights);
  const tfLayers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const source: WeightSource = (node, p) => {
    const m = weights.get(node.name);
    const w = m?.get(p.name);
    if (!w)
      throw new Error(
        `${id}: our ${node.name} asks for a weight ${p.name}, which the tfjs-layers layer does not have (it has: ${[...(m?.keys() ?? [])].join(', ') || 'none'})`,
      );
    expect(p.shape, `${node.name}/${p.name}: our shape vs tfjs-layers'`).toEqual(w.spec.shape);
    return w.data;
  };

  // the same seeded input, batch 1
  const shape = [1, ...inputShape];
  const input = uniformIn(
    `${id}/input`,
    shape.reduce((a, b) => a * b, 1),
    -1,
    1,
  );

  const ran = runModel(graph, tensor(shape, input), source);
  const ours = new Map(ran.map((r) => [r.layer.name, r.output] as const));

  const probe = tfl.model({ inputs: model.inputs, outputs: tfLayers.map((l) => l.output as Sym) });
  const x = tf.tensor(input, shape, 'float32');
  const outs = probe.predict(x) as tf.Tensor[];
  const expected = tfLayers.map((l, i) => ({
    name: l.name,
    type: l.getClassName(),
    shape: outs[i]!.shape,
    data: outs[i]!.dataSync() as Float32Array,
  }));
  x.dispose();
  outs.forEach((t) => t.dispose());
  // the probe shares the model's layers: disposing it releases their weights (disposing both throws)
  probe.dispose();

  // as Keras 3's model.layers lists them: a functional model's InputLayer too, never a
  // Sequential's (tfjs-layers lists one for a Sequential given an input shape)
  const listed = (model instanceof tfl.Sequential ? tfLayers : model.layers).map((l) => l.name);
  const run = { graph, tfLayers, listed, ours, expected };
  runs.set(id, run);
  return run;
}

// ---------------------------------------------------------------- the tests

describe('Keras models run by the engine = @tensorflow/tfjs-layers, every layer, rtol 1e-4', () => {
  for (const { id } of MODELS) {
    it(id, () => {
      const { graph, tfLayers, listed, ours, expected } = fixtureRun(id);

      // the same layers, by name, with the same class, owning the same weights
      expect(graph.layers.map((l) => l.name).sort(), `${id}: layer names, ours vs tfjs`).toEqual(listed.sort());
      for (const l of tfLayers) {
        const node = graph.layers.find((n) => n.name === l.name)!;
        expect(node.spec.type, `${id}: ${l.name} class`).toBe(l.getClassName());
        // soft: a wrong weight set or count is reported, and the values are still compared below
        expect
          .soft(ourParamList(node), `${id}: ${l.name} weights (name [shape]), ours vs tfjs-layers'`)
          .toEqual(tfjsParamList(l));
        expect.soft(node.params, `${id}: ${l.name} parameter count`).toBe(l.countParams());
        expect.soft(node.trainableParams, `${id}: ${l.name} trainable parameter count`).toBe(trainableCount(l));
      }

      const stats: string[] = [];
      const failures: string[] = [];
      let worstRel = 0;
      let worstUsed = 0;
      for (const e of expected) {
        const actual = ours.get(e.name);
        expect(actual, `${id}: tfjs layer ${e.name} has no output in our run`).toBeDefined();
        // tolerance: rtol 1e-4, atol 1e-5 · max|expected| of the layer (see RTOL / ATOL_OF_MAX)
        const s = compare(actual!, e.shape, e.data, `${id}: ${e.name} (${e.type})`);
        worstRel = Math.max(worstRel, s.rel);
        worstUsed = Math.max(worstUsed, s.used);
        stats.push(`${e.name} [${e.shape.join(',')}]: rel ${s.rel.toExponential(2)}`);
        if (s.error) failures.push(s.error);
      }
      if (process.env.CONVLENS_FORWARD_REPORT) {
        console.log(
          `${id}: ${expected.length} layers, max rel error ${worstRel.toExponential(2)}, tolerance used ${(100 * worstUsed).toFixed(1)}%\n  ${stats.join('\n  ')}`,
        );
      }
      // every layer reported, not just the first that disagrees
      expect(failures, `${id}: layers outside rtol 1e-4 + atol 1e-5·max|expected|`).toEqual([]);
    });
  }
});

/**
 * One merge layer of merges.py against tfjs-layers, element by element; a failure shows the
 * first differing element with the merge's inputs there (tfjs' outputs of the conv branches).
 */
function expectMergeLayer(layer: string, inputs: string[]): void {
  const { ours, expected } = fixtureRun('merges');
  const e = expected.find((x) => x.name === layer)!;
  const actual = ours.get(layer);
  expect(actual, `merges: ${layer} has no output in our run`).toBeDefined();
  expect(actual!.shape, `merges: ${layer} shape`).toEqual(e.shape);
  const bad = outside(actual!.data, e.data);
  const i = bad[0];
  const at =
    i === undefined
      ? ''
      : `; first at index ${i}: ours ${actual!.data[i]}, tfjs-layers ${e.data[i]}, with ${inputs.map((n) => `${n} = ${expected.find((x) => x.name === n)!.data[i]}`).join(', ')}`;
  expect(
    bad.length,
    `merges: ${layer} (${e.type}) elements outside rtol 1e-4 + atol 1e-5·max|expected|, of ${e.data.length}${at}`,
  ).toBe(0);
}

describe('Keras merge layers (merges.py) run by the engine = tfjs-layers, per element', () => {
  it('Subtract()([conv_a, conv_b]): conv_a − conv_b on 8×8×4, per element vs tfjs-layers', () =>
    expectMergeLayer('subtract', ['conv_a', 'conv_b']));
  it('layers.average([conv_a, conv_b]): (conv_a + conv_b) / 2 on 8×8×4, per element vs tfjs-layers', () =>
    expectMergeLayer('average', ['conv_a', 'conv_b']));
  it('Maximum()([conv_a, conv_b]): max(conv_a, conv_b) on 8×8×4, per element vs tfjs-layers', () =>
    expectMergeLayer('maximum', ['conv_a', 'conv_b']));
  it('layers.minimum([conv_a, conv_b]): min(conv_a, conv_b) on 8×8×4, per element vs tfjs-layers', () =>
    expectMergeLayer('minimum', ['conv_a', 'conv_b']));
  it('Multiply()([conv_a, conv_b]): conv_a · conv_b on 8×8×4, per element vs tfjs-layers', () =>
    expectMergeLayer('multiply', ['conv_a', 'conv_b']));
  it('layers.add([conv_a, conv_b]): conv_a + conv_b on 8×8×4, per element vs tfjs-layers', () =>
    expectMergeLayer('add', ['conv_a', 'conv_b']));
  it('Average()([conv_a, conv_b, conv_c]): mean of three inputs on 8×8×4, per element vs tfjs-layers', () =>
    expectMergeLayer('average_3', ['conv_a', 'conv_b', 'conv_c']));
  it('layers.maximum([conv_a, conv_b, conv_c]): max of three inputs on 8×8×4, per element vs tfjs-layers', () =>
    expectMergeLayer('maximum_3', ['conv_a', 'conv_b', 'conv_c']));
});

/**
 * One BatchNormalization of batchnorm_flags.py against tfjs-layers: the weights our layer reads
 * must be the ones the tfjs layer has (reported, then the values are compared anyway), and its
 * output must equal tfjs' element by element.
 */
function expectBatchNormLayer(layer: string): void {
  const { graph, tfLayers, ours, expected } = fixtureRun('batchnorm_flags');
  const node = graph.layers.find((n) => n.name === layer)!;
  const l = tfLayers.find((x) => x.name === layer)!;
  expect
    .soft(ourParamList(node), `batchnorm_flags: ${layer} weights our engine reads vs the tfjs-layers layer's weights`)
    .toEqual(tfjsParamList(l));
  const e = expected.find((x) => x.name === layer)!;
  const actual = ours.get(layer);
  expect(actual, `batchnorm_flags: ${layer} has no output in our run`).toBeDefined();
  expect(actual!.shape, `batchnorm_flags: ${layer} shape`).toEqual(e.shape);
  const bad = outside(actual!.data, e.data);
  const i = bad[0];
  const at = i === undefined ? '' : `; first at index ${i}: ours ${actual!.data[i]}, tfjs-layers ${e.data[i]}`;
  expect(
    bad.length,
    `batchnorm_flags: ${layer} elements outside rtol 1e-4 + atol 1e-5·max|expected|, of ${e.data.length}${at}`,
  ).toBe(0);
}

describe('Keras BatchNormalization center=/scale= (batchnorm_flags.py) run by the engine = tfjs-layers, per element', () => {
  it('BatchNormalization(center=False) on 8×8×8: γ·(x − mean)/√(var + ε), no β, per element vs tfjs-layers', () =>
    expectBatchNormLayer('bn_no_center'));
  it('BatchNormalization(scale=False) on 8×8×8: (x − mean)/√(var + ε) + β, no γ, per element vs tfjs-layers', () =>
    expectBatchNormLayer('bn_no_scale'));
  it('BatchNormalization(center=False, scale=False) on 8×8×8: (x − mean)/√(var + ε), per element vs tfjs-layers', () =>
    expectBatchNormLayer('bn_neither'));
  it('BatchNormalization() on 8×8×8: γ·(x − mean)/√(var + ε) + β, per element vs tfjs-layers', () =>
    expectBatchNormLayer('bn_both'));
});
