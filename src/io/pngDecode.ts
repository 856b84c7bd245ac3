/**
 * PNG pixels to 8-bit RGBA in plain TypeScript (runs wherever the extension runs, the browser
 * included): the IDAT stream is inflated by fflate (by the native inflater where there is one,
 * src/io/inflate.ts) to exactly the size the header implies (a stream that would inflate further
 * is refused as it goes, so a small "deflate bomb" never allocates more than the image), the scanlines are unfiltered (PNG spec §9: None, Sub, Up,
 * Average, Paeth), Adam7 passes are scattered into place (§8.2), and every colour type and bit
 * depth is expanded to RGBA:
 *  - samples of fewer or more than 8 bits are scaled to 0..255 as round(v · 255 / (2^depth − 1));
 *  - a palette index takes the PLTE colour and the tRNS alpha of that entry (255 without one);
 *  - a gray or RGB sample equal to the tRNS colour (compared at the stored depth) becomes
 *    transparent black (0, 0, 0, 0).
 * Call after imageFormat's checkImageStructure (signature, IHDR, chunk lengths and CRCs checked).
 */
import { fmtBytes, fmtInt, InputError, inputFail } from './errors';
import { fflate, nativeInflate } from './inflate';

/** Samples per pixel by colour type (spec table 11.1). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Adam7 passes: x0, y0, dx, dy (spec §8.2). */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

interface Pass {
  x0: number;
  y0: number;
  dx: number;
  dy: number;
  w: number;
  h: number;
}

function be32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) >>> 0) + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!);
}

function chunkType(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
}

function passesOf(width: number, height: number, interlaced: boolean): Pass[] {
  if (!interlaced) return [{ x0: 0, y0: 0, dx: 1, dy: 1, w: width, h: height }];
  const out: Pass[] = [];
  for (const [x0, y0, dx, dy] of ADAM7) {
    const w = Math.ceil((width - x0) / dx);
    const h = Math.ceil((height - y0) / dy);
    if (w > 0 && h > 0) out.push({ x0, y0, dx, dy, w, h });
  }
  return out;
}

/** Decodes a structurally checked PNG (`bytes` ends at IEND) to width · height · 4 RGBA bytes. */
export function decodePng(bytes: Uint8Array, name: string): Uint8Array {
  const width = be32(bytes, 16);
  const height = be32(bytes, 20);
  const depth = bytes[24]!;
  const colorType = bytes[25]!;
  const interlaced = bytes[28] === 1;
  if (bytes[26] !== 0) inputFail('corrupt', `${name}: corrupt PNG: unknown compression method ${bytes[26]}`);
  if (bytes[27] !== 0) inputFail('corrupt', `${name}: corrupt PNG: unknown filter method ${bytes[27]}`);
  if (bytes[28]! > 1) inputFail('corrupt', `${name}: corrupt PNG: unknown interlace method ${bytes[28]}`);
  const channels = CHANNELS[colorType]!;
  const bitsPerPixel = depth * channels;

  let palette: Uint8Array | null = null;
  let trns: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  for (let at = 8; at + 8 <= bytes.length;) {
    const len = be32(bytes, at);
    const type = chunkType(bytes, at + 4);
    const data = bytes.subarray(at + 8, at + 8 + len);
    if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') trns = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    at += 12 + len;
  }
  if (colorType === 3 && !palette) inputFail('corrupt', `${name}: corrupt PNG: a palette image without a PLTE chunk`);

  const passes = passesOf(width, height, interlaced);
  let expected = 0;
  for (const p of passes) expected += p.h * (1 + Math.ceil((p.w * bitsPerPixel) / 8));
  const raw = inflateExactly(concat(idat), expected, name);

  const out = new Uint8Array(width * height * 4);
  const expand = expander(colorType, depth, palette, trns, name);
  const bytesPerPixel = Math.max(1, bitsPerPixel >> 3);
  let at = 0;
  for (const p of passes) {
    const rowBytes = Math.ceil((p.w * bitsPerPixel) / 8);
    let prev = new Uint8Array(rowBytes);
    let cur = new Uint8Array(rowBytes);
    for (let y = 0; y < p.h; y++) {
      const filter = raw[at]!;
      unfilter(filter, raw.subarray(at + 1, at + 1 + rowBytes), prev, cur, bytesPerPixel, name, at);
      at += 1 + rowBytes;
      expand(cur, p.w, out, ((p.y0 + y * p.dy) * width + p.x0) * 4, p.dx * 4);
      [prev, cur] = [cur, prev];
    }
  }
  return out;
}

