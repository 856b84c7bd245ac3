/**
 * A grid of small maps (feature maps, kernels, pooled maps): one button per map holding a canvas
 * at one pixel per value, scaled up crisply. Activating a tile (click, Enter, Space) selects it,
 * and the stage above shows it enlarged. The grid is one tab stop (the selected tile); arrow keys,
 * Home and End move between tiles. The whole grid is drawn in one pass with a reused
 * ImageData (64 maps of 224×224 stay far under 100 ms), measured as 'convlens:tiles:<key>'
 * (scripts/bench-webview.ts reads it).
 */
import type { MapName } from '../colormap';
import { el } from '../dom';
import { tileCanvas, type Range } from '../raster';

export interface TileGridSpec {
  data: Float32Array;
  /** Offset of map i in data. */
  offset: (i: number) => number;
  count: number;
  h: number;
  w: number;
  map: MapName;
  range: (i: number) => Range;
  caption: (i: number) => string;
  label: (i: number, r: Range) => string;
  selected: number;
  onSelect: (i: number) => void;
  /** Controls under a tile (a preset picker). */
  extra?: (i: number) => HTMLElement | null;
  key: string;
  /** Largest tile side, CSS pixels. */
  size: number;
}

export function tileGrid(s: TileGridSpec): HTMLElement {
  const mark = `convlens:tiles:${s.key}`;
  performance.mark(`${mark}:start`);
  const grid = el('div', 'tiles');
  grid.setAttribute('role', 'group');
  const scale = s.size / Math.max(s.h, s.w);
  const [cw, ch] = [Math.max(1, Math.round(s.w * scale)), Math.max(1, Math.round(s.h * scale))];
  for (let i = 0; i < s.count; i++) {
    const r = s.range(i);
    const tile = el('div', `tile${i === s.selected ? ' selected' : ''}`);
    const b = el('button', 'tile-btn');
    b.type = 'button';
    b.dataset['focusKey'] = `${s.key}-${i}`;
    b.dataset['index'] = String(i);
    b.setAttribute('aria-pressed', String(i === s.selected));
    b.tabIndex = i === Math.max(0, Math.min(s.count - 1, s.selected)) ? 0 : -1;
    b.setAttribute('aria-label', s.label(i, r));
    b.title = s.label(i, r);
    const canvas = tileCanvas(s.data, s.offset(i), s.h, s.w, r, s.map);
    canvas.style.width = `${cw}px`;
    canvas.style.height = `${ch}px`;
    b.append(canvas, el('span', 'tile-cap', s.caption(i)));
    b.addEventListener('click', () => s.onSelect(i));
    tile.append(b);
    const extra = s.extra?.(i);
    if (extra) tile.append(extra);
    grid.append(tile);
  }
  performance.measure(mark, `${mark}:start`);
  grid.addEventListener('keydown', (e) => roam(grid, e));
  return grid;
}

/** Arrow keys move focus between tiles: left/right by one, up/down by a row of the layout. */
function roam(grid: HTMLElement, e: KeyboardEvent): void {
  const tiles = [...grid.querySelectorAll<HTMLButtonElement>('.tile-btn')];
  const i = tiles.indexOf(document.activeElement as HTMLButtonElement);
  if (i < 0) return;
  const perRow = Math.max(1, tiles.filter((b) => b.offsetTop === tiles[0]!.offsetTop).length);
  const j = (
    {
      ArrowLeft: i - 1,
      ArrowRight: i + 1,
      ArrowUp: i - perRow,
      ArrowDown: i + perRow,
      Home: 0,
      End: tiles.length - 1,
    } as Record<string, number>
  )[e.key];
  if (j === undefined) return;
  e.preventDefault();
  const next = tiles[Math.max(0, Math.min(tiles.length - 1, j))]!;
  tiles[i]!.tabIndex = -1;
  next.tabIndex = 0;
  next.focus();
}
