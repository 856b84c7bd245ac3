/**
 * Keras oracle for the model fixtures in test/fixtures/models/keras/*.py.
 *
 * Run:
 *     npx tsx scripts/gen-keras-oracle.ts
 *
 * Python/TensorFlow are not available on the dev container, so the "truth" for each fixture
 * comes from @tensorflow/tfjs-layers, the TypeScript port of Keras: for every .py file this
 * script builds the SAME architecture by hand with tfjs-layers (one builder function per file,
 * written to mirror the Python statement by statement) and writes
 * test/fixtures/models/keras/<file>.oracle.json:
 *
 *   { "file": "textbook_cnn.py", "generator": "scripts/gen-keras-oracle.ts",
 *     "oracle": "@tensorflow/tfjs-layers 4.22.0",
 *     "models": [ { "name": "model", "framework": "keras", "inputShape": [28, 28, 1],
 *                   "layers": [ { "name", "type", "outputShape", "params" }, ... ],
 *                   "totalParams": 333526 } ] }
 *
 * What each field means, and the rules behind it:
 *
 *  - models[].name: the Python variable the model object is assigned to (`model = ...`); for a
 *    subclassed model, the class name (`SmallNet`). This is NOT the Keras model name
 *    ("sequential", "functional", "vgg16", "small_net").
 *
 *  - inputShape: the model input shape without the batch dimension.
 *
 *  - layers: every layer of the model in source order (a functional model's InputLayer first, as
 *    Keras' model.layers lists it; a Sequential model lists none), i.e. the order in
 *    which the layers are applied when the Python file runs (for Sequential models: the order
 *    they are added; for the functional model: the order of the `layer(...)(x)` lines; for the
 *    subclassed model: the order of `call`, which is also the `__init__` order). For a
 *    branching functional model Keras' own `model.layers` is sorted by graph depth and may
 *    interleave branches, so consumers should compare functional models by layer name.
 *
 *  - layers[].type: the Keras 3 class name (Conv2D, MaxPooling2D, Dense, ...). tfjs-layers
 *    registers its classes under the same names; the script asserts `getClassName()` equals
 *    the class the Python code instantiates.
 *
 *  - layers[].outputShape: tfjs `layer.outputShape` with the batch dimension (null) dropped.
 *    tfjs computes these with the same formulas as Keras 3 (channels-last): 'valid' →
 *    floor((in − (k−1)·d − 1)/s) + 1, 'same' → ceil(in/s), Conv2DTranspose 'same' → in·s, …
 *
 *  - layers[].params: tfjs `layer.countParams()`, which counts ALL weights, trainable or not —
 *    the number Keras' `model.summary()` prints in its "Param #" column. BatchNormalization
 *    therefore counts 4·C (gamma, beta, moving_mean, moving_variance), as Keras does.
 *
 *  - totalParams: the sum of layers[].params (checked against tfjs `model.countParams()`), or
 *    null when Keras raises while building the model (then `error` says why; see below).
 *
 *  - layers[].name: the name REAL Keras 3 gives the layer — never tfjs' own auto-name (tfjs
 *    would say e.g. "conv2d_Conv2D1"). Keras 3 (keras/src/utils/naming.py) names a layer:
 *      1. the explicit `name=` argument if one is passed (used verbatim, and it does not
 *         touch any counter), else
 *      2. auto_name(class name) = uniquify(to_snake_case(class name)), where
 *           to_snake_case(n):  n = re.sub(r"\W+", "", n)
 *                              n = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", n)
 *                              n = re.sub("([a-z])([A-Z])", r"\1_\2", n).lower()
 *         so Conv2D → conv2d, MaxPooling2D → max_pooling2d, BatchNormalization →
 *         batch_normalization, DepthwiseConv2D → depthwise_conv2d, Conv2DTranspose →
 *         conv2d_transpose, GlobalAveragePooling2D → global_average_pooling2d, UpSampling2D →
 *         up_sampling2d, ZeroPadding2D → zero_padding2d, ReLU → re_lu, InputLayer →
 *         input_layer. (tfjs' own toSnakeCase uses [a-z0-9]+ in the first pattern; this script
 *         implements the Keras one.)
 *           uniquify(p): the first object with prefix p is called "p", later ones "p_1", "p_2",
 *         … The counters live in Keras' global state: ONE dictionary per Python process, shared
 *         by all models built in it, advanced in execution order, and (unlike Keras 2) the
 *         first object gets no suffix. Each fixture file is a separate process, so counters
 *         start fresh per file.
 *    A name is taken when the layer OBJECT is constructed (the `layers.Conv2D(...)` call), not
 *    when it is applied. Input layers are not listed, but they do consume names: `keras.Input`
 *    / `layers.Input` creates an InputLayer named input_layer, input_layer_1, …, and so does
 *    Sequential.add() for a first layer that carries `input_shape=`. Models consume names too
 *    (sequential, functional, small_net, …) — a different prefix from every layer here, so it
 *    never shifts a layer's number, but the script still takes them for fidelity.
 *    The builders below call `names.take(...)` in exactly the Python execution order and pass
 *    the result to tfjs as `name`, so the tfjs layer carries the Keras 3 name.
 *
 *  - error (only on a model Keras cannot build): Keras 3 raises while building the model
 *    (Sequential.add rebuilds the model after every add once it has an input, so the raising
 *    statement is the `model.add(...)` of the failing layer; `line` is its 1-based line). For
 *    'valid' convolutions Keras 3's compute_conv_output_shape computes
 *    floor((in − (k−1)·d − 1)/s) + 1 per spatial axis and raises
 *      ValueError: Computed output size would be negative. Received `inputs shape=…`,
 *      `kernel shape=…`, `dilation_rate=…`.
 *    only when that size is NEGATIVE (a size of exactly 0 slips through at build time).
 *    With traceback filtering on (the default) Keras re-raises it prefixed by
 *    "Exception encountered when calling Conv2D.call()." — `message` holds the core text.
 *    `layers` then lists only the layers that were built before the failure (their shapes
 *    are from tfjs), and totalParams is null.
 *
 * tfjs-layers vs Keras 3 differences worked around here:
 *  - auto-names (see above): tfjs appends a per-class uid to every name ("dense_Dense1"); we
 *    always pass the Keras 3 name explicitly.
 *  - UpSampling2D: Keras accepts `UpSampling2D(2)`; tfjs' `size` must be an array ([2, 2]) —
 *    a bare number silently yields NaN dimensions.
 *  - ZeroPadding2D: tfjs takes the same ((top, bottom), (left, right)) form, as arrays.
 *  - Subclassed models: tfjs-layers has no `keras.Model` subclassing with `call()`; the
 *    layers are created in `__init__` order (which fixes their names) and chained in `call`
 *    order in a tfjs Sequential, which is the same graph for a straight-line `call`.
 *  - `input_shape=` on the first Sequential layer maps to tfjs `inputShape`; tfjs then makes
 *    its own (unlisted) input layer, while Keras 3 makes an InputLayer named input_layer —
 *    the script takes that name at the point Keras does.
 *  - A 'valid' kernel larger than its input: Keras 3 raises; tfjs-layers does not raise when
 *    the layer is applied symbolically (it reports a non-positive output shape). The script
 *    checks that tfjs' computed size agrees with Keras' formula, and records Keras' error.
 *  - tfjs needs `kernelSize` for every conv and `poolSize` defaults to [2, 2] like Keras;
 *    all other defaults used by the fixtures (padding 'valid', strides 1 / = pool size,
 *    use_bias true, depth_multiplier 1, Concatenate axis −1) are the same as Keras 3.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';

type Layer = tfl.layers.Layer;
type SymbolicTensor = tfl.SymbolicTensor;

const GENERATOR = 'scripts/gen-keras-oracle.ts';
const ORACLE = `@tensorflow/tfjs-layers ${tfl.version_layers}`;
const FIXTURE_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'test/fixtures/models/keras');

// ---------------------------------------------------------------- Keras 3 naming

/** keras/src/utils/naming.py `to_snake_case` (Python `re` semantics; identical in JS here). */
export function kerasSnakeCase(className: string): string {
  let n = className.replace(/\W+/g, '');
  n = n.replace(/(.)([A-Z][a-z]+)/g, '$1_$2');
  n = n.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  return n;
}

