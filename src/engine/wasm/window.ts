/**
 * Fast paths of depthwise convolution and 2-D max/average pooling on window.wat's kernels.
 *
 * Both read a padded NHWC buffer whose channel count Cp is a multiple of 4 (the SIMD lanes):
 * zeros around a depthwise input or an average pool, −∞ around a max pool, so the kernels never
 * test bounds. A depthwise channel multiplier > 1 is handled by staging each input channel
 * `mult` times, after which every output channel reads its own lane. Results come back with Cp
 * channels and are compacted (or transposed to channels-first) on the way out.
 *
 * These ops do little arithmetic per byte, so memory traffic decides their speed. On one thread
 * (and for pooling always) a channels-last input whose channels need no padding is processed in
 * bands of output rows: the band's input rows are copied into a small buffer, the kernel runs,
 * and the band's output is copied out while both are still in cache — instead of staging the
 * whole input in wasm memory and reading it back from DRAM.
 *
 * Semantics match the reference loops exactly: pooling divisors come from the same geometry
 * (divisors()), and max pooling keeps the reference's NaN and ±0 behaviour (see window.wat).
 */
import type { Geometry2D, AxisGeometry } from '../geometry';
import type { ImageView } from '../tensor';
import { activationCode, paddedExtent, stageInput, unstageOutput, type FusedActivation } from './conv';
import { fastRuntime, PARAMS, singleThreadRuntime, type FastRuntime } from './runtime';

/** Floats of input + output per band (256 KiB: stays in L2 between the copy and the kernel). */
const BAND_FLOATS = 64 * 1024;

interface WindowJob {
  kind: 'dw_run' | 'pool_run';
  /** Channels produced (depthwise: cin·mult). */
  c: number;
  mult: number;
  fill: number;
  /** Extra regions (floats) the op fills through `setup`. */
  extra: number[];
  /** Writes the op's data into its extra regions; returns parameter fields 40, 44, 48. */
  setup(rt: FastRuntime, extra: number[], cp: number): [number, number, number];
}

function runWindow(
  x: Float32Array,
  v: ImageView,
  geo: Geometry2D,
  y: Float32Array,
  ov: ImageView,
  job: WindowJob,
): boolean {
  const cur = fastRuntime();
  if (!cur) return false;
  const cp = Math.ceil(job.c / 4) * 4;
  const direct = v.sC === 1 && cp === job.c && job.mult === 1;
  // Pooling does so little per byte that copying the input dominates it, and only this thread
  // can copy from `x`: it runs banded on this thread even when helpers are available, and then
  // on the single-thread runtime's memory (copies to and from shared memory are slower).
  const banded = direct && ov.sC === 1 && (cur.threads === 1 || job.kind === 'pool_run');
  const rt = banded && cur.threads > 1 ? (singleThreadRuntime() ?? cur) : cur;
  const { h: ah, w: aw, outH: oh, outW: ow } = geo;
  const hp = paddedExtent(v.h, geo.padTop, oh, ah.stride, ah.effectiveKernel);
  const wp = paddedExtent(v.w, geo.padLeft, ow, aw.stride, aw.effectiveKernel);
  const taps: number[] = [];
  for (let ky = 0; ky < ah.kernel; ky++) {
    for (let kx = 0; kx < aw.kernel; kx++) taps.push((ky * ah.dilation * wp + kx * aw.dilation) * cp * 4);
  }
  const rows = v.n * oh;
  const inPerRow = ah.stride * wp * cp;
  const bandRows = Math.max(1, Math.min(oh, Math.floor(BAND_FLOATS / (inPerRow + ow * cp))));
  const bandIn = ((bandRows - 1) * ah.stride + ah.effectiveKernel) * wp * cp;
  const at = rt.reserve([
    banded ? bandIn : v.n * hp * wp * cp, // 0 padded input (or one band of it)
    direct ? 0 : x.length, // 1 raw input for staging
    taps.length, // 2
    (banded ? bandRows : rows) * ow * cp, // 3 output (or one band)
    banded ? 0 : rows * ow * cp, // 4 compacted / transposed output
    ...job.extra,
  ]);
  if (!at) return false;
  const [xpad, raw, tapsAt, yOut, yT] = at as [number, number, number, number, number];
  rt.i32.set(taps, tapsAt >> 2);
  const [f40, f44, f48] = job.setup(rt, at.slice(5), cp);
  const img = hp * wp * cp;
  const fields = (xBase: number, yBase: number): number[] => [
    xBase,
    wp,
    cp,
    ow,
    oh,
    img,
    ah.stride,
    aw.stride,
    taps.length,
    tapsAt,
    f40,
    f44,
    f48,
    yBase,
  ];
  const work = ow * cp * taps.length;
  if (!banded) {
    stageInput(rt, x, v, xpad, raw, hp, wp, cp, geo.padTop, geo.padLeft, job.fill, job.mult);
    rt.params(PARAMS.window, fields(xpad, yOut));
    rt.split(job.kind, PARAMS.window, rows, 1, rows * work);
    unstageOutput(rt, yOut, yT, y, ov, cp);
    return true;
  }
  const rowIn = v.w * v.c;
  const contiguous = wp === v.w;
  for (let n = 0; n < v.n; n++) {
    for (let o0 = 0; o0 < oh; o0 += bandRows) {
      const o1 = Math.min(oh, o0 + bandRows);
      const p0 = o0 * ah.stride; // first padded input row of the band
      const hb = (o1 - o0 - 1) * ah.stride + ah.effectiveKernel;
      const top = Math.max(0, Math.min(hb, geo.padTop - p0));
      const bottom = Math.max(0, Math.min(hb - top, p0 + hb - (geo.padTop + v.h)));
      const right = wp - geo.padLeft - v.w;
      if (top + bottom + geo.padLeft + right > 0)
        rt.k.fill_border(xpad, 1, hb, wp, cp, top, bottom, geo.padLeft, right, job.fill);
      if (contiguous) {
        // No horizontal padding: the band's rows are one contiguous run in both buffers.
        const s = n * v.sN + (p0 + top - geo.padTop) * v.sH;
        rt.f32.set(x.subarray(s, s + (hb - bottom - top) * rowIn), (xpad >> 2) + top * wp * cp);
      } else {
        for (let r = top; r < hb - bottom; r++) {
          const s = n * v.sN + (p0 + r - geo.padTop) * v.sH;
          rt.f32.set(x.subarray(s, s + rowIn), (xpad >> 2) + (r * wp + geo.padLeft) * cp);
        }
      }
      // Virtual bases (mod 2^32, as wasm i32 arithmetic wraps): the kernel addresses image n,
      // row o0 at the start of the band buffers.
      const r0 = n * oh + o0;
      rt.params(PARAMS.window, fields((xpad - (n * img + p0 * wp * cp) * 4) | 0, (yOut - r0 * ow * cp * 4) | 0));
      rt.k[job.kind](PARAMS.window, r0, n * oh + o1);
      y.set(rt.f32.subarray(yOut >> 2, (yOut >> 2) + (o1 - o0) * ow * cp), r0 * ow * cp);
    }
  }
  return true;
}

