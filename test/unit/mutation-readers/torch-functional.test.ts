/**
 * The torch.nn.functional calls that take a layer's tensors (F.batch_norm, F.instance_norm,
 * F.layer_norm, F.group_norm, F.conv1d/conv2d, F.linear), as a user sees them: the output shape
 * with the stride, padding, dilation and groups given to the call, the reason shown when the
 * weight is not a layer's or an argument cannot be read, and values with the arguments given to
 * the call (eps, num_groups, a bias left out, training statistics). Shapes, messages and values
 * are torch 1.13's for the same source.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { diagnosticMessage } from '../../../src/model/diagnostics';
import { dimText } from '../../../src/shared/dims';
import { tensor } from '../../../src/engine';
import { runModel } from '../../../src/runtime/forward';

const mod = (init: string, call: string, input: string) =>
  'import sys\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nk = int(sys.argv[1])\n' +
  `class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.m = ${init}\n` +
  `    def forward(self, x):\n        return ${call}\nmodel = M()\nout = model(torch.randn(${input}))\n`;
const last = (src: string) => analyze(src).models[0]!.layers.at(-1)!;
const shape = (src: string) => last(src).outputShape?.map(dimText).slice(1) ?? null;
const messages = (src: string) => analyze(src).diagnostics.map((d) => [d.severity, d.code, diagnosticMessage(d)]);
function forward(src: string, s: number[], data: number[], w: Record<string, number[]> = {}): number[] {
  const g = analyze(src).models[0]!;
  const out = runModel(g, tensor(s, data), (_n, p) => Float32Array.from(w[p.name] ?? [])).at(-1)!.output;
  return Array.from(out.data);
}
const close = (a: number[], b: number[]) => {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 4));
};
/** x of shape (1, 2, 3) and (1, 4, 3). */
const X2 = [1, 2, 4, 0, 3, 3];
const X4 = [1, 2, 4, 0, 3, 3, 2, 2, 5, 1, 0, 0];
const unread = (src: string) => messages(src).map((m) => m[2]);

describe('F.conv1d / F.conv2d with a convolution layer’s weight (torch 1.13 shapes)', () => {
  it('positional stride 2, padding 1: (1, 3, 8, 8) → (4, 4, 4)', () => {
    expect(
      shape(mod('nn.Conv2d(3, 4, 3)', 'F.conv2d(x, self.m.weight, self.m.bias, 2, 1, 1, 1)', '1, 3, 8, 8')),
    ).toEqual(['4', '4', '4']);
  });
  it('padding=(2, 0), dilation=2: (4, 8, 4); stride=(1, 2): (4, 6, 3)', () => {
    expect(
      shape(mod('nn.Conv2d(3, 4, 3)', 'F.conv2d(x, self.m.weight, None, padding=(2, 0), dilation=2)', '1, 3, 8, 8')),
    ).toEqual(['4', '8', '4']);
    expect(shape(mod('nn.Conv2d(3, 4, 3)', 'F.conv2d(x, self.m.weight, stride=(1, 2))', '1, 3, 8, 8'))).toEqual([
      '4',
      '6',
      '3',
    ]);
  });
  it("padding='same' keeps 8×8, 'valid' gives 6×6, and the layer's own padding is not used", () => {
    expect(shape(mod('nn.Conv2d(3, 4, 3)', "F.conv2d(x, self.m.weight, padding='same')", '1, 3, 8, 8'))).toEqual([
      '4',
      '8',
      '8',
    ]);
    expect(
      shape(mod('nn.Conv2d(3, 4, 3, padding=1)', "F.conv2d(x, self.m.weight, padding='valid')", '1, 3, 8, 8')),
    ).toEqual(['4', '6', '6']);
    expect(shape(mod('nn.Conv2d(3, 4, 3, padding=1, stride=2)', 'F.conv2d(x, self.m.weight)', '1, 3, 8, 8'))).toEqual([
      '4',
      '6',
      '6',
    ]);
  });
  it('groups=2 with a grouped layer: (1, 4, 8, 8) → (4, 6, 6); F.conv1d: (1, 2, 9) stride 2 → (3, 4)', () => {
    expect(
      shape(
        mod('nn.Conv2d(4, 4, 3, groups=2)', "F.conv2d(x, self.m.weight, self.m.bias, 1, 'valid', 1, 2)", '1, 4, 8, 8'),
      ),
    ).toEqual(['4', '6', '6']);
    expect(shape(mod('nn.Conv1d(2, 3, 3)', 'F.conv1d(x, self.m.weight, stride=2)', '1, 2, 9'))).toEqual(['3', '4']);
  });
  it('a bias: with self.m.bias the values add it, with None or left out they do not', () => {
    const w = { weight: [1, 1, 1], bias: [10] };
    const x = [1, 2, 3, 4];
    expect(
      forward(mod('nn.Conv1d(1, 1, 3)', 'F.conv1d(x, self.m.weight, self.m.bias)', '1, 1, 4'), [1, 1, 4], x, w),
    ).toEqual([16, 19]);
    expect(forward(mod('nn.Conv1d(1, 1, 3)', 'F.conv1d(x, self.m.weight, None)', '1, 1, 4'), [1, 1, 4], x, w)).toEqual([
      6, 9,
    ]);
    expect(forward(mod('nn.Conv1d(1, 1, 3)', 'F.conv1d(x, self.m.weight)', '1, 1, 4'), [1, 1, 4], x, w)).toEqual([
      6, 9,
    ]);
  });
  it('an unreadable stride, padding, dilation or groups, or a mode PyTorch does not have, stops the shapes', () => {
    const why =
      'F.conv2d: the stride, padding, dilation or groups of F.conv could not be read; shapes after it are not computed';
    for (const call of [
      "F.conv2d(x, self.m.weight, padding='full')",
      'F.conv2d(x, self.m.weight, stride=(1, 2, 3))',
      'F.conv2d(x, self.m.weight, stride=k)',
      'F.conv2d(x, self.m.weight, dilation=(1, 2, 3))',
      'F.conv2d(x, self.m.weight, dilation=k)',
      'F.conv2d(x, self.m.weight, groups=k)',
      'F.conv2d(x, self.m.weight, padding=k)',
      'F.conv2d(x, self.m.weight, padding=(1, 2, 3))',
    ]) {
      const src = mod('nn.Conv2d(3, 4, 3)', call, '1, 3, 8, 8');
      expect(unread(src)).toEqual([why]);
      expect(last(src).outputShape).toBeNull();
    }
  });
  it('a weight that is not a plain convolution’s: a Linear’s, a transposed or depthwise one’s, a tensor', () => {
    const why = 'F.conv2d: the weight of F.conv is not a convolution layer’s; shapes after it are not computed';
    expect(unread(mod('nn.Linear(5, 3)', 'F.conv2d(x, self.m.weight)', '1, 3, 8, 8'))).toEqual([why]);
    expect(unread(mod('nn.ConvTranspose2d(4, 3, 3)', 'F.conv2d(x, self.m.weight)', '1, 3, 8, 8'))).toEqual([why]);
    expect(unread(mod('nn.Conv2d(3, 4, 3)', 'F.conv2d(x, torch.ones(4, 3, 3, 3))', '1, 3, 8, 8'))).toEqual([why]);
  });
});

