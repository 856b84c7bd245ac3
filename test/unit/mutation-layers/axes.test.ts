/**
 * Moving and selecting axes as a user sees it: permute, transpose, squeeze, unsqueeze and the pieces
 * of torch.chunk/torch.split — sizes, PyTorch's errors in its words, symbolic sizes, the receptive
 * field, values (torch 1.13, input (2, 3, 1, 5) for sizes).
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { diagnosticMessage } from '../../../src/model/diagnostics';
import { panelSpec } from '../../../src/model/nodes';
import { dimText } from '../../../src/shared/dims';
import { tensor } from '../../../src/engine';
import { runModel } from '../../../src/runtime/forward';

/** a forward returning `expr` of x; without an input, the shapes are symbolic (N, C, H, W) */
const fwd = (expr: string, input: string | null = '2, 3, 1, 5') =>
  `import torch\nimport torch.nn as nn\nclass Net(nn.Module):\n    def forward(self, x):\n        return ${expr}\nmodel = Net()\n` +
  (input ? `out = model(torch.randn(${input}))\n` : '');

const layers = (src: string) => analyze(src).models[0]!.layers;
const last = (src: string) => layers(src).at(-1)!;
const shape = (src: string) => last(src).outputShape?.map(dimText) ?? null;
/** the piece a model returns, followed by `* 2` so that it is the last layer's input */
const piece = (expr: string, input: string | null = '2, 3, 1, 5') => shape(fwd(`${expr} * 2`, input));
const errors = (src: string) =>
  analyze(src)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => [d.code, diagnosticMessage(d)]);
function forward(expr: string, shape: number[], data: number[]): { shape: number[]; data: number[] } {
  const graph = analyze(fwd(expr, shape.join(', '))).models[0]!;
  const out = runModel(graph, tensor(shape, data), () => new Float32Array(0)).at(-1)!.output;
  return { shape: [...out.shape], data: Array.from(out.data) };
}
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const OUT4 = 'Dimension out of range (expected to be in range of [-4, 3], but got';

describe('permute and transpose', () => {
  it.each([
    ['x.permute(0, 2, 3, 1)', ['N', '1', '5', '3']],
    ['x.permute(0, -1, 1, 2)', ['N', '5', '3', '1']],
    ['x.transpose(1, 3)', ['N', '5', '1', '3']],
    ['x.transpose(-1, -3)', ['N', '5', '1', '3']],
    ['x.transpose(2, 2)', ['N', '3', '1', '5']],
    ['torch.permute(x, (0, 3, 1, 2))', ['N', '5', '3', '1']],
    ['torch.transpose(x, 0, 1)', ['3', 'N', '1', '5']],
    ['x.sum().transpose(0, 0)', []],
  ])('%s gives %j (torch 1.13)', (expr, want) => {
    expect(shape(fwd(expr))).toEqual(want);
    expect(last(fwd(expr)).paramsFormula).toBe('0');
  });
  it.each([
    [
      'x.permute(0, 1, 2)',
      "permute: number of dims don't match in permute: the tensor has 4 dimensions, the order given has 3",
    ],
    ['x.permute(0, 1, 1, 2)', 'permute: repeated dim in permute: 1'],
    ['x.permute(0, 1, 2, 4)', `permute: ${OUT4} 4)`],
    ['x.permute(0, 1, 2, -5)', `permute: ${OUT4} -5)`],
    ['x.transpose(1, 4)', `transpose: ${OUT4} 4)`],
    ['x.transpose(-5, 1)', `transpose: ${OUT4} -5)`],
  ])('%s is refused, as PyTorch raises (torch 1.13)', (expr, message) => {
    expect(errors(fwd(expr))).toEqual([['bad-argument', message]]);
    expect(last(fwd(expr)).outputShape).toBeNull();
  });
  it('values: x.permute(0, 2, 1) and x.transpose(1, 2) of (1, 2, 3) read the columns', () => {
    const want = { shape: [1, 3, 2], data: [0, 3, 1, 4, 2, 5] };
    expect(forward('x.permute(0, 2, 1)', [1, 2, 3], range(6))).toEqual(want);
    expect(forward('x.transpose(1, 2)', [1, 2, 3], range(6))).toEqual(want);
    expect(forward('x.transpose(-1, -2)', [1, 2, 3], range(6))).toEqual(want);
  });
  it('moving axes drops the receptive field; the panel shows an other row', () => {
    expect(last(fwd('x.permute(0, 2, 3, 1)')).receptiveField).toBeNull();
    expect(last(fwd('x.transpose(2, 3)')).receptiveField).toBeNull();
    expect(panelSpec(last(fwd('x.permute(0, 2, 3, 1)')))).toEqual({ kind: 'other', row: 'other' });
    expect(panelSpec(last(fwd('x.transpose(2, 3)')))).toEqual({ kind: 'other', row: 'other' });
  });
});

