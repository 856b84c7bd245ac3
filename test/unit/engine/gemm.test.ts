/**
 * The reference GEMM against its documented order of operations: every output is
 * Σ_k A[i,k]·B[k,j] summed in float64 from k = 0 up, then added to C and rounded once — checked
 * bit for bit on every row count (the 4-row tiles and the 1–3 leftover rows streamed by rows),
 * odd and even column counts, and offsets into larger arrays; NaN and infinities propagate.
 */
import { describe, expect, it } from 'vitest';
import { gemmAccumulate } from '../../../src/engine/gemm';
import { rng } from '../helpers/random';

function reference(M: number, N: number, K: number, A: Float32Array, B: Float32Array, C: Float32Array): Float32Array {
  const out = Float32Array.from(C);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += A[i * K + k]! * B[k * N + j]!;
      out[i * N + j]! += s;
    }
  return out;
}

describe('gemmAccumulate', () => {
  it('equals the float64 k-ordered sum bit for bit, for 1 to 9 rows and odd/even column counts', () => {
    const rnd = rng(7);
    for (const M of [1, 2, 3, 4, 5, 7, 8, 9])
      for (const [N, K] of [
        [1, 1],
        [5, 3],
        [6, 17],
        [33, 64],
      ] as const) {
        const A = Float32Array.from({ length: M * K }, () => rnd() * 2 - 1);
        const B = Float32Array.from({ length: K * N }, () => rnd() * 2 - 1);
        const C = Float32Array.from({ length: M * N }, () => rnd());
        const want = reference(M, N, K, A, B, C);
        gemmAccumulate(M, N, K, A, 0, B, 0, C, 0);
        expect(Array.from(C), `M=${M} N=${N} K=${K}`).toEqual(Array.from(want));
      }
  });

  it('reads and writes at offsets, leaving the rest of C alone', () => {
    const A = new Float32Array([9, 9, 1, 2, 3]); // A at offset 2: one row [1, 2, 3]
    const B = new Float32Array([9, 1, 0, 0, 1, 1, 1]); // B at offset 1: [[1, 0], [0, 1], [1, 1]]
    const C = new Float32Array([5, 10, 20, 5]); // C at offset 1
    gemmAccumulate(1, 2, 3, A, 2, B, 1, C, 1);
    // [1, 2, 3] · [[1, 0], [0, 1], [1, 1]] = [4, 5]
    expect(Array.from(C)).toEqual([5, 14, 25, 5]);
  });

  it('NaN and ±Infinity in A or B reach the outputs they touch', () => {
    const C = new Float32Array(2);
    gemmAccumulate(1, 2, 2, new Float32Array([0, 1]), 0, new Float32Array([Infinity, 1, 2, NaN]), 0, C, 0);
    // 0·∞ = NaN in column 0; column 1 has 1·NaN
    expect(Number.isNaN(C[0]!) && Number.isNaN(C[1]!)).toBe(true);
  });
});
