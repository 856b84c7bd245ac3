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
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
