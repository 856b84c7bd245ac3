/**
 * Separable image resampling on interleaved float pixels (H, W, C), each axis on its own:
 *  - shrinking an axis: area averaging. Output pixel i covers the source interval
 *    [i·s, (i+1)·s) with s = src/dst, and is the mean of the source pixels weighted by how much of
 *    each lies inside it (a box filter over the footprint; PIL's Image.BOX / OpenCV's INTER_AREA).
 *    Unlike point sampling it never skips source pixels, so thin strokes and edges survive.
 *  - enlarging an axis: bilinear with half-pixel centres. Output pixel i samples source coordinate
 *    x = (i + 0.5)·src/dst − 0.5, clamped to [0, src − 1], and blends the two nearest pixels
 *    (the convention of PIL, OpenCV, tf.image.resize(half_pixel_centers=True) and torch
 *    interpolate(align_corners=False)).
 *  - same size: identity.
 * Both passes are linear, so the result does not depend on the order; values are kept as floats
 * (no rounding back to 8 bits between passes, unlike PIL).
 */

export type ResizeMethod = 'area' | 'bilinear' | 'none';

export function resizeMethod(src: number, dst: number): ResizeMethod {
  return dst < src ? 'area' : dst > src ? 'bilinear' : 'none';
}

/** For each output index, `taps` (source index, weight) pairs; unused taps have weight 0. */
export interface AxisWeights {
  taps: number;
  index: Int32Array;
  weight: Float32Array;
}

/** Weights of one axis mapping `src` samples to `dst` samples (both ≥ 1). */
export function axisWeights(src: number, dst: number): AxisWeights {
  const method = resizeMethod(src, dst);
  if (method === 'none') {
    const index = new Int32Array(dst);
    for (let i = 0; i < dst; i++) index[i] = i;
    return { taps: 1, index, weight: new Float32Array(dst).fill(1) };
  }
  if (method === 'bilinear') {
    const index = new Int32Array(dst * 2);
    const weight = new Float32Array(dst * 2);
    const s = src / dst;
    for (let i = 0; i < dst; i++) {
      const x = Math.min(Math.max((i + 0.5) * s - 0.5, 0), src - 1);
      const x0 = Math.floor(x);
      const f = x - x0;
      index[2 * i] = x0;
      index[2 * i + 1] = Math.min(x0 + 1, src - 1);
      weight[2 * i] = 1 - f;
      weight[2 * i + 1] = f;
    }
    return { taps: 2, index, weight };
  }
  // Area: the footprint spans at most ceil(s) + 1 source pixels (when it straddles both ends).
  const s = src / dst;
  const taps = Math.ceil(s) + 1;
  const index = new Int32Array(dst * taps);
  const weight = new Float32Array(dst * taps);
  for (let i = 0; i < dst; i++) {
    // Exact rational bounds i·src/dst, computed without accumulating rounding error.
    const lo = (i * src) / dst;
    const hi = ((i + 1) * src) / dst;
    let t = 0;
    for (let j = Math.floor(lo); j < hi && j < src; j++) {
      const overlap = Math.min(j + 1, hi) - Math.max(j, lo);
      if (overlap <= 0) continue;
      index[i * taps + t] = j;
      weight[i * taps + t] = overlap / s;
      t++;
    }
  }
  return { taps, index, weight };
}

/** Fills `row` (length srcW·C) with source row `y`; lets callers convert pixels on the fly. */
export type RowReader = (y: number, row: Float32Array) => void;

/**
 * Resizes a (srcH, srcW, C) image read row by row to an interleaved (dstH, dstW, C) Float32Array:
 * the horizontal pass reads each source row once into a (srcH, dstW, C) buffer, then the vertical
 * pass. Reading rows keeps memory at one source row, not a float copy of the whole source.
 */
export function resizeRows(
  srcH: number,
  srcW: number,
  channels: number,
  dstH: number,
  dstW: number,
  readRow: RowReader,
): Float32Array {
  const C = channels;
  const row = new Float32Array(srcW * C);
  if (srcW === dstW && srcH === dstH) {
    const out = new Float32Array(dstH * dstW * C);
    for (let y = 0; y < srcH; y++) {
      readRow(y, row);
      out.set(row, y * srcW * C);
    }
    return out;
  }
  const wx = axisWeights(srcW, dstW);
  const tmp = new Float32Array(srcH * dstW * C);
  for (let y = 0; y < srcH; y++) {
    readRow(y, row);
    const rowOut = y * dstW * C;
    for (let x = 0; x < dstW; x++) {
      for (let c = 0; c < C; c++) {
        let acc = 0;
        for (let t = 0; t < wx.taps; t++) {
          const k = x * wx.taps + t;
          acc += wx.weight[k]! * row[wx.index[k]! * C + c]!;
        }
        tmp[rowOut + x * C + c] = acc;
      }
    }
  }
  const wy = axisWeights(srcH, dstH);
  const out = new Float32Array(dstH * dstW * C);
  const rowLen = dstW * C;
  for (let y = 0; y < dstH; y++) {
    const o = y * rowLen;
    for (let t = 0; t < wy.taps; t++) {
      const k = y * wy.taps + t;
      const w = wy.weight[k]!;
      if (w === 0) continue;
      const r = wy.index[k]! * rowLen;
      for (let i = 0; i < rowLen; i++) out[o + i]! += w * tmp[r + i]!;
    }
  }
  return out;
}

/** resizeRows over an in-memory interleaved (srcH, srcW, C) array. */
export function resizeHWC(
  src: Float32Array,
  srcH: number,
  srcW: number,
  channels: number,
  dstH: number,
  dstW: number,
): Float32Array {
  const n = srcW * channels;
  return resizeRows(srcH, srcW, channels, dstH, dstW, (y, row) => row.set(src.subarray(y * n, (y + 1) * n)));
}
