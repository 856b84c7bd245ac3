/**
 * Images in, model input out: decode PNG/JPEG bytes to RGBA (pngDecode.ts, jpeg-js), then convert to an
 * engine Tensor of batch 1, and describe that conversion as data for the UI.
 *
 * Decoding: the format comes from magic bytes; the header's width × height is checked against
 * maxPixels and the container's structure (lengths, end marker) is checked BEFORE a decoder runs,
 * so a crafted header cannot make us allocate gigabytes and a truncated file is an error, not a
 * half-grey image. 16-bit PNGs are scaled to 8 bits; gamma chunks and EXIF orientation are ignored
 * (as PIL's Image.open and Keras' load_img do).
 *
 * Conversion (toModelInput), in this order, all in float without intermediate rounding:
 *  1. alpha is composited over black (value · alpha/255), so transparent = 0 = "no ink";
 *  2. channels: 1 = ITU-R BT.601 luma 0.299R + 0.587G + 0.114B (the weights of PIL's
 *     convert('L')); 3 from a gray image = the gray value repeated;
 *  3. resize per axis: area averaging when shrinking, bilinear with half-pixel centres when
 *     enlarging (see resize.ts);
 *  4. scale 1 → value/255 in [0, 1]; scale 255 → 0..255 unchanged;
 *  5. layout channelsLast → (1, H, W, C) (Keras), channelsFirst → (1, C, H, W) (PyTorch).
 * Steps 1–4 are linear, so their order only matters for rounding.
 */
import decodeJpeg from 'jpeg-js/lib/decoder';
import { getMaxElements, type Layout, type Tensor } from '../engine/tensor';
import { describeThrown, fmtBytes, fmtInt, InputError, inputFail, requireIntIn } from './errors';
import { checkImageStructure, readImageHeader, type ImageFormat, type ImageHeader } from './imageFormat';
import { decodePng } from './pngDecode';
import { resizeMethod, resizeRows, type ResizeMethod } from './resize';

export interface DecodedImage {
  width: number;
  height: number;
  /** width · height · 4 bytes, row-major, straight (not premultiplied) alpha. */
  rgba: Uint8Array;
  format: ImageFormat;
  /** Colour model stored in the file, before expansion to RGBA. */
  color: ImageHeader['color'];
  /** True when some pixel is not fully opaque (it will be composited over black). */
  hasAlpha: boolean;
}

export interface DecodeOptions {
  /** Largest width × height accepted (default 25,000,000). */
  maxPixels?: number;
  /** Largest file accepted, in bytes (default 64 MiB): bounds decompression work. */
  maxBytes?: number;
}

const PIXEL_CAP_LIMIT = 1 << 28; // a 1 GiB RGBA buffer: no setting may raise the cap past this
const BYTE_CAP_LIMIT = 1 << 30;

export function decodeImage(bytes: Uint8Array, name: string, opts: DecodeOptions = {}): DecodedImage {
  const maxPixels = opts.maxPixels ?? 25_000_000;
  const maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
  requireIntIn('maxPixels', maxPixels, 1, PIXEL_CAP_LIMIT);
  requireIntIn('maxBytes', maxBytes, 1, BYTE_CAP_LIMIT);
  if (bytes.length > maxBytes) {
    inputFail('too-large', `${name}: ${fmtBytes(bytes.length)} is over the ${fmtBytes(maxBytes)} file-size limit`);
  }
  const header = readImageHeader(bytes, name);
  const pixels = header.width * header.height;
  if (pixels > maxPixels) {
    inputFail(
      'too-large',
      `${name}: ${fmtInt(header.width)}×${fmtInt(header.height)} pixels is over the ${fmtInt(maxPixels)}-pixel limit`,
    );
  }
  const end = checkImageStructure(bytes, name, header.format);
  const rgba =
    header.format === 'png' ? decodePngPixels(bytes.subarray(0, end), name) : decodeJpegPixels(bytes, name, header);
  const expected = pixels * 4;
  if (rgba.length !== expected) {
    inputFail(
      'corrupt',
      `${name}: corrupt ${header.format.toUpperCase()}: decoded ${fmtBytes(rgba.length)} of pixels, expected ${fmtBytes(expected)}`,
    );
  }
  let hasAlpha = false;
  for (let i = 3; i < rgba.length; i += 4) {
    if (rgba[i] !== 255) {
      hasAlpha = true;
      break;
    }
  }
  return { width: header.width, height: header.height, rgba, format: header.format, color: header.color, hasAlpha };
}

function decodePngPixels(bytes: Uint8Array, name: string): Uint8Array {
  try {
    return decodePng(bytes, name);
  } catch (e) {
    throw wrapDecoderError(e, name, 'PNG');
  }
}

