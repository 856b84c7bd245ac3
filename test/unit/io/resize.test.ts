/**
 * Resampling against hand-computed cases: area averaging when shrinking, bilinear with
 * half-pixel centres when enlarging, each axis on its own; plus invariants (weights sum to 1,
 * constants stay constant).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { axisWeights, resizeHWC, resizeMethod } from '../../../src/io/resize';

/** 1-row, 1-channel resize of a list of values along x. */
const rowResize = (vals: number[], dst: number): number[] =>
  Array.from(resizeHWC(Float32Array.from(vals), 1, vals.length, 1, 1, dst));
/** 1-column resize along y. */
const colResize = (vals: number[], dst: number): number[] =>
  Array.from(resizeHWC(Float32Array.from(vals), vals.length, 1, 1, dst, 1));

const close = (a: number[], b: number[]): void => {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 5));
};

describe('area averaging (shrinking)', () => {
  it('4 → 2: means of pairs', () => close(rowResize([1, 2, 3, 4], 2), [1.5, 3.5]));

  it('3 → 2: the middle pixel is split half and half', () => {
    // out0 covers [0, 1.5): (0·1 + 3·0.5)/1.5 = 1; out1 covers [1.5, 3): (3·0.5 + 6·1)/1.5 = 5
    close(rowResize([0, 3, 6], 2), [1, 5]);
  });

  it('5 → 2 along y: footprints of 2.5 pixels', () => {
    // out0 = (10 + 20 + 0.5·30)/2.5 = 18; out1 = (0.5·30 + 40 + 50)/2.5 = 42
    close(colResize([10, 20, 30, 40, 50], 2), [18, 42]);
  });

  it('never skips a thin line (point sampling would)', () => {
    close(rowResize([0, 0, 0, 9, 0, 0], 2), [0, 3]);
  });

  it('4×4 → 2×2 on 3 interleaved channels: block means per channel', () => {
    const src = new Float32Array(4 * 4 * 3);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) src.set([x, y, 10 * (x + 4 * y)], (y * 4 + x) * 3);
    const out = Array.from(resizeHWC(src, 4, 4, 3, 2, 2));
    close(out, [0.5, 0.5, 25, 2.5, 0.5, 45, 0.5, 2.5, 105, 2.5, 2.5, 125]);
  });
});

describe('bilinear with half-pixel centres (enlarging)', () => {
  it('2 → 4: samples at -0.25 (clamped), 0.25, 0.75, 1.25 (clamped)', () => close(rowResize([0, 4], 4), [0, 1, 3, 4]));

  it('2 → 3: samples at -1/6 (clamped), 0.5, 7/6 (clamped)', () => close(rowResize([0, 6], 3), [0, 3, 6]));

  it('3 → 5 along y', () => {
    // x_i = (i + 0.5)·0.6 − 0.5 = −0.2, 0.4, 1.0, 1.6, 2.2 → clamp → 0, 0.4, 1, 1.6, 2
    close(colResize([0, 10, 30], 5), [0, 4, 10, 22, 30]);
  });
});

describe('axes are independent', () => {
  it('width shrinks by area while height grows bilinearly', () => {
    // 1×4 row [0, 2, 4, 6] → 2 rows × 2 cols: area in x gives [1, 5]; bilinear from 1 row repeats it.
    close(Array.from(resizeHWC(Float32Array.from([0, 2, 4, 6]), 1, 4, 1, 2, 2)), [1, 5, 1, 5]);
  });

  it('methods are chosen per axis', () => {
    expect([resizeMethod(10, 5), resizeMethod(5, 10), resizeMethod(7, 7)]).toEqual(['area', 'bilinear', 'none']);
  });

  it('same size is an exact copy', () => {
    const src = Float32Array.from([1.5, -2, 3.25, 4]);
    expect(Array.from(resizeHWC(src, 2, 2, 1, 2, 2))).toEqual([1.5, -2, 3.25, 4]);
  });
});

describe('invariants', () => {
  it('weights of every output sum to 1 and stay inside the source (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }), (src, dst) => {
        const w = axisWeights(src, dst);
        const bad: string[] = []; // plain checks in the loop: expect() per tap is slow
        for (let i = 0; i < dst; i++) {
          let sum = 0;
          for (let t = 0; t < w.taps; t++) {
            const k = i * w.taps + t;
            sum += w.weight[k]!;
            if (w.weight[k]! < 0 || w.index[k]! < 0 || w.index[k]! >= src) bad.push(`tap ${t} of output ${i}`);
          }
          if (Math.abs(sum - 1) > 1e-5) bad.push(`output ${i} sums to ${sum}`);
        }
        expect(bad).toEqual([]);
      }),
      { numRuns: 300, seed: 5 },
    );
  });

  it('a constant image stays constant at any size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        (h, w, dh, dw) => {
          const out = resizeHWC(new Float32Array(h * w * 3).fill(0.7), h, w, 3, dh, dw);
          expect(out.length).toBe(dh * dw * 3);
          expect(out.every((v) => Math.abs(v - 0.7) < 1e-5)).toBe(true);
        },
      ),
      { numRuns: 200, seed: 6 },
    );
  });
});
