/**
 * Convolution (Keras Conv1D/Conv2D/DepthwiseConv2D, PyTorch Conv1d/Conv2d), channels-last or
 * channels-first, with per-axis strides, dilation, groups, bias and an optional fused ReLU/ReLU6. Output sizes and pads come
 * from geometry.ts (TF 'same': extra pixel bottom/right).
 *
 * Two implementations compute the same thing: the fast path (wasm/conv.ts, wasm/window.ts, and
 * for channels-first depthwise and 1×1 convolutions wasm/planes.ts: WebAssembly SIMD, the
 * default when available) and the reference loops below (pure
 * TypeScript, used when `setKernelPath('reference')` is set or WebAssembly SIMD is missing).
 * Validation, output allocation and errors are shared, so both paths fail the same way.
 *
 * Reference method: weights are packed once per call into per-group K×N panels (K = kh·kw·cin/groups);
 * blocks of output pixels are gathered into an im2col buffer straight from the input's strides
 * (padding is a bounds check, never a padded copy) and multiplied with gemm.ts. Convolutions
 * with one input channel per group (depthwise, or a single input channel) use a direct loop.
 */
import { fail, requirePositiveInt } from './errors';
import { window2dGeometry, axisGeometry, type Geometry2D, type Padding2D, type AxisPadding } from './geometry';
import { gemmAccumulate } from './gemm';
import { fastConv2d, type FusedActivation } from './wasm/conv';
import { fastDepthwise } from './wasm/window';
import { fastDepthwisePlanes, fastPointwise } from './wasm/planes';
import {
  formatShape,
  imageAsSeq,
  imageShape,
  imageView,
  layoutView,
  requireRank,
  seqAsImage,
  unfilled,
  type ImageView,
  type Layout,
  type Tensor,
} from './tensor';

/** Keras kernels are HWIO (kh, kw, in/groups, out); PyTorch weights are OIHW (out, in/groups, kh, kw). */
export type KernelLayout = 'HWIO' | 'OIHW';

export type IntOrPair = number | readonly [number, number];

export interface Conv2DOptions {
  layout: Layout;
  strides?: IntOrPair;
  dilations?: IntOrPair;
  padding?: Padding2D;
  groups?: number;
  bias?: Tensor | null;
  /** Defaults to HWIO for channels-last and OIHW for channels-first. */
  kernelLayout?: KernelLayout;
  /** Name used in error messages, e.g. "Conv2D 'conv2d_1'". */
  name?: string;
  /**
   * An activation applied to every output after the bias, with the values of activation()
   * (relu: v > 0 ? v : 0, so NaN and −0 give 0; relu6: min(max(v, 0), 6)). The fast path
   * applies it as the kernels store their results, without a pass of its own.
   */
  activation?: FusedActivation | null;
}

export type { FusedActivation };

