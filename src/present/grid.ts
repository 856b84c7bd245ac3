/**
 * Renders a layer's feature maps (or kernels) as one RGBA image: a title line, the maps as
 * colour-mapped tiles in a grid (1-px gap, each tile labelled underneath), and a legend bar with
 * the value range. Pure: returns pixels; encode with png.ts.
 *
 * Semantics:
 *  - normalize 'per-layer': one range (finite min..max over all drawn maps) for every tile, so
 *    tiles compare; 'per-map': each tile stretched to its own range, so weak maps are visible.
 *    With a diverging colormap the range is made symmetric (−m..m) so zero is the neutral colour.
 *  - zoom: integer nearest-neighbour pixel replication (no smoothing: each model value stays one
 *    visible square). Auto zoom is the smallest that makes the shorter tile side ≥ 48 px, limited
 *    so the longer side stays ≤ 512 px and the whole image under MAX_OUTPUT_PIXELS.
 *  - columns are chosen so the grid is close to square with few empty cells.
 *  - at most maxTiles maps are drawn (the first ones); the title says how many were left out.
 */
import { finiteRange, symmetricRange, colorize, type Colormap } from './colormap';
import { fmtInt, inputFail, requireIntIn } from '../io/errors';
import { fitText, GLYPH_H, drawText, measureText } from './font5x7';

export interface FeatureMap {
  data: Float32Array;
  height: number;
  width: number;
  label: string;
}

export interface GridOptions {
  normalize: 'per-map' | 'per-layer';
  colormap: Colormap;
  title: string;
  /** Integer pixel zoom (1..64); default: auto (see the header). */
  scale?: number;
  /** Most maps drawn (1..4096); default 256. */
  maxTiles?: number;
}

export interface TileInfo {
  x: number;
  y: number;
  width: number;
  height: number;
  label: string;
  /** The value range mapped to the colormap's ends for this tile. */
  min: number;
  max: number;
}

export interface RenderedGrid {
  width: number;
  height: number;
  rgba: Uint8Array;
  /** Placement and range of each drawn tile, for hit-testing and tooltips in the UI. */
  tiles: TileInfo[];
  scale: number;
  /** Maps not drawn because of maxTiles. */
  omitted: number;
}

export const MAX_OUTPUT_PIXELS = 4096 * 4096;
const MIN_TILE = 48;
const MAX_TILE = 512;
const MARGIN = 8;
const GAP = 1;
const LABEL_H = GLYPH_H + 5; // 2 px above the text, 3 below
const LEGEND_H = 10;
const BG: [number, number, number] = [30, 30, 30];
const TEXT: [number, number, number] = [212, 212, 212];
const TITLE: [number, number, number] = [255, 255, 255];
const DIM: [number, number, number] = [150, 150, 150];

