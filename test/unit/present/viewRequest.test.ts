/** The panel's request from plain data: the model's input layout, the weights it says it uses, the request itself. */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import type { ModelGraph } from '../../../src/model/ir';
import type { WeightMatch } from '../../../src/runtime/weights';
import { viewRequest, weightsInfoFor } from '../../../src/present/viewRequest';
import { InputMismatch } from '../../../src/runtime/input';

const KERAS = `from tensorflow import keras
model = keras.Sequential()
model.add(keras.layers.Conv2D(4, 3, input_shape=(8, 8, 1)))
model.add(keras.layers.MaxPooling2D(2))
`;

function graph(framework: ModelGraph['framework'], inputShape: ModelGraph['inputShape']): ModelGraph {
  return {
    name: 'm',
    framework,
    kind: 'sequential',
    range: { from: 0, to: 0 },
    inputShape,
    inputSource: { kind: 'declared', detail: '' },
    layers: [],
    totalParams: 0,
    trainableParams: 0,
    buffers: 0,
  };
}

/** A w×h RGBA image, gray ramp, opaque. */
function image(w: number, h: number) {
  const rgba = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) rgba.set([i % 256, i % 256, i % 256, 255], i * 4);
  return { rgba, width: w, height: h };
}

describe('the image as the model input (runtime/input.ts)', () => {
  const req = (g: ModelGraph) =>
    viewRequest({ graph: g, index: 0, image: image(16, 16), weights: null, preset: null, locale: 'en' });
  const problem = (g: ModelGraph): string => {
    try {
      req(g);
    } catch (e) {
      if (e instanceof InputMismatch) return e.problem.kind;
      throw e;
    }
    return 'none';
  };
  it('Keras (H, W, C) channels-last, PyTorch (C, H, W) channels-first; values in [0, 1]', () => {
    expect(req(graph('keras', [28, 28, 1])).input.shape).toEqual([1, 28, 28, 1]);
    expect(req(graph('pytorch', [3, 32, 24])).input.shape).toEqual([1, 3, 32, 24]);
    expect(Math.max(...req(graph('keras', [16, 16, 1])).input.data)).toBeLessThanOrEqual(1);
    // a 1-D model reads the image as a sequence: Keras (L, C), PyTorch (C, L)
    expect(req(graph('keras', [28, 28])).input.shape).toEqual([1, 28, 28]);
    expect(req(graph('pytorch', [1, 10])).input.shape).toEqual([1, 1, 10]);
  });

  it('an unknown or non-image input shape, or channels other than 1 and 3, is a problem', () => {
    expect(problem(graph('keras', null))).toBe('unknown-shape');
    expect(problem(graph('keras', [784]))).toBe('not-an-image');
    expect(problem(graph('keras', [5, 28, 28, 1]))).toBe('not-an-image');
    expect(problem(graph('pytorch', [{ sym: 'C', base: 'C', offset: 0 } as never, 28, 28]))).toBe('unknown-shape');
    expect(problem(graph('pytorch', [4, 28, 28]))).toBe('image-channels');
    expect(problem(graph('keras', [28, 28, 2]))).toBe('image-channels');
  });
});

describe('weightsInfoFor', () => {
  const file = { match: {} as WeightMatch, file: 'w.safetensors' };
  const preset = { layer: 2, presets: ['sobel_x', null] as ('sobel_x' | null)[] };
  it('presets on the shown layer, else the loaded file, else random weights with seed 0', () => {
    expect(weightsInfoFor(2, file, preset)).toEqual({ kind: 'preset', presets: preset.presets });
    expect(weightsInfoFor(1, file, preset)).toEqual({ kind: 'file', file: 'w.safetensors' });
    expect(weightsInfoFor(1, null, preset)).toEqual({ kind: 'random', seed: 0 });
    expect(weightsInfoFor(0, null, null)).toEqual({ kind: 'random', seed: 0 });
  });
});

describe('viewRequest', () => {
  it('the image resized into the model input, the preprocessing steps in the locale, seed 0, the weights', () => {
    const g = analyze(KERAS).models[0]!;
    const byLayer = new Map([[g.layers[0]!.spec.id, new Map([['kernel', new Float32Array(36)]])]]);
    const weights = {
      match: { byLayer, matched: 1, problems: [], method: 'names', unused: [] } as WeightMatch,
      file: 'm.h5',
    };
    const req = viewRequest({
      graph: g,
      index: 0,
      image: { ...image(16, 16), format: 'png' },
      weights,
      preset: null,
      locale: 'en',
    });
    expect(req.graph).toBe(g);
    expect(req.index).toBe(0);
    expect(req.seed).toBe(0);
    expect(req.input.shape).toEqual([1, 8, 8, 1]);
    expect(req.fileWeights).toEqual([[g.layers[0]!.spec.id, [['kernel', new Float32Array(36)]]]]);
    expect(req.preset).toBeNull();
    expect(req.weightsInfo).toEqual({ kind: 'file', file: 'm.h5' });
    expect(req.preprocessing[0]).toBe('Source image: PNG, 16×16 pixels');
    expect(req.preprocessing).toContain('Resized 16×16 → 8×8 (area averaging)');
    expect(req.preprocessing.at(-1)).toBe('Arranged as (1, 8, 8, 1): batch, height, width, channels');
    const ko = viewRequest({
      graph: g,
      index: 1,
      image: image(8, 8),
      weights: null,
      preset: { layer: 0, presets: [null, null, null, null] },
      locale: 'ko',
    });
    expect(ko.preprocessing[0]).toBe('원본 이미지: 8×8 픽셀');
    expect(ko.fileWeights).toBeNull();
    expect(ko.preset).toEqual({ layer: 0, presets: [null, null, null, null] });
    expect(ko.weightsInfo).toEqual({ kind: 'random', seed: 0 });
  });
});
