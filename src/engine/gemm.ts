/**
 * Single-precision matrix multiply-accumulate on flat row-major arrays: C += A·B with
 * A (M×K), B (K×N), C (M×N). Four rows of A share each load of B, and N is processed in
 * column panels small enough for a K-deep panel of B to stay in cache across the rows.
 */

/** Columns per panel of B; PANEL·K floats are reused across all rows of A. */
const PANEL = 64;

export function gemmAccumulate(
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  aOff: number,
  B: Float32Array,
  bOff: number,
  C: Float32Array,
  cOff: number,
): void {
  for (let j0 = 0; j0 < N; j0 += PANEL) {
    const j1 = Math.min(N, j0 + PANEL);
    let i = 0;
    for (; i + 4 <= M; i += 4) {
      const a0 = aOff + i * K;
      const a1 = a0 + K;
      const a2 = a1 + K;
      const a3 = a2 + K;
      const c0 = cOff + i * N;
      const c1 = c0 + N;
      const c2 = c1 + N;
      const c3 = c2 + N;
      for (let k = 0; k < K; k++) {
        const v0 = A[a0 + k]!;
        const v1 = A[a1 + k]!;
        const v2 = A[a2 + k]!;
        const v3 = A[a3 + k]!;
        if (v0 === 0 && v1 === 0 && v2 === 0 && v3 === 0) continue;
        const bk = bOff + k * N;
        for (let j = j0; j < j1; j++) {
          const b = B[bk + j]!;
          C[c0 + j] += v0 * b;
          C[c1 + j] += v1 * b;
          C[c2 + j] += v2 * b;
          C[c3 + j] += v3 * b;
        }
      }
    }
    for (; i < M; i++) {
      const a0 = aOff + i * K;
      const c0 = cOff + i * N;
      for (let k = 0; k < K; k++) {
        const v0 = A[a0 + k]!;
        if (v0 === 0) continue;
        const bk = bOff + k * N;
        for (let j = j0; j < j1; j++) C[c0 + j] += v0 * B[bk + j]!;
      }
    }
  }
}
