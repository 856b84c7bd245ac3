/**
 * Channels-first pooling reads each channel's plane in place, on both kernel paths: its results
 * equal the channels-last pooling of the same values transposed (computed on the general loop
 * under the reference kernel path) — max and average, padding counted or not, ceil-mode
 * windows, dilation, the 2×2/2 shortcut and its edges, and a NaN in a window. The reference
 * path's plane loops equal it bit for bit; so do the SIMD plane kernels for max pooling (values
 * are moved, never computed, and a NaN is stored as the canonical NaN), while their average
 * sums in float32 lanes where the reference sums in float64, so they agree within rounding.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { pool2d, type Pool2DOptions } from '../../../src/engine/pool';
import { setKernelPath } from '../../../src/engine';
import { tensor, type Tensor } from '../../../src/engine/tensor';
import { expectAllclose } from '../helpers/allclose';
import { randomArray, rng } from '../helpers/random';

/** (1, C, H, W) → (1, H, W, C) */
function toLast(x: Tensor): Tensor {
  const [, c, h, w] = x.shape as [number, number, number, number];
  const out = new Float32Array(x.data.length);
  for (let ci = 0; ci < c; ci++)
    for (let y = 0; y < h; y++)
      for (let xx = 0; xx < w; xx++) out[(y * w + xx) * c + ci] = x.data[(ci * h + y) * w + xx]!;
  return tensor([1, h, w, c], out);
}

const bits = (t: Tensor) => Array.from(new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length));

describe('channels-first pooling in place', () => {
  afterAll(() => setKernelPath('fast'));
  const cases: [string, [number, number, number], Omit<Pool2DOptions, 'layout'>][] = [
    ['max 2×2/2, even size', [3, 8, 8], { mode: 'max', poolSize: 2, strides: 2, padding: 'valid' }],
    [
      'max 2×2/2, odd size (last row and column dropped)',
      [2, 7, 9],
      { mode: 'max', poolSize: 2, strides: 2, padding: 'valid' },
    ],
    ['max 3×3/2 same', [2, 9, 7], { mode: 'max', poolSize: 3, strides: 2, padding: 'same' }],
    [
      'avg 3×3/1 explicit pads, padding counted',
      [2, 6, 6],
      {
        mode: 'avg',
        poolSize: 3,
        strides: 1,
        padding: [
          [1, 1],
          [1, 1],
        ],
        countIncludePad: true,
      },
    ],
    [
      'avg 3×3/2 explicit pads, padding not counted',
      [2, 7, 7],
      {
        mode: 'avg',
        poolSize: 3,
        strides: 2,
        padding: [
          [1, 1],
          [1, 1],
        ],
      },
    ],
    ['max 2×2 dilation 2', [2, 8, 8], { mode: 'max', poolSize: 2, strides: 1, padding: 'valid', dilations: 2 }],
  ];
  for (const [name, [c, h, w], o] of cases) {
    it(name, () => {
      const x = tensor([1, c, h, w], randomArray(rng(c * h + w), c * h * w));
      x.data[5] = NaN;
      setKernelPath('reference');
      const want = pool2d(toLast(x), { ...o, layout: 'channelsLast' });
      const ref = pool2d(x, { ...o, layout: 'channelsFirst' });
      expect(bits(toLast(ref))).toEqual(bits(want));
      setKernelPath('fast');
      const got = pool2d(x, { ...o, layout: 'channelsFirst' });
      if (o.mode === 'max') expect(bits(toLast(got))).toEqual(bits(want));
      else expectAllclose(toLast(got).data, want.data, { atol: 1e-6, rtol: 1e-6 }, name);
    });
  }
});
