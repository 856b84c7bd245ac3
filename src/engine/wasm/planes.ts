/**
 * Channels-first fast paths (PyTorch's NCHW layout) on planes.wat's kernels, with no transpose
 * in or out:
 *
 * - Depthwise convolution (any channel multiplier) and 2-D max/average pooling: each output
 *   plane is one image's channel, an independent 2-D window problem. The input planes are
 *   copied into a buffer bordered with the padding value (0 or −∞) and the kernel computes 16
 *   neighbouring output columns per step, 4 per SIMD vector. On one thread (and for pooling
 *   always, as window.ts does for channels-last) the planes go through in groups small enough
 *   for the copy, the kernel and the copy out to stay in cache; depthwise work on a thread
 *   pool stages all planes and splits their rows.
 * - 1×1 convolutions at stride 1 without padding: out[cout × HW] = W[cout × cin] · X[cin × HW]
 *   per image, one GEMM with no im2col (pw_run).
 *
 * Semantics match window.ts's kernels (the same divisors, the same order of sums, max pooling's
 * NaN and ±0 behaviour), and so the reference loops within the same tolerances.
 */
import type { Geometry2D } from '../geometry';
import type { ImageView } from '../tensor';
import { activationCode, paddedExtent, type FusedActivation } from './conv';
import { divisors } from './window';
import { fastRuntime, PARAMS, singleThreadRuntime, type FastRuntime } from './runtime';

/** Floats of input + output planes per group (256 KiB: stays in L2 between the copy and the kernel). */
const BAND_FLOATS = 64 * 1024;
/** Floats of packed pixel panels per pw_run block (192 KiB, in L2 next to the output rows it feeds). */
const B_BLOCK_FLOATS = 48 * 1024;

/** True for a contiguous channels-first view (N, C, H, W), the layout these kernels read and write. */
export function isPlanar(v: ImageView): boolean {
  return v.sW === 1 && v.sH === v.w && v.sC === v.h * v.w && v.sN === v.c * v.h * v.w;
}

interface PlaneJob {
  /** 0 max pooling, 1 average pooling, 2 depthwise. */
  mode: 0 | 1 | 2;
  /** Output planes per image (depthwise: cin·mult). */
  cout: number;
  /** Output plane co reads input plane ⌊co / mult⌋. */
  mult: number;
  fill: number;
  /** Extra regions (floats) the op fills through `setup`. */
  extra: number[];
  /** Writes the op's data into its extra regions; returns parameter fields 40, 44, 48. */
  setup(rt: FastRuntime, extra: number[]): [number, number, number];
}

