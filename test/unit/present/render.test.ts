/**
 * The feature-map grid: layout arithmetic, tile colours under both normalisations, labels, title,
 * zoom rules and caps; the colormaps against their published definitions; the bitmap font.
 */
import { describe, expect, it } from 'vitest';
import { blueWhiteRed, colorIndex, colorize, symmetricRange, viridis } from '../../../src/present/colormap';
import { InputError } from '../../../src/io/errors';
import { drawText, fitText, measureText, toFontText } from '../../../src/present/font5x7';
import { formatValue, renderFeatureMapGrid, type FeatureMap, type RenderedGrid } from '../../../src/present/grid';

const constantMap = (v: number, label: string, h = 28, w = 28): FeatureMap => ({
  data: new Float32Array(h * w).fill(v),
  height: h,
  width: w,
  label,
});
const px = (g: RenderedGrid, x: number, y: number): number[] =>
  Array.from(g.rgba.subarray((y * g.width + x) * 4, (y * g.width + x) * 4 + 3));
const entry = (k: number, table = viridis.table): number[] => Array.from(table.subarray(k * 3, k * 3 + 3));

function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError, nothing was thrown');
}

/** Pixels of colour `rgb` inside a box. */
function countColour(g: RenderedGrid, x0: number, y0: number, w: number, h: number, rgb: number[]): number {
  let n = 0;
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) if (px(g, x, y).join() === rgb.join()) n++;
  return n;
}

describe('renderFeatureMapGrid layout', () => {
  const maps = [0, 1, 2, 3].map((v) => constantMap(v, `ch ${v}`));
  const g = renderFeatureMapGrid(maps, { normalize: 'per-layer', colormap: viridis, title: 't' });

  it('zooms 28×28 maps ×2 (tiles ≥ 48 px) and lays 4 of them out 2×2', () => {
    // cell 56 × (56 + 12 label); width = 8 + max(2·56 + 1, 220) + 8; height = title 30 + 2 rows
    // of 68 + 6 + legend 10 + 4 + text 7 + margin 8.
    expect(g.scale).toBe(2);
    expect([g.width, g.height]).toEqual([236, 201]);
    expect(g.rgba.length).toBe(236 * 201 * 4);
    expect(g.tiles.map((t) => [t.x, t.y, t.width, t.height])).toEqual([
      [8, 30, 56, 56],
      [65, 30, 56, 56],
      [8, 98, 56, 56],
      [65, 98, 56, 56],
    ]);
  });

  it('per-layer: one range for all tiles', () => {
    expect(g.tiles.map((t) => [t.min, t.max])).toEqual([
      [0, 3],
      [0, 3],
      [0, 3],
      [0, 3],
    ]);
    // Value k of range 0..3 → entry floor(k/3 · 256), clipped to 255.
    g.tiles.forEach((t, k) => expect(px(g, t.x + 20, t.y + 20)).toEqual(entry([0, 85, 170, 255][k]!)));
  });

  it('leaves a 1-px background gap between neighbouring tiles', () => {
    expect(px(g, 64, 40)).toEqual([30, 30, 30]);
    expect(px(g, 63, 40)).not.toEqual([30, 30, 30]);
    expect(px(g, 65, 40)).not.toEqual([30, 30, 30]);
  });

  it('draws each label centred under its tile, and the title', () => {
    const text = [212, 212, 212];
    for (const t of g.tiles) {
      const box = { x: t.x, y: t.y + t.height, w: t.width, h: 12 };
      const n = countColour(g, box.x, box.y, box.w, box.h, text);
      expect(n).toBeGreaterThan(10);
      let minX = Infinity;
      let maxX = -Infinity;
      for (let y = box.y; y < box.y + box.h; y++)
        for (let x = box.x; x < box.x + box.w; x++)
          if (px(g, x, y).join() === text.join()) {
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
          }
      expect(Math.abs(minX - t.x - (t.x + t.width - 1 - maxX))).toBeLessThanOrEqual(2);
    }
    expect(countColour(g, 8, 8, 20, 14, [255, 255, 255])).toBeGreaterThan(10);
  });

  it('an empty label draws nothing', () => {
    const one = renderFeatureMapGrid([constantMap(1, '')], { normalize: 'per-map', colormap: viridis, title: '' });
    const t = one.tiles[0]!;
    expect(countColour(one, t.x, t.y + t.height, t.width, 12, [212, 212, 212])).toBe(0);
  });
});

