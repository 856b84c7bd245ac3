/**
 * Image container parsing without decoding: format detection by magic bytes (never by file
 * extension, which users get wrong), dimensions from the PNG IHDR chunk or the JPEG SOFn segment,
 * and a structural walk (PNG chunks up to IEND; JPEG segments up to the first scan, then the
 * end-of-image marker) with a bounds check on every length field and the CRC of every PNG chunk.
 *
 * This is what lets decodeImage refuse a 100000×100000 image or a truncated file before the PNG or
 * JPEG decoder allocates anything. Layouts follow the PNG specification (ISO/IEC 15948, §5 and §11.2.2)
 * and JPEG (ITU-T T.81, Annex B: marker segments, frame header B.2.2).
 */
import { printable } from '../shared/text';
import { fmtBytes, fmtInt, inputFail } from './errors';

export type ImageFormat = 'png' | 'jpeg';

/** What the file's header declares, before any decoding. */
export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
  /** The stored colour model; decoding always expands to RGBA. */
  color: 'gray' | 'rgb' | 'palette' | 'cmyk';
  /** Bits per sample (PNG 1..16, JPEG 8 or 12). */
  bitDepth: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, sig: readonly number[], at = 0): boolean {
  if (bytes.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (bytes[at + i] !== sig[i]) return false;
  return true;
}

function ascii(bytes: Uint8Array, at: number, n: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + n));
}

function be16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}

function be32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) >>> 0) + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!);
}

function hex(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

export function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (startsWith(bytes, PNG_SIGNATURE)) return 'png';
  // SOI followed by the first marker's 0xFF: every JPEG (JFIF, Exif, raw) starts this way.
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  return undefined;
}

/** Names a format we recognise but do not decode, so the error says what the file really is. */
function recogniseOther(b: Uint8Array): string | undefined {
  if (startsWith(b, [0x47, 0x49, 0x46, 0x38])) return 'a GIF image';
  if (startsWith(b, [0x42, 0x4d])) return 'a BMP image';
  if (startsWith(b, [0x52, 0x49, 0x46, 0x46]) && ascii(b, 8, 4) === 'WEBP') return 'a WebP image';
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return 'a TIFF image';
  if (ascii(b, 4, 4) === 'ftyp') {
    const brand = ascii(b, 8, 4);
    if (/^(heic|heix|hevc|mif1)$/.test(brand)) return 'a HEIC image';
    if (/^avi[fs]$/.test(brand)) return 'an AVIF image';
  }
  if (startsWith(b, [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]))
    return 'a NumPy .npy array (load it as an array, not an image)';
  if (startsWith(b, [0x25, 0x50, 0x44, 0x46])) return 'a PDF document';
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return 'a ZIP archive';
  const head = ascii(b, 0, Math.min(b.length, 256)).trimStart();
  if (/^<(\?xml|svg)/i.test(head) && /<svg/i.test(head)) return 'an SVG image (vector images are not supported)';
  return undefined;
}

function unknownFormat(bytes: Uint8Array, name: string): never {
  if (bytes.length === 0) inputFail('truncated', `${name}: the file is empty`);
  const other = recogniseOther(bytes);
  if (other) inputFail('unknown-format', `${name}: this is ${other}; only PNG and JPEG images are supported`);
  const first = Array.from(bytes.subarray(0, 8), hex).join(' ');
  inputFail('unknown-format', `${name}: not a PNG or JPEG image (first bytes: ${first})`);
}

/** Reads format and dimensions. Throws InputError for unknown formats and malformed headers. */
export function readImageHeader(bytes: Uint8Array, name: string): ImageHeader {
  const format = sniffFormat(bytes);
  if (format === 'png') return readPngHeader(bytes, name);
  if (format === 'jpeg') return readJpegHeader(bytes, name);
  return unknownFormat(bytes, name);
}

/**
 * Checks that the container is complete and returns the byte length up to and including its end
 * marker (PNG IEND; for JPEG the whole file), so bytes appended after IEND can be dropped.
 */
export function checkImageStructure(bytes: Uint8Array, name: string, format: ImageFormat): number {
  return format === 'png' ? walkPngChunks(bytes, name) : checkJpegEnd(bytes, name);
}

// ---- PNG ------------------------------------------------------------------------------------

/** Allowed bit depths per PNG colour type (spec table 11.1). */
const PNG_DEPTHS: Record<number, { color: ImageHeader['color']; depths: number[] }> = {
  0: { color: 'gray', depths: [1, 2, 4, 8, 16] },
  2: { color: 'rgb', depths: [8, 16] },
  3: { color: 'palette', depths: [1, 2, 4, 8] },
  4: { color: 'gray', depths: [8, 16] },
  6: { color: 'rgb', depths: [8, 16] },
};

