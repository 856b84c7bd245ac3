/**
 * Running jsfive (pure-JS HDF5 reader) on untrusted bytes.
 *
 * jsfive was written for trusted files. On malformed input it throws strings, TypeErrors from its
 * `assert` (which calls the falsy value: "thing is not a function"), RangeErrors from DataView,
 * and it can run for a very long time: B-tree nodes are followed without a visited set (a level-2
 * node listing one level-1 node 4,000 times, which lists a leaf 4,000 times, is 16 M node reads
 * from a 136 KB file), every count is trusted, and chunks lying outside the dataset are iterated
 * element by element without reading anything. So each H5 file gets a Meter:
 *  - jsfive reads the file through a MeteredBuffer, an ArrayBuffer subclass whose slice() — which
 *    jsfive calls for every signature, name, heap block and chunk — counts calls and copied bytes;
 *  - while jsfive runs, DataView.prototype.getUint32 is wrapped to count reads: jsfive's B-tree
 *    entries, addresses and lengths all go through it, and those loops call nothing else we could
 *    observe. The wrapper is installed only inside guard() and restored in `finally`; jsfive is
 *    synchronous, so no other code runs meanwhile;
 *  - while chunked data is assembled, every chunk slice is charged the chunk's element count;
 *  - a deadline backs all of these up;
 *  - jsfive's gzip filter is replaced by a capped inflater (a chunk cannot inflate past its size);
 *  - whatever jsfive throws becomes an InputError naming the file and what was being read, and
 *    console.warn (which jsfive uses for attributes it cannot decode) is muted.
 * Honest files stay far inside every limit (see the constructor).
 */
import type * as Jsfive from 'jsfive';
import { once } from '../shared/once';
import { describeThrown, fmtBytes, fmtInt, InputError, inputFail } from './errors';
import { printable } from './weightLimits';
import { inflateCapped } from './zip';

