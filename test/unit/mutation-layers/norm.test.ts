/**
 * Normalization layers as a user sees them: parameter counts (trainable, non-trainable, buffers) and
 * their formula, the channel and group refusals, values. Counts are Keras 3's model.summary() and
 * PyTorch's parameters()/buffers(); values are torch 1.13's or worked from the documented formulas:
 * batch norm (x − mean)/√(var + ε)·γ + β, LocalResponseNorm a_c / (k + α/size · Σ a²)^β over
 * channels c − ⌊size/2⌋ … c + ⌊(size − 1)/2⌋.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { diagnosticMessage } from '../../../src/model/diagnostics';
import type { LayerNode } from '../../../src/model/ir';
import { panelSpec, paramSpecs } from '../../../src/model/nodes';
import { tensor } from '../../../src/engine';
import { runModel } from '../../../src/runtime/forward';

const torch = (layers: string, input: string) =>
  `import torch\nimport torch.nn as nn\nmodel = nn.Sequential(${layers})\nout = model(torch.randn(${input}))\n`;
const keras = (layers: string, shape: string) =>
  `from tensorflow.keras import layers, models\nmodel = models.Sequential([layers.Input(shape=${shape}), ${layers}])\n`;

const last = (src: string) => analyze(src).models[0]!.layers.at(-1)!;
const counts = (n: LayerNode) => [n.params, n.trainableParams, n.buffers, n.paramsFormula];
const messages = (src: string) =>
  analyze(src).diagnostics.map((d) => [d.severity, d.code, diagnosticMessage(d), d.fix?.title.en ?? null]);
function forward(src: string, shape: number[], data: number[], weights: Record<string, number[]> = {}): number[] {
  const graph = analyze(src).models[0]!;
  const runs = runModel(graph, tensor(shape, data), (_n, p) => Float32Array.from(weights[p.name] ?? []));
  return Array.from(runs.at(-1)!.output.data);
}
const close = (a: number[], b: number[]) => {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 5));
};

describe('batch normalization: counts', () => {
  it('Keras BatchNormalization() on 3 channels: 12 parameters, 6 trainable (Keras 3)', () => {
    expect(counts(last(keras('layers.BatchNormalization()', '(4, 4, 3)')))).toEqual([
      12,
      6,
      0,
      '2·3 (γ, β) + 2·3 (moving mean, variance)',
    ]);
  });
  it('Keras BatchNormalization(center=False): γ and the statistics, 9 parameters, 3 trainable', () => {
    const n = last(keras('layers.BatchNormalization(center=False)', '(4, 4, 3)'));
    expect(counts(n)).toEqual([9, 3, 0, '3 (γ) + 2·3 (moving mean, variance)']);
    expect(paramSpecs(n)!.map((p) => [p.name, p.role, p.shape, p.trainable])).toEqual([
      ['gamma', 'gamma', [3], true],
      ['moving_mean', 'mean', [3], false],
      ['moving_variance', 'variance', [3], false],
    ]);
  });
  it('Keras BatchNormalization(center=False, scale=False): the statistics only, 6 parameters, 0 trainable', () => {
    expect(counts(last(keras('layers.BatchNormalization(center=False, scale=False)', '(4, 4, 3)')))).toEqual([
      6,
      0,
      0,
      '2·3 (moving mean, variance)',
    ]);
  });
  it('PyTorch BatchNorm2d(3): 6 parameters, the running statistics are 6 buffers (torch 1.13)', () => {
    expect(counts(last(torch('nn.BatchNorm2d(3)', '1, 3, 4, 4')))).toEqual([6, 6, 6, '2·3 (γ, β)']);
  });
  it('PyTorch BatchNorm2d(3, affine=False, track_running_stats=False): nothing', () => {
    expect(counts(last(torch('nn.BatchNorm2d(3, affine=False, track_running_stats=False)', '1, 3, 4, 4')))).toEqual([
      0,
      0,
      0,
      '0',
    ]);
  });
  it('BatchNorm2d(4) on 3 channels: an error with the fix "Set num_features to 3"', () => {
    expect(messages(torch('nn.BatchNorm2d(4)', '1, 3, 4, 4'))).toEqual([
      [
        'error',
        'channel-mismatch',
        "BatchNorm2d '0': expects 4 input channels (num_features=4) but receives 3",
        'Set num_features to 3',
      ],
    ]);
  });
  it('Keras BatchNormalization(axis=1) on (5, 4, 3) normalizes the 5 rows: 4·5 = 20 (Keras 3), no warning', () => {
    const r = analyze(keras('layers.BatchNormalization(axis=1)', '(5, 4, 3)'));
    expect(r.diagnostics).toEqual([]);
    expect([last(keras('layers.BatchNormalization(axis=1)', '(5, 4, 3)')).params]).toEqual([20]);
    expect(analyze(keras('layers.BatchNormalization(axis=-1)', '(4, 4, 3)')).diagnostics).toEqual([]);
    expect(analyze(keras('layers.BatchNormalization(axis=3)', '(4, 4, 3)')).diagnostics).toEqual([]);
  });
  it('the panel: a norm row explaining ε', () => {
    expect(panelSpec(last(keras('layers.BatchNormalization(epsilon=0.01)', '(4, 4, 3)')))).toEqual({
      kind: 'other',
      row: 'norm',
      explain: { kind: 'batchNorm', epsilon: 0.01 },
    });
  });
});

describe('batch normalization: values', () => {
  it('BatchNorm2d(1, track_running_stats=False) on 1, 2, 3, 4 uses the batch: mean 2.5, variance 1.25 (torch 1.13)', () => {
    close(
      forward(torch('nn.BatchNorm2d(1, track_running_stats=False)', '1, 1, 2, 2'), [1, 1, 2, 2], [1, 2, 3, 4], {
        weight: [1],
        bias: [0],
      }),
      [-1.3416353, -0.4472117, 0.4472119, 1.3416355],
    );
  });
  it('BatchNorm2d(2, eps=0, track_running_stats=False) on channels 1, 3 and 10, 14: each channel by its own batch statistics', () => {
    // channel 0: mean 2, variance 1; channel 1: mean 12, variance 4
    expect(
      forward(
        torch('nn.BatchNorm2d(2, eps=0, track_running_stats=False)', '1, 2, 1, 2'),
        [1, 2, 1, 2],
        [1, 3, 10, 14],
        {
          weight: [1, 1],
          bias: [0, 0],
        },
      ),
    ).toEqual([-1, 1, -1, 1]);
  });
  it('the num_features fix replaces the written 4 by 3', () => {
    const src = torch('nn.BatchNorm2d(4)', '1, 3, 4, 4');
    const d = analyze(src).diagnostics[0]!;
    expect(d.fix!.edits.map((e) => [src.slice(e.range.from, e.range.to), e.newText])).toEqual([['4', '3']]);
    expect(src.slice(d.range.from, d.range.to)).toBe('4');
  });
  it('BatchNorm2d(2) with γ (2, 1), β (0, 1), mean (1, 0), variance (4, 1), ε 0 on channels 3 and 5', () => {
    // (3 − 1)/2·2 + 0 = 2; (5 − 0)/1·1 + 1 = 6
    expect(
      forward(torch('nn.BatchNorm2d(2, eps=0)', '1, 2, 1, 1'), [1, 2, 1, 1], [3, 5], {
        weight: [2, 1],
        bias: [0, 1],
        running_mean: [1, 0],
        running_var: [4, 1],
      }),
    ).toEqual([2, 6]);
  });
});

describe('layer and group normalization', () => {
  it('Keras LayerNormalization() on (3, 4): γ and β per channel, 2·4 = 8 (Keras 3)', () => {
    expect(counts(last(keras('layers.LayerNormalization()', '(3, 4)'))).slice(0, 2)).toEqual([8, 8]);
    expect(last(keras('layers.LayerNormalization()', '(3, 4)')).paramsFormula).toBe('2·4');
    expect(last(keras('layers.LayerNormalization(center=False)', '(3, 4)')).paramsFormula).toBe('4');
    expect(last(keras('layers.LayerNormalization(center=False, scale=False)', '(3, 4)')).params).toBe(0);
  });
  it('Keras LayerNormalization(axis=[1, 2]) on (3, 4): 2·12 = 24; PyTorch LayerNorm((3, 4)): 24', () => {
    expect(last(keras('layers.LayerNormalization(axis=[1, 2])', '(3, 4)')).params).toBe(24);
    const t = last(torch('nn.LayerNorm((3, 4))', '2, 3, 4'));
    expect([t.params, paramSpecs(t)!.map((p) => [p.name, p.shape])]).toEqual([
      24,
      [
        ['weight', [3, 4]],
        ['bias', [3, 4]],
      ],
    ]);
  });
  it('Keras LayerNormalization(axis=1) and (axis=-2) on (3, 4) normalize the 3 steps: 2·3 = 6 (Keras 3)', () => {
    expect(last(keras('layers.LayerNormalization(axis=1)', '(3, 4)')).params).toBe(6);
    expect(last(keras('layers.LayerNormalization(axis=-2)', '(3, 4)')).paramsFormula).toBe('2·3');
  });
  it('LayerNormalization over an axis that is not the last is not run (named, not wrong numbers)', () => {
    const graph = analyze(keras('layers.LayerNormalization(axis=1)', '(3, 4)')).models[0]!;
    expect(() => runModel(graph, tensor([1, 3, 4], new Array(12).fill(1)), () => new Float32Array(6))).toThrow(
      "LayerNormalization 'layer_normalization': normalizing axes other than the last ones is not supported",
    );
  });
  it('LayerNormalization(axis=[1, 2]) on (1, 2) values 1, 3 / 5, 7: (x − 4)/√5 (Keras 3 formula, γ 1, β 0)', () => {
    const graph = analyze(keras('layers.LayerNormalization(axis=[1, 2], epsilon=0)', '(2, 2)')).models[0]!;
    const w: Record<string, number[]> = { gamma: [1, 1, 1, 1], beta: [0, 0, 0, 0] };
    const runs = runModel(graph, tensor([1, 2, 2], [1, 3, 5, 7]), (_n, p) => Float32Array.from(w[p.name]!));
    close(
      Array.from(runs.at(-1)!.output.data),
      [-3, -1, 1, 3].map((v) => v / Math.sqrt(5)),
    );
  });
  it('LayerNorm(2) on 1, 3: −1 and 1 (torch 1.13)', () => {
    close(
      forward(torch('nn.LayerNorm(2)', '1, 2'), [1, 2], [1, 3], { weight: [1, 1], bias: [0, 0] }),
      [-0.999995, 0.999995],
    );
  });
  it('GroupNorm(2, 6): 2·6 (γ, β) = 12; GroupNorm(2, 6, affine=False): 0', () => {
    expect(
      counts(last(torch('nn.GroupNorm(2, 6)', '1, 6, 4, 4')))
        .slice(0, 2)
        .concat(last(torch('nn.GroupNorm(2, 6)', '1, 6, 4, 4')).paramsFormula),
    ).toEqual([12, 12, '2·6 (γ, β)']);
    expect(last(torch('nn.GroupNorm(2, 6, affine=False)', '1, 6, 4, 4')).params).toBe(0);
    expect(last(keras('layers.GroupNormalization(groups=2, center=False)', '(4, 4, 6)')).paramsFormula).toBe('6 (γ)');
  });
  it('the group refusals: PyTorch and Keras wording, and a channel mismatch', () => {
    expect(messages(torch('nn.GroupNorm(4, 6)', '1, 6, 4, 4'))).toEqual([
      ['error', 'bad-argument', "GroupNorm '0': num_channels=6 must be divisible by num_groups=4", null],
    ]);
    expect(messages(keras('layers.GroupNormalization(groups=4)', '(4, 4, 6)'))[0]![2]).toBe(
      "GroupNormalization 'group_normalization': 6 channels cannot be split into groups=4 (Keras requires a divisor)",
    );
    expect(messages(keras('layers.GroupNormalization(groups=8)', '(4, 4, 6)'))[0]![2]).toBe(
      "GroupNormalization 'group_normalization': 6 channels cannot be split into groups=8 (Keras requires a divisor and no more groups than channels)",
    );
    expect(messages(torch('nn.GroupNorm(2, 4)', '1, 6, 4, 4'))).toEqual([
      ['error', 'channel-mismatch', "GroupNorm '0': expects 4 input channels (num_channels=4) but receives 6", null],
    ]);
  });
  it('GroupNorm(2, 4) on 1, 2, 3, 5: each pair normalized by its own statistics (torch 1.13)', () => {
    close(
      forward(torch('nn.GroupNorm(2, 4)', '1, 4, 1, 1'), [1, 4, 1, 1], [1, 2, 3, 5], {
        weight: [1, 1, 1, 1],
        bias: [0, 0, 0, 0],
      }),
      [-0.99998, 0.99998, -0.999995, 0.999995],
    );
  });
  it('the panel shows a norm row', () => {
    expect(panelSpec(last(torch('nn.GroupNorm(2, 6)', '1, 6, 4, 4')))).toEqual({ kind: 'other', row: 'norm' });
    expect(panelSpec(last(torch('nn.LayerNorm(4)', '1, 4')))).toEqual({ kind: 'other', row: 'norm' });
  });
});

describe('LocalResponseNorm', () => {
  it('size 3, α = β = k = 1 on channels 1, 2, 3: 1/(1 + 5/3), 2/(1 + 14/3), 3/(1 + 13/3) (torch 1.13: 0.375, 0.3529, 0.5625)', () => {
    close(
      forward(torch('nn.LocalResponseNorm(3, alpha=1.0, beta=1.0, k=1.0)', '1, 3, 1, 1'), [1, 3, 1, 1], [1, 2, 3]),
      [0.375, 6 / 17, 0.5625],
    );
  });
  it('size 2 reads the channel before and this one: 1/(1 + 1/2), 2/(1 + 5/2), 3/(1 + 13/2)', () => {
    close(
      forward(torch('nn.LocalResponseNorm(2, alpha=1.0, beta=1.0, k=1.0)', '1, 3, 1, 1'), [1, 3, 1, 1], [1, 2, 3]),
      [2 / 3, 4 / 7, 0.4],
    );
  });
  it('size 3, α = β = k = 1 over two positions: channels 1, 2, 3 and 0, 1, 0 each by their own neighbours', () => {
    // position 0 as above; position 1: 0/(1 + 1/3), 1/(1 + 1/3), 0
    close(
      forward(
        torch('nn.LocalResponseNorm(3, alpha=1.0, beta=1.0, k=1.0)', '1, 3, 1, 2'),
        [1, 3, 1, 2],
        [1, 0, 2, 1, 3, 0],
      ),
      [0.375, 0, 6 / 17, 0.75, 0.5625, 0],
    );
  });
  it('on a 2-D input it is refused (PyTorch: expected 3D or higher)', () => {
    expect(messages(torch('nn.LocalResponseNorm(2)', '1, 3'))).toEqual([
      [
        'error',
        'rank-mismatch',
        "LocalResponseNorm '0': expects a 3-D or higher (N, C, …) input but receives 2-D",
        null,
      ],
    ]);
    const n = last(torch('nn.LocalResponseNorm(2)', '1, 3, 4'));
    expect([n.outputShape!.slice(1), n.params, n.paramsFormula, panelSpec(n).row]).toEqual([[3, 4], 0, '0', 'norm']);
  });
});
