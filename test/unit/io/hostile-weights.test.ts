/**
 * Weight and model files that amplify memory: a zip entry or an archive that inflates far past its
 * size, a config.json of nested brackets, duplicate zip entries. Each is refused (or read as Python
 * reads it) in one clean InputError, before the memory is spent.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/io/errors';
import { loadWeights } from '../../../src/io/weights';
import { listZip, readZipEntry } from '../../../src/io/zip';
import { readModelFile } from '../../../src/modelfile';
import { makeZip } from '../helpers/zipWriter';

const SMALL = new Uint8Array(readFileSync('test/fixtures/weights/keras3_small.keras'));
const entries = listZip(SMALL, 'small.keras');
const part = (n: string) =>
  readZipEntry(
    SMALL,
    'small.keras',
    entries.find((e) => e.name === n)!,
    1 << 26,
  );
const CONFIG = part('config.json');
const WEIGHTS = part('model.weights.h5');

function errorOf(f: () => unknown): InputError {
  const t = performance.now();
  try {
    f();
  } catch (e) {
    expect(performance.now() - t).toBeLessThan(5000);
    if (e instanceof InputError) {
      expect(e.message).not.toContain('\n');
      return e;
    }
    throw new Error(`expected an InputError, got ${String(e)}`);
  }
  throw new Error('expected an InputError, got none');
}

describe('hostile .keras archives', () => {
  it('a config.json of 30,000 nested brackets is refused before JSON.parse, as weights and as a model', () => {
    const nested = '{"a":' + '['.repeat(30_000) + ']'.repeat(30_000) + '}';
    const zip = makeZip([
      { name: 'config.json', data: nested, deflate: true },
      { name: 'model.weights.h5', data: WEIGHTS },
    ]);
    expect(zip.length).toBeLessThan(70_000);
    expect(errorOf(() => loadWeights(zip, 'deep.keras')).message).toBe(
      'deep.keras: config.json: the model config nests deeper than 64 levels',
    );
    expect(errorOf(() => readModelFile(zip, 'deep.keras')).message).toBe(
      'deep.keras: config.json: the model config nests deeper than 64 levels',
    );
  });

  it('an entry whose declared size is over 100 times its compressed size is refused before inflating', () => {
    const zip = makeZip([
      { name: 'config.json', data: CONFIG },
      { name: 'model.weights.h5', data: new Uint8Array(1000), deflate: true, declaredSize: 2_000_000_000 },
    ]);
    expect(errorOf(() => loadWeights(zip, 'bomb.keras')).message).toMatch(
      /^bomb\.keras: model\.weights\.h5: [\d,]+ bytes would inflate to 2,000,000,000 bytes, a compression ratio over the 100:1 limit$/,
    );
  });

  it("the archive's entries together may inflate to 100 × its size (at least 64 MB), no more", () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const zip = makeZip(names.map((name) => ({ name, data: new Uint8Array(10), declaredSize: 15_000_000 })));
    // each entry lies about its size (and fails on it), but what it declared is counted first
    const errors = listZip(zip, 'many.zip').map((entry) =>
      errorOf(() => readZipEntry(zip, 'many.zip', entry, 1 << 30)),
    );
    expect(errors[0]!.message).toBe('many.zip: a: stored entry sizes disagree (10 vs 15000000)');
    const refusedForTotal = errors[4];
    expect(refusedForTotal?.message).toMatch(
      /^many\.zip: its entries would inflate to more than 67,108,864 bytes in all \(100 × the archive's size\), stopped at e$/,
    );
  });

  it('of two entries with one name the last counts, as in Python', () => {
    const zip = makeZip([
      { name: 'config.json', data: CONFIG },
      { name: 'model.weights.h5', data: 'not hdf5 at all' },
      { name: 'model.weights.h5', data: WEIGHTS },
    ]);
    const w = loadWeights(zip, 'dup.keras');
    expect(w.tensors.length).toBe(loadWeights(SMALL, 'small.keras').tensors.length);
    const reversed = makeZip([
      { name: 'config.json', data: CONFIG },
      { name: 'model.weights.h5', data: WEIGHTS },
      { name: 'model.weights.h5', data: 'not hdf5 at all' },
    ]);
    expect(() => loadWeights(reversed, 'dup.keras')).toThrow(InputError);
  });
});
