/**
 * The native inflater (src/io/inflate.ts, Node's zlib through src/io/nodeZlib.ts): used by
 * the PNG decoder and the capped inflation of .keras and HDF5 readers when installed, only ever
 * as a shortcut — a stream it does not finish within the size asked for goes through fflate, so
 * results and messages are the same with it and without it. (The 'native-zlib' vitest project
 * runs the readers' whole suites with it installed.)
 */
import { deflateRawSync, deflateSync, inflateRawSync, inflateSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/io/errors';
import { decodeImage } from '../../../src/io/image';
import { nativeInflate, setNativeInflate, type NativeInflate } from '../../../src/io/inflate';
import { inflateCapped } from '../../../src/io/zip';
import { useNodeZlib } from '../../../src/io/nodeZlib';
import { concat, ihdr, makePng, PNG_SIG, pngChunk } from './imageBuilders';

afterEach(() => setNativeInflate(null));

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  throw new Error('expected an InputError');
}

/** A 5×3 RGB image with varied rows. */
const rows = [0, 1, 2].map((y) => Uint8Array.from({ length: 15 }, (_, i) => (i * 37 + y * 101) & 255));
const png = makePng(5, 3, 8, 2, rows);

/** Node's zlib, counting its calls. */
function countingZlib(): { calls: number; inflate: NativeInflate } {
  const c = {
    calls: 0,
    inflate: (d: Uint8Array, f: 'raw' | 'zlib', m: number): Uint8Array => {
      c.calls++;
      return f === 'raw' ? inflateRawSync(d, { maxOutputLength: m }) : inflateSync(d, { maxOutputLength: m });
    },
  };
  return c;
}

describe('nativeInflate', () => {
  it('is null until one is installed', () => {
    expect(nativeInflate(deflateSync(new Uint8Array([1, 2, 3])), 'zlib', 3)).toBeNull();
  });

  it("inflates zlib and raw streams with Node's zlib, into plain arrays of their own", () => {
    useNodeZlib();
    const data = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 255);
    for (const [format, packed] of [
      ['zlib', deflateSync(data)],
      ['raw', deflateRawSync(data)],
    ] as const) {
      const out = nativeInflate(packed, format, 1000)!;
      expect(out).not.toBeNull();
      expect(out.constructor).toBe(Uint8Array);
      expect(out.byteOffset).toBe(0);
      expect(out.buffer.byteLength).toBe(1000);
      expect(Array.from(out)).toEqual(Array.from(data));
    }
    // a tiny output (Node pools small buffers) is still an array of its own
    const small = nativeInflate(deflateSync(new Uint8Array([9, 8, 7])), 'zlib', 3)!;
    expect(small.buffer.byteLength).toBe(3);
    expect(Array.from(small)).toEqual([9, 8, 7]);
  });

  it('gives null for a stream that inflates past the cap, a truncated one, or garbage', () => {
    useNodeZlib();
    const data = new Uint8Array(5000).fill(3);
    const packed = deflateSync(data);
    expect(nativeInflate(packed, 'zlib', 4999)).toBeNull();
    expect(nativeInflate(packed.subarray(0, packed.length - 6), 'zlib', 5000)).toBeNull();
    expect(nativeInflate(new Uint8Array([1, 2, 3, 4]), 'zlib', 5000)).toBeNull();
  });
});

describe('the PNG decoder with the native inflater', () => {
  it('uses it, and decodes the same pixels as fflate alone', () => {
    const alone = decodeImage(png, 'a.png');
    const zlib = countingZlib();
    setNativeInflate(zlib.inflate);
    const native = decodeImage(png, 'a.png');
    expect(zlib.calls).toBe(1);
    expect(native.rgba).toEqual(alone.rgba);
    expect([native.width, native.height]).toEqual([alone.width, alone.height]);
  });

  it('a stream it cannot finish goes through fflate: the same message as without it', () => {
    const raw = concat(...rows.map((r) => concat(new Uint8Array([0]), r)));
    const cases: [string, Uint8Array][] = [
      ['inflates further', concat(raw, new Uint8Array(40))],
      ['ends early', raw.subarray(0, 30)],
    ];
    for (const [what, body] of cases) {
      const bad = concat(
        PNG_SIG,
        ihdr(5, 3, 8, 2),
        pngChunk('IDAT', deflateSync(body)),
        pngChunk('IEND', new Uint8Array(0)),
      );
      setNativeInflate(null);
      const expected = message(() => decodeImage(bad, 'b.png'));
      useNodeZlib();
      expect(
        message(() => decodeImage(bad, 'b.png')),
        what,
      ).toBe(expected);
    }
    // a wrong Adler-32 (zlib refuses it, fflate does not check it): decoded as before
    const packed = deflateSync(raw);
    packed[packed.length - 1]! ^= 0xff;
    const flipped = concat(PNG_SIG, ihdr(5, 3, 8, 2), pngChunk('IDAT', packed), pngChunk('IEND', new Uint8Array(0)));
    setNativeInflate(null);
    const before = decodeImage(flipped, 'c.png').rgba;
    useNodeZlib();
    expect(decodeImage(flipped, 'c.png').rgba).toEqual(before);
  });
});

describe('capped inflation (.keras entries, HDF5 chunks) with the native inflater', () => {
  it('the same bytes, and past the cap the same refusal', () => {
    const data = Uint8Array.from({ length: 70_000 }, (_, i) => (i * i) & 255);
    const packed = deflateRawSync(data);
    const alone = inflateCapped(packed, 70_000, 'raw', 'w.keras: model.weights.h5');
    const tooBig = message(() => inflateCapped(packed, 69_999, 'raw', 'w.keras: model.weights.h5'));
    useNodeZlib();
    expect(inflateCapped(packed, 70_000, 'raw', 'w.keras: model.weights.h5')).toEqual(alone);
    expect(message(() => inflateCapped(packed, 69_999, 'raw', 'w.keras: model.weights.h5'))).toBe(tooBig);
    expect(tooBig).toMatch(/inflates past the expected/);
  });
});
