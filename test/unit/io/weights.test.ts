/**
 * Weight-file readers (src/io/weights.ts and the modules behind it) against the fixtures of
 * scripts/gen-weight-fixtures.py: every valid file must load to the names, shapes and values
 * numpy/torch recorded in expected.json (never values computed by our own readers); every
 * malformed file must throw InputError with a specific code and message; and random truncations
 * and byte flips of the valid files must load or throw InputError — nothing else, and quickly.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { getMaxElements, setMaxElements } from '../../../src/engine/tensor';
import { InputError, type InputErrorCode } from '../../../src/io/errors';
import { loadWeights, type WeightFile } from '../../../src/io/weights';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'weights');

interface ExpectedTensor {
  name: string;
  layer: string;
  param: string;
  shape: number[];
  dtype: string;
  nonFloat: boolean;
  values: [number, number | string][];
}
interface Expected {
  files: Record<string, { format: WeightFile['format']; metadata?: Record<string, string>; tensors: ExpectedTensor[] }>;
  malformed: Record<string, string>;
}

const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Expected;
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(DIR, name)));

function thrown(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw new Error(`expected InputError, got ${String(e)}`);
  }
  throw new Error('expected InputError, nothing was thrown');
}

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

describe('valid fixtures load to the values numpy/torch wrote', () => {
  for (const [file, want] of Object.entries(expected.files)) {
    it(file, () => {
      const got = loadWeights(fixture(file), file);
      expect(got.format).toBe(want.format);
      expect(got.metadata).toEqual(want.metadata);
      // names, layers, params, shapes, dtypes in file order
      expect(got.tensors.map((t) => [t.name, t.layer, t.param, t.shape, t.dtype, t.nonFloat === true])).toEqual(
        want.tensors.map((t) => [t.name, t.layer, t.param, t.shape, t.dtype, t.nonFloat]),
      );
      got.tensors.forEach((t, i) => {
        expect(t.data).toBeInstanceOf(Float32Array);
        expect(t.data.length).toBe(product(t.shape));
        for (const [at, v] of want.tensors[i]!.values) {
          // exact: every expected value is the float32 that numpy/torch stored or converted to
          expect(t.data[at], `${t.name}[${at}]`).toBe(typeof v === 'string' ? Number(v) : v);
        }
      });
    });
  }

  it('dispatches on content, not on the file name', () => {
    expect(loadWeights(fixture('torch_small.safetensors'), 'weights.bin').format).toBe('safetensors');
    expect(loadWeights(fixture('legacy_weights.h5'), 'weights').format).toBe('keras-legacy-h5');
    expect(loadWeights(fixture('keras3_small.keras'), 'model.zip').format).toBe('keras-zip');
    expect(thrown(() => loadWeights(fixture('torch_model.pt'), 'model.safetensors.bin')).message).toMatch(
      /torch\.save/,
    );
  });

  it('returns data that does not alias the input bytes', () => {
    const bytes = fixture('keras3_small.weights.h5');
    const first = loadWeights(bytes, 'a.weights.h5').tensors[0]!.data.slice();
    bytes.fill(0);
    expect(first.some((v) => v !== 0)).toBe(true);
  });
});

/** Code and message pattern per malformed fixture: the message must name what is wrong. */
const MALFORMED: Record<string, [InputErrorCode, RegExp]> = {
  'st_truncated.safetensors': [
    'truncated',
    /truncated: the header describes [\d,]+ bytes of tensor data but only [\d,]+ bytes follow it/,
  ],
  'st_truncated_header.safetensors': ['truncated', /header of [\d,]+ bytes runs past the end of the file \(40 bytes\)/],
  'st_huge_header.safetensors': ['too-large', /header length 1,099,511,627,776 bytes is over the limit/],
  'st_overlap.safetensors': ['corrupt', /tensors "a" \[0, 16\] and "b" \[8, 16\] overlap/],
  'st_shape_mismatch.safetensors': [
    'corrupt',
    /tensor "a": shape \[3\] × 4-byte F32 = 12 bytes, but data_offsets \[0, 16\] span 16 bytes/,
  ],
  'st_gap.safetensors': ['corrupt', /data bytes \[8, 16\) before tensor "b" belong to no tensor/],
  'st_bad_dtype.safetensors': ['unsupported', /dtype "F8_E4M3" is not supported/],
  'st_bad_json.safetensors': ['corrupt', /header is not valid JSON/],
  'st_too_many_elements.safetensors': [
    'too-large',
    /tensor 'a' of shape \[100000, 100000\] has more than the [\d,]+-element limit/,
  ],
  'torch_model.pt': [
    'unsupported',
    /PyTorch checkpoint saved by torch\.save.*save_file\(model\.state_dict\(\), "model\.safetensors"\)/,
  ],
  'torch_legacy.pth': ['unsupported', /Python pickle \(protocol 2\).*from safetensors\.torch import save_file/],
  'keras3_truncated.weights.h5': ['truncated', /HDF5 .* points past the end of the file/],
  'keras_truncated.keras': ['truncated', /no end-of-central-directory record/],
  'keras_bomb_declared.keras': [
    'too-large',
    /model\.weights\.h5: declared uncompressed size 4,026,531,840 bytes is over the limit/,
  ],
  'keras_bomb_inflate.keras': ['corrupt', /model\.weights\.h5: compressed data inflates past the expected 1,024 bytes/],
  'keras_no_weights.keras': ['unknown-format', /no model\.weights\.h5.*entries: config\.json, metadata\.json/],
  'legacy_truncated.h5': [
    'truncated',
    /points past the end of the file|lies outside the file \([\d,]+ bytes\): truncated or corrupt/,
  ],
  'legacy_missing_group.h5': ['corrupt', /layer_names lists 'missing' but there is no group 'missing'/],
  'legacy_lzf.h5': ['unsupported', /dataset 'dense\/dense\/kernel:0': HDF5 filter 32000 \(lzf\) cannot be decoded/],
  'not_keras.h5': ['unknown-format', /HDF5 file without Keras weights.*top-level members: x/],
  'keras3_libver_latest.weights.h5': ['unsupported', /chunked dataset in the HDF5 1\.10\+ layout \(libver='latest'\)/],
  'hdf5_btree_bomb.h5': [
    'corrupt',
    /HDF5 superblock and root group: more than [\d,]+ field reads, stopped \(corrupt file\?\)/,
  ],
  'keras3_string_var.weights.h5': [
    'unsupported',
    /dataset 'layers\/dense\/vars\/0': HDF5 string datatype is not a numeric weight type/,
  ],
};

