/**
 * The stamp's arithmetic, recomputed in the panel from what the host sent (input, kernels, bias,
 * geometry) so the learner sees where an output value comes from — and so the panel can check it
 * equals the value the engine put in the feature map. Sums are in float64; the engine's float32
 * result agrees to a relative tolerance.
 * Groups: a filter of group g sees input channels g·cinPerGroup …; depthwise is groups = channels.
 * Pooling: max ignores padding (−∞ padding, both frameworks); average divides by whichever count
 * (real cells: Keras / count_include_pad=False, or the full window: PyTorch's default) reproduces
 * the engine's value.
 */
import {
  MAX_VIEW_CHANNELS,
  type Geometry,
  type LayerView,
  type PaddingFill,
  type TensorView,
} from '../src/shared/protocol';
import { windowCells } from './geometry';

export interface Cell {
  /** Input coordinates; outside the input means a padding cell. */
  y: number;
  x: number;
  pad: boolean;
  value: number;
}

export function at(t: TensorView, c: number, y: number, x: number): number {
  return t.data[(c * t.shape[1] + y) * t.shape[2] + x]!;
}

/** The cell of plane c holding its largest value (where a filter responds most). */
export function argmax(t: TensorView, c: number): { oy: number; ox: number } {
  const [h, w] = [t.shape[1], t.shape[2]];
  let best = 0;
  for (let i = 1; i < h * w; i++) if (t.data[c * h * w + i]! > t.data[c * h * w + best]!) best = i;
  return { oy: Math.floor(best / w), ox: best % w };
}

/**
 * The input index a padding cell repeats along one axis of `size` (i: its index, negative before
 * the input, ≥ size after it), as the layer's fill has it; −1 for zeros.
 */
export function fillIndex(fill: PaddingFill | undefined, size: number, i: number): number {
  if (i >= 0 && i < size) return i;
  switch (fill) {
    case 'reflect':
      return i < 0 ? -i : 2 * (size - 1) - i;
    case 'replicate':
      return i < 0 ? 0 : size - 1;
    case 'circular':
      return ((i % size) + size) % size;
    default:
      return -1;
  }
}

/** The value at input cell (y, x) of plane c, or what the padding holds there. */
export function paddedAt(t: TensorView, g: Geometry, c: number, y: number, x: number): number {
  const sy = fillIndex(g.fill, t.shape[1], y);
  const sx = fillIndex(g.fill, t.shape[2], x);
  return sy < 0 || sx < 0 ? 0 : at(t, c, sy, sx);
}

/** The window of output (oy, ox) on input channel c, padding cells as `pad` with the value they hold. */
function windowOf(t: TensorView, g: Geometry, c: number, oy: number, ox: number): Cell[] {
  const [H, W] = [t.shape[1], t.shape[2]];
  return windowCells(g, oy, ox).map(({ gy, gx }) => {
    const y = gy - g.pads[0];
    const x = gx - g.pads[2];
    const pad = y < 0 || x < 0 || y >= H || x >= W;
    return { y, x, pad, value: paddedAt(t, g, c, y, x) };
  });
}

/** Which input channels filter f reads, and where its kernel slice for each lives. */
export function channelsOfFilter(view: LayerView, f: number): { channels: number[]; complete: boolean } {
  const k = view.kernels!;
  const cinSent = k.shape[1];
  const inTotal = view.input.totalChannels;
  const outTotal = view.output.totalChannels;
  // the host sends at most MAX_VIEW_CHANNELS input channels of a kernel: the rest of the sum is unknown
  const capped = cinSent === MAX_VIEW_CHANNELS && inTotal > MAX_VIEW_CHANNELS;
  const groups = capped || inTotal % cinSent !== 0 ? 1 : inTotal / cinSent;
  const perGroup = Math.max(1, Math.floor(outTotal / groups));
  const g = Math.min(groups - 1, Math.floor(f / perGroup));
  const channels = Array.from({ length: cinSent }, (_, i) => g * cinSent + i);
  const complete = !capped && channels.every((c) => c < view.input.shape[0]);
  return { channels: channels.filter((c) => c < view.input.shape[0]), complete };
}

