/**
 * Layer normalization as a user sees it, beyond norm.test.ts: several and negative axes, weights and
 * their trainable flags, runs without γ/β, counts without an example input. Shapes and flags are
 * Keras 3's layer.weights after build(); values are Keras 3's and torch 1.13's (or the documented
 * formula (x − mean)/√(var + ε), worked by hand).
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { paramSpecs } from '../../../src/model/nodes';
import { tensor } from '../../../src/engine';
import { runModel } from '../../../src/runtime/forward';

const torch = (layers: string, input: string) =>
  `import torch\nimport torch.nn as nn\nmodel = nn.Sequential(${layers})\nout = model(torch.randn(${input}))\n`;
const keras = (layers: string, shape: string) =>
  `from tensorflow.keras import layers, models\nmodel = models.Sequential([layers.Input(shape=${shape}), ${layers}])\n`;
const noInput = (layer: string) =>
  `import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.ln = ${layer}\n    def forward(self, x):\n        return self.ln(x)\nmodel = Net()\n`;

const last = (src: string) => analyze(src).models[0]!.layers.at(-1)!;
const specs = (src: string) => paramSpecs(last(src))?.map((p) => [p.name, p.shape, p.trainable]) ?? null;
function forward(src: string, shape: number[], data: number[], weights: Record<string, number[]> = {}): number[] {
  const graph = analyze(src).models[0]!;
  const runs = runModel(graph, tensor(shape, data), (_n, p) => Float32Array.from(weights[p.name] ?? []));
  return Array.from(runs.at(-1)!.output.data);
}
const close = (a: number[], b: number[]) => {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 4));
};
const r5 = 1 / Math.sqrt(5);

describe('layer normalization: axes and weights (Keras 3)', () => {
  it('LayerNormalization() on (3, 4): gamma and beta of shape (4,), both trainable', () => {
    expect(specs(keras('layers.LayerNormalization()', '(3, 4)'))).toEqual([
      ['gamma', [4], true],
      ['beta', [4], true],
    ]);
  });
  it('center=False keeps gamma only; scale=False keeps beta only', () => {
    expect(specs(keras('layers.LayerNormalization(center=False)', '(3, 4)'))).toEqual([['gamma', [4], true]]);
    expect(specs(keras('layers.LayerNormalization(scale=False)', '(3, 4)'))).toEqual([['beta', [4], true]]);
    expect(last(keras('layers.LayerNormalization(scale=False)', '(3, 4)')).paramsFormula).toBe('4');
  });
  it('axis=[-1, -2] and axis=[-2, -1] on (3, 4): gamma and beta of shape (3, 4), 2·12 = 24', () => {
    for (const axis of ['[-1, -2]', '[-2, -1]', '[2, 1]']) {
      const n = last(keras(`layers.LayerNormalization(axis=${axis})`, '(3, 4)'));
      expect([n.params, n.trainableParams, n.paramsFormula]).toEqual([24, 24, '2·12']);
      expect(paramSpecs(n)!.map((p) => [p.name, p.shape, p.trainable])).toEqual([
        ['gamma', [3, 4], true],
        ['beta', [3, 4], true],
      ]);
    }
  });
  it('axis=-2 on (3, 4): shape (3,), 6 parameters', () => {
    expect(specs(keras('layers.LayerNormalization(axis=-2)', '(3, 4)'))).toEqual([
      ['gamma', [3], true],
      ['beta', [3], true],
    ]);
  });
  it('an unknown normalized size gives no count and no weights', () => {
    const n = last(keras('layers.LayerNormalization()', '(3, None)'));
    expect([n.params, n.paramsFormula, paramSpecs(n)]).toEqual([null, null, null]);
    expect(last(keras('layers.LayerNormalization(axis=-2)', '(3, None)')).params).toBe(6);
  });
});

describe('layer normalization: values', () => {
  it('Keras center=False, scale=False, epsilon=0 on 1, 3: −1, 1 (Keras 3)', () => {
    close(
      forward(keras('layers.LayerNormalization(center=False, scale=False, epsilon=0)', '(2,)'), [1, 2], [1, 3]),
      [-1, 1],
    );
  });
  it('Keras axis=[-2, -1], no γ/β, epsilon=0 on 1, 3 / 5, 7: (x − 4)/√5 (Keras 3)', () => {
    for (const axis of ['[-2, -1]', '[-1, -2]']) {
      close(
        forward(
          keras(`layers.LayerNormalization(axis=${axis}, center=False, scale=False, epsilon=0)`, '(2, 2)'),
          [1, 2, 2],
          [1, 3, 5, 7],
        ),
        [-3 * r5, -r5, r5, 3 * r5],
      );
    }
  });
  it('Keras scale=False with beta 10, 20: −1 + 10, 1 + 20', () => {
    close(
      forward(keras('layers.LayerNormalization(scale=False, epsilon=0)', '(2,)'), [1, 2], [1, 3], {
        beta: [10, 20],
      }),
      [9, 21],
    );
  });
  it('PyTorch LayerNorm(2, elementwise_affine=False) on 1, 3: −0.999995, 0.999995 (torch 1.13)', () => {
    close(forward(torch('nn.LayerNorm(2, elementwise_affine=False)', '1, 2'), [1, 2], [1, 3]), [-0.999995, 0.999995]);
  });
  it('PyTorch LayerNorm((2, 2), elementwise_affine=False, eps=0) on 1, 3 / 5, 7: (x − 4)/√5 (torch 1.13)', () => {
    close(forward(torch('nn.LayerNorm((2, 2), elementwise_affine=False, eps=0)', '1, 2, 2'), [1, 2, 2], [1, 3, 5, 7]), [
      -3 * r5,
      -r5,
      r5,
      3 * r5,
    ]);
  });
  it('PyTorch LayerNorm(2) with weight 2, 3 and bias 1, 1 on 1, 3 (eps 0): −1, 4', () => {
    close(forward(torch('nn.LayerNorm(2, eps=0)', '1, 2'), [1, 2], [1, 3], { weight: [2, 3], bias: [1, 1] }), [-1, 4]);
  });
});

describe('layer normalization without an example input (torch 1.13 parameters())', () => {
  it('LayerNorm((3, 4)): 24; elementwise_affine=False: 0; LayerNorm(5): 10', () => {
    expect(analyze(noInput('nn.LayerNorm((3, 4))')).models[0]!.layers.at(-1)!.params).toBe(24);
    expect(analyze(noInput('nn.LayerNorm((3, 4), elementwise_affine=False)')).models[0]!.layers.at(-1)!.params).toBe(0);
    expect(analyze(noInput('nn.LayerNorm(5)')).models[0]!.layers.at(-1)!.params).toBe(10);
  });
});

describe('layer normalization: unknown sizes and refusals', () => {
  it('axis=[-2, -1] on (3, None): one of the normalized sizes is unknown, so no count and no weights', () => {
    const n = last(keras('layers.LayerNormalization(axis=[-2, -1])', '(3, None)'));
    expect([n.params, n.paramsFormula, paramSpecs(n)]).toEqual([null, null, null]);
  });
  it('center=False, scale=False: the formula reads 0 (Keras 3: no weights)', () => {
    const n = last(keras('layers.LayerNormalization(center=False, scale=False)', '(3, 4)'));
    expect([n.params, n.paramsFormula, paramSpecs(n)]).toEqual([0, '0', []]);
  });
  it('a Keras LayerNormalization that never receives an input has no weights to show', () => {
    const src =
      'from tensorflow.keras import layers, models\nmodel = models.Sequential([layers.LayerNormalization()])\n';
    const n = analyze(src).models[0]!.layers.at(-1)!;
    expect([n.params, paramSpecs(n)]).toEqual([null, null]);
  });
  it('axis=[1, 3] on (2, 3, 4): the axes are not the last ones, so it is not run', () => {
    const graph = analyze(keras('layers.LayerNormalization(axis=[1, 3])', '(2, 3, 4)')).models[0]!;
    expect(() => runModel(graph, tensor([1, 2, 3, 4], new Array(24).fill(1)), () => new Float32Array(8))).toThrow(
      'normalizing axes other than the last ones is not supported',
    );
  });
});