describe('malformed files throw a specific InputError', () => {
  it('covers every malformed fixture the generator wrote', () => {
    expect(Object.keys(MALFORMED).sort()).toEqual(Object.keys(expected.malformed).sort());
  });
  for (const [file, [code, pattern]] of Object.entries(MALFORMED)) {
    it(file, () => {
      const e = thrown(() => loadWeights(fixture(file), file));
      expect(e.message.startsWith(`${file}: `), e.message).toBe(true);
      expect(e.message).toMatch(pattern);
      expect(e.message).not.toMatch(/\n/);
      expect(e.code, e.message).toBe(code);
    });
  }

  it('refuses empty, unknown and user-block files by content', () => {
    expect(thrown(() => loadWeights(new Uint8Array(0), 'w.h5')).message).toBe('w.h5: the file is empty');
    expect(thrown(() => loadWeights(new Uint8Array(64).fill(7), 'w.h5')).code).toBe('corrupt');
    expect(thrown(() => loadWeights(new Uint8Array(64).fill(7), 'w.pt')).message).toMatch(
      /not a recognised weight file.*save_file/,
    );
    expect(thrown(() => loadWeights(new Uint8Array(64).fill(7), 'w.dat')).code).toBe('unknown-format');
    const h5 = fixture('legacy_weights.h5');
    const withUserBlock = new Uint8Array(512 + h5.length);
    withUserBlock.set(h5, 512);
    expect(thrown(() => loadWeights(withUserBlock, 'u.h5')).message).toMatch(/512-byte user block/);
  });

  describe('element cap', () => {
    const saved = getMaxElements();
    afterEach(() => setMaxElements(saved));
    it('applies getMaxElements() per tensor in every format', () => {
      setMaxElements(300);
      expect(thrown(() => loadWeights(fixture('torch_small.safetensors'), 's')).message).toMatch(
        /tensor 'classifier\.weight' of shape \[5, 144\] has more than the 300-element limit/,
      );
      expect(thrown(() => loadWeights(fixture('keras3_nested.keras'), 'k')).message).toMatch(
        /tensor 'layers\/dense\/vars\/0' of shape \[144, 5\]/,
      );
      expect(thrown(() => loadWeights(fixture('legacy_full.h5'), 'l')).code).toBe('too-large');
    });
  });
});

