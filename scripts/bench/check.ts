/** Output comparison for the pre-timing correctness check. */

/** Allowed max |Δ| as a fraction of the reference's max |value| (float32, different sum orders). */
export const REL_TOL = 1e-4;

export interface Agreement {
  maxAbsDiff: number;
  /** max |reference| — the output scale the tolerance is relative to. */
  scale: number;
  tol: number;
  ok: boolean;
  /** First index with the largest difference, for the error message. */
  worstIndex: number;
}

export function compare(got: Float32Array, ref: Float32Array, relTol = REL_TOL): Agreement {
  if (got.length !== ref.length) {
    return { maxAbsDiff: Infinity, scale: 0, tol: 0, ok: false, worstIndex: -1 };
  }
  let maxAbsDiff = 0;
  let scale = 0;
  let worstIndex = -1;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i]!;
    const d = Math.abs(got[i]! - r);
    // NaN anywhere is a failure: NaN comparisons are false, so catch it explicitly.
    if (Number.isNaN(d)) return { maxAbsDiff: NaN, scale, tol: 0, ok: false, worstIndex: i };
    if (d > maxAbsDiff) {
      maxAbsDiff = d;
      worstIndex = i;
    }
    if (Math.abs(r) > scale) scale = Math.abs(r);
  }
  const tol = relTol * Math.max(scale, 1e-6);
  return { maxAbsDiff, scale, tol, ok: maxAbsDiff <= tol, worstIndex };
}
