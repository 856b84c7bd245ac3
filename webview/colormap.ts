/**
 * The colour tables of src/shared/colormaps.ts packed as RGBA words (little-endian, as
 * ImageData's Uint32 view reads them), so drawing a map is one table lookup per pixel.
 * Index rule as matplotlib's Normalize: t = (v − lo)/(hi − lo) clipped, entry = min(⌊t·256⌋, 255).
 */
import { rgbTable } from '../src/shared/colormaps';
import type { PanelSettings } from '../src/shared/protocol';

export type MapName = PanelSettings['colormap'] | 'blue-white-red';

function pack(rgb: Uint8Array): Uint32Array {
  const out = new Uint32Array(256);
  for (let i = 0; i < 256; i++)
    out[i] = ((0xff << 24) | (rgb[i * 3 + 2]! << 16) | (rgb[i * 3 + 1]! << 8) | rgb[i * 3]!) >>> 0;
  return out;
}

const cache = new Map<MapName, Uint32Array>();

/** The packed table of a colour map (built once). */
export function lut(name: MapName): Uint32Array {
  let t = cache.get(name);
  if (!t) cache.set(name, (t = pack(rgbTable(name))));
  return t;
}

/** Packed colour of NaN: a neutral grey, neither low nor high. */
export const NAN_WORD = ((0xff << 24) | (128 << 16) | (128 << 8) | 128) >>> 0;

/** [r, g, b] of a packed word. */
export function rgbOf(word: number): [number, number, number] {
  return [word & 255, (word >>> 8) & 255, (word >>> 16) & 255];
}

/** Black or white, whichever reads better on a packed colour (WCAG relative luminance). */
export function inkOn(word: number): '#000' | '#fff' {
  const [r, g, b] = rgbOf(word).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.179 ? '#000' : '#fff';
}
