/**
 * NCHW ⇄ NHWC on the SIMD path: the cache-blocked transposes of layout.wat (stage_cf without a
 * border, unstage_cf). Each returns false when the fast path is off or its memory cannot grow.
 */
import { fastRuntime, PARAMS } from './runtime';

/** `x` (n, c, h, w) into `y` (n, h, w, c). */
export function fastToChannelsLast(
  x: Float32Array,
  n: number,
  c: number,
  h: number,
  w: number,
  y: Float32Array,
): boolean {
  const rt = fastRuntime();
  const at = rt?.reserve([x.length, y.length]);
  if (!rt || !at) return false;
  const [src, dst] = at as [number, number];
  rt.f32.set(x, src >> 2);
  rt.params(PARAMS.stageCf, [src, n, c, h, w, dst, h, w, c, 0, 0]);
  rt.k.stage_cf(PARAMS.stageCf);
  y.set(rt.f32.subarray(dst >> 2, (dst >> 2) + y.length));
  return true;
}

/** `x` (n, h, w, c) into `y` (n, c, h, w). */
export function fastToChannelsFirst(
  x: Float32Array,
  n: number,
  c: number,
  h: number,
  w: number,
  y: Float32Array,
): boolean {
  const rt = fastRuntime();
  const at = rt?.reserve([x.length, y.length]);
  if (!rt || !at) return false;
  const [src, dst] = at as [number, number];
  rt.f32.set(x, src >> 2);
  rt.params(PARAMS.unstageCf, [src, c, n, h * w, c, dst]);
  rt.k.unstage_cf(PARAMS.unstageCf);
  y.set(rt.f32.subarray(dst >> 2, (dst >> 2) + y.length));
  return true;
}
