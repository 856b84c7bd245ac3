/**
 * Hostile HDF5 weight files (scripts/gen-hostile-h5.py): an external link, and compressed chunks
 * that decode to far more than the file. Each is one clean InputError, in bounded time and memory.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/io/errors';
import { Meter } from '../../../src/io/jsfiveGuard';
import { loadWeights } from '../../../src/io/weights';

const fixture = (n: string) => new Uint8Array(readFileSync(`test/fixtures/weights/${n}`));

function errorOf(f: () => unknown): InputError {
  const t = performance.now();
  try {
    f();
  } catch (e) {
    expect(performance.now() - t).toBeLessThan(10_000);
    if (e instanceof InputError) {
      expect(e.message).not.toContain('\n');
      return e;
    }
    throw new Error(`expected an InputError, got ${String(e)}`);
  }
  throw new Error('expected an InputError, got none');
}

describe('hostile HDF5 weight files', () => {
  it('an external link: a clean message naming the group, not "e is not a function"', () => {
    expect(errorOf(() => loadWeights(fixture('h5_external_link.weights.h5'), 'ext.weights.h5')).message).toBe(
      "ext.weights.h5: HDF5 object 'layers/dense/vars': a structure failed its consistency check, or uses a feature this reader does not support (such as an external link)",
    );
    // the same words for the bundled (minified) jsfive, whose assert is called "e"
    const meter = new Meter('min.h5', new Uint8Array(8));
    const e = errorOf(() =>
      meter.guard('object x', () => {
        throw new TypeError('e is not a function');
      }),
    );
    expect(e.message).toMatch(/^min\.h5: HDF5 object x: a structure failed its consistency check/);
  });

  it('137 KB of gzip chunks declaring 2^25 elements (128 MB): refused by the sizes its chunk index declares, before anything is decoded', () => {
    const bytes = fixture('h5_chunked_bomb.weights.h5');
    expect(bytes.length).toBeLessThan(150_000);
    const before = process.memoryUsage().rss;
    expect(errorOf(() => loadWeights(bytes, 'bomb.weights.h5')).message).toBe(
      "bomb.weights.h5: dataset 'layers/dense/vars/0': 130,752 bytes of chunks would decode to 134,217,728; compressed datasets may decode to 100 times their stored size (67,108,864 bytes in all here); re-save the weights without compression",
    );
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 2 ** 20);
  });
});

describe('chunked datasets are placed exactly', () => {
  it('chunks overhanging the edges, through gzip, shuffle and fletcher32, in float32, float16, big-endian float64', () => {
    const w = loadWeights(fixture('h5_chunked_edges.weights.h5'), 'edges.weights.h5');
    const byName = new Map(w.tensors.map((t) => [t.name, t]));
    const arange = (n: number) => Array.from({ length: n }, (_, i) => i);
    expect(byName.get('layers/dense/vars/0')!.shape).toEqual([5, 7, 3]);
    expect([...byName.get('layers/dense/vars/0')!.data]).toEqual(arange(105));
    expect([...byName.get('layers/dense/vars/1')!.data]).toEqual(arange(36));
    expect([...byName.get('layers/dense/vars/2')!.data]).toEqual(arange(10));
  });
});
