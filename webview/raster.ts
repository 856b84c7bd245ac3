/**
 * Drawing channel planes of a (C, H, W) tensor into canvases at one pixel per value: a lookup in
 * a packed 256-entry colour table per pixel, written through a Uint32 view of one reused
 * ImageData per size (no allocation per map). The canvases are scaled up by CSS with
 * `image-rendering: pixelated`, so cells stay crisp squares.
 */
import type { TensorView } from '../src/shared/protocol';
import { lut, NAN_WORD, type MapName } from './colormap';

export type Range = [number, number];

/**
 * Plane ranges already found, per array of values: a tensor the panel keeps (shared/viewCache.ts)
 * is the same array from view to view, and each render asks again for every map's range.
 */
const ranges = new WeakMap<Float32Array, Map<number, Range>>();

/** Finite min and max of one plane; [0, 0] when it has none. */
export function planeRange(t: TensorView, c: number): Range {
  const n = t.shape[1] * t.shape[2];
  let byPlane = ranges.get(t.data);
  if (!byPlane) ranges.set(t.data, (byPlane = new Map()));
  const at = c * n;
  let r = byPlane.get(at);
  if (!r) byPlane.set(at, (r = computePlaneRange(t.data, at, n)));
  return [r[0], r[1]];
}

function computePlaneRange(d: Float32Array, start: number, n: number): Range {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = start, end = start + n; i < end; i++) {
    const v = d[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return Number.isFinite(lo) && Number.isFinite(hi) ? [lo, hi] : finiteRange(d.subarray(start, start + n));
}

/** Finite min and max of values; [0, 0] when there are none. */
export function finiteRange(d: Float32Array): Range {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of d) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 0];
}

/** The range a plane is drawn with: its own (per map) or the whole view's (per layer). */
export function rangeFor(t: TensorView, c: number, mode: 'per-map' | 'per-layer'): Range {
  return mode === 'per-layer' ? [t.min, t.max] : planeRange(t, c);
}

/** [−m, m] with m the largest |value|, so zero lands on the white of a diverging map. */
export function symmetric(r: Range): Range {
  const m = Math.max(Math.abs(r[0]), Math.abs(r[1]));
  return [-m, m];
}

const images = new Map<string, { img: ImageData; words: Uint32Array }>();

function imageOf(w: number, h: number): { img: ImageData; words: Uint32Array } {
  const key = `${w}x${h}`;
  let e = images.get(key);
  if (!e) {
    if (images.size > 8) images.clear();
    const img = new ImageData(w, h);
    e = { img, words: new Uint32Array(img.data.buffer) };
    images.set(key, e);
  }
  return e;
}

/** Packed colours of n values from `offset`, t = (v − lo)/(hi − lo) → ⌊t·256⌋ clipped (matplotlib). */
function colorize(
  d: Float32Array,
  offset: number,
  n: number,
  range: Range,
  map: MapName,
  out: Uint32Array,
  outOffset = 0,
): void {
  const table = lut(map);
  const [lo, hi] = range;
  const flat = map === 'blue-white-red' ? table[128]! : table[0]!;
  if (!(hi > lo)) {
    for (let i = 0; i < n; i++) out[outOffset + i] = d[offset + i] !== d[offset + i] ? NAN_WORD : flat;
    return;
  }
  const k = 256 / (hi - lo);
  for (let i = 0; i < n; i++) {
    const v = d[offset + i]!;
    if (v !== v) {
      out[outOffset + i] = NAN_WORD;
      continue;
    }
    let j = ((v - lo) * k) | 0;
    if (j < 0) j = 0;
    else if (j > 255) j = 255;
    out[outOffset + i] = table[j]!;
  }
}

/**
 * Canvases drawn with `share` (the feature-map tiles), by the values and colours they show, so
 * that another view of the same map (the block of stacked maps) copies the pixels instead of
 * colouring 50,176 values again. A canvas is used only while it still shows what it was
 * registered for (`shows`); the registry holds neither the values nor the canvases alive.
 */
const shared = new WeakMap<Float32Array, Map<string, WeakRef<HTMLCanvasElement>>>();
const shows = new WeakMap<HTMLCanvasElement, string>();

const contentKey = (offset: number, h: number, w: number, range: Range, map: MapName): string =>
  `${offset}:${h}:${w}:${range[0]}:${range[1]}:${map}`;

/** Draws h×w values from `offset` into a canvas sized to them (one pixel per value). */
export function drawValues(
  canvas: HTMLCanvasElement,
  data: Float32Array,
  offset: number,
  h: number,
  w: number,
  range: Range,
  map: MapName,
  share = false,
): void {
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const key = contentKey(offset, h, w, range, map);
  const ctx = canvas.getContext('2d')!;
  const source = shared.get(data)?.get(key)?.deref();
  if (source && source !== canvas && shows.get(source) === key && source.width === w && source.height === h) {
    ctx.clearRect(0, 0, w, h);
    ctx.drawImage(source, 0, 0);
  } else {
    const { img, words } = imageOf(w, h);
    colorize(data, offset, h * w, range, map, words);
    ctx.putImageData(img, 0, 0);
  }
  if (share) {
    let m = shared.get(data);
    if (!m) shared.set(data, (m = new Map()));
    m.set(key, new WeakRef(canvas));
    shows.set(canvas, key);
  } else shows.delete(canvas);
}

/**
 * The tile canvases of the view being replaced, by size, while the next view is built: its
 * tiles take them instead of new canvases, whose pixel buffers would be allocated again (a
 * layer of 64 maps of 224×224 has 12.8 MB of them), and a canvas that already shows the values
 * a tile needs is taken as it is, not drawn again.
 */
let spare: Map<string, HTMLCanvasElement[]> | null = null;

/** Offers the tile canvases under `root` to the tiles built until `endReuse`. */
export function offerCanvases(root: ParentNode): void {
  spare = new Map();
  for (const c of root.querySelectorAll<HTMLCanvasElement>('canvas.tile-canvas')) {
    const size = `${c.width}x${c.height}`;
    const list = spare.get(size);
    if (list) list.push(c);
    else spare.set(size, [c]);
  }
}

export function endReuse(): void {
  spare = null;
}

/** A tile's canvas (class `tile-canvas`) showing h×w values from `offset`: a replaced view's when one is offered. */
export function tileCanvas(
  data: Float32Array,
  offset: number,
  h: number,
  w: number,
  range: Range,
  map: MapName,
): HTMLCanvasElement {
  const list = spare?.get(`${w}x${h}`);
  if (list?.length) {
    const key = contentKey(offset, h, w, range, map);
    const same = shared.get(data)?.get(key)?.deref();
    const at = same && shows.get(same) === key ? list.indexOf(same) : -1;
    if (at >= 0) return list.splice(at, 1)[0]!;
    const canvas = list.pop()!;
    drawValues(canvas, data, offset, h, w, range, map, true);
    return canvas;
  }
  const canvas = document.createElement('canvas');
  canvas.className = 'tile-canvas pixelated';
  drawValues(canvas, data, offset, h, w, range, map, true);
  return canvas;
}

/** Draws plane c of t. */
export function drawPlane(canvas: HTMLCanvasElement, t: TensorView, c: number, range: Range, map: MapName): void {
  drawValues(canvas, t.data, c * t.shape[1] * t.shape[2], t.shape[1], t.shape[2], range, map);
}

/** The packed colour of one value (numbers drawn on a cell pick their ink from it). */
export function colorOf(v: number, range: Range, map: MapName): number {
  const out = new Uint32Array(1);
  colorize(Float32Array.of(v), 0, 1, range, map, out);
  return out[0]!;
}
