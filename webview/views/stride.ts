/**
 * Stride 1 vs 2 side by side for a convolution or pooling layer, like the padding comparison: the
 * same input and kernel with the stamp moving one cell at a time and two, each with its output
 * size (the formula written out), the cells where each stamp position starts (outlined) over how
 * often every input cell is stamped, and the cells no position reaches. The layer's own stride is
 * marked "this layer"; a stride other than 1 and 2 gets a third column.
 */
import type { Geometry, LayerView } from '../../src/shared/protocol';
import { inkOn } from '../colormap';
import { card, el } from '../dom';
import { axisFormula, participation, participationFacts, sizeText, stampAnchors, withStride } from '../geometry';
import { t } from '../i18n';
import { MapView } from '../mapview';
import { colorOf, drawValues } from '../raster';
import { store } from '../store';

/** The output size with its arithmetic: one line per sliding axis, one when both read the same. */
export function strideFormula(g: Geometry): string {
  const w = axisFormula(g, 'w').text;
  if (g.rank === 1) return w;
  const h = axisFormula(g, 'h').text;
  return h === w ? `H, W: ${w}` : `H: ${h} · W: ${w}`;
}

/** The layer's stride when every sliding axis has the same one, else null. */
function layerStride(g: Geometry): number | null {
  return g.rank === 1 || g.strides[0] === g.strides[1] ? g.strides[1] : null;
}

function column(s: number | null, g: Geometry | null, current: boolean, maxCount: number): HTMLElement {
  const col = el('div', `stride-col${current ? ' current' : ''}`);
  col.dataset['stride'] = s === null ? 'layer' : String(s);
  const head = el('div', 'compare-head');
  head.append(el('h3', 'compare-title', s === null ? t('thisLayer') : t('strideTitle', { s })));
  if (current && s !== null) head.append(el('span', 'badge subtle', t('thisLayer')));
  col.append(head);
  if (!g) {
    col.append(el('p', 'muted', t('doesNotFit')));
    return col;
  }
  col.append(el('div', 'compare-size', `${sizeText(g, g.inH, g.inW)} → ${sizeText(g, g.outH, g.outW)}`));
  col.append(el('div', 'compare-formula muted small', strideFormula(g)));
  const p = participation(g);
  const facts = participationFacts(g, p);
  const counts = new Float32Array(g.inH * g.inW);
  for (let y = 0; y < g.inH; y++)
    for (let x = 0; x < g.inW; x++) counts[y * g.inW + x] = p.counts[(y + g.pads[0]) * p.cols + x + g.pads[2]]!;
  const range: [number, number] = [0, maxCount];
  const map = store.settings.colormap;
  const anchors = stampAnchors(g);
  const visits = t('strideVisits', { n: anchors.length });
  const view = new MapView({
    h: g.inH,
    w: g.inW,
    pads: g.pads,
    box: g.rank === 1 ? 300 : 200,
    label: `${t('strideTitle', { s: s ?? g.strides.join('×') })}: ${visits}`,
    padText: null,
    paint: (cv) => drawValues(cv, counts, 0, g.inH, g.inW, range, map),
    hatched: (y, x) => counts[y * g.inW + x] === 0,
    cellText: (y, x) => {
      const n = counts[y * g.inW + x]!;
      return { text: String(n), ink: inkOn(colorOf(n, range, map)) };
    },
  });
  view.setMarks([{ style: 'cursor', cells: anchors }]);
  col.append(view.root);
  const visitsEl = el('div', 'compare-summary', visits);
  Object.assign(visitsEl.dataset, {
    positions: String(anchors.length),
    starts: anchors.map((a) => (g.rank === 1 ? String(a.gx) : `${a.gy},${a.gx}`)).join(' '),
    unused: String(facts.unused),
  });
  col.append(visitsEl);
  if (facts.unused > 0) col.append(el('div', 'muted small', t('strideUnused', { n: facts.unused })));
  const st = s ?? layerStride(g) ?? 0;
  col.append(
    el(
      'p',
      'muted small',
      st === 1 ? t('strideExplain1') : st === 2 ? t('strideExplain2') : t('strideExplainN', { s: g.strides.join('×') }),
    ),
  );
  return col;
}

export function strideCard(v: LayerView): HTMLElement | null {
  const g = v.geometry;
  if (!g || (v.kind !== 'conv' && v.kind !== 'pool')) return null;
  const own = layerStride(g);
  const one = withStride(g, 1);
  const two = withStride(g, 2);
  const extra = own === 1 || own === 2 ? null : g;
  const shown = [one, two, extra].filter((x): x is Geometry => x !== null);
  const maxCount = Math.max(1, ...shown.map((x) => participation(x).counts.reduce((a, b) => Math.max(a, b), 0)));
  const box = card(t('strideCompare'), 'compare stride-compare');
  const cols = el('div', 'compare-cols');
  cols.append(column(1, one, own === 1, maxCount), column(2, two, own === 2, maxCount));
  if (extra) cols.append(column(own, extra, true, maxCount));
  box.body.append(cols);
  return box.root;
}