describe('squeeze and unsqueeze', () => {
  it.each([
    ['x.squeeze(2)', ['N', '3', '5']],
    ['x.squeeze(-2)', ['N', '3', '5']],
    ['x.squeeze(1)', ['N', '3', '1', '5']],
    ['x.squeeze()', ['N', '3', '5']],
    ['x.unsqueeze(0)', ['1', 'N', '3', '1', '5']],
    ['x.unsqueeze(4)', ['N', '3', '1', '5', '1']],
    ['x.unsqueeze(-1)', ['N', '3', '1', '5', '1']],
    ['x.unsqueeze(-5)', ['1', 'N', '3', '1', '5']],
    ['x.unsqueeze(2)', ['N', '3', '1', '1', '5']],
  ])('%s gives %j (torch 1.13)', (expr, want) => {
    expect(shape(fwd(expr))).toEqual(want);
    expect(last(fwd(expr)).paramsFormula).toBe('0');
  });
  it.each([
    ['x.squeeze(4)', `squeeze: ${OUT4} 4)`],
    ['x.squeeze(-5)', `squeeze: ${OUT4} -5)`],
    ['x.unsqueeze(5)', 'unsqueeze: Dimension out of range (expected to be in range of [-5, 4], but got 5)'],
    ['x.unsqueeze(-6)', 'unsqueeze: Dimension out of range (expected to be in range of [-5, 4], but got -6)'],
  ])('%s is refused, as PyTorch raises (torch 1.13)', (expr, message) => {
    expect(errors(fwd(expr))).toEqual([['bad-argument', message]]);
  });
  it('the batch is not taken as 1: squeeze(0) and squeeze() keep it; at run time a batch of 1 goes', () => {
    expect(shape(fwd('x.squeeze(0)'))).toEqual(['N', '3', '1', '5']);
    expect(shape(fwd('x.squeeze()', null))).toEqual(['N', 'C', 'H', 'W']);
    expect(forward('x.squeeze(0)', [1, 2, 3], range(6)).shape).toEqual([2, 3]);
    expect(forward('x.squeeze()', [1, 2, 1, 3], range(6)).shape).toEqual([2, 3]);
    expect(forward('x.squeeze(-2)', [1, 2, 1, 3], range(6)).shape).toEqual([1, 2, 3]);
    expect(forward('x.squeeze(1)', [1, 2, 1, 3], range(6)).shape).toEqual([1, 2, 1, 3]);
  });
  it('unsqueeze runs: (1, 2, 3) → (1, 1, 2, 3) at 1, (1, 2, 3, 1) at -1, the values as they were', () => {
    expect(forward('x.unsqueeze(1)', [1, 2, 3], range(6))).toEqual({ shape: [1, 1, 2, 3], data: range(6) });
    expect(forward('x.unsqueeze(-1)', [1, 2, 3], range(6))).toEqual({ shape: [1, 2, 3, 1], data: range(6) });
  });
  it('squeeze(dim) and unsqueeze keep the receptive field; squeeze() drops it', () => {
    expect(last(fwd('x.squeeze(2)')).receptiveField).toEqual({ size: [1, 1], jump: [1, 1] });
    expect(last(fwd('x.unsqueeze(0)')).receptiveField).toEqual({ size: [1, 1], jump: [1, 1] });
    expect(last(fwd('x.squeeze()')).receptiveField).toBeNull();
    expect(panelSpec(last(fwd('x.squeeze(2)')))).toEqual({ kind: 'other', row: 'other' });
    expect(panelSpec(last(fwd('x.unsqueeze(0)')))).toEqual({ kind: 'other', row: 'other' });
  });
});

