/**
 * Output sizes and pads, worked by hand from the documented rules (DESIGN.md):
 * TF 'same': out = ceil(in/s), total = max((out−1)s + effK − in, 0), extra pixel after;
 * PyTorch: floor((in + 2p − d(k−1) − 1)/s) + 1, ceil_mode with the last-window rule.
 */
import { describe, expect, it } from 'vitest';
import { axisGeometry, transposeAxisGeometry, window2dGeometry } from '../../../src/engine';

const cases: [string, Parameters<typeof axisGeometry>[1], number, number, number][] = [
  // name, args, out, padBefore, padAfter
  ['in=28 k=3 s=1 same → 28, pad 1/1', { inSize: 28, kernel: 3, stride: 1, padding: 'same' }, 28, 1, 1],
  ['in=4 k=3 s=2 same → 2, pad 0/1 (extra pixel after)', { inSize: 4, kernel: 3, stride: 2, padding: 'same' }, 2, 0, 1],
  ['in=5 k=3 s=2 same → 3, pad 1/1', { inSize: 5, kernel: 3, stride: 2, padding: 'same' }, 3, 1, 1],
  ['in=6 k=2 s=2 same → 3, pad 0/0', { inSize: 6, kernel: 2, stride: 2, padding: 'same' }, 3, 0, 0],
  ['in=7 k=2 s=2 same → 4, pad 0/1', { inSize: 7, kernel: 2, stride: 2, padding: 'same' }, 4, 0, 1],
  ['in=28 k=3 s=1 valid → 26', { inSize: 28, kernel: 3, stride: 1, padding: 'valid' }, 26, 0, 0],
  ['in=27 k=2 s=2 valid → 13 (last row dropped)', { inSize: 27, kernel: 2, stride: 2, padding: 'valid' }, 13, 0, 0],
  ['in=10 k=3 d=2 same → 10, pad 2/2', { inSize: 10, kernel: 3, stride: 1, dilation: 2, padding: 'same' }, 10, 2, 2],
  ['in=8 k=4 s=1 same → 8, pad 1/2', { inSize: 8, kernel: 4, stride: 1, padding: 'same' }, 8, 1, 2],
  ['in=10 k=3 causal → 10, pad 2/0', { inSize: 10, kernel: 3, stride: 1, padding: 'causal' }, 10, 2, 0],
  ['in=224 k=11 s=4 p=2 → 55 (AlexNet)', { inSize: 224, kernel: 11, stride: 4, padding: [2, 2] }, 55, 2, 2],
  ['in=55 k=3 s=2 → 27', { inSize: 55, kernel: 3, stride: 2, padding: [0, 0] }, 27, 0, 0],
  [
    'in=6 k=3 s=2 ceil → 3 (floor gives 2)',
    { inSize: 6, kernel: 3, stride: 2, padding: [0, 0], ceilMode: true },
    3,
    0,
    0,
  ],
  [
    'in=5 k=2 s=2 p=1 ceil → 3: the 4th window would start in the right padding',
    { inSize: 5, kernel: 2, stride: 2, padding: [1, 1], ceilMode: true },
    3,
    1,
    1,
  ],
];

describe('axisGeometry', () => {
  for (const [name, args, out, before, after] of cases) {
    it(name, () => {
      const g = axisGeometry('op', args);
      expect([g.out, g.padBefore, g.padAfter]).toEqual([out, before, after]);
    });
  }
});

describe('window2dGeometry', () => {
  it('x=[1,4,4,1] k=3 s=2 p=same → 2×2, pad top/bottom 0/1, left/right 0/1', () => {
    const g = window2dGeometry('Conv2D', { inH: 4, inW: 4, kernel: [3, 3], strides: [2, 2], padding: 'same' });
    expect([g.outH, g.outW, g.padTop, g.padBottom, g.padLeft, g.padRight]).toEqual([2, 2, 0, 1, 0, 1]);
  });
  it('PyTorch (padH, padW) tuple and ((t,b),(l,r)) pairs', () => {
    const a = window2dGeometry('Conv2d', { inH: 7, inW: 9, kernel: [3, 5], strides: [1, 2], padding: [1, 2] });
    expect([a.outH, a.outW, a.padTop, a.padBottom, a.padLeft, a.padRight]).toEqual([7, 5, 1, 1, 2, 2]);
    const b = window2dGeometry('Conv2d', {
      inH: 7,
      inW: 9,
      kernel: [3, 3],
      strides: [1, 1],
      padding: [
        [0, 1],
        [2, 0],
      ],
    });
    expect([b.outH, b.outW]).toEqual([6, 9]);
  });
});

describe('transposeAxisGeometry', () => {
  it('PyTorch in=4 k=3 s=2 p=1 op=1 → 8', () => {
    expect(transposeAxisGeometry('t', { inSize: 4, kernel: 3, stride: 2, padding: 1, outputPadding: 1 }).out).toBe(8);
  });
  it("Keras 'valid' in=4 k=3 s=2 → 4·2 + max(3−2, 0) = 9", () => {
    expect(transposeAxisGeometry('t', { inSize: 4, kernel: 3, stride: 2, padding: 'valid' }).out).toBe(9);
  });
  it("Keras 'valid' in=4 k=1 s=3 → 12 (stride larger than kernel)", () => {
    expect(transposeAxisGeometry('t', { inSize: 4, kernel: 1, stride: 3, padding: 'valid' }).out).toBe(12);
  });
  it("Keras 'same' in=5 k=4 s=2 → 10, pad before 1", () => {
    const g = transposeAxisGeometry('t', { inSize: 5, kernel: 4, stride: 2, padding: 'same' });
    expect([g.out, g.padBefore]).toEqual([10, 1]);
  });
});
