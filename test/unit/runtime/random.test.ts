/**
 * The seeded generator's bulk fill draws exactly the numbers one call per value draws: the same
 * command gives the same initial weights whichever path made them.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32, uniform } from '../../../src/runtime/random';

describe('mulberry32.fillSigned', () => {
  it('equals (r·2 − 1)·bound for the next draws r, bit for bit, and leaves the stream where calls would', () => {
    for (const seed of [0, 1, 42, 0xffffffff]) {
      const calls = mulberry32(seed);
      const bulk = mulberry32(seed);
      for (const [n, bound] of [
        [1, 1],
        [7, 0.05],
        [1000, 0.0123],
      ] as const) {
        const want = Float32Array.from({ length: n }, () => (calls() * 2 - 1) * bound);
        const got = new Float32Array(n);
        bulk.fillSigned(got, bound);
        expect(Array.from(got)).toEqual(Array.from(want));
      }
      expect(bulk()).toBe(calls());
    }
  });

  it('uniform() takes the bulk path for the seeded generator and the per-call path for any other', () => {
    const plain = mulberry32(3);
    const viaCalls = uniform(() => plain(), 500, 0.7);
    expect(Array.from(uniform(mulberry32(3), 500, 0.7))).toEqual(Array.from(viaCalls));
    expect(viaCalls.every((v) => Math.abs(v) <= 0.7)).toBe(true);
  });
});
