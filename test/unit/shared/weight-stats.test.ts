/**
 * Weight statistics, against numbers worked by hand (and numpy's conventions: np.mean, np.std
 * with ddof=0, np.histogram's equal-width bins over [min, max] with the last bin closed).
 */
import { describe, expect, it } from 'vitest';
import { HISTOGRAM_BINS, isParamStats, paramStats } from '../../../src/shared/weightStats';

describe('paramStats', () => {
  it('[1, 2, 3, 4]: mean 2.5, std √1.25, bins 0, 10, 21 and the last (closed) bin', () => {
    const s = paramStats('kernel', [2, 2], new Float32Array([1, 2, 3, 4]));
    expect(s.count).toBe(4);
    expect(s.mean).toBe(2.5);
    expect(s.std).toBeCloseTo(Math.sqrt(1.25), 12);
    expect([s.min, s.max]).toEqual([1, 4]);
    // width 3/32: (2-1)/(3/32) = 10.67 → 10; (3-1)/(3/32) = 21.3 → 21; 4 is the right edge → 31
    const hit = s.bins.flatMap((b, i) => (b ? [[i, b]] : []));
    expect(hit).toEqual([
      [0, 1],
      [10, 1],
      [21, 1],
      [HISTOGRAM_BINS - 1, 1],
    ]);
    expect(isParamStats(s)).toBe(true);
  });

  it('NaN and ±Infinity are counted apart and left out of the moments and bins', () => {
    const s = paramStats('bias', [5], new Float32Array([NaN, -2, Infinity, 2, -Infinity]));
    expect(s.nonFinite).toBe(3);
    expect(s.count).toBe(2);
    expect(s.mean).toBe(0);
    expect(s.std).toBe(2);
    expect(s.bins.reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('a constant tensor (a zero bias) is one bin; an empty one is all zeros', () => {
    const z = paramStats('bias', [32], new Float32Array(32));
    expect([z.mean, z.std, z.min, z.max, z.bins[0]]).toEqual([0, 0, 0, 0, 32]);
    const e = paramStats('w', [0], new Float32Array(0));
    expect([e.count, e.mean, e.std, e.min, e.max]).toEqual([0, 0, 0, 0, 0]);
    expect(isParamStats(e)).toBe(true);
  });

  it('the validator refuses what a webview must not draw', () => {
    const ok = paramStats('k', [2], new Float32Array([0, 1]));
    expect(isParamStats({ ...ok, bins: ok.bins.slice(1) })).toBe(false);
    expect(isParamStats({ ...ok, mean: NaN })).toBe(false);
    expect(isParamStats({ ...ok, shape: [-1] })).toBe(false);
    expect(isParamStats(null)).toBe(false);
  });
});
