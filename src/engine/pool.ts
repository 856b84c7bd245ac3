/**
 * Pooling, one loop for max and average (Keras MaxPooling1D/2D, AveragePooling1D/2D,
 * Global*Pooling; PyTorch MaxPool/AvgPool 1d/2d, AdaptiveAvg/MaxPool2d).
 *
 * - Keras: strides default to the pool size; 'same' max pooling treats padding as −∞, 'same'
 *   average pooling divides by the number of real (unpadded) cells.
 * - PyTorch: integer padding, ceil_mode, count_include_pad (divisor counts the padding cells
 *   inside [−pad, in + pad), never the overhang that ceil_mode adds), dilation for max.
 *
 * pool2d (and so pool1d) runs on the WebAssembly SIMD fast path (wasm/window.ts; channels-first
 * on the planes in place, wasm/planes.ts) unless the reference path is forced; the loops below
 * are the reference. Global and adaptive pooling are reference-only (one pass over the input,
 * nothing to gain).
 */
import { fail } from './errors';
import {
  axisGeometry,
  checkTorchPoolPadding,
  window2dGeometry,
  type Geometry2D,
  type Padding2D,
  type AxisPadding,
} from './geometry';
import { pair, type IntOrPair } from './conv';
import { fastPool2d } from './wasm/window';
import { fastPoolPlanes } from './wasm/planes';
import {
  imageAsSeq,
  imageShape,
  imageView,
  layoutView,
  seqAsImage,
  unfilled,
  zeros,
  type ImageView,
  type Layout,
  type Tensor,
} from './tensor';

export type PoolMode = 'max' | 'avg';

export interface Pool2DOptions {
  layout: Layout;
  mode: PoolMode;
  poolSize: IntOrPair;
  /** Defaults to poolSize (both frameworks). */
  strides?: IntOrPair | null;
  padding?: Padding2D;
  dilations?: IntOrPair;
  ceilMode?: boolean;
  /** PyTorch AvgPool count_include_pad (default true there). Keras never counts padding. */
  countIncludePad?: boolean;
  /** Apply PyTorch's "pad at most half the kernel" rule. */
  torchPadRule?: boolean;
  name?: string;
}

export function pool2dGeometry(
  op: string,
  inH: number,
  inW: number,
  o: Omit<Pool2DOptions, 'layout' | 'mode'>,
): Geometry2D {
  const k = pair(o.poolSize, 1);
  const g = window2dGeometry(op, {
    inH,
    inW,
    kernel: k,
    strides: o.strides == null ? k : pair(o.strides, 1),
    dilations: pair(o.dilations, 1),
    padding: o.padding ?? 'valid',
    ceilMode: o.ceilMode ?? false,
  });
  if (o.torchPadRule) checkTorchPoolPadding(op, k, g);
  return g;
}

/**
 * Channels-first 2×2 max pooling with stride 2 and every window inside the input (the pooling of
 * nearly every PyTorch CNN): four reads per output, no bounds checks. The same result as the
 * general loop: the maximum in window order, a NaN in the window wins.
 */
function planeMax2x2(xd: Float32Array, v: ImageView, geo: Geometry2D, yd: Float32Array, ov: ImageView): boolean {
  const { h, w } = geo;
  const simple = (a: typeof h) => a.kernel === 2 && a.stride === 2 && a.dilation === 1 && a.padBefore === 0;
  if (!simple(h) || !simple(w) || 2 * geo.outH > v.h || 2 * geo.outW > v.w) return false;
  for (let n = 0; n < v.n; n++)
    for (let c = 0; c < v.c; c++) {
      const xBase = n * v.sN + c * v.sC;
      const yBase = n * ov.sN + c * ov.sC;
      for (let oh = 0; oh < geo.outH; oh++) {
        const r0 = xBase + 2 * oh * v.sH;
        const r1 = r0 + v.sH;
        const y0 = yBase + oh * ov.sH;
        for (let ow = 0; ow < geo.outW; ow++) {
          const i = 2 * ow;
          const a = xd[r0 + i]!;
          const b = xd[r0 + i + 1]!;
          const c2 = xd[r1 + i]!;
          const d = xd[r1 + i + 1]!;
          let m = a;
          if (b > m || b !== b) m = b;
          if (c2 > m || c2 !== c2) m = c2;
          if (d > m || d !== d) m = d;
          yd[y0 + ow] = m;
        }
      }
    }
  return true;
}

