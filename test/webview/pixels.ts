/**
 * Reading values back out of drawn canvases: a canvas's pixels (getImageData, one pixel per value)
 * are decoded through the colour table to the interval of values that colour stands for, and
 * compared with values the test computed itself. Used by the webview tests (a Playwright Page)
 * and the end-to-end tests (the webview's Frame inside VS Code).
 *
 * The rule decoded is matplotlib's Normalize + Colormap, as the panel documents it:
 * t = (v − lo)/(hi − lo), entry j = min(⌊t·256⌋, 255) clipped to [0, 255]; so entry j stands for
 * v ∈ [lo + j·s, lo + (j + 1)·s) with s = (hi − lo)/256. A degenerate range (hi ≤ lo) paints the
 * bottom of a sequential map and the white centre of a diverging one; NaN is grey (128, 128, 128).
 *
 * The tables come from src/shared/colormaps.ts, so tableProblems() first checks their ends against
 * the published data (matplotlib's _viridis_data and _magma_data, ColorBrewer RdBu): a table
 * turned around fails there rather than decoding consistently wrong.
 */
import { rgbTable, type ColormapName } from '../../src/shared/colormaps';

export type Rgb = [number, number, number];

/** Published first and last colours (and the centre of the diverging map), 0–255. */
const PUBLISHED: Record<ColormapName, { low: Rgb; high: Rgb; mid?: Rgb }> = {
  // matplotlib _viridis_data[0] = (0.267004, 0.004874, 0.329415), [255] = (0.993248, 0.906157, 0.143936)
  viridis: { low: [68, 1, 84], high: [253, 231, 37] },
  // matplotlib _magma_data[0] = (0.001462, 0.000466, 0.013866), [255] = (0.987053, 0.991438, 0.749504)
  magma: { low: [0, 0, 4], high: [252, 253, 191] },
  gray: { low: [0, 0, 0], high: [255, 255, 255] },
  // ColorBrewer RdBu (11), reversed: #053061 (negative) … white … #67001f (positive)
  'blue-white-red': { low: [5, 48, 97], high: [103, 0, 31], mid: [255, 255, 255] },
};

/** Differences between a table's ends and the published colours (empty when it matches within 1). */
export function tableProblems(name: ColormapName): string[] {
  const t = rgbTable(name);
  const entry = (j: number): Rgb => [t[j * 3]!, t[j * 3 + 1]!, t[j * 3 + 2]!];
  const p = PUBLISHED[name];
  const out: string[] = [];
  const near = (a: Rgb, b: Rgb): boolean => a.every((c, i) => Math.abs(c - b[i]!) <= 1);
  if (!near(entry(0), p.low)) out.push(`${name}[0] = ${entry(0)}, published ${p.low}`);
  if (!near(entry(255), p.high)) out.push(`${name}[255] = ${entry(255)}, published ${p.high}`);
  if (p.mid) {
    const m = [entry(127), entry(128)].some((e) => e.every((c) => c >= 250));
    if (!m) out.push(`${name}'s centre (entries 127, 128) = ${entry(127)} / ${entry(128)}, published white`);
  }
  return out;
}

const decoders = new Map<ColormapName, Map<number, [number, number]>>();

/** Colour (r << 16 | g << 8 | b) → the entries [first, last] of the table holding it. */
function decoder(name: ColormapName): Map<number, [number, number]> {
  let d = decoders.get(name);
  if (d) return d;
  const t = rgbTable(name);
  d = new Map();
  for (let j = 0; j < 256; j++) {
    const key = (t[j * 3]! << 16) | (t[j * 3 + 1]! << 8) | t[j * 3 + 2]!;
    const seen = d.get(key);
    if (seen && seen[1] !== j - 1) throw new Error(`${name}: entries ${seen[1]} and ${j} share a colour`);
    d.set(key, seen ? [seen[0], j] : [j, j]);
  }
  decoders.set(name, d);
  return d;
}

export interface CanvasPixels {
  width: number;
  height: number;
  /** RGBA bytes, row-major. */
  rgba: Uint8Array;
}