export function pair(v: IntOrPair | undefined, dflt: number): [number, number] {
  if (v === undefined) return [dflt, dflt];
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

export interface KernelInfo {
  kh: number;
  kw: number;
  cinPerGroup: number;
  cout: number;
}

export function kernelInfo(op: string, kernel: Tensor, kl: KernelLayout): KernelInfo {
  requireRank(op, 'kernel', kernel, 4);
  const s = kernel.shape as [number, number, number, number];
  return kl === 'HWIO'
    ? { kh: s[0], kw: s[1], cinPerGroup: s[2], cout: s[3] }
    : { kh: s[2], kw: s[3], cinPerGroup: s[1], cout: s[0] };
}

export function conv2dGeometryFor(
  op: string,
  x: Tensor,
  kernel: Tensor,
  o: Conv2DOptions,
): { geo: Geometry2D; k: KernelInfo; v: ImageView; groups: number } {
  const v = imageView(op, x, o.layout);
  const k = kernelInfo(op, kernel, o.kernelLayout ?? (o.layout === 'channelsLast' ? 'HWIO' : 'OIHW'));
  const groups = o.groups ?? 1;
  requirePositiveInt(op, 'groups', groups);
  if (v.c % groups !== 0 || k.cout % groups !== 0) {
    fail(
      'channel-mismatch',
      `${op}: groups=${groups} must divide both the ${v.c} input channels and the ${k.cout} filters`,
    );
  }
  if (k.cinPerGroup * groups !== v.c) {
    fail(
      'channel-mismatch',
      `${op}: kernel ${formatShape(kernel.shape)} expects ${k.cinPerGroup * groups} input channels${groups > 1 ? ` (${k.cinPerGroup} per group × ${groups} groups)` : ''}, but the input ${formatShape(x.shape)} has ${v.c}`,
    );
  }
  const geo = window2dGeometry(op, {
    inH: v.h,
    inW: v.w,
    kernel: [k.kh, k.kw],
    strides: pair(o.strides, 1),
    dilations: pair(o.dilations, 1),
    padding: o.padding ?? 'valid',
  });
  return { geo, k, v, groups };
}

function checkBias(op: string, bias: Tensor | null | undefined, cout: number): Float32Array | null {
  if (!bias) return null;
  if (bias.shape.length !== 1 || bias.shape[0] !== cout) {
    fail('channel-mismatch', `${op}: bias of shape ${formatShape(bias.shape)} does not match ${cout} filters`);
  }
  return bias.data;
}

/** Packs the kernel as groups × [K = (ky, kx, ci)] × [copg] panels. */
function packKernel(kernel: Tensor, kl: KernelLayout, k: KernelInfo, groups: number): Float32Array {
  const { kh, kw, cinPerGroup: cpg, cout } = k;
  const copg = cout / groups;
  const K = kh * kw * cpg;
  const out = new Float32Array(groups * K * copg);
  const w = kernel.data;
  for (let co = 0; co < cout; co++) {
    const g = Math.floor(co / copg);
    const j = co - g * copg;
    const gBase = g * K * copg;
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++) {
        for (let ci = 0; ci < cpg; ci++) {
          const src = kl === 'HWIO' ? ((ky * kw + kx) * cpg + ci) * cout + co : ((co * cpg + ci) * kh + ky) * kw + kx;
          out[gBase + ((ky * kw + kx) * cpg + ci) * copg + j] = w[src]!;
        }
      }
    }
  }
  return out;
}

/** Floats in one im2col block (256 KiB): bounds memory whatever the layer size. */
const IM2COL_BLOCK = 1 << 16;

export function conv2d(x: Tensor, kernel: Tensor, o: Conv2DOptions): Tensor {
  const op = o.name ?? 'Conv2D';
  const kl = o.kernelLayout ?? (o.layout === 'channelsLast' ? 'HWIO' : 'OIHW');
  const { geo, k, v, groups } = conv2dGeometryFor(op, x, kernel, o);
  const bias = checkBias(op, o.bias, k.cout);
  // (every path below assigns each output value: test/unit/helpers/poisonUnfilled.ts)
  const out = unfilled(imageShape(v.n, geo.outH, geo.outW, k.cout, o.layout), op);
  const ov = layoutView(v.n, geo.outH, geo.outW, k.cout, o.layout);
  const act = checkActivation(op, o.activation);
  const first = o.layout === 'channelsFirst';
  // Channels-first: a depthwise convolution runs on the planes in place (from 8 output columns:
  // the plane kernels step 16 columns at a time, and narrower rows waste most of each step, where
  // transposing for the channels-last kernels costs less), and a 1×1 convolution at stride 1
  // without padding is one GEMM on them. A single input channel stays on the GEMM path (its
  // 4×8 tiles reuse each input value for 8 filters).
  if (first && k.cinPerGroup === 1 && groups > 1 && geo.outW >= 8) {
    if (fastDepthwisePlanes(x.data, v, kernel.data, kl, k.kh, k.kw, k.cout, geo, bias, out.data, ov, act)) return out;
  } else if (
    first &&
    groups === 1 &&
    k.kh === 1 &&
    k.kw === 1 &&
    geo.outH === v.h &&
    geo.outW === v.w &&
    geo.padTop === 0 &&
    geo.padLeft === 0 &&
    geo.h.stride === 1 &&
    geo.w.stride === 1
  ) {
    if (fastPointwise(x.data, v, kernel.data, kl, k.cout, bias, out.data, ov, act)) return out;
  }
  if (k.cinPerGroup === 1 && groups > 1) {
    if (!fastDepthwise(x.data, v, kernel.data, kl, k.kh, k.kw, k.cout, geo, bias, out.data, ov, act)) {
      depthwise(x.data, v, kernel.data, kl, k, groups, geo, out.data, ov, bias);
      applyActivation(out.data, act);
    }
  } else if (!fastConv2d(x.data, v, { ...k, data: kernel.data, layout: kl }, groups, geo, bias, out.data, ov, act)) {
    // One input channel per group (e.g. a first layer on grayscale images): K = kh·kw is too
    // small for im2col + GEMM to pay; the direct loop is several times faster.
    if (k.cinPerGroup === 1) depthwise(x.data, v, kernel.data, kl, k, groups, geo, out.data, ov, bias);
    else im2colConv(x.data, v, packKernel(kernel, kl, k, groups), k, groups, geo, out.data, ov, bias);
    applyActivation(out.data, act);
  }
  return out;
}

