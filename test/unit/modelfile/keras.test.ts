/**
 * Keras model files saved by real Keras 3 (scripts/gen-keras-modelfiles.py: .keras zips and a
 * legacy full-model .h5) read as models: the graph equals model.summary() layer by layer, the
 * file's weights land on every weighted layer, and running the graph with them gives every
 * layer's output as Keras computed it. The synthesized source, analyzed again, is the same graph.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { tensor } from '../../../src/engine';
import type { ModelGraph } from '../../../src/model/ir';
import { diagnosticMessage } from '../../../src/model/diagnostics';
import { readModelFile } from '../../../src/modelfile';
import { kerasConfigSource } from '../../../src/modelfile/keras/config';
import { runModel } from '../../../src/runtime/forward';
import { makeWeightSource } from '../../../src/runtime/session';
import { matchWeights } from '../../../src/runtime/weights';
import { expectAllclose } from '../helpers/allclose';
import { readNpz } from '../helpers/npz';

const DIR = 'test/fixtures/modelfiles/keras';

interface Row {
  name: string;
  class: string;
  output_shape: (number | null)[];
  params: number;
  layers?: Row[];
}

interface Truth {
  file: string;
  kind: 'sequential' | 'functional';
  model_name: string;
  input_shape: number[];
  layers: Row[];
  total_params: number;
  trainable_params: number;
  non_trainable_params: number;
}

const TRUTH = JSON.parse(readFileSync(`${DIR}/truth.json`, 'utf8')) as {
  keras_version: string;
  models: Record<string, Truth>;
};

function load(t: Truth) {
  return readModelFile(new Uint8Array(readFileSync(`${DIR}/${t.file}`)), t.file);
}

/** The summary rows as ConvLens shows them: a nested model's own layers in its place. */
function expectedRows(t: Truth): Row[] {
  const rows = t.layers.flatMap((r) => r.layers ?? [r]);
  const stop = rows.findIndex((r) => r.class === 'Lambda');
  return stop < 0 ? rows : rows.slice(0, stop);
}

function shapeOf(g: ModelGraph, i: number): (number | null)[] {
  return (g.layers[i]!.outputShape ?? []).map((d) => (typeof d === 'number' ? d : null));
}

function rows(g: ModelGraph) {
  return g.layers.map((l, i) => ({ name: l.name, shape: shapeOf(g, i), params: l.params, inputs: l.inputs }));
}

const names = Object.keys(TRUTH.models);
let maxRel = 0;

