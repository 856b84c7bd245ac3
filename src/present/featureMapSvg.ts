/**
 * Feature maps as an SVG document: the same grid as the PNG picture (grid.ts: tiles in the same
 * order, the same columns, zoom and value ranges, the same colours), with the text as real text
 * so that any script reads — Korean titles and labels, or layer names in Hangul, which the PNG's
 * 5×7 ASCII font cannot draw. Each tile is an embedded PNG at the map's own resolution, drawn
 * zoomed with `image-rendering: pixelated` so every model value stays one square.
 *
 * Pure: returns the document as a string. Text is escaped for XML and control characters are
 * shown as \uXXXX (shared/text.ts printable).
 */
import { encodePng } from '../io/png';
import { inputFail } from '../io/errors';
import { printable } from '../shared/text';
import { colorize, type Colormap } from './colormap';
import { autoZoom, checkMaps, formatValue, pickColumns, tileRanges, MAX_OUTPUT_PIXELS, type FeatureMap } from './grid';

export type SvgLocale = 'en' | 'ko';

/** The first line of every SVG ConvLens writes: `render` replaces only files that start with it. */
export const SVG_MARK = '<!-- Generator: ConvLens feature maps -->';

/** Whether a file's first bytes are an SVG ConvLens wrote. */
export function isConvLensSvg(head: Uint8Array): boolean {
  const text = new TextDecoder().decode(head.subarray(0, 200));
  return text.startsWith(`<?xml version="1.0" encoding="UTF-8"?>\n${SVG_MARK}`);
}

export interface SvgGridOptions {
  normalize: 'per-map' | 'per-layer';
  colormap: Colormap;
  title: string;
  locale?: SvgLocale;
  /** Most maps drawn (1..4096); default 256. */
  maxTiles?: number;
}

export interface SvgGrid {
  svg: string;
  width: number;
  height: number;
  tiles: number;
  omitted: number;
}

const MARGIN = 12;
const GAP = 2;
const TITLE_SIZE = 16;
const LABEL_SIZE = 11;
const LEGEND_H = 12;
const FONT = `system-ui, -apple-system, 'Segoe UI', 'Noto Sans KR', 'Noto Sans CJK KR', 'Apple SD Gothic Neo', 'Malgun Gothic', NanumGothic, sans-serif`;

const TEXT = {
  en: {
    firstOf: (n: number, total: number) => `(first ${n} of ${total})`,
    perMap: 'each map: own range',
    perLayer: 'one range for all',
    min: 'min',
    max: 'max',
  },
  ko: {
    firstOf: (n: number, total: number) => `(${total}개 중 처음 ${n}개)`,
    perMap: '맵마다 자체 범위',
    perLayer: '모든 맵에 같은 범위',
    min: '최소',
    max: '최대',
  },
} as const;

/** Text content or attribute value for XML: escaped, control characters shown as \uXXXX. */
export function xmlText(s: string, max?: number): string {
  return printable(s, max)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function base64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    bin += String.fromCharCode(...bytes.subarray(i, Math.min(i + 0x8000, bytes.length)));
  return btoa(bin);
}

function pngDataUri(width: number, height: number, rgba: Uint8Array): string {
  return `data:image/png;base64,${base64(encodePng(width, height, rgba))}`;
}

/** A generous estimate of a text's width: wide (CJK, Hangul) characters 1 em, the rest 0.62 em. */
export function textWidth(s: string, size: number): number {
  let em = 0;
  for (const ch of s)
    em += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60]/.test(ch) ? 1 : 0.62;
  return Math.ceil(em * size);
}