function checkActivation(op: string, a: FusedActivation | null | undefined): FusedActivation | null {
  if (a === undefined || a === null) return null;
  if (a !== 'relu' && a !== 'relu6') fail('bad-argument', `${op}: cannot fuse the activation '${String(a)}'`);
  return a;
}

/** The reference path's activation, over the finished output (same values as activation()). */
function applyActivation(y: Float32Array, act: FusedActivation | null): void {
  if (act === 'relu') {
    for (let i = 0; i < y.length; i++) if (!(y[i]! > 0)) y[i] = 0;
  } else if (act === 'relu6') {
    for (let i = 0; i < y.length; i++) y[i] = Math.min(Math.max(y[i]!, 0), 6);
  }
}

function im2colConv(
  x: Float32Array,
  v: ImageView,
  packed: Float32Array,
  k: KernelInfo,
  groups: number,
  geo: Geometry2D,
  y: Float32Array,
  ov: ImageView,
  bias: Float32Array | null,
): void {
  const { kh, kw, cinPerGroup: cpg } = k;
  const copg = k.cout / groups;
  const K = kh * kw * cpg;
  const P = geo.outH * geo.outW;
  const rowsPerBlock = Math.max(1, Math.min(P, Math.floor(IM2COL_BLOCK / K)));
  const A = new Float32Array(rowsPerBlock * K);
  const C = new Float32Array(rowsPerBlock * copg);
  const sh = geo.h.stride,
    sw = geo.w.stride,
    dh = geo.h.dilation,
    dw = geo.w.dilation;
  for (let n = 0; n < v.n; n++) {
    const xN = n * v.sN;
    const yN = n * ov.sN;
    for (let g = 0; g < groups; g++) {
      const xG = xN + g * cpg * v.sC;
      const bOff = g * K * copg;
      for (let p0 = 0; p0 < P; p0 += rowsPerBlock) {
        const rows = Math.min(rowsPerBlock, P - p0);
        let idx = 0;
        for (let r = 0; r < rows; r++) {
          const p = p0 + r;
          const oh = Math.floor(p / geo.outW);
          const ow = p - oh * geo.outW;
          const ih0 = oh * sh - geo.padTop;
          const iw0 = ow * sw - geo.padLeft;
          for (let ky = 0; ky < kh; ky++) {
            const ih = ih0 + ky * dh;
            if (ih < 0 || ih >= v.h) {
              A.fill(0, idx, idx + kw * cpg);
              idx += kw * cpg;
              continue;
            }
            const xRow = xG + ih * v.sH;
            for (let kx = 0; kx < kw; kx++) {
              const iw = iw0 + kx * dw;
              if (iw < 0 || iw >= v.w) {
                A.fill(0, idx, idx + cpg);
                idx += cpg;
                continue;
              }
              const base = xRow + iw * v.sW;
              if (v.sC === 1 && cpg >= 16) {
                A.set(x.subarray(base, base + cpg), idx);
                idx += cpg;
              } else {
                for (let ci = 0; ci < cpg; ci++) A[idx++] = x[base + ci * v.sC]!;
              }
            }
          }
        }
        C.fill(0, 0, rows * copg);
        gemmAccumulate(rows, copg, K, A, 0, packed, bOff, C, 0);
        for (let r = 0; r < rows; r++) {
          const p = p0 + r;
          const oh = Math.floor(p / geo.outW);
          const ow = p - oh * geo.outW;
          const yBase = yN + oh * ov.sH + ow * ov.sW + g * copg * ov.sC;
          const cRow = r * copg;
          for (let j = 0; j < copg; j++) {
            y[yBase + j * ov.sC] = C[cRow + j]! + (bias ? bias[g * copg + j]! : 0);
          }
        }
      }
    }
  }
}