describe('damaged copies of valid files never crash or hang', () => {
  /** Per-load time budget: honest loads of these fixtures take ~1–30 ms. */
  const BUDGET_MS = 2000;
  const files = Object.keys(expected.files).map((name) => ({ name, bytes: fixture(name) }));

  /** Loads; on success checks the invariants, on failure that it is a proper InputError. Returns the time taken. */
  function attempt(name: string, bytes: Uint8Array): number {
    const t0 = performance.now();
    try {
      for (const t of loadWeights(bytes, name).tensors) {
        expect(t.data.length).toBe(product(t.shape));
        expect(t.data.length).toBeLessThanOrEqual(getMaxElements());
      }
    } catch (e) {
      if (!(e instanceof InputError))
        throw new Error(`${name}: non-InputError thrown: ${e instanceof Error ? e.stack : String(e)}`);
      expect(e.message.startsWith(`${name}: `), e.message).toBe(true);
      // the safety net in loadWeights means a reader let a foreign error through
      expect(e.message, e.message).not.toMatch(/unexpected error while reading/);
    }
    return performance.now() - t0;
  }

  it('truncations (a sweep and random cuts)', () => {
    for (const { name, bytes } of files) {
      const step = Math.max(1, Math.floor(bytes.length / 150));
      for (let n = 0; n < bytes.length; n += step)
        expect(attempt(name, bytes.subarray(0, n)), `${name} cut at ${n}`).toBeLessThan(BUDGET_MS);
    }
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.double({ min: 0, max: 1, noNaN: true }), ({ name, bytes }, cut) => {
        expect(attempt(name, bytes.subarray(0, Math.floor(cut * bytes.length)))).toBeLessThan(BUDGET_MS);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('byte flips, biased toward headers and metadata', () => {
    const position = fc.oneof(fc.nat({ max: 4095 }), fc.nat());
    fc.assert(
      fc.property(
        fc.constantFrom(...files),
        fc.array(fc.tuple(position, fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 6 }),
        ({ name, bytes }, flips) => {
          const damaged = bytes.slice();
          for (const [at, x] of flips) damaged[at % damaged.length]! ^= x;
          expect(attempt(name, damaged), `${name} flips ${JSON.stringify(flips)}`).toBeLessThan(BUDGET_MS);
        },
      ),
      { numRuns: 1500, seed: 12 },
    );
  });

  it('random bytes after each format signature', () => {
    const heads = [
      new Uint8Array([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0]),
      new Uint8Array([0x50, 0x4b, 0x03, 0x04]),
      new Uint8Array([0x80, 0x02]),
      new Uint8Array([16, 0, 0, 0, 0, 0, 0, 0, 0x7b]),
    ];
    fc.assert(
      fc.property(fc.constantFrom(...heads), fc.uint8Array({ maxLength: 600 }), (head, body) => {
        const bytes = new Uint8Array(head.length + body.length);
        bytes.set(head);
        bytes.set(body, head.length);
        expect(attempt('fuzz.bin', bytes)).toBeLessThan(BUDGET_MS);
      }),
      { numRuns: 600, seed: 13 },
    );
  });
});
