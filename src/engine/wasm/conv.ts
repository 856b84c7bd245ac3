/**
 * Fast path of conv2d (all layouts, strides, dilations, paddings, groups) on the WebAssembly
 * SIMD kernels of gemm.wat; depthwise convolutions go to window.ts instead, and channels-first
 * depthwise and 1×1 convolutions to planes.ts.
 *
 * Per call: the input is copied once into a zero-bordered NHWC buffer (so no kernel ever checks
 * bounds; channels-first through a cache-blocked SIMD transpose, stage_cf in layout.wat), the
 * weights are packed into 8-column panels, then `conv_run` computes the output pixels in
 * blocks (split across threads when a pool is installed) straight into an NHWC result (bias
 * and a ReLU/ReLU6 applied as each tile is stored), which is copied out (channels-first
 * through the transpose back, unstage_cf). The caller has already validated everything and
 * allocated `y`; this returns false only when the fast path is off or its memory cannot grow,
 * and then the caller runs the reference loops.
 */
import type { Geometry2D } from '../geometry';
import { layoutView, unfilledFloats, type ImageView } from '../tensor';
import { fastRuntime, PARAMS, type FastRuntime } from './runtime';

export interface ConvKernel {
  data: Float32Array;
  kh: number;
  kw: number;
  cinPerGroup: number;
  cout: number;
  layout: 'HWIO' | 'OIHW';
}

/**
 * Pixels per block (MC) are bounded by two budgets, in floats: the packed A block (192 KiB, well
 * inside a 1 MiB L2 next to one B panel) and the block's output tile (64 KiB, so the 8-column
 * strips written panel after panel stay cached; small-K layers such as 224×224×3→64 gain most).
 */
const A_BLOCK_FLOATS = 48 * 1024;
const OUT_BLOCK_FLOATS = 16 * 1024;
/** Output floats per band on one thread (256 KiB). */
const OUT_BAND_FLOATS = 64 * 1024;

/** Padded extent of one axis: room for the leading pad, the input, and every window. */
export function paddedExtent(inSize: number, padBefore: number, out: number, stride: number, effK: number): number {
  return Math.max(padBefore + inSize, (out - 1) * stride + effK);
}

/**
 * Copies `x` (any layout, through the view's strides) into the interior of an Hp × Wp × Cp
 * buffer at `dst` and fills the border with `fill`. NHWC inputs whose channels need no padding
 * are copied row by row from JS (one memcpy per row); contiguous NCHW inputs go through
 * `stage_cf` (a cache-blocked SIMD transpose), others through the `stage` kernel.
 * `mult` repeats each input channel (depthwise channel multiplier).
 */
export function stageInput(
  rt: FastRuntime,
  x: Float32Array,
  v: ImageView,
  dst: number,
  rawAt: number,
  hp: number,
  wp: number,
  cp: number,
  top: number,
  left: number,
  fill: number,
  mult = 1,
): void {
  const bottom = hp - top - v.h;
  const right = wp - left - v.w;
  if (v.sC === 1 && cp === v.c && mult === 1) {
    const row = v.w * v.c;
    if (top === 0 && left === 0 && bottom === 0 && right === 0) {
      rt.f32.set(x, dst >> 2);
    } else {
      rt.k.fill_border(dst, v.n, hp, wp, cp, top, bottom, left, right, fill);
      for (let n = 0; n < v.n; n++) {
        for (let h = 0; h < v.h; h++) {
          const s = n * v.sN + h * v.sH;
          rt.f32.set(x.subarray(s, s + row), (dst >> 2) + ((n * hp + h + top) * wp + left) * cp);
        }
      }
    }
    return;
  }
  rt.f32.set(x, rawAt >> 2);
  if (mult === 1 && v.sW === 1 && v.sH === v.w && v.sC === v.h * v.w && v.sN === v.c * v.h * v.w) {
    rt.params(PARAMS.stageCf, [rawAt, v.n, v.c, v.h, v.w, dst, hp, wp, cp, top, left]);
    rt.k.stage_cf(PARAMS.stageCf);
    rt.k.fill_border(dst, v.n, hp, wp, cp, top, bottom, left, right, fill);
    return;
  }
  rt.params(PARAMS.stage, [rawAt, v.sN, v.sH, v.sW, v.sC, v.n, v.h, v.w, v.c * mult, dst, hp, wp, cp, top, left, mult]);
  rt.k.stage(PARAMS.stage);
  rt.k.fill_border(dst, v.n, hp, wp, cp, top, bottom, left, right, fill);
}

/**
 * Copies an NHWC result with `cp` channels per pixel (first `c` used) from `src` into `y` in
 * `layout`: channels-first through `unstage_cf` (a cache-blocked SIMD transpose), other strided
 * layouts through `unstage`.
 */