/**
 * One input channel per group (depthwise convolutions, and any convolution with a single input
 * channel, e.g. a first layer on grayscale images): out channel co = ci·mult + m reads only
 * input channel ci.
 *
 * Each output is one float64 sum kept in a register — bias first, then the window's valid taps
 * in (ky, kx) order — rounded to float32 once when stored. The channel loop is outermost, so a
 * channel's weights are loaded once: for 3×3 kernels the nine weights live in locals and the
 * windows that lie wholly inside the input (all but a one-pixel border for 'same' padding) are
 * one unrolled expression with no bounds checks (kernels 3 wide: one unrolled row at a time
 * on the top and bottom border); the left and right border and other kernel sizes go through
 * the valid-tap rectangle of each window. Same sums, same order, everywhere.
 */
function depthwise(
  x: Float32Array,
  v: ImageView,
  w: Float32Array,
  kl: KernelLayout,
  k: KernelInfo,
  groups: number,
  geo: Geometry2D,
  y: Float32Array,
  ov: ImageView,
  bias: Float32Array | null,
): void {
  const { kh, kw, cout } = k;
  const mult = cout / groups;
  const taps = kh * kw;
  // Repack as (co, ky, kx): one channel's taps side by side. Float64 holds float32 exactly.
  const wq = new Float64Array(cout * taps);
  for (let co = 0; co < cout; co++) {
    for (let t = 0; t < taps; t++) wq[co * taps + t] = kl === 'HWIO' ? w[t * cout + co]! : w[co * taps + t]!;
  }
  const sh = geo.h.stride,
    sw = geo.w.stride,
    dh = geo.h.dilation,
    dw = geo.w.dilation;
  const { sN, sH, sW, sC } = v;
  const dyStep = dh * sH,
    dxStep = dw * sW;
  const oStepW = sw * sW;
  // Output columns whose window lies wholly inside the input: [owA, owB).
  const owA = Math.min(geo.outW, Math.ceil(geo.padLeft / sw));
  const owB = Math.max(owA, Math.min(geo.outW, Math.floor((v.w - 1 - (kw - 1) * dw + geo.padLeft) / sw) + 1));
  const unrolled = kh === 3 && kw === 3;
  for (let n = 0; n < v.n; n++) {
    for (let co = 0; co < cout; co++) {
      const xc = n * sN + Math.floor(co / mult) * sC;
      const yc = n * ov.sN + co * ov.sC;
      const b = bias ? bias[co]! : 0;
      const wo = co * taps;
      for (let oh = 0; oh < geo.outH; oh++) {
        const ih0 = oh * sh - geo.padTop;
        const ky0 = Math.max(0, Math.ceil(-ih0 / dh));
        const ky1 = Math.min(kh, Math.floor((v.h - 1 - ih0) / dh) + 1);
        const xRow = xc + ih0 * sH;
        const yRow = yc + oh * ov.sH;
        let ow = 0;
        if (kw === 3 && owA < owB && ky0 < ky1) {
          depthwiseEdge(
            x,
            xRow,
            v.w,
            sW,
            dxStep,
            dyStep,
            kw,
            wq,
            wo,
            b,
            ky0,
            ky1,
            y,
            yRow,
            ov.sW,
            sw,
            dw,
            geo.padLeft,
            0,
            owA,
          );
          const xi = xRow + (owA * sw - geo.padLeft) * sW;
          const yi = yRow + owA * ov.sW;
          if (unrolled && ky0 === 0 && ky1 === 3)
            depthwise3x3(x, xi, oStepW, dxStep, dyStep, wq, wo, b, y, yi, ov.sW, owB - owA);
          else depthwiseRows3(x, xi, oStepW, dxStep, dyStep, wq, wo, b, ky0, ky1, y, yi, ov.sW, owB - owA);
          ow = owB;
        }
        depthwiseEdge(
          x,
          xRow,
          v.w,
          sW,
          dxStep,
          dyStep,
          kw,
          wq,
          wo,
          b,
          ky0,
          ky1,
          y,
          yRow,
          ov.sW,
          sw,
          dw,
          geo.padLeft,
          ow,
          geo.outW,
        );
      }
    }
  }
}