/** Keras 3's global name counters for one Python process (= one fixture file). */
class KerasNames {
  private readonly uids = new Map<string, number>();

  /** The name Keras 3 gives an object of class `className` constructed now. */
  take(className: string, explicit?: string): string {
    if (explicit !== undefined) return explicit;
    const prefix = kerasSnakeCase(className);
    const n = this.uids.get(prefix);
    this.uids.set(prefix, (n ?? 0) + 1);
    return n === undefined ? prefix : `${prefix}_${n}`;
  }
}

// ---------------------------------------------------------------- recording one model

interface LayerEntry {
  name: string;
  type: string;
  outputShape: number[];
  params: number;
}

interface ErrorEntry {
  layer: string;
  type: string;
  index: number;
  line: number;
  exception: string;
  message: string;
  inputShape: number[];
  kernelSize: number[];
  strides: number[];
  dilationRate: number[];
  padding: string;
  computedOutputShape: number[];
}

interface ModelEntry {
  name: string;
  framework: 'keras';
  inputShape: number[];
  layers: LayerEntry[];
  totalParams: number | null;
  error?: ErrorEntry;
}

/** One fixture file = one Python process: a name counter plus the layers in source order. */
class Session {
  readonly names = new KerasNames();
  readonly listed: Layer[] = [];

