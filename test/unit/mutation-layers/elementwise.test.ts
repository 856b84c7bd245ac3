/**
 * Arithmetic written in forward() as a user sees it: PyTorch broadcasting of two tensors (known and
 * symbolic sizes) and its error in PyTorch's words, torch.add/sub with alpha, tensors the model holds
 * (nn.Parameter), Python numbers, the formulas the panel explains them with (numbers as Python writes
 * them), and the values (torch 1.13).
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { diagnosticMessage } from '../../../src/model/diagnostics';
import { panelSpec } from '../../../src/model/nodes';
import { dimText } from '../../../src/shared/dims';
import { tensor } from '../../../src/engine';
import { runModel } from '../../../src/runtime/forward';

/** a module with a 1×1 convolution to 5 channels (self.c), `init` in its constructor, returning `expr` */
const net = (init: string, expr: string, input = '2, 3, 4, 4') =>
  `import sys\nimport torch\nimport torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.c = nn.Conv2d(3, 5, 1)\n${init ? `        ${init}\n` : ''}    def forward(self, x):\n        return ${expr}\nmodel = Net()\n` +
  `out = model(torch.randn(${input}))\n`;

/** the same without the convolution, and without an input: symbolic (N, C, H, W) */
const bare = (init: string, expr: string) =>
  `import torch\nimport torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n${init ? `        ${init}\n` : ''}    def forward(self, x):\n        return ${expr}\nmodel = Net()\n`;

const last = (src: string) => analyze(src).models[0]!.layers.at(-1)!;
const shape = (src: string) => last(src).outputShape?.map(dimText) ?? null;
const messages = (src: string) => analyze(src).diagnostics.map((d) => [d.severity, d.code, diagnosticMessage(d)]);
const formula = (init: string, expr: string) => {
  const p = panelSpec(last(net(init, expr)));
  return p.explain?.kind === 'arithmetic' ? p.explain.formula : null;
};
function forward(src: string, shape: number[], data: number[]): number[] {
  const graph = analyze(src).models[0]!;
  return Array.from(runModel(graph, tensor(shape, data), () => new Float32Array(0)).at(-1)!.output.data);
}
const close = (got: number[], want: number[]) => {
  expect(got).toHaveLength(want.length);
  want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
};
// x of shape (1, 1, 2, 2)
const X = [1, -2, 3, 0.5];
const run = (init: string, expr: string, data = X, shape = [1, 1, 2, 2]) =>
  forward(net(init, expr, shape.join(', ')), shape, data);

describe('two tensors: broadcasting and its error', () => {
  it('x * x.mean(1, keepdim=True) and x + x keep (N, 3, 4, 4); torch.maximum with one channel too', () => {
    expect(shape(net('', 'x * x.mean(1, keepdim=True)'))).toEqual(['N', '3', '4', '4']);
    expect(shape(net('', 'torch.maximum(x, self.c(x)[:, :1])'))).toEqual(['N', '3', '4', '4']);
    expect(shape(net('', 'x.mean(1, keepdim=True) * x'))).toEqual(['N', '3', '4', '4']);
  });
  it('3 channels and 5 are the error PyTorch raises, in its words (torch 1.13)', () => {
    expect(messages(net('', 'x + self.c(x)'))).toEqual([
      [
        'error',
        'bad-argument',
        'add: The size of tensor a (3) must match the size of tensor b (5) at non-singleton dimension 1 (shapes (N, 3, 4, 4) and (N, 5, 4, 4))',
      ],
    ]);
    expect(last(net('', 'x + self.c(x)')).outputShape).toBeNull();
  });
  it('a (3, 1, 1) parameter against symbolic (N, C, H, W): C must be 3 → (N, 3, H, W)', () => {
    expect(shape(bare('self.g = nn.Parameter(torch.ones(3, 1, 1))', 'self.g * x'))).toEqual(['N', '3', 'H', 'W']);
    expect(shape(bare('self.g = nn.Parameter(torch.ones(3, 1, 1))', 'x * self.g'))).toEqual(['N', '3', 'H', 'W']);
  });
  it('two symbolic sizes: the same stays, H against W is their max', () => {
    expect(shape(bare('', 'x + x'))).toEqual(['N', 'C', 'H', 'W']);
    expect(shape(bare('', 'x + x.transpose(2, 3)'))).toEqual(['N', 'C', 'max(H, W)', 'max(W, H)']);
  });
  it('no parameters, the formula 0; the output keeps the receptive field', () => {
    const n = last(net('', 'x * x.mean(1, keepdim=True)'));
    expect([n.params, n.paramsFormula]).toEqual([0, '0']);
    const s = last(net('', 'x * 0.5'));
    expect([s.params, s.paramsFormula]).toEqual([0, '0']);
  });
});

