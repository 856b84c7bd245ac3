/**
 * PNG encoding of RGBA pixels in plain TypeScript (fflate's deflate), so that the same code runs
 * in the browser: 8-bit RGBA, colour type 6, so what the renderer drew is what the file holds (no
 * palette reduction, no gamma chunk). Each scanline gets the filter whose output has the smallest
 * sum of absolute (signed) bytes, the heuristic the PNG specification suggests (§12.8).
 */
import { fflate } from './inflate';
import { fmtInt, inputFail, requireIntIn } from './errors';

/** PNG allows 2^31 − 1 per side; we stop at a size whose RGBA buffer stays under 1 GiB. */
const MAX_SIDE = 65535;
const MAX_PIXELS = 1 << 28;

export function encodePng(width: number, height: number, rgba: Uint8Array): Uint8Array {
  requireIntIn('PNG width', width, 1, MAX_SIDE);
  requireIntIn('PNG height', height, 1, MAX_SIDE);
  if (width * height > MAX_PIXELS)
    inputFail('too-large', `PNG of ${width}×${height} pixels is over the ${fmtInt(MAX_PIXELS)}-pixel limit`);
  if (rgba.length !== width * height * 4) {
    inputFail(
      'bad-argument',
      `PNG of ${width}×${height} needs ${fmtInt(width * height * 4)} RGBA bytes, got ${fmtInt(rgba.length)}`,
    );
  }
  const idat = fflate().zlibSync(filterRows(width, height, rgba), { level: 6 });
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, adaptive filtering, not interlaced
  const parts = [
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('tEXt', new TextEncoder().encode(SOFTWARE_TEXT)),
    chunk('IDAT', idat),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const PNG_SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The tEXt chunk every PNG we write carries right after IHDR (PNG spec §11.3.4.3 keyword "Software"). */
const SOFTWARE_TEXT = 'Software\0ConvLens';
const SOFTWARE_CHUNK_TAIL = `tEXt${SOFTWARE_TEXT}`;

/** length, type, data, CRC of type and data (spec §5.3). */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  v.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Every scanline after its filter-type byte, filtered by the filter with the smallest sum of |signed byte|. */
function filterRows(width: number, height: number, rgba: Uint8Array): Uint8Array {
  const stride = width * 4;
  const out = new Uint8Array(height * (stride + 1));
  const trial = new Uint8Array(stride);
  const zero = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const line = rgba.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? rgba.subarray((y - 1) * stride, y * stride) : zero;
    const dest = out.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    let best = Infinity;
    for (let f = 0; f <= 4; f++) {
      const sum = filterLine(f, line, prev, trial);
      if (sum < best) {
        best = sum;
        out[y * (stride + 1)] = f;
        dest.set(trial);
      }
    }
  }
  return out;
}

/** Writes `line` filtered by type `f` (4 bytes per pixel) into `dest`; the sum of |signed byte|. */
function filterLine(f: number, line: Uint8Array, prev: Uint8Array, dest: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < line.length; i++) {
    const a = i >= 4 ? line[i - 4]! : 0;
    const b = prev[i]!;
    let pred = 0;
    if (f === 1) pred = a;
    else if (f === 2) pred = b;
    else if (f === 3) pred = (a + b) >> 1;
    else if (f === 4) {
      const c = i >= 4 ? prev[i - 4]! : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
    const d = (line[i]! - pred) & 255;
    dest[i] = d;
    sum += d < 128 ? d : 256 - d;
  }
  return sum;
}

/** True when `head` (the first bytes of a file) is a PNG that ConvLens wrote. */
export function isConvLensPng(head: Uint8Array): boolean {
  if (head.length < 33 + 8 + SOFTWARE_CHUNK_TAIL.length) return false;
  const text = new TextDecoder('latin1').decode(head.subarray(33 + 4, 33 + 4 + SOFTWARE_CHUNK_TAIL.length));
  return head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47 && text === SOFTWARE_CHUNK_TAIL;
}

let crcTable: Uint32Array | null = null;

function crc32(b: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = crcTable[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
