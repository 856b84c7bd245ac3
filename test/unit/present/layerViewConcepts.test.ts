/**
 * What the panel's concept views get from the host: every input of a merge (capped), how it
 * merges (concatenation along the channels or not, in each framework's layout), a batch
 * normalization's statistics from the weights the layer runs with, a dropout's rate, an
 * activation's function — and the protocol's checks of them. Expected numbers come from the
 * frameworks' definitions (y = γ·(x − μ)/√(σ² + ε) + β; Keras concatenates on the last axis,
 * torch.cat on dim), not from the code under test.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import type { Tensor } from '../../../src/engine';
import { buildLayerView } from '../../../src/present/layerView';
import { runModel, type WeightSource } from '../../../src/runtime/forward';
import { initialValue } from '../../../src/runtime/init';
import { isLayerView, isWebviewToHost, MAX_VIEW_INPUTS, type LayerView } from '../../../src/shared/protocol';

function views(source: string, input: Tensor, weights?: WeightSource): LayerView[] {
  const graph = analyze(source).models[0]!;
  const w: WeightSource = weights ?? ((node, p) => initialValue(p, node, 1));
  const outs = runModel(graph, input, w).map((r) => r.output);
  return graph.layers.map((node, index) =>
    buildLayerView({
      graph,
      index,
      inputs: node.inputs.map((i) => (i < 0 ? input : outs[i]!)),
      output: outs[index]!,
      weights: w,
      weightsInfo: { kind: 'random', seed: 1 },
      preprocessing: [],
    }),
  );
}

function ramp(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * 2) };
}

describe('merges: every input', () => {
  const KERAS = `from tensorflow import keras
from tensorflow.keras import layers
x = keras.Input(shape=(4, 4, 2))
a = layers.Conv2D(3, 1)(x)
b = layers.Conv2D(5, 1)(x)
c = layers.Concatenate()([a, b])
h = layers.Concatenate(axis=1)([a, a])
s = layers.Add()([a, a, a, a, a])
model = keras.Model(x, [c, h, s])
`;

  it('Keras Concatenate (last axis = channels): both inputs, 3 + 5 channels, channel 3 + j of the output is channel j of B', () => {
    const vs = views(KERAS, ramp([1, 4, 4, 2]));
    const v = vs.find((x) => x.name === 'concatenate')!;
    expect(v.inputs.map((t) => t.totalChannels)).toEqual([3, 5]);
    expect(v.totalInputs).toBe(2);
    expect(v.inputs[0]).toBe(v.input);
    expect(v.explain).toEqual({ kind: 'merge', op: 'concat', alongChannels: true });
    for (let j = 0; j < 5; j++)
      expect(Array.from(v.output.data.subarray((3 + j) * 16, (4 + j) * 16))).toEqual(
        Array.from(v.inputs[1]!.data.subarray(j * 16, (j + 1) * 16)),
      );
  });

  it('Concatenate(axis=1) joins along the height, not the channels', () => {
    const v = views(KERAS, ramp([1, 4, 4, 2])).find((x) => x.name === 'concatenate_1')!;
    expect(v.explain).toEqual({ kind: 'merge', op: 'concat', alongChannels: false });
    expect(v.output.shape).toEqual([3, 8, 4]);
  });

  it(`an Add of 5 inputs sends ${MAX_VIEW_INPUTS} and says there are 5`, () => {
    const v = views(KERAS, ramp([1, 4, 4, 2])).find((x) => x.name === 'add')!;
    expect(v.inputs).toHaveLength(MAX_VIEW_INPUTS);
    expect(v.totalInputs).toBe(5);
    expect(v.explain).toEqual({ kind: 'merge', op: 'add', alongChannels: false });
    expect(isLayerView(v)).toBe(true);
  });

  it('PyTorch a + b is an add of two branches; torch.cat(dim=1) joins the channels', () => {
    const SRC = `import torch
import torch.nn as nn
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(2, 3, 1)
        self.b = nn.Conv2d(2, 3, 1)
    def forward(self, x):
        y = self.a(x) + self.b(x)
        return torch.cat([y, self.a(x)], dim=1)
m = M()
m(torch.zeros(1, 2, 4, 4))
`;
    const vs = views(SRC, ramp([1, 2, 4, 4]));
    const merges = vs.filter((v) => v.explain?.kind === 'merge');
    expect(merges.map((v) => v.explain)).toEqual([
      { kind: 'merge', op: 'add', alongChannels: false },
      { kind: 'merge', op: 'concat', alongChannels: true },
    ]);
    expect(merges.every((v) => v.inputs.length === 2)).toBe(true);
  });
});

describe('explanation data', () => {
  it('BatchNorm2d: the running statistics and γ, β the layer runs with; y = γ·(x − μ)/√(σ² + ε) + β per channel', () => {
    const SRC = `import torch.nn as nn
model = nn.Sequential(nn.BatchNorm2d(3, eps=0.01), nn.Dropout(0.25), nn.ReLU())
# convlens: input_shape=(3, 2, 2)
`;
    const stats: Record<string, number[]> = {
      weight: [2, -1, 0.5],
      bias: [0.1, 0, -3],
      running_mean: [1, -2, 0.5],
      running_var: [4, 0.25, 9],
    };
    const w: WeightSource = (node, p) => {
      const v = stats[p.name.split('.').pop()!];
      return v ? Float32Array.from(v) : initialValue(p, node, 1);
    };
    const x = ramp([1, 3, 2, 2]);
    const [bn, drop, relu] = views(SRC, x, w);
    expect(bn!.explain).toEqual({
      kind: 'batchNorm',
      mean: Float32Array.from(stats['running_mean']!),
      variance: Float32Array.from(stats['running_var']!),
      gamma: Float32Array.from(stats['weight']!),
      beta: Float32Array.from(stats['bias']!),
      epsilon: 0.01,
    });
    for (let c = 0; c < 3; c++)
      for (let i = 0; i < 4; i++) {
        const xv = x.data[c * 4 + i]!;
        const y =
          (stats['weight']![c]! * (xv - stats['running_mean']![c]!)) / Math.sqrt(stats['running_var']![c]! + 0.01) +
          stats['bias']![c]!;
        expect(bn!.output.data[c * 4 + i]).toBeCloseTo(y, 5);
      }
    expect(drop!.explain).toEqual({ kind: 'dropout', rate: 0.25 });
    expect(relu!.explain).toEqual({ kind: 'activation', fn: 'relu', alpha: null });
    expect([bn, drop, relu].every((v) => isLayerView(v))).toBe(true);
  });
});

describe('arithmetic in forward(): what each node is', () => {
  const SRC = `import torch
import torch.nn as nn
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(2, 3, 1)
        self.b = nn.Conv2d(2, 3, 1)
        self.scale = nn.Parameter(torch.ones(1, 3, 1, 1))
    def forward(self, x):
        a = self.a(x)
        b = self.b(x)
        y = (a - b) * (a / b)
        y = torch.sub(y, b, alpha=2)
        y = 1 - y * 0.5
        y = -(2 / y) ** 2
        return y * self.scale
m = M()
m(torch.zeros(1, 2, 4, 4))
`;
  it('a − b and a × b are merges of two branches saying their operation; numbers, alpha and held tensors are written out', () => {
    const vs = views(SRC, ramp([1, 2, 4, 4]));
    expect(vs.every((v) => isLayerView(v))).toBe(true);
    expect(vs.slice(2).map((v) => [v.type, v.explain])).toEqual([
      ['sub', { kind: 'merge', op: 'subtract', alongChannels: false }],
      ['div', { kind: 'merge', op: 'divide', alongChannels: false }],
      ['mul', { kind: 'merge', op: 'multiply', alongChannels: false }],
      ['torch.sub', { kind: 'arithmetic', formula: 'out = A − 2 × B' }],
      ['mul_scalar', { kind: 'arithmetic', formula: 'out = x × 0.5' }],
      ['sub_scalar', { kind: 'arithmetic', formula: 'out = 1 − x' }],
      ['div_scalar', { kind: 'arithmetic', formula: 'out = 2 ÷ x' }],
      ['pow_scalar', { kind: 'arithmetic', formula: 'out = x ** 2' }],
      ['mul_scalar', { kind: 'arithmetic', formula: 'out = −x' }],
      ['mul', { kind: 'arithmetic', formula: 'out = x × t (t: (1, 3, 1, 1))' }],
    ]);
    // the subtraction's inputs are the two branches, in order: A = a, B = b
    const sub = vs[2]!;
    expect(sub.inputs.map((t) => t.data[0])).toEqual([vs[0]!.output.data[0], vs[1]!.output.data[0]]);
    expect(sub.output.data[0]).toBeCloseTo(vs[0]!.output.data[0]! - vs[1]!.output.data[0]!, 5);
    expect(isLayerView({ ...sub, explain: { kind: 'arithmetic', formula: 7 } })).toBe(false);
    expect(isLayerView({ ...sub, explain: { kind: 'arithmetic', formula: 'x'.repeat(201) } })).toBe(false);
  });
});

describe('protocol checks', () => {
  const v = views(
    `import torch.nn as nn
model = nn.Sequential(nn.BatchNorm2d(2))
# convlens: input_shape=(2, 2, 2)
`,
    ramp([1, 2, 2, 2]),
  )[0]!;

  it('a view with explanation data passes; statistics of different lengths, a rate over 1, an unknown merge or no inputs do not', () => {
    expect(isLayerView(v)).toBe(true);
    const e = v.explain as Extract<LayerView['explain'], { kind: 'batchNorm' }>;
    expect(isLayerView({ ...v, explain: { ...e, variance: new Float32Array(3) } })).toBe(false);
    expect(isLayerView({ ...v, explain: { ...e, epsilon: -1 } })).toBe(false);
    expect(isLayerView({ ...v, explain: { kind: 'dropout', rate: 1.5 } })).toBe(false);
    expect(isLayerView({ ...v, explain: { kind: 'merge', op: 'xor', alongChannels: true } })).toBe(false);
    expect(isLayerView({ ...v, explain: { kind: 'merge', op: 'add', alongChannels: 'yes' } })).toBe(false);
    expect(isLayerView({ ...v, inputs: [] })).toBe(false);
    expect(isLayerView({ ...v, totalInputs: 0 })).toBe(false);
    expect(isLayerView({ ...v, inputs: new Array(MAX_VIEW_INPUTS + 1).fill(v.input) })).toBe(false);
  });

  it('outputHidden names a layer by index and name, with a boolean', () => {
    expect(isWebviewToHost({ type: 'outputHidden', index: 2, name: 'conv2d_1', hidden: true })).toBe(true);
    expect(isWebviewToHost({ type: 'outputHidden', index: -1, name: 'x', hidden: true })).toBe(false);
    expect(isWebviewToHost({ type: 'outputHidden', index: 0, name: 3, hidden: true })).toBe(false);
    expect(isWebviewToHost({ type: 'outputHidden', index: 0, name: 'x', hidden: 'yes' })).toBe(false);
    expect(isWebviewToHost({ type: 'outputHidden', index: 0, name: 'x'.repeat(501), hidden: false })).toBe(false);
  });

  it('shown names a run by a whole, non-negative id', () => {
    expect(isWebviewToHost({ type: 'shown', runId: 12 })).toBe(true);
    for (const runId of [-1, 1.5, '12', null, Number.MAX_SAFE_INTEGER + 2])
      expect(isWebviewToHost({ type: 'shown', runId }), String(runId)).toBe(false);
  });
});
