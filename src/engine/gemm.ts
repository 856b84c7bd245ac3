/**
 * Single-precision matrix multiply-accumulate on flat row-major arrays, the reference path's
 * GEMM: C += A·B with A (M×K), B (K×N), C (M×N).
 *
 * Register tiles of 4 rows × 2 columns: per k, 4 values of A and 2 of B are loaded and 8
 * products accumulate in local variables (V8 keeps all 14 in xmm registers), and C is read and
 * written once per tile instead of once per k. The sums are carried in float64 (JS numbers) and
 * rounded to float32 once, when stored. Edge rows and the odd last column use the same order of
 * operations, so every output is Σ_k A[i,k]·B[k,j] summed from k = 0 up, then added to C.
 */
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
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const a0 = aOff + i * K;
    const a1 = a0 + K;
    const a2 = a1 + K;
    const a3 = a2 + K;
    const c0 = cOff + i * N;
    let j = 0;
    for (; j + 2 <= N; j += 2) {
      let s00 = 0,
        s01 = 0,
        s10 = 0,
        s11 = 0,
        s20 = 0,
        s21 = 0,
        s30 = 0,
        s31 = 0;
      let b = bOff + j;
      for (let k = 0; k < K; k++, b += N) {
        const b0 = B[b]!;
        const b1 = B[b + 1]!;
        const v0 = A[a0 + k]!;
        const v1 = A[a1 + k]!;
        const v2 = A[a2 + k]!;
        const v3 = A[a3 + k]!;
        s00 += v0 * b0;
        s01 += v0 * b1;
        s10 += v1 * b0;
        s11 += v1 * b1;
        s20 += v2 * b0;
        s21 += v2 * b1;
        s30 += v3 * b0;
        s31 += v3 * b1;
      }
      const c = c0 + j;
      C[c]! += s00;
      C[c + 1]! += s01;
      C[c + N]! += s10;
      C[c + N + 1]! += s11;
      C[c + 2 * N]! += s20;
      C[c + 2 * N + 1]! += s21;
      C[c + 3 * N]! += s30;
      C[c + 3 * N + 1]! += s31;
    }
    if (j < N) {
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      let b = bOff + j;
      for (let k = 0; k < K; k++, b += N) {
        const bv = B[b]!;
        s0 += A[a0 + k]! * bv;
        s1 += A[a1 + k]! * bv;
        s2 += A[a2 + k]! * bv;
        s3 += A[a3 + k]! * bv;
      }
      const c = c0 + j;
      C[c]! += s0;
      C[c + N]! += s1;
      C[c + 2 * N]! += s2;
      C[c + 3 * N]! += s3;
    }
  }
  if (i === M) return;
  // The last M mod 4 rows (all of a batch-1 Dense): B streamed row by row — reading it down a
  // column jumps N floats per step, which for a 25,088×4,096 kernel misses the cache on every
  // read. The sums still run from k = 0 up in float64 (one accumulator per output), so every
  // output is bit-for-bit what the column walk gives.
  const acc = new Float64Array(N);
  for (; i < M; i++) {
    const a0 = aOff + i * K;
    const c0 = cOff + i * N;
    acc.fill(0);
    for (let k = 0; k < K; k++) {
      const av = A[a0 + k]!;
      const b = bOff + k * N;
      for (let j = 0; j < N; j++) acc[j]! += av * B[b + j]!;
    }
    for (let j = 0; j < N; j++) C[c0 + j]! += acc[j]!;
  }
}
