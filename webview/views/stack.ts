/**
 * The feature maps as the block they form: one map per filter, stacked along the channel axis
 * into the layer's 3-D output — the textbook's (2, 2, 3) block of three 2×2 maps, here the real
 * (28, 28, 32). Drawn as a pile of offset maps, the selected one in front and the others behind it
 * in filter order, labelled with the output's shape in the framework's layout.
 */
import type { LayerView, TensorView } from '../../src/shared/protocol';
import { card, el } from '../dom';
import { t } from '../i18n';
import { drawPlane, rangeFor } from '../raster';
import { store } from '../store';
import { shapeText } from './labels';

/** The order the maps are drawn in, back to front: the selected map last (in front). */
export function stackOrder(count: number, selected: number): number[] {
  const front = Math.max(0, Math.min(count - 1, selected));
  const behind = Array.from({ length: count }, (_, i) => i).filter((i) => i !== front);
  return [...behind.reverse(), front];
}

/** Side of the front map and the step between maps, CSS pixels. */
function layout(count: number, h: number, w: number): { side: [number, number]; step: number } {
  const scale = 150 / Math.max(h, w);
  const side: [number, number] = [Math.max(8, Math.round(w * scale)), Math.max(8, Math.round(h * scale))];
  const step = count > 1 ? Math.max(1.5, Math.min(12, 130 / (count - 1))) : 0;
  return { side, step };
}

export function stackCard(v: LayerView, tv: TensorView, selected: number): HTMLElement {
  const [n, h, w] = tv.shape;
  const total = tv.totalChannels;
  const shape = shapeText(v, tv);
  const box = card(t('stackTitle'), 'stack-card');
  const label = t('stackLabel', { shape, n: total });
  box.head.append(el('span', 'badge subtle stack-shape', label));
  const { side, step } = layout(n, h, w);
  const depth = Math.round(step * (n - 1));
  const margin = 18;
  // room on the left for the H label
  const left = 44;
  const right = 44;
  const cssW = side[0] + depth + left + right;
  const cssH = side[1] + depth + 2 * margin;
  const dpr = Math.max(1, Math.min(2, window.devicePixelRatio || 1));
  const canvas = el('canvas', 'stack-canvas');
  canvas.width = Math.round(cssW * dpr);
  canvas.height = Math.round(cssH * dpr);
  canvas.style.width = `${cssW}px`;
  canvas.style.height = `${cssH}px`;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `${label}. ${t('stackFront', { f: selected })}`);
  canvas.dataset['count'] = String(n);
  canvas.dataset['front'] = String(selected);
  const ctx = canvas.getContext('2d')!;
  ctx.scale(dpr, dpr);
  ctx.imageSmoothingEnabled = false;
  const ink = getComputedStyle(document.body).color || '#888';
  const plane = el('canvas');
  const order = stackOrder(n, selected);
  // map i at depth d (0 = front) sits d steps up and to the right of the front map
  order.forEach((i, k) => {
    const d = n - 1 - k;
    const x = left + d * step;
    const y = margin + depth - d * step;
    drawPlane(plane, tv, i, rangeFor(tv, i, store.ui.normalization), store.settings.colormap);
    ctx.globalAlpha = d === 0 ? 1 : 0.92;
    ctx.drawImage(plane, x, y, side[0], side[1]);
    ctx.globalAlpha = 1;
    ctx.lineWidth = d === 0 ? 2 : 1;
    ctx.strokeStyle = ink;
    ctx.strokeRect(x + 0.5, y + 0.5, side[0] - 1, side[1] - 1);
  });
  // the three axes of the block: H and W on the front map, C into the depth
  ctx.fillStyle = ink;
  ctx.font = '11px sans-serif';
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  ctx.fillText(`H ${h}`, left - 6, margin + depth + side[1] / 2);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillText(`W ${w}`, left + side[0] / 2 - 12, margin + depth + side[1] + 3);
  // below the block's lower right edge, which runs into the depth (nothing is drawn there)
  ctx.textBaseline = 'top';
  ctx.fillText(`C ${total}`, left + side[0] + depth / 2 + 8, margin + side[1] + depth / 2 + 4);
  const fig = el('figure', 'stack-fig');
  fig.append(canvas, el('figcaption', 'muted small', t('stackFront', { f: selected })));
  box.body.append(fig, el('p', 'muted small', t('stackExplain', { n: total, shape })));
  if (total > n) box.body.append(el('p', 'muted small', t('showingChannels', { shown: n, total })));
  return box.root;
}
