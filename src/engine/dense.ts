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

/** The input's last axis is the kernel's input features, the bias one value per unit. */
function checkFeatures(op: string, x: Tensor, inF: number, outF: number, bias: Tensor | null | undefined): void {
  if (x.shape.length < 1) fail('bad-shape', `${op}: input must have at least one axis`);
  const last = x.shape[x.shape.length - 1]!;
  if (last !== inF)
    fail(
      'channel-mismatch',
      `${op}: expects ${inF} input features, but the input ${formatShape(x.shape)} has ${last} on its last axis`,
    );
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== outF))
    fail('channel-mismatch', `${op}: bias of shape ${formatShape(bias.shape)} does not match ${outF} units`);
}

export function dense(x: Tensor, kernel: Tensor, o: DenseOptions): Tensor {
  const op = o.name ?? (o.kernelLayout === 'IO' ? 'Dense' : 'Linear');
  if (kernel.shape.length !== 2) fail('bad-shape', `${op}: kernel must be 2-D, got ${formatShape(kernel.shape)}`);
  const [inF, outF] =
    o.kernelLayout === 'IO' ? [kernel.shape[0]!, kernel.shape[1]!] : [kernel.shape[1]!, kernel.shape[0]!];
  checkFeatures(op, x, inF, outF, o.bias);
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

/** Values of a kernel read at a time by denseStreamed (16 MB of float32). */
export const DENSE_STREAM_CHUNK = 1 << 22;

/**
 * The same product as dense() with the kernel given in pieces, in memory order: `fill(dst)`
 * writes the kernel's next dst.length values. A kernel too large to hold at once (VGG16's fc1,
 * 102.8 M values, 411 MB) is never allocated whole: at most `chunk` values are. The results are
 * dense()'s bit for bit — the same order of operations: PyTorch's rows as dot products in four
 * float64 partial sums, Keras's columns as float64 sums from the first input feature up, rounded
 * once with the bias.
 */
export function denseStreamed(
  x: Tensor,
  shape: readonly [number, number],
  fill: (dst: Float32Array) => void,
  o: DenseOptions,
  chunk = DENSE_STREAM_CHUNK,
): Tensor {
  const op = o.name ?? (o.kernelLayout === 'IO' ? 'Dense' : 'Linear');
  const [inF, outF] = o.kernelLayout === 'IO' ? [shape[0], shape[1]] : [shape[1], shape[0]];
  checkFeatures(op, x, inF, outF, o.bias);
  const rows = x.data.length / inF;
  const out = zeros([...x.shape.slice(0, -1), outF], op);
  const xd = x.data;
  const bias = o.bias?.data ?? null;
  if (o.kernelLayout === 'OI') {
    // kernel rows are output units: a piece holds whole rows
    const per = Math.max(1, Math.floor(chunk / Math.max(1, inF)));
    const buf = new Float32Array(Math.min(per, outF) * inF);
    for (let j0 = 0; j0 < outF; j0 += per) {
      const n = Math.min(per, outF - j0);
      fill(buf.subarray(0, n * inF));
      for (let r = 0; r < rows; r++) {
        const xOff = r * inF;
        for (let jj = 0; jj < n; jj++) {
          const wOff = jj * inF;
          let s0 = 0,
            s1 = 0,
            s2 = 0,
            s3 = 0;
          let k = 0;
          for (; k + 4 <= inF; k += 4) {
            s0 += xd[xOff + k]! * buf[wOff + k]!;
            s1 += xd[xOff + k + 1]! * buf[wOff + k + 1]!;
            s2 += xd[xOff + k + 2]! * buf[wOff + k + 2]!;
            s3 += xd[xOff + k + 3]! * buf[wOff + k + 3]!;
          }
          for (; k < inF; k++) s0 += xd[xOff + k]! * buf[wOff + k]!;
          const j = j0 + jj;
          out.data[r * outF + j] = s0 + s1 + s2 + s3 + (bias ? bias[j]! : 0);
        }
      }
    }
    return out;
  }
  // Keras (in, out): kernel rows are input features; every output sums over all of them
  const acc = new Float64Array(rows * outF);
  const per = Math.max(1, Math.floor(chunk / Math.max(1, outF)));
  const buf = new Float32Array(Math.min(per, inF) * outF);
  for (let k0 = 0; k0 < inF; k0 += per) {
    const n = Math.min(per, inF - k0);
    fill(buf.subarray(0, n * outF));
    for (let r = 0; r < rows; r++) {
      const a = r * outF;
      for (let kk = 0; kk < n; kk++) {
        const v = xd[r * inF + k0 + kk]!;
        const b = kk * outF;
        for (let j = 0; j < outF; j++) acc[a + j]! += v * buf[b + j]!;
      }
    }
  }
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < outF; j++) out.data[r * outF + j] = (bias ? bias[j]! : 0) + acc[r * outF + j]!;
  return out;
}
