/**
 * Keras weight files (written by scripts/gen-weight-fixtures.py with h5py, in the layouts Keras
 * writes) load into the right layers: the model run with them equals tfjs-layers (the Keras
 * port) given the same tensors in the file's order.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { tensor } from '../../../src/engine';
import { loadWeights } from '../../../src/io/weights';
import { runModel } from '../../../src/runtime/forward';
import { makeWeightSource } from '../../../src/runtime/session';
import { matchWeights } from '../../../src/runtime/weights';
import { expectAllclose } from '../helpers/allclose';
import { randomArray, rng } from '../helpers/random';

const SOURCE = readFileSync('test/fixtures/models/keras/weights_small.py', 'utf8');
// The same architecture without explicit names: Keras's auto names, as in files saved without a config
const AUTO = SOURCE.replace(/, name="\w+"/g, '');

function tfjsModel(): tfl.Sequential {
  const m = tfl.sequential();
  m.add(tfl.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3 }));
  m.add(tfl.layers.batchNormalization({}));
  m.add(tfl.layers.conv2d({ filters: 4, kernelSize: 3, useBias: false }));
  m.add(tfl.layers.flatten());
  m.add(tfl.layers.dense({ units: 5 }));
  return m;
}

describe('Keras weight files into the model', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  const cases: [string, string][] = [
    ['keras3_small.keras', SOURCE],
    ['keras3_small_deflated.keras', SOURCE],
    ['keras3_small.weights.h5', AUTO],
    ['keras3_small.weights.h5', SOURCE],
    ['legacy_weights.h5', AUTO],
    ['legacy_full.h5', AUTO],
  ];
  for (const [file, src] of cases) {
    it(`${file} → ${src === SOURCE ? 'named layers' : 'auto-named layers'}: every tensor placed, outputs equal tfjs-layers`, () => {
      const wf = loadWeights(new Uint8Array(readFileSync(`test/fixtures/weights/${file}`)), file);
      const graph = analyze(src).models[0]!;
      const match = matchWeights(graph, wf.tensors);
      expect(match.problems).toEqual([]);
      expect(match.matched).toBe(9);
      const x = randomArray(rng(11), 8 * 8 * 3);
      const ours = runModel(graph, tensor([1, 8, 8, 3], x), makeWeightSource(0, match, null, graph));
      const m = tfjsModel();
      // per layer, in the file's order (tfjs lists a model's trainable weights before the others)
      const groups = [...new Set(wf.tensors.map((t) => t.layer))].map((l) => wf.tensors.filter((t) => t.layer === l));
      const weighted = m.layers.filter((l) => l.getWeights().length > 0);
      expect(groups).toHaveLength(weighted.length);
      weighted.forEach((l, i) => l.setWeights(groups[i]!.map((t) => tf.tensor(t.data, t.shape))));
      const want = (m.predict(tf.tensor(x, [1, 8, 8, 3])) as tf.Tensor).dataSync();
      expectAllclose(ours[ours.length - 1]!.output.data, want, { rtol: 1e-4, atol: 1e-5 }, file);
    });
  }

  it('a file for another model is refused layer by layer', () => {
    const wf = loadWeights(
      new Uint8Array(readFileSync('test/fixtures/weights/keras3_small.keras')),
      'keras3_small.keras',
    );
    const other = analyze(SOURCE.replace('Conv2D(4, 3, name="conv1")', 'Conv2D(6, 3, name="conv1")')).models[0]!;
    const match = matchWeights(other, wf.tensors);
    expect(match.problems.map((p) => p.message)).toContain(
      "conv1: 'kernel' has shape (3, 3, 3, 4) in the file, the model needs (3, 3, 3, 6)",
    );
  });
});
