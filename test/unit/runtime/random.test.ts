/**
 * The seeded generator's bulk fill draws exactly the numbers one call per value draws: the same
 * command gives the same initial weights whichever path made them.
 */
import { describe, expect, it } from 'vitest';
import { fastFillSigned, getKernelPath, setKernelPath } from '../../../src/engine';
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

  it('the fast path (four lanes in WebAssembly) draws the same bits as one call per value, over any length', () => {
    const before = getKernelPath();
    try {
      for (const path of ['fast', 'reference'] as const) {
        setKernelPath(path);
        // the fast path is really taken where it is on (and not on the reference path)
        expect(fastFillSigned(new Float32Array(300), 1, 1)).toBe(path === 'fast');
        for (const seed of [0, 7, 0x9e3779b9, 0xffffffff])
          for (const [n, bound] of [
            [255, 1],
            [256, 0.5],
            [257, 1e-3],
            [258, 3],
            [259, 0.0123],
            [(1 << 20) + 3, 0.01],
          ] as const) {
            const calls = mulberry32(seed);
            const bulk = mulberry32(seed);
            // a few draws first, so the fill starts mid-stream
            for (let i = 0; i < seed % 5; i++) expect(bulk()).toBe(calls());
            const got = new Float32Array(n);
            bulk.fillSigned(got, bound);
            const want = new Float32Array(n);
            for (let i = 0; i < n; i++) want[i] = (calls() * 2 - 1) * bound;
            expect(new Uint32Array(got.buffer)).toEqual(new Uint32Array(want.buffer));
            // and the stream goes on where the calls left it
            expect(bulk()).toBe(calls());
          }
      }
    } finally {
      setKernelPath(before);
    }
  });
});
