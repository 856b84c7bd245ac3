/**
 * Flatten and Dense layers: for a flatten, how (C, H, W) cells are read into the vector
 * (channels-last for Keras, channels-first for PyTorch — the reason weights do not port by a
 * plain reshape), drawn on a small 3×2×2 example next to the real shape; the outputs as bars: probabilities after a
 * softmax, labelled by class with the top class marked, or values around a zero line. Long
 * vectors are drawn as a wrapped colour strip.
 */
import type { LayerView, TensorView } from '../../src/shared/protocol';
import { card, el } from '../dom';
import { fmt, fmtInt, fmtPct } from '../format';
import { t } from '../i18n';
import { drawValues } from '../raster';
import { store } from '../store';
import { shapeText } from './labels';
import { legend } from './legend';

/** Vectors longer than this are drawn as a strip rather than bars. */
const MAX_BARS = 128;
const EX = { c: 3, h: 2, w: 2 };

function orderDiagram(order: 'channels-last' | 'channels-first', current: boolean): HTMLElement {
  const box = el('div', `flatten-order${current ? ' current' : ''}`);
  box.dataset['order'] = order;
  box.append(el('h3', 'compare-title', order === 'channels-last' ? t('channelsLastTitle') : t('channelsFirstTitle')));
  if (current) box.firstElementChild!.append(el('span', 'badge subtle', t('thisLayer')));
  const index = (c: number, y: number, x: number): number =>
    order === 'channels-last' ? (y * EX.w + x) * EX.c + c : (c * EX.h + y) * EX.w + x;
  const stack = el('div', 'fo-stack');
  stack.setAttribute('aria-hidden', 'true');
  for (let c = 0; c < EX.c; c++) {
    const wrap = el('div', 'fo-plane-wrap');
    const plane = el('div', 'fo-plane');
    for (let y = 0; y < EX.h; y++)
      for (let x = 0; x < EX.w; x++) plane.append(el('span', `fo-cell ch-${c}`, String(index(c, y, x))));
    wrap.append(plane, el('span', 'fo-label', `c=${c}`));
    stack.append(wrap);
  }
  const vector = el('div', 'fo-vector');
  vector.setAttribute('aria-hidden', 'true');
  const cells: HTMLElement[] = new Array(EX.c * EX.h * EX.w);
  for (let c = 0; c < EX.c; c++)
    for (let y = 0; y < EX.h; y++)
      for (let x = 0; x < EX.w; x++) cells[index(c, y, x)] = el('span', `fo-cell ch-${c}`, String(index(c, y, x)));
  vector.append(...cells);
  const art = el('div', 'fo-art');
  art.append(stack, el('span', 'fo-arrow', '↓'), vector);
  box.append(
    art,
    el('p', 'muted small', order === 'channels-last' ? t('channelsLastExplain') : t('channelsFirstExplain')),
  );
  return box;
}

/** Where index i of the flattened vector is read from: (c, h, w) in the framework's order. */
export function flattenSource(
  order: 'channels-last' | 'channels-first',
  C: number,
  H: number,
  W: number,
  i: number,
): { c: number; h: number; w: number } {
  if (order === 'channels-last') return { c: i % C, w: Math.floor(i / C) % W, h: Math.floor(i / (C * W)) };
  return { w: i % W, h: Math.floor(i / W) % H, c: Math.floor(i / (W * H)) };
}

/** A few indices of the real vector and the cell each is read from, with both values. */
function readingList(v: LayerView): HTMLElement {
  const [, H, W] = v.input.shape;
  const C = v.input.totalChannels;
  const order = v.flattenOrder!;
  const n = C * H * W;
  const inner = order === 'channels-last' ? C : W;
  const picks = [...new Set([0, 1, inner - 1, inner, inner + 1, n - 1])]
    .filter((i) => i >= 0 && i < n)
    .sort((a, b) => a - b);
  const list = el('ul', 'flatten-reading');
  for (const i of picks) {
    const s = flattenSource(order, C, H, W, i);
    const cell = order === 'channels-last' ? `(${s.h}, ${s.w}, ${s.c})` : `(${s.c}, ${s.h}, ${s.w})`;
    const inVal = s.c < v.input.shape[0] ? v.input.data[(s.c * H + s.h) * W + s.w]! : null;
    const outVal = i < v.output.data.length ? v.output.data[i]! : null;
    const li = el('li', 'reading-row');
    li.dataset['index'] = String(i);
    li.dataset['cell'] = `${s.c},${s.h},${s.w}`;
    li.append(
      el('code', '', `[${i}] ← ${cell}`),
      el('span', 'muted', inVal !== null ? ` = ${fmt(inVal)}` : ''),
      el('span', 'muted', outVal !== null && inVal !== null && outVal === inVal ? ' ✓' : ''),
    );
    list.append(li);
  }
  const box = el('div', 'flatten-real');
  box.append(
    el('h3', 'compare-title', t('flattenReading', { axes: order === 'channels-last' ? '(h, w, c)' : '(c, h, w)' })),
    list,
  );
  return box;
}