/** Inflates the zlib stream into exactly `size` bytes; more or fewer is a corrupt file. */
function inflateExactly(data: Uint8Array, size: number, name: string): Uint8Array {
  const fast = nativeInflate(data, 'zlib', size);
  if (fast !== null && fast.length === size) return fast;
  const out = new Uint8Array(size);
  let total = 0;
  let ended = false;
  const inflater = new (fflate().Unzlib)((chunk, final) => {
    if (total + chunk.length > size) {
      inputFail(
        'corrupt',
        `${name}: corrupt PNG: the image data inflates to more than the ${fmtBytes(size)} its header implies`,
      );
    }
    out.set(chunk, total);
    total += chunk.length;
    if (final) ended = true;
  });
  // pushed in pieces so that an over-long stream is stopped soon after it passes the size
  const step = Math.min(1 << 20, Math.max(1 << 14, size >> 8));
  try {
    if (data.length === 0) inflater.push(data, true);
    for (let at = 0; at < data.length; at += step) {
      inflater.push(data.subarray(at, Math.min(data.length, at + step)), at + step >= data.length);
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    inputFail('corrupt', `${name}: corrupt PNG: invalid image data (${e instanceof Error ? e.message : String(e)})`);
  }
  if (total < size || !ended) {
    inputFail(
      'corrupt',
      `${name}: corrupt PNG: the image data ends after ${fmtBytes(total)} of the ${fmtBytes(size)} its header implies`,
    );
  }
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return all;
}

/** Reverses one scanline's filter into `cur` (spec §9.2); `prev` is the previous unfiltered line (zeros first). */
function unfilter(
  filter: number,
  line: Uint8Array,
  prev: Uint8Array,
  cur: Uint8Array,
  bpp: number,
  name: string,
  offset: number,
): void {
  const n = line.length;
  switch (filter) {
    case 0:
      cur.set(line);
      return;
    case 1:
      for (let i = 0; i < n; i++) cur[i] = (line[i]! + (i >= bpp ? cur[i - bpp]! : 0)) & 255;
      return;
    case 2:
      for (let i = 0; i < n; i++) cur[i] = (line[i]! + prev[i]!) & 255;
      return;
    case 3:
      for (let i = 0; i < n; i++) cur[i] = (line[i]! + (((i >= bpp ? cur[i - bpp]! : 0) + prev[i]!) >> 1)) & 255;
      return;
    case 4:
      for (let i = 0; i < n; i++) {
        const a = i >= bpp ? cur[i - bpp]! : 0;
        const b = prev[i]!;
        const c = i >= bpp ? prev[i - bpp]! : 0;
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        cur[i] = (line[i]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 255;
      }
      return;
    default:
      inputFail(
        'corrupt',
        `${name}: corrupt PNG: unknown scanline filter type ${filter} at byte ${fmtInt(offset)} of the image data`,
      );
  }
}

type Expand = (line: Uint8Array, w: number, out: Uint8Array, at: number, step: number) => void;

/** The function that writes one unfiltered scanline of `w` pixels as RGBA at out[at], out[at + step], … */
function expander(
  colorType: number,
  depth: number,
  palette: Uint8Array | null,
  trns: Uint8Array | null,
  name: string,
): Expand {
  const channels = CHANNELS[colorType]!;
  const max = 2 ** depth - 1;
  const scale = (v: number): number => (depth === 8 ? v : Math.floor((v * 255) / max + 0.5));
  /** The i-th sample of a line at this depth. */
  const sample = (line: Uint8Array, i: number): number => {
    if (depth === 8) return line[i]!;
    if (depth === 16) return (line[2 * i]! << 8) | line[2 * i + 1]!;
    const bit = i * depth;
    return (line[bit >> 3]! >> (8 - depth - (bit & 7))) & max;
  };
  if (colorType === 3) {
    const pal = palette!;
    const entries = Math.floor(pal.length / 3);
    return (line, w, out, at, step) => {
      for (let x = 0; x < w; x++, at += step) {
        const k = sample(line, x);
        if (k >= entries) {
          inputFail('corrupt', `${name}: corrupt PNG: palette index ${k} is past the ${entries}-colour palette`);
        }
        out[at] = pal[3 * k]!;
        out[at + 1] = pal[3 * k + 1]!;
        out[at + 2] = pal[3 * k + 2]!;
        out[at + 3] = trns && k < trns.length ? trns[k]! : 255;
      }
    };
  }
  // tRNS of a gray (2 bytes) or RGB (6 bytes) image: the one colour that is transparent
  const key =
    trns && colorType === 0 && trns.length >= 2
      ? [(trns[0]! << 8) | trns[1]!]
      : trns && colorType === 2 && trns.length >= 6
        ? [(trns[0]! << 8) | trns[1]!, (trns[2]! << 8) | trns[3]!, (trns[4]! << 8) | trns[5]!]
        : null;
  // 8-bit RGB and RGBA without a transparent colour, the common photos and screenshots: straight copies
  if (depth === 8 && !key && channels >= 3) {
    return (line, w, out, at, step) => {
      for (let x = 0, i = 0; x < w; x++, at += step, i += channels) {
        out[at] = line[i]!;
        out[at + 1] = line[i + 1]!;
        out[at + 2] = line[i + 2]!;
        out[at + 3] = channels === 4 ? line[i + 3]! : 255;
      }
    };
  }
  return (line, w, out, at, step) => {
    for (let x = 0; x < w; x++, at += step) {
      const s = x * channels;
      const v0 = sample(line, s);
      if (channels <= 2) {
        if (key && v0 === key[0]) {
          out[at] = out[at + 1] = out[at + 2] = out[at + 3] = 0;
          continue;
        }
        const g = scale(v0);
        out[at] = out[at + 1] = out[at + 2] = g;
        out[at + 3] = channels === 2 ? scale(sample(line, s + 1)) : 255;
      } else {
        const v1 = sample(line, s + 1);
        const v2 = sample(line, s + 2);
        if (key && v0 === key[0] && v1 === key[1] && v2 === key[2]) {
          out[at] = out[at + 1] = out[at + 2] = out[at + 3] = 0;
          continue;
        }
        out[at] = scale(v0);
        out[at + 1] = scale(v1);
        out[at + 2] = scale(v2);
        out[at + 3] = channels === 4 ? scale(sample(line, s + 3)) : 255;
      }
    }
  };
}
