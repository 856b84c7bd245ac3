/**
 * Spatial transformers' sampling, as PyTorch computes it: F.affine_grid(theta, size,
 * align_corners) and F.grid_sample(input, grid, mode='bilinear', padding_mode='zeros',
 * align_corners). Grids hold (x, y) in [-1, 1]; align_corners=False (PyTorch's default) puts -1
 * and 1 at the outer edges of the corner pixels, True at their centres.
 */
import { fail } from './errors';
import { zeros, type Tensor } from './tensor';

/** theta (N, 2, 3) → a sampling grid (N, H, W, 2). */
export function affineGrid(theta: Tensor, h: number, w: number, alignCorners: boolean, op = 'affine_grid'): Tensor {
  const [n, r, c] = theta.shape;
  if (theta.shape.length !== 3 || r !== 2 || c !== 3)
    fail('bad-argument', `${op}: expected theta of shape (N, 2, 3), got (${theta.shape.join(', ')})`);
  const base = (i: number, size: number): number =>
    size === 1 ? 0 : alignCorners ? -1 + (2 * i) / (size - 1) : (2 * i + 1) / size - 1;
  const out = zeros([n!, h, w, 2], op);
  const t = theta.data;
  const d = out.data;
  for (let b = 0; b < n!; b++) {
    const o = b * 6;
    for (let i = 0; i < h; i++) {
      const y = base(i, h);
      for (let j = 0; j < w; j++) {
        const x = base(j, w);
        const k = ((b * h + i) * w + j) * 2;
        d[k] = t[o]! * x + t[o + 1]! * y + t[o + 2]!;
        d[k + 1] = t[o + 3]! * x + t[o + 4]! * y + t[o + 5]!;
      }
    }
  }
  return out;
}

/** input (N, C, H, W) sampled at grid (N, Ho, Wo, 2), bilinearly, zeros outside → (N, C, Ho, Wo). */
export function gridSample(input: Tensor, grid: Tensor, alignCorners: boolean, op = 'grid_sample'): Tensor {
  const [n, ch, hi, wi] = input.shape as [number, number, number, number];
  const [gn, ho, wo, two] = grid.shape as [number, number, number, number];
  if (input.shape.length !== 4 || grid.shape.length !== 4 || two !== 2 || gn !== n)
    fail('bad-argument', `${op}: expected input (N, C, H, W) and grid (N, H, W, 2) with the same N`);
  const unnorm = (v: number, size: number): number =>
    alignCorners ? ((v + 1) / 2) * (size - 1) : ((v + 1) * size - 1) / 2;
  const out = zeros([n, ch, ho, wo], op);
  const x = input.data;
  const g = grid.data;
  const d = out.data;
  for (let b = 0; b < n; b++)
    for (let i = 0; i < ho; i++)
      for (let j = 0; j < wo; j++) {
        const k = ((b * ho + i) * wo + j) * 2;
        const ix = unnorm(g[k]!, wi);
        const iy = unnorm(g[k + 1]!, hi);
        const x0 = Math.floor(ix);
        const y0 = Math.floor(iy);
        const fx = ix - x0;
        const fy = iy - y0;
        for (let c = 0; c < ch; c++) {
          const plane = (b * ch + c) * hi * wi;
          const at = (yy: number, xx: number): number =>
            yy >= 0 && yy < hi && xx >= 0 && xx < wi ? x[plane + yy * wi + xx]! : 0;
          d[((b * ch + c) * ho + i) * wo + j] =
            at(y0, x0) * (1 - fx) * (1 - fy) +
            at(y0, x0 + 1) * fx * (1 - fy) +
            at(y0 + 1, x0) * (1 - fx) * fy +
            at(y0 + 1, x0 + 1) * fx * fy;
        }
      }
  return out;
}
