/**
 * Hostile input: random bytes, truncations and byte flips of valid PNG and JPEG files must
 * either decode or throw InputError — never another error type, never a hang (each case is
 * timed), never a decoded size over the cap.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { encode as encodeJpeg } from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/io/errors';
import { decodeImage } from '../../../src/io/image';
import { concat, ihdr, jpegHeader, makeInterlacedGrayPng, PNG_SIG, pngChunk } from './imageBuilders';

const digitPng = new Uint8Array(readFileSync(join(__dirname, '../../../media/samples/digit-3.png')));
const rgbJpeg = (() => {
  const rgba = Uint8Array.from({ length: 24 * 16 * 4 }, (_, i) => (i * 53) & 255);
  return new Uint8Array(encodeJpeg({ width: 24, height: 16, data: rgba }, 80).data);
})();

const MAX_PIXELS = 10_000;

/** Decodes and checks the outcome; returns how long it took. */
function attempt(bytes: Uint8Array): number {
  const t0 = performance.now();
  try {
    const img = decodeImage(bytes, 'fuzz', { maxPixels: MAX_PIXELS });
    expect(img.width * img.height).toBeLessThanOrEqual(MAX_PIXELS);
    expect(img.rgba.length).toBe(img.width * img.height * 4);
  } catch (e) {
    if (!(e instanceof InputError)) throw new Error(`non-InputError thrown: ${String(e)}`);
    expect(e.message.startsWith('fuzz: ')).toBe(true);
  }
  return performance.now() - t0;
}

describe('decodeImage never crashes or hangs', () => {
  it('random bytes, with and without a PNG or JPEG signature', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom('none', 'png', 'jpeg'), (body, prefix) => {
        const head =
          prefix === 'png' ? PNG_SIG : prefix === 'jpeg' ? new Uint8Array([0xff, 0xd8, 0xff]) : new Uint8Array(0);
        expect(attempt(concat(head, body))).toBeLessThan(1000);
      }),
      { numRuns: 400, seed: 1 },
    );
  });

  it('every truncation of a valid PNG and JPEG', () => {
    for (const file of [digitPng, rgbJpeg]) {
      for (let n = 0; n < file.length; n++) {
        expect(attempt(file.subarray(0, n))).toBeLessThan(1000);
      }
    }
  });

  it('byte flips anywhere in a valid PNG and JPEG', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(digitPng, rgbJpeg),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
        (file, flips) => {
          const bytes = file.slice();
          for (const [at, x] of flips) bytes[at % bytes.length]! ^= x;
          expect(attempt(bytes)).toBeLessThan(1000);
        },
      ),
      { numRuns: 400, seed: 2 },
    );
  });

  it('corrupted compressed data behind a valid CRC (reaches inflate and unfiltering)', () => {
    const rows = Array.from({ length: 6 }, (_, y) =>
      Uint8Array.from({ length: 7 * 3 }, (_, x) => (x * 11 + y * 29) & 255),
    );
    const raw = concat(...rows.map((r) => concat(new Uint8Array([0]), r)));
    const zdata = deflateSync(raw);
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }),
        fc.nat({ max: 6 }),
        fc.array(fc.nat({ max: 255 }), { minLength: 42, maxLength: 42 }),
        (interlaced, flips, filter, gray) => {
          const z = zdata.slice();
          for (const [at, x] of flips) z[at % z.length]! ^= x;
          // Interlaced: valid zlib data whose scanlines carry arbitrary (possibly invalid) filter types.
          const bytes = interlaced
            ? makeInterlacedGrayPng(7, 6, gray, undefined, filter)
            : concat(PNG_SIG, ihdr(7, 6, 8, 2), pngChunk('IDAT', z), pngChunk('IEND', new Uint8Array(0)));
          expect(attempt(bytes)).toBeLessThan(1000);
        },
      ),
      { numRuns: 300, seed: 4 },
    );
  });

  it('JPEG headers with random segment lengths and sizes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 65535 }),
        fc.integer({ min: 0, max: 65535 }),
        fc.integer({ min: 0, max: 5 }),
        fc.uint8Array({ maxLength: 64 }),
        (w, h, comps, tail) => {
          expect(attempt(concat(jpegHeader(w, h, comps), tail))).toBeLessThan(1000);
        },
      ),
      { numRuns: 300, seed: 3 },
    );
  });
});
