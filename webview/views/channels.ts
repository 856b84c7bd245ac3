/**
 * "A filter sums over every input channel": for the selected filter and the stamp's output cell,
 * the partial sum Σ x·w of each input channel (its kernel slice drawn small beside it), then
 * Σ over the channels + bias = the value before the activation — recomputed here from the input
 * and kernels the host sent, and compared with the engine's value. The kernel is as deep as the
 * input (필터의 깊이 = 입력의 깊이). Channels the host did not send (MAX_VIEW_CHANNELS) are named.
 */
import type { LayerView } from '../../src/shared/protocol';
import { activate, agrees, at, channelsOfFilter, paddedAt } from '../arithmetic';
import { card, el } from '../dom';
import { fmt } from '../format';
import { windowCells } from '../geometry';
import { t } from '../i18n';
import { drawValues, finiteRange, symmetric } from '../raster';
import { store } from '../store';
import { channelName } from './labels';

export interface ChannelPart {
  channel: number;
  /** Σ x·w over this channel's window (padding counts as 0). */
  sum: number;
  /** Offset of this channel's kernel slice in kernels.data. */
  kernelOffset: number;
}

export interface ChannelSums {
  parts: ChannelPart[];
  bias: number;
  /** Σ parts + bias: the value before the activation. */
  pre: number;
  /** Input channels the filter reads that were not sent (their share of the sum is missing). */
  omitted: number;
}

/** The per-channel partial sums of filter f at output cell (oy, ox), in float64. */
export function channelSums(v: LayerView, f: number, oy: number, ox: number): ChannelSums | null {
  const g = v.geometry;
  const k = v.kernels;
  if (!g || !k || f >= k.shape[0]) return null;
  const [, cin, kh, kw] = k.shape;
  const { channels, complete } = channelsOfFilter(v, f);
  if (channels.length === 0) return null;
  const [H, W] = [v.input.shape[1], v.input.shape[2]];
  const win = windowCells(g, oy, ox);
  const parts = channels.map((c, i) => {
    const kernelOffset = (f * cin + i) * kh * kw;
    let sum = 0;
    win.forEach(({ gy, gx }, j) => {
      const [y, x] = [gy - g.pads[0], gx - g.pads[2]];
      const inside = y >= 0 && x >= 0 && y < H && x < W;
      if (!inside && (g.fill ?? 'zeros') === 'zeros') return;
      sum += paddedAt(v.input, g, c, y, x) * k.data[kernelOffset + j]!;
    });
    return { channel: c, sum, kernelOffset };
  });
  const bias = k.bias ? (k.bias[f] ?? 0) : 0;
  const pre = parts.reduce((a, p) => a + p.sum, 0) + bias;
  // a filter of a grouped convolution reads cin channels; a capped view fewer than the input has
  const reads = complete ? channels.length : Math.max(channels.length, v.input.totalChannels);
  return { parts, bias, pre, omitted: reads - channels.length };
}

/** A multi-channel convolution whose filters each read several channels (not depthwise). */
export function showsChannelSums(v: LayerView): boolean {
  return v.kind === 'conv' && !!v.kernels && !!v.geometry && v.kernels.shape[1] > 1;
}

export function channelsCard(v: LayerView): HTMLElement | null {
  if (!showsChannelSums(v)) return null;
  const k = v.kernels!;
  const [, , kh, kw] = k.shape;
  const box = card(t('sumTitle'), 'channel-sums');
  const head = el('span', 'muted small');
  box.head.append(head);
  const list = el('ol', 'sum-list');
  const total = el('p', 'sum-total');
  total.setAttribute('aria-live', 'polite');
  const note = el('p', 'muted small');
  box.body.append(el('p', 'hint', t('sumHint', { c: v.input.totalChannels, k: `${kh}×${kw}` })), list, total, note);
  const kRange = symmetric(finiteRange(k.data));
  let shown = '';

  function update(): void {
    const f = store.ui.filter;
    const { oy, ox } = store.ui.stamp;
    const key = `${f}:${oy}:${ox}`;
    if (key === shown) return;
    shown = key;
    const s = channelSums(v, f, oy, ox);
    if (!s) return;
    head.textContent = t('sumAt', { f, y: oy, x: ox });
    const biggest = Math.max(1e-12, ...s.parts.map((p) => Math.abs(p.sum)));
    list.replaceChildren(
      ...s.parts.map((p) => {
        const li = el('li', 'sum-row');
        li.dataset['channel'] = String(p.channel);
        li.dataset['sum'] = String(p.sum);
        const slice = el('canvas', 'sum-kernel pixelated');
        drawValues(slice, k.data, p.kernelOffset, kh, kw, kRange, 'blue-white-red');
        slice.setAttribute('role', 'img');
        slice.setAttribute('aria-label', t('sumKernel', { f, channel: channelName(v, p.channel) }));
        const bar = el('span', 'sum-bar');
        const fill = el('span', `sum-fill${p.sum < 0 ? ' neg' : ''}`);
        fill.style.width = `${(Math.abs(p.sum) / biggest) * 100}%`;
        bar.append(fill);
        li.append(
          slice,
          el('span', 'sum-name', channelName(v, p.channel)),
          bar,
          el('span', 'sum-value', `${p.sum >= 0 ? '+' : '−'}${fmt(Math.abs(p.sum))}`),
        );
        return li;
      }),
    );
    const engine = v.preActivation ?? v.output;
    const value = at(engine, f, oy, ox);
    const parts = s.parts.length;
    total.dataset['pre'] = String(s.pre);
    total.dataset['engine'] = String(value);
    const ok = s.omitted === 0 && agrees(s.pre, value);
    total.replaceChildren(
      el('span', '', t('sumLine', { n: parts, sum: fmt(s.pre - s.bias), bias: fmt(s.bias), pre: fmt(s.pre) })),
    );
    if (s.omitted === 0) {
      const act = v.preActivation && v.activation ? activate(v.activation, s.pre) : null;
      if (act !== null) total.append(el('span', '', ` → ${v.activation}: ${fmt(act)}`));
      total.append(
        el('span', `arith-verdict ${ok ? 'ok' : 'bad'}`, ` ${ok ? '✓' : '≠'} ${t('sumEngine', { v: fmt(value) })}`),
      );
    }
    note.textContent = s.omitted > 0 ? t('sumOmitted', { n: s.omitted, shown: parts }) : '';
  }

  update();
  // the stamp moves without a re-render: follow its readout
  requestAnimationFrame(() => {
    const readout = document.querySelector('.stage .stage-readout');
    if (!readout || !box.root.isConnected) return;
    new MutationObserver(() => {
      if (box.root.isConnected) update();
    }).observe(readout, { childList: true, characterData: true, subtree: true });
  });
  return box.root;
}
