/**
 * The codecs that run in both builds (plain TypeScript over fflate) against Node's native zlib:
 * decoding a 224×224 RGB PNG (media/samples/scene-224.png) with ConvLens' decoder vs pngjs over
 * node:zlib; encoding a 224×224 RGBA image and a 1024×768 feature-map grid vs pngjs; inflating
 * the weights entry of a .keras file (media/models/textbook-cnn.keras, deflated) with fflate, as
 * zip.ts and HDF5 gzip chunks do, vs node:zlib's inflateRawSync; the decoders that inflate also
 * with Node's zlib as their inflater, as the Node builds run them. Interleaved timing, medians.
 *
 * Usage: tsx scripts/bench-codecs.ts [--quick]
 */
import { readFileSync } from 'node:fs';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { decodeImage } from '../src/io/image';
import { encodePng } from '../src/io/png';
import { setNativeInflate } from '../src/io/inflate';
import { useNodeZlib } from '../src/io/nodeZlib';
import { inflateCapped, listZip, readZipEntry } from '../src/io/zip';
import { FULL, QUICK, measureInterleaved } from './bench/timing';

const opts = process.argv.includes('--quick') ? QUICK : FULL;

function rgbaImage(w: number, h: number): Uint8Array {
  const a = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      a[i] = (x * 255) / w;
      a[i + 1] = (y * 255) / h;
      a[i + 2] = ((x ^ y) & 15) * 16;
      a[i + 3] = 255;
    }
  return a;
}

async function pair(what: string, ours: () => void, node: () => void, inflates = false): Promise<void> {
  // where the decoder inflates: also as the Node builds run it, with Node's zlib as its inflater
  const [a, b, c] = await measureInterleaved(
    [
      { activate: () => setNativeInflate(null), run: ours },
      ...(inflates ? [{ activate: () => useNodeZlib(), run: ours }] : []),
      { activate: () => setNativeInflate(null), run: node },
    ],
    opts,
  );
  const peer = inflates ? c! : b!;
  const native = inflates
    ? `   ours + node:zlib ${b!.median.toFixed(2).padStart(7)} ms (${(b!.median / peer.median).toFixed(2)})`
    : '';
  console.log(
    `${what.padEnd(44)} ours ${a!.median.toFixed(2).padStart(7)} ms   node:zlib ${peer.median.toFixed(2).padStart(7)} ms   ratio ${(a!.median / peer.median).toFixed(2)}${native}`,
  );
}

async function main(): Promise<void> {
  const scene = new Uint8Array(readFileSync('media/samples/scene-224.png'));
  await pair(
    'decode PNG 224×224 RGB (scene-224.png)',
    () => void decodeImage(scene, 'scene.png'),
    () => void PNG.sync.read(Buffer.from(scene), { checkCRC: true }),
    true,
  );

  for (const [w, h] of [
    [224, 224],
    [1024, 768],
  ] as const) {
    const rgba = rgbaImage(w, h);
    const pjs = new PNG({ width: w, height: h });
    pjs.data.set(rgba);
    await pair(
      `encode PNG ${w}×${h} RGBA`,
      () => void encodePng(w, h, rgba),
      () => void PNG.sync.write(pjs, { colorType: 6, inputColorType: 6, bitDepth: 8 }),
    );
    console.log(
      `  sizes: ours ${encodePng(w, h, rgba).length} B, pngjs ${PNG.sync.write(pjs, { colorType: 6, inputColorType: 6, bitDepth: 8 }).length} B`,
    );
  }

  // Keras stores its entries uncompressed; a zip tool that recompresses the archive deflates
  // them, as HDF5 gzip chunks are: the same 1.36 MB weights file, deflated at level 6.
  const keras = new Uint8Array(readFileSync('media/models/textbook-cnn.keras'));
  const entry = listZip(keras, 'textbook-cnn.keras').find((e) => e.name === 'model.weights.h5')!;
  const h5 = readZipEntry(keras, 'k', entry, entry.size);
  const deflated = deflateRawSync(h5, { level: 6 });
  await pair(
    `inflate .keras weights (${(h5.length / 1e6).toFixed(2)} MB from ${(deflated.length / 1e6).toFixed(2)} MB)`,
    () => void inflateCapped(deflated, h5.length, 'raw', 'k'),
    () => void inflateRawSync(deflated),
    true,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
