/**
 * Keras Normalization as a user sees it: count_params() = 2·∏kept + 1 and layer.weights (mean,
 * variance of the kept shape, a scalar count, none trainable) for axis=-1, several axes in any
 * order, axis=None, and none with mean= and variance= given; the out-of-range axis refusal; counts
 * after a refused layer; values y = (x − mean)/max(√variance, ε), ε = 1e-7, and x·max(√variance, ε)
 * + mean with invert=True. Counts, weights and the mean=/variance= values are Keras 3.15's; the
 * values from weights are worked from that documented formula.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { diagnosticMessage } from '../../../src/model/diagnostics';
import type { LayerNode } from '../../../src/model/ir';
import { panelSpec, paramSpecs } from '../../../src/model/nodes';
import { tensor } from '../../../src/engine';
import { runModel } from '../../../src/runtime/forward';

const keras = (layers: string, shape: string) =>
  `import sys\nfrom tensorflow.keras import layers, models\nm = float(sys.argv[1])\nmodel = models.Sequential([layers.Input(shape=${shape}), ${layers}])\n`;

const last = (src: string) => analyze(src).models[0]!.layers.at(-1)!;
const counts = (n: LayerNode) => [n.params, n.trainableParams, n.paramsFormula];
const weights = (n: LayerNode) => paramSpecs(n)?.map((p) => [p.name, p.role, p.shape, p.trainable]) ?? null;
const messages = (src: string) => analyze(src).diagnostics.map((d) => [d.severity, d.code, diagnosticMessage(d)]);
function forward(src: string, shape: number[], data: number[], w: Record<string, number[]> = {}) {
  const graph = analyze(src).models[0]!;
  const out = runModel(graph, tensor(shape, data), (_n, p) => Float32Array.from(w[p.name] ?? [])).at(-1)!.output;
  return { shape: [...out.shape], data: Array.from(out.data) };
}
const close = (a: number[], b: number[]) => {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 4));
};
const X = [1, 2, 3, 5, 8, 3.5];

describe('Normalization: counts and weights (Keras 3.15)', () => {
  it('axis=-1 on (4, 3): 7, mean (3,), variance (3,), count (), none trainable', () => {
    const n = last(keras('layers.Normalization()', '(4, 3)'));
    expect(counts(n)).toEqual([7, 0, 'mean 3 + variance 3 + count 1']);
    expect(weights(n)).toEqual([
      ['mean', 'mean', [3], false],
      ['variance', 'variance', [3], false],
      ['count', 'count', [], false],
    ]);
  });
  it('axis=(1, 2), (2, 1) and (-1, 1) on (4, 3): 25, mean and variance (4, 3)', () => {
    for (const axis of ['(1, 2)', '(2, 1)', '(-1, 1)']) {
      const n = last(keras(`layers.Normalization(axis=${axis})`, '(4, 3)'));
      expect(counts(n)).toEqual([25, 0, 'mean 12 + variance 12 + count 1']);
      expect(weights(n)!.map((w) => w[2])).toEqual([[4, 3], [4, 3], []]);
    }
  });
  it('axis=-2 on (4, 3): 9, mean (4,)', () => {
    const n = last(keras('layers.Normalization(axis=-2)', '(4, 3)'));
    expect(counts(n)).toEqual([9, 0, 'mean 4 + variance 4 + count 1']);
    expect(weights(n)!.map((w) => w[2])).toEqual([[4], [4], []]);
  });
  it('axis=None: 3 scalars', () => {
    const n = last(keras('layers.Normalization(axis=None)', '(4, 3)'));
    expect(counts(n)).toEqual([3, 0, 'mean 1 + variance 1 + count 1']);
    expect(weights(n)!.map((w) => w[2])).toEqual([[], [], []]);
  });
  it('mean= and variance= given: no weights, 0', () => {
    const n = last(keras('layers.Normalization(mean=1.0, variance=4.0)', '(4, 3)'));
    expect([n.params, n.trainableParams, weights(n)]).toEqual([0, 0, []]);
    expect(n.outputShape!.slice(1)).toEqual([4, 3]);
  });
  it('a kept axis of unknown size: no count and no formula (Keras 3 refuses it: "must have a known shape")', () => {
    const n = last(keras('layers.Normalization()', '(4, None)'));
    expect([n.params, n.paramsFormula, paramSpecs(n)]).toEqual([null, null, null]);
    expect(counts(last(keras('layers.Normalization(axis=-2)', '(4, None)')))).toEqual([
      9,
      0,
      'mean 4 + variance 4 + count 1',
    ]);
  });
  it('the panel shows it as a normalization row', () => {
    expect(panelSpec(last(keras('layers.Normalization()', '(4, 3)')))).toEqual({ kind: 'other', row: 'norm' });
  });
});

describe('Normalization: the axis refusal and counts without an input', () => {
  it('axis=3 on a rank-3 input is refused (Keras 3: "must be in the range [-ndim, ndim)")', () => {
    const src = keras('layers.Normalization(axis=3)', '(4, 3)');
    expect(messages(src)).toEqual([
      ['error', 'bad-argument', "Normalization 'normalization': axis [3] is out of range for rank 3"],
    ]);
    expect(last(src).outputShape).toBeNull();
  });
  it('axis=0 and axis=-3, the batch axis, are refused (Keras 3: "must have a known shape")', () => {
    for (const axis of ['0', '-3', '(0, 1)']) {
      const src = keras(`layers.Normalization(axis=${axis})`, '(4, 3)');
      expect(messages(src).map((m) => m.slice(0, 2))).toEqual([['error', 'bad-argument']]);
      expect(last(src).outputShape).toBeNull();
    }
  });
  it('after a refused layer: 3 for axis=None, 0 with mean= and variance=, unknown for axis=-1', () => {
    const after = (layer: string) => last(keras(`layers.Conv2D(2, 3), ${layer}`, '(2, 2, 1)')).params;
    expect(after('layers.Normalization(axis=None)')).toBe(3);
    expect(after('layers.Normalization(mean=1.0, variance=2.0)')).toBe(0);
    expect(after('layers.Normalization()')).toBeNull();
  });
});

describe('Normalization: values', () => {
  it('mean=[1, 2, 3], variance=[4, 9, 0] on [[1, 2, 3], [5, 8, 3.5]]: 0, 0, 0, 2, 2, 5e6 (Keras 3.15: ε = 1e-7)', () => {
    const src = keras('layers.Normalization(mean=[1.0, 2.0, 3.0], variance=[4.0, 9.0, 0.0])', '(2, 3)');
    const y = forward(src, [1, 2, 3], X);
    expect(y.shape).toEqual([1, 2, 3]);
    close(y.data.slice(0, 5), [0, 0, 0, 2, 2]);
    expect(y.data[5]! / 5e6).toBeCloseTo(1, 5);
  });
  it('invert=True: 3, 8, 3, 11, 26, 3 (Keras 3.15)', () => {
    const src = keras('layers.Normalization(mean=[1.0, 2.0, 3.0], variance=[4.0, 9.0, 0.0], invert=True)', '(2, 3)');
    close(forward(src, [1, 2, 3], X).data, [3, 8, 3, 11, 26, 3]);
  });
  it('axis=1, mean=[1, 2], variance=[4, 16]: each row its own (Keras 3.15)', () => {
    const src = keras('layers.Normalization(axis=1, mean=[1.0, 2.0], variance=[4.0, 16.0])', '(2, 3)');
    close(forward(src, [1, 2, 3], X).data, [0, 0.5, 1, 0.75, 1.5, 0.375]);
  });
  it('mean=2.0, variance=4.0 broadcast to every position', () => {
    close(
      forward(keras('layers.Normalization(mean=2.0, variance=4.0)', '(2, 3)'), [1, 2, 3], X).data,
      [-0.5, 0, 0.5, 1.5, 3, 0.75],
    );
  });
  it('with weights: axis=(1, 2), mean and variance (2, 3) from the weights', () => {
    const src = keras('layers.Normalization(axis=(1, 2))', '(2, 3)');
    const y = forward(src, [1, 2, 3], X, { mean: [1, 2, 3, 0, 0, 0], variance: [4, 4, 4, 1, 1, 0.25], count: [5] });
    close(y.data, [0, 0, 0, 5, 8, 7]);
  });
  it('with weights: axis=-1, mean (3,) over both rows; axis=None, one scalar', () => {
    const y = forward(keras('layers.Normalization()', '(2, 3)'), [1, 2, 3], X, {
      mean: [1, 2, 3],
      variance: [4, 9, 1],
      count: [5],
    });
    close(y.data, [0, 0, 0, 2, 2, 0.5]);
    const z = forward(keras('layers.Normalization(axis=None)', '(2, 3)'), [1, 2, 3], X, {
      mean: [1],
      variance: [4],
      count: [5],
    });
    close(z.data, [0, 0.5, 1, 2, 3.5, 1.25]);
  });
  it('a mean= the code computes at run time cannot be run, with that reason', () => {
    const src = keras('layers.Normalization(mean=m, variance=1.0)', '(2, 3)');
    expect(() => forward(src, [1, 2, 3], X)).toThrow('the mean= and variance= it was given could not be read');
    const v = keras('layers.Normalization(mean=1.0, variance=m)', '(2, 3)');
    expect(() => forward(v, [1, 2, 3], X)).toThrow('the mean= and variance= it was given could not be read');
  });
});
