/**
 * Size caps shared by the weight readers. Per tensor: the engine's element cap (getMaxElements),
 * since a tensor the engine cannot hold is useless to load. Per file: a multiple of it, so a file
 * of many just-under-cap tensors cannot exhaust memory either (every stored type is widened to
 * float32, so an int8 file grows 4× in memory).
 */
import { getMaxElements } from '../engine/tensor';
import { printable } from '../shared/text';
import { fmtInt, inputFail } from './errors';

export const MAX_TENSORS = 100_000;
/** HDF5's own rank limit; safetensors has none, but no real weight has more. */
export const MAX_RANK = 32;
/** File total = this × the per-tensor cap (default 8 × 2^26 elements = 2 GB of float32). */
const TOTAL_FACTOR = 8;

/** A name from a file, fit for a one-line message (the one helper all messages use). */
export { printable };

export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export class ElementBudget {
  private total = 0;
  private tensors = 0;

  constructor(private readonly file: string) {}

  /** Validates a stored shape (rank, integer dims, caps) and returns its element count. */
  take(name: string, shape: readonly unknown[]): number {
    if (++this.tensors > MAX_TENSORS) inputFail('too-large', `${this.file}: more than ${fmtInt(MAX_TENSORS)} tensors`);
    if (shape.length > MAX_RANK)
      inputFail(
        'corrupt',
        `${this.file}: tensor '${printable(name)}' has rank ${shape.length}, over the limit of ${MAX_RANK}`,
      );
    const cap = getMaxElements();
    let n = 1;
    for (const d of shape) {
      if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
        inputFail(
          'corrupt',
          `${this.file}: tensor '${printable(name)}' has an invalid dimension ${JSON.stringify(d) ?? String(d)} in its shape`,
        );
      }
      n *= d;
      // keep multiplying only while it can still matter, so n never loses precision
      if (n > cap) {
        inputFail(
          'too-large',
          `${this.file}: tensor '${printable(name)}' of shape ${shapeText(shape as number[])} has more than the ${fmtInt(cap)}-element limit`,
        );
      }
    }
    this.total += n;
    if (this.total > TOTAL_FACTOR * cap) {
      inputFail(
        'too-large',
        `${this.file}: the tensors hold more than ${fmtInt(TOTAL_FACTOR * cap)} elements in total (limit: ${TOTAL_FACTOR} × the ${fmtInt(cap)}-element tensor limit)`,
      );
    }
    return n;
  }
}