export function unstageOutput(
  rt: FastRuntime,
  src: number,
  tmp: number,
  y: Float32Array,
  ov: ImageView,
  cp: number,
): void {
  const hw = ov.h * ov.w;
  if (ov.sC === 1 && cp === ov.c) {
    y.set(rt.f32.subarray(src >> 2, (src >> 2) + y.length));
    return;
  }
  if (ov.sW === 1 && ov.sH === ov.w && ov.sC === hw && ov.sN === ov.c * hw) {
    rt.params(PARAMS.unstageCf, [src, cp, ov.n, hw, ov.c, tmp]);
    rt.k.unstage_cf(PARAMS.unstageCf);
    y.set(rt.f32.subarray(tmp >> 2, (tmp >> 2) + y.length));
    return;
  }
  rt.params(PARAMS.unstage, [src, cp, ov.n, hw, ov.c, tmp, ov.sN, ov.sC === 1 ? ov.c : 1, ov.sC]);
  rt.k.unstage(PARAMS.unstage);
  y.set(rt.f32.subarray(tmp >> 2, (tmp >> 2) + y.length));
}

/**
 * An NCHW batch (n, c, h, w) moved to NHWC (`toLast`) or an NHWC one (n, h, w, c) back to NCHW,
 * through the same blocked transposes as the convolutions' staging (stageInput without a border,
 * unstageOutput). Null when the fast path is off or its memory cannot grow.
 */
export function fastRelayout(
  x: Float32Array,
  n: number,
  c: number,
  h: number,
  w: number,
  toLast: boolean,
): Float32Array | null {
  const rt = fastRuntime();
  const at = rt?.reserve([x.length, x.length]);
  if (!rt || !at) return null;
  const [a, b] = at as [number, number];
  const y = unfilledFloats(x.length);
  const nchw = layoutView(n, h, w, c, 'channelsFirst');
  if (toLast) {
    stageInput(rt, x, nchw, b, a, h, w, c, 0, 0, 0);
    y.set(rt.f32.subarray(b >> 2, (b >> 2) + y.length));
  } else {
    rt.f32.set(x, a >> 2);
    unstageOutput(rt, a, b, y, nchw, c);
  }
  return y;
}

/** Activations the kernels apply as they store each result (gemm.wat, window.wat). */
export type FusedActivation = 'relu' | 'relu6';

/** The kernels' code for a fused activation: 0 none, 1 relu, 2 relu6. */
export function activationCode(act: FusedActivation | null | undefined): number {
  return act === 'relu' ? 1 : act === 'relu6' ? 2 : 0;
}

