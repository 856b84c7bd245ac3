/**
 * Colour maps as 256-entry RGB tables, and colorize() to map values to RGBA through one.
 *
 *  - viridis (sequential, for feature maps): perceptually uniform and readable in grayscale and by
 *    colour-blind viewers. Anchors are every 5th entry (0, 5, …, 255) of matplotlib's published
 *    `_viridis_data` (van der Walt & Smith, CC0), linearly interpolated; this reproduces the full
 *    256-entry table within 1/255 per channel.
 *  - blue–white–red (diverging, for kernels): ColorBrewer "RdBu" (Cynthia Brewer, 11 classes),
 *    reversed so negative = blue and positive = red, with the centre class replaced by pure white
 *    so a zero weight reads as "nothing". Use it with a range symmetric around 0
 *    (symmetricRange), or the white no longer means zero.
 *
 * colorize follows matplotlib's Normalize + Colormap: t = (v − min)/(max − min) clipped to [0, 1],
 * entry = min(floor(t·256), 255). NaN gets a neutral grey (it is neither low nor high). A degenerate
 * range (max ≤ min) maps everything to the bottom of a sequential map, as matplotlib does, and to
 * the white centre of a diverging one.
 */

export interface Colormap {
  name: 'viridis' | 'blue-white-red';
  kind: 'sequential' | 'diverging';
  /** 256 × RGB bytes. */
  table: Uint8Array;
}

/** matplotlib _viridis_data[0], [5], …, [255] (RGB in 0..1). */
const VIRIDIS_ANCHORS: readonly (readonly [number, number, number])[] = [
  [0.267004, 0.004874, 0.329415], [0.273809, 0.031497, 0.358853], [0.278791, 0.062145, 0.386592],
  [0.281924, 0.089666, 0.412415], [0.283197, 0.115680, 0.436115], [0.282623, 0.140926, 0.457517],
  [0.280255, 0.165693, 0.476498], [0.276194, 0.190074, 0.493001], [0.270595, 0.214069, 0.507052],
  [0.263663, 0.237631, 0.518762], [0.255645, 0.260703, 0.528312], [0.246811, 0.283237, 0.535941],
  [0.237441, 0.305202, 0.541921], [0.227802, 0.326594, 0.546532], [0.218130, 0.347432, 0.550038],
  [0.208623, 0.367752, 0.552675], [0.199430, 0.387607, 0.554642], [0.190631, 0.407061, 0.556089],
  [0.182256, 0.426184, 0.557120], [0.174274, 0.445044, 0.557792], [0.166617, 0.463708, 0.558119],
  [0.159194, 0.482237, 0.558073], [0.151918, 0.500685, 0.557587], [0.144759, 0.519093, 0.556572],
  [0.137770, 0.537492, 0.554906], [0.131172, 0.555899, 0.552459], [0.125394, 0.574318, 0.549086],
  [0.121148, 0.592739, 0.544641], [0.119423, 0.611141, 0.538982], [0.121380, 0.629492, 0.531973],
  [0.128087, 0.647749, 0.523491], [0.140210, 0.665859, 0.513427], [0.157851, 0.683765, 0.501686],
  [0.180653, 0.701402, 0.488189], [0.208030, 0.718701, 0.472873], [0.239374, 0.735588, 0.455688],
  [0.274149, 0.751988, 0.436601], [0.311925, 0.767822, 0.415586], [0.352360, 0.783011, 0.392636],
  [0.395174, 0.797475, 0.367757], [0.440137, 0.811138, 0.340967], [0.487026, 0.823929, 0.312321],
  [0.535621, 0.835785, 0.281908], [0.585678, 0.846661, 0.249897], [0.636902, 0.856542, 0.216620],
  [0.688944, 0.865448, 0.182725], [0.741388, 0.873449, 0.149561], [0.793760, 0.880678, 0.120005],
  [0.845561, 0.887322, 0.099702], [0.896320, 0.893616, 0.096335], [0.945636, 0.899815, 0.112838],
  [0.993248, 0.906157, 0.143936],
];

/** ColorBrewer RdBu-11 from blue to red, centre #f7f7f7 replaced by white (see header). */
const BWR_ANCHORS: readonly number[] = [
  0x053061, 0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xffffff, 0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b, 0x67001f,
];

/** Builds a 256-entry table by linear interpolation between evenly spaced anchors (0..1 RGB). */
function tableFrom(anchors: readonly (readonly [number, number, number])[]): Uint8Array {
  const table = new Uint8Array(256 * 3);
  const segments = anchors.length - 1;
  for (let i = 0; i < 256; i++) {
    const pos = (i / 255) * segments;
    const k = Math.min(Math.floor(pos), segments - 1);
    const f = pos - k;
    const a = anchors[k]!;
    const b = anchors[k + 1]!;
    for (let c = 0; c < 3; c++) table[i * 3 + c] = Math.round((a[c]! + (b[c]! - a[c]!) * f) * 255);
  }
  return table;
}

function hexToUnit(rgb: number): [number, number, number] {
  return [((rgb >> 16) & 255) / 255, ((rgb >> 8) & 255) / 255, (rgb & 255) / 255];
}

export const viridis: Colormap = { name: 'viridis', kind: 'sequential', table: tableFrom(VIRIDIS_ANCHORS) };
export const blueWhiteRed: Colormap = { name: 'blue-white-red', kind: 'diverging', table: tableFrom(BWR_ANCHORS.map(hexToUnit)) };

export const colormaps = { viridis, 'blue-white-red': blueWhiteRed } as const;

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
export function colorize(values: ArrayLike<number>, min: number, max: number, map: Colormap, out?: Uint8Array): Uint8Array {
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
