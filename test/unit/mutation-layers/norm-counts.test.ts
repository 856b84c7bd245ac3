/**
 * Batch and group normalization beyond norm.test.ts: Keras 3 weight names and trainable flags
 * (layer.weights after build()), counts with no example input or unknown channels (torch 1.13
 * parameters()), the argument a refusal or warning marks, the fix's Korean title.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { panelSpec, paramSpecs } from '../../../src/model/nodes';

const torch = (layers: string, input: string) =>
  `import torch\nimport torch.nn as nn\nmodel = nn.Sequential(${layers})\nout = model(torch.randn(${input}))\n`;
const keras = (layers: string, shape: string) =>
  `from tensorflow.keras import layers, models\nmodel = models.Sequential([layers.Input(shape=${shape}), ${layers}])\n`;
const noInput = (layer: string) =>
  `import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.n = ${layer}\n    def forward(self, x):\n        return self.n(x)\nmodel = Net()\n`;

const last = (src: string) => analyze(src).models[0]!.layers.at(-1)!;
const specs = (src: string) => paramSpecs(last(src))?.map((p) => [p.name, p.shape, p.trainable]) ?? null;
/** The source text a diagnostic marks. */
const marked = (src: string) => analyze(src).diagnostics.map((d) => src.slice(d.range.from, d.range.to));

describe('weights and trainable flags (Keras 3 layer.weights)', () => {
  it('BatchNormalization() on 3 channels: gamma, beta trainable; moving_mean, moving_variance not', () => {
    expect(paramSpecs(last(keras('layers.BatchNormalization()', '(4, 4, 3)')))!.map((p) => p.role)).toEqual([
      'gamma',
      'beta',
      'mean',
      'variance',
    ]);
    expect(specs(keras('layers.BatchNormalization()', '(4, 4, 3)'))).toEqual([
      ['gamma', [3], true],
      ['beta', [3], true],
      ['moving_mean', [3], false],
      ['moving_variance', [3], false],
    ]);
  });
  it('GroupNormalization(groups=2) on 6 channels: gamma, beta (6,), trainable; scale=False: beta only', () => {
    expect(specs(keras('layers.GroupNormalization(groups=2)', '(4, 4, 6)'))).toEqual([
      ['gamma', [6], true],
      ['beta', [6], true],
    ]);
    expect(specs(keras('layers.GroupNormalization(groups=2, scale=False)', '(4, 4, 6)'))).toEqual([
      ['beta', [6], true],
    ]);
    expect(last(keras('layers.GroupNormalization(groups=2, scale=False)', '(4, 4, 6)')).paramsFormula).toBe('6 (β)');
  });
  it('PyTorch GroupNorm(2, 6): weight, bias (6,), trainable (torch 1.13)', () => {
    expect(specs(torch('nn.GroupNorm(2, 6)', '1, 6, 4, 4'))).toEqual([
      ['weight', [6], true],
      ['bias', [6], true],
    ]);
  });
});

describe('counts without an example input or with unknown channels', () => {
  it('BatchNorm2d(3) with no input: 6 parameters, 6 buffers (running mean, var); affine=False: 0 and 6', () => {
    const n = analyze(noInput('nn.BatchNorm2d(3)')).models[0]!.layers.at(-1)!;
    expect([n.params, n.buffers]).toEqual([6, 6]);
    const a = analyze(noInput('nn.BatchNorm2d(3, affine=False)')).models[0]!.layers.at(-1)!;
    expect([a.params, a.buffers]).toEqual([0, 6]);
    const t = analyze(noInput('nn.BatchNorm2d(3, track_running_stats=False)')).models[0]!.layers.at(-1)!;
    expect([t.params, t.buffers]).toEqual([6, 0]);
  });
  it('GroupNorm(2, 6) with no input: 12; affine=False: 0', () => {
    expect(analyze(noInput('nn.GroupNorm(2, 6)')).models[0]!.layers.at(-1)!.params).toBe(12);
    expect(analyze(noInput('nn.GroupNorm(2, 6, affine=False)')).models[0]!.layers.at(-1)!.params).toBe(0);
  });
  it('Keras BatchNormalization and GroupNormalization on unknown channels: no count, no weights', () => {
    for (const src of [
      keras('layers.BatchNormalization()', '(4, 4, None)'),
      keras('layers.GroupNormalization(groups=2)', '(4, 4, None)'),
    ]) {
      const n = last(src);
      expect([n.params, n.trainableParams, paramSpecs(n)]).toEqual([null, null, null]);
    }
  });
  it('PyTorch BatchNorm2d(3) and GroupNorm(2, 6) on unknown channels count from their arguments', () => {
    const src = (layer: string) =>
      `import sys\nimport torch\nimport torch.nn as nn\nc = int(sys.argv[1])\nmodel = nn.Sequential(${layer})\nout = model(torch.randn(1, c, 4, 4))\n`;
    const b = last(src('nn.BatchNorm2d(3)'));
    expect([b.params, b.buffers]).toEqual([6, 6]);
    expect(paramSpecs(b)!.map((p) => [p.name, p.shape])).toEqual([
      ['weight', [3]],
      ['bias', [3]],
      ['running_mean', [3]],
      ['running_var', [3]],
    ]);
    const g = last(src('nn.GroupNorm(2, 6)'));
    expect([g.params, g.paramsFormula]).toEqual([12, '2·6 (γ, β)']);
    expect(paramSpecs(g)!.map((p) => p.shape)).toEqual([[6], [6]]);
  });
});