/**
 * Channels-last 2×2 max pooling with stride 2 and every window inside the input (Keras's
 * MaxPooling2D(2) on the reference path): per output pixel the four taps' channel runs are read
 * in window order, without bounds checks. The same result as the general loop: the maximum in
 * window order, a NaN in the window wins.
 */
function lastMax2x2(xd: Float32Array, v: ImageView, geo: Geometry2D, yd: Float32Array, ov: ImageView): boolean {
  const { h, w } = geo;
  const simple = (a: typeof h) => a.kernel === 2 && a.stride === 2 && a.dilation === 1 && a.padBefore === 0;
  if (v.sC !== 1 || ov.sC !== 1 || v.sW !== v.c || ov.sW !== v.c) return false;
  if (!simple(h) || !simple(w) || 2 * geo.outH > v.h || 2 * geo.outW > v.w) return false;
  const c = v.c;
  for (let n = 0; n < v.n; n++)
    for (let oh = 0; oh < geo.outH; oh++) {
      const r0 = n * v.sN + 2 * oh * v.sH;
      const r1 = r0 + v.sH;
      const y0 = n * ov.sN + oh * ov.sH;
      for (let ow = 0; ow < geo.outW; ow++) {
        const a0 = r0 + 2 * ow * c;
        const c0 = r1 + 2 * ow * c;
        const yo = y0 + ow * c;
        for (let k = 0; k < c; k++) {
          let m = xd[a0 + k]!;
          const b = xd[a0 + c + k]!;
          const c2 = xd[c0 + k]!;
          const d = xd[c0 + c + k]!;
          if (b > m || b !== b) m = b;
          if (c2 > m || c2 !== c2) m = c2;
          if (d > m || d !== d) m = d;
          yd[yo + k] = m;
        }
      }
    }
  return true;
}

