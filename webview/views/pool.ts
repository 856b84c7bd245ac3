/**
 * A pooling layer: one input map beside its max-pooled and average-pooled results (the layer's
 * own mode and the other one, computed by the host on the same input). Pointing at a pooled cell
 * lights its window on the input — the winning cell for max, every averaged cell for average —
 * and writes the result out. Input cells no window ever reaches (the border a 'valid' pool drops
 * when the size is not a multiple of the stride) are hatched.
 */
import type { LayerView, TensorView } from '../../src/shared/protocol';
import { at, poolStamp } from '../arithmetic';
import { inkOn } from '../colormap';
import { later } from '../deferred';
import { card, el, select } from '../dom';
import { dims, fmt } from '../format';
import { participation, windowCells } from '../geometry';
import { t } from '../i18n';
import { MapView, type Mark } from '../mapview';
import { colorOf, drawPlane, planeRange, rangeFor } from '../raster';
import { store } from '../store';
import { poolArith } from './arith';
import { scaleControl } from './conv';
import { Player, type Cursor } from './player';
import { channelName, inputMap, stageBox } from './labels';
import { strideCard } from './stride';
import { tileGrid } from './tiles';

function stage(v: LayerView, hidden: boolean, rerender: () => void): HTMLElement {
  const g = v.geometry!;
  const ui = store.ui;
  const c = ui.channel;
  const box = card(`${v.poolMode === 'max' ? t('poolMax') : t('poolAvg')} · ${channelName(v, c)}`, 'stage pool-stage');
  if (v.input.shape[0] > 1) {
    box.head.append(
      select(
        t('channel'),
        Array.from({ length: v.output.shape[0] }, (_, i) => ({ value: i, text: channelName(v, i) })),
        c,
        (i) => {
          ui.channel = i;
          rerender();
        },
        'pool-channel',
      ),
    );
  }
  const p = participation(g);
  const dropped = (y: number, x: number): boolean => p.counts[(y + g.pads[0]) * p.cols + x + g.pads[2]] === 0;
  const inRange = planeRange(v.input, c);
  const map = inputMap(v);
  const input = new MapView({
    h: g.inH,
    w: g.inW,
    pads: g.pads,
    box: stageBox(0),
    label: `${t('input')}, ${channelName(v, c)}`,
    paint: (cv) => drawPlane(cv, v.input, c, inRange, map),
    hatched: dropped,
    cellText: (y, x) => {
      const val = at(v.input, c, y, x);
      return { text: fmt(val, 2), ink: inkOn(colorOf(val, inRange, map)) };
    },
  });
  const modes: { mode: 'max' | 'avg'; t: TensorView }[] = [];
  const other = v.otherPool;
  if (v.poolMode === 'max' || other) modes.push({ mode: 'max', t: v.poolMode === 'max' ? v.output : other! });
  if (v.poolMode === 'avg' || other) modes.push({ mode: 'avg', t: v.poolMode === 'avg' ? v.output : other! });
  const readout = el('div', 'stage-readout');
  readout.setAttribute('aria-live', 'polite');
  const arith = el('div', 'arith-slot');
  // the same window's maximum and average side by side, the layer's own mode marked
  const both = el('p', 'pool-both');
  let active: 'max' | 'avg' = v.poolMode ?? 'max';
  const outputs = modes.map(({ mode, t: tv }) => {
    // both results share one scale so max and average can be compared by colour
    const r = rangeFor(tv, c, ui.normalization);
    const shared: [number, number] = [Math.min(r[0], inRange[0]), Math.max(r[1], inRange[1])];
    const view = new MapView({
      h: g.outH,
      w: g.outW,
      box: Math.round(stageBox(0) * 0.7),
      label: `${mode === 'max' ? t('poolMax') : t('poolAvg')}, ${dims(g.outH, g.outW)}`,
      paint: (cv) => drawPlane(cv, tv, c, shared, store.settings.colormap),
      cellText: (y, x) => {
        const val = at(tv, c, y, x);
        return { text: fmt(val, 2), ink: inkOn(colorOf(val, shared, store.settings.colormap)) };
      },
      onHover: (cell) => {
        if (cell) {
          player.stop();
          active = mode;
          moveTo({ oy: cell.gy, ox: cell.gx });
        }
      },
      onClick: () => view.root.focus(),
    });
    view.root.tabIndex = 0;
    view.root.dataset['focusKey'] = `pool-${mode}`;
    view.root.dataset['mode'] = mode;
    view.root.classList.add('interactive');
    view.root.setAttribute('role', 'application');
    view.root.addEventListener('focus', () => {
      active = mode;
      moveTo(ui.stamp);
    });
    return { mode, tv, view };
  });
  const player = new Player(
    g.outH,
    g.outW,
    () => ui.stamp,
    (q) => moveTo(q),
    'pool',
  );
  for (const o of outputs) player.bindKeys(o.view.root);

  const row = el('div', 'stage-row');
  const fig = (caption: string, content: HTMLElement, cls = ''): HTMLElement => {
    const f = el('figure', `stage-fig ${cls}`.trim());
    f.append(el('figcaption', '', caption), content);
    return f;
  };
  row.append(fig(`${t('input')} · ${dims(g.inH, g.inW)}`, input.root), el('div', 'stage-op', '→'));
  for (const o of outputs) {
    const title = `${o.mode === 'max' ? t('poolMax') : t('poolAvg')}${o.mode === v.poolMode ? ` · ${t('thisLayer')}` : ''}`;
    row.append(
      fig(
        `${title} · ${hidden ? '?' : dims(g.outH, g.outW)}`,
        hidden ? el('div', 'hidden-output', t('hiddenOutput')) : o.view.root,
        o.mode === v.poolMode ? 'current' : '',
      ),
    );
  }
  const bar = el('div', 'stage-bar');
  bar.append(player.controls, readout);
  const anyDropped = Array.from({ length: g.inH }, (_, y) => y).some(
    (y) => dropped(y, g.inW - 1) || (y === g.inH - 1 && dropped(y, 0)),
  );
  if (anyDropped) bar.append(el('span', 'legend-hatch', t('dropped')));
  box.body.append(el('p', 'hint', t('poolHint')), row, bar, both, arith);

  function moveTo(q: Cursor): void {
    ui.stamp = q;
    const o = outputs.find((x) => x.mode === active) ?? outputs[0];
    if (!o || hidden) return;
    const engine = at(o.tv, c, q.oy, q.ox);
    const s = poolStamp(v, active, c, q.oy, q.ox, engine);
    if (!s) return;
    const win = windowCells(g, q.oy, q.ox);
    const marks: Mark[] = [
      { style: 'window', cells: win.filter((_, i) => (active === 'avg' ? !s.cells[i]!.pad : true)) },
    ];
    if (active === 'max' && s.winner >= 0) marks.push({ style: 'winner', cells: [win[s.winner]!] });
    input.setMarks(marks);
    for (const x of outputs) x.view.setMarks([{ style: 'cursor', cells: [{ gy: q.oy, gx: q.ox }] }]);
    const where = v.geometry?.rank === 1 ? t('stampAtStep', { x: q.ox }) : t('stampAt', { y: q.oy, x: q.ox });
    readout.textContent = `${active === 'max' ? t('poolMax') : t('poolAvg')} · ${where}`;
    arith.replaceChildren(poolArith(active, s, g.kernel[1], engine));
    both.replaceChildren(el('span', '', `${t('poolBoth', { y: q.oy, x: q.ox })} `));
    for (const x of outputs) {
      const value = at(x.tv, c, q.oy, q.ox);
      both.dataset[x.mode] = String(value);
      const part = el('span', `pool-both-value${x.mode === v.poolMode ? ' current' : ''}`);
      part.dataset['mode'] = x.mode;
      part.textContent = `${x.mode === 'max' ? t('poolMax') : t('poolAvg')} = ${fmt(value)}${x.mode === v.poolMode ? ` (${t('thisLayer')})` : ''}`;
      both.append(part);
    }
  }
  moveTo(ui.stamp);
  return box.root;
}

