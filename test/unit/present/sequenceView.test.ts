/**
 * One-dimensional models in the panel — the textbook's first picture: ten numbers under a kernel
 * of three give eight outputs. Oracles: the sum of products written out by hand with known
 * weights, Keras's 'same' rule (out = in, one zero at each end for k = 3), the textbook's
 * participation 1 2 3 … 3 2 1, and the image read top to bottom in bands (an image of 20 rows
 * averaged two rows at a time).
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { tensor } from '../../../src/engine';
import type { ModelGraph } from '../../../src/model/ir';
import { computeLayerView, type ViewRequest } from '../../../src/present/panelJob';
import { viewRequest } from '../../../src/present/viewRequest';
import { DEFAULT_SEQUENCE_LENGTH, defaultSequenceShape, InputMismatch } from '../../../src/runtime/input';
import { isHostToWebview, type Geometry, type LayerView } from '../../../src/shared/protocol';
import { participation } from '../../../webview/geometry';

/** Ten numbers like the textbook's column of inputs. */
const TEN = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
/** A kernel of three weights and a bias, chosen so every product is visible. */
const W = [1, 2, -1];
const B = 0.5;

function model(src: string): ModelGraph {
  const g = analyze(src).models[0];
  if (!g) throw new Error('no model');
  return g;
}

const KERAS = (padding: string) => `from tensorflow import keras
model = keras.Sequential([
    keras.layers.Conv1D(1, kernel_size=3, padding='${padding}', input_shape=(10, 1)),
    keras.layers.MaxPooling1D(2),
])
`;

const TORCH = `import torch.nn as nn
model = nn.Sequential(nn.Conv1d(1, 1, 3), nn.MaxPool1d(2))
`;

/** The view of layer `index` on the ten numbers, with W and B as the convolution's weights. */
function view(g: ModelGraph, index: number, input = TEN): LayerView {
  const keras = g.framework === 'keras';
  const conv = g.layers[0]!;
  const params: [string, Float32Array][] = keras
    ? [
        ['kernel', Float32Array.from(W)], // (3, 1, 1)
        ['bias', Float32Array.from([B])],
      ]
    : [
        ['weight', Float32Array.from(W)], // (1, 1, 3)
        ['bias', Float32Array.from([B])],
      ];
  const req: ViewRequest = {
    graph: g,
    index,
    input: tensor(keras ? [1, input.length, 1] : [1, 1, input.length], Float32Array.from(input)),
    seed: 0,
    fileWeights: [[conv.spec.id, params]],
    preset: null,
    weightsInfo: { kind: 'file', file: 'w' },
    preprocessing: [],
  };
  return computeLayerView(req);
}

/** y[i] = Σ_t x[i + t]·w[t] + b over the padded input, written out. */
function byHand(x: number[], padLeft: number, padRight: number, out: number): number[] {
  const p = [...Array<number>(padLeft).fill(0), ...x, ...Array<number>(padRight).fill(0)];
  return Array.from({ length: out }, (_, i) => p[i]! * W[0]! + p[i + 1]! * W[1]! + p[i + 2]! * W[2]! + B);
}

function counts(g: Geometry): number[] {
  const p = participation(g);
  return Array.from({ length: g.inW }, (_, x) => p.counts[x + g.pads[2]]!);
}

describe('Conv1D(1, kernel_size=3) on ten numbers (the chapter’s first picture)', () => {
  it("'valid': 10 → 8, each output the sum of three products plus the bias; participation 1 2 3 3 3 3 3 3 2 1", () => {
    const v = view(model(KERAS('valid')), 0);
    expect(v.kind).toBe('conv');
    expect(v.geometry).toMatchObject({
      rank: 1,
      inH: 1,
      inW: 10,
      outH: 1,
      outW: 8,
      kernel: [1, 3],
      strides: [1, 1],
      pads: [0, 0, 0, 0],
      padding: 'valid',
    });
    expect(v.input.shape).toEqual([1, 1, 10]);
    expect([...v.input.data]).toEqual(TEN);
    expect(v.kernels!.shape).toEqual([1, 1, 1, 3]);
    expect([...v.kernels!.data]).toEqual(W);
    expect(v.output.shape).toEqual([1, 1, 8]);
    // (3·1 + 1·2 + 4·(−1)) + 0.5 = 1.5, …
    expect([...v.output.data]).toEqual(byHand(TEN, 0, 0, 8));
    expect(v.output.data[0]).toBe(1.5);
    expect(counts(v.geometry!)).toEqual([1, 2, 3, 3, 3, 3, 3, 3, 2, 1]);
    // the view crosses to the webview intact
    const msg = {
      type: 'state',
      runId: 1,
      state: {
        kind: 'model',
        modelName: 'm',
        framework: 'keras',
        layers: [],
        selected: 0,
        layer: v,
        inputName: 'x',
        busy: false,
        message: null,
      },
    };
    expect(isHostToWebview(msg)).toBe(true);
  });

  it("Keras 'same' keeps 10 with one zero at each end; every cell is stamped 3 times except the ends (2)", () => {
    const v = view(model(KERAS('same')), 0);
    expect(v.geometry).toMatchObject({ rank: 1, inW: 10, outW: 10, pads: [0, 0, 1, 1], padding: 'same' });
    expect([...v.output.data]).toEqual(byHand(TEN, 1, 1, 10));
    expect(counts(v.geometry!)).toEqual([2, 3, 3, 3, 3, 3, 3, 3, 3, 2]);
  });

  it('MaxPooling1D(2) after it: 8 → 4, stride 2 (the pool size), each the larger of a pair', () => {
    const g = model(KERAS('valid'));
    const v = view(g, 1);
    expect(v.kind).toBe('pool');
    expect(v.geometry).toMatchObject({ rank: 1, inW: 8, outW: 4, kernel: [1, 2], strides: [1, 2] });
    const y = byHand(TEN, 0, 0, 8);
    expect([...v.output.data]).toEqual([0, 1, 2, 3].map((i) => Math.max(y[2 * i]!, y[2 * i + 1]!)));
    expect(v.otherPool!.data[0]).toBeCloseTo((y[0]! + y[1]!) / 2, 6);
  });

  it('PyTorch nn.Conv1d(1, 1, 3) on (1, 10) channels-first gives the same numbers', () => {
    const g = analyze(TORCH, { inputShape: [1, 10] }).models[0]!;
    const v = view(g, 0);
    expect(v.geometry).toMatchObject({ rank: 1, inW: 10, outW: 8, kernel: [1, 3], padding: 'explicit' });
    expect([...v.kernels!.data]).toEqual(W);
    expect([...v.output.data]).toEqual(byHand(TEN, 0, 0, 8));
  });

  it('a 2-D convolution keeps rank 2', () => {
    const g = model(`from tensorflow import keras
model = keras.Sequential([keras.layers.Conv2D(2, 3, input_shape=(6, 6, 1))])
`);
    const v = computeLayerView({
      graph: g,
      index: 0,
      input: tensor([1, 6, 6, 1], new Float32Array(36).fill(1)),
      seed: 0,
      fileWeights: null,
      preset: null,
      weightsInfo: { kind: 'random', seed: 0 },
      preprocessing: [],
    });
    expect(v.geometry).toMatchObject({ rank: 2, inH: 6, inW: 6, outH: 4, outW: 4 });
  });
});