/** Outputs [ow0, ow1) of one row and channel, each over its window's valid taps. */
function depthwiseEdge(
  x: Float32Array,
  xRow: number,
  inW: number,
  sW: number,
  dxStep: number,
  dyStep: number,
  kw: number,
  wq: Float64Array,
  wo: number,
  b: number,
  ky0: number,
  ky1: number,
  y: Float32Array,
  yRow: number,
  oSW: number,
  sw: number,
  dw: number,
  padLeft: number,
  ow0: number,
  ow1: number,
): void {
  for (let ow = ow0; ow < ow1; ow++) {
    const iw0 = ow * sw - padLeft;
    const kx0 = Math.max(0, Math.ceil(-iw0 / dw));
    const kx1 = Math.min(kw, Math.floor((inW - 1 - iw0) / dw) + 1);
    let s = b;
    for (let ky = ky0; ky < ky1; ky++) {
      let xi = xRow + ky * dyStep + iw0 * sW + kx0 * dxStep;
      let wi = wo + ky * kw + kx0;
      for (let kx = kx0; kx < kx1; kx++, xi += dxStep, wi++) s += x[xi]! * wq[wi]!;
    }
    y[yRow + ow * oSW] = s;
  }
}

/** `count` outputs of one row and channel of a kernel 3 wide, over kernel rows [ky0, ky1), all three columns inside the input. */
function depthwiseRows3(
  x: Float32Array,
  xi: number,
  xStep: number,
  dx: number,
  dy: number,
  wq: Float64Array,
  wo: number,
  b: number,
  ky0: number,
  ky1: number,
  y: Float32Array,
  yi: number,
  yStep: number,
  count: number,
): void {
  const dx2 = 2 * dx;
  for (let i = 0; i < count; i++, xi += xStep, yi += yStep) {
    let s = b;
    for (let ky = ky0, r = xi + ky0 * dy, wi = wo + 3 * ky0; ky < ky1; ky++, r += dy, wi += 3) {
      s = s + x[r]! * wq[wi]! + x[r + dx]! * wq[wi + 1]! + x[r + dx2]! * wq[wi + 2]!;
    }
    y[yi] = s;
  }
}

