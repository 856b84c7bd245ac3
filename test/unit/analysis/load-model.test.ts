/**
 * `keras.models.load_model('x.keras')` in source: the model file (test/fixtures/modelfiles/keras,
 * saved by Keras 3) is read as Keras code, so the call's value is the model, with its layers,
 * shapes and the file its weights come from; `model.load_weights('…')` names the weights file.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { pathResolver } from '../../../src/analysis/resolver';
import { sourceFiles } from '../../../src/io/sourceFiles';
import { diagnosticMessage } from '../../../src/model/diagnostics';
import { kerasModelSource } from '../../../src/modelfile';
import { hoverMarkdown } from '../../../src/present/hover';
import { layerAt } from '../../../src/present/notation';

const DIR = resolve('test/fixtures/modelfiles/keras').replace(/\\/g, '/');

function run(source: string, file = `${DIR}/train.py`) {
  return analyze(source, { resolver: pathResolver(file, [], sourceFiles, kerasModelSource) });
}

describe('load_model in source', () => {
  it('keras.models.load_model gives the model the file holds, its weights from that file', () => {
    const src = "import keras\nmodel = keras.models.load_model('textbook_cnn.keras')\nmodel.summary()\n";
    const r = run(src);
    expect(r.models).toHaveLength(1);
    const g = r.models[0]!;
    expect(g.layers.map((l) => l.name)).toEqual([
      'conv2d',
      'max_pooling2d',
      'conv2d_1',
      'max_pooling2d_1',
      'flatten',
      'dense',
      'dropout',
      'dense_1',
    ]);
    expect(g.layers[5]!.outputShape).toEqual([{ sym: 'None' }, 100]);
    expect(g.totalParams).toBe(333526);
    const call = src.indexOf('keras.models.load_model');
    expect(g.weightsFile).toEqual({
      path: `${DIR}/textbook_cnn.keras`,
      range: { from: call, to: src.indexOf('\nmodel.summary') },
    });
    // the layers are shown at the call that loaded them
    expect(g.layers.every((l) => l.spec.file === `${DIR}/textbook_cnn.keras`)).toBe(true);
    expect(r.diagnostics).toEqual([]);
  });

  it('tf.keras.models.load_model and keras.saving.load_model, a legacy .h5 and a functional model', () => {
    const a = run("import tensorflow as tf\nm = tf.keras.models.load_model('legacy_seq.h5')\n").models[0]!;
    expect(a.layers.map((l) => l.name)).toEqual([
      'conv2d_5',
      'batch_normalization_2',
      'max_pooling2d_3',
      'flatten_2',
      'dense_4',
      'dense_5',
    ]);
    expect(a.weightsFile?.path).toBe(`${DIR}/legacy_seq.h5`);
    const b = run("import keras\nm = keras.saving.load_model(filepath='two_branch.keras')\n").models[0]!;
    expect(b.kind).toBe('functional');
    expect(b.layers.map((l) => l.name)).toContain('concat');
  });

  it('the loaded model is used as a layer of a new model, as in transfer learning', () => {
    const src = [
      'import keras',
      'from keras import layers',
      "base = keras.models.load_model('two_branch.keras')",
      'inp = keras.Input(shape=(16, 16, 3))',
      'out = layers.Dense(3, name="new_head")(base(inp))',
      'model = keras.Model(inp, out)',
      '',
    ].join('\n');
    const g = run(src).models.find((m) => m.name === 'model')!;
    expect(g.layers.map((l) => l.name).slice(-3)).toEqual(['global_average_pooling2d', 'head', 'new_head']);
    expect(g.layers.at(-1)!.outputShape).toEqual([{ sym: 'None' }, 3]);
    expect(g.totalParams).toBe(341 + 5 * 3 + 3);
  });

  it('a path from the project root, when the file is not next to the analyzed file', () => {
    const src = "import keras\nm = keras.models.load_model('test/fixtures/modelfiles/keras/bn_pool.keras')\n";
    const g = run(src, `${DIR}/sub/notebook.py`).models[0]!;
    expect(g.totalParams).toBe(437);
    expect(g.weightsFile?.path).toBe(`${DIR}/bn_pool.keras`);
  });

  it('a missing file or one that is not a model says so at the call', () => {
    const src = "import keras\nm = keras.models.load_model('best-cnn-model.keras')\n";
    const r = run(src);
    expect(r.models).toEqual([]);
    const d = r.diagnostics.find((x) => x.code === 'model-file')!;
    expect(d.severity).toBe('info');
    expect(d.range).toEqual({ from: src.indexOf('keras.models'), to: src.length - 1 });
    expect(diagnosticMessage(d)).toBe(
      'best-cnn-model.keras: model file not found next to the file or in the project root',
    );
    const bad = run("import keras\nm = keras.models.load_model('truth.json')\n");
    expect(diagnosticMessage(bad.diagnostics.find((x) => x.code === 'model-file')!)).toMatch(
      /^the model file is not read: truth\.json: /,
    );
  });

  it('a Lambda layer in the loaded file: the model up to it, and the analysis goes on', () => {
    const g = run("import keras\nm = keras.models.load_model('with_lambda.keras')\n").models[0]!;
    expect(g.layers.map((l) => l.name)).toEqual(['conv2d_8']);
  });

  it('model.load_weights names the weights file of a model built in source', () => {
    const src = [
      'import keras',
      'from keras import layers',
      'model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(2)])',
      "model.load_weights('legacy_seq.h5')",
      '',
    ].join('\n');
    const g = run(src).models[0]!;
    expect(g.weightsFile).toEqual({
      path: `${DIR}/legacy_seq.h5`,
      range: { from: src.indexOf('model.load_weights'), to: src.indexOf("h5')") + 4 },
    });
    expect(run(src.replace('legacy_seq.h5', 'nowhere.h5')).models[0]!.weightsFile).toBeUndefined();
  });

  it('without a resolver that reads model files, load_model is unknown as before', () => {
    const r = analyze("import keras\nm = keras.models.load_model('textbook_cnn.keras')\n");
    expect(r.models).toEqual([]);
  });

  /** model.summary()'s rows of a fixture model, as Keras listed them (scripts/gen-keras-modelfiles.py). */
  const truthOf = (model: string) =>
    (
      JSON.parse(readFileSync(`${DIR}/truth.json`, 'utf8')) as {
        models: Record<string, { layers: { name: string; output_shape: (number | null)[] }[] }>;
      }
    ).models[model]!;
  const dims = (s: (number | null)[]) => s.map((d) => (d === null ? { sym: 'None' } : d));

  it('keras.Model(model.inputs, model.layers[2].output) on a loaded model: the first three layers, its weights', () => {
    const src = [
      'import keras',
      "model = keras.models.load_model('textbook_cnn.keras')",
      'features = keras.Model(model.inputs, model.layers[2].output)',
      'maps = keras.Model(inputs=model.input, outputs=[layer.output for layer in model.layers[:2]])',
      '',
    ].join('\n');
    const r = run(src);
    const truth = truthOf('textbook_cnn').layers;
    const fe = r.models.find((m) => m.name === 'features')!;
    expect(fe.layers.map((l) => [l.name, l.outputShape])).toEqual(
      truth.slice(0, 3).map((l) => [l.name, dims(l.output_shape)]),
    );
    // the extractor runs the loaded model's layers: the same file's weights
    expect(fe.weightsFile?.path).toBe(`${DIR}/textbook_cnn.keras`);
    expect(r.models.find((m) => m.name === 'maps')!.layers.map((l) => l.name)).toEqual(['conv2d', 'max_pooling2d']);
  });

  it("a functional model's layers are listed as Keras lists them (InputLayer first)", () => {
    const truth = truthOf('two_branch').layers;
    for (const k of [1, 3, truth.length - 1]) {
      const src = `import keras\nmodel = keras.models.load_model('two_branch.keras')\npart = keras.Model(model.inputs, model.layers[${k}].output)\n`;
      const part = run(src).models.find((m) => m.name === 'part')!;
      const last = part.layers[part.layers.length - 1]!;
      expect([last.name, last.outputShape], `layers[${k}]`).toEqual([truth[k]!.name, dims(truth[k]!.output_shape)]);
    }
  });

  it('the same in plain source: a feature extractor of a Sequential built with add() and input_shape=', () => {
    const src = [
      'from tensorflow import keras',
      'model = keras.Sequential()',
      "model.add(keras.layers.Conv2D(32, kernel_size=3, activation='relu', padding='same', input_shape=(28, 28, 1)))",
      'model.add(keras.layers.MaxPooling2D(2))',
      'conv_acti = keras.Model(model.inputs, model.layers[0].output)',
      '',
    ].join('\n');
    const fe = analyze(src).models.find((m) => m.name === 'conv_acti')!;
    // 'same' padding keeps 28×28; 32 filters
    expect(fe.layers.map((l) => [l.name, l.outputShape])).toEqual([['conv2d', [{ sym: 'None' }, 28, 28, 32]]]);
  });

  it('the hover on keras.models.load_model and on a model made of its layers shows the model as a whole', () => {
    const src = [
      'import keras',
      "model = keras.models.load_model('textbook_cnn.keras')",
      'fe = keras.Model(model.inputs, model.layers[2].output)',
      '',
    ].join('\n');
    const r = run(src);
    const at = (needle: string) => layerAt(r, src.indexOf(needle) + 2);
    const whole = at('load_model')!;
    expect([whole.whole, whole.model.name, whole.model.totalParams]).toEqual([true, 'textbook_cnn', 333526]);
    const fe = at('keras.Model')!;
    // model.summary(): conv2d 320 + max_pooling2d 0 + conv2d_1 18,496
    expect([fe.whole, fe.model.name, fe.model.totalParams]).toEqual([true, 'fe', 18816]);
    expect(hoverMarkdown(fe, 'en', [], null)).toContain('`(None, 28, 28, 1)` → `(None, 14, 14, 64)`');
  });
});
