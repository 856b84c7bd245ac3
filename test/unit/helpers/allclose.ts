/**
 * Close-enough comparison for float arrays. The tolerance is part of the name at each call
 * site (`expectAllclose(actual, expected, { atol: 1e-5, rtol: 1e-4 })`), and a failure names the
 * first offending index and both values.
 */
import { expect } from 'vitest';

export interface Tolerance {
  atol?: number;
  rtol?: number;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

export function expectAllclose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Tolerance = {},
  label = '',
): void {
  const atol = tol.atol ?? 1e-5;
  const rtol = tol.rtol ?? 1e-4;
  expect(actual.length, `${label} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) ? !Number.isNaN(a) : a !== e && !(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(
        `${label}: values differ at index ${i}: got ${a}, expected ${e} (atol ${atol}, rtol ${rtol}; max |diff| ${maxAbsDiff(actual, expected)})`,
      );
    }
  }
}
