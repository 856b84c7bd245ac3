/**
 * Mutations of real files for the readers' fuzz tests (fast-check): bytes flipped or set to
 * boundary values, 32-bit fields overwritten with extreme integers, truncation, insertion and
 * duplication of slices. Each property draws a seed file and a list of edits, and the reader
 * must end in a value or our own error class.
 */
import fc from 'fast-check';
import { InputError } from '../../../src/io/errors';

type Edit =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'set'; at: number; value: number }
  | { op: 'u32'; at: number; value: number }
  | { op: 'cut'; at: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'dup'; at: number; len: number };

const at = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const EXTREME = [0, 1, 0x7f, 0x80, 0xff, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0x10000, 65535];

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('set' as const), at, value: fc.constantFrom(0, 1, 0x7f, 0x80, 0xff) }),
  fc.record({ op: fc.constant('u32' as const), at, value: fc.constantFrom(...EXTREME) }),
  fc.record({ op: fc.constant('cut' as const), at }),
  fc.record({ op: fc.constant('insert' as const), at, bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ op: fc.constant('dup' as const), at, len: fc.integer({ min: 1, max: 64 }) }),
);

function apply(bytes: Uint8Array, e: Edit): Uint8Array {
  const n = bytes.length;
  const p = Math.floor(e.at * Math.max(1, n));
  switch (e.op) {
    case 'flip': {
      if (n === 0) return bytes;
      const out = bytes.slice();
      out[p] = out[p]! ^ (1 << e.bit);
      return out;
    }
    case 'set': {
      if (n === 0) return bytes;
      const out = bytes.slice();
      out[p] = e.value;
      return out;
    }
    case 'u32': {
      if (n < 4) return bytes;
      const out = bytes.slice();
      new DataView(out.buffer).setUint32(Math.min(p, n - 4), e.value, true);
      return out;
    }
    case 'cut':
      return bytes.slice(0, p);
    case 'insert': {
      const out = new Uint8Array(n + e.bytes.length);
      out.set(bytes.subarray(0, p));
      out.set(e.bytes, p);
      out.set(bytes.subarray(p), p + e.bytes.length);
      return out;
    }
    case 'dup': {
      const slice = bytes.subarray(p, p + e.len);
      const out = new Uint8Array(n + slice.length);
      out.set(bytes.subarray(0, p + slice.length));
      out.set(slice, p + slice.length);
      out.set(bytes.subarray(p + slice.length), p + 2 * slice.length);
      return out;
    }
  }
}

/** A seed file with 1–6 edits applied (or none: the seed itself must read). */
export function mutated(seeds: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(edit, { minLength: 0, maxLength: 6 }))
    .map(([seed, edits]) => edits.reduce(apply, seed));
}

/** Random bytes behind a real file's first bytes (its magic), so the reader gets past the format check. */
export function junkAfterMagic(seeds: readonly Uint8Array[], magic: number): fc.Arbitrary<Uint8Array> {
  return fc.tuple(fc.constantFrom(...seeds), fc.uint8Array({ maxLength: 2000 })).map(([seed, junk]) => {
    const out = new Uint8Array(magic + junk.length);
    out.set(seed.subarray(0, magic));
    out.set(junk, magic);
    return out;
  });
}

/**
 * Runs a reader: a value, or an InputError whose message is one located line and does not come
 * from a safety net (an "unexpected error" wrapper means a reader bug). Anything else fails.
 */
export function ownOutcome(read: () => unknown): 'value' | 'error' {
  try {
    read();
    return 'value';
  } catch (e) {
    if (!(e instanceof InputError)) throw new Error(`not an InputError: ${String(e)}`, { cause: e });
    if (/unexpected error/.test(e.message)) throw new Error(`a safety net caught a reader bug: ${e.message}`);
    if (e.message.includes('\n')) throw new Error(`a message of several lines: ${JSON.stringify(e.message)}`);
    return 'error';
  }
}

/** Property settings: bounded runs, a fixed seed so a failure reproduces. */
export const RUNS = (numRuns: number, seed: number) => ({ numRuns, seed, endOnFailure: true });