/** Anything with Playwright's evaluate: a Page or a Frame. */
interface Evaluator {
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
}

interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
}

/** The pixels of every canvas matching the selector, in document order. */
export async function readCanvases(target: Evaluator, selector: string): Promise<CanvasPixels[]> {
  const raw = await target.evaluate((sel: string) => {
    const g = globalThis as unknown as {
      document: { querySelectorAll(s: string): ArrayLike<CanvasLike> };
      btoa(s: string): string;
    };
    return Array.from(g.document.querySelectorAll(sel), (c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let bin = '';
      for (let i = 0; i < d.length; i += 8192) bin += String.fromCharCode(...d.subarray(i, i + 8192));
      return { width: c.width, height: c.height, b64: g.btoa(bin) };
    });
  }, selector);
  return raw.map((r) => ({ width: r.width, height: r.height, rgba: new Uint8Array(Buffer.from(r.b64, 'base64')) }));
}

/** One pixel whose colour does not stand for the value expected there. */
export interface PixelMismatch {
  y: number;
  x: number;
  value: number;
  rgb: Rgb;
  /** The values the colour stands for, or why it stands for none. */
  decoded: string;
}

/**
 * Checks that every pixel of a canvas decodes to an interval holding the expected value at that
 * cell (values row-major, height × width). `slack` widens each interval by that fraction of the
 * range (independent arithmetic in float64 vs the panel's float32 data can cross an entry's edge).
 * Returns at most `limit` mismatches; empty when the canvas shows exactly these values.
 */
export function mismatches(
  px: CanvasPixels,
  values: ArrayLike<number>,
  range: readonly [number, number],
  name: ColormapName,
  slack = 1e-5,
  limit = 5,
): PixelMismatch[] {
  if (px.width * px.height !== values.length)
    throw new Error(`canvas is ${px.height}×${px.width}, expected ${values.length} values`);
  const d = decoder(name);
  const [lo, hi] = range;
  const step = (hi - lo) / 256;
  const eps = Math.max(Math.abs(hi - lo), 1e-12) * slack;
  const flat = name === 'blue-white-red' ? 128 : 0;
  const out: PixelMismatch[] = [];
  for (let i = 0; i < values.length && out.length < limit; i++) {
    const v = values[i]!;
    const rgb: Rgb = [px.rgba[i * 4]!, px.rgba[i * 4 + 1]!, px.rgba[i * 4 + 2]!];
    const at = { y: Math.floor(i / px.width), x: i % px.width, value: v, rgb };
    if (px.rgba[i * 4 + 3] !== 255) {
      out.push({ ...at, decoded: `alpha ${px.rgba[i * 4 + 3]}` });
      continue;
    }
    const key = (rgb[0] << 16) | (rgb[1] << 8) | rgb[2];
    if (Number.isNaN(v)) {
      if (key !== 0x808080) out.push({ ...at, decoded: 'not the NaN grey' });
      continue;
    }
    const js = d.get(key);
    if (!js) {
      out.push({ ...at, decoded: `a colour not in ${name}` });
      continue;
    }
    if (!(hi > lo)) {
      if (js[0] > flat || js[1] < flat) out.push({ ...at, decoded: `entry ${js[0]}, flat map wants ${flat}` });
      continue;
    }
    // entry 0 also holds everything below lo, entry 255 everything above hi (clipping)
    const from = js[0] === 0 ? -Infinity : lo + js[0] * step;
    const to = js[1] === 255 ? Infinity : lo + (js[1] + 1) * step;
    if (!(v >= from - eps && v <= to + eps)) out.push({ ...at, decoded: `[${from}, ${to}) (entry ${js[0]})` });
  }
  return out;
}

/** A readable account of mismatches for an assertion message. */
export function describeMismatches(what: string, m: PixelMismatch[]): string {
  return m
    .map((e) => `${what} (${e.y}, ${e.x}): value ${e.value} drawn as rgb(${e.rgb.join(', ')}) = ${e.decoded}`)
    .join('\n');
}

/** Finite min and max, computed here (not the panel's code). */
export function minMax(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return lo <= hi ? [lo, hi] : [0, 0];
}