describe('an image as the input of a 1-D model (read top to bottom in bands)', () => {
  /** A 30-wide, 20-tall gray image: row r has value 10·r (+ x for column variety), opaque. */
  function image() {
    const [w, h] = [30, 20];
    const rgba = new Uint8Array(w * h * 4);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const v = 10 * y + (x % 3);
        rgba.set([v, v, v, 255], (y * w + x) * 4);
      }
    return { rgba, width: w, height: h, color: 'gray' as const };
  }
  /** Band i of 10 is rows 2i and 2i + 1: the mean of 10·2i, 10·(2i + 1) plus the mean of x % 3 (1). */
  const bands = Array.from({ length: 10 }, (_, i) => (10 * 2 * i + 10 * (2 * i + 1)) / 2 + 1);

  it('Keras (10, 1): ten numbers, the mean of each band of rows scaled to [0, 1]', () => {
    const req = viewRequest({
      graph: model(KERAS('valid')),
      index: 0,
      image: image(),
      weights: null,
      preset: null,
      locale: 'en',
    });
    expect(req.input.shape).toEqual([1, 10, 1]);
    [...req.input.data].forEach((v, i) => expect(v).toBeCloseTo(bands[i]! / 255, 5));
    expect(req.preprocessing.at(-1)).toBe(
      "Read as a sequence (1, 10, 1): batch, steps, channels; step i is the image's i-th horizontal band, top to bottom",
    );
  });

  it('PyTorch nn.Conv1d of unknown length: shown with the default ten steps (the source analyzed again), (1, 1, 10)', () => {
    const reanalyze = (shape: number[]) => analyze(TORCH, { inputShape: shape }).models[0] ?? null;
    expect(defaultSequenceShape(model(TORCH))).toEqual([1, DEFAULT_SEQUENCE_LENGTH]);
    expect(DEFAULT_SEQUENCE_LENGTH).toBe(10);
    const ko = viewRequest({
      graph: model(TORCH),
      index: 0,
      image: image(),
      weights: null,
      preset: null,
      locale: 'ko',
      reanalyze,
    });
    expect(ko.input.shape).toEqual([1, 1, 10]);
    expect(ko.graph.layers[0]!.outputShape).toEqual([{ sym: 'N', base: 'N', offset: 0 }, 1, 8]);
    expect(ko.preprocessing.at(-1)).toContain('배치, 채널, 길이');
    // without the hook it stays unknown, as before
    expect(() =>
      viewRequest({ graph: model(TORCH), index: 0, image: image(), weights: null, preset: null, locale: 'en' }),
    ).toThrow(InputMismatch);
  });

  it('PyTorch (C, L) with 3 channels: R, G, B of each band, channels first', () => {
    const src = `import torch.nn as nn
model = nn.Sequential(nn.Conv1d(3, 2, 3))
`;
    const req = viewRequest({
      graph: model(src),
      reanalyze: (shape) => analyze(src, { inputShape: shape }).models[0] ?? null,
      index: 0,
      image: image(),
      weights: null,
      preset: null,
      locale: 'en',
    });
    expect(req.input.shape).toEqual([1, 3, 10]);
    for (let c = 0; c < 3; c++)
      for (let i = 0; i < 10; i++) expect(req.input.data[c * 10 + i]).toBeCloseTo(bands[i]! / 255, 5);
  });

  it('Keras (10, 30): each step is a band cut into 30 columns (row by row, like MNIST as a sequence)', () => {
    const g = model(`from tensorflow import keras
model = keras.Sequential([keras.layers.Conv1D(4, 3, input_shape=(10, 30))])
`);
    const req = viewRequest({ graph: g, index: 0, image: image(), weights: null, preset: null, locale: 'en' });
    expect(req.input.shape).toEqual([1, 10, 30]);
    // step 4, column 5: rows 8 and 9 at x = 5 (x % 3 = 2)
    expect(req.input.data[4 * 30 + 5]).toBeCloseTo((80 + 90) / 2 / 255 + 2 / 255, 5);
  });
});
