/**
 * Timing loop: warm up, then take samples until there are at least `minSamples` AND at least
 * `minTimeMs` spent — unless the op is so slow that `maxTimeMs` is reached first, in which case
 * `floorSamples` is enough. Very fast ops are repeated inside one sample (so each sample lasts at
 * least `minSampleMs` and timer resolution does not matter); times are reported per call.
 */
import { performance } from 'node:perf_hooks';

export interface TimingOptions {
  warmupRuns: number;
  warmupMs: number;
  /** Stop warming up after this long, once at least one run is done. */
  maxWarmupMs: number;
  minSamples: number;
  minTimeMs: number;
  maxTimeMs: number;
  floorSamples: number;
  minSampleMs: number;
}

export const FULL: TimingOptions = {
  warmupRuns: 2, warmupMs: 300, maxWarmupMs: 3000,
  minSamples: 5, minTimeMs: 1000, maxTimeMs: 10_000, floorSamples: 3, minSampleMs: 2,
};

export const QUICK: TimingOptions = {
  warmupRuns: 1, warmupMs: 50, maxWarmupMs: 1000,
  minSamples: 3, minTimeMs: 200, maxTimeMs: 2000, floorSamples: 1, minSampleMs: 1,
};

export interface Stats {
  /** Milliseconds per call. */
  median: number;
  min: number;
  p25: number;
  p75: number;
  max: number;
  /** Number of samples, and calls per sample. */
  samples: number;
  repsPerSample: number;
  warmupRuns: number;
  totalMs: number;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 1) return sorted[0]!;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function measure(fn: () => void, o: TimingOptions): Stats {
  const t0 = performance.now();
  let warm = 0;
  for (;;) {
    fn();
    warm++;
    const el = performance.now() - t0;
    if (warm >= o.warmupRuns && el >= o.warmupMs) break;
    if (el >= o.maxWarmupMs) break;
  }
  const perCall = (performance.now() - t0) / warm;
  const reps = perCall >= o.minSampleMs ? 1 : Math.ceil(o.minSampleMs / Math.max(perCall, 1e-4));

  const samples: number[] = [];
  const s0 = performance.now();
  for (;;) {
    const a = performance.now();
    for (let r = 0; r < reps; r++) fn();
    samples.push((performance.now() - a) / reps);
    const el = performance.now() - s0;
    if (samples.length >= o.minSamples && el >= o.minTimeMs) break;
    if (samples.length >= o.floorSamples && el >= o.maxTimeMs) break;
  }
  const sorted = [...samples].sort((x, y) => x - y);
  return {
    median: quantile(sorted, 0.5),
    min: sorted[0]!,
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    max: sorted[sorted.length - 1]!,
    samples: samples.length,
    repsPerSample: reps,
    warmupRuns: warm,
    totalMs: performance.now() - t0,
  };
}