export function pool2d(x: Tensor, o: Pool2DOptions): Tensor {
  const op = o.name ?? (o.mode === 'max' ? 'MaxPooling2D' : 'AveragePooling2D');
  const v = imageView(op, x, o.layout);
  const geo = pool2dGeometry(op, v.h, v.w, o);
  // every path below assigns each output value (a window of padding alone gives −∞ or 0)
  const out = unfilled(imageShape(v.n, geo.outH, geo.outW, v.c, o.layout), op);
  const ov = layoutView(v.n, geo.outH, geo.outW, v.c, o.layout);
  const xd = x.data;
  const yd = out.data;
  const isMax = o.mode === 'max';
  const includePad = o.countIncludePad ?? false;
  const { h, w } = geo;
  // Channels-first (PyTorch): each channel's plane is contiguous, so the windows are read in
  // place — no transposes to and from the SIMD kernels' channels-last layout, which cost more
  // than the pooling itself: on the SIMD plane kernels (wasm/planes.ts), else in the loops
  // below (same order of operations as the channels-last loop).
  if (v.sW === 1 && ov.sW === 1 && fastPoolPlanes(xd, v, geo, isMax, includePad, yd, ov)) return out;
  if (v.sW === 1 && v.c > 1 && ov.sW === 1) {
    if (isMax && planeMax2x2(xd, v, geo, yd, ov)) return out;
    for (let n = 0; n < v.n; n++)
      for (let c = 0; c < v.c; c++) {
        const xBase = n * v.sN + c * v.sC;
        const yBase = n * ov.sN + c * ov.sC;
        for (let oh = 0; oh < geo.outH; oh++) {
          const hs = oh * h.stride - h.padBefore;
          for (let ow = 0; ow < geo.outW; ow++) {
            const ws = ow * w.stride - w.padBefore;
            let acc = isMax ? -Infinity : 0;
            let count = 0;
            for (let ky = 0; ky < h.kernel; ky++) {
              const ih = hs + ky * h.dilation;
              if (ih < 0 || ih >= v.h) continue;
              const row = xBase + ih * v.sH;
              for (let kx = 0; kx < w.kernel; kx++) {
                const iw = ws + kx * w.dilation;
                if (iw < 0 || iw >= v.w) continue;
                const val = xd[row + iw]!;
                count++;
                if (isMax) {
                  if (val > acc || Number.isNaN(val)) acc = val;
                } else acc += val;
              }
            }
            let divisor = count;
            if (!isMax && includePad) {
              const hEnd = Math.min(hs + h.effectiveKernel, v.h + h.padAfter);
              const wEnd = Math.min(ws + w.effectiveKernel, v.w + w.padAfter);
              divisor = (hEnd - hs) * (wEnd - ws);
            }
            yd[yBase + oh * ov.sH + ow] = isMax ? acc : acc / divisor;
          }
        }
      }
    return out;
  }
  if (fastPool2d(xd, v, geo, isMax, includePad, yd, ov)) return out;
  if (isMax && lastMax2x2(xd, v, geo, yd, ov)) return out;
  // One output pixel at a time, all channels together: the window's bounds are checked once
  // per tap, and the channel loop (contiguous in channels-last) is a plain strided sweep.
  const acc = new Float64Array(v.c);
  for (let n = 0; n < v.n; n++) {
    for (let oh = 0; oh < geo.outH; oh++) {
      const hs = oh * h.stride - h.padBefore;
      for (let ow = 0; ow < geo.outW; ow++) {
        const ws = ow * w.stride - w.padBefore;
        acc.fill(isMax ? -Infinity : 0);
        let count = 0;
        for (let ky = 0; ky < h.kernel; ky++) {
          const ih = hs + ky * h.dilation;
          if (ih < 0 || ih >= v.h) continue;
          for (let kx = 0; kx < w.kernel; kx++) {
            const iw = ws + kx * w.dilation;
            if (iw < 0 || iw >= v.w) continue;
            const base = n * v.sN + ih * v.sH + iw * v.sW;
            count++;
            if (isMax) {
              for (let c = 0; c < v.c; c++) {
                const val = xd[base + c * v.sC]!;
                if (val > acc[c]! || Number.isNaN(val)) acc[c] = val;
              }
            } else {
              for (let c = 0; c < v.c; c++) acc[c]! += xd[base + c * v.sC]!;
            }
          }
        }
        let divisor = count;
        if (!isMax && includePad) {
          const hEnd = Math.min(hs + h.effectiveKernel, v.h + h.padAfter);
          const wEnd = Math.min(ws + w.effectiveKernel, v.w + w.padAfter);
          divisor = (hEnd - hs) * (wEnd - ws);
        }
        const yBase = n * ov.sN + oh * ov.sH + ow * ov.sW;
        for (let c = 0; c < v.c; c++) yd[yBase + c * ov.sC] = isMax ? acc[c]! : acc[c]! / divisor;
      }
    }
  }
  return out;
}

export interface Pool1DOptions {
  layout: Layout;
  mode: PoolMode;
  poolSize: number;
  stride?: number | null;
  padding?: AxisPadding | number;
  dilation?: number;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  torchPadRule?: boolean;
  name?: string;
}