export interface ConvStamp {
  /** The shown channel (a filter that does not read the requested one shows its first) … */
  channel: number;
  /** … its window and the matching kernel weights. */
  cells: Cell[];
  weights: number[];
  channelSum: number;
  /** Σ over every input channel the filter reads (that was sent). */
  total: number;
  channels: number;
  complete: boolean;
  bias: number;
  pre: number;
  /** activation(pre) when the panel knows the function; null otherwise. */
  activated: number | null;
}

function kernelWeight(view: LayerView, f: number, i: number, ky: number, kx: number): number {
  const [, cin, kh, kw] = view.kernels!.shape;
  return view.kernels!.data[((f * cin + i) * kh + ky) * kw + kx]!;
}

export function convStamp(view: LayerView, f: number, shownChannel: number, oy: number, ox: number): ConvStamp | null {
  const g = view.geometry;
  if (!g || !view.kernels) return null;
  const { channels, complete } = channelsOfFilter(view, f);
  if (channels.length === 0) return null;
  const kw = g.kernel[1];
  const shownAt = Math.max(0, channels.indexOf(shownChannel));
  let total = 0;
  let cells: Cell[] = [];
  let weights: number[] = [];
  let channelSum = 0;
  channels.forEach((c, i) => {
    const win = windowOf(view.input, g, c, oy, ox);
    const w = win.map((_, j) => kernelWeight(view, f, i, Math.floor(j / kw), j % kw));
    let sum = 0;
    win.forEach((cell, j) => {
      sum += cell.value * w[j]!;
    });
    total += sum;
    if (i === shownAt) [cells, weights, channelSum] = [win, w, sum];
  });
  const bias = view.kernels.bias ? (view.kernels.bias[f] ?? 0) : 0;
  const pre = total + bias;
  return {
    channel: channels[shownAt]!,
    cells,
    weights,
    channelSum,
    total,
    channels: channels.length,
    complete,
    bias,
    pre,
    activated: activate(view.activation, pre),
  };
}

export interface PoolStamp {
  cells: Cell[];
  /** max: index of the winning cell; avg: −1. */
  winner: number;
  sum: number;
  divisor: number;
  value: number;
}

export function poolStamp(
  view: LayerView,
  mode: 'max' | 'avg',
  c: number,
  oy: number,
  ox: number,
  engineValue: number,
): PoolStamp | null {
  const g = view.geometry;
  if (!g) return null;
  const cells = windowOf(view.input, g, c, oy, ox);
  const real = cells.filter((x) => !x.pad);
  if (mode === 'max') {
    let winner = -1;
    cells.forEach((x, i) => {
      if (!x.pad && (winner < 0 || x.value > cells[winner]!.value)) winner = i;
    });
    return { cells, winner, sum: 0, divisor: 1, value: winner < 0 ? -Infinity : cells[winner]!.value };
  }
  const sum = real.reduce((a, x) => a + x.value, 0);
  const byReal = sum / Math.max(1, real.length);
  const byAll = sum / cells.length;
  const divisor =
    Math.abs(byAll - engineValue) < Math.abs(byReal - engineValue) ? cells.length : Math.max(1, real.length);
  return { cells, winner: -1, sum, divisor, value: sum / divisor };
}

/** Does a float64 recomputation agree with the engine's float32 value? */
export function agrees(computed: number, engine: number, scale = 1): boolean {
  return Math.abs(computed - engine) <= 1e-4 * Math.max(1, Math.abs(engine), scale);
}

function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7): enough for a 4-digit display
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}

const ACTIVATIONS: Record<string, (v: number) => number> = {
  linear: (v) => v,
  relu: (v) => Math.max(0, v),
  relu6: (v) => Math.min(6, Math.max(0, v)),
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  tanh: Math.tanh,
  elu: (v) => (v > 0 ? v : Math.expm1(v)),
  selu: (v) => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * Math.expm1(v)),
  softplus: (v) => Math.log1p(Math.exp(-Math.abs(v))) + Math.max(v, 0),
  softsign: (v) => v / (1 + Math.abs(v)),
  swish: (v) => v / (1 + Math.exp(-v)),
  silu: (v) => v / (1 + Math.exp(-v)),
  gelu: (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)),
  exponential: Math.exp,
};

/** activation(v) for the element-wise functions the panel knows; null for others. */
export function activate(fn: string | null, v: number): number | null {
  if (fn === null) return v;
  const f = ACTIVATIONS[fn];
  return f ? f(v) : null;
}