  /** `keras.layers.<cls>(..., name=explicit)`: takes the Keras name, builds the tfjs layer. */
  layer<T extends Layer>(cls: string, make: (name: string) => T, explicit?: string): T {
    const layer = make(this.names.take(cls, explicit));
    if (layer.getClassName() !== cls) {
      throw new Error(`tfjs built a ${layer.getClassName()} where the Python code has ${cls}`);
    }
    this.listed.push(layer);
    return layer;
  }

  /** `keras.Input(shape=...)` used in the functional API. */
  input(shape: number[]): SymbolicTensor {
    const t = tfl.input({ shape, name: this.names.take('InputLayer') });
    this.listed.push(t.sourceLayer as Layer);
    return t;
  }

  /** `keras.Input(shape=...)` as the first element of / first add() to a Sequential. */
  inputLayer(shape: number[]): Layer {
    return tfl.layers.inputLayer({ inputShape: shape, name: this.names.take('InputLayer') });
  }

  /** The implicit InputLayer Sequential.add() makes for a first layer with `input_shape=`. */
  implicitInputLayer(): void {
    this.names.take('InputLayer');
  }

  /** A model object (Sequential, Functional, a Model subclass): takes a name, is not listed. */
  modelName(cls: string, explicit?: string): string {
    return this.names.take(cls, explicit);
  }

  entries(): LayerEntry[] {
    return this.listed.map((layer) => {
      const shape = layer.outputShape;
      if (shape.length === 0 || Array.isArray(shape[0])) {
        throw new Error(`${layer.name}: expected a single output shape, got ${JSON.stringify(shape)}`);
      }
      const [batch, ...rest] = shape as (number | null)[];
      if (batch !== null || rest.some((d) => typeof d !== 'number' || !(d > 0))) {
        throw new Error(`${layer.name}: unexpected output shape ${JSON.stringify(shape)}`);
      }
      return {
        name: layer.name,
        type: layer.getClassName(),
        outputShape: rest as number[],
        params: layer.countParams(),
      };
    });
  }
}

function modelEntry(name: string, inputShape: number[], s: Session, tfModel: tfl.LayersModel): ModelEntry {
  const layers = s.entries();
  const totalParams = layers.reduce((acc, l) => acc + l.params, 0);
  if (totalParams !== tfModel.countParams()) {
    throw new Error(`${name}: listed layers sum to ${totalParams}, tfjs model has ${tfModel.countParams()}`);
  }
  const names = new Set(layers.map((l) => l.name));
  if (names.size !== layers.length) throw new Error(`${name}: duplicate layer names`);
  return { name, framework: 'keras', inputShape, layers, totalParams };
}

/** 1-based number of the single line of `file` that contains `needle`. */
function lineOf(file: string, needle: string): number {
  const lines = fs.readFileSync(path.join(FIXTURE_DIR, file), 'utf8').split('\n');
  const hits = lines.flatMap((l, i) => (l.includes(needle) ? [i + 1] : []));
  if (hits.length !== 1) throw new Error(`${file}: expected one line containing ${needle}, found ${hits.length}`);
  return hits[0]!;
}

