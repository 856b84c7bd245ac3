/**
 * Tensor indexing in forward() as a user sees it, beyond the shapes of test/unit/model/indexing.test.ts:
 * integer bounds on both sides (torch 1.13: −size is the first element, size is out of bounds), a
 * second Ellipsis that takes no axis, symbolic sizes of slices of an unknown size, the receptive
 * field kept only when the spatial axes are untouched (hand-worked: a channel slice keeps every
 * position), and values (torch 1.13 on 0…23 as (1, 2, 3, 4)), including a run on an input whose
 * sizes were unknown when it was analyzed.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { panelSpec } from '../../../src/model/nodes';
import { dimText } from '../../../src/shared/dims';
import { tensor } from '../../../src/engine';
import { runModel } from '../../../src/runtime/forward';

const fn = (body: string, input: string, conv = false) =>
  'import sys\nimport torch\nimport torch.nn as nn\nc = int(sys.argv[1])\n' +
  'class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.conv = nn.Conv2d(4, 4, 3)\n' +
  `    def forward(self, x):\n${conv ? '        x = self.conv(x)\n' : ''}        return ${body}\nmodel = M()\nout = model(torch.randn(${input}))\n`;
const last = (src: string) => analyze(src).models[0]!.layers.at(-1)!;
const shape = (e: string, input = '1, 2, 3, 4') => last(fn(e, input)).outputShape?.map(dimText) ?? null;
const errors = (e: string, input = '1, 2, 3, 4') =>
  analyze(fn(e, input))
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => [d.code, d.args.detail]);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
/** The error a run throws: its message and code. */
function runError(e: string, input: string, s = [1, 2, 3, 4]): [string, unknown] {
  try {
    forward(e, input, s);
  } catch (err) {
    return [(err as Error).message, (err as { code?: unknown }).code];
  }
  return ['', null];
}
function forward(e: string, input = '1, 2, 3, 4', s = [1, 2, 3, 4]) {
  const out = runModel(analyze(fn(e, input)).models[0]!, tensor(s, range(24)), () => new Float32Array(0)).at(
    -1,
  )!.output;
  return { shape: [...out.shape], data: Array.from(out.data) };
}

describe('indexing: integer bounds (torch 1.13, an axis of size 2)', () => {
  it('x[:, -2] is the first element; x[:, 1] the last', () => {
    expect(errors('x[:, -2]')).toEqual([]);
    expect(forward('x[:, -2]')).toEqual({ shape: [1, 3, 4], data: range(12) });
    expect(forward('x[:, 1]')).toEqual({ shape: [1, 3, 4], data: range(12).map((v) => v + 12) });
  });
  it('x[:, 2] and x[:, -3] are out of bounds', () => {
    expect(errors('x[:, 2]')).toEqual([['bad-argument', 'index 2 is out of bounds for dimension 1 with size 2']]);
    expect(errors('x[:, -3]')).toEqual([['bad-argument', 'index -3 is out of bounds for dimension 1 with size 2']]);
    expect(last(fn('x[:, 2]', '1, 2, 3, 4')).outputShape).toBeNull();
  });
  it('no parameters, formula 0, an other row', () => {
    const n = last(fn('x[:, 1]', '1, 2, 3, 4'));
    expect([n.params, n.paramsFormula]).toEqual([0, '0']);
    expect(panelSpec(n)).toEqual({ kind: 'other', row: 'other' });
  });
});