/** "0", "0.5", "-1.23", "123", "1.23e+4", "1e+5", "3.46e-5": ≤ 3 significant digits, ASCII only. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'inf' : '-inf';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(3)));
}

export function pickColumns(n: number, cellW: number, cellH: number): number {
  let best = 1;
  let bestScore = Infinity;
  for (let c = 1; c <= n; c++) {
    const r = Math.ceil(n / c);
    const w = c * cellW + (c - 1) * GAP;
    const h = r * cellH;
    // Squareness plus a penalty for empty cells (3× their share of the grid).
    const score = Math.abs(Math.log(w / h)) + (3 * (c * r - n)) / n;
    if (score < bestScore) {
      bestScore = score;
      best = c;
    }
  }
  return best;
}

export function renderFeatureMapGrid(maps: readonly FeatureMap[], opts: GridOptions): RenderedGrid {
  const maxTiles = checkMaps('renderFeatureMapGrid', maps, opts.maxTiles);
  const shown = maps.slice(0, maxTiles);
  const omitted = maps.length - shown.length;
  const mapH = Math.max(...shown.map((m) => m.height));
  const mapW = Math.max(...shown.map((m) => m.width));
  const { layerRange, rangeOf } = tileRanges(shown, opts);

  // Layout, shrinking the zoom until the image fits the pixel budget.
  let scale = opts.scale ?? autoZoom(mapH, mapW);
  requireIntIn('scale', scale, 1, 64);
  const auto = opts.scale === undefined;
  for (;;) {
    const L = layout(shown.length, mapH * scale, mapW * scale, opts.title, omitted, maps.length);
    if (L.width * L.height <= MAX_OUTPUT_PIXELS) return draw(shown, L, scale, omitted, rangeOf, layerRange, opts);
    if (!auto || scale === 1) {
      inputFail(
        'too-large',
        `feature-map grid of ${fmtInt(L.width)}×${fmtInt(L.height)} pixels (${shown.length} maps of ${mapH}×${mapW} at zoom ${scale}) is over the ${fmtInt(MAX_OUTPUT_PIXELS)}-pixel limit; draw fewer maps or a lower zoom`,
      );
    }
    scale--;
  }
}

/** Checks the maps and the tile cap a grid (PNG or SVG) is drawn from; returns the cap (default 256). */
export function checkMaps(op: string, maps: readonly FeatureMap[], maxTiles = 256): number {
  requireIntIn('maxTiles', maxTiles, 1, 4096);
  if (maps.length === 0) inputFail('bad-argument', `${op}: no maps to draw`);
  for (const [i, m] of maps.entries()) {
    requireIntIn(`map ${i} height`, m.height, 1, 1 << 16);
    requireIntIn(`map ${i} width`, m.width, 1, 1 << 16);
    if (m.data.length !== m.height * m.width) {
      inputFail(
        'bad-argument',
        `map ${i} ('${m.label}') has ${fmtInt(m.data.length)} values, expected ${m.height}×${m.width} = ${fmtInt(m.height * m.width)}`,
      );
    }
  }
  return maxTiles;
}

/**
 * The value range of each drawn map (see the header: per layer or per map, symmetric for a
 * diverging colormap), and the layer's range for the legend.
 */
export function tileRanges(
  shown: readonly FeatureMap[],
  opts: Pick<GridOptions, 'normalize' | 'colormap'>,
): { layerRange: [number, number]; rangeOf: (m: FeatureMap) => [number, number] } {
  const diverging = opts.colormap.kind === 'diverging';
  const all = shown.map((m) => (diverging ? symmetricRange(m.data) : finiteRange(m.data)));
  const layerRange: [number, number] = [Math.min(...all.map((r) => r[0])), Math.max(...all.map((r) => r[1]))];
  const rangeOf = (m: FeatureMap): [number, number] =>
    opts.normalize === 'per-layer' ? layerRange : diverging ? symmetricRange(m.data) : finiteRange(m.data);
  return { layerRange, rangeOf };
}

/** The automatic zoom: the shorter tile side ≥ 48 px, the longer ≤ 512 px. */
export function autoZoom(mapH: number, mapW: number): number {
  return Math.min(
    Math.max(1, Math.ceil(MIN_TILE / Math.min(mapH, mapW))),
    Math.max(1, Math.floor(MAX_TILE / Math.max(mapH, mapW))),
  );
}

interface Layout {
  width: number;
  height: number;
  cols: number;
  cellW: number;
  cellH: number;
  tileW: number;
  tileH: number;
  title: string;
  titleScale: number;
  gridY: number;
  legendY: number;
}

function layout(n: number, tileH: number, tileW: number, title: string, omitted: number, total: number): Layout {
  // Labels need room for a few characters even under small tiles.
  const cellW = Math.max(tileW, measureText('0000'));
  const cellH = tileH + LABEL_H;
  const cols = pickColumns(n, cellW, cellH);
  const rows = Math.ceil(n / cols);
  const gridW = cols * cellW + (cols - 1) * GAP;
  const contentW = Math.max(gridW, 220);
  const fullTitle = omitted > 0 ? `${title} (first ${n} of ${total})` : title;
  const titleScale = measureText(fullTitle, 2) <= contentW ? 2 : 1;
  const titleH = GLYPH_H * titleScale + 8;
  const gridY = MARGIN + titleH;
  const legendY = gridY + rows * cellH + 6;
  return {
    width: contentW + 2 * MARGIN,
    height: legendY + LEGEND_H + 4 + GLYPH_H + MARGIN,
    cols,
    cellW,
    cellH,
    tileW,
    tileH,
    title: fitText(fullTitle, contentW, titleScale),
    titleScale,
    gridY,
    legendY,
  };
}