function decodeJpegPixels(bytes: Uint8Array, name: string, header: ImageHeader): Uint8Array {
  const pixels = header.width * header.height;
  // jpeg-js counts its own allocations: coefficient blocks (≤ 4 bytes per sample and component,
  // plus padding to whole MCUs), component planes and the RGBA output. 32 bytes per pixel + 16 MiB
  // covers a 4-component image; a file asking for more is lying about its size.
  const maxMemoryUsageInMB = Math.ceil((pixels * 32) / 2 ** 20) + 16;
  try {
    const img = decodeJpeg(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      tolerantDecoding: true,
      // The header's own size (+1 against rounding in jpeg-js' MP × 10^6): a second SOF that
      // claims more pixels than the first is refused by the decoder itself.
      maxResolutionInMP: (pixels + 1) / 1e6,
      maxMemoryUsageInMB,
    });
    if (img.width !== header.width || img.height !== header.height) {
      inputFail(
        'corrupt',
        `${name}: corrupt JPEG: decoded ${img.width}×${img.height}, header says ${header.width}×${header.height}`,
      );
    }
    return img.data;
  } catch (e) {
    throw wrapDecoderError(e, name, 'JPEG');
  }
}

function wrapDecoderError(e: unknown, name: string, kind: string): InputError {
  if (e instanceof InputError) return e;
  const msg = describeThrown(e);
  if (/limit exceeded|allocate enough memory/i.test(msg)) {
    return new InputError('too-large', `${name}: the ${kind} decoder refused it: ${msg}`);
  }
  // A TypeError/RangeError is the decoder tripping over data it did not validate.
  const internal = e instanceof TypeError || e instanceof RangeError;
  return new InputError(
    'corrupt',
    internal ? `${name}: corrupt ${kind}: invalid compressed data (${msg})` : `${name}: corrupt ${kind}: ${msg}`,
  );
}

// ---- conversion to a model input ------------------------------------------------------------

export interface ModelInputOptions {
  height: number;
  width: number;
  channels: 1 | 3;
  layout: Layout;
  /** 1: values in [0, 1] (value/255); 255: values in [0, 255]. */
  scale: 1 | 255;
}

/** Largest side accepted for a model input; the element cap bounds the total. */
export const MAX_INPUT_SIDE = 16384;

function checkModelInputOptions(o: ModelInputOptions): void {
  requireIntIn('input height', o.height, 1, MAX_INPUT_SIDE);
  requireIntIn('input width', o.width, 1, MAX_INPUT_SIDE);
  if (o.channels !== 1 && o.channels !== 3)
    inputFail('bad-argument', `input channels must be 1 or 3, got ${String(o.channels)}`);
  if (o.scale !== 1 && o.scale !== 255)
    inputFail('bad-argument', `input scale must be 1 or 255, got ${String(o.scale)}`);
  if (o.layout !== 'channelsLast' && o.layout !== 'channelsFirst') {
    inputFail('bad-argument', `input layout must be 'channelsLast' or 'channelsFirst', got ${String(o.layout)}`);
  }
  const n = o.height * o.width * o.channels;
  if (n > getMaxElements()) {
    inputFail(
      'too-large',
      `an input of ${o.height}×${o.width}×${o.channels} has ${fmtInt(n)} values, over the cap of ${fmtInt(getMaxElements())}`,
    );
  }
}

/** Converts a decoded image to a batch-1 model input tensor (see the header for the semantics). */
export function toModelInput(
  img: Pick<DecodedImage, 'width' | 'height' | 'rgba'> & { color?: DecodedImage['color'] },
  o: ModelInputOptions,
): Tensor {
  checkModelInputOptions(o);
  const { width: W, height: H, rgba } = img;
  if (rgba.length !== W * H * 4)
    inputFail(
      'bad-argument',
      `image data has ${fmtInt(rgba.length)} bytes, expected ${W}×${H}×4 = ${fmtInt(W * H * 4)}`,
    );
  const C = o.channels;
  // A gray source has R = G = B; taking R keeps it exact instead of re-weighting it to ±1 ulp.
  const gray = img.color === 'gray';
  const opaqueDiv = o.scale === 1 ? 255 : 1;
  const alphaDiv = o.scale === 1 ? 255 * 255 : 255;
  const readRow = (y: number, row: Float32Array): void => {
    let p = y * W * 4;
    for (let x = 0; x < W; x++, p += 4) {
      const a = rgba[p + 3]!;
      const r = rgba[p]!;
      const g = rgba[p + 1]!;
      const b = rgba[p + 2]!;
      // Over black: c·a/255; folded with the /255 of scale 1 into one division.
      const k = a === 255 ? 1 / opaqueDiv : a / alphaDiv;
      if (C === 1) {
        row[x] = (gray ? r : 0.299 * r + 0.587 * g + 0.114 * b) * k;
      } else {
        row[3 * x] = r * k;
        row[3 * x + 1] = g * k;
        row[3 * x + 2] = b * k;
      }
    }
  };
  const hwc = resizeRows(H, W, C, o.height, o.width, readRow);
  if (o.layout === 'channelsLast' || C === 1) {
    return { shape: o.layout === 'channelsLast' ? [1, o.height, o.width, C] : [1, C, o.height, o.width], data: hwc };
  }
  const plane = o.height * o.width;
  const chw = new Float32Array(hwc.length);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < C; c++) chw[c * plane + i] = hwc[i * C + c]!;
  }
  return { shape: [1, C, o.height, o.width], data: chw };
}