describe('Keras model files from real Keras', () => {
  it('covers the fixture set', () => {
    expect(names).toEqual(
      expect.arrayContaining(['textbook_cnn', 'two_branch', 'bn_pool', 'separable', 'legacy_seq', 'transfer']),
    );
    expect(names).toContain('with_lambda');
  });

  for (const name of names) {
    const t = TRUTH.models[name]!;
    const partial = name === 'with_lambda';

    it(`${t.file}: the graph is model.summary()`, () => {
      const mf = load(t);
      expect(mf.format).toBe(t.file.endsWith('.h5') ? 'keras-legacy-h5' : 'keras-zip');
      expect(mf.metadata.keras_version).toBe(TRUTH.keras_version);
      const g = mf.graph!;
      expect(g.name).toBe(t.model_name);
      expect(g.framework).toBe('keras');
      expect(g.kind).toBe(t.kind);
      const want = expectedRows(t);
      expect(g.layers.map((l) => l.name)).toEqual(want.map((r) => r.name));
      want.forEach((r, i) => {
        expect(shapeOf(g, i), r.name).toEqual(r.output_shape);
        expect(g.layers[i]!.params, r.name).toBe(r.params);
      });
      if (partial) {
        expect(g.partial).toBe(true);
        return;
      }
      expect(g.partial).toBeFalsy();
      expect(g.totalParams).toBe(t.total_params);
      expect(g.trainableParams).toBe(t.trainable_params);
      expect(g.totalParams! - g.trainableParams!).toBe(t.non_trainable_params);
      expect(mf.diagnostics).toEqual([]);
    });

    it(`${t.file}: the weights match every weighted layer, and each layer's output is Keras's`, () => {
      const mf = load(t);
      const g = mf.graph!;
      const match = matchWeights(g, mf.weights);
      expect(match.problems).toEqual([]);
      expect(match.method).toBe('names');
      if (!partial) {
        expect(match.unused).toEqual([]);
        expect(match.matched).toBe(mf.weights.length);
      }
      const npz = readNpz(`${DIR}/${name}.npz`);
      const x = npz.get('input')!;
      const runs = runModel(g, tensor(x.shape, x.data), makeWeightSource(0, match, null, g));
      expect(runs).toHaveLength(g.layers.length);
      for (const r of runs) {
        const want = npz.get(r.layer.name)!;
        expect(r.output.shape, r.layer.name).toEqual(want.shape);
        expectAllclose(r.output.data, want.data, { rtol: 1e-4, atol: 1e-5 }, `${name}/${r.layer.name}`);
        let scale = 0;
        let diff = 0;
        for (let i = 0; i < want.data.length; i++) {
          scale = Math.max(scale, Math.abs(want.data[i]!));
          diff = Math.max(diff, Math.abs(r.output.data[i]! - want.data[i]!));
        }
        if (scale > 0) maxRel = Math.max(maxRel, diff / scale);
      }
    });

    it(`${t.file}: the synthesized source, analyzed again, gives the same graph`, () => {
      const mf = load(t);
      expect(mf.source).toMatch(/^# The model in .*\nimport keras\nfrom keras import layers\n/);
      const again = analyze(mf.source!);
      const g = again.models.find((m) => m.layers.length === mf.graph!.layers.length)!;
      expect(rows(g)).toEqual(rows(mf.graph!));
      expect(g.totalParams).toBe(mf.graph!.totalParams);
    });
  }

  it("the largest error of any layer output, relative to that output's largest value, is under 1e-5", () => {
    expect(maxRel).toBeLessThan(1e-5);
  });

  it('the Lambda layer stops the model there, with a diagnostic naming it and why', () => {
    const mf = load(TRUTH.models.with_lambda!);
    expect(mf.graph!.partial).toBe(true);
    expect(mf.diagnostics).toHaveLength(1);
    const d = mf.diagnostics[0]!;
    expect(d).toMatchObject({ code: 'unsupported-op', node: 'double', range: { from: 0, to: 0 } });
    expect(diagnosticMessage(d)).toBe(
      'double: op Lambda is not supported (its Python function is stored as bytecode, which ConvLens does not run); the model is shown up to this node',
    );
    expect(mf.source).toContain('# double (Lambda) is not read: its Python function is stored as bytecode');
  });

  it('the textbook CNN reads as the code people write', () => {
    const mf = load(TRUTH.models.textbook_cnn!);
    expect(mf.source).toContain(
      'layers.Conv2D(filters=32, kernel_size=(3, 3), padding="same", activation="relu", name="conv2d"),',
    );
    expect(mf.source).toContain('keras.Input(shape=(28, 28, 1), name="input_layer"),');
    expect(mf.source).toContain('layers.Dropout(rate=0.4, name="dropout"),');
  });

  it('the legacy .h5 says its backend; a weights-only .h5 is refused with what to do instead', () => {
    const mf = load(TRUTH.models.legacy_seq!);
    expect(mf.metadata.backend).toBe('tensorflow');
    const bytes = new Uint8Array(readFileSync('test/fixtures/weights/legacy_weights.h5'));
    expect(() => readModelFile(bytes, 'legacy_weights.h5')).toThrow(
      'legacy_weights.h5: holds weights only (no model config); open the Python source that builds the model and load this file as its weights',
    );
  });
});

/** Configs written by hand in the shapes Keras writes them, for what the fixtures do not show. */
describe('Keras configs as source', () => {
  const conv = (name: string, filters: number, extra: Record<string, unknown> = {}) => ({
    class_name: 'Conv2D',
    config: { name, filters, kernel_size: [3, 3], padding: 'same', activation: 'relu', ...extra },
  });

  it('tf.keras 2 functional configs: nested-list inbound nodes, a shared layer called twice', () => {
    const config = {
      class_name: 'Functional',
      config: {
        name: 'shared',
        layers: [
          {
            class_name: 'InputLayer',
            name: 'in_a',
            config: { name: 'in_a', batch_input_shape: [null, 8, 8, 3] },
            inbound_nodes: [],
          },
          {
            class_name: 'InputLayer',
            name: 'in_b',
            config: { name: 'in_b', batch_input_shape: [null, 8, 8, 3] },
            inbound_nodes: [],
          },
          { ...conv('tower', 4), name: 'tower', inbound_nodes: [[['in_a', 0, 0, {}]], [['in_b', 0, 0, {}]]] },
          {
            class_name: 'Add',
            name: 'add',
            config: { name: 'add' },
            inbound_nodes: [
              [
                ['tower', 0, 0, {}],
                ['tower', 1, 0, {}],
              ],
            ],
          },
          {
            class_name: 'LeakyReLU',
            name: 'leaky',
            config: { name: 'leaky', alpha: 0.2 },
            inbound_nodes: [[['add', 0, 0, {}]]],
          },
        ],
        input_layers: [
          ['in_a', 0, 0],
          ['in_b', 0, 0],
        ],
        output_layers: [['leaky', 0, 0]],
      },
    };
    const src = kerasConfigSource(config, 'tf2.h5');
    expect(src.source).toContain('tower_layer = layers.Conv2D(');
    expect(src.source).toContain('tower = tower_layer(in_a)');
    expect(src.source).toContain('tower_1 = tower_layer(in_b)');
    expect(src.source).toContain('add = layers.Add(name="add")([tower, tower_1])');
    expect(src.source).toContain('layers.LeakyReLU(negative_slope=0.2, name="leaky")(add)');
    expect(src.source).toContain('shared = keras.Model(inputs=[in_a, in_b], outputs=leaky, name="shared")');
    const g = analyze(src.source).models[0]!;
    expect(g.layers.map((l) => [l.name, l.inputs])).toEqual([
      ['in_a', [-1]],
      ['in_b', [-1]],
      ['tower', [0]],
      ['tower', [1]],
      ['add', [2, 3]],
      ['leaky', [4]],
    ]);
    expect(g.totalParams).toBe(3 * 3 * 3 * 4 + 4); // one set of weights for both calls
  });

  it('a tf.keras 2 Sequential takes its input from the first layer', () => {
    const config = {
      class_name: 'Sequential',
      config: {
        name: 'seq',
        layers: [
          conv('c', 2, { batch_input_shape: [null, 6, 6, 1] }),
          { class_name: 'Flatten', config: { name: 'f' } },
        ],
      },
    };
    const g = analyze(kerasConfigSource(config, 'x.h5').source).models[0]!;
    expect(g.layers.map((l) => l.outputShape!.slice(1))).toEqual([[6, 6, 2], [72]]);
  });

  it('names with quotes, backslashes and newlines are written as safe literals and kept as they are', () => {
    const odd = 'a "b" \\c\nd\'e';
    const config = {
      class_name: 'Sequential',
      config: {
        name: 'm"\n',
        layers: [
          { class_name: 'InputLayer', config: { name: 'in', batch_shape: [null, 4] } },
          { class_name: 'Dense', config: { name: odd, units: 2 } },
        ],
      },
    };
    const src = kerasConfigSource(config, 'odd.keras');
    expect(src.source.split('\n').filter((l) => l.includes('Dense'))).toHaveLength(1);
    const g = analyze(src.source).models[0]!;
    expect(g.layers[0]!.name).toBe(odd);
  });

  it('a custom layer in one branch stops that branch; the other is still shown', () => {
    const config = {
      class_name: 'Functional',
      config: {
        name: 'fork',
        layers: [
          {
            class_name: 'InputLayer',
            name: 'x',
            config: { name: 'x', batch_shape: [null, 8, 8, 1] },
            inbound_nodes: [],
          },
          { ...conv('left', 2), name: 'left', inbound_nodes: [[['x', 0, 0, {}]]] },
          {
            module: 'my_layers',
            class_name: 'Wiggle',
            registered_name: 'Custom>Wiggle',
            name: 'wiggle',
            config: { name: 'wiggle' },
            inbound_nodes: [[['x', 0, 0, {}]]],
          },
          {
            class_name: 'Concatenate',
            name: 'cat',
            config: { name: 'cat', axis: -1 },
            inbound_nodes: [
              [
                ['left', 0, 0, {}],
                ['wiggle', 0, 0, {}],
              ],
            ],
          },
        ],
        input_layers: [['x', 0, 0]],
        output_layers: [['cat', 0, 0]],
      },
    };
    const src = kerasConfigSource(config, 'fork.keras');
    expect(src.stop).toEqual({
      layer: 'wiggle',
      className: 'Custom>Wiggle',
      why: "it is a custom layer class of the model's own code (module my_layers), whose call() is not stored in the file",
    });
    const g = analyze(src.source).models[0]!;
    expect(g.layers.map((l) => l.name)).toEqual(['x', 'left']);
  });

  it('a subclassed model and a config that is not a model are refused', () => {
    expect(() =>
      kerasConfigSource({ class_name: 'MyNet', registered_name: 'Custom>MyNet', config: { units: 3 } }, 'sub.keras'),
    ).toThrow('sub.keras: the model is a subclassed model (Custom>MyNet)');
    expect(() => kerasConfigSource({ class_name: 'Dense', config: { units: 3 } }, 'd.keras')).toThrow(
      'd.keras: the config describes a Dense, not a Sequential or functional model',
    );
    expect(() => kerasConfigSource([1, 2], 'l.keras')).toThrow('l.keras: the model config has no class_name');
  });
});