// ---------------------------------------------------------------- one builder per fixture

const L = tfl.layers;

/** textbook_cnn.py — 혼자 공부하는 머신러닝+딥러닝 8-2: Sequential() + add(), input_shape= on the first layer. */
function textbookCnn(): ModelEntry[] {
  const s = new Session();
  s.modelName('Sequential'); // model = keras.Sequential()
  const model = tfl.sequential();
  // model.add(keras.layers.Conv2D(32, kernel_size=3, activation='relu', padding='same', input_shape=(28,28,1)))
  model.add(
    s.layer('Conv2D', (name) =>
      L.conv2d({ name, filters: 32, kernelSize: 3, activation: 'relu', padding: 'same', inputShape: [28, 28, 1] }),
    ),
  );
  s.implicitInputLayer(); // ...which Sequential.add turns into an InputLayer
  model.add(s.layer('MaxPooling2D', (name) => L.maxPooling2d({ name, poolSize: 2 })));
  model.add(
    s.layer('Conv2D', (name) =>
      L.conv2d({ name, filters: 64, kernelSize: [3, 3], activation: 'relu', padding: 'same' }),
    ),
  );
  model.add(s.layer('MaxPooling2D', (name) => L.maxPooling2d({ name, poolSize: 2 })));
  model.add(s.layer('Flatten', (name) => L.flatten({ name })));
  model.add(s.layer('Dense', (name) => L.dense({ name, units: 100, activation: 'relu' })));
  model.add(s.layer('Dropout', (name) => L.dropout({ name, rate: 0.4 })));
  model.add(s.layer('Dense', (name) => L.dense({ name, units: 10, activation: 'softmax' })));
  return [modelEntry('model', [28, 28, 1], s, model)];
}

/** mnist_convnet.py — keras.io "Simple MNIST convnet": Sequential([...]) with keras.Input first. */
function mnistConvnet(): ModelEntry[] {
  const s = new Session();
  const numClasses = 10;
  const inputShape = [28, 28, 1];
  // The list literal is evaluated (all layers constructed) before keras.Sequential(...) runs.
  const layers: Layer[] = [
    s.inputLayer(inputShape),
    s.layer('Conv2D', (name) => L.conv2d({ name, filters: 32, kernelSize: [3, 3], activation: 'relu' })),
    s.layer('MaxPooling2D', (name) => L.maxPooling2d({ name, poolSize: [2, 2] })),
    s.layer('Conv2D', (name) => L.conv2d({ name, filters: 64, kernelSize: [3, 3], activation: 'relu' })),
    s.layer('MaxPooling2D', (name) => L.maxPooling2d({ name, poolSize: [2, 2] })),
    s.layer('Flatten', (name) => L.flatten({ name })),
    s.layer('Dropout', (name) => L.dropout({ name, rate: 0.5 })),
    s.layer('Dense', (name) => L.dense({ name, units: numClasses, activation: 'softmax' })),
  ];
  const model = tfl.sequential({ name: s.modelName('Sequential'), layers });
  return [modelEntry('model', inputShape, s, model)];
}

/** vgg16.py — keras.applications.VGG16(include_top=True) written out with explicit names. */
function vgg16(): ModelEntry[] {
  const s = new Session();
  const classes = 1000;
  const inputs = s.input([224, 224, 3]);
  let x: SymbolicTensor = inputs;
  const blocks: [number, number][] = [
    [64, 2],
    [128, 2],
    [256, 3],
    [512, 3],
    [512, 3],
  ];
  blocks.forEach(([filters, convs], b) => {
    for (let c = 1; c <= convs; c++) {
      x = s
        .layer(
          'Conv2D',
          (name) => L.conv2d({ name, filters, kernelSize: [3, 3], activation: 'relu', padding: 'same' }),
          `block${b + 1}_conv${c}`,
        )
        .apply(x) as SymbolicTensor;
    }
    x = s
      .layer(
        'MaxPooling2D',
        (name) => L.maxPooling2d({ name, poolSize: [2, 2], strides: [2, 2] }),
        `block${b + 1}_pool`,
      )
      .apply(x) as SymbolicTensor;
  });
  x = s.layer('Flatten', (name) => L.flatten({ name }), 'flatten').apply(x) as SymbolicTensor;
  x = s.layer('Dense', (name) => L.dense({ name, units: 4096, activation: 'relu' }), 'fc1').apply(x) as SymbolicTensor;
  x = s.layer('Dense', (name) => L.dense({ name, units: 4096, activation: 'relu' }), 'fc2').apply(x) as SymbolicTensor;
  x = s
    .layer('Dense', (name) => L.dense({ name, units: classes, activation: 'softmax' }), 'predictions')
    .apply(x) as SymbolicTensor;
  const model = tfl.model({ inputs, outputs: x, name: s.modelName('Functional', 'vgg16') });
  return [modelEntry('model', [224, 224, 3], s, model)];
}

