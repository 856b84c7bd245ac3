/**
 * Just enough ZIP to read a Keras `.keras` archive and to recognise a PyTorch `torch.save` zip:
 * list the central directory, then extract single entries (stored or deflated) with a size cap.
 *
 * Why not fflate's unzipSync: it trusts the archive. A corrupt (zip64) entry count makes it loop
 * up to 2^32 times over garbage headers, and a deflate stream that expands past the size the
 * directory declares still runs to its real end (output beyond the buffer is dropped, the CPU
 * time is not: ~1000× the compressed size). Here every count and offset is checked against the
 * file first, and inflation goes through fflate's streaming decoder in small pieces so it stops
 * as soon as the output passes the declared size (or through the native inflater, capped there). CRC-32 is verified, so a flipped byte in a
 * stored entry is an error rather than silently wrong weights.
 */
import { fflate, nativeInflate } from './inflate';
import { fmtBytes, fmtInt, InputError, inputFail } from './errors';

export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflate; anything else is refused on extraction. */
  method: number;
  compressedSize: number;
  size: number;
  crc: number;
  localOffset: number;
  encrypted: boolean;
}

/** More entries than any Keras archive or PyTorch checkpoint we accept (one entry per tensor storage). */
export const MAX_ZIP_ENTRIES = 200_000;
const EOCD_SIG = 0x06054b50;
const EOCD64_LOCATOR_SIG = 0x07064b50;
const EOCD64_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
/**
 * Input fed to the inflater per step. One step can produce up to ~1032× its input, so the step
 * scales with the limit (overshoot ≤ ~the limit itself) between 16 KB and 1 MB (fewer, cheaper
 * steps on big entries: each step also copies fflate's 32 KB window).
 */
function inflateStep(limit: number): number {
  return Math.min(1 << 20, Math.max(1 << 14, Math.ceil(limit / 1032)));
}

export function isZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6))
  );
}

function u64(view: DataView, at: number): number {
  const v = view.getBigUint64(at, true);
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(v);
}

