/**
 * decodeImage on every PNG colour type and JPEG, the project's own sample images, size caps that
 * refuse before decoding; toModelInput's channels, layout, scale and alpha; describePreprocessing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { encode as encodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_ELEMENTS, setMaxElements } from '../../../src/engine/tensor';
import { InputError } from '../../../src/io/errors';
import { decodeImage, describePreprocessing, toModelInput, type DecodedImage } from '../../../src/io/image';
import { encodePng } from '../../../src/io/png';
import { concat, ihdr, jpegHeader, makeInterlacedGrayPng, makePng, PNG_SIG, pngChunk } from './imageBuilders';

const SAMPLES = join(__dirname, '../../../media/samples');

function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError, nothing was thrown');
}

function pngjsEncode(
  width: number,
  height: number,
  data: number[],
  colorType: 0 | 2 | 6,
  bitDepth: 8 | 16 = 8,
): Uint8Array {
  const buf = bitDepth === 16 ? Buffer.from(new Uint16Array(data).buffer) : Buffer.from(data);
  const out = PNG.sync.write({ width, height, data: buf } as unknown as PNG, {
    colorType,
    inputColorType: colorType,
    bitDepth,
    inputHasAlpha: colorType === 6,
  });
  return new Uint8Array(out);
}

const pixels = (img: DecodedImage): number[][] =>
  Array.from({ length: img.width * img.height }, (_, i) => Array.from(img.rgba.subarray(i * 4, i * 4 + 4)));

describe('decodeImage: PNG', () => {
  it('8-bit gray (pngjs encoder)', () => {
    const img = decodeImage(pngjsEncode(2, 1, [0, 200], 0), 'g.png');
    expect(img).toMatchObject({ width: 2, height: 1, format: 'png', color: 'gray', hasAlpha: false });
    expect(pixels(img)).toEqual([
      [0, 0, 0, 255],
      [200, 200, 200, 255],
    ]);
  });

  it('8-bit RGB (pngjs encoder)', () => {
    const img = decodeImage(pngjsEncode(1, 2, [10, 20, 30, 40, 50, 60], 2), 'c.png');
    expect(img).toMatchObject({ width: 1, height: 2, color: 'rgb', hasAlpha: false });
    expect(pixels(img)).toEqual([
      [10, 20, 30, 255],
      [40, 50, 60, 255],
    ]);
  });

  it('8-bit RGBA (pngjs encoder) keeps straight alpha and reports it', () => {
    const img = decodeImage(pngjsEncode(2, 1, [255, 0, 0, 128, 0, 255, 0, 255], 6), 'a.png');
    expect(img.hasAlpha).toBe(true);
    expect(pixels(img)).toEqual([
      [255, 0, 0, 128],
      [0, 255, 0, 255],
    ]);
  });

  it('16-bit RGB is scaled to 8 bits', () => {
    const img = decodeImage(pngjsEncode(2, 1, [0, 65535, 0x8080, 65535, 0, 0], 2, 16), 'deep.png');
    expect(pixels(img)).toEqual([
      [0, 255, 128, 255],
      [255, 0, 0, 255],
    ]);
  });

  it('palette with transparency (PLTE + tRNS)', () => {
    const plte = pngChunk('PLTE', new Uint8Array([255, 0, 0, 0, 0, 255, 9, 9, 9]));
    const trns = pngChunk('tRNS', new Uint8Array([255, 255, 0]));
    const img = decodeImage(makePng(3, 1, 8, 3, [new Uint8Array([0, 1, 2])], [plte, trns]), 'p.png');
    expect(img).toMatchObject({ color: 'palette', hasAlpha: true });
    expect(pixels(img)).toEqual([
      [255, 0, 0, 255],
      [0, 0, 255, 255],
      [9, 9, 9, 0],
    ]);
  });

  it('1-bit gray', () => {
    const img = decodeImage(makePng(8, 1, 1, 0, [new Uint8Array([0b10100000])]), 'bits.png');
    expect(pixels(img).map((p) => p[0])).toEqual([255, 0, 255, 0, 0, 0, 0, 0]);
  });

  it('Adam7-interlaced gray', () => {
    const gray = Array.from({ length: 5 * 3 }, (_, i) => i * 17);
    const img = decodeImage(makeInterlacedGrayPng(5, 3, gray), 'i.png');
    expect(pixels(img).map((p) => p[0])).toEqual(gray);
  });

  it('refuses an interlaced PNG whose data inflates past its size (deflate bomb)', () => {
    // 8×8 gray in 7 passes: rows × (filter byte + pixels) = 2 + 2 + 3 + 6 + 10 + 20 + 36 = 79 bytes.
    const e = inputError(() => decodeImage(makeInterlacedGrayPng(8, 8, [], new Uint8Array(20_000_000)), 'bomb.png'));
    expect(e.message).toBe(
      'bomb.png: corrupt PNG: the image data inflates to more than the 79 bytes its header implies',
    );
  });

  it('refuses a non-interlaced PNG whose data inflates past its size, and one whose data ends early', () => {
    // 4×4 gray: 4 rows × (1 filter byte + 4 pixels) = 20 bytes.
    const gray4 = (raw: Uint8Array) =>
      concat(PNG_SIG, ihdr(4, 4, 8, 0), pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', new Uint8Array(0)));
    const bomb = gray4(new Uint8Array(10_000_000));
    expect(inputError(() => decodeImage(bomb, 'b.png')).message).toBe(
      'b.png: corrupt PNG: the image data inflates to more than the 20 bytes its header implies',
    );
    const short = gray4(new Uint8Array(15));
    expect(inputError(() => decodeImage(short, 's.png')).message).toBe(
      's.png: corrupt PNG: the image data ends after 15 bytes of the 20 bytes its header implies',
    );
  });

  it('ignores bytes after IEND', () => {
    const png = concat(pngjsEncode(1, 1, [7], 0), new Uint8Array([1, 2, 3, 4]));
    expect(pixels(decodeImage(png, 'trail.png'))).toEqual([[7, 7, 7, 255]]);
  });

  it('round-trips through encodePng', () => {
    const rgba = Uint8Array.from({ length: 5 * 3 * 4 }, (_, i) => (i * 37) & 255);
    const img = decodeImage(encodePng(5, 3, rgba), 'rt.png');
    expect(Array.from(img.rgba)).toEqual(Array.from(rgba));
  });
});

describe('decodeImage: JPEG', () => {
  it('decodes what jpeg-js encodes (within JPEG error)', () => {
    const w = 16;
    const h = 8;
    const rgba = new Uint8Array(w * h * 4);
    for (let i = 0; i < w * h; i++) rgba.set([(i % w) * 16, 128, 255 - (i % w) * 16, 255], i * 4);
    const jpg = new Uint8Array(encodeJpeg({ width: w, height: h, data: rgba }, 95).data);
    const img = decodeImage(jpg, 'photo.jpg');
    expect(img).toMatchObject({ width: w, height: h, format: 'jpeg', color: 'rgb', hasAlpha: false });
    let worst = 0;
    for (let i = 0; i < rgba.length; i++) if (i % 4 !== 3) worst = Math.max(worst, Math.abs(img.rgba[i]! - rgba[i]!));
    expect(worst).toBeLessThanOrEqual(12);
  });

  it('detects the format by magic bytes, not the name', () => {
    const jpg = new Uint8Array(encodeJpeg({ width: 2, height: 2, data: new Uint8Array(16).fill(200) }, 90).data);
    expect(decodeImage(jpg, 'mislabelled.png').format).toBe('jpeg');
  });
});

describe('decodeImage: the generated samples', () => {
  it.each(['digit-3.png', 'tshirt.png', 'shapes-stripes.png'])('%s is a 28×28 gray image, light on black', (file) => {
    const img = decodeImage(new Uint8Array(readFileSync(join(SAMPLES, file))), file);
    expect(img).toMatchObject({ width: 28, height: 28, color: 'gray', hasAlpha: false });
    expect(img.rgba[0]).toBe(0); // black corner
    expect(Math.max(...img.rgba.filter((_, i) => i % 4 === 0))).toBeGreaterThan(180);
  });

  it('scene-224.png is a 224×224 RGB image', () => {
    const img = decodeImage(new Uint8Array(readFileSync(join(SAMPLES, 'scene-224.png'))), 'scene-224.png');
    expect(img).toMatchObject({ width: 224, height: 224, color: 'rgb' });
  });
});

describe('decodeImage: caps and bad files', () => {
  it('refuses a PNG header claiming 100000×100000 before decoding (no image data is needed)', () => {
    const bytes = concat(PNG_SIG, ihdr(100000, 100000, 8, 6));
    const e = inputError(() => decodeImage(bytes, 'image.png'));
    expect(e.code).toBe('too-large');
    expect(e.message).toBe('image.png: 100,000×100,000 pixels is over the 25,000,000-pixel limit');
  });

  it('refuses a JPEG header claiming 65535×65535 before decoding', () => {
    const e = inputError(() => decodeImage(jpegHeader(65535, 65535), 'huge.jpg'));
    expect(e.message).toBe('huge.jpg: 65,535×65,535 pixels is over the 25,000,000-pixel limit');
  });

  it('applies a smaller maxPixels and a file-size cap', () => {
    const scene = new Uint8Array(readFileSync(join(SAMPLES, 'scene-224.png')));
    expect(inputError(() => decodeImage(scene, 's.png', { maxPixels: 50_000 })).message).toBe(
      's.png: 224×224 pixels is over the 50,000-pixel limit',
    );
    expect(inputError(() => decodeImage(scene, 's.png', { maxBytes: 100 })).message).toMatch(
      /^s\.png: [\d,]+ bytes is over the 100 bytes file-size limit$/,
    );
    expect(inputError(() => decodeImage(scene, 's.png', { maxPixels: 0 })).code).toBe('bad-argument');
  });

  it('names unknown and unsupported formats', () => {
    expect(inputError(() => decodeImage(new Uint8Array(0), 'e.png')).message).toBe('e.png: the file is empty');
    expect(inputError(() => decodeImage(new TextEncoder().encode('GIF89a....'), 'x.png')).message).toBe(
      'x.png: this is a GIF image; only PNG and JPEG images are supported',
    );
    expect(inputError(() => decodeImage(new TextEncoder().encode('hello world'), 'x.png')).message).toBe(
      'x.png: not a PNG or JPEG image (first bytes: 68 65 6C 6C 6F 20 77 6F)',
    );
    expect(inputError(() => decodeImage(jpegHeader(8, 8, 3, 0xc3), 'l.jpg')).message).toContain(
      'lossless JPEG (SOF3) is not supported',
    );
  });

  it('says where a PNG was cut off', () => {
    const png = pngjsEncode(4, 4, new Array(48).fill(99), 2);
    const e = inputError(() => decodeImage(png.subarray(0, png.length - 20), 'cut.png'));
    expect(e.code).toBe('truncated');
    expect(e.message).toMatch(
      /^cut\.png: truncated PNG: chunk 'IDAT' at byte 33 declares \d+ bytes but \d+ bytes remain$/,
    );
  });

  it('refuses a JPEG without its end-of-image marker', () => {
    const jpg = new Uint8Array(encodeJpeg({ width: 8, height: 8, data: new Uint8Array(256).fill(90) }, 90).data);
    const e = inputError(() => decodeImage(jpg.subarray(0, jpg.length - 2), 'cut.jpg'));
    expect(e.message).toBe('cut.jpg: truncated JPEG: no end-of-image marker (FF D9) after the image data');
  });

  it('wraps decoder failures (bad CRC) as corrupt', () => {
    const png = pngjsEncode(2, 2, [1, 2, 3, 4], 0);
    png[png.length - 20]! ^= 0xff; // inside the IDAT data: the CRC no longer matches
    const e = inputError(() => decodeImage(png, 'crc.png'));
    expect(e.code).toBe('corrupt');
    expect(e.message.startsWith('crc.png: corrupt PNG: ')).toBe(true);
  });
});

describe('toModelInput', () => {
  afterEach(() => setMaxElements(DEFAULT_MAX_ELEMENTS));
  // 2×2 RGB: red, green / blue, white (row-major).
  const rgb: DecodedImage = {
    width: 2,
    height: 2,
    format: 'png',
    color: 'rgb',
    hasAlpha: false,
    rgba: new Uint8Array([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255]),
  };

  it('channelsLast RGB, scale 1: (1, H, W, 3) with value/255', () => {
    const t = toModelInput(rgb, { height: 2, width: 2, channels: 3, layout: 'channelsLast', scale: 1 });
    expect(t.shape).toEqual([1, 2, 2, 3]);
    expect(Array.from(t.data)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1]);
  });

  it('channelsFirst RGB, scale 255: (1, 3, H, W) planes with values kept', () => {
    const t = toModelInput(rgb, { height: 2, width: 2, channels: 3, layout: 'channelsFirst', scale: 255 });
    expect(t.shape).toEqual([1, 3, 2, 2]);
    expect(Array.from(t.data)).toEqual([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255]);
  });

  it('grayscale uses the BT.601 weights 0.299, 0.587, 0.114', () => {
    const t = toModelInput(rgb, { height: 2, width: 2, channels: 1, layout: 'channelsFirst', scale: 1 });
    expect(t.shape).toEqual([1, 1, 2, 2]);
    [0.299, 0.587, 0.114, 1].forEach((w, i) => expect(t.data[i]).toBeCloseTo(w, 6));
  });

  it('a gray source keeps its exact value in 1 channel and repeats it into 3', () => {
    const gray: DecodedImage = {
      width: 1,
      height: 1,
      format: 'png',
      color: 'gray',
      hasAlpha: false,
      rgba: new Uint8Array([77, 77, 77, 255]),
    };
    expect(toModelInput(gray, { height: 1, width: 1, channels: 1, layout: 'channelsLast', scale: 255 }).data[0]).toBe(
      77,
    );
    expect(
      Array.from(toModelInput(gray, { height: 1, width: 1, channels: 3, layout: 'channelsLast', scale: 255 }).data),
    ).toEqual([77, 77, 77]);
  });

  it('composites alpha over black', () => {
    const img = { width: 1, height: 1, rgba: new Uint8Array([200, 100, 50, 51]) };
    const t = toModelInput(img, { height: 1, width: 1, channels: 3, layout: 'channelsLast', scale: 255 });
    [40, 20, 10].forEach((v, i) => expect(t.data[i]).toBeCloseTo(v, 4));
  });

  it('resizes by area when shrinking (a 4×4 of 2×2 blocks → block means)', () => {
    const rgba = new Uint8Array(64);
    const vals = [0, 0, 100, 100, 0, 0, 100, 100, 40, 40, 200, 200, 40, 40, 200, 200];
    vals.forEach((v, i) => rgba.set([v, v, v, 255], i * 4));
    const t = toModelInput(
      { width: 4, height: 4, rgba, color: 'gray' },
      { height: 2, width: 2, channels: 1, layout: 'channelsLast', scale: 255 },
    );
    expect(Array.from(t.data)).toEqual([0, 100, 40, 200]);
  });

  it('refuses bad options with the value in the message', () => {
    expect(
      inputError(() => toModelInput(rgb, { height: 0, width: 2, channels: 3, layout: 'channelsLast', scale: 1 }))
        .message,
    ).toBe('input height must be an integer from 1 to 16,384, got 0');
    expect(
      inputError(() => toModelInput(rgb, { height: 2, width: 2, channels: 2 as 3, layout: 'channelsLast', scale: 1 }))
        .message,
    ).toBe('input channels must be 1 or 3, got 2');
    expect(
      inputError(() => toModelInput(rgb, { height: 2, width: 2, channels: 3, layout: 'channelsLast', scale: 100 as 1 }))
        .message,
    ).toBe('input scale must be 1 or 255, got 100');
    setMaxElements(1000);
    expect(
      inputError(() => toModelInput(rgb, { height: 100, width: 100, channels: 3, layout: 'channelsLast', scale: 1 }))
        .message,
    ).toBe('an input of 100×100×3 has 30,000 values, over the cap of 1,000');
  });
});

describe('describePreprocessing', () => {
  it('lists every step with its data', () => {
    const steps = describePreprocessing(
      { width: 640, height: 480, format: 'png', color: 'rgb', hasAlpha: true },
      { height: 28, width: 28, channels: 1, layout: 'channelsLast', scale: 1 },
    );
    expect(steps.map((s) => s.step)).toEqual(['source', 'alpha', 'channels', 'resize', 'scale', 'layout']);
    expect(steps.map((s) => s.text)).toEqual([
      'Source image: PNG, 640×480 pixels, RGB',
      'Transparent pixels composited over black',
      'RGB converted to 1 gray channel: 0.299·R + 0.587·G + 0.114·B (ITU-R BT.601 luma)',
      'Resized 640×480 → 28×28 (area averaging)',
      'Pixel values divided by 255, into [0, 1]',
      'Arranged as (1, 28, 28, 1): batch, height, width, channels',
    ]);
  });

  it('names each axis when one shrinks and the other grows', () => {
    const steps = describePreprocessing(
      { width: 100, height: 10, color: 'gray' },
      { height: 20, width: 50, channels: 3, layout: 'channelsFirst', scale: 255 },
    );
    expect(steps.find((s) => s.step === 'resize')).toMatchObject({
      horizontal: 'area',
      vertical: 'bilinear',
      text: 'Resized 100×10 → 50×20 (width: area averaging, height: bilinear interpolation)',
    });
    expect(steps.find((s) => s.step === 'channels')).toMatchObject({ method: 'repeat-gray' });
    expect(steps.at(-1)).toMatchObject({ shape: [1, 3, 20, 50] });
  });
});
