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
  const [inF, outF] = o.kernelLayout === 'IO' ? [kernel.shape[0]!, kernel.shape[1]!] : [kernel.shape[1]!, kernel.shape[0]!];
  const last = x.shape[x.shape.length - 1]!;
  if (last !== inF) {
    fail('channel-mismatch', `${op}: expects ${inF} input features, but the input ${formatShape(x.shape)} has ${last} on its last axis`);
  }
  if (o.bias && (o.bias.shape.length !== 1 || o.bias.shape[0] !== outF)) {
    fail('channel-mismatch', `${op}: bias of shape ${formatShape(o.bias.shape)} does not match ${outF} units`);
  }
  let w = kernel.data;
  if (o.kernelLayout === 'OI') {
    w = new Float32Array(inF * outF);
    for (let i = 0; i < inF; i++) for (let j = 0; j < outF; j++) w[i * outF + j] = kernel.data[j * inF + i]!;
  }
  const rows = x.data.length / inF;
  const out = zeros([...x.shape.slice(0, -1), outF], op);
  if (o.bias) for (let r = 0; r < rows; r++) out.data.set(o.bias.data, r * outF);
  gemmAccumulate(rows, outF, inF, x.data, 0, w, 0, out.data, 0);
  return out;
}
