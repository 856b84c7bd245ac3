/**
 * Colour maps for pictures made on the host (the tables are src/shared/colormaps.ts), and
 * colorize() to map values to RGBA through one: viridis (sequential) for feature maps,
 * blue–white–red (diverging) for kernels, used with a range symmetric around 0 (symmetricRange),
 * or the white no longer means zero.
 *
 * colorize follows matplotlib's Normalize + Colormap: t = (v − min)/(max − min) clipped to [0, 1],
 * entry = min(floor(t·256), 255). NaN gets a neutral grey (it is neither low nor high). A degenerate
 * range (max ≤ min) maps everything to the bottom of a sequential map, as matplotlib does, and to
 * the white centre of a diverging one.
 */

import { rgbTable, type ColormapName } from '../shared/colormaps';

export interface Colormap {
  name: ColormapName;
  kind: 'sequential' | 'diverging';
  /** 256 × RGB bytes. */
  table: Uint8Array;
}

export const viridis: Colormap = { name: 'viridis', kind: 'sequential', table: rgbTable('viridis') };
export const blueWhiteRed: Colormap = { name: 'blue-white-red', kind: 'diverging', table: rgbTable('blue-white-red') };

export const magma: Colormap = { name: 'magma', kind: 'sequential', table: rgbTable('magma') };
export const gray: Colormap = { name: 'gray', kind: 'sequential', table: rgbTable('gray') };

export const colormaps = { viridis, magma, gray, 'blue-white-red': blueWhiteRed } as const;

/** The sequential maps a user picks for feature maps (the `convlens.colormap` setting, `render --colormap`). */
export type FeatureColormap = 'viridis' | 'magma' | 'gray';
export const FEATURE_COLORMAPS: readonly FeatureColormap[] = ['viridis', 'magma', 'gray'];

/** Colour of a NaN value. */
export const NAN_RGB: readonly [number, number, number] = [128, 128, 128];

/** Table entry for value v (see the header for the normalisation); -1 for NaN. */
export function colorIndex(v: number, min: number, max: number, map: Colormap): number {
  if (Number.isNaN(v)) return -1;
  if (!(max > min)) return map.kind === 'diverging' ? 128 : 0;
  const t = (v - min) / (max - min);
  if (t <= 0) return 0;
  if (t >= 1) return 255;
  return Math.min(Math.floor(t * 256), 255);
}

/** Maps values to opaque RGBA bytes (4 per value). */
export function colorize(
  values: ArrayLike<number>,
  min: number,
  max: number,
  map: Colormap,
  out?: Uint8Array,
): Uint8Array {
  const rgba = out ?? new Uint8Array(values.length * 4);
  const T = map.table;
  for (let i = 0; i < values.length; i++) {
    const k = colorIndex(values[i]!, min, max, map);
    const o = i * 4;
    if (k < 0) {
      rgba[o] = NAN_RGB[0];
      rgba[o + 1] = NAN_RGB[1];
      rgba[o + 2] = NAN_RGB[2];
    } else {
      rgba[o] = T[k * 3]!;
      rgba[o + 1] = T[k * 3 + 1]!;
      rgba[o + 2] = T[k * 3 + 2]!;
    }
    rgba[o + 3] = 255;
  }
  return rgba;
}

/** Finite min and max of values (NaN and ±Infinity skipped); [0, 0] when there are none. */
export function finiteRange(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 0];
}

/** [−m, m] with m the largest finite |value|, so 0 lands on the white centre of a diverging map. */
export function symmetricRange(values: ArrayLike<number>): [number, number] {
  const [lo, hi] = finiteRange(values);
  const m = Math.max(Math.abs(lo), Math.abs(hi));
  return [-m, m];
}
