/**
 * What the panel knows: the last state the host sent (and its run id), the settings, the input
 * samples, and the learner's own choices (shown channel and filter, stamp position, colour scale,
 * what-if changes, predictions). Choices tied to one layer reset when another layer is shown.
 */
import type { LayerView, ModelState, PanelSettings, PanelState, TensorView, WhatIf } from '../src/shared/protocol';
import { planeRange } from './raster';

export interface WhatIfDraft {
  layerKey: string;
  /** What the learner changed, sent with every whatIf and applyWhatIf. */
  change: WhatIf;
  /** The values in the code, sent to go back to them. */
  original: WhatIf;
}

export interface Ui {
  channel: number;
  filter: number;
  showPre: boolean;
  normalization: PanelSettings['normalization'];
  /** Hide outputs until the shape is predicted. */
  quiz: boolean;
  /** Predictions by layer key: what the learner typed. */
  answers: Record<string, { h: number; w: number }>;
  /** The stamp's output cell; on a new layer, its livelyCell (see acceptState). */
  stamp: { oy: number; ox: number };
  whatIf: WhatIfDraft | null;
}

export interface Store {
  state: PanelState | null;
  /** Highest run id shown; a restored state does not count (the host's ids restart with it). */
  runId: number;
  settings: PanelSettings;
  samples: { id: string; label: string }[];
  ui: Ui;
  layerKey: string | null;
  /**
   * The layer key whose filter and stamp are still to be chosen: the host first says which layer
   * is selected (busy, no view yet), then sends its view — the choice waits for the view.
   */
  choosePending: string | null;
}

export const store: Store = {
  state: null,
  runId: -1,
  settings: { colormap: 'viridis', normalization: 'per-map', locale: 'en' },
  samples: [],
  ui: {
    channel: 0,
    filter: 0,
    showPre: false,
    normalization: 'per-map',
    quiz: false,
    answers: {},
    stamp: { oy: 0, ox: 0 },
    whatIf: null,
  },
  layerKey: null,
  choosePending: null,
};

export function keyOf(state: PanelState | null): string | null {
  if (!state || state.kind !== 'model') return null;
  return `${state.framework}:${state.modelName}#${state.selected}`;
}

/** The model state when one is shown. */
export function modelState(): ModelState | null {
  return store.state?.kind === 'model' ? store.state : null;
}

export function currentLayer(): LayerView | null {
  return modelState()?.layer ?? null;
}

/**
 * Takes a new state; per-layer choices reset when it shows another layer. The filter and the
 * stamp are chosen once the new layer's view arrives (it comes after a busy state without one
 * when the cursor moves to another layer): the first filter that responds, and on it the output
 * cell of largest |value| — a blank map or the all-zero padding corner teaches nothing.
 */
export function acceptState(state: PanelState): void {
  const key = keyOf(state);
  const ui = store.ui;
  if (key !== store.layerKey) {
    ui.channel = 0;
    ui.filter = 0;
    ui.stamp = { oy: 0, ox: 0 };
    if (ui.whatIf && ui.whatIf.layerKey !== key) ui.whatIf = null;
    store.layerKey = key;
    store.choosePending = key;
  }
  const v = state.kind === 'model' ? state.layer : null;
  if (v && key !== null && store.choosePending === key) {
    ui.channel = 0;
    ui.filter = v.kind !== 'pool' ? firstLively(v.output) : 0;
    ui.stamp = livelyCell(v.output, ui.filter);
    store.choosePending = null;
  }
  store.state = state;
  clampChoices();
}

/**
 * The cell of plane c with the largest |value|; among equals the one nearest the centre (so an
 * all-zero map starts in its middle, not its corner), then the first in reading order.
 */
export function livelyCell(t: TensorView, c: number): { oy: number; ox: number } {
  const [h, w] = [t.shape[1], t.shape[2]];
  const base = c * h * w;
  const [cy, cx] = [(h - 1) / 2, (w - 1) / 2];
  let best = 0;
  let bestAbs = -1;
  let bestDist = Infinity;
  for (let i = 0; i < h * w; i++) {
    const a = Math.abs(t.data[base + i]!);
    if (Number.isNaN(a) || a < bestAbs) continue;
    const d = (Math.floor(i / w) - cy) ** 2 + ((i % w) - cx) ** 2;
    if (a > bestAbs || d < bestDist) [best, bestAbs, bestDist] = [i, a, d];
  }
  return { oy: Math.floor(best / w), ox: best % w };
}

function firstLively(t: TensorView): number {
  for (let c = 0; c < t.shape[0]; c++) {
    const [lo, hi] = planeRange(t, c);
    if (hi > lo) return c;
  }
  return 0;
}

/** Keeps the channel, filter and stamp inside the layer that is shown. */
export function clampChoices(): void {
  const v = currentLayer();
  if (!v) return;
  const ui = store.ui;
  const clamp = (x: number, n: number): number => Math.max(0, Math.min(n - 1, x));
  ui.channel = clamp(ui.channel, v.kind === 'pool' ? v.output.shape[0] : v.input.shape[0]);
  ui.filter = clamp(ui.filter, v.output.shape[0]);
  ui.stamp = { oy: clamp(ui.stamp.oy, v.output.shape[1]), ox: clamp(ui.stamp.ox, v.output.shape[2]) };
}
