/**
 * The tensors of the PyTorch fixture files (scripts/gen-torch-fixtures.py): shape plus base64 of
 * float32 little-endian values, row-major.
 */
import { tensor, type Tensor } from '../../../src/engine';

export interface Encoded {
  shape: number[];
  data: string;
}

export function decodeTensor(e: Encoded): Tensor {
  const bytes = Buffer.from(e.data, 'base64');
  if (bytes.length % 4 !== 0) throw new Error(`fixture data of ${bytes.length} bytes is not float32`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return tensor(e.shape, out, 'fixture');
}
