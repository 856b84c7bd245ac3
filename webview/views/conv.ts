/**
 * A convolution layer: the stamp stage, the feature maps (one tile per filter, after the
 * activation or before it, per-map or per-layer colour scale), the kernels (blue-white-red around
 * zero, a preset picker under each), the 'valid' vs 'same' comparison and stride 1 vs 2.
 */
import type { LayerView } from '../../src/shared/protocol';
import { channelsOfFilter } from '../arithmetic';
import { later } from '../deferred';
import { card, checkbox, el, segmented } from '../dom';
import { fmt } from '../format';
import { post } from '../host';
import { t } from '../i18n';
import { finiteRange, rangeFor, symmetric } from '../raster';
import { store } from '../store';
import { legend } from './legend';
import { paddingCard } from './padding';
import { PRESETS, presetPicker } from './presets';
import { channelName } from './labels';
import { convStage } from './stamp';
import { strideCard } from './stride';
import { tileGrid } from './tiles';

/** Per-map / per-layer scale: told to the host (it remembers) and applied here at once. */
export function scaleControl(rerender: () => void): HTMLElement {
  return segmented(
    t('scale'),
    [
      { value: 'per-map', text: t('perMap') },
      { value: 'per-layer', text: t('perLayer') },
    ],
    store.ui.normalization,
    (value) => {
      if (value === store.ui.normalization) return;
      store.ui.normalization = value;
      post({ type: 'setNormalization', value });
      rerender();
    },
    'scale',
  );
}

function featureMaps(v: LayerView, rerender: () => void): HTMLElement {
  const ui = store.ui;
  const pre = ui.showPre && v.preActivation !== null;
  const out = pre ? v.preActivation! : v.output;
  const [n, h, w] = out.shape;
  const box = card(t('featureMaps'), 'maps');
  if (out.totalChannels > n)
    box.head.append(el('span', 'muted small', t('showingChannels', { shown: n, total: out.totalChannels })));
  const tools = el('div', 'card-tools');
  if (v.preActivation && v.activation)
    tools.append(
      checkbox(
        t('beforeActivation', { fn: v.activation }),
        ui.showPre,
        (on) => {
          ui.showPre = on;
          rerender();
        },
        'pre',
      ),
    );
  tools.append(scaleControl(rerender));
  box.head.append(tools);
  const sel = rangeFor(out, ui.filter, ui.normalization);
  box.body.append(
    legend(
      store.settings.colormap,
      sel,
      ui.normalization === 'per-layer' ? t('perLayer') : `${t('perMap')} · ${t('featureMapN', { f: ui.filter })}`,
    ),
  );
  box.body.append(
    tileGrid({
      data: out.data,
      offset: (i) => i * h * w,
      count: n,
      h,
      w,
      map: store.settings.colormap,
      range: (i) => rangeFor(out, i, ui.normalization),
      caption: (i) => String(i),
      label: (i, r) => t('mapTile', { name: t('featureMapN', { f: i }), min: fmt(r[0]), max: fmt(r[1]) }),
      selected: ui.filter,
      key: 'map',
      size: Math.min(96, Math.max(56, 2 * Math.max(h, w))),
      onSelect: (i) => {
        ui.filter = i;
        rerender();
        document.querySelector('.stage')?.scrollIntoView({ block: 'nearest' });
      },
    }),
  );
  return box.root;
}

function kernels(v: LayerView, rerender: () => void): HTMLElement {
  const k = v.kernels!;
  const [n, cin, kh, kw] = k.shape;
  const ui = store.ui;
  const c = Math.min(ui.channel, v.input.shape[0] - 1);
  const range = symmetric(finiteRange(k.data));
  const box = card(t('kernels'), 'kernels');
  box.head.append(el('span', 'muted small', t('kernelsFor', { channel: channelName(v, c) })));
  if (v.geometry?.rank !== 1) box.head.append(presetPicker(v, ui.filter, 'preset-card'));
  box.body.append(legend('blue-white-red', range, t('kernelLegend')));
  const presets = v.weights.kind === 'preset' ? v.weights.presets : [];
  const presetName = (f: number): string => {
    const p = PRESETS.find(([id]) => id === presets[f]);
    return p ? t(p[1]) : '';
  };
  const sliceOf = (f: number): number => Math.max(0, channelsOfFilter(v, f).channels.indexOf(c));
  box.body.append(
    tileGrid({
      data: k.data,
      offset: (f) => (f * cin + sliceOf(f)) * kh * kw,
      count: n,
      h: kh,
      w: kw,
      map: 'blue-white-red',
      range: () => range,
      caption: (f) => (presetName(f) ? `${f} · ${presetName(f)}` : String(f)),
      label: (f, r) => t('kernelTile', { f, channel: channelName(v, c), min: fmt(r[0]), max: fmt(r[1]) }),
      selected: ui.filter,
      key: 'kernel',
      size: 56,
      onSelect: (f) => {
        ui.filter = f;
        rerender();
      },
    }),
  );
  return box.root;
}

export function convCards(v: LayerView, hidden: boolean, rerender: () => void): HTMLElement[] {
  if (!v.geometry || !v.kernels) return [];
  const cards = [convStage(v, hidden, rerender)];
  if (hidden) {
    const maps = card(t('featureMaps'), 'maps');
    maps.body.append(el('p', 'hidden-output', t('hiddenOutput')));
    cards.push(maps.root);
  } else cards.push(later(() => featureMaps(v, rerender), 'maps', 420));
  cards.push(
    later(() => kernels(v, rerender), '', 420),
    later(() => paddingCard(v)),
  );
  // the stride comparison gives the output sizes away: not while the learner predicts them
  if (!hidden) cards.push(later(() => strideCard(v)));
  return cards;
}