describe('renderFeatureMapGrid options', () => {
  it('per-map: each tile uses its own range', () => {
    const a: FeatureMap = { data: Float32Array.from([0, 1, 2, 3]), height: 2, width: 2, label: 'a' };
    const b: FeatureMap = { data: Float32Array.from([10, 20, 30, 40]), height: 2, width: 2, label: 'b' };
    const g = renderFeatureMapGrid([a, b], { normalize: 'per-map', colormap: viridis, title: 'x' });
    expect(g.tiles.map((t) => [t.min, t.max])).toEqual([
      [0, 3],
      [10, 40],
    ]);
    expect(px(g, g.tiles[1]!.x, g.tiles[1]!.y)).toEqual(entry(0));
    expect(px(g, g.tiles[1]!.x + g.tiles[1]!.width - 1, g.tiles[1]!.y + g.tiles[1]!.height - 1)).toEqual(entry(255));
  });

  it('diverging maps get a symmetric range, so zero is white', () => {
    const k: FeatureMap = { data: Float32Array.from([-1, 0, 2]), height: 1, width: 3, label: 'k' };
    const g = renderFeatureMapGrid([k], { normalize: 'per-layer', colormap: blueWhiteRed, title: 'w' });
    expect([g.tiles[0]!.min, g.tiles[0]!.max]).toEqual([-2, 2]);
    const mid = px(g, g.tiles[0]!.x + Math.floor(g.tiles[0]!.width / 2), g.tiles[0]!.y + 1);
    mid.forEach((c) => expect(c).toBeGreaterThan(245));
  });

  it('draws at most maxTiles and reports the rest', () => {
    const maps = Array.from({ length: 5 }, (_, i) => constantMap(i, String(i), 4, 4));
    const g = renderFeatureMapGrid(maps, { normalize: 'per-layer', colormap: viridis, title: 'many', maxTiles: 3 });
    expect(g.tiles.length).toBe(3);
    expect(g.omitted).toBe(2);
  });

  it('auto zoom: small maps ≥ 48 px, large maps 1×, long thin maps limited to 512 px', () => {
    const run = (h: number, w: number): number =>
      renderFeatureMapGrid([constantMap(0, 'm', h, w)], { normalize: 'per-map', colormap: viridis, title: '' }).scale;
    expect(run(7, 7)).toBe(7);
    expect(run(5, 6)).toBe(10);
    expect(run(224, 224)).toBe(1);
    expect(run(1, 600)).toBe(1);
    expect(run(1, 100)).toBe(5);
  });

  it('honours an explicit zoom and refuses one out of range', () => {
    expect(
      renderFeatureMapGrid([constantMap(0, 'm', 3, 3)], {
        normalize: 'per-map',
        colormap: viridis,
        title: '',
        scale: 3,
      }).tiles[0]!.width,
    ).toBe(9);
    expect(
      inputError(() =>
        renderFeatureMapGrid([constantMap(0, 'm', 3, 3)], {
          normalize: 'per-map',
          colormap: viridis,
          title: '',
          scale: 65,
        }),
      ).message,
    ).toBe('scale must be an integer from 1 to 64, got 65');
  });

  it('refuses a grid over the pixel budget before allocating it', () => {
    const shared = new Float32Array(512 * 512);
    const maps = Array.from({ length: 256 }, (_, i) => ({ data: shared, height: 512, width: 512, label: String(i) }));
    const e = inputError(() => renderFeatureMapGrid(maps, { normalize: 'per-layer', colormap: viridis, title: 'big' }));
    expect(e.code).toBe('too-large');
    expect(e.message).toContain('256 maps of 512×512 at zoom 1');
  });

  it('refuses maps whose data does not match their size', () => {
    const e = inputError(() =>
      renderFeatureMapGrid([{ data: new Float32Array(5), height: 2, width: 3, label: 'c7' }], {
        normalize: 'per-map',
        colormap: viridis,
        title: '',
      }),
    );
    expect(e.message).toBe("map 0 ('c7') has 5 values, expected 2×3 = 6");
  });
});

