/**
 * Dense / Linear on the last axis (Keras Dense on a rank>2 input acts on the last axis, as
 * does PyTorch's Linear). Keras kernels are (in, out) = 'IO'; PyTorch weights are (out, in) = 'OI'.
 */
import { fail } from './errors';
import { gemmAccumulate } from './gemm';
import { formatShape, zeros, type Tensor } from './tensor';

export interface DenseOptions {
  bias?: Tensor | null;
  kernelLayout: 'IO' | 'OI';
  name?: string;
}

export function dense(x: Tensor, kernel: Tensor, o: DenseOptions): Tensor {
  const op = o.name ?? (o.kernelLayout === 'IO' ? 'Dense' : 'Linear');
  if (kernel.shape.length !== 2) fail('bad-shape', `${op}: kernel must be 2-D, got ${formatShape(kernel.shape)}`);
  if (x.shape.length < 1) fail('bad-shape', `${op}: input must have at least one axis`);
  const [inF, outF] =
    o.kernelLayout === 'IO' ? [kernel.shape[0]!, kernel.shape[1]!] : [kernel.shape[1]!, kernel.shape[0]!];
  const last = x.shape[x.shape.length - 1]!;
  if (last !== inF) {
    fail(
      'channel-mismatch',
      `${op}: expects ${inF} input features, but the input ${formatShape(x.shape)} has ${last} on its last axis`,
    );
  }
  if (o.bias && (o.bias.shape.length !== 1 || o.bias.shape[0] !== outF)) {
    fail('channel-mismatch', `${op}: bias of shape ${formatShape(o.bias.shape)} does not match ${outF} units`);
  }
  const rows = x.data.length / inF;
  const out = zeros([...x.shape.slice(0, -1), outF], op);
  if (o.kernelLayout === 'OI') {
    // PyTorch (out, in): each output is a dot product of two contiguous rows; no transpose copy
    const w = kernel.data;
    for (let r = 0; r < rows; r++) {
      const xOff = r * inF;
      for (let j = 0; j < outF; j++) {
        const wOff = j * inF;
        let s0 = 0,
          s1 = 0,
          s2 = 0,
          s3 = 0;
        let k = 0;
        for (; k + 4 <= inF; k += 4) {
          s0 += x.data[xOff + k]! * w[wOff + k]!;
          s1 += x.data[xOff + k + 1]! * w[wOff + k + 1]!;
          s2 += x.data[xOff + k + 2]! * w[wOff + k + 2]!;
          s3 += x.data[xOff + k + 3]! * w[wOff + k + 3]!;
        }
        for (; k < inF; k++) s0 += x.data[xOff + k]! * w[wOff + k]!;
        out.data[r * outF + j] = s0 + s1 + s2 + s3 + (o.bias ? o.bias.data[j]! : 0);
      }
    }
    return out;
  }
  if (o.bias) for (let r = 0; r < rows; r++) out.data.set(o.bias.data, r * outF);
  gemmAccumulate(rows, outF, inF, x.data, 0, kernel.data, 0, out.data, 0);
  return out;
}