/** `count` outputs of one row and channel whose 3×3 windows lie inside the input. */
function depthwise3x3(
  x: Float32Array,
  xi: number,
  xStep: number,
  dx: number,
  dy: number,
  wq: Float64Array,
  wo: number,
  b: number,
  y: Float32Array,
  yi: number,
  yStep: number,
  count: number,
): void {
  const w0 = wq[wo]!,
    w1 = wq[wo + 1]!,
    w2 = wq[wo + 2]!;
  const w3 = wq[wo + 3]!,
    w4 = wq[wo + 4]!,
    w5 = wq[wo + 5]!;
  const w6 = wq[wo + 6]!,
    w7 = wq[wo + 7]!,
    w8 = wq[wo + 8]!;
  const dx2 = 2 * dx,
    dy2 = 2 * dy;
  for (let i = 0; i < count; i++, xi += xStep, yi += yStep) {
    const r1 = xi + dy,
      r2 = xi + dy2;
    y[yi] =
      b +
      x[xi]! * w0 +
      x[xi + dx]! * w1 +
      x[xi + dx2]! * w2 +
      x[r1]! * w3 +
      x[r1 + dx]! * w4 +
      x[r1 + dx2]! * w5 +
      x[r2]! * w6 +
      x[r2 + dx]! * w7 +
      x[r2 + dx2]! * w8;
  }
}

/**
 * Keras DepthwiseConv2D: kernel (kh, kw, cin, depth_multiplier); output channel ci·mult + m.
 * The kernel's memory is exactly an HWIO kernel of shape (kh, kw, 1, cin·mult) with groups=cin.
 */
export function depthwiseConv2d(
  x: Tensor,
  kernel: Tensor,
  o: Omit<Conv2DOptions, 'groups' | 'kernelLayout' | 'layout'> & { layout?: Layout },
): Tensor {
  const op = o.name ?? 'DepthwiseConv2D';
  requireRank(op, 'kernel', kernel, 4);
  const [kh, kw, cin, mult] = kernel.shape as [number, number, number, number];
  const asHWIO: Tensor = { shape: [kh, kw, 1, cin * mult], data: kernel.data };
  return conv2d(x, asHWIO, { ...o, name: op, layout: o.layout ?? 'channelsLast', groups: cin, kernelLayout: 'HWIO' });
}

export interface Conv1DOptions {
  layout: Layout;
  stride?: number;
  dilation?: number;
  /** 'valid' | 'same' | 'causal' (Keras) | an int or [before, after] (PyTorch). */
  padding?: AxisPadding | number;
  groups?: number;
  bias?: Tensor | null;
  /** Keras kernels are (k, in/groups, out) = 'WIO'; PyTorch weights are (out, in/groups, k) = 'OIW'. */
  kernelLayout?: 'WIO' | 'OIW';
  name?: string;
  /** As Conv2DOptions.activation. */
  activation?: FusedActivation | null;
}

export function conv1d(x: Tensor, kernel: Tensor, o: Conv1DOptions): Tensor {
  const op = o.name ?? 'Conv1D';
  requireRank(op, 'kernel', kernel, 3);
  const kl = o.kernelLayout ?? (o.layout === 'channelsLast' ? 'WIO' : 'OIW');
  const s = kernel.shape as [number, number, number];
  const k4: Tensor = { shape: kl === 'WIO' ? [1, s[0], s[1], s[2]] : [s[0], s[1], 1, s[2]], data: kernel.data };
  const x4 = seqAsImage(op, x, o.layout);
  const stride = o.stride ?? 1;
  const dilation = o.dilation ?? 1;
  const p = o.padding ?? 'valid';
  let padding: Padding2D;
  if (p === 'valid' || p === 'same') padding = p;
  else {
    const lenW = o.layout === 'channelsLast' ? x.shape[1]! : x.shape[2]!;
    const kLen = kl === 'WIO' ? s[0] : s[2];
    const axisPad: AxisPadding = typeof p === 'number' ? [p, p] : p;
    const g = axisGeometry(op, { inSize: lenW, kernel: kLen, stride, dilation, padding: axisPad });
    padding = [
      [0, 0],
      [g.padBefore, g.padAfter],
    ];
  }
  const y = conv2d(x4, k4, {
    layout: o.layout,
    strides: [1, stride],
    dilations: [1, dilation],
    padding,
    groups: o.groups ?? 1,
    bias: o.bias ?? null,
    kernelLayout: kl === 'WIO' ? 'HWIO' : 'OIHW',
    name: op,
    activation: o.activation ?? null,
  });
  return imageAsSeq(y, o.layout);
}
