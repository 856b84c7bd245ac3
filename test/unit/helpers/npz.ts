/** The arrays of an .npz a fixture generator wrote (np.savez: a zip of .npy files), by name. */
import { readFileSync } from 'node:fs';
import { readNpy } from '../../../src/io/npy';
import { listZip, readZipEntry } from '../../../src/io/zip';

export function readNpz(path: string): Map<string, { shape: number[]; data: Float32Array }> {
  const bytes = new Uint8Array(readFileSync(path));
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const e of listZip(bytes, path)) {
    const a = readNpy(readZipEntry(bytes, path, e, 1 << 28), e.name);
    out.set(e.name.replace(/\.npy$/, ''), { shape: a.shape, data: a.data });
  }
  return out;
}