export function fastConv2d(
  x: Float32Array,
  v: ImageView,
  w: ConvKernel,
  groups: number,
  geo: Geometry2D,
  bias: Float32Array | null,
  y: Float32Array,
  ov: ImageView,
  act: FusedActivation | null = null,
): boolean {
  const rt = fastRuntime();
  if (!rt) return false;
  const { kh, kw, cinPerGroup: cpg, cout } = w;
  const copg = cout / groups;
  const K = kh * kw * cpg;
  const NP = Math.ceil(copg / 8);
  const c = v.c;
  const dh = geo.h.dilation,
    dw = geo.w.dilation;
  const hp = paddedExtent(v.h, geo.padTop, geo.outH, geo.h.stride, geo.h.effectiveKernel);
  const wp = paddedExtent(v.w, geo.padLeft, geo.outW, geo.w.stride, geo.w.effectiveKernel);
  // With one group and no horizontal dilation, the kw taps of a kernel row are contiguous in
  // the NHWC buffer: one segment of kw·C floats per kernel row instead of kw segments of C.
  const merge = groups === 1 && dw === 1;
  const taps: number[] = [];
  for (let ky = 0; ky < kh; ky++) {
    if (merge) taps.push(ky * dh * wp * c * 4);
    else for (let kx = 0; kx < kw; kx++) taps.push((ky * dh * wp + kx * dw) * c * 4);
  }
  const L = merge ? kw * c : cpg;
  const M = v.n * geo.outH * geo.outW;
  const mc = Math.max(
    4,
    Math.min(
      Math.ceil(M / 4) * 4,
      Math.floor(A_BLOCK_FLOATS / K / 4) * 4,
      Math.floor(OUT_BLOCK_FLOATS / (NP * 8) / 4) * 4,
    ),
  );
  const threads = rt.threads;
  // Own 64-byte lines per thread's scratch (no false sharing); +32 floats for the 4×8 edge tile.
  const scratchFloats = Math.ceil((mc * K + 32) / 16) * 16;
  const nchwOut = ov.sC !== 1;
  const planarOut = ov.sW === 1 && ov.sH === ov.w && ov.sC === ov.h * ov.w && ov.sN === ov.c * ov.sC;
  // On one thread the result is computed in bands of whole MC-blocks and each band is copied
  // out while it is still in cache (channels-first: transposed into one run per channel
  // first), rather than written to wasm memory in full and read back from DRAM (for a
  // 224×224×64 output that round trip costs as much as the math).
  const banded = threads === 1 && (!nchwOut || planarOut);
  const band = banded ? Math.max(1, Math.floor(OUT_BAND_FLOATS / cout / mc)) * mc : M;
  const at = rt.reserve([
    v.n * hp * wp * c, // 0 xpad
    v.sC === 1 ? 0 : x.length, // 1 raw input for staging
    w.data.length, // 2 raw weights
    groups * NP * K * 8, // 3 packed B
    groups * NP * 8, // 4 packed bias
    Math.min(band, M) * cout, // 5 NHWC output (or one band of it)
    nchwOut ? Math.min(band, M) * cout : 0, // 6 transposed output (or one band of it)
    taps.length, // 7 tap offsets
    scratchFloats * threads, // 8 per-thread scratch
  ]);
  if (!at) return false;
  const [xpad, raw, wRaw, bPacked, bBias, yOut, yT, tapsAt, scratch] = at as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];

  stageInput(rt, x, v, xpad, raw, hp, wp, c, geo.padTop, geo.padLeft, 0);
  rt.f32.set(w.data, wRaw >> 2);
  const s =
    w.layout === 'HWIO'
      ? { ky: kw * cpg * cout, kx: cpg * cout, ci: cout, co: 1 }
      : { ky: kw, kx: 1, ci: kh * kw, co: cpg * kh * kw };
  rt.params(PARAMS.packB, [wRaw, bPacked, groups, kh, kw, cpg, copg, NP, s.ky, s.kx, s.ci, s.co]);
  rt.k.pack_b(PARAMS.packB);
  const bOff = bBias >> 2;
  for (let g = 0; g < groups; g++) {
    for (let j = 0; j < NP * 8; j++) rt.f32[bOff + g * NP * 8 + j] = bias && j < copg ? bias[g * copg + j]! : 0;
  }
  rt.i32.set(taps, tapsAt >> 2);

  const ohw = geo.outH * geo.outW;
  const fields = (yBase: number): number[] => [
    xpad,
    wp,
    c,
    geo.outW,
    ohw,
    hp * wp * c,
    geo.h.stride,
    geo.w.stride,
    taps.length,
    tapsAt,
    L,
    K,
    groups,
    cpg,
    copg,
    NP,
    bPacked,
    bBias,
    yBase,
    cout,
    mc,
    activationCode(act),
  ];
  if (!banded) {
    rt.params(PARAMS.conv, fields(yOut));
    // Channels-last: each finished part of the output is copied out while the other threads
    // still compute (rather than all of it at the end, on this thread alone).
    const out = rt.f32;
    const done = nchwOut
      ? undefined
      : (b: number, e: number) => {
          y.set(out.subarray((yOut >> 2) + b * cout, (yOut >> 2) + e * cout), b * cout);
        };
    rt.split('conv_run', PARAMS.conv, M, mc, M * K * cout, (i) => scratch + i * scratchFloats * 4, done);
    if (nchwOut) unstageOutput(rt, yOut, yT, y, ov, cout);
    return true;
  }
  if (nchwOut) {
    const ohwOut = geo.outH * geo.outW;
    for (let n = 0; n < v.n; n++) {
      for (let b0 = 0; b0 < ohwOut; b0 += band) {
        const m0 = n * ohwOut + b0;
        const cnt = Math.min(band, ohwOut - b0);
        rt.params(PARAMS.conv, fields((yOut - m0 * cout * 4) | 0));
        rt.k.conv_run(PARAMS.conv, m0, m0 + cnt, scratch);
        rt.params(PARAMS.unstageCf, [yOut, cout, 1, cnt, cout, yT]);
        rt.k.unstage_cf(PARAMS.unstageCf);
        const t = yT >> 2;
        for (let c = 0; c < cout; c++) {
          y.set(rt.f32.subarray(t + c * cnt, t + (c + 1) * cnt), n * ov.sN + c * ohwOut + b0);
        }
      }
    }
    return true;
  }
  for (let m0 = 0; m0 < M; m0 += band) {
    const m1 = Math.min(M, m0 + band);
    // Virtual output base (mod 2^32, as wasm i32 arithmetic wraps): pixel m0 lands at yOut.
    rt.params(PARAMS.conv, fields((yOut - m0 * cout * 4) | 0));
    rt.k.conv_run(PARAMS.conv, m0, m1, scratch);
    y.set(rt.f32.subarray(yOut >> 2, (yOut >> 2) + (m1 - m0) * cout), m0 * cout);
  }
  return true;
}