export function pool1d(x: Tensor, o: Pool1DOptions): Tensor {
  const op = o.name ?? (o.mode === 'max' ? 'MaxPooling1D' : 'AveragePooling1D');
  const x4 = seqAsImage(op, x, o.layout);
  const len = o.layout === 'channelsLast' ? x.shape[1]! : x.shape[2]!;
  const p = o.padding ?? 'valid';
  let padding: Padding2D;
  if (p === 'valid' || p === 'same') padding = p;
  else {
    const ax = axisGeometry(op, {
      inSize: len,
      kernel: o.poolSize,
      stride: o.stride ?? o.poolSize,
      padding: typeof p === 'number' ? [p, p] : p,
    });
    padding = [
      [0, 0],
      [ax.padBefore, ax.padAfter],
    ];
  }
  const y = pool2d(x4, {
    layout: o.layout,
    mode: o.mode,
    poolSize: [1, o.poolSize],
    strides: [1, o.stride ?? o.poolSize],
    padding,
    dilations: [1, o.dilation ?? 1],
    ceilMode: o.ceilMode ?? false,
    countIncludePad: o.countIncludePad ?? false,
    torchPadRule: o.torchPadRule ?? false,
    name: op,
  });
  return imageAsSeq(y, o.layout);
}

/** Global max/average pooling over all spatial axes: (N, C), or (N, 1, 1, C)/(N, C, 1, 1) with keepDims. */
export function globalPool2d(x: Tensor, layout: Layout, mode: PoolMode, keepDims = false): Tensor {
  const op = mode === 'max' ? 'GlobalMaxPooling2D' : 'GlobalAveragePooling2D';
  const v = imageView(op, x, layout);
  const out = zeros(keepDims ? imageShape(v.n, 1, 1, v.c, layout) : [v.n, v.c], op);
  for (let n = 0; n < v.n; n++) {
    for (let c = 0; c < v.c; c++) {
      let acc = mode === 'max' ? -Infinity : 0;
      for (let ih = 0; ih < v.h; ih++) {
        for (let iw = 0; iw < v.w; iw++) {
          const val = x.data[n * v.sN + c * v.sC + ih * v.sH + iw * v.sW]!;
          acc = mode === 'max' ? (val > acc || Number.isNaN(val) ? val : acc) : acc + val;
        }
      }
      out.data[n * v.c + c] = mode === 'max' ? acc : acc / (v.h * v.w);
    }
  }
  return out;
}

/**
 * PyTorch AdaptiveAvgPool2d / AdaptiveMaxPool2d: output cell i covers input
 * [floor(i·in/out), ceil((i+1)·in/out)).
 */
export function adaptivePool2d(x: Tensor, layout: Layout, mode: PoolMode, outSize: IntOrPair): Tensor {
  const op = mode === 'max' ? 'AdaptiveMaxPool2d' : 'AdaptiveAvgPool2d';
  const v = imageView(op, x, layout);
  const [oH, oW] = pair(outSize, 1);
  if (!Number.isInteger(oH) || !Number.isInteger(oW) || oH < 1 || oW < 1) {
    fail('bad-argument', `${op}: output size must be positive integers, got ${oH}×${oW}`);
  }
  const out = zeros(imageShape(v.n, oH, oW, v.c, layout), op);
  const ov = layoutView(v.n, oH, oW, v.c, layout);
  for (let n = 0; n < v.n; n++) {
    for (let oh = 0; oh < oH; oh++) {
      const h0 = Math.floor((oh * v.h) / oH);
      const h1 = Math.ceil(((oh + 1) * v.h) / oH);
      for (let ow = 0; ow < oW; ow++) {
        const w0 = Math.floor((ow * v.w) / oW);
        const w1 = Math.ceil(((ow + 1) * v.w) / oW);
        for (let c = 0; c < v.c; c++) {
          let acc = mode === 'max' ? -Infinity : 0;
          for (let ih = h0; ih < h1; ih++) {
            for (let iw = w0; iw < w1; iw++) {
              const val = x.data[n * v.sN + c * v.sC + ih * v.sH + iw * v.sW]!;
              acc = mode === 'max' ? (val > acc || Number.isNaN(val) ? val : acc) : acc + val;
            }
          }
          out.data[n * ov.sN + c * ov.sC + oh * ov.sH + ow * ov.sW] =
            mode === 'max' ? acc : acc / ((h1 - h0) * (w1 - w0));
        }
      }
    }
  }
  return out;
}
