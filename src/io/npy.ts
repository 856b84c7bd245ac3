/**
 * NumPy .npy arrays to and from engine data (Float32Array, C order).
 *
 * readNpy accepts format versions 1.0/2.0/3.0 holding a C-order array of a plain numeric dtype:
 * float16/32/64, int8/16/32/64, uint8/16/32/64, bool, little- or big-endian ('<', '>', or '|' for
 * one-byte types). Values are converted to float32 as numpy's astype(np.float32) would (round to
 * nearest; int64/float64 lose precision beyond float32's 24-bit mantissa; bool → 0/1). Refused with
 * a message saying why: Fortran-order arrays of rank ≥ 2 with two non-unit axes (their bytes are
 * in another order; 0-d, 1-d and arrays with one non-unit axis are byte-identical in both orders,
 * so those are read), object arrays (pickles: unsafe and not numeric), structured, complex,
 * string and datetime dtypes. The data must be exactly shape × itemsize bytes, and the element
 * count must be within the engine's cap (getMaxElements), checked before anything is allocated.
 *
 * writeNpy writes version 1.0, '<f4', with the header numpy 1.24 writes (sorted keys, growth
 * padding, total header a multiple of 64 bytes), so np.load reads it and the bytes match np.save.
 */
import { getMaxElements } from '../engine/tensor';
import { fmtBytes, fmtInt, inputFail } from './errors';
import { elementCount, formatNpyHeader, NPY_MAGIC, readNpyHeader } from './npyHeader';

export type NpyDtype =
  | 'float16'
  | 'float32'
  | 'float64'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'bool';

export interface NpyArray {
  shape: number[];
  data: Float32Array;
  /** The dtype stored in the file (data is always float32). */
  dtype: NpyDtype;
}

const DTYPES: Record<string, NpyDtype> = {
  f2: 'float16',
  f4: 'float32',
  f8: 'float64',
  i1: 'int8',
  i2: 'int16',
  i4: 'int32',
  i8: 'int64',
  u1: 'uint8',
  u2: 'uint16',
  u4: 'uint32',
  u8: 'uint64',
  b1: 'bool',
};

/** Kinds we recognise but do not read, for a message that says what the array holds. */
const OTHER_KINDS: Record<string, string> = {
  O: 'object arrays (pickled Python objects) are not supported: they cannot be read safely; convert with a.astype(np.float32)',
  c: 'complex arrays are not supported',
  U: 'string arrays are not supported',
  S: 'byte-string arrays are not supported',
  a: 'byte-string arrays are not supported',
  M: 'datetime arrays are not supported',
  m: 'timedelta arrays are not supported',
  V: 'void (raw or structured) arrays are not supported',
};

/** Little-endian host? Decides whether '<f4' can be copied instead of read value by value. */
const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function readNpy(bytes: Uint8Array, name: string): NpyArray {
  const h = readNpyHeader(bytes, name);
  const m = /^([<>|=]?)([a-zA-Z])(\d*)$/.exec(h.descr);
  if (!m) inputFail('unsupported', `${name}: dtype '${h.descr}' is not supported`);
  const [, order, kind, size] = m;
  const dtype = DTYPES[`${kind}${size}`];
  if (!dtype) {
    const why = OTHER_KINDS[kind!];
    inputFail(
      'unsupported',
      `${name}: dtype '${h.descr}': ${why ?? 'not a supported numeric dtype (float16/32/64, int8–64, uint8–64, bool)'}`,
    );
  }
  const itemsize = Number(size);
  // '=' (native) never appears in files numpy writes; read it as little-endian like '<'.
  const little = order !== '>';
  if (h.fortranOrder && h.shape.filter((d) => d > 1).length > 1) {
    inputFail(
      'unsupported',
      `${name}: Fortran-order (column-major) arrays are not supported; save it with np.save(path, np.ascontiguousarray(a))`,
    );
  }
  const n = elementCount(h.shape, getMaxElements(), name, dtype);
  const need = n * itemsize;
  const have = bytes.length - h.dataOffset;
  if (have < need) {
    inputFail(
      'truncated',
      `${name}: truncated: header says ${fmtInt(n)} ${dtype} values (${fmtBytes(need)}) but ${fmtBytes(have)} follow`,
    );
  }
  if (have > need) {
    inputFail(
      'corrupt',
      `${name}: ${fmtBytes(have)} follow the header but ${fmtInt(n)} ${dtype} values need ${fmtBytes(need)}`,
    );
  }
  return { shape: h.shape, data: convert(bytes, h.dataOffset, n, dtype, little), dtype };
}