/** Lists the central directory, checking every record lies inside the file. */
export function listZip(bytes: Uint8Array, file: string): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  // the end record is 22 bytes plus a comment of at most 65,535 bytes, at the end of the file
  let eocd = -1;
  for (let at = n - 22; at >= 0 && at >= n - 22 - 65535; at--) {
    if (view.getUint32(at, true) === EOCD_SIG) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0)
    inputFail(
      'truncated',
      `${file}: not a complete ZIP archive: no end-of-central-directory record in the last 64 KB (file truncated?)`,
    );
  if (view.getUint16(eocd + 4, true) !== 0 || view.getUint16(eocd + 6, true) !== 0)
    inputFail('unsupported', `${file}: multi-part (spanned) ZIP archives are not supported`);
  let count = view.getUint16(eocd + 10, true);
  let cdSize = view.getUint32(eocd + 12, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  if (eocd >= 20 && view.getUint32(eocd - 20, true) === EOCD64_LOCATOR_SIG) {
    const at = u64(view, eocd - 12);
    if (!(at + 56 <= eocd) || view.getUint32(at, true) !== EOCD64_SIG)
      inputFail('corrupt', `${file}: ZIP64 end record pointer ${at} is not inside the file`);
    count = u64(view, at + 32);
    cdSize = u64(view, at + 40);
    cdOffset = u64(view, at + 48);
  }
  if (count > MAX_ZIP_ENTRIES)
    inputFail(
      'too-large',
      `${file}: ZIP archive lists ${fmtInt(count)} entries, over the ${fmtInt(MAX_ZIP_ENTRIES)} limit`,
    );
  if (!(cdOffset + cdSize <= eocd))
    inputFail(
      'corrupt',
      `${file}: ZIP central directory (offset ${cdOffset}, ${fmtBytes(cdSize)}) does not fit before its end record at ${eocd}`,
    );
  const entries: ZipEntry[] = [];
  const utf8 = new TextDecoder('utf-8');
  let at = cdOffset;
  const end = cdOffset + cdSize;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || view.getUint32(at, true) !== CENTRAL_SIG)
      inputFail('corrupt', `${file}: ZIP central directory entry ${i + 1} of ${count} is damaged (offset ${at})`);
    const flags = view.getUint16(at + 8, true);
    const nameLen = view.getUint16(at + 28, true);
    const extraLen = view.getUint16(at + 30, true);
    const commentLen = view.getUint16(at + 32, true);
    const next = at + 46 + nameLen + extraLen + commentLen;
    if (next > end) inputFail('corrupt', `${file}: ZIP central directory entry ${i + 1} runs past the directory end`);
    let compressedSize = view.getUint32(at + 20, true);
    let size = view.getUint32(at + 24, true);
    let localOffset = view.getUint32(at + 42, true);
    // zip64 extra field: only the values saturated at 0xFFFFFFFF are present, in this order
    for (let x = at + 46 + nameLen; x + 4 <= at + 46 + nameLen + extraLen;) {
      const id = view.getUint16(x, true);
      const len = view.getUint16(x + 2, true);
      if (id === 1) {
        let p = x + 4;
        const take = (v: number): number => {
          if (v !== 0xffffffff) return v;
          if (p + 8 > x + 4 + len) inputFail('corrupt', `${file}: ZIP entry ${i + 1} has a short zip64 extra field`);
          const r = u64(view, p);
          p += 8;
          return r;
        };
        size = take(size);
        compressedSize = take(compressedSize);
        localOffset = take(localOffset);
      }
      x += 4 + len;
    }
    entries.push({
      name: utf8.decode(bytes.subarray(at + 46, at + 46 + nameLen)),
      method: view.getUint16(at + 10, true),
      compressedSize,
      size,
      crc: view.getUint32(at + 16, true),
      localOffset,
      encrypted: (flags & 1) !== 0,
    });
    at = next;
  }
  return entries;
}

/** Python's zipfile reads the last of several entries with one name: so do we. */
export function latestEntries(entries: readonly ZipEntry[]): ZipEntry[] {
  const byName = new Map<string, ZipEntry>();
  for (const e of entries) {
    byName.delete(e.name);
    byName.set(e.name, e);
  }
  return [...byName.values()];
}

/**
 * Compression ratio an entry may have once it inflates past RATIO_FREE_BYTES: weights compress
 * ~1.1:1, JSON ~10:1; deflate's maximum is ~1032:1, reached only by runs of one byte.
 */
export const MAX_ZIP_RATIO = 100;
const RATIO_FREE_BYTES = 16 * 1024 * 1024;
/** What all entries read from one archive may inflate to: its size × MAX_ZIP_RATIO, at least this… */
const TOTAL_FREE_BYTES = 64 * 1024 * 1024;
/** …and never more than this. */
export const MAX_ZIP_TOTAL_BYTES = 2 ** 31 - 1;
/** Bytes inflated so far from each archive (by its bytes), so that many entries add up. */
const inflatedFrom = new WeakMap<Uint8Array, number>();

/**
 * Extracts one entry, refusing it up front when its declared size is over `maxSize`, its
 * compression ratio is over MAX_ZIP_RATIO, or the archive's entries together would inflate past
 * its budget; inflating stops as soon as the output passes the declared size.
 */
