/**
 * 'valid' vs 'same' side by side for a convolution: the output size each would give (with the
 * arithmetic), and the participation heatmap of each — how many stamp positions use every input
 * cell. This is the textbook's argument for padding: on a 4×4 input with a 3×3 kernel the corner
 * is used once and the centre 4 times (4:1); one pixel of zeros makes it 4 and 9 (9:4). A layer
 * whose padding is neither gets a third column. The other mode can be tried (a what-if).
 */
import type { Geometry, LayerView } from '../../src/shared/protocol';
import { inkOn } from '../colormap';
import { button, card, el } from '../dom';
import {
  bandText,
  countsText,
  paddingKind,
  participation,
  participationFacts,
  sizeText,
  withPadding,
} from '../geometry';
import { post } from '../host';
import { t } from '../i18n';
import { MapView } from '../mapview';
import { colorOf, drawValues } from '../raster';
import { store } from '../store';

/** Grids up to this many cells also get a (visually hidden) table of their counts. */
const MAX_TABLE_CELLS = 400;

/**
 * What the heatmap shows, in two lines that stay true on any input size: the range of counts with
 * the corner's (a sequence: its ends), and where the most-used cells are; then the first row's
 * counts (a sequence: every position's). 4×4, 3×3, 'valid': "1× to 4× · corner 1× · most (4×):
 * rows 1–2, columns 1–2" and "first row: 1 2 2 1".
 */
export function participationCaption(
  g: Geometry,
  p: ReturnType<typeof participation>,
): { summary: string; counts: string; facts: ReturnType<typeof participationFacts> } {
  const f = participationFacts(g, p);
  const seq = g.rank === 1;
  const range = t(seq ? 'participationRange1d' : 'participationRange', { min: f.min, max: f.max, k: f.corner });
  const where =
    f.maxRows && f.maxCols
      ? seq
        ? t('participationMaxAt1d', { max: f.max, p: bandText(f.maxCols) })
        : t('participationMaxAt', { max: f.max, r: bandText(f.maxRows), c: bandText(f.maxCols) })
      : t('participationMaxCells', { max: f.max, n: f.maxCells });
  const counts = t(seq ? 'participationCounts1d' : 'participationFirstRow', { counts: countsText(f.firstRow) });
  return { summary: `${range} · ${where}`, counts, facts: f };
}

/** The pads in words: four sides, or a sequence's two ends. */
export function padsText(g: Geometry): string {
  const [top, b, l, r] = g.pads;
  return g.rank === 1 ? t('padsText1d', { l, r }) : t('padsText', { t: top, b, l, r });
}

/** The caption lines under a participation heatmap, with the numbers in data attributes. */
export function captionBlock(g: Geometry, p: ReturnType<typeof participation>): HTMLElement[] {
  const c = participationCaption(g, p);
  const sum = el('div', 'compare-summary', c.summary);
  Object.assign(sum.dataset, {
    min: String(c.facts.min),
    max: String(c.facts.max),
    corner: String(c.facts.corner),
    firstRow: c.facts.firstRow.join(' '),
  });
  return [sum, el('div', 'compare-counts muted small', c.counts)];
}

function countsTable(g: Geometry, p: ReturnType<typeof participation>, caption: string): HTMLTableElement {
  const table = el('table', 'sr-only counts');
  table.append(el('caption', '', caption));
  for (let y = 0; y < g.inH; y++) {
    const tr = el('tr');
    for (let x = 0; x < g.inW; x++) tr.append(el('td', '', String(p.counts[(y + g.pads[0]) * p.cols + x + g.pads[2]])));
    table.append(tr);
  }
  return table;
}

function column(
  mode: 'valid' | 'same' | 'layer',
  g: Geometry | null,
  layerGeometry: Geometry,
  current: boolean,
  maxCount: number,
): HTMLElement {
  const col = el('div', `compare-col${current ? ' current' : ''}`);
  col.dataset['mode'] = mode;
  const pads = layerGeometry.pads;
  const title =
    mode === 'valid'
      ? t('validTitle')
      : mode === 'same'
        ? t('sameTitle')
        : t('thisLayerTitle', { pads: pads.join('/') });
  const head = el('div', 'compare-head');
  head.append(el('h3', 'compare-title', title));
  if (current) head.append(el('span', 'badge subtle', t('thisLayer')));
  else if (mode !== 'layer' && g)
    head.append(
      button(t('tryIt'), () => post({ type: 'whatIf', change: { padding: mode } }), {
        cls: 'btn small secondary',
        key: `try-${mode}`,
      }),
    );
  col.append(head);
  if (!g) {
    col.append(el('p', 'muted', t('doesNotFit')));
    return col;
  }
  col.append(el('div', 'compare-size', `${sizeText(g, g.inH, g.inW)} → ${sizeText(g, g.outH, g.outW)}`));
  col.append(el('div', 'muted small', padsText(g)));
  const p = participation(g);
  const counts = new Float32Array(g.inH * g.inW);
  for (let y = 0; y < g.inH; y++)
    for (let x = 0; x < g.inW; x++) counts[y * g.inW + x] = p.counts[(y + g.pads[0]) * p.cols + x + g.pads[2]]!;
  const range: [number, number] = [0, maxCount];
  const map = store.settings.colormap;
  const caption = participationCaption(g, p);
  const view = new MapView({
    h: g.inH,
    w: g.inW,
    pads: g.pads,
    box: g.rank === 1 ? 300 : 200,
    label: `${t('participation')}: ${caption.summary}; ${caption.counts}`,
    padText: null,
    paint: (cv) => drawValues(cv, counts, 0, g.inH, g.inW, range, map),
    cellText: (y, x) => {
      const n = counts[y * g.inW + x]!;
      return { text: String(n), ink: inkOn(colorOf(n, range, map)) };
    },
  });
  col.append(view.root, ...captionBlock(g, p));
  if (g.inH * g.inW <= MAX_TABLE_CELLS) col.append(countsTable(g, p, caption.summary));
  if (mode !== 'layer') col.append(el('p', 'muted small', mode === 'valid' ? t('validExplain') : t('sameExplain')));
  return col;
}

export function paddingCard(v: LayerView): HTMLElement {
  const g = v.geometry!;
  const valid = withPadding(g, 'valid');
  const same = withPadding(g, 'same');
  const samePads = (a: Geometry | null): boolean => !!a && a.pads.every((p, i) => p === g.pads[i]);
  const isValid = paddingKind(g) === 'valid';
  const isSame = !isValid && (g.padding === 'same' || samePads(same));
  const box = card(t('paddingCompare'), 'compare');
  const heads = [valid, same, isValid || isSame ? null : g].filter((x): x is Geometry => x !== null);
  const maxCount = Math.max(1, ...heads.map((x) => participation(x).counts.reduce((a, b) => Math.max(a, b), 0)));
  const cols = el('div', 'compare-cols');
  cols.append(column('valid', valid, g, isValid, maxCount), column('same', same, g, isSame, maxCount));
  if (!isValid && !isSame) cols.append(column('layer', g, g, true, maxCount));
  box.head.append(el('span', 'muted small', t('participation')));
  box.body.append(cols);
  return box.root;
}
