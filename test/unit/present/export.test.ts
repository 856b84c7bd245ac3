/**
 * Exported feature maps: the PNG follows the chosen colormap, and the SVG carries the same tiles
 * (in order, each map's own values) with its text as text, Korean included. Colours are checked
 * against hand-worked numbers (gray: entry k is (k, k, k); matplotlib's magma starts at
 * (0.001462, 0.000466, 0.013866) and ends at (0.987053, 0.991438, 0.749504)); tile contents are
 * read back from the pixels.
 */
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { colormaps } from '../../../src/present/colormap';
import { featureMapImage, featureMapSvg } from '../../../src/present/featureMaps';
import { isConvLensSvg, renderFeatureMapSvg, xmlText } from '../../../src/present/featureMapSvg';
import { renderFeatureMapGrid, type FeatureMap } from '../../../src/present/grid';
import { fontDraws } from '../../../src/present/font5x7';
import { featureMapFileName } from '../../../src/present/exportName';
import { tensor } from '../../../src/engine';
import type { LayerNode } from '../../../src/model/ir';

/** A 16×16 ramp 0..255 in reading order: value = row·16 + col. */
function ramp(offset = 0): Float32Array {
  const d = new Float32Array(256);
  for (let i = 0; i < 256; i++) d[i] = i + offset;
  return d;
}

/** matplotlib's Normalize + 256-entry lookup for v in [0, 255]: floor(v/255·256), 255 at the top. */
function entry(v: number): number {
  return Math.min(255, Math.floor((v / 255) * 256));
}

function decodeDataUri(uri: string): PNG {
  const m = /^data:image\/png;base64,(.+)$/.exec(uri);
  if (!m) throw new Error(`not a PNG data URI: ${uri.slice(0, 40)}`);
  return PNG.sync.read(Buffer.from(m[1]!, 'base64'));
}

