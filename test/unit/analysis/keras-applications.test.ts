/**
 * Keras as keras.applications and transfer-learning tutorials write it: the input-shape option
 * reaching a functional model's keras.Input (checked against real Keras run with that shape,
 * scripts/gen-keras-models.py), obtain_input_shape without the top, and an application model
 * used as a base, whose source is not read: an info diagnostic at its line, no error (Keras
 * builds it), and the layers after it still listed with symbolic shapes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { dimText } from '../../../src/shared/dims';

const DIR = 'test/fixtures/models/keras';

interface Row {
  name: string;
  type: string;
  outputShape: (number | null)[];
  params: number;
}

function lineOf(src: string, offset: number): number {
  return src.slice(0, offset).split('\n').length;
}

describe('the input shape option on a functional model', () => {
  it('applications_style.py with --input-shape 48,40,3: every layer as Keras builds it with Input(shape=(48, 40, 3))', () => {
    const source = readFileSync(`${DIR}/applications_style.py`, 'utf8');
    const oracle = JSON.parse(readFileSync(`${DIR}/applications_style.py.input-shape.json`, 'utf8')) as {
      inputShapeOption: number[];
      models: { name: string; layers: Row[]; totalParams: number }[];
    };
    const result = analyze(source, { inputShape: oracle.inputShapeOption });
    const model = result.models.find((m) => m.name === 'model')!;
    const om = oracle.models[0]!;
    expect(model.inputShape).toEqual(oracle.inputShapeOption);
    expect(model.inputSource.kind).toBe('option');
    expect(model.layers.map((l) => [l.name, l.outputShape!.slice(1), l.params])).toEqual(
      om.layers.map((l) => [l.name, l.outputShape, l.params]),
    );
    expect(model.totalParams).toBe(om.totalParams);
  });
});

describe('keras.applications idioms', () => {
  it('obtain_input_shape without the top gives (None, None, 3): symbolic height and width, known channels', () => {
    const source = readFileSync(`${DIR}/applications_style.py`, 'utf8').replace(
      'model = TinyVGG()',
      'model = TinyVGG(include_top=False, pooling="avg")',
    );
    const result = analyze(source);
    const model = result.models.find((m) => m.name === 'model')!;
    expect(model.inputShape!.map(dimText)).toEqual(['H', 'W', '3']);
    expect(model.layers.map((l) => l.name)).toEqual([
      'input_layer',
      'block1_conv1',
      'block1_conv2',
      'block1_pool',
      'block2_conv1',
      'block2_pool',
      'global_average_pooling2d',
    ]);
    expect(model.layers.at(-1)!.outputShape!.map(dimText)).toEqual(['None', '32']);
    // Keras counts the same convolution parameters whatever the image size
    expect(model.totalParams).toBe(448 + 2320 + 4640);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('keras.applications.VGG16 as a base: an info diagnostic on its line, no error, the head listed with symbolic shapes', () => {
    const source = [
      'import keras',
      'from keras import layers',
      '',
      'base_model = keras.applications.VGG16(include_top=False, weights=None, input_shape=(64, 64, 3))',
      'base_model.trainable = False',
      'inputs = keras.Input(shape=(64, 64, 3))',
      'x = base_model(inputs, training=False)',
      'x = layers.GlobalAveragePooling2D()(x)',
      'x = layers.Dropout(0.2)(x)',
      'outputs = layers.Dense(1)(x)',
      'model = keras.Model(inputs, outputs)',
      '',
    ].join('\n');
    const result = analyze(source);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const infos = result.diagnostics.filter((d) => d.code === 'opaque-model');
    expect(infos).toHaveLength(1);
    expect(infos[0]!.severity).toBe('info');
    expect(lineOf(source, infos[0]!.range.from)).toBe(4);
    expect(infos[0]!.args.what).toBe('keras.applications.VGG16');
    const model = result.models.find((m) => m.name === 'model')!;
    expect(model.layers.map((l) => [l.name, l.outputShape?.map(dimText) ?? null])).toEqual([
      // Keras: the application's own Input took 'input_layer'
      ['input_layer_1', ['None', '64', '64', '3']],
      ['vgg16', ['None', 'h', 'w', 'C']],
      ['global_average_pooling2d', ['None', 'C']],
      ['dropout', ['None', 'C']],
      ['dense', ['None', '1']],
    ]);
    // its parameters are not read: the total is unknown rather than wrong
    expect(model.totalParams).toBeNull();
  });
});
