/**
 * Our own decoding of the three HDF5 header messages that describe a dataset's values —
 * dataspace (shape), datatype (element type) and data layout (where the bytes are) — read from
 * the file bytes at offsets jsfive located. Doing this ourselves, instead of asking jsfive for
 * `Dataset.value`, means:
 *  - every offset and length is checked against the file before anything is read or allocated
 *    (jsfive allocates `new Array(shape product)` first and reads out of bounds later);
 *  - contiguous and compact data is decoded straight into a Float32Array (jsfive builds a plain
 *    Array through one DataView call per element);
 *  - 64-bit dimensions are read whole (jsfive keeps the low 32 bits), float formats are checked
 *    to be IEEE (a custom 16-bit float such as bfloat16 is recognised, not misread as half),
 *    and Keras 3's bfloat16 variables (opaque 2-byte values tagged with attrs.dtype) decode.
 * Format reference: HDF5 File Format Specification v3, section IV.A.2.
 */
import type { ElementType } from './dtypes';
import { fmtBytes, fmtInt, inputFail } from './errors';
import { MAX_RANK } from './weightLimits';

export const MSG_DATASPACE = 0x01;
export const MSG_DATATYPE = 0x03;
export const MSG_LAYOUT = 0x08;
export const MSG_ATTRIBUTE = 0x0c;
export const MSG_ATTRIBUTE_INFO = 0x15;

export type Layout =
  | { kind: 'contiguous'; address: number | null; size: number | null }
  | { kind: 'compact'; offset: number; size: number }
  | { kind: 'chunked' };

/** Bounds-checked little-endian reads over the file; `where` prefixes every message. */
export class ByteReader {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    readonly where: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  check(at: number, n: number, what: string): void {
    if (!(Number.isSafeInteger(at) && at >= 0 && at + n <= this.bytes.length)) {
      inputFail(
        'truncated',
        `${this.where}: ${what} at offset ${at} (${fmtBytes(n)}) lies outside the file (${fmtBytes(this.bytes.length)}): truncated or corrupt`,
      );
    }
  }
  u8(at: number, what: string): number {
    this.check(at, 1, what);
    return this.view.getUint8(at);
  }
  u16(at: number, what: string): number {
    this.check(at, 2, what);
    return this.view.getUint16(at, true);
  }
  u32(at: number, what: string): number {
    this.check(at, 4, what);
    return this.view.getUint32(at, true);
  }
  /** null for the undefined address (all ones); Infinity above 2^53 (never a valid offset). */
  u64(at: number, what: string): number | null {
    this.check(at, 8, what);
    const v = this.view.getBigUint64(at, true);
    if (v === 0xffffffffffffffffn) return null;
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(v);
  }
}

export function parseDataspace(r: ByteReader, at: number): number[] {
  const version = r.u8(at, 'dataspace message');
  const rank = r.u8(at + 1, 'dataspace message');
  let dims: number;
  if (version === 1) dims = at + 8;
  else if (version === 2) {
    if (r.u8(at + 3, 'dataspace message') === 2)
      inputFail('unsupported', `${r.where}: dataset has a null dataspace (no values)`);
    dims = at + 4;
  } else inputFail('corrupt', `${r.where}: unknown dataspace message version ${version}`);
  if (rank > MAX_RANK) inputFail('corrupt', `${r.where}: dataspace rank ${rank} is over HDF5's limit of ${MAX_RANK}`);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) {
    const d = r.u64(dims + 8 * i, 'dataspace dimension');
    if (d === null || !Number.isSafeInteger(d))
      inputFail('corrupt', `${r.where}: dataspace dimension ${i} is not a valid size`);
    shape.push(d);
  }
  return shape;
}

/**
 * Checks an attribute message before jsfive decodes it: jsfive allocates `new Array(count)` from
 * the attribute's dataspace and reads until it runs off the file, so a corrupt dimension costs
 * seconds and gigabytes. Every value takes at least one byte of the message (16 for a
 * variable-length string reference), so more values than message bytes means corruption.
 */
export function checkAttributeMessage(r: ByteReader, at: number, messageSize: number): void {
  const version = r.u8(at, 'attribute message');
  const nameSize = r.u16(at + 2, 'attribute message');
  const typeSize = r.u16(at + 4, 'attribute message');
  const pad = (n: number) => (version === 1 ? Math.ceil(n / 8) * 8 : n);
  let space: number;
  if (version === 1 || version === 2) space = at + 8 + pad(nameSize) + pad(typeSize);
  else if (version === 3) space = at + 9 + nameSize + typeSize;
  else inputFail('corrupt', `${r.where}: unknown attribute message version ${version}`);
  const spaceVersion = r.u8(space, 'attribute dataspace');
  const rank = r.u8(space + 1, 'attribute dataspace');
  if (spaceVersion === 2 && r.u8(space + 3, 'attribute dataspace') === 2) return; // null dataspace: no values
  const dims = spaceVersion === 1 ? space + 8 : space + 4;
  let count = 1;
  for (let i = 0; i < rank && count <= messageSize; i++)
    count *= r.u64(dims + 8 * i, 'attribute dimension') ?? Infinity;
  if (count > Math.max(messageSize, 1)) {
    inputFail(
      'corrupt',
      `${r.where}: an attribute claims ${Number.isFinite(count) ? fmtInt(count) : 'too many'} values in a message of ${fmtBytes(messageSize)}`,
    );
  }
}

