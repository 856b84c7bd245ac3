/**
 * The convolution stage — the textbook's stamp (도장): the input with its padding ring, the
 * kernel, and the feature map side by side. Pointing at (or stepping to) an output cell puts the
 * stamp on its window of the input (stride, dilation and padding included) and writes out the
 * arithmetic; pointing at an input cell lights up every output cell that uses it. A 1-D layer
 * (a sequence: Conv1D, nn.Conv1d) is the same stage on 1×L strips, its sizes read as lengths.
 */
import type { LayerView } from '../../src/shared/protocol';
import { channelsOfFilter, convStamp, at } from '../arithmetic';
import { inkOn } from '../colormap';
import { card, el, select } from '../dom';
import { fmt } from '../format';
import { sizeText, usersOf, windowCells } from '../geometry';
import { persistSoon } from '../host';
import { t } from '../i18n';
import { MapView, type GridCell } from '../mapview';
import { colorOf, drawPlane, drawValues, finiteRange, planeRange, rangeFor, symmetric } from '../raster';
import { store } from '../store';
import { convArith } from './arith';
import { channelName, inputMap, mainWidth, stageBox } from './labels';
import { presetPicker } from './presets';
import { Player, type Cursor } from './player';

/** Width of the preset picker under the stage's kernel (.stage-fig .preset-pick in styles.css). */
const PICKER_WIDTH = 150;

