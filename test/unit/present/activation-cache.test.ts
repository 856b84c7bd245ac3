/**
 * The panel's activation cache: a layer already computed costs only its view, moving forward
 * computes only the new layers, an edit recomputes only the layers downstream of it, other
 * weights or another input recompute everything — and every view equals the one computed from
 * the input with no cache, bit for bit. The cache's memory stays under its bound.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { tensor } from '../../../src/engine/tensor';
import { ActivationCache } from '../../../src/present/activationCache';
import * as job from '../../../src/present/panelJob';
import type { ViewRequest } from '../../../src/present/panelJob';
import { randomArray, rng } from '../helpers/random';

const source = (k: number) => `import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=(12, 12, 2)),
    layers.Conv2D(3, 3, padding='same', activation='relu'),
    layers.MaxPooling2D(2),
    layers.Conv2D(4, ${k}, padding='same'),
    layers.Flatten(),
    layers.Dense(5),
])
`;

const input = tensor([1, 12, 12, 2], randomArray(rng(5), 288));

function req(src: string, index: number, extra: Partial<ViewRequest> = {}): ViewRequest {
  return {
    graph: analyze(src).models[0]!,
    index,
    input,
    seed: 3,
    weightsKey: 'seed:3',
    fileWeights: null,
    preset: null,
    weightsInfo: { kind: 'random', seed: 3 },
    preprocessing: [],
    ...extra,
  };
}

function same(a: ReturnType<typeof job.computeLayerView>, b: ReturnType<typeof job.computeLayerView>): void {
  expect(Array.from(a.output.data)).toEqual(Array.from(b.output.data));
  expect(Array.from(a.input.data)).toEqual(Array.from(b.input.data));
}

describe('activations kept between requests', () => {
  it('back costs nothing, forward computes only the new layers; the views equal the uncached ones', () => {
    job.clearActivations();
    const src = source(3);
    const views = [3, 1, 4, 0].map((i) => {
      const v = job.computeLayerView(req(src, i));
      return [i, job.lastComputed, v] as const;
    });
    // layer 3 needs 0..3 (4 layers); 1 is kept; 4 needs only itself; 0 is kept
    expect(views.map(([i, n]) => [i, n])).toEqual([
      [3, 4],
      [1, 0],
      [4, 1],
      [0, 0],
    ]);
    for (const [i, , v] of views) same(v, job.computeLayerView(req(src, i, { weightsKey: null })));
  });

  it('an edit recomputes from the edited layer on; other weights or another input recompute all', () => {
    job.clearActivations();
    job.computeLayerView(req(source(3), 4));
    // the third layer's kernel 3 → 5: layers 0 and 1 are kept
    job.computeLayerView(req(source(5), 4));
    expect(job.lastComputed).toBe(3);
    same(job.computeLayerView(req(source(5), 4)), job.computeLayerView(req(source(5), 4, { weightsKey: null })));
    job.computeLayerView(req(source(5), 4, { weightsKey: 'file:1:w.h5', seed: 3 }));
    expect(job.lastComputed).toBe(5);
    const other = tensor([1, 12, 12, 2], randomArray(rng(6), 288));
    job.computeLayerView(req(source(5), 2, { input: other }));
    expect(job.lastComputed).toBe(3);
  });

  it('presets on one convolution recompute that layer and what follows it, nothing before', () => {
    job.clearActivations();
    job.computeLayerView(req(source(3), 4));
    const preset = { layer: 2, presets: ['sobel_x' as const] };
    const v = job.computeLayerView(req(source(3), 4, { preset }));
    expect(job.lastComputed).toBe(3);
    same(v, job.computeLayerView(req(source(3), 4, { preset, weightsKey: null })));
  });

  it('the cache drops its least recently used outputs past its bound', () => {
    const c = new ActivationCache(100);
    const t = (n: number) => tensor([n], new Float32Array(n));
    c.set('a', t(10)); // 40 bytes
    c.set('b', t(10));
    c.get('a'); // a is now the most recent
    c.set('c', t(10)); // 120 bytes: b goes
    expect([c.get('a') !== undefined, c.get('b') !== undefined, c.get('c') !== undefined]).toEqual([true, false, true]);
    expect(c.bytes).toBe(80);
    c.set('big', t(30)); // over the bound by itself: not kept
    expect(c.get('big')).toBeUndefined();
    c.maxBytes = 40;
    c.trim();
    expect(c.size).toBe(1);
  });
});
