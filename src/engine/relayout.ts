/**
 * An image batch moved between the two layouts, NCHW ⇄ NHWC: the same values, permuted. The
 * runtime keeps a channels-first (PyTorch) model's activations channels-last between the layers
 * that compute the same in either layout, and moves them back only where one is read as
 * channels-first. On the SIMD path through layout.wat's cache-blocked transposes; else permute.
 */
import { permute } from './axes';
import { fail } from './errors';
import { formatShape, zeros, type Tensor } from './tensor';
import { fastToChannelsFirst, fastToChannelsLast } from './wasm/relayout';

function dims(x: Tensor, op: string): [number, number, number, number] {
  if (x.shape.length !== 4) fail('bad-argument', `${op}: expected a 4-D image batch, got ${formatShape(x.shape)}`);
  return x.shape as unknown as [number, number, number, number];
}

/** (n, c, h, w) → (n, h, w, c). */
export function toChannelsLast(x: Tensor, op = 'toChannelsLast'): Tensor {
  const [n, c, h, w] = dims(x, op);
  const y = zeros([n, h, w, c], op);
  if (y.data.length > 0 && fastToChannelsLast(x.data, n, c, h, w, y.data)) return y;
  return permute(x, [0, 2, 3, 1], op);
}

/** (n, h, w, c) → (n, c, h, w). */
export function toChannelsFirst(x: Tensor, op = 'toChannelsFirst'): Tensor {
  const [n, h, w, c] = dims(x, op);
  const y = zeros([n, c, h, w], op);
  if (y.data.length > 0 && fastToChannelsFirst(x.data, n, c, h, w, y.data)) return y;
  return permute(x, [0, 3, 1, 2], op);
}
