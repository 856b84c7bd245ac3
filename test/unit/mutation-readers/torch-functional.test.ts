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

describe('F.conv2d with None for stride, padding, dilation or groups (torch 1.13 and 2.x raise TypeError)', () => {
  it.each([
    ['F.conv2d(x, self.m.weight, self.m.bias, None)', 'stride', 'an int or a tuple of ints'],
    ['F.conv2d(x, self.m.weight, None, padding=None)', 'padding', "an int, a tuple of ints, 'valid' or 'same'"],
    ['F.conv2d(x, self.m.weight, dilation=None)', 'dilation', 'an int or a tuple of ints'],
    ['F.conv2d(x, self.m.weight, groups=None)', 'groups', 'an int'],
  ])('%s is an error at %s, with no output shape', (call, arg, takes) => {
    const src = mod('nn.Conv2d(3, 4, 3)', call, '1, 3, 8, 8');
    const d = analyze(src).diagnostics.filter((x) => x.severity === 'error');
    expect(d.map((x) => [x.code, diagnosticMessage(x)])).toEqual([
      ['bad-argument', expect.stringContaining(`${arg}=None: conv2d() takes ${takes}, not None`)],
    ]);
    expect(last(src).outputShape ?? null).toBeNull();
    // marked on the call that holds it
    expect(src.slice(d[0]!.range.from, d[0]!.range.to)).toBe(call);
  });
});

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

describe('which argument names the layer: any one of its tensors (torch 1.13 refuses a size mismatch)', () => {
  const refused = (init: string, call: string, input: string) => {
    const src = mod(init, call, input);
    return [messages(src).map((m) => m[0]), last(src).outputShape];
  };
  it('F.batch_norm: a BatchNorm2d(4)’s weight or bias alone on 3 channels is an error', () => {
    for (const call of [
      'F.batch_norm(x, None, None, self.m.weight, training=True)',
      'F.batch_norm(x, None, None, None, self.m.bias, training=True)',
    ])
      expect(messages(mod('nn.BatchNorm2d(4)', call, '1, 3, 4, 4'))).toEqual([
        ['error', 'channel-mismatch', 'F.batch_norm: expects 4 input channels (num_features=4) but receives 3'],
      ]);
  });
  it('F.instance_norm: an InstanceNorm2d(4, affine=True)’s weight or bias alone on 3 channels is refused', () => {
    for (const call of ['F.instance_norm(x, weight=self.m.weight)', 'F.instance_norm(x, bias=self.m.bias)'])
      expect(refused('nn.InstanceNorm2d(4, affine=True)', call, '1, 3, 4, 4')).toEqual([['error'], null]);
  });
  it('F.layer_norm: a LayerNorm(5)’s weight or bias on a (N, 3) input is refused (torch: "Given normalized_shape=[5]")', () => {
    for (const call of ['F.layer_norm(x, (3,), self.m.weight)', 'F.layer_norm(x, (3,), None, self.m.bias)'])
      expect(messages(mod('nn.LayerNorm(5)', call, '2, 3'))).toEqual([
        [
          'error',
          'bad-argument',
          'F.layer_norm: Given normalized_shape=[5], expected input with shape [*, 5], but got input of size (N, 3)',
        ],
      ]);
  });
  it('F.group_norm: a GroupNorm(2, 6)’s weight or bias alone on 4 channels is refused', () => {
    for (const call of ['F.group_norm(x, 2, self.m.weight)', 'F.group_norm(x, 2, None, self.m.bias)'])
      expect(refused('nn.GroupNorm(2, 6)', call, '1, 4, 3')).toEqual([['error'], null]);
  });
  it("F.linear with a tensor that is no layer's: not read", () => {
    expect(unread(mod('nn.Identity()', 'F.linear(x, torch.ones(3, 5))', '2, 5'))).toEqual([
      'F.linear: the weight of F.linear is not a Linear layer’s; shapes after it are not computed',
    ]);
  });
});

