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

  it('each tensor of a view carries the key of what determines it; the same layer gives the same keys and values', () => {
    job.clearActivations();
    const src = source(3);
    const a = job.computeLayerView(req(src, 2));
    const b = job.computeLayerView(req(src, 2));
    // the second convolution: its input is the pooling's output, its output has no activation
    expect(a.input.key).toBeDefined();
    expect(a.output.key).toBeDefined();
    expect([b.input.key, b.output.key]).toEqual([a.input.key, a.output.key]);
    same(a, b);
    // the next layer's input is this layer's output: one key for one activation
    const next = job.computeLayerView(req(src, 3));
    expect(next.input.key).toBe(a.output.key);
    expect(Array.from(next.input.data)).toEqual(Array.from(a.output.data));
    // the fused ReLU's layer: output and pre-activation have their own keys
    const first = job.computeLayerView(req(src, 0));
    expect(first.preActivation?.key).toBeDefined();
    expect(new Set([first.input.key, first.output.key, first.preActivation?.key]).size).toBe(3);
    // the pooling's other mode too
    const pool = job.computeLayerView(req(src, 1));
    expect(pool.otherPool?.key).toBeDefined();
    expect(pool.otherPool?.key).not.toBe(pool.output.key);
    expect(pool.input.key).toBe(first.output.key);
  });

  it('tensors whose values the caller holds come back as references: same key, shape and range, no values', () => {
    for (const fresh of [false, true]) {
      job.clearActivations();
      const src = source(3);
      const full = [0, 1, 2].map((i) => job.computeLayerView(req(src, i)));
      // the worker may have dropped its views meanwhile (built again for their range only)
      if (fresh) job.clearActivations();
      for (const [i, f] of full.entries()) {
        const tensors = (v: typeof f) => [v.input, v.output, v.preActivation, v.otherPool];
        const held = tensors(f).flatMap((t) => (t?.key ? [t.key] : []));
        expect(held.length).toBeGreaterThanOrEqual(2);
        // all held; then only the output held
        const all = job.computeLayerView(req(src, i, { held }));
        for (const [k, t] of tensors(all).entries()) {
          const want = tensors(f)[k];
          if (!want) {
            expect(t).toBeNull();
            continue;
          }
          expect(t!.ref).toBe(true);
          expect(t!.data.length).toBe(0);
          expect({ ...t!, data: null, ref: null }).toEqual({ ...want, data: null, ref: null });
        }
        expect(
          job
            .viewTransfers(all)
            .every((b) => b.byteLength === 0 || b === all.kernels?.data.buffer || b === all.kernels?.bias?.buffer),
        ).toBe(true);
        const one = job.computeLayerView(req(src, i, { held: [f.output.key!] }));
        expect(one.output.ref).toBe(true);
        expect(one.input.ref).toBeUndefined();
        expect(Array.from(one.input.data)).toEqual(Array.from(f.input.data));
      }
    }
  });

  it('an edit changes the keys from the edited layer on; another input or other weights change all', () => {
    job.clearActivations();
    const before = [0, 1, 2, 3].map((i) => job.computeLayerView(req(source(3), i)).output.key);
    const edited = [0, 1, 2, 3].map((i) => job.computeLayerView(req(source(5), i)).output.key);
    expect(edited.map((k, i) => k === before[i])).toEqual([true, true, false, false]);
    const other = tensor([1, 12, 12, 2], randomArray(rng(6), 288));
    const moved = job.computeLayerView(req(source(3), 0, { input: other }));
    expect(moved.input.key).not.toBe(job.computeLayerView(req(source(3), 0)).input.key);
    expect(moved.output.key).not.toBe(before[0]);
    expect(job.computeLayerView(req(source(3), 0, { weightsKey: 'file:1:w.h5' })).output.key).not.toBe(before[0]);
  });

  it('views without kept activations carry no keys (nothing can refer to them)', () => {
    const v = job.computeLayerView(req(source(3), 2, { weightsKey: null }));
    expect([v.input.key, v.output.key]).toEqual([undefined, undefined]);
  });

  it('kept initial weights equal fresh ones, and stay unchanged by the views that read them', () => {
    job.clearActivations();
    const src = source(3);
    // three views of the second convolution: its kernel is read for the run, the tiles and the statistics each time
    const views = [0, 1, 2].map(() => job.computeLayerView(req(src, 2)));
    const fresh = job.computeLayerView(req(src, 2, { weightsKey: null }));
    for (const v of views) {
      expect(Array.from(v.kernels!.data)).toEqual(Array.from(fresh.kernels!.data));
      expect(Array.from(v.kernels!.bias ?? [])).toEqual(Array.from(fresh.kernels!.bias ?? []));
      expect(v.weightStats).toEqual(fresh.weightStats);
      expect(Array.from(v.output.data)).toEqual(Array.from(fresh.output.data));
    }
  });
});
