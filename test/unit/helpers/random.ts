/** Seeded pseudo-random numbers (mulberry32), so randomized oracle tests are repeatable. */
export { mulberry32 as rng } from '../../../src/runtime/random';

/** Uniform values in [-1, 1). */
export function randomArray(rand: () => number, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rand() * 2 - 1;
  return a;
}

export function randInt(rand: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}