/**
 * jsfive, loaded when an HDF5 file is first read: evaluating the package builds its tables
 * (about 3 ms), which every start of the command and the workers would pay otherwise.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, on purpose
export const jsfive = once(() => require('jsfive') as typeof Jsfive);

class BudgetError extends Error {}

export class Meter {
  private slices = 0;
  private reads = 0;
  private copied = 0;
  private work = 0;
  private chunkCharge = 0;
  private maxWork = Infinity;
  private maxSteps = 0;
  private readonly maxSlices: number;
  private readonly maxReads: number;
  private readonly maxCopied: number;
  private readonly deadline: number;
  /** Copy of the file for jsfive, metered. */
  readonly buffer: ArrayBuffer;

  constructor(
    readonly file: string,
    bytes: Uint8Array,
  ) {
    const n = bytes.length;
    // Measured on honest files: ~300 slices and ~2,000 reads for a 30 KB five-layer model, 21 k
    // slices and 290 k reads for a 43 MB 300-layer one (both scale with objects, not bytes).
    // These limits are ~100× that; a 136 KB B-tree bomb then stops after ~0.2 s instead of minutes.
    this.maxSlices = 20_000 + Math.floor(n / 64);
    this.maxReads = 500_000 + n;
    this.maxCopied = 4 * n + 64 * 1024 * 1024;
    // 20 s plus 1 s per 10 MB: the last resort when the counters above are not reached
    this.deadline = performance.now() + 20_000 + n / 10_000;
    const buf = new MeteredBuffer(n);
    new Uint8Array(buf).set(bytes);
    buf.meter = this;
    this.buffer = buf;
    installFilters();
  }

  onSlice(length: number): void {
    if (++this.slices > this.maxSlices) throw new BudgetError(`more than ${fmtInt(this.maxSlices)} structure reads`);
    this.copied += length;
    if (this.copied > this.maxCopied) throw new BudgetError(`more than ${fmtBytes(this.maxCopied)} read`);
    this.work += this.chunkCharge;
    if (this.work > this.maxWork)
      throw new BudgetError(`chunk layout needs more than ${fmtInt(this.maxSteps)} element steps`);
    if (performance.now() > this.deadline) throw new BudgetError('reading took too long');
  }

  onRead(): void {
    if (++this.reads > this.maxReads) throw new BudgetError(`more than ${fmtInt(this.maxReads)} field reads`);
    if ((this.reads & 0xffff) === 0 && performance.now() > this.deadline)
      throw new BudgetError('reading took too long');
  }

  /** Runs a jsfive call; anything it throws becomes an InputError naming the file and `what`. */
  guard<T>(what: string, fn: () => T): T {
    const warn = console.warn;
    const getUint32 = DataView.prototype.getUint32;
    const outer = active;
    console.warn = () => {};
    DataView.prototype.getUint32 = meteredGetUint32;
    active = this;
    try {
      return fn();
    } catch (e) {
      throw this.translate(what, e);
    } finally {
      active = outer;
      DataView.prototype.getUint32 = getUint32;
      console.warn = warn;
    }
  }

  /**
   * Assembles chunked data: `fn` may take (slices × elementsPerChunk) element steps up to
   * `maxSteps`, and any chunk may inflate to at most `chunkBytes`.
   */
  chunked<T>(what: string, elementsPerChunk: number, chunkBytes: number, maxSteps: number, fn: () => T): T {
    this.chunkCharge = elementsPerChunk;
    this.maxSteps = maxSteps;
    this.maxWork = this.work + maxSteps;
    inflateLimit = chunkBytes;
    inflateWhere = `${this.file}: ${what}`;
    try {
      return this.guard(what, fn);
    } finally {
      this.chunkCharge = 0;
      this.maxWork = Infinity;
    }
  }

  private translate(what: string, e: unknown): InputError {
    if (e instanceof InputError) return e;
    const where = `${this.file}: HDF5 ${printable(what)}`;
    if (e instanceof BudgetError) return new InputError('corrupt', `${where}: ${e.message}, stopped (corrupt file?)`);
    // DataView reads past the end: jsfive followed an offset that is not in the file
    if (e instanceof RangeError && /outside the bounds|out of bounds/i.test(e.message)) {
      return new InputError('truncated', `${where} points past the end of the file: truncated or corrupt`);
    }
    // jsfive throws strings shaped like Python exceptions: ValueError("fletcher32 checksum invalid")
    const text = describeThrown(e).replace(/^\w+\((["'])(.*)\1\)$/, '$2');
    // jsfive's assert calls its falsy argument: "thing is not a function" ("e is not a function"
    // once bundled and minified). It guards, among others, the link type: an external link fails it.
    const detail =
      e instanceof TypeError && /^[\w$]+ is not a function$/.test(text)
        ? 'a structure failed its consistency check, or uses a feature this reader does not support (such as an external link)'
        : text;
    return new InputError('corrupt', `${where}: ${printable(detail)}`);
  }
}

class MeteredBuffer extends ArrayBuffer {
  // slices are plain ArrayBuffers: only reads of the file itself are metered
  static override get [Symbol.species](): ArrayBufferConstructor {
    return ArrayBuffer;
  }
  meter: Meter | null = null;
  override slice(begin?: number, end?: number): ArrayBuffer {
    const out = super.slice(begin, end);
    this.meter?.onSlice(out.byteLength);
    return out;
  }
}

let active: Meter | null = null;
const nativeGetUint32 = DataView.prototype.getUint32;
function meteredGetUint32(this: DataView, byteOffset: number, littleEndian?: boolean): number {
  active?.onRead();
  return nativeGetUint32.call(this, byteOffset, littleEndian);
}

/** Bytes the chunk being decoded may inflate to; set by Meter.chunked (jsfive is synchronous). */
let inflateLimit = 0;
let inflateWhere = '';
let filtersInstalled = false;

function installFilters(): void {
  if (filtersInstalled) return;
  filtersInstalled = true;
  jsfive().Filters.set(
    1,
    (buf) => inflateCapped(new Uint8Array(buf), inflateLimit, 'zlib', inflateWhere).buffer as ArrayBuffer,
  );
}

export function checkFilters(where: string, filters: Map<string, unknown>[]): void {
  for (const f of filters) {
    const id = f.get('filter_id');
    if (id !== 1 && id !== 2 && id !== 3) {
      const label = typeof id === 'number' ? `${id}${FILTER_NAMES[id] ? ` (${FILTER_NAMES[id]})` : ''}` : String(id);
      inputFail(
        'unsupported',
        `${where}: HDF5 filter ${label} cannot be decoded; re-save the weights without compression or with gzip`,
      );
    }
  }
}

/** jsfive decodes 1–3 (gzip, shuffle, fletcher32); the rest are named in the refusal. */
const FILTER_NAMES: Record<number, string> = {
  4: 'szip',
  32000: 'lzf',
  32001: 'blosc',
  32004: 'lz4',
  32008: 'bitshuffle',
  32015: 'zstd',
};