function runPlanes(
  x: Float32Array,
  v: ImageView,
  geo: Geometry2D,
  y: Float32Array,
  ov: ImageView,
  job: PlaneJob,
): boolean {
  const cur = fastRuntime();
  if (!cur || !isPlanar(v) || !isPlanar(ov)) return false;
  // Depthwise work splits over the helper threads (all planes staged at once); pooling is all
  // copying, which only this thread can do, so it runs in groups on the single-thread runtime.
  const whole = cur.threads > 1 && job.mode === 2;
  const rt = !whole && cur.threads > 1 ? (singleThreadRuntime() ?? cur) : cur;
  const { h: ah, w: aw, outH: oh, outW: ow } = geo;
  const hp = paddedExtent(v.h, geo.padTop, oh, ah.stride, ah.effectiveKernel);
  const wp = paddedExtent(v.w, geo.padLeft, ow, aw.stride, aw.effectiveKernel);
  const plane = hp * wp;
  const taps: number[] = [];
  for (let ky = 0; ky < ah.kernel; ky++) {
    for (let kx = 0; kx < aw.kernel; kx++) taps.push((ky * ah.dilation * wp + kx * aw.dilation) * 4);
  }
  const planes = v.n * job.cout;
  const outPlane = oh * ow;
  const group = whole ? planes : Math.max(1, Math.min(planes, Math.floor(BAND_FLOATS / (plane + outPlane))));
  // The last step of a row may read up to 16 strides and a vector past the last window.
  const slack = 16 * aw.stride + 8;
  // The input planes of a group are a contiguous run of x (output planes map to input planes in
  // order): one copy into wasm memory, then stage_planes lays them out in the padded buffer
  // (or, with no padding and no channel multiplier, the copy is the padded buffer).
  const inPlane = v.h * v.w;
  const srcPlane = (gp: number): number => {
    const n = Math.floor(gp / job.cout);
    return n * v.c + Math.floor((gp - n * job.cout) / job.mult);
  };
  const direct = job.mult === 1 && hp === v.h && wp === v.w;
  const at = rt.reserve([
    group * plane + slack,
    taps.length,
    group * outPlane,
    direct ? 0 : Math.min(v.n * v.c, Math.ceil(group / job.mult) + 1) * inPlane, // raw input planes
    ...job.extra,
  ]);
  if (!at) return false;
  const [xpad, tapsAt, yOut, raw] = at as [number, number, number, number];
  rt.i32.set(taps, tapsAt >> 2);
  const [f40, f44, f48] = job.setup(rt, at.slice(4));
  const bottom = hp - geo.padTop - v.h;
  const right = wp - geo.padLeft - v.w;
  for (let p0 = 0; p0 < planes; p0 += group) {
    const cnt = Math.min(group, planes - p0);
    const lo = srcPlane(p0);
    const hi = srcPlane(p0 + cnt - 1) + 1;
    if (direct) rt.f32.set(x.subarray(lo * inPlane, hi * inPlane), xpad >> 2);
    else {
      rt.k.fill_border(xpad, cnt, hp, wp, 1, geo.padTop, bottom, geo.padLeft, right, job.fill);
      rt.f32.set(x.subarray(lo * inPlane, hi * inPlane), raw >> 2);
      rt.params(PARAMS.stagePlanes, [
        raw,
        lo,
        cnt,
        p0,
        job.cout,
        v.c,
        job.mult,
        v.h,
        v.w,
        xpad,
        hp,
        wp,
        geo.padTop,
        geo.padLeft,
      ]);
      rt.k.stage_planes(PARAMS.stagePlanes);
    }
    rt.params(PARAMS.plane, [
      xpad,
      wp,
      ow,
      oh,
      plane,
      ah.stride,
      aw.stride,
      taps.length,
      tapsAt,
      job.mode,
      f40,
      f44,
      f48,
      yOut,
      p0,
      job.cout,
    ]);
    const rows = cnt * oh;
    if (whole) rt.split('plane_run', PARAMS.plane, rows, 1, rows * ow * taps.length);
    else rt.k.plane_run(PARAMS.plane, 0, rows);
    y.set(rt.f32.subarray(yOut >> 2, (yOut >> 2) + cnt * outPlane), p0 * outPlane);
  }
  return true;
}

/**
 * Channels-first depthwise convolution, or any convolution with one input channel per group
 * and groups = input channels (mult = cout / cin output planes per input plane; a single input
 * channel is groups = 1, mult = cout). `w` holds the kernel in `layout` (HWIO (kh, kw, 1, cout)
 * or OIHW (cout, 1, kh, kw)). Returns false when the fast path is off or the layout is not
 * contiguous NCHW; the caller then takes another path.
 */
export function fastDepthwisePlanes(
  x: Float32Array,
  v: ImageView,
  w: Float32Array,
  layout: 'HWIO' | 'OIHW',
  kh: number,
  kw: number,
  cout: number,
  geo: Geometry2D,
  bias: Float32Array | null,
  y: Float32Array,
  ov: ImageView,
  act: FusedActivation | null = null,
): boolean {
  const taps = kh * kw;
  return runPlanes(x, v, geo, y, ov, {
    mode: 2,
    cout,
    mult: cout / v.c,
    fill: 0,
    extra: [cout * taps, cout],
    setup(rt, [wAt, bAt]) {
      const wf = wAt! >> 2;
      if (layout === 'OIHW') rt.f32.set(w.subarray(0, cout * taps), wf);
      else
        for (let co = 0; co < cout; co++) for (let t = 0; t < taps; t++) rt.f32[wf + co * taps + t] = w[t * cout + co]!;
      if (bias) rt.f32.set(bias, bAt! >> 2);
      else rt.f32.fill(0, bAt! >> 2, (bAt! >> 2) + cout);
      return [wAt!, bAt!, activationCode(act)];
    },
  });
}