function convert(bytes: Uint8Array, offset: number, n: number, dtype: NpyDtype, little: boolean): Float32Array {
  const out = new Float32Array(n);
  if (n === 0) return out;
  if (dtype === 'float32' && little === HOST_LE) {
    // Byte copy: faster than DataView, and keeps NaN payloads exactly as numpy would.
    new Uint8Array(out.buffer).set(bytes.subarray(offset, offset + n * 4));
    return out;
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset + offset, bytes.byteLength - offset);
  switch (dtype) {
    case 'float16':
      for (let i = 0; i < n; i++) out[i] = halfToFloat(v.getUint16(i * 2, little));
      break;
    case 'float32':
      for (let i = 0; i < n; i++) out[i] = v.getFloat32(i * 4, little);
      break;
    case 'float64':
      for (let i = 0; i < n; i++) out[i] = v.getFloat64(i * 8, little);
      break;
    case 'int8':
      for (let i = 0; i < n; i++) out[i] = v.getInt8(i);
      break;
    case 'uint8':
      for (let i = 0; i < n; i++) out[i] = v.getUint8(i);
      break;
    case 'bool':
      for (let i = 0; i < n; i++) out[i] = v.getUint8(i) !== 0 ? 1 : 0;
      break;
    case 'int16':
      for (let i = 0; i < n; i++) out[i] = v.getInt16(i * 2, little);
      break;
    case 'uint16':
      for (let i = 0; i < n; i++) out[i] = v.getUint16(i * 2, little);
      break;
    case 'int32':
      for (let i = 0; i < n; i++) out[i] = v.getInt32(i * 4, little);
      break;
    case 'uint32':
      for (let i = 0; i < n; i++) out[i] = v.getUint32(i * 4, little);
      break;
    case 'int64':
    case 'uint64': {
      // hi·2^32 + lo, with no BigInt: exact below 2^53, so float32 rounding happens once, as in
      // numpy; beyond 2^53 the double rounding can differ from numpy by one float32 ulp.
      const signed = dtype === 'int64';
      for (let i = 0; i < n; i++) {
        const lo = v.getUint32(i * 8 + (little ? 0 : 4), little);
        const hi = signed
          ? v.getInt32(i * 8 + (little ? 4 : 0), little)
          : v.getUint32(i * 8 + (little ? 4 : 0), little);
        out[i] = hi * 4294967296 + lo;
      }
      break;
    }
  }
  return out;
}

/** IEEE 754 binary16 → number (subnormals, ±Inf and NaN included). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Writes a C-order float32 array as a version 1.0 .npy file (see the header). */
export function writeNpy(shape: readonly number[], data: Float32Array): Uint8Array {
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0)
      inputFail('bad-argument', `writeNpy: shape (${shape.join(', ')}) has an invalid dimension ${String(d)}`);
  }
  const n = shape.reduce((a, d) => a * d, 1);
  if (n !== data.length)
    inputFail(
      'bad-argument',
      `writeNpy: shape (${shape.join(', ')}) needs ${fmtInt(n)} values, got ${fmtInt(data.length)}`,
    );
  const header = formatNpyHeader('<f4', shape);
  // Magic (6) + version (2) + uint16 length (2) + header + '\n', padded with spaces to a multiple
  // of 64; numpy adds a full 64 when it is already aligned, and so do we.
  const hlen = header.length + 1;
  const pad = 64 - ((10 + hlen) % 64);
  const headerBytes = hlen + pad;
  if (headerBytes > 0xffff)
    inputFail('bad-argument', `writeNpy: header of ${fmtBytes(headerBytes)} does not fit a version 1.0 file`);
  const out = new Uint8Array(10 + headerBytes + n * 4);
  out.set(NPY_MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = headerBytes & 0xff;
  out[9] = headerBytes >> 8;
  const text = header + ' '.repeat(pad) + '\n';
  for (let i = 0; i < text.length; i++) out[10 + i] = text.charCodeAt(i);
  if (LITTLE_ENDIAN) out.set(new Uint8Array(data.buffer, data.byteOffset, n * 4), 10 + headerBytes);
  else {
    const v = new DataView(out.buffer, 10 + headerBytes);
    for (let i = 0; i < n; i++) v.setFloat32(i * 4, data[i]!, true);
  }
  return out;
}

/** Whether this machine stores a float32 as '<f4' does (then the values are copied as bytes). */
const LITTLE_ENDIAN = new Uint8Array(new Float32Array([1]).buffer)[3] === 0x3f;
