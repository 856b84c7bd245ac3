/**
 * Tensors: a flat Float32Array in row-major order plus a shape. Layouts are a property of the
 * op call, not of the tensor: Keras tensors are channels-last (N, H, W, C), PyTorch tensors are
 * channels-first (N, C, H, W).
 */
import { EngineError, fail } from './errors';

export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export type Layout = 'channelsLast' | 'channelsFirst';

/** Largest tensor the engine will allocate, in elements (2^27 floats = 512 MiB: VGG16's first dense kernel fits). */
export const DEFAULT_MAX_ELEMENTS = 1 << 27;
let maxElements = DEFAULT_MAX_ELEMENTS;

/** Sets the element cap (from the user's settings); returns the previous value. */
export function setMaxElements(n: number): number {
  const prev = maxElements;
  if (!Number.isInteger(n) || n < 1) {
    fail('bad-argument', `element cap must be a positive integer, got ${String(n)}`);
  }
  maxElements = n;
  return prev;
}

export function getMaxElements(): number {
  return maxElements;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Validates a shape and checks it against the element cap before anything is allocated. */
export function checkShape(op: string, shape: readonly number[]): number {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      fail('bad-shape', `${op}: invalid shape ${formatShape(shape)} (dimensions must be non-negative integers)`);
    }
  }
  const n = sizeOf(shape);
  if (n > maxElements) {
    throw new EngineError(
      'too-many-elements',
      `${op}: a tensor of shape ${formatShape(shape)} has ${n.toLocaleString('en-US')} elements, over the cap of ${maxElements.toLocaleString('en-US')}`,
    );
  }
  return n;
}

export function zeros(shape: readonly number[], op = 'zeros'): Tensor {
  const n = checkShape(op, shape);
  return { shape: [...shape], data: new Float32Array(n) };
}

/**
 * Node's allocator of memory that is not zeroed first (Buffer.allocUnsafeSlow: an ArrayBuffer of
 * its own); null elsewhere (browsers, whose typed arrays are always zeroed).
 */
const allocUnsafe: ((bytes: number) => Uint8Array) | null = (() => {
  const B = (globalThis as { Buffer?: { allocUnsafeSlow?: (bytes: number) => Uint8Array } }).Buffer;
  return typeof B?.allocUnsafeSlow === 'function' ? B.allocUnsafeSlow.bind(B) : null;
})();

/** Elements from which `unfilledFloats` skips the zeroing (below, it costs next to nothing). */
const UNFILLED_MIN = 1 << 14;

/**
 * An array every element of which the caller writes before anything reads it — a fast kernel's
 * result — where the platform can skip zeroing it first: the zeroing pass over a large fresh
 * result cost 12–15% of a 1×1 convolution or a max pooling. Anything that may read the array
 * before writing all of it (a reference loop that accumulates) must fill it first.
 */
export function unfilledFloats(n: number): Float32Array {
  if (n < UNFILLED_MIN || !allocUnsafe) return new Float32Array(n);
  const bytes = allocUnsafe(n * 4);
  return new Float32Array(bytes.buffer, bytes.byteOffset, n);
}

/** A tensor of `unfilledFloats`: the caller writes every value. */
export function unfilled(shape: readonly number[], op: string): Tensor {
  return { shape: [...shape], data: unfilledFloats(checkShape(op, shape)) };
}

/** Wraps existing data; the data length must match the shape. */
export function tensor(shape: readonly number[], data: ArrayLike<number>, op = 'tensor'): Tensor {
  const n = checkShape(op, shape);
  if (data.length !== n) {
    fail('bad-shape', `${op}: shape ${formatShape(shape)} needs ${n} values, got ${data.length}`);
  }
  return { shape: [...shape], data: data instanceof Float32Array ? data : Float32Array.from(data) };
}

export function requireRank(op: string, name: string, t: Tensor, rank: number): void {
  if (t.shape.length !== rank) {
    fail('bad-shape', `${op}: ${name} must have rank ${rank}, got shape ${formatShape(t.shape)}`);
  }
}

/** Element strides of a rank-4 image tensor, read as (n, h, w, c) whatever the layout. */
export interface ImageView {
  n: number;
  h: number;
  w: number;
  c: number;
  sN: number;
  sH: number;
  sW: number;
  sC: number;
}

export function imageView(op: string, t: Tensor, layout: Layout): ImageView {
  requireRank(op, 'input', t, 4);
  return layoutView(t.shape[0]!, ...spatialOf(t.shape, layout), layout);
}

function spatialOf(shape: readonly number[], layout: Layout): [number, number, number] {
  return layout === 'channelsLast' ? [shape[1]!, shape[2]!, shape[3]!] : [shape[2]!, shape[3]!, shape[1]!];
}

/** Strides for an (n, h, w, c) tensor stored in `layout`. */
export function layoutView(n: number, h: number, w: number, c: number, layout: Layout): ImageView {
  return layout === 'channelsLast'
    ? { n, h, w, c, sN: h * w * c, sH: w * c, sW: c, sC: 1 }
    : { n, h, w, c, sN: c * h * w, sH: w, sW: 1, sC: h * w };
}

export function imageShape(n: number, h: number, w: number, c: number, layout: Layout): number[] {
  return layout === 'channelsLast' ? [n, h, w, c] : [n, c, h, w];
}

/**
 * Lifts a rank-3 sequence tensor (Keras (N, L, C) / PyTorch (N, C, L)) to a rank-4 image tensor
 * with height 1, sharing the data.
 */
export function seqAsImage(op: string, t: Tensor, layout: Layout): Tensor {
  requireRank(op, 'input', t, 3);
  const [n, a, b] = t.shape as [number, number, number];
  return { shape: layout === 'channelsLast' ? [n, 1, a, b] : [n, a, 1, b], data: t.data };
}

/** Drops the height-1 axis added by seqAsImage. */
export function imageAsSeq(t: Tensor, layout: Layout): Tensor {
  const [n, a, b, c] = t.shape as [number, number, number, number];
  return { shape: layout === 'channelsLast' ? [n, b, c] : [n, a, c], data: t.data };
}