/**
 * Depthwise convolution: `w` holds the kernel in `layout` (HWIO (kh, kw, 1, cout) or OIHW
 * (cout, 1, kh, kw)); output channel co = ci·mult + m reads input channel ci. `act` (ReLU or
 * ReLU6) is applied as the results are stored.
 */
export function fastDepthwise(
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
  const cp = Math.ceil(cout / 4) * 4;
  return runWindow(x, v, geo, y, ov, {
    kind: 'dw_run',
    c: cout,
    mult: cout / v.c,
    fill: 0,
    extra: [kh * kw * cp, cp],
    setup(rt, [wAt, bAt], cp4) {
      const wf = wAt! >> 2;
      rt.f32.fill(0, wf, wf + kh * kw * cp4);
      rt.f32.fill(0, bAt! >> 2, (bAt! >> 2) + cp4);
      for (let t = 0; t < kh * kw; t++) {
        for (let co = 0; co < cout; co++)
          rt.f32[wf + t * cp4 + co] = layout === 'HWIO' ? w[t * cout + co]! : w[co * kh * kw + t]!;
      }
      if (bias) rt.f32.set(bias, bAt! >> 2);
      return [wAt!, bAt!, activationCode(act)];
    },
  });
}

/**
 * Divisor of one axis, per output index: the cells of the window inside [−padBefore,
 * in + padAfter) when padding counts (PyTorch count_include_pad), else the real cells.
 */
export function divisors(a: AxisGeometry, includePad: boolean): Float32Array {
  const d = new Float32Array(a.out);
  for (let o = 0; o < a.out; o++) {
    const s = o * a.stride - a.padBefore;
    if (includePad) d[o] = Math.min(s + a.effectiveKernel, a.inSize + a.padAfter) - s;
    else {
      let n = 0;
      for (let t = 0; t < a.kernel; t++) {
        const i = s + t * a.dilation;
        if (i >= 0 && i < a.inSize) n++;
      }
      d[o] = n;
    }
  }
  return d;
}

export function fastPool2d(
  x: Float32Array,
  v: ImageView,
  geo: Geometry2D,
  isMax: boolean,
  includePad: boolean,
  y: Float32Array,
  ov: ImageView,
): boolean {
  return runWindow(x, v, geo, y, ov, {
    kind: 'pool_run',
    c: v.c,
    mult: 1,
    fill: isMax ? -Infinity : 0,
    extra: isMax ? [] : [geo.outH, geo.outW],
    setup(rt, [divH, divW]) {
      if (isMax) return [0, 0, 0];
      rt.f32.set(divisors(geo.h, includePad), divH! >> 2);
      rt.f32.set(divisors(geo.w, includePad), divW! >> 2);
      return [1, divH!, divW!];
    },
  });
}
