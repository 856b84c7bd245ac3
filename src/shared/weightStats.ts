/**
 * What a layer's weights look like at a glance: for each parameter tensor, its count, mean,
 * standard deviation (population, as numpy's `np.std` gives by default), range and a histogram of
 * equal-width bins over [min, max]. Pure; both the host (computing) and the webviews (validating
 * and drawing) import it.
 */

export const HISTOGRAM_BINS = 32;

export interface ParamStats {
  /** The parameter's name in its framework: 'kernel', 'bias', 'weight', 'running_mean'… */
  name: string;
  shape: number[];
  count: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  /** Counts per bin; bin i covers [min + i·w, min + (i+1)·w), the last one closed. */
  bins: number[];
  /** Values that are NaN or ±Infinity (not in the bins or the moments). */
  nonFinite: number;
}

/** Statistics of one tensor. Two passes (mean, then squared deviations) for accuracy. */
export function paramStats(name: string, shape: readonly number[], data: Float32Array): ParamStats {
  let sum = 0;
  let n = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) continue;
    sum += v;
    n++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = n ? sum / n : 0;
  let sq = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (Number.isFinite(v)) sq += (v - mean) * (v - mean);
  }
  const bins = new Array<number>(HISTOGRAM_BINS).fill(0);
  const width = (max - min) / HISTOGRAM_BINS;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) continue;
    const b = width > 0 ? Math.min(HISTOGRAM_BINS - 1, Math.floor((v - min) / width)) : 0;
    bins[b]!++;
  }
  return {
    name,
    shape: [...shape],
    count: n,
    mean,
    std: n ? Math.sqrt(sq / n) : 0,
    min: n ? min : 0,
    max: n ? max : 0,
    bins,
    nonFinite: data.length - n,
  };
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Runtime check of a ParamStats received over a webview boundary. */
export function isParamStats(v: unknown): v is ParamStats {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  return (
    typeof s['name'] === 'string' &&
    s['name'].length <= 200 &&
    Array.isArray(s['shape']) &&
    s['shape'].length <= 8 &&
    s['shape'].every((d) => Number.isInteger(d) && (d as number) >= 0) &&
    [s['count'], s['mean'], s['std'], s['min'], s['max'], s['nonFinite']].every(isFiniteNumber) &&
    Array.isArray(s['bins']) &&
    s['bins'].length === HISTOGRAM_BINS &&
    s['bins'].every((b) => Number.isInteger(b) && (b as number) >= 0)
  );
}