describe('normalization functions with tensors that are no layer’s (torch 1.13, γ = 2, 3 and β = 1, −1)', () => {
  const W = { weight: [2, 3], bias: [1, -1], running_mean: [1, 2], running_var: [4, 9] };
  /** F.<call> in forward() after w, b, m, v = four plain tensors; the run is given W by name. */
  const run = (call: string, input = '1, 2, 3', s = [1, 2, 3]) =>
    forward(
      mod(
        'nn.Identity()',
        `${call}\n\nw = torch.ones(2)\nb = torch.zeros(2)\nm = torch.zeros(2)\nv = torch.ones(2)`,
        input,
      ).replace(
        /return (.*)\n\n((?:.*\n){4})/,
        (_all, c: string, decls: string) =>
          `${decls
            .trim()
            .split('\n')
            .map((l) => `${l}\n        `)
            .join('')}return ${c}\n`,
      ),
      s,
      X2,
      W,
    );
  it('F.batch_norm: γ alone, β alone, running statistics alone, eps', () => {
    close(
      run('F.batch_norm(x, None, None, w, None, True)'),
      [-2.138083, -0.534521, 2.672604, -4.24263, 2.121315, 2.121315],
    );
    close(
      run('F.batch_norm(x, None, None, None, b, True)'),
      [-0.069041, 0.73274, 2.336302, -2.41421, -0.292895, -0.292895],
    );
    close(run('F.batch_norm(x, m, v, None, None, False)'), [0, 0.499999, 1.499998, -0.666666, 0.333333, 0.333333]);
    close(
      run('F.batch_norm(x, None, None, training=True, eps=1.0)'),
      [-0.834058, -0.208514, 1.042572, -1.154701, 0.57735, 0.57735],
    );
  });
  it('F.instance_norm: γ and β, eps; a 4-D input over H and W', () => {
    close(run('F.instance_norm(x, weight=w, bias=b)'), [-1.138083, 0.465479, 3.672604, -5.24263, 1.121315, 1.121315]);
    close(run('F.instance_norm(x, eps=1.0)'), [-0.834058, -0.208514, 1.042572, -1.154701, 0.57735, 0.57735]);
    close(
      run('F.instance_norm(x)', '1, 1, 2, 3', [1, 1, 2, 3]),
      [-0.868241, -0.124034, 1.364378, -1.612447, 0.620172, 0.620172],
    );
  });
  it('F.layer_norm: γ alone, β alone, eps', () => {
    const w3 = { weight: [1, 2, 3], bias: [0, 1, 0] };
    const ln = (call: string) =>
      forward(
        mod('nn.Identity()', call.replace('W3', 'torch.ones(3)').replace('B3', 'torch.zeros(3)'), '1, 2, 3'),
        [1, 2, 3],
        X2,
        w3,
      );
    close(ln('F.layer_norm(x, (3,), W3)'), [-1.069041, -0.534521, 4.008905, -1.41421, 1.41421, 2.121315]);
    close(ln('F.layer_norm(x, (3,), None, B3)'), [-1.069041, 0.73274, 1.336302, -1.41421, 1.707105, 0.707105]);
    close(ln('F.layer_norm(x, (3,), eps=1.0)'), [-0.834058, -0.208514, 1.042572, -1.154701, 0.57735, 0.57735]);
  });
  it('F.group_norm: γ alone, β alone, eps', () => {
    close(run('F.group_norm(x, 1, w)'), [-1.736482, -0.248069, 2.728757, -4.837341, 1.860516, 1.860516]);
    close(run('F.group_norm(x, 1, None, b)'), [0.131759, 0.875966, 2.364378, -2.612447, -0.379828, -0.379828]);
    close(run('F.group_norm(x, 1, None, None, 1.0)'), [-0.696526, -0.099504, 1.094541, -1.293548, 0.497519, 0.497519]);
  });
  it('F.instance_norm with running statistics and use_input_stats=False uses them (torch 2.x)', () => {
    const src = mod(
      'nn.InstanceNorm1d(2, affine=True, track_running_stats=True)',
      'F.instance_norm(x, self.m.running_mean, self.m.running_var, self.m.weight, self.m.bias, use_input_stats=False)',
      '1, 2, 3',
    );
    close(forward(src, [1, 2, 3], X2, W), [1, 2, 4, -3, 0, 0]);
  });
});
