/**
 * F.affine_grid and F.grid_sample as a user sees them: the grid's shape (N, H, W, 2) for a size
 * given or computed at run time, PyTorch's refusals of a θ that is not N×2×3 and of a size that is
 * not 4-D, grid_sample's (N, C, Hg, Wg) and its refusal of a grid whose last size is not 2, and
 * values with align_corners False (the default) and True. Every number is torch 1.13's, for θ =
 * 1…6 viewed as (1, 2, 3) and x = 1…6 as (1, 1, 2, 3) sampled at x·0.1 viewed as (1, 1, 3, 2).
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { diagnosticMessage } from '../../../src/model/diagnostics';
import { panelSpec } from '../../../src/model/nodes';
import { dimText } from '../../../src/shared/dims';
import { tensor } from '../../../src/engine';
import { runModel } from '../../../src/runtime/forward';

const fn = (body: string, input: string) =>
  'import sys\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nh = int(sys.argv[1])\n' +
  `class M(nn.Module):\n    def forward(self, x):\n${body
    .split('\n')
    .map((l) => `        ${l}`)
    .join('\n')}\nmodel = M()\nout = model(torch.randn(${input}))\n`;
const last = (src: string) => analyze(src).models[0]!.layers.at(-1)!;
const shape = (src: string) => last(src).outputShape?.map(dimText) ?? null;
const messages = (src: string) => analyze(src).diagnostics.map((d) => [d.severity, d.code, diagnosticMessage(d)]);
function forward(src: string, s: number[], data: number[]) {
  const out = runModel(analyze(src).models[0]!, tensor(s, data), () => new Float32Array(0)).at(-1)!.output;
  return { shape: [...out.shape], data: Array.from(out.data) };
}
const close = (a: number[], b: number[]) => {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 5));
};
const grid = (size: string, align = '') =>
  fn(`theta = x.view(-1, 2, 3)\nreturn F.affine_grid(theta, ${size}${align})`, '1, 6');
const sample = (align: string) => fn(`g = x.view(1, 1, 3, 2) * 0.1\nreturn F.grid_sample(x, g${align})`, '1, 1, 2, 3');
const X = [1, 2, 3, 4, 5, 6];

describe('F.affine_grid: shapes and refusals', () => {
  it('size (1, 1, 2, 3): a grid (N, 2, 3, 2), no parameters, formula 0', () => {
    const src = grid('(1, 1, 2, 3)');
    expect(shape(src)).toEqual(['N', '2', '3', '2']);
    expect(messages(src)).toEqual([]);
    expect(last(src).paramsFormula).toBe('0');
    expect(last(src).receptiveField).toBeNull();
  });
  it('a size computed at run time: H and W', () => {
    expect(shape(grid('(1, 1, h, h)'))).toEqual(['N', 'H', 'W', '2']);
  });
  it("θ of (N, 3, 2), (N, 2, 2) or (N, 2, 3, 1) is refused, with PyTorch's message", () => {
    const bad = (view: string, input = '1, 6') =>
      messages(fn(`theta = x.view(${view})\nreturn F.affine_grid(theta, (1, 1, 2, 3))`, input));
    expect(bad('-1, 3, 2')).toEqual([
      [
        'error',
        'bad-argument',
        'F.affine_grid: Expected a batch of 2D affine matrices of shape Nx2x3 for size 1x1x2x3. Got (N, 3, 2).',
      ],
    ]);
    expect(bad('-1, 2, 2', '1, 4').map((m) => m.slice(0, 2))).toEqual([['error', 'bad-argument']]);
    expect(bad('-1, 2, 3, 1').map((m) => m.slice(0, 2))).toEqual([['error', 'bad-argument']]);
    expect(bad('-1, 6').map((m) => m.slice(0, 2))).toEqual([['error', 'bad-argument']]);
    expect(bad('-1, 3, 3', '1, 9').map((m) => m.slice(0, 2))).toEqual([['error', 'bad-argument']]);
  });
  it('a 3-D size is refused (torch: "affine_grid only supports 4D and 5D sizes")', () => {
    const src = grid('(1, 1, 2)');
    expect(messages(src)).toEqual([
      ['error', 'bad-argument', 'F.affine_grid: affine_grid only supports 4D sizes here (N, C, H, W)'],
    ]);
    expect(last(src).outputShape).toBeNull();
  });
  it('the panel shows it as an other row', () => {
    expect(panelSpec(last(grid('(1, 1, 2, 3)')))).toEqual({ kind: 'other', row: 'other' });
  });
});

describe('unknown sizes are not refused', () => {
  it('θ of (N, H, W) or (N, 2, W) and a grid of (N, H, W, C), sizes computed at run time', () => {
    const unknown = (body: string) => fn(body, '1, h, h, h');
    for (const body of [
      'return F.affine_grid(x[:, 0], (1, 1, 2, 3))',
      'return F.affine_grid(x[:, 0, :2], (1, 1, 2, 3))',
    ]) {
      expect(messages(unknown(body)).map((m) => m[1])).toEqual(['input-unknown']);
      expect(shape(unknown(body))).toEqual(['N', '2', '3', '2']);
    }
    const g = unknown('return F.grid_sample(x, x.permute(0, 2, 3, 1))');
    expect(messages(g).map((m) => m[1])).toEqual(['input-unknown']);
    expect(shape(g)).toEqual(['N', 'C', 'H', 'W']);
  });
});

describe('F.affine_grid: values (torch 1.13)', () => {
  it('align_corners=False', () => {
    const y = forward(grid('(1, 1, 2, 3)', ', align_corners=False'), [1, 6], X);
    expect(y.shape).toEqual([1, 2, 3, 2]);
    close(y.data, [1.333333, 0.833333, 2, 3.5, 2.666667, 6.166667, 3.333333, 5.833333, 4, 8.5, 4.666667, 11.166667]);
  });
  it('align_corners=True', () => {
    close(
      forward(grid('(1, 1, 2, 3)', ', align_corners=True'), [1, 6], X).data,
      [0, -3, 1, 1, 2, 5, 4, 7, 5, 11, 6, 15],
    );
  });
  it('a size computed at run time cannot be run, with that reason (height, width or both unknown)', () => {
    for (const size of ['(1, 1, h, h)', '(1, 1, h, 3)', '(1, 1, 2, h)']) {
      let err: unknown = null;
      try {
        forward(grid(size), [1, 6], X);
      } catch (e) {
        err = e;
      }
      expect((err as Error).message).toMatch(/^F\.affine_grid .*: the grid's size is not known$/);
      expect((err as { code?: string }).code).toBe('bad-argument');
    }
  });
});

describe('F.grid_sample', () => {
  it('x (N, 1, 2, 3) at a grid (1, 1, 3, 2): (N, 1, 1, 3)', () => {
    const src = sample('');
    expect(shape(src)).toEqual(['N', '1', '1', '3']);
    expect(messages(src)).toEqual([]);
    expect(last(src).paramsFormula).toBe('0');
    expect(panelSpec(last(src))).toEqual({ kind: 'other', row: 'other' });
  });
  it('a grid whose last size is not 2, or not 4-D, is refused (torch: "expected grid to have size 2 in last dimension")', () => {
    for (const view of ['1, 1, 2, 3', '1, 6', '1, 3, 2']) {
      const src = fn(`g = x.view(${view})\nreturn F.grid_sample(x, g)`, '1, 1, 2, 3');
      expect(messages(src)).toEqual([
        [
          'error',
          'bad-argument',
          'F.grid_sample: grid_sample expects a 4-D input (N, C, H, W) and a grid (N, H, W, 2)',
        ],
      ]);
      expect(last(src).outputShape).toBeNull();
    }
  });
  it('a 3-D input is refused (torch: grid_sampler expects a 4-D input for a 2-D grid)', () => {
    const src = fn('g = x.view(1, 1, 3, 2)\nreturn F.grid_sample(x.view(1, 2, 3), g)', '1, 1, 2, 3');
    expect(messages(src).map((m) => m.slice(0, 2))).toEqual([['error', 'bad-argument']]);
  });
  it('values: align_corners=False 4.25, 5.15, 5.175 (the default too); True 3.9, 4.4, 4.9 (torch 1.13)', () => {
    close(forward(sample(', align_corners=False'), [1, 1, 2, 3], X).data, [4.25, 5.15, 5.175]);
    close(forward(sample(''), [1, 1, 2, 3], X).data, [4.25, 5.15, 5.175]);
    close(forward(sample(', align_corners=True'), [1, 1, 2, 3], X).data, [3.9, 4.4, 4.9]);
  });
});
