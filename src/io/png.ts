/**
 * PNG encoding of RGBA pixels (pngjs PNG.sync.write): 8-bit RGBA, colour type 6, so what the
 * renderer drew is what the file holds (no palette reduction, no gamma chunk).
 */
import { PNG } from 'pngjs';
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
  const png = new PNG({ width, height });
  png.data.set(rgba);
  const out = PNG.sync.write(png, { colorType: 6, inputColorType: 6, bitDepth: 8 });
  return withSoftwareChunk(new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
}

/** The tEXt chunk every PNG we write carries (PNG spec §11.3.4.3 keyword "Software"). */
const SOFTWARE_TEXT = 'Software\0ConvLens';
const SOFTWARE_CHUNK_TAIL = `tEXt${SOFTWARE_TEXT}`;

/** Inserts the Software chunk after IHDR (8-byte signature + 25-byte IHDR chunk). */
function withSoftwareChunk(png: Uint8Array): Uint8Array {
  const body = new TextEncoder().encode(SOFTWARE_CHUNK_TAIL);
  const chunk = new Uint8Array(12 + body.length - 4);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, body.length - 4);
  chunk.set(body, 4);
  view.setUint32(chunk.length - 4, crc32(body));
  const out = new Uint8Array(png.length + chunk.length);
  out.set(png.subarray(0, 33));
  out.set(chunk, 33);
  out.set(png.subarray(33), 33 + chunk.length);
  return out;
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
