/**
 * Test inputs built byte by byte: PNGs of any colour type and bit depth (pngjs' encoder cannot
 * write palette or 1-bit images), bare headers that claim huge sizes, and minimal JPEG headers.
 */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  v.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const PNG_SIG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function ihdr(width: number, height: number, depth: number, colorType: number): Uint8Array {
  const d = new Uint8Array(13);
  const v = new DataView(d.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  d[8] = depth;
  d[9] = colorType;
  return pngChunk('IHDR', d);
}

/**
 * A complete PNG from already packed scanlines (each row without its filter byte; filter 0 is
 * added). `extra` chunks (PLTE, tRNS) go between IHDR and IDAT.
 */
export function makePng(
  width: number,
  height: number,
  depth: number,
  colorType: number,
  rows: Uint8Array[],
  extra: Uint8Array[] = [],
): Uint8Array {
  const raw = concat(...rows.map((r) => concat(new Uint8Array([0]), r)));
  return concat(
    PNG_SIG,
    ihdr(width, height, depth, colorType),
    ...extra,
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', new Uint8Array(0)),
  );
}

/** SOI, an APP0 segment, then an SOF0 frame header for width × height with `components`. */
export function jpegHeader(width: number, height: number, components = 3, sof = 0xc0): Uint8Array {
  const app0 = [
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
  ];
  const comp: number[] = [];
  for (let i = 0; i < components; i++) comp.push(i + 1, 0x11, 0);
  const len = 8 + 3 * components;
  const sofSeg = [
    0xff,
    sof,
    len >> 8,
    len & 0xff,
    8,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    components,
    ...comp,
  ];
  return new Uint8Array([0xff, 0xd8, ...app0, ...sofSeg]);
}

/**
 * An Adam7-interlaced 8-bit gray PNG of `gray` (row-major) with every scanline's filter type set
 * to `filter` (0 = none; 5+ is invalid), or with `idatRaw` as the data to compress instead.
 */
export function makeInterlacedGrayPng(
  width: number,
  height: number,
  gray: number[],
  idatRaw?: Uint8Array,
  filter = 0,
): Uint8Array {
  const passes = [
    [0, 0, 8, 8],
    [4, 0, 8, 8],
    [0, 4, 4, 8],
    [2, 0, 4, 4],
    [0, 2, 2, 4],
    [1, 0, 2, 2],
    [0, 1, 1, 2],
  ];
  const raw: number[] = [];
  for (const [x0, y0, dx, dy] of passes) {
    for (let y = y0!; y < height; y += dy!) {
      if (x0! >= width) break;
      raw.push(filter);
      for (let x = x0!; x < width; x += dx!) raw.push(gray[y * width + x]!);
    }
  }
  const head = ihdr(width, height, 8, 0);
  head[8 + 12] = 1; // interlace method: Adam7
  const fixed = pngChunk('IHDR', head.subarray(8, 21));
  return concat(
    PNG_SIG,
    fixed,
    pngChunk('IDAT', deflateSync(idatRaw ?? new Uint8Array(raw))),
    pngChunk('IEND', new Uint8Array(0)),
  );
}
