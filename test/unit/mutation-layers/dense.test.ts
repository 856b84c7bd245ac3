/**
 * Fully connected layers as a user sees them: output shapes on any rank, parameter counts and their
 * formula, FLOPs, weight shapes, the in_features mismatch with its quick fix, values with an
 * activation, the equivalent layer and the panel. Numbers are Keras 3's and PyTorch's: Dense(u) on
 * (…, f) gives (…, u) with f·u + u parameters, kernel (f, u); nn.Linear(f, u) weight (u, f); FLOPs
 * 2 · rows · f · u, rows the product of the axes between the batch and the features.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { diagnosticMessage } from '../../../src/model/diagnostics';
import type { LayerNode } from '../../../src/model/ir';
import { equivalentCode, panelSpec, paramSpecs } from '../../../src/model/nodes';
import { tensor } from '../../../src/engine';
import { runModel } from '../../../src/runtime/forward';

const torch = (layers: string, input: string) =>
  `import torch\nimport torch.nn as nn\nmodel = nn.Sequential(${layers})\nout = model(torch.randn(${input}))\n`;
const keras = (layers: string, shape: string) =>
  `from tensorflow.keras import layers, models\nmodel = models.Sequential([layers.Input(shape=${shape}), ${layers}])\n`;

function layer(src: string) {
  const r = analyze(src);
  const node = r.models[0]!.layers.at(-1)!;
  return {
    r,
    node,
    diagnostics: r.diagnostics.map((d) => ({
      severity: d.severity,
      code: d.code,
      message: diagnosticMessage(d),
      fix: d.fix
        ? [d.fix.title.en, ...d.fix.edits.map((e) => `${src.slice(e.range.from, e.range.to)} → ${e.newText}`)]
        : null,
    })),
  };
}
const counts = (n: LayerNode) => [n.outputShape!.slice(1), n.params, n.trainableParams, n.paramsFormula, n.flops];

describe('Dense and Linear: shapes, counts, FLOPs', () => {
  it('Keras Dense(5) on (3, 4): (N, 3, 5), 4·5 + 5 = 25 parameters, 2·3·4·5 = 120 FLOPs (Keras 3: 25)', () => {
    expect(counts(layer(keras('layers.Dense(5)', '(3, 4)')).node)).toEqual([[3, 5], 25, 25, '4·5 + 5', 120]);
  });
  it('Keras Dense(5, use_bias=False) on (4,): 20 parameters, kernel (4, 5) only (Keras 3: 20)', () => {
    const l = layer(keras('layers.Dense(5, use_bias=False)', '(4,)'));
    expect(counts(l.node)).toEqual([[5], 20, 20, '4·5', 40]);
    expect(paramSpecs(l.node)!.map((p) => [p.name, p.shape, p.role, p.trainable])).toEqual([
      ['kernel', [4, 5], 'kernel', true],
    ]);
  });
  it('PyTorch Linear(4, 5) on (2, 3, 4): (2, 3, 5), weight (5, 4) and bias (5)', () => {
    const l = layer(torch('nn.Linear(4, 5)', '2, 3, 4'));
    expect(counts(l.node)).toEqual([[3, 5], 25, 25, '4·5 + 5', 120]);
    expect(paramSpecs(l.node)!.map((p) => [p.name, p.shape, p.role, p.trainable])).toEqual([
      ['weight', [5, 4], 'kernel', true],
      ['bias', [5], 'bias', true],
    ]);
  });
  it('PyTorch Linear(4, 5, bias=False) on (1, 4): 20 parameters, 40 FLOPs', () => {
    expect(counts(layer(torch('nn.Linear(4, 5, bias=False)', '1, 4')).node)).toEqual([[5], 20, 20, '4·5', 40]);
  });
  it('a Linear without an example input still counts in_features·out_features + bias', () => {
    const r = analyze(
      'import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(6, 3)\n    def forward(self, x):\n        return self.fc(x)\nmodel = Net()\n',
    );
    expect(r.models[0]!.layers.at(-1)!.params).toBe(21);
    const nb = analyze(
      'import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(6, 3, bias=False)\n    def forward(self, x):\n        return self.fc(x)\nmodel = Net()\n',
    );
    expect(nb.models[0]!.layers.at(-1)!.params).toBe(18);
  });
});

describe('Linear: the in_features mismatch', () => {
  it('Linear(6, 5) on (1, 4): an error on in_features with the fix "Set in_features to 4"', () => {
    expect(layer(torch('nn.Linear(6, 5)', '1, 4')).diagnostics).toEqual([
      {
        severity: 'error',
        code: 'in-features-mismatch',
        message: "Linear '0': in_features=6 but the input has 4 features",
        fix: ['Set in_features to 4', '6 → 4'],
      },
    ]);
  });
  it('on a 3-D input the message says it acts on the last axis', () => {
    expect(layer(torch('nn.Linear(6, 5)', '2, 3, 4')).diagnostics.map((d) => d.message)).toEqual([
      "Linear '0': in_features=6 but the input has 4 features (it acts on the last axis of (N, 3, 4))",
    ]);
  });
  it('in Korean the fix reads in_features를 4(으)로 바꾸기', () => {
    const d = analyze(torch('nn.Linear(6, 5)', '1, 4')).diagnostics[0]!;
    expect(d.fix!.title.ko).toBe('in_features를 4(으)로 바꾸기');
  });
});

describe('Dense: values, the equivalent layer, the panel', () => {
  it('Keras Dense(2, activation="relu") on (1, 2, 3) with kernel ((1, −1) ×3), bias 0.5: 6.5 and 0 (Keras 3)', () => {
    const graph = analyze(keras('layers.Dense(2, activation="relu")', '(3,)')).models[0]!;
    const w: Record<string, number[]> = { kernel: [1, -1, 1, -1, 1, -1], bias: [0.5, 0.5] };
    const runs = runModel(graph, tensor([1, 3], [1, 2, 3]), (_n, p) => Float32Array.from(w[p.name]!));
    expect(Array.from(runs.at(-1)!.output.data)).toEqual([6.5, 0]);
  });
  it('PyTorch Linear(3, 2) on (1, 3) with weight rows (1, 1, 1) and (−1, 0, 2), bias (0, 1): 6 and 6', () => {
    const graph = analyze(torch('nn.Linear(3, 2)', '1, 3')).models[0]!;
    const w: Record<string, number[]> = { weight: [1, 1, 1, -1, 0, 2], bias: [0, 1] };
    const runs = runModel(graph, tensor([1, 3], [1, 2, 3]), (_n, p) => Float32Array.from(w[p.name]!));
    expect(Array.from(runs.at(-1)!.output.data)).toEqual([6, 6]);
  });
  it('equivalents: Dense(5, activation="relu") on 4 features is nn.Linear(4, 5), nn.ReLU(); Linear(4, 5) is Dense(5)', () => {
    expect(equivalentCode(layer(keras('layers.Dense(5, activation="relu")', '(4,)')).node)).toBe(
      'nn.Linear(4, 5), nn.ReLU()',
    );
    expect(equivalentCode(layer(keras('layers.Dense(5)', '(4,)')).node)).toBe('nn.Linear(4, 5)');
    expect(equivalentCode(layer(torch('nn.Linear(4, 5)', '1, 4')).node)).toBe('layers.Dense(5)');
  });
  it('the panel: a dense row, its activation, probabilities only for softmax', () => {
    expect(panelSpec(layer(keras('layers.Dense(5, activation="softmax")', '(4,)')).node)).toEqual({
      kind: 'dense',
      row: 'dense',
      activation: 'softmax',
      probabilities: true,
    });
    expect(panelSpec(layer(keras('layers.Dense(5)', '(4,)')).node)).toEqual({
      kind: 'dense',
      row: 'dense',
      probabilities: false,
    });
    expect(panelSpec(layer(keras('layers.Dense(5, activation="relu")', '(4,)')).node)).toEqual({
      kind: 'dense',
      row: 'dense',
      activation: 'relu',
      probabilities: false,
    });
  });
});

describe('Dense and Linear whose sizes the code computes at run time', () => {
  const unknownUnits =
    'import sys\nfrom tensorflow.keras import layers, models\nn = int(sys.argv[1])\nmodel = models.Sequential([layers.Input(shape=(4,)), layers.Dense(n)])\n';
  it('Dense(n) with n from the command line: the output size, counts and FLOPs are unknown, not an error', () => {
    const l = layer(unknownUnits);
    expect([l.node.outputShape![1], l.node.params, l.node.paramsFormula, l.node.flops, paramSpecs(l.node)]).toEqual([
      { sym: '?' },
      null,
      null,
      null,
      null,
    ]);
    expect(l.diagnostics).toEqual([]);
  });
  it('its PyTorch equivalent names the unknown size out_features (it printed null)', () => {
    expect(equivalentCode(layer(unknownUnits).node)).toBe('nn.Linear(4, out_features)');
  });
  it('Linear(4, n) with n from the command line: its Keras equivalent is layers.Dense(units)', () => {
    const l = layer(
      torch('nn.Linear(4, int(sys.argv[1]))', '1, 4').replace('import torch\n', 'import sys\nimport torch\n'),
    );
    expect([l.node.params, equivalentCode(l.node)]).toEqual([null, 'layers.Dense(units)']);
  });
  it('a Linear with unknown in_features on an unknown input: in_features in the equivalent, no count', () => {
    const r = analyze(
      'import sys\nimport torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(int(sys.argv[1]), 3)\n    def forward(self, x):\n        return self.fc(x)\nmodel = Net()\n',
    );
    const n = r.models[0]!.layers.at(-1)!;
    expect([n.params, equivalentCode(n)]).toEqual([null, 'layers.Dense(3)']);
  });
});