function readPngHeader(b: Uint8Array, name: string): ImageHeader {
  // signature (8) + IHDR length (4) + "IHDR" (4) + 13 data bytes
  if (b.length < 8 + 8 + 13)
    inputFail('truncated', `${name}: truncated PNG: ${fmtBytes(b.length)}, too short for the IHDR header`);
  if (ascii(b, 12, 4) !== 'IHDR')
    inputFail('corrupt', `${name}: corrupt PNG: the first chunk is '${printable(ascii(b, 12, 4))}', expected 'IHDR'`);
  if (be32(b, 8) !== 13)
    inputFail('corrupt', `${name}: corrupt PNG: the IHDR chunk has length ${fmtInt(be32(b, 8))}, expected 13`);
  const width = be32(b, 16);
  const height = be32(b, 20);
  const depth = b[24]!;
  const colorType = b[25]!;
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) {
    inputFail('corrupt', `${name}: corrupt PNG: invalid size ${fmtInt(width)}×${fmtInt(height)}`);
  }
  const spec = PNG_DEPTHS[colorType];
  if (!spec) inputFail('corrupt', `${name}: corrupt PNG: unknown colour type ${colorType}`);
  if (!spec.depths.includes(depth)) {
    inputFail('corrupt', `${name}: corrupt PNG: bit depth ${depth} is not allowed for colour type ${colorType}`);
  }
  return { format: 'png', width, height, color: spec.color, bitDepth: depth };
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO 3309, the PNG chunk CRC) of b[from, to). */
function crc32(b: Uint8Array, from: number, to: number): number {
  let c = 0xffffffff;
  for (let i = from; i < to; i++) c = CRC_TABLE[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function hex32(n: number): string {
  return n.toString(16).toUpperCase().padStart(8, '0');
}

function walkPngChunks(b: Uint8Array, name: string): number {
  let at = 8;
  let sawData = false;
  for (;;) {
    if (at + 8 > b.length) {
      inputFail('truncated', `${name}: truncated PNG: the file ends at byte ${fmtInt(b.length)} before the IEND chunk`);
    }
    const len = be32(b, at);
    const type = ascii(b, at + 4, 4);
    if (len > 0x7fffffff)
      inputFail(
        'corrupt',
        `${name}: corrupt PNG: chunk '${printable(type)}' at byte ${fmtInt(at)} has length ${fmtInt(len)}`,
      );
    const remaining = b.length - at - 12;
    if (len > remaining) {
      inputFail(
        'truncated',
        `${name}: truncated PNG: chunk '${printable(type)}' at byte ${fmtInt(at)} declares ${fmtBytes(len)} but ${fmtBytes(Math.max(0, remaining))} remain`,
      );
    }
    // Checked here, once, so the decoder reads chunks it can trust.
    const stored = be32(b, at + 8 + len);
    const actual = crc32(b, at + 4, at + 8 + len);
    if (stored !== actual) {
      inputFail(
        'corrupt',
        `${name}: corrupt PNG: chunk '${printable(type)}' at byte ${fmtInt(at)} fails its CRC check (stored ${hex32(stored)}, computed ${hex32(actual)})`,
      );
    }
    // A second IHDR could claim a size other than the one the pixel cap was checked against.
    if (type === 'IHDR' && at !== 8)
      inputFail('corrupt', `${name}: corrupt PNG: a second IHDR chunk at byte ${fmtInt(at)} (only one is allowed)`);
    if (type === 'IDAT') sawData = true;
    at += 12 + len;
    if (type === 'IEND') break;
  }
  if (!sawData) inputFail('corrupt', `${name}: corrupt PNG: no image data (IDAT chunk)`);
  return at;
}

// ---- JPEG -----------------------------------------------------------------------------------

/** SOFn markers and the coding they announce (T.81 table B.1); jpeg-js decodes SOF0/1/2. */
const SOF_KINDS: Record<number, string> = {
  0xc0: 'baseline',
  0xc1: 'extended sequential',
  0xc2: 'progressive',
  0xc3: 'lossless',
  0xc5: 'differential sequential',
  0xc6: 'differential progressive',
  0xc7: 'differential lossless',
  0xc9: 'arithmetic sequential',
  0xca: 'arithmetic progressive',
  0xcb: 'arithmetic lossless',
  0xcd: 'differential arithmetic sequential',
  0xce: 'differential arithmetic progressive',
  0xcf: 'differential arithmetic lossless',
};
const SUPPORTED_SOF = new Set([0xc0, 0xc1, 0xc2]);
const SOS = 0xda;
const EOI = 0xd9;

interface JpegSegment {
  marker: number;
  /** Offset of the segment's payload (after the 2-byte length). */
  payload: number;
  /** Payload length. */
  length: number;
}

/**
 * Walks marker segments from just after SOI and calls `visit` for each; stops when `visit`
 * returns true. Standalone markers (RSTn, TEM) have no length field; 0xFF fill bytes are skipped.
 */
function walkJpeg(b: Uint8Array, name: string, visit: (s: JpegSegment) => boolean): void {
  let at = 2;
  for (;;) {
    if (at >= b.length)
      inputFail(
        'truncated',
        `${name}: truncated JPEG: the file ends at byte ${fmtInt(b.length)} before the image data`,
      );
    if (b[at] !== 0xff)
      inputFail('corrupt', `${name}: corrupt JPEG: expected a marker at byte ${fmtInt(at)}, found 0x${hex(b[at]!)}`);
    while (at < b.length && b[at] === 0xff) at++;
    if (at >= b.length) continue;
    const marker = b[at++]!;
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue;
    if (marker === 0xd8 || marker === EOI || marker === 0x00) {
      inputFail(
        'corrupt',
        `${name}: corrupt JPEG: unexpected marker FF ${hex(marker)} at byte ${fmtInt(at - 2)} before the image data`,
      );
    }
    if (at + 2 > b.length)
      inputFail('truncated', `${name}: truncated JPEG: the file ends inside the FF ${hex(marker)} segment header`);
    const segLen = be16(b, at);
    if (segLen < 2)
      inputFail(
        'corrupt',
        `${name}: corrupt JPEG: segment FF ${hex(marker)} at byte ${fmtInt(at - 2)} has length ${segLen}`,
      );
    if (at + segLen > b.length) {
      inputFail(
        'truncated',
        `${name}: truncated JPEG: segment FF ${hex(marker)} at byte ${fmtInt(at - 2)} declares ${fmtBytes(segLen)} but ${fmtBytes(b.length - at)} remain`,
      );
    }
    if (visit({ marker, payload: at + 2, length: segLen - 2 })) return;
    at += segLen;
  }
}

function readJpegHeader(b: Uint8Array, name: string): ImageHeader {
  let header: ImageHeader | undefined;
  walkJpeg(b, name, (s) => {
    if (s.marker === SOS)
      inputFail('corrupt', `${name}: corrupt JPEG: image data starts before the frame header (SOF)`);
    const kind = SOF_KINDS[s.marker];
    if (kind === undefined) return false;
    if (!SUPPORTED_SOF.has(s.marker)) {
      inputFail(
        'unsupported',
        `${name}: ${kind} JPEG (SOF${s.marker - 0xc0}) is not supported; re-save it as a baseline or progressive JPEG or as PNG`,
      );
    }
    if (s.length < 6) inputFail('corrupt', `${name}: corrupt JPEG: frame header is ${fmtBytes(s.length)}, too short`);
    const bitDepth = b[s.payload]!;
    const height = be16(b, s.payload + 1);
    const width = be16(b, s.payload + 3);
    const components = b[s.payload + 5]!;
    if (height === 0)
      inputFail(
        'unsupported',
        `${name}: JPEG with its height in a DNL marker (height 0 in the frame header) is not supported`,
      );
    if (width === 0) inputFail('corrupt', `${name}: corrupt JPEG: width 0 in the frame header`);
    const color = components === 1 ? 'gray' : components === 3 ? 'rgb' : components === 4 ? 'cmyk' : undefined;
    if (!color)
      inputFail(
        'unsupported',
        `${name}: JPEG with ${components} colour components is not supported (expected 1, 3 or 4)`,
      );
    header = { format: 'jpeg', width, height, color, bitDepth };
    return true;
  });
  return header!;
}

/** Entropy-coded data cannot be walked by length, but a real FF D9 can only be the EOI marker
 *  (data bytes equal to 0xFF are stuffed as FF 00), so its absence means the file was cut off. */
function checkJpegEnd(b: Uint8Array, name: string): number {
  let scanStart = -1;
  walkJpeg(b, name, (s) => {
    if (s.marker !== SOS) return false;
    scanStart = s.payload + s.length;
    return true;
  });
  for (let i = scanStart; i + 1 < b.length; i++) {
    if (b[i] === 0xff && b[i + 1] === EOI) return b.length;
  }
  return inputFail('truncated', `${name}: truncated JPEG: no end-of-image marker (FF D9) after the image data`);
}
