/**
 * A colour legend: the colour map as a bar with the low and high values at its ends, and what the
 * range means (one map, the whole layer, or a symmetric range around zero for kernels).
 */
import { lut, type MapName } from '../colormap';
import { el } from '../dom';
import { fmt } from '../format';
import type { Range } from '../raster';

export function legend(map: MapName, r: Range, note: string): HTMLElement {
  const box = el('div', 'legend');
  const bar = el('canvas', 'legend-bar');
  bar.width = 256;
  bar.height = 1;
  const img = new ImageData(256, 1);
  new Uint32Array(img.data.buffer).set(lut(map));
  bar.getContext('2d')!.putImageData(img, 0, 0);
  bar.setAttribute('aria-hidden', 'true');
  const lo = el('span', 'legend-lo', fmt(r[0]));
  const hi = el('span', 'legend-hi', fmt(r[1]));
  box.dataset['min'] = String(r[0]);
  box.dataset['max'] = String(r[1]);
  box.append(lo, bar, hi, el('span', 'legend-note', note));
  return box;
}
