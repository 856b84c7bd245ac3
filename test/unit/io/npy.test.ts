/**
 * .npy reading against files numpy wrote (test/fixtures/npy, from scripts/gen-npy-fixtures.py),
 * byte-identical writing, round trips, and strict validation of hand-made broken files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_ELEMENTS, setMaxElements } from '../../../src/engine/tensor';
import { InputError } from '../../../src/io/errors';
import { halfToFloat, readNpy, writeNpy } from '../../../src/io/npy';
import { parsePyLiteral } from '../../../src/io/npyHeader';

const DIR = join(__dirname, '../../fixtures/npy');

interface Readable {
  shape: number[];
  dtype: string;
  descr: string;
  values: (number | string)[];
}
interface Refused {
  error: string;
  match: string;
}
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as {
  numpy: string;
  files: Record<string, Readable | Refused>;
  writeMatches: string[];
};

function num(v: number | string): number {
  return v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : (v as number);
}

function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError, nothing was thrown');
}

/** Builds a .npy file from a header text and data bytes (v1 unless told). */
function npyFile(header: string, data: Uint8Array = new Uint8Array(0), major = 1): Uint8Array {
  const h = new TextEncoder().encode(header);
  const lenBytes = major === 1 ? 2 : 4;
  const out = new Uint8Array(8 + lenBytes + h.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  out[8] = h.length & 0xff;
  out[9] = (h.length >> 8) & 0xff;
  out.set(h, 8 + lenBytes);
  out.set(data, 8 + lenBytes + h.length);
  return out;
}

describe('readNpy on numpy-written fixtures', () => {
  it(`covers the fixture set (numpy ${expected.numpy})`, () => {
    expect(Object.keys(expected.files).length).toBeGreaterThanOrEqual(30);
  });

  for (const [file, exp] of Object.entries(expected.files)) {
    it(file, () => {
      const bytes = new Uint8Array(readFileSync(join(DIR, file)));
      if ('error' in exp) {
        const e = inputError(() => readNpy(bytes, file));
        expect(e.code).toBe(exp.error);
        expect(e.message).toContain(exp.match);
        expect(e.message.startsWith(`${file}: `)).toBe(true);
        return;
      }
      const arr = readNpy(bytes, file);
      expect(arr.shape).toEqual(exp.shape);
      expect(arr.dtype).toBe(exp.dtype);
      expect(arr.data.length).toBe(exp.values.length);
      // Exact: the fixture holds numpy's own astype(float32) results.
      exp.values.forEach((v, i) => expect(Object.is(arr.data[i], num(v)) || arr.data[i] === num(v)).toBe(true));
      if (file === 'f4-specials.npy') expect(Object.is(arr.data[3], -0)).toBe(true);
    });
  }
});

describe('writeNpy', () => {
  for (const file of expected.writeMatches) {
    it(`reproduces np.save byte for byte: ${file}`, () => {
      const exp = expected.files[file] as Readable;
      const written = writeNpy(exp.shape, Float32Array.from(exp.values.map(num)));
      expect(Buffer.from(written).equals(readFileSync(join(DIR, file)))).toBe(true);
    });
  }

  it('round-trips any float32 array and shape (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 }),
        fc.float({ noDefaultInfinity: false }),
        (shape, seed) => {
          const n = shape.reduce((a, d) => a * d, 1);
          const data = Float32Array.from({ length: n }, (_, i) => Math.fround(seed * (i + 1)));
          const back = readNpy(writeNpy(shape, data), 'rt.npy');
          expect(back.shape).toEqual(shape);
          expect(back.dtype).toBe('float32');
          expect(Buffer.from(back.data.buffer).equals(Buffer.from(data.buffer))).toBe(true);
          expect((10 + (writeNpy(shape, data)[8]! | (writeNpy(shape, data)[9]! << 8))) % 64).toBe(0);
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });

  it('refuses a shape that does not match the data', () => {
    const e = inputError(() => writeNpy([2, 3], new Float32Array(5)));
    expect(e.message).toBe('writeNpy: shape (2, 3) needs 6 values, got 5');
  });
});

describe('readNpy validation', () => {
  afterEach(() => setMaxElements(DEFAULT_MAX_ELEMENTS));

  it('names the sizes when the data is truncated', () => {
    const full = writeNpy([784], new Float32Array(784));
    const cut = full.subarray(0, full.length - 3136 + 1000);
    const e = inputError(() => readNpy(cut, 'x.npy'));
    expect(e.code).toBe('truncated');
    expect(e.message).toBe('x.npy: truncated: header says 784 float32 values (3,136 bytes) but 1,000 bytes follow');
  });

  it('refuses extra bytes after the data', () => {
    const full = writeNpy([2], new Float32Array(2));
    const longer = new Uint8Array(full.length + 4);
    longer.set(full);
    expect(inputError(() => readNpy(longer, 'x.npy')).message).toBe(
      'x.npy: 12 bytes follow the header but 2 float32 values need 8 bytes',
    );
  });

  it('refuses a file that is not .npy, an empty file, a bad version', () => {
    expect(inputError(() => readNpy(new TextEncoder().encode('hello'), 'a.npy')).code).toBe('unknown-format');
    expect(inputError(() => readNpy(new Uint8Array(0), 'a.npy')).message).toBe('a.npy: the file is empty');
    const v9 = npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (), }");
    v9[6] = 9;
    expect(inputError(() => readNpy(v9, 'a.npy')).message).toBe(
      'a.npy: .npy format version 9.0 is not supported (1.0, 2.0 and 3.0 are)',
    );
  });

  it('refuses a header length past the end of the file', () => {
    const f = npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (), }");
    const cut = f.subarray(0, 30);
    expect(inputError(() => readNpy(cut, 'h.npy')).message).toMatch(
      /^h\.npy: truncated: header length is \d+ bytes but 20 bytes follow$/,
    );
  });

  it('checks the element cap before allocating', () => {
    setMaxElements(100);
    const f = npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }");
    const e = inputError(() => readNpy(f, 'big.npy'));
    expect(e.code).toBe('too-large');
    expect(e.message).toBe('big.npy: shape (100000, 100000) has 10,000,000,000 float32 values, over the cap of 100');
  });

  it('treats a zero axis as empty even next to a huge one', () => {
    const f = npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 99999999999999), }");
    expect(readNpy(f, 'e.npy').data.length).toBe(0);
  });

  it('reads Fortran order when it is byte-identical to C order (one non-unit axis)', () => {
    const data = new Uint8Array(new Float32Array([1, 2, 3]).buffer);
    const f = npyFile("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 3), }", data);
    expect(Array.from(readNpy(f, 'f.npy').data)).toEqual([1, 2, 3]);
  });

  it.each([
    [
      "{'descr': '<f4', 'shape': (2,), }",
      'corrupt header: keys are [descr, shape], expected descr, fortran_order, shape',
    ],
    ["{'descr': '<f4', 'fortran_order': 0, 'shape': (2,), }", "corrupt header: 'fortran_order' is not True or False"],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': [2], }", "corrupt header: 'shape' is not a tuple"],
    [
      "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }",
      'corrupt header: shape entry -2 is not a non-negative integer',
    ],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (2,) ", "corrupt header: expected ',' or '}' at character"],
    ["__import__('os').system('x')", 'corrupt header: unexpected "_" at character 0'],
    ["{'descr': '<q9', 'fortran_order': False, 'shape': (2,), }", "dtype '<q9': not a supported numeric dtype"],
  ])('refuses header %s', (header, msg) => {
    const e = inputError(() => readNpy(npyFile(header, new Uint8Array(8)), 'h.npy'));
    expect(e.message).toContain(`h.npy: ${msg}`);
  });

  it('bounds header nesting', () => {
    const deep = `${'('.repeat(100)}${')'.repeat(100)}`;
    expect(inputError(() => parsePyLiteral(deep, 'd.npy')).message).toContain('nesting deeper than 16');
  });

  it('accepts Python 2 longs and double quotes', () => {
    const f = npyFile('{"descr": "<i2", "fortran_order": False, "shape": (2L,)}', new Uint8Array([1, 0, 255, 255]));
    expect(Array.from(readNpy(f, 'p.npy').data)).toEqual([1, -1]);
  });

  it('never throws anything but InputError on random bytes or truncations (property)', () => {
    const valid = writeNpy([3, 2], Float32Array.from([1, 2, 3, 4, 5, 6]));
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.nat({ max: valid.length }),
        fc.nat({ max: 255 }),
        (garbage, cut, flip) => {
          for (const bytes of [
            garbage,
            valid.subarray(0, cut),
            Uint8Array.from(valid, (b, i) => (i === cut ? b ^ flip : b)),
          ]) {
            try {
              readNpy(bytes, 'r.npy');
            } catch (e) {
              expect(e).toBeInstanceOf(InputError);
            }
          }
        },
      ),
      { numRuns: 500, seed: 11 },
    );
  });
});

describe('halfToFloat', () => {
  it.each([
    [0x0000, 0],
    [0x3c00, 1],
    [0xc000, -2],
    [0x7bff, 65504],
    [0x0001, 2 ** -24],
    [0x0400, 2 ** -14],
    [0x7c00, Infinity],
    [0xfc00, -Infinity],
  ])('0x%s', (h, v) => expect(halfToFloat(h)).toBe(v));
  it('NaN', () => expect(halfToFloat(0x7e00)).toBeNaN());
});
