/**
 * Dense layers whose kernel is read in pieces as it is drawn (engine/dense.ts denseStreamed,
 * runtime/init.ts initialStream): the pieces are the default initializer's values in order, and
 * the product equals dense() on the whole kernel bit for bit — PyTorch rows and Keras columns,
 * batch 1 and more, pieces that do not divide the kernel, with and without bias — and so does a
 * whole model run whose large Dense is streamed, against the same run with the kernel held.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { dense, denseStreamed, DENSE_STREAM_CHUNK, tensor } from '../../../src/engine';
import { paramSpecs } from '../../../src/model/nodes';
import { runModel, type WeightSource } from '../../../src/runtime/forward';
import { initialStream, initialValue } from '../../../src/runtime/init';
import { makeWeightSource } from '../../../src/runtime/session';
import { randomArray, rng } from '../helpers/random';

const bits = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** A fill over `data` in pieces of whatever length is asked. */
function pieces(data: Float32Array): (dst: Float32Array) => void {
  let at = 0;
  return (dst) => {
    dst.set(data.subarray(at, at + dst.length));
    at += dst.length;
  };
}

describe('a Dense kernel read in pieces', () => {
  it('equals dense() bit for bit: both layouts, batch 1 and 3, uneven pieces, with and without bias', () => {
    const r = rng(3);
    for (const layout of ['OI', 'IO'] as const)
      for (const [inF, outF] of [
        [7, 5],
        [33, 10],
        [64, 3],
      ] as const)
        for (const batch of [[1], [3], [2, 2]])
          for (const withBias of [true, false])
            for (const chunk of [1, 6, 37, 1 << 20]) {
              const x = tensor([...batch, inF], randomArray(r, batch.reduce((a, b) => a * b, 1) * inF));
              const shape: [number, number] = layout === 'OI' ? [outF, inF] : [inF, outF];
              const k = randomArray(r, inF * outF);
              const bias = withBias ? tensor([outF], randomArray(r, outF)) : null;
              const want = dense(x, tensor(shape, k), { kernelLayout: layout, bias });
              const got = denseStreamed(x, shape, pieces(k), { kernelLayout: layout, bias }, chunk);
              expect(got.shape).toEqual(want.shape);
              expect(bits(got.data)).toEqual(bits(want.data));
            }
  });

  it('refuses what dense() refuses, with the same message', () => {
    const x = tensor([1, 5], new Float32Array(5));
    expect(() => denseStreamed(x, [4, 3], () => undefined, { kernelLayout: 'IO' })).toThrow(
      'Dense: expects 4 input features, but the input [1, 5] has 5 on its last axis',
    );
    expect(() => dense(x, tensor([4, 3], new Float32Array(12)), { kernelLayout: 'IO' })).toThrow(
      'Dense: expects 4 input features, but the input [1, 5] has 5 on its last axis',
    );
  });
});

describe('the default initializer in pieces', () => {
  const cases = [
    ['pytorch', 'import torch.nn as nn\nmodel = nn.Sequential(nn.Flatten(), nn.Linear(40, 7), nn.Conv2d(1, 3, 3))\n'],
    [
      'keras',
      'import keras\nfrom keras import layers\nmodel = keras.Sequential([keras.Input(shape=(40,)), layers.Dense(7)])\n',
    ],
  ] as const;
  for (const [fw, src] of cases)
    it(`${fw}: the pieces are initialValue's values in order; none for a bias or a written initializer`, () => {
      const graph = analyze(src).models[0]!;
      for (const node of graph.layers) {
        for (const p of paramSpecs(node) ?? []) {
          const fill = initialStream(p, node, 5);
          if (p.role !== 'kernel') {
            expect(fill).toBeNull();
            continue;
          }
          const whole = initialValue(p, node, 5);
          const got = new Float32Array(whole.length);
          for (let at = 0; at < got.length; at += 3) fill!(got.subarray(at, Math.min(got.length, at + 3)));
          expect(bits(got)).toEqual(bits(whole));
        }
      }
    });

  it('a written initializer is not streamed (it is drawn as written)', () => {
    const src =
      "import keras\nfrom keras import layers\nmodel = keras.Sequential([keras.Input(shape=(40,)), layers.Dense(7, kernel_initializer='he_normal')])\n";
    const node = analyze(src).models[0]!.layers[0]!;
    const kernel = paramSpecs(node)!.find((p) => p.role === 'kernel')!;
    expect(initialStream(kernel, node, 0)).toBeNull();
  });
});

describe('a model whose large Dense is streamed', () => {
  // over one piece (4 M values): 2,048 × 2,049 = 4,196,352
  for (const [fw, src] of [
    [
      'pytorch',
      'import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(16, 2048), nn.ReLU(), nn.Linear(2048, 2049))\n',
    ],
    [
      'keras',
      "import keras\nfrom keras import layers\nmodel = keras.Sequential([keras.Input(shape=(16,)), layers.Dense(2048, activation='relu'), layers.Dense(2049)])\n",
    ],
  ] as const)
    it(`${fw}: the same output as with the kernel held whole`, () => {
      const graph = analyze(src).models[0]!;
      const big = graph.layers.at(-1)!;
      const kernel = paramSpecs(big)!.find((p) => p.role === 'kernel')!;
      expect(kernel.shape.reduce((a, b) => a * b, 1)).toBeGreaterThan(DENSE_STREAM_CHUNK);
      const x = tensor([1, 16], randomArray(rng(9), 16));
      const streamed = makeWeightSource(2, null, null, graph);
      // a weight source without pieces: every kernel is drawn whole
      const whole: WeightSource = (node, p) => streamed(node, p);
      let asked = 0;
      const counting: WeightSource = (node, p) => {
        if (node === big && p.role === 'kernel') asked++;
        return streamed(node, p);
      };
      counting.stream = streamed.stream;
      const a = runModel(graph, x, counting).at(-1)!.output;
      const b = runModel(graph, x, whole).at(-1)!.output;
      // the large kernel was never asked for whole
      expect(asked).toBe(0);
      expect(bits(a.data)).toEqual(bits(b.data));
    });
});