describe('indexing: Ellipsis, None, slices (torch 1.13)', () => {
  it('x[..., 1, ...]: the second Ellipsis takes no axis → (N, 2, 3), 1, 5, 9, …', () => {
    expect(shape('x[..., 1, ...]')).toEqual(['N', '2', '3']);
    expect(forward('x[..., 1, ...]')).toEqual({ shape: [1, 2, 3], data: [1, 5, 9, 13, 17, 21] });
  });
  it('x[:, None, 0, 2] → (N, 1, 4): 8, 9, 10, 11', () => {
    expect(forward('x[:, None, 0, 2]')).toEqual({ shape: [1, 1, 4], data: [8, 9, 10, 11] });
  });
  it('x[..., ::2], x[:, :, 1::2, -3:-1], x[:, :, 1:100:3], x[:, :, -10:2]', () => {
    expect(forward('x[..., ::2]')).toEqual({ shape: [1, 2, 3, 2], data: range(12).map((v) => 2 * v) });
    expect(forward('x[:, :, 1::2, -3:-1]')).toEqual({ shape: [1, 2, 1, 2], data: [5, 6, 17, 18] });
    expect(forward('x[:, :, 1:100:3]')).toEqual({ shape: [1, 2, 1, 4], data: [4, 5, 6, 7, 16, 17, 18, 19] });
    expect(forward('x[:, :, -10:2]')).toEqual({
      shape: [1, 2, 2, 4],
      data: [0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 16, 17, 18, 19],
    });
  });
  it('x[:, 0, :, 3] → (N, 3): 3, 7, 11; x[:, :, 5:] is empty (N, 2, 0, 4)', () => {
    expect(forward('x[:, 0, :, 3]')).toEqual({ shape: [1, 3], data: [3, 7, 11] });
    expect(forward('x[:, :, 5:]')).toEqual({ shape: [1, 2, 0, 4], data: [] });
  });
  it('x[0] of a (1, 2, 3, 4) input: all 24 values, the first axis 2 long', () => {
    expect(forward('x[0]')).toEqual({ shape: [2, 3, 4], data: range(24) });
  });
});

describe('indexing: unknown sizes', () => {
  it('a full slice keeps the symbol; other slices read len(…[slice]) (the 4 channels come from the Conv2d)', () => {
    expect(shape('x[:, :]', '1, c, c, c')).toEqual(['N', '4', 'H', 'W']);
    expect(shape('x[:, 1:3, ::2, -3:]', '1, c, c, c')).toEqual(['N', '2', 'len(H[::2])', 'len(W[-3:])']);
    expect(shape('x[:, :2, 1:5:2]', '1, c, c, c')).toEqual(['N', '2', 'len(H[1:5:2])', 'W']);
  });
  it('an integer on an unknown size is not checked before the run; the run checks it (torch 1.13)', () => {
    expect(errors('x[:, :, 3]', '1, c, c, c')).toEqual([]);
    expect(() => forward('x[:, :, 3]', '1, c, c, c')).toThrow('index 3 is out of bounds for dimension 2 with size 3');
    expect(runError('x[:, :, 3]', '1, c, c, c')[1]).toBe('bad-argument');
    expect(() => forward('x[:, :, -4]', '1, c, c, c')).toThrow('index -4 is out of bounds for dimension 2 with size 3');
    expect(forward('x[:, :, -3, 0]', '1, c, c, c')).toEqual({ shape: [1, 2], data: [0, 12] });
  });
  it('a run on an input of fewer axes than the index takes is refused with PyTorch’s message', () => {
    expect(() => forward('x[:, :, :, 1]', '1, c, c, c', [4, 6])).toThrow('too many indices for tensor of dimension 2');
    expect(runError('x[:, :, :, 1]', '1, c, c, c', [4, 6])[1]).toBe('bad-argument');
  });
});

describe('indexing: the receptive field after a convolution (k = 3)', () => {
  const rf = (e: string) => last(fn(e, '1, 4, 8, 8', true)).receptiveField;
  it('kept by x[:, :] and a channel slice x[:, 1:3]', () => {
    expect(rf('x[:, :]')).toEqual({ size: [3, 3], jump: [1, 1] });
    expect(rf('x[:, 1:3]')).toEqual({ size: [3, 3], jump: [1, 1] });
  });
  it('dropped by a slice of a spatial axis, an integer or None', () => {
    expect(rf('x[:, :, ::2]')).toBeNull();
    expect(rf('x[:, :, :, 1:]')).toBeNull();
    expect(rf('x[:, 0]')).toBeNull();
    expect(rf('x[:, None]')).toBeNull();
  });
});