// ---- description for the UI -----------------------------------------------------------------

export type PreprocessStep =
  | { step: 'source'; text: string; format?: ImageFormat; width: number; height: number; color?: DecodedImage['color'] }
  | { step: 'alpha'; text: string }
  | { step: 'channels'; text: string; from: 'gray' | 'rgb'; to: 1 | 3; method: 'bt601-luma' | 'repeat-gray' | 'keep' }
  | {
      step: 'resize';
      text: string;
      from: { width: number; height: number };
      to: { width: number; height: number };
      horizontal: ResizeMethod;
      vertical: ResizeMethod;
    }
  | { step: 'scale'; text: string; scale: 1 | 255; range: [number, number] }
  | { step: 'layout'; text: string; layout: Layout; shape: number[] };

const COLOR_NAMES: Record<DecodedImage['color'], string> = {
  gray: 'grayscale',
  rgb: 'RGB',
  palette: 'palette colour',
  cmyk: 'CMYK',
};
const METHOD_NAMES: Record<ResizeMethod, string> = {
  area: 'area averaging',
  bilinear: 'bilinear interpolation',
  none: 'unchanged',
};

/** The steps toModelInput performs on this image, as data plus one sentence each. */
export function describePreprocessing(
  img: Pick<DecodedImage, 'width' | 'height'> & Partial<Pick<DecodedImage, 'format' | 'color' | 'hasAlpha'>>,
  o: ModelInputOptions,
): PreprocessStep[] {
  checkModelInputOptions(o);
  const steps: PreprocessStep[] = [];
  const kind = img.format ? `${img.format.toUpperCase()}, ` : '';
  const colour = img.color ? `, ${COLOR_NAMES[img.color]}` : '';
  steps.push({
    step: 'source',
    text: `Source image: ${kind}${img.width}×${img.height} pixels${colour}`,
    format: img.format,
    width: img.width,
    height: img.height,
    color: img.color,
  });
  if (img.hasAlpha) steps.push({ step: 'alpha', text: 'Transparent pixels composited over black' });

  const from = img.color === 'gray' ? 'gray' : 'rgb';
  if (o.channels === 1 && from === 'rgb') {
    steps.push({
      step: 'channels',
      text: 'RGB converted to 1 gray channel: 0.299·R + 0.587·G + 0.114·B (ITU-R BT.601 luma)',
      from,
      to: 1,
      method: 'bt601-luma',
    });
  } else if (o.channels === 3 && from === 'gray') {
    steps.push({
      step: 'channels',
      text: 'Gray value repeated into 3 channels (R = G = B)',
      from,
      to: 3,
      method: 'repeat-gray',
    });
  } else {
    steps.push({
      step: 'channels',
      text: o.channels === 1 ? 'Kept the 1 gray channel' : 'Kept the 3 RGB channels',
      from,
      to: o.channels,
      method: 'keep',
    });
  }

  const horizontal = resizeMethod(img.width, o.width);
  const vertical = resizeMethod(img.height, o.height);
  const how =
    horizontal === vertical
      ? METHOD_NAMES[horizontal]
      : `width: ${METHOD_NAMES[horizontal]}, height: ${METHOD_NAMES[vertical]}`;
  const resizeText =
    horizontal === 'none' && vertical === 'none'
      ? `Size kept at ${o.width}×${o.height}`
      : `Resized ${img.width}×${img.height} → ${o.width}×${o.height} (${how})`;
  steps.push({
    step: 'resize',
    text: resizeText,
    from: { width: img.width, height: img.height },
    to: { width: o.width, height: o.height },
    horizontal,
    vertical,
  });

  steps.push(
    o.scale === 1
      ? { step: 'scale', text: 'Pixel values divided by 255, into [0, 1]', scale: 1, range: [0, 1] }
      : { step: 'scale', text: 'Pixel values kept in [0, 255]', scale: 255, range: [0, 255] },
  );

  const shape = o.layout === 'channelsLast' ? [1, o.height, o.width, o.channels] : [1, o.channels, o.height, o.width];
  const axes = o.layout === 'channelsLast' ? 'batch, height, width, channels' : 'batch, channels, height, width';
  steps.push({ step: 'layout', text: `Arranged as (${shape.join(', ')}): ${axes}`, layout: o.layout, shape });
  return steps;
}