describe('values (torch 1.13, x = 1, −2, 3, 0.5)', () => {
  it('torch.add(x, x ** 2, alpha=2) = x + 2x²; torch.sub(x, x ** 2, alpha=0.5) = x − x²/2', () => {
    close(run('', 'torch.add(x, x ** 2, alpha=2)'), [3, 6, 21, 1]);
    close(run('', 'torch.sub(x, x ** 2, alpha=0.5)'), [0.5, -4, -1.5, 0.375]);
  });
  it('torch.maximum(x, -x), torch.minimum(x, x ** 2), x / x ** 2', () => {
    close(run('', 'torch.maximum(x, -x)'), [1, 2, 3, 0.5]);
    close(run('', 'torch.minimum(x, x ** 2)'), [1, -2, 3, 0.25]);
    close(run('', 'x / (x ** 2)'), [1, -0.5, 1 / 3, 2]);
  });
  it('Python numbers: 1 − x, 2 ** x, x / 4, −x', () => {
    close(run('', '1 - x'), [0, 3, -2, 0.5]);
    close(run('', '2 ** x'), [2, 0.25, 8, Math.SQRT2]);
    close(run('', 'x / 4'), [0.25, -0.5, 0.75, 0.125]);
    close(run('', '-x'), [-1, 2, -3, -0.5]);
  });
  it('a parameter of known values, first or second: g · x with g = (1, 2, −1) per channel; x − 2', () => {
    const y = Array.from({ length: 12 }, (_, i) => i);
    close(
      run('self.g = nn.Parameter(torch.tensor([[[1.0]], [[2.0]], [[-1.0]]]))', 'self.g * x', y, [1, 3, 2, 2]),
      [0, 1, 2, 3, 8, 10, 12, 14, -8, -9, -10, -11],
    );
    close(
      run('self.g = nn.Parameter(torch.tensor(2.0))', 'x - self.g', y, [1, 3, 2, 2]),
      [-2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
  });
  it('a parameter of trained (unknown) values, or a number read at run time, is not run, and says why', () => {
    const unknownTensor = analyze(net('self.g = nn.Parameter(torch.randn(1, 2, 2))', 'x * self.g', '1, 1, 2, 2'));
    expect(() => runModel(unknownTensor.models[0]!, tensor([1, 1, 2, 2], X), () => new Float32Array(0))).toThrow(
      ': the values of the tensor it uses are not known',
    );
    const unknownNumber = analyze(net('self.s = float(sys.argv[1])', 'x * self.s', '1, 1, 2, 2'));
    expect(() => runModel(unknownNumber.models[0]!, tensor([1, 1, 2, 2], X), () => new Float32Array(0))).toThrow(
      ': the number it uses is not known',
    );
  });
});

describe('the formulas the panel shows', () => {
  it.each([
    ['x * 0.5', 'out = x × 0.5'],
    ['1 - x', 'out = 1 − x'],
    ['x ** 2', 'out = x ** 2'],
    ['2 ** x', 'out = 2 ** x'],
    ['-x', 'out = −x'],
    ['x * -1', 'out = −x'],
    ['x + -1', 'out = x + -1'],
    ['x / 255', 'out = x ÷ 255'],
    ['255 / x', 'out = 255 ÷ x'],
    ['x * 1e-6', 'out = x × 1e-06'],
    ['x * 1e-5', 'out = x × 1e-05'],
    ['x * 0.0001', 'out = x × 0.0001'],
    ['x * 0', 'out = x × 0'],
    ['x + 2.5e-7', 'out = x + 2.5e-07'],
    ['x - 1.5e-10', 'out = x − 1.5e-10'],
  ])('%s: %s (Python writes 1e-06, 1e-05, 0.0001)', (expr, want) => {
    expect(formula('', expr)).toBe(want);
  });
  it('a number read at run time is ?', () => {
    expect(formula('self.s = float(sys.argv[1])', 'x * self.s')).toBe('out = x × ?');
  });
  it('tensors the model holds are t, with their shape; alpha multiplies the second; max and min are calls', () => {
    expect(formula('self.g = nn.Parameter(torch.ones(3, 1, 1))', 'self.g * x')).toBe('out = t × x (t: (3, 1, 1))');
    expect(formula('self.g = nn.Parameter(torch.ones(3, 1, 1))', 'x * self.g')).toBe('out = x × t (t: (3, 1, 1))');
    expect(formula('self.g = nn.Parameter(torch.tensor(2.0))', 'x - self.g')).toBe('out = x − t (t: a scalar)');
    expect(formula('', 'torch.add(x, x, alpha=2)')).toBe('out = A + 2 × B');
    expect(formula('', 'torch.sub(x, x, alpha=0.5)')).toBe('out = A − 0.5 × B');
    expect(formula('', 'torch.add(x, x, alpha=1e-5)')).toBe('out = A + 1e-05 × B');
    expect(formula('self.g = nn.Parameter(torch.ones(3, 1, 1))', 'torch.maximum(x, self.g)')).toBe(
      'out = max(x, t) (t: (3, 1, 1))',
    );
    expect(formula('self.g = nn.Parameter(torch.ones(3, 1, 1))', 'torch.minimum(self.g, x)')).toBe(
      'out = min(t, x) (t: (3, 1, 1))',
    );
  });
  it('two tensors of the model are a merge row; with a held tensor or alpha, an arithmetic merge row; a number, an other row', () => {
    expect(panelSpec(last(net('', 'x / x')))).toEqual({
      kind: 'other',
      row: 'merge',
      explain: { kind: 'merge', op: 'divide', axis: -1 },
    });
    expect(panelSpec(last(net('', 'torch.minimum(x, x)')))).toEqual({
      kind: 'other',
      row: 'merge',
      explain: { kind: 'merge', op: 'minimum', axis: -1 },
    });
    expect(panelSpec(last(net('', 'torch.add(x, x, alpha=2)')))).toEqual({
      kind: 'other',
      row: 'merge',
      explain: { kind: 'arithmetic', formula: 'out = A + 2 × B' },
    });
    expect(panelSpec(last(net('self.g = nn.Parameter(torch.ones(3, 1, 1))', 'x * self.g')))).toEqual({
      kind: 'other',
      row: 'merge',
      explain: { kind: 'arithmetic', formula: 'out = x × t (t: (3, 1, 1))' },
    });
    expect(panelSpec(last(net('', 'x * 0.5')))).toEqual({
      kind: 'other',
      row: 'other',
      explain: { kind: 'arithmetic', formula: 'out = x × 0.5' },
    });
  });
});
