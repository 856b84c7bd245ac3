/**
 * Reductions written in forward() as a user sees them: shapes for a dim, a negative dim, a list,
 * keepdim and every axis (a 0-d result), PyTorch's messages for a dim out of range (0-d tensors
 * included) and a dim repeated, and values of mean, sum, amax, amin and x.max(dim)/x.min(dim)
 * (values and indices). Every shape, message and value is torch 1.13's.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { panelSpec } from '../../../src/model/nodes';
import { dimText } from '../../../src/shared/dims';
import { tensor } from '../../../src/engine';
import { runModel } from '../../../src/runtime/forward';

const fn = (body: string, input: string) =>
  'import torch\nimport torch.nn as nn\n' +
  `class M(nn.Module):\n    def forward(self, x):\n        return ${body}\nmodel = M()\nout = model(torch.randn(${input}))\n`;
const last = (src: string) => analyze(src).models[0]!.layers.at(-1)!;
const shape = (e: string) => last(fn(e, '2, 3, 4')).outputShape?.map(dimText) ?? null;
const errors = (e: string) =>
  analyze(fn(e, '2, 3, 4'))
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => [d.code, d.args.detail]);
/** The output of the last layer, or of x.max(dim)/x.min(dim)'s indices when `indices`. */
function forward(e: string, indices = false): { shape: number[]; data: number[] } {
  const g = analyze(fn(e, '1, 2, 3')).models[0]!;
  const runs = runModel(g, tensor([1, 2, 3], [1, 5, 2, 4, 0, 3]), () => new Float32Array(0));
  const out = (indices ? runs.find((r) => r.layer.spec.type.endsWith('.indices'))! : runs.at(-1)!).output;
  return { shape: [...out.shape], data: Array.from(out.data) };
}

describe('reductions: shapes (x of (N, 3, 4))', () => {
  it('x.mean(1) → (N, 4); x.mean(-1) → (N, 3); keepdim → (N, 1, 4); x.mean(-3), the batch → (3, 4)', () => {
    expect(shape('x.mean(1)')).toEqual(['N', '4']);
    expect(shape('x.mean(-1)')).toEqual(['N', '3']);
    expect(shape('x.mean(1, keepdim=True)')).toEqual(['N', '1', '4']);
    expect(shape('x.mean(-3)')).toEqual(['3', '4']);
  });
  it('x.mean([1, 2]) → (N,); keepdim → (N, 1, 1); x.sum((0, 2)) → (3,)', () => {
    expect(shape('x.mean([1, 2])')).toEqual(['N']);
    expect(shape('x.mean([1, 2], keepdim=True)')).toEqual(['N', '1', '1']);
    expect(shape('x.sum((0, 2))')).toEqual(['3']);
  });
  it('x.mean() and x.amax() → a 0-d tensor; torch.max(x) too', () => {
    expect(shape('x.mean()')).toEqual([]);
    expect(shape('x.amax()')).toEqual([]);
    expect(shape('torch.max(x)')).toEqual([]);
  });
  it('a 0-d tensor takes dim 0 and −1 (torch 1.13: range [−1, 0])', () => {
    expect(shape('x.sum().mean(0)')).toEqual([]);
    expect(shape('x.sum().mean(-1)')).toEqual([]);
    expect(errors('x.sum().mean(0)')).toEqual([]);
  });
  it('no parameters, formula 0, no receptive field, an other row', () => {
    const n = last(fn('x.mean(1)', '2, 3, 4'));
    expect([n.params, n.paramsFormula, n.receptiveField]).toEqual([0, '0', null]);
    expect(panelSpec(n)).toEqual({ kind: 'other', row: 'other' });
  });
});

describe("reductions: PyTorch's refusals", () => {
  it('a dim out of range, either side', () => {
    expect(errors('x.mean(3)')).toEqual([
      ['bad-argument', 'Dimension out of range (expected to be in range of [-3, 2], but got 3)'],
    ]);
    expect(errors('x.mean(-4)')).toEqual([
      ['bad-argument', 'Dimension out of range (expected to be in range of [-3, 2], but got -4)'],
    ]);
    expect(errors('x.mean([1, 5])')).toEqual([
      ['bad-argument', 'Dimension out of range (expected to be in range of [-3, 2], but got 5)'],
    ]);
    expect(last(fn('x.mean(3)', '2, 3, 4')).outputShape).toBeNull();
  });
  it('on a 0-d tensor: dim 1 and −2', () => {
    expect(errors('x.sum().mean(1)')).toEqual([
      ['bad-argument', 'Dimension out of range (expected to be in range of [-1, 0], but got 1)'],
    ]);
    expect(errors('x.sum().mean(-2)')).toEqual([
      ['bad-argument', 'Dimension out of range (expected to be in range of [-1, 0], but got -2)'],
    ]);
  });
  it('a dim repeated, as written or once made positive', () => {
    expect(errors('x.mean([1, 1])')).toEqual([['bad-argument', 'dim 1 appears multiple times in the list of dims']]);
    expect(errors('x.mean([1, -2])')).toEqual([['bad-argument', 'dim 1 appears multiple times in the list of dims']]);
  });
});

describe('reductions: values on [[1, 5, 2], [4, 0, 3]] (torch 1.13)', () => {
  it('mean(2): 2.6667, 2.3333; sum(-1, keepdim=True): 8, 7 in (1, 2, 1)', () => {
    const m = forward('x.mean(2)');
    expect(m.shape).toEqual([1, 2]);
    m.data.forEach((v, i) => expect(v).toBeCloseTo([8 / 3, 7 / 3][i]!, 5));
    expect(forward('x.sum(-1, keepdim=True)')).toEqual({ shape: [1, 2, 1], data: [8, 7] });
  });
  it('amax([1, 2]): 5; amin(1): 1, 0, 2; torch.sum(x, 1): 5, 5, 5; mean(): 2.5', () => {
    expect(forward('x.amax([1, 2])')).toEqual({ shape: [1], data: [5] });
    expect(forward('x.amin(1)')).toEqual({ shape: [1, 3], data: [1, 0, 2] });
    expect(forward('torch.sum(x, 1)')).toEqual({ shape: [1, 3], data: [5, 5, 5] });
    expect(forward('x.mean()')).toEqual({ shape: [], data: [2.5] });
  });
  it('x.max(2): values 5, 4 and indices 1, 0; x.min(1) indices 0, 1, 0', () => {
    expect(forward('x.max(2)[0]')).toEqual({ shape: [1, 2], data: [5, 4] });
    expect(forward('x.max(2)[1]', true)).toEqual({ shape: [1, 2], data: [1, 0] });
    expect(forward('x.min(1)[1]', true)).toEqual({ shape: [1, 3], data: [0, 1, 0] });
  });
});