export function convStage(v: LayerView, hidden: boolean, rerender: () => void): HTMLElement {
  const g = v.geometry!;
  const k = v.kernels!;
  const ui = store.ui;
  const f = ui.filter;
  const { channels } = channelsOfFilter(v, f);
  const c = channels.includes(ui.channel) ? ui.channel : (channels[0] ?? 0);
  const kIndex = Math.max(0, channels.indexOf(c));
  const pre = ui.showPre && v.preActivation !== null;
  const out = pre ? v.preActivation! : v.output;
  const box = card(`${t('stage')} · ${t('filterN', { f })}`, 'stage');

  const filterPick = select(
    t('filter'),
    Array.from({ length: v.output.shape[0] }, (_, i) => ({ value: i, text: String(i) })),
    f,
    (i) => {
      ui.filter = i;
      rerender();
    },
    'stage-filter',
  );
  box.head.append(filterPick);
  if (v.input.shape[0] > 1) {
    box.head.append(
      select(
        t('channel'),
        channels.map((i) => ({ value: i, text: channelName(v, i) })),
        c,
        (i) => {
          ui.channel = i;
          rerender();
        },
        'stage-channel',
      ),
    );
  }

  const kBox = Math.min(150, 46 * Math.max(k.shape[2], k.shape[3]), Math.round(mainWidth() / 4));
  // a sequence reads "10", a kernel of three "3"; an image "28×28", "3×3"
  const dims = (h: number, w: number): string => sizeText(g, h, w);
  // the kernel's figure is as wide as its preset picker at least
  const side = stageBox(g.rank === 2 ? Math.max(kBox, PICKER_WIDTH) : kBox);
  const inRange = planeRange(v.input, c);
  const inMap = inputMap(v);
  const input = new MapView({
    h: g.inH,
    w: g.inW,
    pads: g.pads,
    box: side,
    label: `${t('input')}, ${channelName(v, c)}, ${dims(g.inH, g.inW)}`,
    paint: (cv) => drawPlane(cv, v.input, c, inRange, inMap),
    cellText: (y, x) => {
      const val = at(v.input, c, y, x);
      return { text: fmt(val, 2), ink: inkOn(colorOf(val, inRange, inMap)) };
    },
    onHover: (cell) => (cell ? showUsers(cell) : moveTo(ui.stamp)),
  });
  const kRange = symmetric(finiteRange(k.data));
  const [kh, kw] = [k.shape[2], k.shape[3]];
  const kOffset = (f * k.shape[1] + kIndex) * kh * kw;
  const kernel = new MapView({
    h: kh,
    w: kw,
    box: kBox,
    label: t('kernelTile', { f, channel: channelName(v, c), min: fmt(kRange[0]), max: fmt(kRange[1]) }),
    paint: (cv) => drawValues(cv, k.data, kOffset, kh, kw, kRange, 'blue-white-red'),
    cellText: (y, x) => {
      const w = k.data[kOffset + y * kw + x]!;
      return { text: fmt(w, 2), ink: inkOn(colorOf(w, kRange, 'blue-white-red')) };
    },
  });
  const outRange = rangeFor(out, f, ui.normalization);
  const output = hidden
    ? null
    : new MapView({
        h: g.outH,
        w: g.outW,
        box: side,
        label: `${t('featureMapN', { f })}, ${dims(g.outH, g.outW)}`,
        paint: (cv) => drawPlane(cv, out, f, outRange, store.settings.colormap),
        cellText: (y, x) => {
          const val = at(out, f, y, x);
          return { text: fmt(val, 2), ink: inkOn(colorOf(val, outRange, store.settings.colormap)) };
        },
        onHover: (cell) => {
          if (cell) {
            player.stop();
            moveTo({ oy: cell.gy, ox: cell.gx });
          }
        },
        onClick: () => output?.root.focus(),
      });

  const figure = (caption: string, ...content: HTMLElement[]): HTMLElement => {
    const fig = el('figure', 'stage-fig');
    fig.append(el('figcaption', '', caption), ...content);
    return fig;
  };
  const padded = g.pads.some((p) => p > 0) ? ` + ${t('pad')}` : '';
  const row = el('div', 'stage-row');
  row.append(
    figure(`${t('input')} · ${channelName(v, c)} · ${dims(g.inH, g.inW)}${padded}`, input.root),
    el('div', 'stage-op', '×'),
    // the presets are 3×3 image filters: none for a sequence's kernel
    figure(
      `${t('kernel')} · ${dims(kh, kw)}`,
      kernel.root,
      ...(g.rank === 2 ? [presetPicker(v, f, 'preset-stage')] : []),
    ),
    el('div', 'stage-op', '='),
    figure(
      `${pre ? t('beforeActivation', { fn: v.activation ?? '' }) : t('featureMapN', { f })} · ${hidden ? '?' : dims(g.outH, g.outW)}`,
      output?.root ?? el('div', 'hidden-output', t('hiddenOutput')),
    ),
  );
  const readout = el('div', 'stage-readout');
  readout.setAttribute('aria-live', 'polite');
  const arith = el('div', 'arith-slot');
  const player = new Player(
    g.outH,
    g.outW,
    () => ui.stamp,
    (p) => moveTo(p),
    'stamp',
  );
  const bar = el('div', 'stage-bar');
  const notes = el('div', 'stage-notes');
  if (g.strides[0] > 1 || g.strides[1] > 1)
    notes.append(
      el('span', 'muted', t('strideNote', { s: g.strides[0] === g.strides[1] ? g.strides[0] : g.strides.join('×') })),
    );
  bar.append(player.controls, readout, notes);
  box.body.append(el('p', 'hint', t('stageHint')), row, bar, arith);

  function moveTo(p: Cursor): void {
    ui.stamp = p;
    input.setMarks([{ style: 'window', cells: windowCells(g, p.oy, p.ox) }]);
    output?.setMarks([{ style: 'cursor', cells: [{ gy: p.oy, gx: p.ox }] }]);
    readout.textContent = g.rank === 1 ? t('stampAtStep', { x: p.ox }) : t('stampAt', { y: p.oy, x: p.ox });
    const s = convStamp(v, f, c, p.oy, p.ox);
    if (s && !hidden)
      arith.replaceChildren(convArith(v, s, { value: at(out, f, p.oy, p.ox), pre }, channelName(v, s.channel)));
    persistSoon();
  }

  function showUsers(cell: GridCell): void {
    const [iy, ix] = [cell.gy - g.pads[0], cell.gx - g.pads[2]];
    if (iy < 0 || ix < 0 || iy >= g.inH || ix >= g.inW) return;
    const users = usersOf(g, iy, ix);
    input.setMarks([{ style: 'cursor', cells: [cell] }]);
    output?.setMarks([{ style: 'users', cells: users.map((u) => ({ gy: u.oy, gx: u.ox })) }]);
    readout.textContent =
      g.rank === 1
        ? t('inputStepUsed', { x: ix, n: users.length })
        : t('inputCellUsed', { y: iy, x: ix, n: users.length });
  }

  if (output) {
    output.root.tabIndex = 0;
    output.root.dataset['focusKey'] = 'stamp-output';
    output.root.classList.add('interactive');
    output.root.setAttribute('role', 'application');
    output.root.setAttribute('aria-roledescription', t('stage'));
    player.bindKeys(output.root);
  }
  moveTo(ui.stamp);
  return box.root;
}