function rgb(c: readonly [number, number, number]): string {
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

export function renderFeatureMapSvg(maps: readonly FeatureMap[], opts: SvgGridOptions): SvgGrid {
  const maxTiles = checkMaps('renderFeatureMapSvg', maps, opts.maxTiles);
  const t = TEXT[opts.locale ?? 'en'];
  const shown = maps.slice(0, maxTiles);
  const omitted = maps.length - shown.length;
  const mapH = Math.max(...shown.map((m) => m.height));
  const mapW = Math.max(...shown.map((m) => m.width));
  // the values drawn are the pixels embedded, whatever the zoom: cap them as the PNG's are
  const values = shown.reduce((s, m) => s + m.data.length, 0);
  if (values > MAX_OUTPUT_PIXELS)
    inputFail('too-large', `${values} values to draw is over the ${MAX_OUTPUT_PIXELS}-value limit; draw fewer maps`);
  const { layerRange, rangeOf } = tileRanges(shown, opts);
  const zoom = autoZoom(mapH, mapW);
  const tileW = mapW * zoom;
  const tileH = mapH * zoom;
  const cellW = Math.max(tileW, 44);
  const cellH = tileH + LABEL_SIZE + 8;
  const cols = pickColumns(shown.length, cellW, cellH);
  const rows = Math.ceil(shown.length / cols);
  const gridW = cols * cellW + (cols - 1) * GAP;
  const title = omitted > 0 ? `${opts.title} ${t.firstOf(shown.length, maps.length)}` : opts.title;
  const note = opts.normalize === 'per-map' ? t.perMap : t.perLayer;
  // wide enough for the title (up to a point: longer titles are cut by the viewer) and the legend's note
  const contentW = Math.max(
    gridW,
    280,
    Math.min(textWidth(title, TITLE_SIZE), 1600),
    Math.min(256, gridW) + 10 + textWidth(note, LABEL_SIZE),
  );
  const width = contentW + 2 * MARGIN;
  const gridY = MARGIN + TITLE_SIZE + 10;
  const legendY = gridY + rows * cellH + 6;
  const height = legendY + LEGEND_H + LABEL_SIZE + 8 + MARGIN;

  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', SVG_MARK];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${xmlText(FONT)}">`,
  );
  out.push(`<title>${xmlText(title, 400)}</title>`);
  out.push(`<rect width="100%" height="100%" fill="${rgb([30, 30, 30])}"/>`);
  out.push(
    `<text x="${MARGIN}" y="${MARGIN + TITLE_SIZE - 2}" font-size="${TITLE_SIZE}" font-weight="600" fill="#fff">${xmlText(title, 400)}</text>`,
  );
  shown.forEach((m, i) => {
    const col = i % cols;
    const row = Math.floor(i / cols);
    const tw = m.width * zoom;
    const th = m.height * zoom;
    const x0 = MARGIN + col * (cellW + GAP) + Math.floor((cellW - tw) / 2);
    const y0 = gridY + row * cellH + Math.floor((tileH - th) / 2);
    const [min, max] = rangeOf(m);
    const uri = pngDataUri(m.width, m.height, colorize(m.data, min, max, opts.colormap));
    out.push(
      `<g><title>${xmlText(`${m.label}: ${formatValue(min)} … ${formatValue(max)}`)}</title>` +
        `<image x="${x0}" y="${y0}" width="${tw}" height="${th}" preserveAspectRatio="none" style="image-rendering:pixelated;image-rendering:crisp-edges" href="${uri}"/>` +
        `<text x="${MARGIN + col * (cellW + GAP) + cellW / 2}" y="${gridY + row * cellH + tileH + LABEL_SIZE + 2}" font-size="${LABEL_SIZE}" text-anchor="middle" fill="${rgb([212, 212, 212])}">${xmlText(m.label, 40)}</text></g>`,
    );
  });
  // legend: the colormap's 256 entries stretched into a bar, its ends' values, what the range means
  const barW = Math.min(256, Math.max(gridW, 200));
  const bar = new Uint8Array(256 * 4);
  for (let k = 0; k < 256; k++)
    bar.set(
      [opts.colormap.table[k * 3]!, opts.colormap.table[k * 3 + 1]!, opts.colormap.table[k * 3 + 2]!, 255],
      k * 4,
    );
  out.push(
    `<image x="${MARGIN}" y="${legendY}" width="${barW}" height="${LEGEND_H}" preserveAspectRatio="none" href="${pngDataUri(256, 1, bar)}"/>`,
  );
  const perMap = opts.normalize === 'per-map';
  const diverging = opts.colormap.kind === 'diverging';
  const left = perMap ? (diverging ? `-${t.max}` : t.min) : formatValue(layerRange[0]);
  const right = perMap ? (diverging ? `+${t.max}` : t.max) : formatValue(layerRange[1]);
  const ty = legendY + LEGEND_H + LABEL_SIZE + 2;
  const small = `font-size="${LABEL_SIZE}" fill="${rgb([212, 212, 212])}"`;
  out.push(`<text x="${MARGIN}" y="${ty}" ${small}>${xmlText(left)}</text>`);
  out.push(`<text x="${MARGIN + barW}" y="${ty}" text-anchor="end" ${small}>${xmlText(right)}</text>`);
  if (diverging) out.push(`<text x="${MARGIN + barW / 2}" y="${ty}" text-anchor="middle" ${small}>0</text>`);
  out.push(
    `<text x="${MARGIN + barW + 10}" y="${legendY + LEGEND_H - 2}" font-size="${LABEL_SIZE}" fill="${rgb([150, 150, 150])}">${xmlText(note)}</text>`,
  );
  out.push('</svg>');
  return { svg: out.join('\n') + '\n', width, height, tiles: shown.length, omitted };
}
