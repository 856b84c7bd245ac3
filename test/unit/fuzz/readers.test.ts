/**
 * Fuzzing of every file reader (fast-check): real files mutated (bytes flipped, extreme 32-bit
 * fields, truncated, slices inserted or duplicated) and random bytes behind a real magic. Each
 * input ends in a value or an InputError of one line, never another exception and never the
 * "unexpected error" safety nets; every property has a bounded number of runs and a fixed seed.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../../src/io/image';
import { parseJsonCapped } from '../../../src/io/jsonLimits';
import { readNpy } from '../../../src/io/npy';
import { readSafetensors } from '../../../src/io/safetensors';
import { loadWeights } from '../../../src/io/weights';
import { listZip, readZipEntry } from '../../../src/io/zip';
import { junkAfterMagic, mutated, ownOutcome, RUNS } from './mutate';

const FIX = join(__dirname, '..', '..', 'fixtures');
const read = (...p: string[]): Uint8Array => new Uint8Array(readFileSync(join(FIX, ...p)));
const files = (dir: string, re: RegExp): Uint8Array[] =>
  readdirSync(join(FIX, dir))
    .filter((f) => re.test(f))
    .sort()
    .map((f) => read(dir, f));

const npys = files('npy', /\.npy$/);
const safetensors = [read('weights', 'torch_small.safetensors')];
const h5s = [
  read('weights', 'keras3_small.weights.h5'),
  read('weights', 'keras3_libver_latest.weights.h5'),
  read('weights', 'legacy_weights.h5'),
  read('weights', 'legacy_lzf.h5'),
];
const kerasZips = [read('weights', 'keras3_small.keras'), read('weights', 'keras3_small_deflated.keras')];
const pngs = readdirSync(join(__dirname, '..', '..', '..', 'media', 'samples'))
  .filter((f) => f.endsWith('.png') && !f.startsWith('scene'))
  .sort()
  .map((f) => new Uint8Array(readFileSync(join(__dirname, '..', '..', '..', 'media', 'samples', f))));
const jpegs = [3, 17].map((n) => {
  const rgba = new Uint8Array(n * n * 4).map((_, i) => (i * 37) & 255);
  return new Uint8Array(jpeg.encode({ data: rgba, width: n, height: n }, 80).data);
});

describe('fuzz: readers end in a value or an InputError', () => {
  it('every seed reads as it is', () => {
    for (const b of npys) expect(['value', 'error']).toContain(ownOutcome(() => readNpy(b, 'x.npy')));
    for (const b of safetensors) expect(ownOutcome(() => readSafetensors(b, 'w.safetensors'))).toBe('value');
    // the libver='latest' and lzf files are refused with a message (formats we do not decode)
    expect(h5s.map((b) => ownOutcome(() => loadWeights(b, 'w.weights.h5')))).toEqual([
      'value',
      'error',
      'value',
      'error',
    ]);
    for (const b of kerasZips) expect(ownOutcome(() => loadWeights(b, 'm.keras'))).toBe('value');
    for (const b of [...pngs, ...jpegs]) expect(ownOutcome(() => decodeImage(b, 'i'))).toBe('value');
  });

  it('.npy', () => {
    fc.assert(
      fc.property(mutated(npys), (b) => void ownOutcome(() => readNpy(b, 'x.npy'))),
      RUNS(400, 101),
    );
    fc.assert(
      fc.property(junkAfterMagic(npys, 8), (b) => void ownOutcome(() => readNpy(b, 'x.npy'))),
      RUNS(200, 102),
    );
  });

  it('safetensors', () => {
    fc.assert(
      fc.property(mutated(safetensors), (b) => void ownOutcome(() => readSafetensors(b, 'w.safetensors'))),
      RUNS(300, 201),
    );
    fc.assert(
      fc.property(
        fc.tuple(
          fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
          fc.string({ maxLength: 300 }),
          fc.uint8Array({ maxLength: 300 }),
        ),
        ([len, header, data]) => {
          const h = new TextEncoder().encode(header);
          const out = new Uint8Array(8 + h.length + data.length);
          new DataView(out.buffer).setBigUint64(0, len, true);
          out.set(h, 8);
          out.set(data, 8 + h.length);
          ownOutcome(() => readSafetensors(out, 'w.safetensors'));
        },
      ),
      RUNS(200, 202),
    );
  });

  it('Keras weights: .weights.h5 and legacy .h5 through our HDF5 reader', () => {
    fc.assert(
      fc.property(mutated(h5s), (b) => void ownOutcome(() => loadWeights(b, 'w.weights.h5'))),
      RUNS(250, 301),
    );
    fc.assert(
      fc.property(junkAfterMagic(h5s, 8), (b) => void ownOutcome(() => loadWeights(b, 'w.weights.h5'))),
      RUNS(150, 302),
    );
  });

  it('Keras weights: .keras zip', () => {
    fc.assert(
      fc.property(mutated(kerasZips), (b) => void ownOutcome(() => loadWeights(b, 'm.keras'))),
      RUNS(250, 401),
    );
  });

  it('zip: listing and extracting every entry under a cap', () => {
    fc.assert(
      fc.property(mutated(kerasZips), (b) => {
        ownOutcome(() => {
          for (const e of listZip(b, 'm.keras')) readZipEntry(b, 'm.keras', e, 1 << 20);
        });
      }),
      RUNS(300, 501),
    );
  });

  it('PNG and JPEG decoding', () => {
    fc.assert(
      fc.property(mutated(pngs), (b) => void ownOutcome(() => decodeImage(b, 'i.png'))),
      RUNS(400, 601),
    );
    fc.assert(
      fc.property(mutated(jpegs), (b) => void ownOutcome(() => decodeImage(b, 'i.jpg'))),
      RUNS(300, 602),
    );
    fc.assert(
      fc.property(junkAfterMagic([...pngs, ...jpegs], 16), (b) => void ownOutcome(() => decodeImage(b, 'i'))),
      RUNS(200, 603),
    );
  });

  it('JSON under size and depth limits', () => {
    const limits = { maxBytes: 4096, maxDepth: 16, what: 'configuration' };
    const json = fc.oneof(
      fc.json({ depthSize: 'large' }),
      fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', ':', ',', '1', 'a', '\\', ' '), maxLength: 400 }),
      fc.integer({ min: 0, max: 3000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
    );
    fc.assert(
      fc.property(json, (text) => void ownOutcome(() => parseJsonCapped(text, 'm.keras: config.json', limits))),
      RUNS(400, 701),
    );
  });
});