function pooledMaps(v: LayerView, rerender: () => void): HTMLElement {
  const [n, h, w] = v.output.shape;
  const ui = store.ui;
  const box = card(t('pooledMaps'), 'maps');
  if (v.output.totalChannels > n)
    box.head.append(el('span', 'muted small', t('showingChannels', { shown: n, total: v.output.totalChannels })));
  const tools = el('div', 'card-tools');
  tools.append(scaleControl(rerender));
  box.head.append(tools);
  box.body.append(
    tileGrid({
      data: v.output.data,
      offset: (i) => i * h * w,
      count: n,
      h,
      w,
      map: store.settings.colormap,
      range: (i) => rangeFor(v.output, i, ui.normalization),
      caption: (i) => String(i),
      label: (i, r) => t('mapTile', { name: channelName(v, i), min: fmt(r[0]), max: fmt(r[1]) }),
      selected: ui.channel,
      key: 'pooled',
      size: Math.min(80, Math.max(48, 3 * Math.max(h, w))),
      onSelect: (i) => {
        ui.channel = i;
        rerender();
      },
    }),
  );
  return box.root;
}

export function poolCards(v: LayerView, hidden: boolean, rerender: () => void): HTMLElement[] {
  if (!v.geometry) return [];
  if (hidden) return [stage(v, true, rerender)];
  return [stage(v, false, rerender), later(() => pooledMaps(v, rerender), 'maps', 420), later(() => strideCard(v))];
}