describe('torch.chunk and torch.split: the pieces', () => {
  it.each([
    ['torch.chunk(x, 2, dim=3)[0]', ['N', '3', '1', '3']],
    ['torch.chunk(x, 2, dim=3)[1]', ['N', '3', '1', '2']],
    ['torch.chunk(x, 3, dim=-1)[2]', ['N', '3', '1', '1']],
    ['torch.chunk(x, 4, dim=3)[2]', ['N', '3', '1', '1']],
    ['torch.split(x, 2, dim=3)[1]', ['N', '3', '1', '2']],
    ['torch.split(x, 2, dim=3)[2]', ['N', '3', '1', '1']],
    ['torch.split(x, [1, 4], dim=3)[1]', ['N', '3', '1', '4']],
    ['torch.split(x, [1, 4], dim=3)[0]', ['N', '3', '1', '1']],
    ['torch.split(x, [0, 5], dim=3)[1]', ['N', '3', '1', '5']],
    ['torch.split(x, 6, dim=3)[0]', ['N', '3', '1', '5']],
    ['x.chunk(2, 1)[0]', ['N', '2', '1', '5']],
    ['x.chunk(2, 1)[1]', ['N', '1', '1', '5']],
    ['x.split(1, dim=1)[2]', ['N', '1', '1', '5']],
    ['x.split(2, dim=-1)[0]', ['N', '3', '1', '2']],
  ])('%s is %j (torch 1.13)', (expr, want) => {
    expect(piece(expr)).toEqual(want);
  });
  it.each([
    ['torch.chunk(x, 0, dim=3)[0]', 'torch.chunk: chunk expects `chunks` to be greater than 0, got: 0'],
    [
      'torch.split(x, [1, 3], dim=3)[1]',
      "torch.split: split_with_sizes expects split_sizes to sum exactly to 5 (input tensor's size at dimension 3), but got split_sizes=[1, 3]",
    ],
    [
      'torch.split(x, [-1, 6], dim=3)[1]',
      'torch.split: split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=[-1, 6]',
    ],
    ['torch.split(x, -1, dim=3)[0]', 'torch.split: split expects split_size be non-negative, but got split_size=-1'],
    [
      'torch.split(x, 0, dim=3)[0]',
      'torch.split: split_size can only be 0 if dimension size is 0, but got dimension size of 5',
    ],
    ['torch.split(x, 2, dim=4)[0]', `torch.split: ${OUT4} 4)`],
  ])('%s is refused, as PyTorch raises (torch 1.13)', (expr, message) => {
    expect(errors(fwd(expr))).toEqual([['bad-argument', message]]);
  });
  it('on symbolic sizes: chunks of ceil(size/n), given sizes as given', () => {
    expect(piece('x.chunk(2, 1)[0]', null)).toEqual(['N', 'ceil(C/2)', 'H', 'W']);
    expect(piece('x.chunk(3, 2)[0]', null)).toEqual(['N', 'C', 'ceil(H/3)', 'W']);
    expect(piece('x.split([1, 2], dim=1)[1]', null)).toEqual(['N', '2', 'H', 'W']);
    expect(piece('x.split([1, 2], dim=1)[0]', null)).toEqual(['N', '1', 'H', 'W']);
    expect(piece('x.chunk(2, 0)[0]')).toEqual(['ceil(N/2)', '3', '1', '5']);
  });
  it('split(x, 0) of an axis of size 0 is one empty piece (torch 1.13)', () => {
    expect(piece('torch.split(x, 0, dim=1)[0]', '2, 0, 4')).toEqual(['N', '0', '4']);
  });
  it('a piece has no parameters and the formula 0', () => {
    expect(last(fwd('x.chunk(2, 1)[0]')).paramsFormula).toBe('0');
    expect(last(fwd('x.split([1, 2], dim=1)[0]')).paramsFormula).toBe('0');
  });
  it("run on sizes that were symbolic, a split that does not fit is refused in PyTorch's words", () => {
    const sizes = analyze(fwd('x.split([1, 2], dim=1)[1] * 1', null)).models[0]!;
    expect(() => runModel(sizes, tensor([1, 4, 1, 1], [1, 2, 3, 4]), () => new Float32Array(0))).toThrow(
      "split_with_sizes expects split_sizes to sum exactly to 4 (input tensor's size at dimension 1), but got split_sizes=[1, 2]",
    );
    // chunk(4) of 5 channels makes pieces of 2, 2, 1: there is no fourth (PyTorch: IndexError)
    const chunks = analyze(fwd('x.chunk(4, 1)[3] * 1', null)).models[0]!;
    expect(() => runModel(chunks, tensor([1, 5, 1, 1], [1, 2, 3, 4, 5]), () => new Float32Array(0))).toThrow(
      'the split gives 3 pieces, not 4',
    );
  });
  it('a piece along the batch or the channels keeps the receptive field, along a spatial axis drops it', () => {
    expect(last(fwd('x.chunk(2, 1)[0]')).receptiveField).toEqual({ size: [1, 1], jump: [1, 1] });
    expect(last(fwd('x.chunk(2, 0)[0]')).receptiveField).toEqual({ size: [1, 1], jump: [1, 1] });
    expect(last(fwd('torch.split(x, 2, dim=2)[0]')).receptiveField).toBeNull();
    expect(panelSpec(last(fwd('x.chunk(2, 1)[0]')))).toEqual({ kind: 'other', row: 'other' });
  });
  it('values: pieces of (1, 2, 3) along the last axis (torch 1.13)', () => {
    expect(forward('torch.split(x, [1, 2], dim=2)[1] * 1', [1, 2, 3], range(6))).toEqual({
      shape: [1, 2, 2],
      data: [1, 2, 4, 5],
    });
    expect(forward('torch.chunk(x, 2, dim=2)[1] * 1', [1, 2, 3], range(6))).toEqual({ shape: [1, 2, 1], data: [2, 5] });
    expect(forward('torch.chunk(x, 2, dim=-1)[0] * 1', [1, 2, 3], range(6))).toEqual({
      shape: [1, 2, 2],
      data: [0, 1, 3, 4],
    });
    expect(forward('torch.split(x, 2, dim=2)[1] * 1', [1, 2, 3], range(6))).toEqual({ shape: [1, 2, 1], data: [2, 5] });
  });
});
