/**
 * Keras as keras.applications and transfer-learning tutorials write it: the input-shape option
 * reaching a functional model's keras.Input (checked against real Keras run with that shape,
 * scripts/gen-keras-models.py), obtain_input_shape without the top, and an application model
 * used as a base, whose source is not read: an info diagnostic at its line, no error (Keras
 * builds it), and the layers after it still listed with symbolic shapes. With the package's
 * source where imports are looked up, application modules are read as the code they are
 * (app_source/: one application module importing another, and keras.applications.<Name>),
 * checked against real Keras; and a model whose building call cannot be followed is never lost
 * without a word.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { fileResolver } from '../../../src/cli/resolver';
import { diagnosticMessage } from '../../../src/model/diagnostics';
import type { ModelGraph } from '../../../src/model/ir';
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
    const model = result.models.find((m) => (m.variable ?? m.name) === 'model')!;
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
    const model = result.models.find((m) => (m.variable ?? m.name) === 'model')!;
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
    const model = result.models.find((m) => (m.variable ?? m.name) === 'model')!;
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

interface OracleRow extends Row {
  layers?: OracleRow[];
}

/** A nested model's rows in its place, without its own InputLayer (ConvLens applies its layers). */
function flatRows(rows: OracleRow[], nested = false): OracleRow[] {
  return rows.flatMap((r) => (r.layers ? flatRows(r.layers, true) : nested && r.type === 'InputLayer' ? [] : [r]));
}

function rowsOf(m: ModelGraph): [string, (number | null)[], number | null][] {
  return m.layers
    .filter((l) => !l.spec.functional)
    .map((l) => [l.name, l.outputShape!.slice(1).map((d) => (typeof d === 'number' ? d : null)), l.params]);
}

describe('application modules read from the package source', () => {
  const file = `${DIR}/app_source/model.py`;
  const source = readFileSync(file, 'utf8');
  const oracle = JSON.parse(readFileSync(`${file}.oracle.json`, 'utf8')) as {
    models: { name: string; layers: OracleRow[]; totalParams: number }[];
  };
  const result = analyze(source, { resolver: fileResolver(file, [`${DIR}/app_source/site`]) });

  it('no error, and every model of the file', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.diagnostics.filter((d) => d.code === 'model-lost' || d.code === 'opaque-model')).toEqual([]);
    // the oracle names a model by its variable; ours is the Keras name= when given (tiny_resnet_v2)
    expect(result.models.map((m) => m.variable ?? m.name).sort()).toEqual(oracle.models.map((m) => m.name).sort());
  });

  for (const om of oracle.models) {
    it(`${om.name}: every layer's name, output shape and parameters, and the total, as Keras builds it`, () => {
      const model = result.models.find((m) => (m.variable ?? m.name) === om.name)!;
      // Keras lists a functional model's layers by depth (a shortcut after its branch); ours run in call order
      const byName = (rows: [string, ...unknown[]][]) => [...rows].sort((a, b) => a[0].localeCompare(b[0]));
      expect(byName(rowsOf(model))).toEqual(byName(flatRows(om.layers).map((r) => [r.name, r.outputShape, r.params])));
      expect(model.totalParams).toBe(om.totalParams);
    });
  }

  it('without the package source: the model is not shown, and an information says where and why', () => {
    const r = analyze(source);
    const lost = r.diagnostics.filter((d) => d.code === 'model-lost');
    expect(lost.map((d) => [d.severity, lineOf(source, d.range.from), d.args.model, d.args.why])).toEqual([
      ['info', 8, 'model', 'not-read'],
    ]);
    expect(diagnosticMessage(lost[0]!)).toContain('keras.applications.tiny_resnet_v2.TinyResNetV2');
    // the base applied to a tensor is the opaque layer it was (said where it is made), not a lost model
    expect(r.diagnostics.filter((d) => d.code === 'opaque-model').map((d) => lineOf(source, d.range.from))).toEqual([
      10,
    ]);
  });

  it('the application module analyzed without its sibling: the information is at the call into it', () => {
    const v2 = readFileSync(`${DIR}/app_source/site/keras/src/applications/tiny_resnet_v2.py`, 'utf8');
    const text = `${v2}\nmodel = TinyResNetV2()\n`;
    const r = analyze(text);
    expect(r.models).toEqual([]);
    const lost = r.diagnostics.filter((d) => d.code === 'model-lost');
    expect(lost).toHaveLength(1);
    expect(text.slice(lost[0]!.range.from, lost[0]!.range.from + 22)).toBe('tiny_resnet.TinyResNet');
  });
});

describe('a model is never lost without a word', () => {
  const lost = (src: string): [number, string, string, string][] => {
    const r = analyze(src);
    return r.diagnostics
      .filter((d) => d.code === 'model-lost')
      .map((d) => [lineOf(src, d.range.from), String(d.args.model), String(d.args.why), String(d.args.name)]);
  };

  it('a builder whose last step calls a function of a module not read, after building layers', () => {
    const src = [
      'import keras', // 1
      'from keras import layers', // 2
      'from mylib.heads import fancy_head', // 3
      '', // 4
      'def build():', // 5
      '    inputs = keras.Input((32, 32, 3))', // 6
      '    x = layers.Conv2D(8, 3)(inputs)', // 7
      '    return fancy_head(x, 10)', // 8
      '', // 9
      'net = build()', // 10
    ].join('\n');
    expect(lost(src)).toEqual([[8, 'net', 'foreign-function', 'fancy_head']]);
  });

  it('a model from a library not read, used as a model (called on a tensor, eval())', () => {
    const src = [
      'import timm', // 1
      'import torch', // 2
      'model = timm.create_model("resnet18")', // 3
      'model.eval()', // 4
      'y = model(torch.randn(1, 3, 224, 224))', // 5
    ].join('\n');
    expect(lost(src)).toEqual([[3, 'model', 'foreign-function', 'create_model']]);
  });

  it('values that are not models say nothing: data loaded, a result never used as a model', () => {
    const src = [
      'import numpy as np', // 1
      'from mylib import load', // 2
      'def data():', // 3
      '    return np.load("x.npy")', // 4
      'x = data()', // 5
      'y = load("y")', // 6
      'print(y.shape)', // 7
    ].join('\n');
    expect(lost(src)).toEqual([]);
  });
});