/** functional_branches.py — two branches, Concatenate + residual Add, pad/pool/transpose/upsample. */
function functionalBranches(): ModelEntry[] {
  const s = new Session();
  const NUM_CLASSES = 10;
  const ap = (l: Layer, t: SymbolicTensor | SymbolicTensor[]): SymbolicTensor => l.apply(t) as SymbolicTensor;
  const inputs = s.input([32, 32, 3]);
  let x = ap(
    s.layer('Conv2D', (name) =>
      L.conv2d({ name, filters: 32, kernelSize: 3, strides: 2, padding: 'same', useBias: false }),
    ),
    inputs,
  );
  x = ap(
    s.layer('BatchNormalization', (name) => L.batchNormalization({ name })),
    x,
  );
  x = ap(
    s.layer('ReLU', (name) => L.reLU({ name })),
    x,
  );
  let a = ap(
    s.layer('Conv2D', (name) => L.conv2d({ name, filters: 16, kernelSize: 1, activation: 'relu' })),
    x,
  );
  a = ap(
    s.layer('Conv2D', (name) =>
      L.conv2d({ name, filters: 16, kernelSize: 3, padding: 'same', dilationRate: 2, activation: 'relu' }),
    ),
    a,
  );
  let b = ap(
    s.layer('DepthwiseConv2D', (name) =>
      L.depthwiseConv2d({ name, kernelSize: 3, padding: 'same', depthMultiplier: 2 }),
    ),
    x,
  );
  b = ap(
    s.layer('Conv2D', (name) => L.conv2d({ name, filters: 16, kernelSize: 1, activation: 'relu' })),
    b,
  );
  const y = ap(
    s.layer('Concatenate', (name) => L.concatenate({ name })),
    [a, b],
  );
  x = ap(
    s.layer('Add', (name) => L.add({ name })),
    [x, y],
  );
  x = ap(
    s.layer('ZeroPadding2D', (name) =>
      L.zeroPadding2d({
        name,
        padding: [
          [1, 0],
          [1, 0],
        ],
      }),
    ),
    x,
  );
  x = ap(
    s.layer('AveragePooling2D', (name) => L.averagePooling2d({ name, poolSize: 3, strides: 2, padding: 'same' })),
    x,
  );
  x = ap(
    s.layer('Conv2DTranspose', (name) =>
      L.conv2dTranspose({ name, filters: 16, kernelSize: 3, strides: 2, padding: 'same' }),
    ),
    x,
  );
  x = ap(
    s.layer('UpSampling2D', (name) => L.upSampling2d({ name, size: [2, 2] })),
    x,
  ); // Keras: UpSampling2D(2)
  x = ap(
    s.layer('Conv2D', (name) =>
      L.conv2d({ name, filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
    ),
    x,
  );
  x = ap(
    s.layer('GlobalAveragePooling2D', (name) => L.globalAveragePooling2d({ name })),
    x,
  );
  const outputs = ap(
    s.layer('Dense', (name) => L.dense({ name, units: NUM_CLASSES, activation: 'softmax' })),
    x,
  );
  const model = tfl.model({ inputs, outputs, name: s.modelName('Functional') });
  return [modelEntry('model', [32, 32, 3], s, model)];
}

/** loop_blocks.py — Sequential() + add() inside `for filters in [32, 64, 128]`. */
function loopBlocks(): ModelEntry[] {
  const s = new Session();
  const numClasses = 5;
  const model = tfl.sequential({ name: s.modelName('Sequential') });
  model.add(s.inputLayer([64, 64, 3]));
  for (const filters of [32, 64, 128]) {
    model.add(
      s.layer('Conv2D', (name) => L.conv2d({ name, filters, kernelSize: 3, padding: 'same', activation: 'relu' })),
    );
    model.add(s.layer('MaxPooling2D', (name) => L.maxPooling2d({ name }))); // default pool_size (2, 2)
  }
  model.add(s.layer('GlobalMaxPooling2D', (name) => L.globalMaxPooling2d({ name })));
  model.add(s.layer('Dense', (name) => L.dense({ name, units: numClasses })));
  return [modelEntry('model', [64, 64, 3], s, model)];
}

/** subclassed.py — class SmallNet(keras.Model); model = SmallNet(); model.build((None, 28, 28, 1)). */
function subclassed(): ModelEntry[] {
  const s = new Session();
  const numClasses = 10;
  // SmallNet() → keras.Model.__init__ names the model, then __init__ creates the layers in order.
  s.modelName('SmallNet');
  const conv1 = s.layer('Conv2D', (name) => L.conv2d({ name, filters: 32, kernelSize: 3, activation: 'relu' }));
  const pool1 = s.layer('MaxPooling2D', (name) => L.maxPooling2d({ name }));
  const conv2 = s.layer('Conv2D', (name) => L.conv2d({ name, filters: 64, kernelSize: 3, activation: 'relu' }));
  const pool2 = s.layer('MaxPooling2D', (name) => L.maxPooling2d({ name }));
  const flatten = s.layer('Flatten', (name) => L.flatten({ name }));
  const hidden = s.layer('Dense', (name) => L.dense({ name, units: 64, activation: 'relu' }));
  const classifier = s.layer('Dense', (name) => L.dense({ name, units: numClasses, activation: 'softmax' }));
  // model.build((None, 28, 28, 1)) runs call(): the layers chained in call() order. The input
  // placeholder here is tfjs-only (Keras makes no InputLayer for a subclassed model), so it
  // gets a name outside Keras' counters.
  const model = tfl.sequential({
    layers: [
      L.inputLayer({ inputShape: [28, 28, 1], name: 'tfjs_build_input' }),
      conv1,
      pool1,
      conv2,
      pool2,
      flatten,
      hidden,
      classifier,
    ],
  });
  return [modelEntry('SmallNet', [28, 28, 1], s, model)];
}

/** shape_error.py — the 5×5 Conv2D after the second pooling meets a 3×3 map: Keras raises. */
function shapeError(): ModelEntry[] {
  const file = 'shape_error.py';
  const s = new Session();
  const model = tfl.sequential({ name: s.modelName('Sequential') });
  model.add(s.inputLayer([28, 28, 1]));
  model.add(s.layer('Conv2D', (name) => L.conv2d({ name, filters: 32, kernelSize: 3, activation: 'relu' })));
  model.add(s.layer('MaxPooling2D', (name) => L.maxPooling2d({ name, poolSize: 2 })));
  model.add(s.layer('Conv2D', (name) => L.conv2d({ name, filters: 64, kernelSize: 3, activation: 'relu' })));
  model.add(s.layer('Conv2D', (name) => L.conv2d({ name, filters: 64, kernelSize: 3, activation: 'relu' })));
  model.add(s.layer('Conv2D', (name) => L.conv2d({ name, filters: 64, kernelSize: 3, activation: 'relu' })));
  model.add(s.layer('MaxPooling2D', (name) => L.maxPooling2d({ name, poolSize: 2 })));
  const entry = modelEntry('model', [28, 28, 1], s, model);
  const index = entry.layers.length;
  const inShape = entry.layers[index - 1]!.outputShape; // [3, 3, 64]

  // model.add(Conv2D(16, 5, activation="relu")): the layer object is constructed (and named)
  // before add() raises; Flatten/Dense on the following lines never run.
  const filters = 16;
  const k: [number, number] = [5, 5];
  const strides: [number, number] = [1, 1];
  const dil: [number, number] = [1, 1];
  const failName = s.names.take('Conv2D');
  // Keras 3 compute_conv_output_shape, 'valid': floor((in - d·(k-1) - 1) / s) + 1 per axis.
  const computed = [0, 1].map((i) => Math.floor((inShape[i]! - dil[i]! * (k[i]! - 1) - 1) / strides[i]!) + 1);
  if (!computed.every((d) => d < 0)) throw new Error(`${file}: expected a negative size, got ${computed}`);
  // tfjs as a cross-check: applying the same conv symbolically does not raise in tfjs-layers,
  // but its output shape must be the same non-positive size.
  const probe = L.conv2d({
    name: `${failName}_tfjs_probe`,
    filters,
    kernelSize: k,
    strides,
    dilationRate: dil,
    activation: 'relu',
  });
  let tfjsShape: unknown;
  try {
    tfjsShape = (probe.apply(model.outputs[0]!) as SymbolicTensor).shape;
  } catch (e) {
    tfjsShape = `throws: ${(e as Error).message}`;
  }
  const okTfjs = Array.isArray(tfjsShape) && tfjsShape[1] === computed[0] && tfjsShape[2] === computed[1];
  if (!okTfjs)
    throw new Error(
      `${file}: tfjs gives ${JSON.stringify(tfjsShape)} for the failing Conv2D, Keras' formula ${computed}`,
    );

  const fmtTuple = (xs: (number | null)[]): string =>
    `(${xs.map((v) => (v === null ? 'None' : String(v))).join(', ')})`;
  entry.totalParams = null;
  entry.error = {
    layer: failName,
    type: 'Conv2D',
    index,
    line: lineOf(file, 'model.add(Conv2D(16, 5'),
    exception: 'ValueError',
    message:
      'Computed output size would be negative. Received ' +
      `\`inputs shape=${fmtTuple([null, ...inShape])}\`, ` +
      `\`kernel shape=${fmtTuple([...k, inShape[2]!, filters])}\`, ` +
      `\`dilation_rate=[${dil.join(' ')}]\`.`,
    inputShape: inShape,
    kernelSize: k,
    strides,
    dilationRate: dil,
    padding: 'valid',
    computedOutputShape: [...computed, filters],
  };
  return [entry];
}

// ---------------------------------------------------------------- driver

const FIXTURES: { file: string; build: () => ModelEntry[]; expectTotals: (number | null)[] }[] = [
  { file: 'textbook_cnn.py', build: textbookCnn, expectTotals: [333_526] },
  { file: 'mnist_convnet.py', build: mnistConvnet, expectTotals: [34_826] },
  { file: 'vgg16.py', build: vgg16, expectTotals: [138_357_544] },
  { file: 'functional_branches.py', build: functionalBranches, expectTotals: [15_114] },
  { file: 'loop_blocks.py', build: loopBlocks, expectTotals: [93_893] },
  { file: 'subclassed.py', build: subclassed, expectTotals: [121_930] },
  { file: 'shape_error.py', build: shapeError, expectTotals: [null] },
];

/** JSON with small objects and number arrays on one line (one layer per line). */
function formatJson(value: unknown, indent = ''): string {
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) return JSON.stringify(value).replace(/,/g, ', ');
    return `[\n${value.map((v) => inner + formatJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    const flat = entries.every(
      ([, v]) =>
        v === null ||
        typeof v !== 'object' ||
        (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object')),
    );
    const oneLine = `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${formatJson(v)}`).join(', ')} }`;
    if (flat && indent.length + oneLine.length <= 120) return oneLine;
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
  for (const { file, build, expectTotals } of FIXTURES) {
    if (!fs.existsSync(path.join(FIXTURE_DIR, file))) throw new Error(`missing fixture ${file}`);
    const models = build();
    const totals = models.map((m) => m.totalParams);
    if (JSON.stringify(totals) !== JSON.stringify(expectTotals)) {
      throw new Error(`${file}: totalParams ${JSON.stringify(totals)}, expected ${JSON.stringify(expectTotals)}`);
    }
    const out = { file, generator: GENERATOR, oracle: ORACLE, models };
    const outPath = path.join(FIXTURE_DIR, `${file}.oracle.json`);
    fs.writeFileSync(outPath, formatJson(out) + '\n');
    for (const m of models) {
      console.log(
        `${file}: ${m.name} — ${m.layers.length} layers, totalParams ${m.totalParams}${m.error ? `, error at ${m.error.layer} (line ${m.error.line})` : ''}`,
      );
    }
    tf.disposeVariables();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