describe('what a message marks', () => {
  it('a group refusal marks the groups argument: num_groups in PyTorch, groups in Keras', () => {
    expect(marked(torch('nn.GroupNorm(4, 6)', '1, 6, 4, 4'))).toEqual(['4']);
    expect(marked(torch('nn.GroupNorm(num_groups=4, num_channels=6)', '1, 6, 4, 4'))).toEqual(['4']);
    expect(marked(keras('layers.GroupNormalization(groups=4)', '(4, 4, 6)'))).toEqual(['4']);
  });
  it('an axis past the input (Keras 3: "tuple index out of range") or the batch is refused at the axis', () => {
    // Keras 3 builds γ of the axis' size: axis=4 of a 4-D input has none, axis=0 (the batch) is None
    for (const axis of ['4', '0', '-4']) {
      const src = keras(`layers.BatchNormalization(axis=${axis})`, '(4, 4, 3)');
      const d = analyze(src).diagnostics;
      expect(d.map((x) => [x.severity, x.code, x.args['detail']])).toEqual([
        ['error', 'bad-argument', `axis=${axis} is not a normalizable axis of the 4-D input`],
      ]);
      expect(marked(src)).toEqual([axis]);
    }
  });
  it('the num_features fix has a Korean title', () => {
    const d = analyze(torch('nn.BatchNorm2d(4)', '1, 3, 4, 4')).diagnostics[0]!;
    expect(d.fix!.title.ko).toBe('num_features를 3(으)로 바꾸기');
  });
});

describe('the panel', () => {
  it('LocalResponseNorm shows a norm row, like the other normalizations (batch norm adds its ε, 1e-5 in torch 1.13)', () => {
    expect(panelSpec(last(torch('nn.LocalResponseNorm(2)', '1, 4, 3, 3')))).toEqual({ kind: 'other', row: 'norm' });
    expect(panelSpec(last(torch('nn.BatchNorm2d(4)', '1, 4, 3, 3')))).toEqual({
      kind: 'other',
      row: 'norm',
      explain: { kind: 'batchNorm', epsilon: 1e-5 },
    });
  });
});

describe('layers never called, and the last group-norm details', () => {
  it('after a refused layer, GroupNorm(2, 6) still counts 12 and BatchNorm2d(3) 6 + 6 buffers (torch 1.13)', () => {
    const after = (layer: string) => last(torch(`nn.GroupNorm(4, 6), ${layer}`, '1, 6, 4, 4'));
    expect(after('nn.GroupNorm(2, 6)').params).toBe(12);
    expect(after('nn.GroupNorm(2, 6, affine=False)').params).toBe(0);
    expect(after('nn.GroupNorm(2, 6, affine=False)').params).toBe(0);
    expect([after('nn.BatchNorm2d(3)').params, after('nn.BatchNorm2d(3)').buffers]).toEqual([6, 6]);
    expect([after('nn.BatchNorm2d(3, affine=False)').params, after('nn.BatchNorm2d(3, affine=False)').buffers]).toEqual(
      [0, 6],
    );
  });
  it('after a refused layer, a Keras BatchNormalization or GroupNormalization has no count (channels unknown; Keras has no buffers)', () => {
    const after = (layer: string) => last(keras(`layers.GroupNormalization(groups=4), ${layer}`, '(4, 4, 6)'));
    expect([after('layers.BatchNormalization()').params, after('layers.BatchNormalization()').buffers]).toEqual([
      null,
      0,
    ]);
    expect(after('layers.GroupNormalization(groups=2)').params).toBeNull();
  });
  it('a channel mismatch marks num_channels', () => {
    expect(marked(torch('nn.GroupNorm(2, 4)', '1, 6, 4, 4'))).toEqual(['4']);
  });
  it('GroupNorm(2, 6, affine=False): the formula reads 0', () => {
    expect(last(torch('nn.GroupNorm(2, 6, affine=False)', '1, 6, 4, 4')).paramsFormula).toBe('0');
  });
});