describe('formatValue', () => {
  it.each([
    [0, '0'],
    [0.5, '0.5'],
    [-1.2345, '-1.23'],
    [123.4, '123'],
    [12345, '1.23e+4'],
    [100000, '1e+5'],
    [-0.0000346, '-3.46e-5'],
    [0.00012, '1.2e-4'],
    [NaN, 'NaN'],
  ])('%s → %s', (v, s) => {
    expect(formatValue(v)).toBe(s);
  });
});

describe('colormaps', () => {
  it('viridis matches matplotlib _viridis_data at both ends and the middle', () => {
    expect(entry(0)).toEqual([68, 1, 84]); // [0.267004, 0.004874, 0.329415]
    expect(entry(255)).toEqual([253, 231, 37]); // [0.993248, 0.906157, 0.143936]
    // _viridis_data[128] = [0.127568, 0.566949, 0.550556] → [33, 145, 140]: within 1 step
    entry(128).forEach((c, i) => expect(Math.abs(c - [33, 145, 140][i]!)).toBeLessThanOrEqual(1));
  });

  it('blue–white–red runs from dark blue through white to dark red', () => {
    expect(entry(0, blueWhiteRed.table)).toEqual([5, 48, 97]);
    expect(entry(255, blueWhiteRed.table)).toEqual([103, 0, 31]);
    expect(colorIndex(0, -1, 1, blueWhiteRed)).toBe(128);
    entry(128, blueWhiteRed.table).forEach((c) => expect(c).toBeGreaterThan(250));
  });

  it('colorize clips, greys NaN, and handles a degenerate range like matplotlib', () => {
    const out = colorize([-5, 0.5, 5, NaN], 0, 1, viridis);
    expect(Array.from(out.subarray(0, 4))).toEqual([...entry(0), 255]);
    expect(Array.from(out.subarray(4, 8))).toEqual([...entry(128), 255]);
    expect(Array.from(out.subarray(8, 12))).toEqual([...entry(255), 255]);
    expect(Array.from(out.subarray(12, 16))).toEqual([128, 128, 128, 255]);
    expect(colorIndex(3, 3, 3, viridis)).toBe(0);
    expect(colorIndex(3, 3, 3, blueWhiteRed)).toBe(128);
    expect(symmetricRange([-0.5, 2, NaN, Infinity])).toEqual([-2, 2]);
  });
});

describe('5×7 font', () => {
  it("draws 'A' pixel for pixel", () => {
    const buf = new Uint8Array(5 * 7 * 4);
    drawText(buf, 5, 7, 0, 0, 'A', [255, 255, 255]);
    const rows = Array.from({ length: 7 }, (_, y) =>
      Array.from({ length: 5 }, (_, x) => (buf[(y * 5 + x) * 4] ? '#' : '.')).join(''),
    );
    expect(rows).toEqual(['.###.', '#...#', '#...#', '#####', '#...#', '#...#', '#...#']);
  });

  it('defines every printable ASCII character (none falls back to ?)', () => {
    const q = new Uint8Array(5 * 7 * 4);
    drawText(q, 5, 7, 0, 0, '?', [255, 255, 255]);
    for (let c = 33; c < 127; c++) {
      if (c === 63) continue;
      const buf = new Uint8Array(5 * 7 * 4);
      drawText(buf, 5, 7, 0, 0, String.fromCharCode(c), [255, 255, 255]);
      expect(Buffer.from(buf).equals(Buffer.from(q)), `'${String.fromCharCode(c)}' looks like '?'`).toBe(false);
    }
  });

  it('measures, fits and maps typography to ASCII', () => {
    expect(measureText('abc')).toBe(17);
    expect(measureText('abc', 2)).toBe(34);
    expect(fitText('channel 123', 35)).toBe('chan..');
    expect(fitText('ch 1', 35)).toBe('ch 1');
    expect(toFontText('3×3 − 1…')).toBe('3x3 - 1...');
    expect(toFontText('합성곱')).toBe('???');
  });
});
