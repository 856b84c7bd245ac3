/**
 * An image batch moved between the two layouts, NCHW ⇄ NHWC: the same values, permuted. The
 * runtime keeps a channels-first (PyTorch) model's activations channels-last between the layers
 * that compute the same in either layout, and moves them back only where one is read as
 * channels-first. On the SIMD path through the convolutions' blocked transposes; else permute.
 */
import { permute } from './axes';
import { fail } from './errors';
import { formatShape, tensor, type Tensor } from './tensor';
import { fastRelayout } from './wasm/conv';

function moved(x: Tensor, toLast: boolean, op: string): Tensor {
  if (x.shape.length !== 4) fail('bad-argument', `${op}: expected a 4-D image batch, got ${formatShape(x.shape)}`);
  const [n, d1, d2, d3] = x.shape as unknown as [number, number, number, number];
  const [c, h, w] = toLast ? [d1, d2, d3] : [d3, d1, d2];
  const fast = x.data.length > 0 ? fastRelayout(x.data, n, c, h, w, toLast) : null;
  if (fast) return tensor(toLast ? [n, h, w, c] : [n, c, h, w], fast, op);
  return permute(x, toLast ? [0, 2, 3, 1] : [0, 3, 1, 2], op);
}

/** (n, c, h, w) → (n, h, w, c). */
export function toChannelsLast(x: Tensor, op = 'toChannelsLast'): Tensor {
  return moved(x, true, op);
}

/** (n, h, w, c) → (n, c, h, w). */
export function toChannelsFirst(x: Tensor, op = 'toChannelsFirst'): Tensor {
  return moved(x, false, op);
}
