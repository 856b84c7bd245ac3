/**
 * The PNG decoder (src/io/pngDecode.ts) against pngjs, an independent decoder, on images of every
 * colour type and bit depth, interlaced or not, with every scanline filter, palettes and tRNS; and
 * the encoder (src/io/png.ts) read back by pngjs.
 */
import { deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../../src/io/image';
import { encodePng } from '../../../src/io/png';
import { concat, PNG_SIG, pngChunk } from './imageBuilders';

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Spec {
  width: number;
  height: number;
  depth: number;
  colorType: number;
  interlaced: boolean;
  seed: number;
  trns?: boolean;
}

/** Builds a PNG from random samples; each scanline gets a filter type chosen at random (0..4). */
function build(s: Spec): Uint8Array {
  const r = rng(s.seed);
  const ch = CHANNELS[s.colorType]!;
  const bpp = s.depth * ch;
  const paletteSize = 1 + Math.floor(r() * Math.min(256, 2 ** s.depth));
  const maxSample = s.colorType === 3 ? paletteSize - 1 : 2 ** s.depth - 1;
  const samples = Array.from({ length: s.width * s.height * ch }, () => Math.floor(r() * (maxSample + 1)));
  // a transparent colour that occurs in the image
  const key = samples.slice(0, ch);
  const passes = s.interlaced ? ADAM7 : ([[0, 0, 1, 1]] as const);
  const raw: number[] = [];
  for (const [x0, y0, dx, dy] of passes) {
    const w = Math.ceil((s.width - x0) / dx);
    if (w <= 0) continue;
    const rowBytes = Math.ceil((w * bpp) / 8);
    let prev = new Array<number>(rowBytes).fill(0);
    for (let y = y0; y < s.height; y += dy) {
      const line = new Array<number>(rowBytes).fill(0);
      let bit = 0;
      for (let x = x0; x < s.width; x += dx) {
        for (let c = 0; c < ch; c++) {
          const v = samples[(y * s.width + x) * ch + c]!;
          if (s.depth === 16) {
            line[bit >> 3] = v >> 8;
            line[(bit >> 3) + 1] = v & 255;
          } else line[bit >> 3]! |= v << (8 - s.depth - (bit & 7));
          bit += s.depth;
        }
      }
      const f = Math.floor(r() * 5);
      const step = Math.max(1, bpp >> 3);
      raw.push(f);
      for (let i = 0; i < rowBytes; i++) {
        const a = i >= step ? line[i - step]! : 0;
        const b = prev[i]!;
        const c = i >= step ? prev[i - step]! : 0;
        const p = a + b - c;
        const pred = [
          0,
          a,
          b,
          (a + b) >> 1,
          Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
            ? a
            : Math.abs(p - b) <= Math.abs(p - c)
              ? b
              : c,
        ][f]!;
        raw.push((line[i]! - pred) & 255);
      }
      prev = line;
    }
  }
  const head = new Uint8Array(13);
  const v = new DataView(head.buffer);
  v.setUint32(0, s.width);
  v.setUint32(4, s.height);
  head.set([s.depth, s.colorType, 0, 0, s.interlaced ? 1 : 0], 8);
  const extra: Uint8Array[] = [];
  if (s.colorType === 3) {
    extra.push(pngChunk('PLTE', new Uint8Array(Array.from({ length: paletteSize * 3 }, () => Math.floor(r() * 256)))));
    if (s.trns)
      extra.push(
        pngChunk('tRNS', new Uint8Array(Array.from({ length: paletteSize >> 1 }, () => Math.floor(r() * 256)))),
      );
  } else if (s.trns && (s.colorType === 0 || s.colorType === 2)) {
    extra.push(pngChunk('tRNS', new Uint8Array(key.flatMap((k) => [k >> 8, k & 255]))));
  }
  const data = deflateSync(new Uint8Array(raw));
  // IDAT split in two chunks, as encoders do for large images
  const half = data.length >> 1;
  return concat(
    PNG_SIG,
    pngChunk('IHDR', head),
    ...extra,
    pngChunk('IDAT', data.subarray(0, half)),
    pngChunk('IDAT', data.subarray(half)),
    pngChunk('IEND', new Uint8Array(0)),
  );
}

function pngjsRgba(bytes: Uint8Array): Uint8Array {
  const png = PNG.sync.read(Buffer.from(bytes), { checkCRC: true });
  return new Uint8Array(png.data);
}

const CASES: Array<[number, number]> = [
  [0, 1],
  [0, 2],
  [0, 4],
  [0, 8],
  [0, 16],
  [2, 8],
  [2, 16],
  [3, 1],
  [3, 2],
  [3, 4],
  [3, 8],
  [4, 8],
  [4, 16],
  [6, 8],
  [6, 16],
];

describe('PNG decoding matches pngjs', () => {
  for (const [colorType, depth] of CASES) {
    for (const interlaced of [false, true]) {
      it(`colour type ${colorType}, ${depth}-bit${interlaced ? ', Adam7' : ''}, with and without tRNS`, () => {
        for (const [seed, width, height] of [
          [1, 1, 1],
          [2, 7, 5],
          [3, 13, 9],
          [4, 33, 17],
        ] as const) {
          for (const trns of [false, true]) {
            const png = build({ width, height, depth, colorType, interlaced, seed: seed * 31 + depth, trns });
            const ours = decodeImage(png, 't.png');
            expect(ours.rgba, `${width}×${height} seed ${seed} tRNS ${trns}`).toEqual(pngjsRgba(png));
          }
        }
      });
    }
  }
});

describe('PNG encoding', () => {
  it('writes RGBA that pngjs reads back exactly, for smooth and noisy images', () => {
    const r = rng(7);
    for (const [w, h, noisy] of [
      [1, 1, true],
      [17, 9, false],
      [64, 48, true],
      [224, 224, false],
    ] as const) {
      const rgba = new Uint8Array(w * h * 4);
      for (let i = 0; i < rgba.length; i++) rgba[i] = noisy ? Math.floor(r() * 256) : ((i >> 2) % w) * 3 + (i & 3) * 40;
      const png = encodePng(w, h, rgba);
      const back = PNG.sync.read(Buffer.from(png), { checkCRC: true });
      expect([back.width, back.height]).toEqual([w, h]);
      expect(new Uint8Array(back.data)).toEqual(rgba);
    }
  });
});
