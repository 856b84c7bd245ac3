/**
 * Element decoding shared by the weight readers: raw bytes of one stored dtype → Float32Array.
 * The engine computes in float32 only, so every stored type is widened or narrowed to it here:
 * f16/bf16 exactly, f64 rounded to nearest, integers exactly up to 2^24 (above that rounded,
 * which only matters for counters such as BatchNorm's num_batches_tracked).
 * Callers check that `count × size` bytes exist before calling; nothing here re-checks.
 */

export type ElementKind = 'float' | 'bfloat' | 'int' | 'uint' | 'bool';

export interface ElementType {
  kind: ElementKind;
  /** Bytes per element: 1, 2, 4 or 8 (bfloat: 2, bool: 1). */
  size: number;
  littleEndian: boolean;
}

/** float16 bit pattern → value, built once on first use (256 KB) because decoding by table is ~10× faster than by arithmetic. */
let halfTable: Float32Array | null = null;

function buildHalfTable(): Float32Array {
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    if (exp === 0)
      t[h] = sign * frac * 2 ** -24; // subnormal (and ±0)
    else if (exp === 31) t[h] = frac === 0 ? sign * Infinity : NaN;
    else t[h] = sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return t;
}

/** True when the type is a float (f16/bf16/f32/f64); integer and bool tensors are flagged to the caller. */
export function isFloatKind(kind: ElementKind): boolean {
  return kind === 'float' || kind === 'bfloat';
}

/**
 * Decodes `count` elements starting at `offset` of `bytes`. The result owns its buffer (never a
 * view into the file), so the file bytes can be released after loading.
 */
export function decodeElements(bytes: Uint8Array, offset: number, count: number, type: ElementType): Float32Array {
  const out = new Float32Array(count);
  const { kind, size, littleEndian: le } = type;
  if (count === 0) return out;
  const src = bytes.subarray(offset, offset + count * size);
  if (kind === 'float' && size === 4 && le) {
    // byte copy into the result's own buffer: no alignment requirement, no per-element call
    new Uint8Array(out.buffer).set(src);
    return out;
  }
  if (kind === 'bfloat') {
    // bfloat16 is the top half of a float32: shift the 16 bits up
    const bits = new Uint32Array(out.buffer);
    for (let i = 0, j = 0; i < count; i++, j += 2) {
      const hi = le ? src[j + 1]! : src[j]!;
      const lo = le ? src[j]! : src[j + 1]!;
      bits[i] = ((hi << 8) | lo) << 16;
    }
    return out;
  }
  if (kind === 'float' && size === 2) {
    const table = (halfTable ??= buildHalfTable());
    for (let i = 0, j = 0; i < count; i++, j += 2) {
      out[i] = table[le ? src[j]! | (src[j + 1]! << 8) : (src[j]! << 8) | src[j + 1]!]!;
    }
    return out;
  }
  if (kind === 'bool') {
    for (let i = 0; i < count; i++) out[i] = src[i] === 0 ? 0 : 1;
    return out;
  }
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const read = reader(view, kind, size);
  for (let i = 0; i < count; i++) out[i] = read(i * size, le);
  return out;
}

function reader(view: DataView, kind: ElementKind, size: number): (at: number, le: boolean) => number {
  switch (`${kind}${size}`) {
    case 'float4':
      return (at, le) => view.getFloat32(at, le);
    case 'float8':
      return (at, le) => view.getFloat64(at, le);
    case 'int1':
      return (at) => view.getInt8(at);
    case 'int2':
      return (at, le) => view.getInt16(at, le);
    case 'int4':
      return (at, le) => view.getInt32(at, le);
    case 'int8':
      return (at, le) => Number(view.getBigInt64(at, le));
    case 'uint1':
      return (at) => view.getUint8(at);
    case 'uint2':
      return (at, le) => view.getUint16(at, le);
    case 'uint4':
      return (at, le) => view.getUint32(at, le);
    case 'uint8':
      return (at, le) => Number(view.getBigUint64(at, le));
    default:
      throw new Error(`no decoder for ${kind}${size * 8}`); // callers only pass supported types
  }
}
