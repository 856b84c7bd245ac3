/**
 * The default initializers' seeded uniform draws on the fast path (random.wat): the same values
 * as mulberry32's fillSigned in src/runtime/random.ts, four lanes at a time. Draws are made in
 * pieces of at most PIECE values in the single-thread runtime's memory and copied out.
 */
import { singleThreadRuntime } from './runtime';

const PIECE = 1 << 20;
/** Fewer values than this are drawn by the caller's loop (the call costs more than it saves). */
export const MIN_FAST_DRAWS = 256;

/**
 * Writes draws 1 … out.length of the generator whose state is `state` into `out`, as
 * (u · 2^-31 − 1) · bound; false (and nothing written) when the fast path is unavailable.
 */
export function fastFillSigned(out: Float32Array, state: number, bound: number): boolean {
  if (out.length < MIN_FAST_DRAWS) return false;
  const rt = singleThreadRuntime();
  if (!rt) return false;
  const at = rt.reserve([Math.min(PIECE, out.length)]);
  if (!at) return false;
  const ptr = at[0]!;
  let s = state >>> 0;
  for (let i = 0; i < out.length; i += PIECE) {
    const n = Math.min(PIECE, out.length - i);
    rt.k.rand_signed(ptr, n, s | 0, bound);
    out.set(rt.f32.subarray(ptr >> 2, (ptr >> 2) + n), i);
    s = (s + Math.imul(n, 0x6d2b79f5)) >>> 0;
  }
  return true;
}
