/**
 * NCHW ⇄ NHWC (src/engine/relayout.ts): the SIMD transposes against an index-by-index oracle
 * written here, on shapes that leave partial blocks (odd sizes, one row, one channel, batch 3),
 * and the reference path (permute) the same; a round trip gives the input back bit for bit.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { activeKernels, setKernelPath, tensor, toChannelsFirst, toChannelsLast } from '../../../src/engine';
import { randomArray, rng } from '../helpers/random';

afterAll(() => setKernelPath('fast'));

/** NCHW → NHWC by the definition: y[n, h, w, c] = x[n, c, h, w]. */
function oracleToLast(x: Float32Array, [n, c, h, w]: [number, number, number, number]): Float32Array {
  const y = new Float32Array(x.length);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < c; k++)
      for (let r = 0; r < h; r++)
        for (let s = 0; s < w; s++) y[((i * h + r) * w + s) * c + k] = x[((i * c + k) * h + r) * w + s]!;
  return y;
}

const SHAPES = [
  [1, 1, 1, 1],
  [1, 3, 5, 7],
  [3, 17, 9, 33],
  [2, 64, 1, 40],
  [1, 1, 31, 29],
  [1, 130, 12, 12],
  [2, 8, 56, 56],
];

describe.each(['fast', 'reference'] as const)('relayout on the %s path', (path) => {
  it('NCHW → NHWC and back: the oracle values, then the input bit for bit', () => {
    setKernelPath(path);
    if (path === 'fast') expect(activeKernels()).not.toBe('reference');
    const r = rng(11);
    for (const shape of SHAPES) {
      const x = tensor(
        shape,
        randomArray(
          r,
          shape.reduce((a, b) => a * b, 1),
        ),
      );
      const y = toChannelsLast(x);
      const [n, c, h, w] = shape as [number, number, number, number];
      expect(y.shape).toEqual([n, h, w, c]);
      expect(Array.from(y.data), `${shape}`).toEqual(Array.from(oracleToLast(x.data, [n, c, h, w])));
      const back = toChannelsFirst(y);
      expect(back.shape).toEqual(shape);
      expect(Array.from(back.data), `${shape} back`).toEqual(Array.from(x.data));
    }
  });

  it('refuses what is not a 4-D batch', () => {
    setKernelPath(path);
    expect(() => toChannelsLast(tensor([2, 3], new Float32Array(6)))).toThrow(/expected a 4-D image batch/);
    expect(() => toChannelsFirst(tensor([2, 3, 4], new Float32Array(24)))).toThrow(/expected a 4-D image batch/);
  });
});
