/**
 * Timing loops: warm up, then take samples until there are at least `minSamples` AND at least
 * `minTimeMs` spent — unless the op is so slow that `maxTimeMs` is reached first, in which case
 * `floorSamples` is enough. Very fast ops are repeated inside one sample (so each sample lasts at
 * least `minSampleMs` and timer resolution does not matter); times are reported per call.
 *
 * `measure` times one contestant alone. `measureInterleaved` times several in rounds — one
 * sample of each per round, the order rotating from round to round — so that whatever the
 * machine does meanwhile (other processes taking the cores, the allocator's state, a garbage
 * collection) falls on all of them alike; their speed ratios then hold even on a busy machine.
 * Each of its samples lasts at least `minSliceMs`, so that caches are warm for most of a sample
 * after another contestant ran.
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
  /** Interleaved timing: shortest sample. */
  minSliceMs: number;
}

export const FULL: TimingOptions = {
  warmupRuns: 2,
  warmupMs: 300,
  maxWarmupMs: 3000,
  minSamples: 5,
  minTimeMs: 1000,
  maxTimeMs: 10_000,
  floorSamples: 3,
  minSampleMs: 2,
  minSliceMs: 50,
};

export const QUICK: TimingOptions = {
  warmupRuns: 1,
  warmupMs: 50,
  maxWarmupMs: 1000,
  minSamples: 3,
  minTimeMs: 200,
  maxTimeMs: 2000,
  floorSamples: 1,
  minSampleMs: 1,
  minSliceMs: 20,
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

/** One contestant's warm-up, samples and stopping rule. */
class Sampler {
  readonly samples: number[] = [];
  reps = 1;
  warmupRuns = 0;
  private spent = 0;
  private readonly t0 = performance.now();

  constructor(
    private readonly fn: () => void,
    private readonly o: TimingOptions,
  ) {}

  /** Warms up, then sets the calls per sample so that a sample lasts at least `sampleMs`. */
  warmUp(sampleMs: number): void {
    const t0 = performance.now();
    for (;;) {
      this.fn();
      this.warmupRuns++;
      const el = performance.now() - t0;
      if (this.warmupRuns >= this.o.warmupRuns && el >= this.o.warmupMs) break;
      if (el >= this.o.maxWarmupMs) break;
    }
    const perCall = (performance.now() - t0) / this.warmupRuns;
    this.reps = perCall >= sampleMs ? 1 : Math.ceil(sampleMs / Math.max(perCall, 1e-4));
  }

  sample(): void {
    const a = performance.now();
    for (let r = 0; r < this.reps; r++) this.fn();
    const el = performance.now() - a;
    this.samples.push(el / this.reps);
    this.spent += el;
  }

  get done(): boolean {
    const n = this.samples.length;
    return (
      (n >= this.o.minSamples && this.spent >= this.o.minTimeMs) ||
      (n >= this.o.floorSamples && this.spent >= this.o.maxTimeMs)
    );
  }

  stats(): Stats {
    const sorted = [...this.samples].sort((x, y) => x - y);
    return {
      median: quantile(sorted, 0.5),
      min: sorted[0]!,
      p25: quantile(sorted, 0.25),
      p75: quantile(sorted, 0.75),
      max: sorted[sorted.length - 1]!,
      samples: sorted.length,
      repsPerSample: this.reps,
      warmupRuns: this.warmupRuns,
      totalMs: performance.now() - this.t0,
    };
  }
}

export function measure(fn: () => void, o: TimingOptions): Stats {
  const s = new Sampler(fn, o);
  s.warmUp(o.minSampleMs);
  while (!s.done) s.sample();
  return s.stats();
}

/** A contestant of an interleaved measurement: `activate` puts its engine in place (untimed). */
export interface Contestant {
  activate(): void | Promise<void>;
  run(): void;
}

/**
 * Times the contestants in rounds (see the file comment) until each has enough samples by the
 * rule of `measure`; a contestant that is done early keeps sampling until all are, so that all
 * are compared over the same stretch of time.
 */
export async function measureInterleaved(cs: readonly Contestant[], o: TimingOptions): Promise<Stats[]> {
  const samplers = cs.map((c) => new Sampler(() => c.run(), o));
  for (let i = 0; i < cs.length; i++) {
    await cs[i]!.activate();
    samplers[i]!.warmUp(o.minSliceMs);
  }
  for (let round = 0; !samplers.every((s) => s.done); round++) {
    for (let j = 0; j < cs.length; j++) {
      const i = (round + j) % cs.length;
      await cs[i]!.activate();
      samplers[i]!.sample();
    }
  }
  return samplers.map((s) => s.stats());
}
