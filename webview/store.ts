/**
 * What the panel knows: the last state the host sent (and its run id), the settings, the input
 * samples, and the learner's own choices (shown channel and filter, stamp position, colour scale,
 * what-if changes, predictions). Choices tied to one layer reset when another layer is shown.
 */
import type { LayerView, ModelState, PanelSettings, PanelState, TensorView, WhatIf } from '../src/shared/protocol';
import { argmax } from './arithmetic';
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

/** Takes a new state; per-layer choices reset when it shows another layer. */
export function acceptState(state: PanelState): void {
  const key = keyOf(state);
  if (key !== store.layerKey) {
    const ui = store.ui;
    // start on the first filter that responds, where it responds most: a blank map or an empty
    // corner teaches nothing
    const v = state.kind === 'model' ? state.layer : null;
    ui.channel = 0;
    ui.filter = v && v.kind !== 'pool' ? firstLively(v.output) : 0;
    ui.stamp = v ? argmax(v.output, ui.filter) : { oy: 0, ox: 0 };
    if (ui.whatIf && ui.whatIf.layerKey !== key) ui.whatIf = null;
    store.layerKey = key;
  }
  store.state = state;
  clampChoices();
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