function flattenCard(v: LayerView): HTMLElement {
  const box = card(t('flattenOrder'), 'flatten');
  const [, h, w] = v.input.shape;
  box.head.append(
    el(
      'span',
      'badge subtle',
      t('flattenReal', { shape: shapeText(v, v.input), n: fmtInt(v.input.totalChannels * h * w) }),
    ),
  );
  const both = el('div', 'compare-cols');
  const orders: ('channels-last' | 'channels-first')[] = ['channels-last', 'channels-first'];
  both.append(...orders.map((o) => orderDiagram(o, o === v.flattenOrder)));
  box.body.append(both);
  const vector = v.output.shape[0] === 1 && v.output.shape[1] === 1;
  if (v.flattenOrder && vector && v.input.shape[1] * v.input.shape[2] > 1) box.body.append(readingList(v));
  return box.root;
}

function bars(tv: TensorView, probabilities: boolean): HTMLElement {
  const n = tv.data.length;
  const values = Array.from(tv.data);
  // probabilities on their true 0…1 scale: an untrained model's near-uniform guess should look it
  const lo = probabilities ? 0 : Math.min(0, ...values);
  const hi = probabilities ? 1 : Math.max(0, ...values);
  const span = hi - lo || 1;
  const zero = ((0 - lo) / span) * 100;
  let top = 0;
  values.forEach((x, i) => {
    if (x > values[top]!) top = i;
  });
  const chart = el('div', `bars${n > 32 ? ' dense' : ''}`);
  chart.setAttribute('role', 'list');
  chart.dataset['top'] = String(top);
  values.forEach((x, i) => {
    const col = el('div', `bar${i === top ? ' top' : ''}`);
    col.setAttribute('role', 'listitem');
    const text = probabilities ? fmtPct(x) : fmt(x);
    col.setAttribute('aria-label', t('valueOf', { name: t('classN', { n: i }), v: text }));
    col.title = `${i}: ${text}`;
    col.dataset['value'] = String(x);
    const fill = el('div', `bar-fill${x < 0 ? ' neg' : ''}`);
    fill.style.height = `${(Math.abs(x) / span) * 100}%`;
    if (x >= 0) fill.style.bottom = `${zero}%`;
    else fill.style.top = `${100 - zero}%`;
    const track = el('div', 'bar-track');
    track.append(fill);
    col.append(track);
    if (n <= 32) col.append(el('span', 'bar-label', String(i)));
    if (n <= 16) col.append(el('span', 'bar-value', text));
    chart.append(col);
  });
  return chart;
}

/** A vector as a colour strip wrapped at 64 values a row, with its legend. */
export function vectorStrip(tv: TensorView, label: string): HTMLElement {
  const n = tv.data.length;
  const w = Math.min(n, 64);
  const h = Math.ceil(n / w);
  const padded = new Float32Array(w * h).fill(NaN);
  const caption = `${label} · ${t('perRow', { n: w })}`;
  padded.set(tv.data);
  const canvas = el('canvas', 'vector-strip pixelated');
  drawValues(canvas, padded, 0, h, w, [tv.min, tv.max], store.settings.colormap);
  canvas.style.width = `${Math.min(512, w * 8)}px`;
  canvas.style.height = `${(Math.min(512, w * 8) / w) * h}px`;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', caption);
  const box = el('div', 'strip-box');
  box.append(canvas, legend(store.settings.colormap, [tv.min, tv.max], caption));
  return box;
}

function outputsCard(v: LayerView): HTMLElement {
  const tv = v.output;
  const box = card(v.probabilities ? t('probabilities') : t('outputs'), 'outputs');
  if (tv.data.length <= MAX_BARS) {
    const chart = bars(tv, v.probabilities);
    const top = Number(chart.dataset['top']);
    if (v.probabilities) box.head.append(el('span', 'badge', t('topClass', { n: top, p: fmtPct(tv.data[top]!) })));
    box.body.append(chart);
  } else {
    box.body.append(vectorStrip(tv, t('vectorStrip', { n: fmtInt(tv.data.length) })));
  }
  return box.root;
}

export function denseCards(v: LayerView): HTMLElement[] {
  const cards: HTMLElement[] = [];
  if (v.kind === 'flatten') cards.push(flattenCard(v));
  cards.push(outputsCard(v));
  if (v.kind === 'dense') {
    const input = card(t('inputVector'), 'input-vector');
    input.body.append(vectorStrip(v.input, t('vectorStrip', { n: fmtInt(v.input.data.length) })));
    cards.push(input.root);
  }
  return cards;
}
