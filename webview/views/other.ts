/**
 * Any other layer (activation, normalization, dropout, merge…): its explanation card when it has
 * one (./explain.ts; a merge: every input and the output, ./merge.ts), its input and output, as
 * map tiles when they are 2-D, as colour strips when they are vectors.
 */
import type { LayerView, TensorView } from '../../src/shared/protocol';
import { card, el } from '../dom';
import { fmt, fmtInt } from '../format';
import { t } from '../i18n';
import { rangeFor } from '../raster';
import { store } from '../store';
import { scaleControl } from './conv';
import { vectorStrip } from './dense';
import { explainCard } from './explain';
import { mergeCards } from './merge';
import { tileGrid } from './tiles';

function tensorCard(title: string, tv: TensorView, key: string, rerender: () => void): HTMLElement {
  const [n, h, w] = tv.shape;
  const box = card(title, 'maps');
  if (tv.totalChannels > n)
    box.head.append(el('span', 'muted small', t('showingChannels', { shown: n, total: tv.totalChannels })));
  if (h * w > 1) {
    const tools = el('div', 'card-tools');
    tools.append(scaleControl(rerender));
    box.head.append(tools);
    box.body.append(
      tileGrid({
        data: tv.data,
        offset: (i) => i * h * w,
        count: n,
        h,
        w,
        map: store.settings.colormap,
        range: (i) => rangeFor(tv, i, store.ui.normalization),
        caption: (i) => String(i),
        label: (i, r) => t('mapTile', { name: t('channelN', { c: i }), min: fmt(r[0]), max: fmt(r[1]) }),
        selected: -1,
        key,
        size: Math.min(96, Math.max(48, 2 * Math.max(h, w))),
        onSelect: () => undefined,
      }),
    );
  } else {
    box.body.append(vectorStrip(tv, t('vectorStrip', { n: fmtInt(tv.data.length) })));
  }
  return box.root;
}

export function otherCards(v: LayerView, rerender: () => void): HTMLElement[] {
  // a merge shows every input beside its output; other layers their explanation first
  const merge = mergeCards(v);
  if (merge.length) return merge;
  const explain = explainCard(v);
  return [
    ...(explain ? [explain] : []),
    tensorCard(t('input'), v.input, 'in', rerender),
    tensorCard(t('output'), v.output, 'out', rerender),
  ];
}