describe('F.linear', () => {
  it("a Linear's weight: (2, 5) → (N, 3); the bias only when given (torch 1.13 values)", () => {
    expect(shape(mod('nn.Linear(5, 3)', 'F.linear(x, self.m.weight)', '2, 5'))).toEqual(['3']);
    const w = { weight: [1, 0, 1, 0, 2, 0], bias: [5, 7] };
    const src = (call: string) => mod('nn.Linear(3, 2)', call, '1, 2, 3');
    expect(forward(src('F.linear(x, self.m.weight)'), [1, 2, 3], X2, w)).toEqual([5, 4, 3, 6]);
    expect(forward(src('F.linear(x, self.m.weight, None)'), [1, 2, 3], X2, w)).toEqual([5, 4, 3, 6]);
    expect(forward(src('F.linear(x, self.m.weight, self.m.bias)'), [1, 2, 3], X2, w)).toEqual([10, 11, 8, 13]);
  });
  it("a weight that is not a Linear's stops the shapes, with that reason", () => {
    expect(unread(mod('nn.Conv2d(3, 4, 3)', 'F.linear(x, self.m.weight)', '2, 5'))).toEqual([
      'F.linear: the weight of F.linear is not a Linear layer’s; shapes after it are not computed',
    ]);
  });
});

