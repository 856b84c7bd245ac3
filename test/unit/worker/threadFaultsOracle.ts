/** A plain-loop 'same' convolution (NHWC input, HWIO kernel, stride 1, odd kernel), for the fault tests. */
import type { Tensor } from '../../../src/engine';

export function conv2dReference(x: Tensor, k: Tensor): Float64Array {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const [kh, kw, , o] = k.shape as [number, number, number, number];
  const out = new Float64Array(n * h * w * o);
  const ph = (kh - 1) / 2,
    pw = (kw - 1) / 2;
  for (let b = 0; b < n; b++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++)
        for (let q = 0; q < o; q++) {
          let acc = 0;
          for (let di = 0; di < kh; di++) {
            const yi = i + di - ph;
            if (yi < 0 || yi >= h) continue;
            for (let dj = 0; dj < kw; dj++) {
              const xj = j + dj - pw;
              if (xj < 0 || xj >= w) continue;
              for (let p = 0; p < c; p++)
                acc += x.data[((b * h + yi) * w + xj) * c + p]! * k.data[((di * kw + dj) * c + p) * o + q]!;
            }
          }
          out[((b * h + i) * w + j) * o + q] = acc;
        }
  return out;
}
