/**
 * Words and sizes several views share: a channel's name (R, G, B for an RGB image), the padding
 * as the learner should read it, shapes in the framework's notation, the colour map of a layer's
 * input, and how large the stage's maps can be.
 */
import type { Geometry, LayerView, TensorView } from '../../src/shared/protocol';
import { paddingKind } from '../geometry';
import { t as tr } from '../i18n';
import { store } from '../store';

export function channelName(v: LayerView, c: number): string {
  const rgb = v.index === 0 && v.input.shape[0] === 3 ? ` (${'RGB'[c]})` : '';
  return `${tr('channelN', { c })}${rgb}`;
}

/** 'valid', 'same' or explicit pads (PyTorch padding=0 reads as 'valid'). */
export function paddingText(g: Geometry): string {
  const k = paddingKind(g);
  return k === 'same'
    ? tr('paddingSame')
    : k === 'valid'
      ? tr('paddingValid')
      : `${tr('paddingExplicit')} (${g.pads.join('/')})`;
}

/** The model's input is an image: gray reads as one. */
export function inputMap(v: LayerView): 'gray' | typeof store.settings.colormap {
  return v.index === 0 ? 'gray' : store.settings.colormap;
}

/**
 * The side of the large maps in a stage so input, kernel and output fit on one row: the main
 * column is the window less the side column (wide panels) and the page margins.
 */
export function stageBox(others: number): number {
  return Math.max(100, Math.min(300, Math.floor((mainWidth() - others - 110) / 2)));
}

/** Width inside a card of the main column, CSS pixels (see .work and .card-body in styles.css). */
export function mainWidth(): number {
  return window.innerWidth - 32 - (window.innerWidth >= 980 ? 332 : 0) - 26;
}

/** A (C, H, W) view's shape as the framework writes it: (H, W, C) for Keras. */
export function shapeText(v: LayerView, t: TensorView): string {
  const [c, h, w] = [t.totalChannels, t.shape[1], t.shape[2]];
  // a sequence (a 1-D layer's input or output): (length, channels) in Keras, (channels, length) in PyTorch
  if (h === 1 && v.geometry?.rank === 1) return v.framework === 'keras' ? `(${w}, ${c})` : `(${c}, ${w})`;
  if (h === 1 && c === 1) return `(${w})`;
  return v.framework === 'keras' ? `(${h}, ${w}, ${c})` : `(${c}, ${h}, ${w})`;
}