describe('normalization functions (torch 1.13 values on x = [[1, 2, 4], [0, 3, 3]])', () => {
  const bnW = { weight: [2, 3], bias: [1, -1], running_mean: [1, 2], running_var: [4, 9] };
  it('F.batch_norm with a BatchNorm1d’s tensors in eval mode: the running statistics', () => {
    const src = mod(
      'nn.BatchNorm1d(2)',
      'F.batch_norm(x, self.m.running_mean, self.m.running_var, self.m.weight, self.m.bias, False, 0.1, 1e-5)',
      '1, 2, 3',
    );
    expect(shape(src)).toEqual(['2', '3']);
    close(forward(src, [1, 2, 3], X2, bnW), [1, 2, 4, -3, 0, 0]);
  });
  it('F.batch_norm eps=1.0 is used, not the layer’s', () => {
    const src = mod(
      'nn.BatchNorm1d(2)',
      'F.batch_norm(x, self.m.running_mean, self.m.running_var, self.m.weight, self.m.bias, eps=1.0)',
      '1, 2, 3',
    );
    close(forward(src, [1, 2, 3], X2, bnW), [1, 1.894427, 3.683281, -2.897367, -0.051317, -0.051317]);
  });
  it('F.batch_norm(x, None, None, training=True) without a layer: batch statistics, no γ, β', () => {
    const src = mod('nn.Identity()', 'F.batch_norm(x, None, None, training=True)', '1, 2, 3');
    expect(shape(src)).toEqual(['2', '3']);
    close(forward(src, [1, 2, 3], X2), [-1.069041, -0.26726, 1.336302, -1.41421, 0.707105, 0.707105]);
  });
  it('F.instance_norm with an InstanceNorm1d’s γ, β: eps=1.0 is used', () => {
    const src = mod(
      'nn.InstanceNorm1d(2, affine=True)',
      'F.instance_norm(x, weight=self.m.weight, bias=self.m.bias, eps=1.0)',
      '1, 2, 3',
    );
    close(forward(src, [1, 2, 3], X2, bnW), [-0.668115, 0.582971, 3.085144, -4.464102, 0.732051, 0.732051]);
  });
  it('F.instance_norm with running statistics passed uses the input’s own by default (use_input_stats=True)', () => {
    const src = mod(
      'nn.InstanceNorm1d(2, affine=True, track_running_stats=True)',
      'F.instance_norm(x, self.m.running_mean, self.m.running_var, self.m.weight, self.m.bias)',
      '1, 2, 3',
    );
    close(forward(src, [1, 2, 3], X2, bnW), [-1.138083, 0.465479, 3.672604, -5.24263, 1.121315, 1.121315]);
  });
  it('F.instance_norm(x) without a layer: the input’s statistics, no γ, β', () => {
    const src = mod('nn.Identity()', 'F.instance_norm(x)', '1, 2, 3');
    close(forward(src, [1, 2, 3], X2), [-1.069041, -0.26726, 1.336302, -1.41421, 0.707105, 0.707105]);
  });
  it('F.layer_norm with a LayerNorm’s γ, β and eps=1.0; without them, plain', () => {
    const w = { weight: [1, 2, 3], bias: [0, 1, 0] };
    const src = mod('nn.LayerNorm(3)', 'F.layer_norm(x, (3,), self.m.weight, self.m.bias, 1.0)', '1, 2, 3');
    close(forward(src, [1, 2, 3], X2, w), [-0.834058, 0.582971, 3.127716, -1.154701, 2.154701, 1.732051]);
    const plain = mod('nn.Identity()', 'F.layer_norm(x, (3,))', '1, 2, 3');
    expect(shape(plain)).toEqual(['2', '3']);
    close(forward(plain, [1, 2, 3], X2), [-1.069041, -0.26726, 1.336302, -1.41421, 0.707105, 0.707105]);
  });
  it('F.layer_norm with a normalized_shape computed at run time stops the shapes', () => {
    expect(unread(mod('nn.Identity()', 'F.layer_norm(x, (k,))', '1, 2, 3'))).toEqual([
      'F.layer_norm: its normalized_shape could not be read; shapes after it are not computed',
    ]);
  });
  it('F.group_norm with a GroupNorm(2, 4)’s γ, β: the num_groups and eps given to the call', () => {
    const w = { weight: [1, 2, 1, 1], bias: [0, 0, 1, 0] };
    const call = (g: string) =>
      mod('nn.GroupNorm(2, 4)', `F.group_norm(x, ${g}, self.m.weight, self.m.bias)`, '1, 4, 3');
    close(
      forward(call('2'), [1, 4, 3], X4, w),
      [
        -0.868241, -0.124034, 1.364378, -3.224894, 1.240344, 1.240344, 1.196116, 1.196116, 2.961158, -0.392232,
        -0.980579, -0.980579,
      ],
    );
    close(
      forward(call('1'), [1, 4, 3], X4, w),
      [
        -0.59051, 0.053683, 1.342067, -2.469404, 1.39575, 1.39575, 1.053683, 1.053683, 2.98626, -0.59051, -1.234702,
        -1.234702,
      ],
    );
    const eps = mod('nn.GroupNorm(2, 4)', 'F.group_norm(x, 2, self.m.weight, self.m.bias, 1.0)', '1, 4, 3');
    close(
      forward(eps, [1, 4, 3], X4, w),
      [
        -0.696526, -0.099504, 1.094541, -2.587097, 0.995037, 0.995037, 1.169031, 1.169031, 2.690309, -0.338062,
        -0.845154, -0.845154,
      ],
    );
  });
  it('F.group_norm(x, 3) on 4 channels is refused; an unreadable num_groups stops the shapes', () => {
    expect(messages(mod('nn.Identity()', 'F.group_norm(x, 3)', '1, 4, 3'))).toEqual([
      ['error', 'bad-argument', 'F.group_norm: num_channels=4 must be divisible by num_groups=3'],
    ]);
    expect(unread(mod('nn.Identity()', 'F.group_norm(x, k)', '1, 4, 3'))).toEqual([
      'F.group_norm: the num_groups of F.group_norm could not be read; shapes after it are not computed',
    ]);
  });
});
