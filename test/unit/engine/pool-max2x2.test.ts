/**
 * Max pooling 2×2 with stride 2, channels-last, on the reference path (pool.ts lastMax2x2, the
 * shortcut Keras's MaxPooling2D(2) takes without the SIMD kernels) against the definition written
 * here: each output the maximum of its window read in order, a NaN in the window winning, −0
 * kept before +0. Odd sizes (the last row and column dropped), one channel and many, batch 2,
 * and the fast path the same (NaNs compared as NaN).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { pool2d } from '../../../src/engine/pool';
import { setKernelPath } from '../../../src/engine';
import { tensor } from '../../../src/engine/tensor';
import { randomArray, rng } from '../helpers/random';

afterAll(() => setKernelPath('fast'));

function oracle(x: Float32Array, [n, h, w, c]: [number, number, number, number]): Float32Array {
  const oh = Math.floor(h / 2);
  const ow = Math.floor(w / 2);
  const y = new Float32Array(n * oh * ow * c);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let k = 0; k < c; k++) {
          let m = -Infinity;
          for (const [dy, dx] of [
            [0, 0],
            [0, 1],
            [1, 0],
            [1, 1],
          ] as const) {
            const v = x[((b * h + 2 * i + dy) * w + 2 * j + dx) * c + k]!;
            if (v > m || Number.isNaN(v)) m = v;
          }
          y[((b * oh + i) * ow + j) * c + k] = m;
        }
  return y;
}

const same = (a: number, b: number) => (Number.isNaN(a) && Number.isNaN(b)) || Object.is(a, b);

describe('channels-last max pooling 2×2/2', () => {
  const shapes: [number, number, number, number][] = [
    [1, 8, 8, 3],
    [2, 7, 9, 17],
    [1, 6, 10, 1],
    [1, 2, 2, 64],
  ];
  for (const path of ['reference', 'fast'] as const) {
    it(`the definition's values on the ${path} path`, () => {
      setKernelPath(path);
      for (const shape of shapes) {
        const n = shape.reduce((a, b) => a * b, 1);
        const data = randomArray(rng(n), n);
        // a NaN first, second and last in some windows; −0 then +0; −∞
        if (n > 40) {
          data[0] = NaN;
          data[shape[3] + 1] = NaN;
          data[n - 1] = NaN;
          data[7] = -0;
          data[7 + shape[3]] = 0;
          data[9] = -Infinity;
        }
        const y = pool2d(tensor(shape, data), {
          mode: 'max',
          poolSize: 2,
          strides: 2,
          padding: 'valid',
          layout: 'channelsLast',
        });
        const want = oracle(data, shape);
        expect(y.shape).toEqual([shape[0], Math.floor(shape[1] / 2), Math.floor(shape[2] / 2), shape[3]]);
        expect(y.data.length).toBe(want.length);
        for (let i = 0; i < want.length; i++)
          if (!same(y.data[i]!, want[i]!)) expect([shape, i, y.data[i]]).toEqual([shape, i, want[i]]);
      }
    });
  }
});