function draw(
  shown: readonly FeatureMap[],
  L: Layout,
  scale: number,
  omitted: number,
  rangeOf: (m: FeatureMap) => [number, number],
  layerRange: [number, number],
  opts: GridOptions,
): RenderedGrid {
  const { width: W, height: H } = L;
  const rgba = new Uint8Array(W * H * 4);
  for (let o = 0; o < rgba.length; o += 4) {
    rgba[o] = BG[0];
    rgba[o + 1] = BG[1];
    rgba[o + 2] = BG[2];
    rgba[o + 3] = 255;
  }
  drawText(rgba, W, H, MARGIN, MARGIN, L.title, TITLE, L.titleScale);

  const tiles: TileInfo[] = [];
  shown.forEach((m, i) => {
    const col = i % L.cols;
    const row = Math.floor(i / L.cols);
    const tw = m.width * scale;
    const th = m.height * scale;
    // Centre smaller maps in their cell (maps of one layer normally share one size).
    const x0 = MARGIN + col * (L.cellW + GAP) + Math.floor((L.cellW - tw) / 2);
    const y0 = L.gridY + row * L.cellH + Math.floor((L.tileH - th) / 2);
    const [min, max] = rangeOf(m);
    const colors = colorize(m.data, min, max, opts.colormap);
    // Build each zoomed row once, then copy it to its `scale` screen rows.
    const line = new Uint8Array(tw * 4);
    for (let sy = 0; sy < m.height; sy++) {
      for (let x = 0; x < tw; x++) {
        const s = (sy * m.width + Math.floor(x / scale)) * 4;
        line[x * 4] = colors[s]!;
        line[x * 4 + 1] = colors[s + 1]!;
        line[x * 4 + 2] = colors[s + 2]!;
        line[x * 4 + 3] = 255;
      }
      for (let r = 0; r < scale; r++) rgba.set(line, ((y0 + sy * scale + r) * W + x0) * 4);
    }
    const label = fitText(m.label, L.cellW);
    const lx = MARGIN + col * (L.cellW + GAP) + Math.floor((L.cellW - measureText(label)) / 2);
    drawText(rgba, W, H, lx, L.gridY + row * L.cellH + L.tileH + 2, label, TEXT);
    tiles.push({ x: x0, y: y0, width: tw, height: th, label: m.label, min, max });
  });

  drawLegend(rgba, L, opts, layerRange);
  return { width: W, height: H, rgba, tiles, scale, omitted };
}

function drawLegend(rgba: Uint8Array, L: Layout, opts: GridOptions, [lo, hi]: [number, number]): void {
  const W = L.width;
  const barW = Math.min(256, W - 2 * MARGIN);
  const x0 = MARGIN;
  const y0 = L.legendY;
  const T = opts.colormap.table;
  for (let x = 0; x < barW; x++) {
    const k = Math.min(255, Math.floor((x / barW) * 256)) * 3;
    for (let y = 0; y < LEGEND_H; y++) rgba.set([T[k]!, T[k + 1]!, T[k + 2]!, 255], ((y0 + y) * W + x0 + x) * 4);
  }
  const perMap = opts.normalize === 'per-map';
  const diverging = opts.colormap.kind === 'diverging';
  const left = perMap ? (diverging ? '-max' : 'min') : formatValue(lo);
  const right = perMap ? (diverging ? '+max' : 'max') : formatValue(hi);
  const ty = y0 + LEGEND_H + 4;
  drawText(rgba, W, L.height, x0, ty, left, TEXT);
  drawText(rgba, W, L.height, x0 + barW - measureText(right), ty, right, TEXT);
  if (diverging) drawText(rgba, W, L.height, x0 + Math.floor((barW - measureText('0')) / 2), ty, '0', TEXT);
  // What the bar means, beside it when there is room.
  const note = perMap ? 'each map: own range' : 'one range for all';
  const nx = x0 + barW + 10;
  if (nx + measureText(note) <= W - MARGIN) drawText(rgba, W, L.height, nx, y0 + 2, note, DIM);
}