function images(svg: string): { x: number; y: number; w: number; h: number; png: PNG }[] {
  return [...svg.matchAll(/<image x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)"[^>]* href="([^"]+)"\/>/g)].map(
    (m) => ({ x: +m[1]!, y: +m[2]!, w: +m[3]!, h: +m[4]!, png: decodeDataUri(m[5]!) }),
  );
}

describe('PNG export colormap', () => {
  it('gray: each pixel is the hand-worked table entry of its value', () => {
    const g = renderFeatureMapGrid([{ data: ramp(), height: 16, width: 16, label: '#0' }], {
      normalize: 'per-map',
      colormap: colormaps.gray,
      title: 't',
      scale: 1,
    });
    const t = g.tiles[0]!;
    for (const [r, c] of [
      [0, 0],
      [0, 5],
      [7, 9],
      [15, 15],
    ] as const) {
      const o = ((t.y + r) * g.width + t.x + c) * 4;
      const k = entry(r * 16 + c);
      expect([g.rgba[o], g.rgba[o + 1], g.rgba[o + 2]]).toEqual([k, k, k]);
    }
  });

  it('featureMapImage uses the colormap asked for (magma ends as matplotlib’s)', () => {
    const layer = { spec: { framework: 'keras' } } as unknown as LayerNode;
    // Keras layout (1, 16, 16, 1): one channel
    const out = tensor([1, 16, 16, 1], ramp());
    const pick = (name: 'viridis' | 'magma' | 'gray') => {
      const img = featureMapImage(layer, out, { normalize: 'per-map', title: 'x', colormap: name });
      const png = { width: img.width, rgba: img.rgba };
      return png;
    };
    const magma = pick('magma');
    const gray = pick('gray');
    const viridis = pick('viridis');
    const expectColorSomewhere = (img: { width: number; rgba: Uint8Array }, rgb: number[]) => {
      let found = false;
      for (let o = 0; o < img.rgba.length && !found; o += 4)
        found =
          Math.abs(img.rgba[o]! - rgb[0]!) <= 1 &&
          Math.abs(img.rgba[o + 1]! - rgb[1]!) <= 1 &&
          Math.abs(img.rgba[o + 2]! - rgb[2]!) <= 1;
      expect(found, `colour ${rgb} drawn`).toBe(true);
    };
    expectColorSomewhere(magma, [0.001462 * 255, 0.000466 * 255, 0.013866 * 255].map(Math.round));
    expectColorSomewhere(magma, [0.987053 * 255, 0.991438 * 255, 0.749504 * 255].map(Math.round));
    // viridis's ends (matplotlib): (0.267004, 0.004874, 0.329415) and (0.993248, 0.906157, 0.143936)
    expectColorSomewhere(viridis, [0.267004 * 255, 0.004874 * 255, 0.329415 * 255].map(Math.round));
    expectColorSomewhere(gray, [255, 255, 255]);
    expect(Buffer.from(magma.rgba).equals(Buffer.from(viridis.rgba))).toBe(false);
  });
});

describe('SVG export', () => {
  const maps: FeatureMap[] = [0, 1, 2, 3, 4].map((i) => ({
    // map i: the ramp shifted so its brightest value sits at a different place: a constant
    // block at row i
    data: (() => {
      const d = new Float32Array(8 * 8);
      for (let c = 0; c < 8; c++) d[i * 8 + c] = 1;
      return d;
    })(),
    height: 8,
    width: 8,
    label: `#${i}`,
  }));

  it('draws every map in order, at the map’s own resolution, each pixel from its own value', () => {
    const { svg, tiles, omitted } = renderFeatureMapSvg(maps, {
      normalize: 'per-map',
      colormap: colormaps.gray,
      title: 'conv',
    });
    expect([tiles, omitted]).toEqual([5, 0]);
    const imgs = images(svg);
    expect(imgs).toHaveLength(6); // five tiles and the legend bar
    for (let i = 0; i < 5; i++) {
      const png = imgs[i]!.png;
      expect([png.width, png.height]).toEqual([8, 8]);
      for (let r = 0; r < 8; r++) {
        const v = png.data[(r * 8 + 3) * 4]!;
        expect(v, `tile ${i} row ${r}`).toBe(r === i ? 255 : 0);
      }
      // zoomed as the PNG is: 8×8 maps become 48×48 squares
      expect([imgs[i]!.w, imgs[i]!.h]).toEqual([48, 48]);
    }
    // labels under the tiles, in order
    const labels = [...svg.matchAll(/text-anchor="middle" fill="[^"]+">(#\d)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(['#0', '#1', '#2', '#3', '#4']);
    // the legend: the colormap's 256 entries left to right
    const bar = imgs[5]!.png;
    expect(bar.width).toBe(256);
    for (const k of [0, 100, 255]) expect(bar.data[k * 4]).toBe(k);
  });

  it('keeps Korean text and layer names in any script, escaped for XML', () => {
    const layer = { spec: { framework: 'keras' } } as unknown as LayerNode;
    const out = tensor(
      [1, 4, 4, 2],
      new Float32Array(32).map((_, i) => i),
    );
    const { svg } = featureMapSvg(layer, out, {
      normalize: 'per-layer',
      title: '모델 | 합성곱_1 (Conv2D) — 특성 맵 <&>',
      locale: 'ko',
      colormap: 'viridis',
    });
    expect(svg).toContain('모델 | 합성곱_1 (Conv2D) — 특성 맵 &lt;&amp;&gt;');
    expect(svg).toContain('모든 맵에 같은 범위');
    expect(svg).not.toMatch(/<[^a-z/!?]/i);
    // a well-formed start and end, one root
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<!-- Generator: ConvLens')).toBe(true);
    expect(svg).toContain('\n<svg xmlns="http://www.w3.org/2000/svg"');
    expect(isConvLensSvg(new TextEncoder().encode(svg))).toBe(true);
    expect(isConvLensSvg(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe(false);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('escapes markup and shows control characters', () => {
    expect(xmlText('a<b>&"\'\u0007')).toBe('a&lt;b&gt;&amp;&quot;&apos;\\u0007');
  });

  it('says which maps were left out, in the chosen language', () => {
    const many = Array.from({ length: 6 }, (_, i) => ({ ...maps[0]!, label: `#${i}` }));
    const ko = renderFeatureMapSvg(many, {
      normalize: 'per-map',
      colormap: colormaps.viridis,
      title: 'x',
      locale: 'ko',
      maxTiles: 4,
    });
    expect(ko.svg).toContain('(6개 중 처음 4개)');
    const en = renderFeatureMapSvg(many, {
      normalize: 'per-map',
      colormap: colormaps.viridis,
      title: 'x',
      maxTiles: 4,
    });
    expect(en.svg).toContain('(first 4 of 6)');
    expect(images(en.svg)).toHaveLength(5);
  });

  it('refuses a drawing over the value cap instead of building it', () => {
    const big = { data: new Float32Array(4097 * 4097), height: 4097, width: 4097, label: '#0' };
    expect(() => renderFeatureMapSvg([big], { normalize: 'per-map', colormap: colormaps.gray, title: 'x' })).toThrow(
      /limit/,
    );
  });
});

describe('export names and fonts', () => {
  it('proposes .svg or .png names', () => {
    expect(featureMapFileName('lenet', 'conv1', 'svg')).toBe('lenet-conv1.svg');
    expect(featureMapFileName('lenet', 'conv1')).toBe('lenet-conv1.png');
  });

  it('knows which titles the PNG font cannot draw', () => {
    expect(fontDraws('lenet | conv1 (Conv2d) 3×3 − …')).toBe(true);
    expect(fontDraws('모델 | conv1')).toBe(false);
    expect(fontDraws('naïve')).toBe(false);
  });
});
