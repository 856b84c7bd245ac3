/**
 * PyTorch InstanceNorm1d/2d as a user sees it: the rank refusal and its message, the channel
 * mismatch (a warning without γ, β or statistics, as torch 2.x warns; an error with them, as torch
 * raises), the one-spatial-element refusal, counts, weights, the panel, and values with the
 * sample's own statistics, γ and β, running statistics, ε, and an unbatched (C, L) input. Every
 * number is torch 1.13's (nn.InstanceNorm1d on [[1, 2, 4], [0, 3, 3]]) or its parameters()/buffers().
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
const unknownInput = (layer: string) =>
  `import sys\nimport torch\nimport torch.nn as nn\nc = int(sys.argv[1])\nmodel = nn.Sequential(${layer})\nout = model(torch.randn(1, c, 4, 4))\n`;

const last = (src: string) => analyze(src).models[0]!.layers.at(-1)!;
const counts = (n: LayerNode) => [n.params, n.trainableParams, n.buffers, n.paramsFormula];
const messages = (src: string) => analyze(src).diagnostics.map((d) => [d.severity, d.code, diagnosticMessage(d)]);
const marked = (src: string) => analyze(src).diagnostics.map((d) => src.slice(d.range.from, d.range.to));
function forward(src: string, shape: number[], data: number[], weights: Record<string, number[]> = {}) {
  const graph = analyze(src).models[0]!;
  const out = runModel(graph, tensor(shape, data), (_n, p) => Float32Array.from(weights[p.name] ?? [])).at(-1)!.output;
  return { shape: [...out.shape], data: Array.from(out.data) };
}
const close = (a: number[], b: number[]) => {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 5));
};
const X = [1, 2, 4, 0, 3, 3];

describe('InstanceNorm: the input rank', () => {
  it('InstanceNorm2d on a 2-D input: "expected 3D or 4D input" (torch 1.13), no shape after it', () => {
    const src = torch('nn.InstanceNorm2d(3)', '3, 4');
    expect(messages(src)).toEqual([
      ['error', 'bad-argument', "InstanceNorm2d '0': expected 3D or 4D input (got (N, 4))"],
    ]);
    expect(last(src).outputShape).toBeNull();
  });
  it('InstanceNorm1d on a 4-D input: "expected 2D or 3D input" (torch 1.13)', () => {
    expect(messages(torch('nn.InstanceNorm1d(3)', '1, 3, 4, 4'))).toEqual([
      ['error', 'bad-argument', "InstanceNorm1d '0': expected 2D or 3D input (got (N, 3, 4, 4))"],
    ]);
  });
  it('InstanceNorm2d takes a 4-D and a 3-D (unbatched) input; InstanceNorm1d a 3-D and a 2-D one', () => {
    expect(last(torch('nn.InstanceNorm2d(3)', '2, 3, 4, 5')).outputShape!.slice(1)).toEqual([3, 4, 5]);
    expect(messages(torch('nn.InstanceNorm2d(3)', '2, 3, 4, 5'))).toEqual([]);
    expect(last(torch('nn.InstanceNorm2d(3)', '3, 4, 5')).outputShape!.slice(1)).toEqual([4, 5]);
    expect(messages(torch('nn.InstanceNorm2d(3)', '3, 4, 5'))).toEqual([]);
    expect(last(torch('nn.InstanceNorm1d(2)', '1, 2, 3')).outputShape!.slice(1)).toEqual([2, 3]);
    expect(messages(torch('nn.InstanceNorm1d(2)', '2, 3'))).toEqual([]);
  });
});

describe('InstanceNorm: num_features and the spatial size', () => {
  it('a mismatch without affine or statistics is a warning at num_features and the shape goes on (torch 2.x warns)', () => {
    const src = torch('nn.InstanceNorm2d(4)', '1, 3, 2, 2');
    expect(messages(src)).toEqual([
      ['warning', 'channel-mismatch', "InstanceNorm2d '0': expects 4 input channels (num_features=4) but receives 3"],
    ]);
    expect(marked(src)).toEqual(['4']);
    expect(last(src).outputShape!.slice(1)).toEqual([3, 2, 2]);
  });
  it('with affine=True it is an error and stops (torch: "weight should contain 3 elements not 4")', () => {
    const src = torch('nn.InstanceNorm2d(4, affine=True)', '1, 3, 2, 2');
    expect(messages(src)).toEqual([
      ['error', 'channel-mismatch', "InstanceNorm2d '0': expects 4 input channels (num_features=4) but receives 3"],
    ]);
    expect(marked(src)).toEqual(['4']);
    expect(last(src).outputShape).toBeNull();
  });
  it('with track_running_stats=True too (torch: "running_mean should contain 3 elements not 4")', () => {
    const src = torch('nn.InstanceNorm2d(4, track_running_stats=True)', '1, 3, 2, 2');
    expect(messages(src).map((m) => m.slice(0, 2))).toEqual([['error', 'channel-mismatch']]);
    expect(last(src).outputShape).toBeNull();
  });
  it('matching channels give no message', () => {
    expect(messages(torch('nn.InstanceNorm2d(3, affine=True)', '1, 3, 2, 2'))).toEqual([]);
  });
  it('one spatial element with its own statistics: "Expected more than 1 spatial element" (torch 1.13)', () => {
    const src = torch('nn.InstanceNorm2d(3)', '1, 3, 1, 1');
    expect(messages(src)).toEqual([
      [
        'error',
        'bad-argument',
        "InstanceNorm2d '0': expected more than 1 spatial element, got input size (N, 3, 1, 1)",
      ],
    ]);
    expect(last(src).outputShape).toBeNull();
  });
  it('one spatial element with running statistics runs (torch 1.13 in eval mode: 2 → 1.99999)', () => {
    const src = torch('nn.InstanceNorm2d(3, track_running_stats=True)', '1, 3, 1, 1');
    expect(messages(src)).toEqual([]);
    expect(last(src).outputShape!.slice(1)).toEqual([3, 1, 1]);
    const y = forward(src, [1, 3, 1, 1], [2, 2, 2], { running_mean: [0, 0, 0], running_var: [1, 1, 1] });
    close(y.data, [1.99999, 1.99999, 1.99999]);
  });
});

describe('InstanceNorm: counts, weights, the panel', () => {
  it('affine and statistics: weight, bias trainable; running_mean, running_var buffers (torch 1.13)', () => {
    const n = last(torch('nn.InstanceNorm2d(3, affine=True, track_running_stats=True)', '1, 3, 4, 4'));
    expect(counts(n)).toEqual([6, 6, 6, '2·3 (γ, β)']);
    expect(paramSpecs(n)!.map((p) => [p.name, p.role, p.shape, p.trainable])).toEqual([
      ['weight', 'gamma', [3], true],
      ['bias', 'beta', [3], true],
      ['running_mean', 'mean', [3], false],
      ['running_var', 'variance', [3], false],
    ]);
  });
  it('no affine: formula 0; statistics only: 0 parameters, 6 buffers', () => {
    expect(counts(last(torch('nn.InstanceNorm2d(3)', '1, 3, 4, 4')))).toEqual([0, 0, 0, '0']);
    expect(counts(last(torch('nn.InstanceNorm2d(3, track_running_stats=True)', '1, 3, 4, 4')))).toEqual([0, 0, 6, '0']);
  });
  it('on unknown channels the counts come from num_features', () => {
    const n = last(unknownInput('nn.InstanceNorm2d(3, affine=True)'));
    expect(counts(n)).toEqual([6, 6, 0, '2·3 (γ, β)']);
    expect(paramSpecs(n)!.map((p) => [p.name, p.shape])).toEqual([
      ['weight', [3]],
      ['bias', [3]],
    ]);
    expect(analyze(unknownInput('nn.InstanceNorm2d(3, affine=True)')).diagnostics.map((d) => d.code)).toEqual([
      'input-unknown',
    ]);
  });
  it('after a refused layer the counts come from its arguments alone', () => {
    const at = (layer: string) => last(torch(`nn.Conv2d(4, 3, 1), ${layer}`, '1, 2, 4, 4'));
    expect(
      [at('nn.InstanceNorm2d(3, affine=True, track_running_stats=True)')].map((n) => [n.params, n.buffers]),
    ).toEqual([[6, 6]]);
    expect([at('nn.InstanceNorm2d(3)')].map((n) => [n.params, n.buffers])).toEqual([[0, 0]]);
    expect([at('nn.InstanceNorm2d(3, track_running_stats=True)')].map((n) => [n.params, n.buffers])).toEqual([[0, 6]]);
  });
  it('registered and never called, it counts in the model: Linear(4, 2) 10 + 6, buffers 6 (torch 1.13 parameters())', () => {
    const model = (layer: string) =>
      analyze(
        'import torch\nimport torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n' +
          `        self.fc = nn.Linear(4, 2)\n        self.extra = ${layer}\n    def forward(self, x):\n        return self.fc(x)\n` +
          'model = Net()\nout = model(torch.randn(1, 4))\n',
      ).models[0]!;
    const totals = (layer: string) => {
      const m = model(layer);
      return [m.totalParams, m.trainableParams, m.buffers];
    };
    expect(totals('nn.InstanceNorm2d(3, affine=True, track_running_stats=True)')).toEqual([16, 16, 6]);
    expect(totals('nn.InstanceNorm2d(3, track_running_stats=True)')).toEqual([10, 10, 6]);
    expect(totals('nn.InstanceNorm2d(3)')).toEqual([10, 10, 0]);
  });
  it('the panel shows it as a normalization row', () => {
    expect(panelSpec(last(torch('nn.InstanceNorm2d(3)', '1, 3, 4, 4')))).toEqual({ kind: 'other', row: 'norm' });
  });
});

describe('InstanceNorm: values (torch 1.13)', () => {
  it("each sample's channels by their own mean and biased variance", () => {
    const y = forward(torch('nn.InstanceNorm1d(2)', '1, 2, 3'), [1, 2, 3], X);
    expect(y.shape).toEqual([1, 2, 3]);
    close(y.data, [-1.069041, -0.26726, 1.336302, -1.41421, 0.707105, 0.707105]);
  });
  it('a batch of two: each sample by its own statistics, not the batch’s', () => {
    const y = forward(torch('nn.InstanceNorm1d(2)', '2, 2, 3'), [2, 2, 3], [...X, 2, 2, 5, 1, 0, 0]);
    close(
      y.data,
      [
        -1.069041, -0.26726, 1.336302, -1.41421, 0.707105, 0.707105, -0.707105, -0.707105, 1.41421, 1.414182, -0.707091,
        -0.707091,
      ],
    );
  });
  it('F.instance_norm(x) with no num_features gives no channel message', () => {
    const src =
      'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nclass M(nn.Module):\n' +
      '    def forward(self, x):\n        return F.instance_norm(x)\nmodel = M()\nout = model(torch.randn(1, 3, 4, 4))\n';
    expect(messages(src)).toEqual([]);
    expect(last(src).outputShape!.slice(1)).toEqual([3, 4, 4]);
  });
  it('an unbatched (C, L) input runs as a batch of one and keeps its shape', () => {
    const y = forward(torch('nn.InstanceNorm1d(2)', '2, 3'), [2, 3], X);
    expect(y.shape).toEqual([2, 3]);
    close(y.data, [-1.069041, -0.26726, 1.336302, -1.41421, 0.707105, 0.707105]);
  });
  it('eps=1.0', () => {
    close(
      forward(torch('nn.InstanceNorm1d(2, eps=1.0)', '1, 2, 3'), [1, 2, 3], X).data,
      [-0.834058, -0.208514, 1.042572, -1.154701, 0.57735, 0.57735],
    );
  });
  it('affine: γ = 2, 3 and β = 1, −1', () => {
    const y = forward(torch('nn.InstanceNorm1d(2, affine=True)', '1, 2, 3'), [1, 2, 3], X, {
      weight: [2, 3],
      bias: [1, -1],
    });
    close(y.data, [-1.138083, 0.465479, 3.672604, -5.24263, 1.121315, 1.121315]);
  });
  it('track_running_stats in eval mode: the running mean 1, 2 and variance 4, 9', () => {
    const y = forward(torch('nn.InstanceNorm1d(2, track_running_stats=True)', '1, 2, 3'), [1, 2, 3], X, {
      running_mean: [1, 2],
      running_var: [4, 9],
    });
    close(y.data, [0, 0.499999, 1.499998, -0.666666, 0.333333, 0.333333]);
  });
});