export function readZipEntry(bytes: Uint8Array, file: string, entry: ZipEntry, maxSize: number): Uint8Array {
  const where = `${file}: ${entry.name}`;
  if (entry.size > maxSize)
    inputFail(
      'too-large',
      `${where}: declared uncompressed size ${fmtBytes(entry.size)} is over the limit of ${fmtBytes(maxSize)}`,
    );
  if (entry.size > RATIO_FREE_BYTES && entry.size > MAX_ZIP_RATIO * entry.compressedSize)
    inputFail(
      'too-large',
      `${where}: ${fmtBytes(entry.compressedSize)} would inflate to ${fmtBytes(entry.size)}, a compression ratio over the ${MAX_ZIP_RATIO}:1 limit`,
    );
  const budget = Math.min(MAX_ZIP_TOTAL_BYTES, Math.max(TOTAL_FREE_BYTES, MAX_ZIP_RATIO * bytes.length));
  const before = inflatedFrom.get(bytes) ?? 0;
  if (before + entry.size > budget)
    inputFail(
      'too-large',
      `${file}: its entries would inflate to more than ${fmtBytes(budget)} in all (${MAX_ZIP_RATIO} × the archive's size), stopped at ${entry.name}`,
    );
  inflatedFrom.set(bytes, before + entry.size);
  if (entry.encrypted) inputFail('unsupported', `${where}: encrypted ZIP entries are not supported`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = entry.localOffset;
  if (!(lo + 30 <= bytes.length) || view.getUint32(lo, true) !== LOCAL_SIG)
    inputFail('corrupt', `${where}: local header at offset ${lo} is missing or damaged`);
  const start = lo + 30 + view.getUint16(lo + 26, true) + view.getUint16(lo + 28, true);
  if (!(start + entry.compressedSize <= bytes.length)) {
    inputFail(
      'truncated',
      `${where}: ${fmtBytes(entry.compressedSize)} of data at offset ${start} run past the end of the file (${fmtBytes(bytes.length)})`,
    );
  }
  const raw = bytes.subarray(start, start + entry.compressedSize);
  let out: Uint8Array;
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size)
      inputFail('corrupt', `${where}: stored entry sizes disagree (${entry.compressedSize} vs ${entry.size})`);
    out = raw.slice();
  } else if (entry.method === 8) {
    out = inflateCapped(raw, entry.size, 'raw', where);
    if (out.length !== entry.size)
      inputFail('corrupt', `${where}: inflates to ${fmtBytes(out.length)}, the directory says ${fmtBytes(entry.size)}`);
  } else {
    inputFail(
      'unsupported',
      `${where}: ZIP compression method ${entry.method} is not supported (only stored and deflate)`,
    );
  }
  const crc = crc32(out);
  if (crc !== entry.crc)
    inputFail(
      'corrupt',
      `${where}: CRC-32 mismatch (computed ${hex(crc)}, stored ${hex(entry.crc)}): the archive is damaged`,
    );
  return out;
}

/**
 * Inflates `data` (raw deflate, or zlib-wrapped as HDF5 stores it) and fails as soon as the output
 * passes `limit` bytes, without producing more than one step's worth beyond it.
 */
export function inflateCapped(data: Uint8Array, limit: number, format: 'raw' | 'zlib', where: string): Uint8Array {
  const fast = nativeInflate(data, format, limit);
  if (fast !== null) return fast;
  // the output is allocated once, at the size expected, and filled as the inflater goes
  const out = new Uint8Array(limit);
  let total = 0;
  const onData = (chunk: Uint8Array): void => {
    if (total + chunk.length > limit)
      inputFail('corrupt', `${where}: compressed data inflates past the expected ${fmtBytes(limit)}`);
    out.set(chunk, total);
    total += chunk.length;
  };
  try {
    const f = fflate();
    const inflater = format === 'raw' ? new f.Inflate(onData) : new f.Unzlib(onData);
    const step = inflateStep(limit);
    if (data.length === 0) inflater.push(data, true);
    for (let at = 0; at < data.length; at += step) {
      inflater.push(data.subarray(at, Math.min(data.length, at + step)), at + step >= data.length);
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    inputFail('corrupt', `${where}: invalid deflate data (${e instanceof Error ? e.message : String(e)})`);
  }
  return total === limit ? out : out.slice(0, total);
}

let crcTable: Int32Array | null = null;

function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[i] = c;
    }
  }
  let c = -1;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
