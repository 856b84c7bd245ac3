/**
 * A PNG may have one IHDR, and it comes first: a second IHDR (which pngjs would honour, sizing its
 * buffers from it) must be refused before anything is decoded or allocated.
 */
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/io/errors';
import { decodeImage } from '../../../src/io/image';
import { concat, ihdr, PNG_SIG, pngChunk } from './imageBuilders';

function errorOf(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw new Error(`expected an InputError, got ${String(e)}`);
  }
  throw new Error('expected an InputError, got none');
}

describe('PNG with a second IHDR chunk', () => {
  const idat = pngChunk('IDAT', deflateSync(new Uint8Array([0, 0])));
  const iend = pngChunk('IEND', new Uint8Array(0));

  it('is refused before the decoder runs (a 1×1 header, then a 50,000×50,000 one)', () => {
    const bytes = concat(PNG_SIG, ihdr(1, 1, 8, 0), ihdr(50_000, 52_000, 8, 6), idat, iend);
    expect(bytes.length).toBeLessThan(200);
    const e = errorOf(() => decodeImage(bytes, 'two.png'));
    expect(e.message).toBe('two.png: corrupt PNG: a second IHDR chunk at byte 33 (only one is allowed)');
    expect(e.message).not.toContain('\n');
  });

  it('a second IHDR after IDAT is refused too', () => {
    const bytes = concat(PNG_SIG, ihdr(1, 1, 8, 0), idat, ihdr(50_000, 52_000, 8, 6), iend);
    expect(errorOf(() => decodeImage(bytes, 'late.png')).message).toMatch(
      /^late\.png: corrupt PNG: a second IHDR chunk/,
    );
  });
});
