/**
 * Parameter counts of Keras BatchNormalization with center= / scale= against @tensorflow/tfjs-layers
 * (the TypeScript port of Keras): for each combination the same two-layer model is built with
 * tfjs-layers and its counts are read from it — `layer.countParams()` (every weight, as Keras'
 * summary "Param #") and the sizes of `layer.trainableWeights`, and the same for the whole
 * model — then compared with what the analyzer reports for the Python source
 * (layers[i].params / .trainableParams, totalParams / trainableParams).
 *
 * Keras creates gamma only when scale=True and beta only when center=True; moving_mean and
 * moving_variance always exist and are not trainable. tfjs-layers does the same.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { analyze } from '../../../src/analysis/analyze';

const CHANNELS = 8;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function size(w: tfl.LayerVariable): number {
  return w.shape.reduce((a: number, b) => a * (b as number), 1);
}

function trainable(weights: tfl.LayerVariable[]): number {
  return weights.reduce((n, w) => n + size(w), 0);
}

/** Input 8×8×3 → Conv2D(8, 3) → BatchNormalization(flags), in Python. */
function source(flags: string): string {
  return [
    'import keras',
    'from keras import layers',
    '',
    'model = keras.Sequential([',
    '    keras.Input(shape=(8, 8, 3)),',
    `    layers.Conv2D(${CHANNELS}, 3, padding="same"),`,
    `    layers.BatchNormalization(${flags}),`,
    '])',
    '',
  ].join('\n');
}

/** The same model in tfjs-layers. */
function tfjsModel(center: boolean, scale: boolean): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.inputLayer({ inputShape: [8, 8, 3] }),
      tfl.layers.conv2d({ filters: CHANNELS, kernelSize: 3, padding: 'same' }),
      tfl.layers.batchNormalization({ center, scale }),
    ],
  });
}

interface Counts {
  layerParams: number | null;
  layerTrainable: number | null;
  totalParams: number | null;
  totalTrainable: number | null;
}

function oracleCounts(center: boolean, scale: boolean): Counts {
  const model = tfjsModel(center, scale);
  const bn = model.layers[model.layers.length - 1]!;
  expect(bn.getClassName()).toBe('BatchNormalization');
  const counts = {
    layerParams: bn.countParams(),
    layerTrainable: trainable(bn.trainableWeights),
    totalParams: model.countParams(),
    totalTrainable: trainable(model.trainableWeights),
  };
  model.dispose();
  return counts;
}

function ourCounts(flags: string): Counts {
  const result = analyze(source(flags));
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(result.models.map((m) => m.name)).toEqual(['model']);
  const model = result.models[0]!;
  const bn = model.layers.find((l) => l.spec.type === 'BatchNormalization');
  expect(bn, `layers: ${model.layers.map((l) => l.spec.type).join(', ')}`).toBeDefined();
  return {
    layerParams: bn!.params,
    layerTrainable: bn!.trainableParams,
    totalParams: model.totalParams,
    totalTrainable: model.trainableParams,
  };
}

const CASES: { flags: string; center: boolean; scale: boolean; owns: string }[] = [
  { flags: 'center=False', center: false, scale: true, owns: 'gamma + moving stats' },
  { flags: 'scale=False', center: true, scale: false, owns: 'beta + moving stats' },
  { flags: 'center=False, scale=False', center: false, scale: false, owns: 'moving stats only' },
  { flags: '', center: true, scale: true, owns: 'gamma, beta + moving stats' },
  { flags: 'center=True, scale=True', center: true, scale: true, owns: 'gamma, beta + moving stats' },
];

describe('Keras BatchNormalization center=/scale=: parameter counts = tfjs-layers', () => {
  for (const { flags, center, scale, owns } of CASES) {
    it(`BatchNormalization(${flags}) on ${CHANNELS} channels after a Conv2D (${owns}): params and trainable params of the layer and the model vs tfjs-layers`, () => {
      expect(ourCounts(flags)).toEqual(oracleCounts(center, scale));
    });
  }
});