/** IEEE layouts by size: [exponent bits, mantissa bits, bias]. */
const IEEE: Record<number, [number, number, number]> = { 2: [5, 10, 15], 4: [8, 23, 127], 8: [11, 52, 1023] };
const CLASS_NAMES = [
  'fixed-point',
  'floating-point',
  'time',
  'string',
  'bitfield',
  'opaque',
  'compound',
  'reference',
  'enum',
  'variable-length',
  'array',
];

/**
 * Element type of a dataset. `attrDtype` is the dataset's `dtype` attribute, which Keras 3 sets to
 * 'bfloat16' on the opaque 2-byte datasets it writes for bfloat16 variables.
 */
export function parseDatatype(r: ByteReader, at: number, attrDtype: unknown): { type: ElementType; name: string } {
  const head = r.u8(at, 'datatype message');
  const cls = head & 0x0f;
  const bits0 = r.u8(at + 1, 'datatype message');
  const size = r.u32(at + 4, 'datatype message');
  const le = (bits0 & 1) === 0;
  const order = le ? '<' : '>';
  if (cls === 0 && [1, 2, 4, 8].includes(size)) {
    const signed = (bits0 & 0x08) !== 0;
    return {
      type: { kind: signed ? 'int' : 'uint', size, littleEndian: le },
      name: `${order}${signed ? 'i' : 'u'}${size}`,
    };
  }
  if (cls === 1 && (bits0 & 0x40) === 0) {
    const expBits = r.u8(at + 8 + 5, 'float properties');
    const mantBits = r.u8(at + 8 + 7, 'float properties');
    const bias = r.u32(at + 8 + 8, 'float properties');
    if (size === 2 && expBits === 8 && mantBits === 7 && bias === 127) {
      return { type: { kind: 'bfloat', size: 2, littleEndian: le }, name: 'bfloat16' };
    }
    const ieee = IEEE[size];
    if (ieee && ieee[0] === expBits && ieee[1] === mantBits && ieee[2] === bias) {
      return { type: { kind: 'float', size, littleEndian: le }, name: `${order}f${size}` };
    }
    inputFail(
      'unsupported',
      `${r.where}: ${size * 8}-bit float with ${expBits} exponent and ${mantBits} mantissa bits is not an IEEE or bfloat16 format`,
    );
  }
  if (cls === 5 && size === 2 && attrDtype === 'bfloat16') {
    return { type: { kind: 'bfloat', size: 2, littleEndian: true }, name: 'bfloat16' };
  }
  const what = cls === 0 || cls === 1 ? `${size}-byte ${CLASS_NAMES[cls]}` : (CLASS_NAMES[cls] ?? `class ${cls}`);
  inputFail('unsupported', `${r.where}: HDF5 ${what} datatype is not a numeric weight type`);
}

export function parseLayout(r: ByteReader, at: number): Layout {
  const version = r.u8(at, 'data layout message');
  if (version === 1 || version === 2) {
    const cls = r.u8(at + 2, 'data layout message');
    if (cls === 1) return { kind: 'contiguous', address: r.u64(at + 8, 'data address'), size: null };
    if (cls === 2) return { kind: 'chunked' };
    inputFail(
      'unsupported',
      `${r.where}: version ${version} ${cls === 0 ? 'compact' : `class ${cls}`} data layout is not supported`,
    );
  }
  if (version !== 3 && version !== 4)
    inputFail('corrupt', `${r.where}: unknown data layout message version ${version}`);
  const cls = r.u8(at + 1, 'data layout message');
  if (cls === 0) {
    const size = r.u16(at + 2, 'compact data size');
    r.check(at + 4, size, 'compact data');
    return { kind: 'compact', offset: at + 4, size };
  }
  if (cls === 1)
    return { kind: 'contiguous', address: r.u64(at + 2, 'data address'), size: r.u64(at + 10, 'data size') };
  if (cls === 2 && version === 3) return { kind: 'chunked' };
  if (cls === 2) {
    inputFail(
      'unsupported',
      `${r.where}: chunked dataset in the HDF5 1.10+ layout (libver='latest') is not supported; re-save with h5py's default libver`,
    );
  }
  inputFail('unsupported', `${r.where}: ${cls === 3 ? 'virtual' : `class ${cls}`} data layout is not supported`);
}

/** Offset and byte length of a non-chunked dataset's values, checked against the file and the shape. */
export function rawDataRange(r: ByteReader, layout: Layout, need: number): { offset: number; length: number } | null {
  if (layout.kind === 'compact') {
    if (layout.size !== need)
      inputFail(
        'corrupt',
        `${r.where}: compact data holds ${fmtBytes(layout.size)}, shape × element size needs ${fmtBytes(need)}`,
      );
    return { offset: layout.offset, length: need };
  }
  if (layout.kind !== 'contiguous') return null;
  if (layout.address === null) {
    if (need === 0) return { offset: 0, length: 0 };
    inputFail('unsupported', `${r.where}: dataset has no stored data (created but never written)`);
  }
  if (layout.size !== null && layout.size !== need) {
    inputFail(
      'corrupt',
      `${r.where}: data layout says ${fmtBytes(layout.size)}, shape × element size needs ${fmtBytes(need)}`,
    );
  }
  r.check(layout.address, need, 'dataset values');
  return { offset: layout.address, length: need };
}