/** Channels-first max/average pooling (divisors as window.ts's fastPool2d). */
export function fastPoolPlanes(
  x: Float32Array,
  v: ImageView,
  geo: Geometry2D,
  isMax: boolean,
  includePad: boolean,
  y: Float32Array,
  ov: ImageView,
): boolean {
  const owq = Math.ceil(geo.outW / 16) * 16;
  return runPlanes(x, v, geo, y, ov, {
    mode: isMax ? 0 : 1,
    cout: v.c,
    mult: 1,
    fill: isMax ? -Infinity : 0,
    extra: isMax ? [] : [geo.outH, owq],
    setup(rt, [divH, divW]) {
      if (isMax) return [0, 0, 0];
      rt.f32.set(divisors(geo.h, includePad), divH! >> 2);
      rt.f32.fill(1, divW! >> 2, (divW! >> 2) + owq);
      rt.f32.set(divisors(geo.w, includePad), divW! >> 2);
      return [divH!, divW!, 0];
    },
  });
}

/**
 * Channels-first 1×1 convolution at stride 1 without padding, groups = 1: `w` is the kernel's
 * data in `layout` (OIHW (cout, cin, 1, 1) or HWIO (1, 1, cin, cout)). Returns false when the
 * fast path is off, the views are not contiguous NCHW, or memory cannot grow.
 */
export function fastPointwise(
  x: Float32Array,
  v: ImageView,
  w: Float32Array,
  layout: 'HWIO' | 'OIHW',
  cout: number,
  bias: Float32Array | null,
  y: Float32Array,
  ov: ImageView,
  act: FusedActivation | null = null,
): boolean {
  const rt = fastRuntime();
  if (!rt || !isPlanar(v) || !isPlanar(ov)) return false;
  const K = v.c;
  const hw = v.h * v.w;
  const npx = Math.ceil(hw / 8);
  const nr = Math.ceil(cout / 4);
  const nb = Math.max(1, Math.min(npx, Math.floor(B_BLOCK_FLOATS / (K * 8))));
  const threads = rt.threads;
  // Own 64-byte lines per thread's scratch (no false sharing); +32 floats for the 4×8 edge tile.
  const scratchFloats = Math.ceil((nb * K * 8 + 32) / 16) * 16;
  const at = rt.reserve([x.length, nr * K * 4, nr * 4, y.length, scratchFloats * threads]);
  if (!at) return false;
  const [xAt, aAt, bAt, yAt, scratch] = at as [number, number, number, number, number];
  rt.f32.set(x, xAt >> 2);
  const a = rt.f32;
  const af = aAt >> 2;
  for (let rp = 0; rp < nr; rp++) {
    for (let k = 0; k < K; k++) {
      for (let r = 0; r < 4; r++) {
        const co = rp * 4 + r;
        a[af + (rp * K + k) * 4 + r] = co < cout ? (layout === 'OIHW' ? w[co * K + k]! : w[k * cout + co]!) : 0;
      }
    }
  }
  const bf = bAt >> 2;
  a.fill(0, bf, bf + nr * 4);
  if (bias) a.set(bias, bf);
  rt.params(PARAMS.pw, [xAt, hw, K, cout, aAt, bAt, yAt, activationCode(act), npx, nb]);
  const total = v.n * npx;
  rt.split('pw_run', PARAMS.pw, total, 1, v.n * hw * K * cout, (i) => scratch + i * scratchFloats * 4);
  y.set(rt.f32.subarray(yAt >> 2, (yAt >> 2) + y.length));
  return true;
}
