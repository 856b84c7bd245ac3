/**
 * The panel's own arithmetic, without a browser: participation counts (the textbook's 4/2/1 and
 * 9/6/4), 'valid'/'same' sizes and the shape formula, the stamp's reverse lookup, and the stamp
 * arithmetic recomputed from a real LayerView equal to the engine's feature maps (one channel and
 * 32 channels, with bias and ReLU) and pooled values; the packed colour tables equal the host's (both built from src/shared/colormaps.ts).
 */
import { describe, expect, it } from 'vitest';
import { blueWhiteRed, viridis } from '../../src/present/colormap';
import type { Geometry } from '../../src/shared/protocol';
import { activate, at, convStamp, fillIndex, poolStamp } from '../../webview/arithmetic';
import { lut, rgbOf } from '../../webview/colormap';
import {
  axisFormula,
  participation,
  sameAxis,
  summarize,
  usersOf,
  validAxis,
  windowCells,
  withPadding,
} from '../../webview/geometry';
import { layerView, runFile, runSource } from './fixtures';

const geo = (o: Partial<Geometry>): Geometry => ({
  rank: 2,
  inH: 4,
  inW: 4,
  outH: 2,
  outW: 2,
  kernel: [3, 3],
  strides: [1, 1],
  dilation: [1, 1],
  pads: [0, 0, 0, 0],
  padding: 'valid',
  ...o,
});

function rows(g: Geometry): number[][] {
  const p = participation(g);
  return Array.from({ length: g.inH }, (_, y) =>
    Array.from({ length: g.inW }, (_, x) => p.counts[(y + g.pads[0]) * p.cols + x + g.pads[2]]!),
  );
}

describe('participation counts', () => {
  it("x=4×4 k=3 s=1 'valid' → corner 1, edge 2, centre 4 (the textbook's 4/2/1)", () => {
    const g = geo({});
    expect(rows(g)).toEqual([
      [1, 2, 2, 1],
      [2, 4, 4, 2],
      [2, 4, 4, 2],
      [1, 2, 2, 1],
    ]);
    expect(summarize(g, participation(g))).toMatchObject({ corner: 1, edge: 2, centre: 4 });
  });

  it('x=4×4 k=3 s=1 one pixel of padding → corner 4, edge 6, centre 9 (9/6/4)', () => {
    const g = withPadding(geo({}), 'same')!;
    expect(g.pads).toEqual([1, 1, 1, 1]);
    expect(rows(g)).toEqual([
      [4, 6, 6, 4],
      [6, 9, 9, 6],
      [6, 9, 9, 6],
      [4, 6, 6, 4],
    ]);
  });

  it('x=4×4 k=3 two pixels of padding → every cell 9 (the 1:1 case)', () => {
    const g = geo({ outH: 6, outW: 6, pads: [2, 2, 2, 2], padding: 'explicit' });
    expect(
      rows(g)
        .flat()
        .every((n) => n === 9),
    ).toBe(true);
  });

  it('x=5×5 pool 2 s=2 → the last row and column are never reached (dropped border)', () => {
    const g = geo({ inH: 5, inW: 5, kernel: [2, 2], strides: [2, 2] });
    const r = rows(g);
    expect(r[4]!.every((n) => n === 0)).toBe(true);
    expect(r.map((row) => row[4]).every((n) => n === 0)).toBe(true);
    expect(r[0]![0]).toBe(1);
  });
});

describe('sizes and formulas', () => {
  it("'same' follows TF: x=28 k=3 s=2 → 14, pad 0/1 (extra pixel bottom/right)", () => {
    expect(sameAxis(28, 3, 2, 1)).toEqual({ out: 14, before: 0, after: 1 });
    expect(sameAxis(28, 3, 1, 1)).toEqual({ out: 28, before: 1, after: 1 });
  });

  it("'valid': x=10 k=3 s=1 → 8 (the textbook's 1-D example); kernel larger than input → null", () => {
    expect(validAxis(10, 3, 1, 1)?.out).toBe(8);
    expect(validAxis(2, 3, 1, 1)).toBeNull();
    expect(validAxis(7, 3, 1, 2)?.out).toBe(3);
  });

  it('the formula shows the arithmetic and gives the host size', () => {
    expect(axisFormula(geo({ inH: 32, outH: 28, kernel: [5, 5] }), 'h')).toEqual({
      text: '(32 − 5) + 1 = 28',
      value: 28,
    });
    expect(
      axisFormula(geo({ inH: 28, outH: 14, strides: [2, 2], padding: 'same', pads: [0, 1, 0, 1] }), 'h').text,
    ).toBe('⌈28 / 2⌉ = 14');
    expect(axisFormula(geo({ inH: 28, outH: 13, kernel: [3, 3], strides: [2, 2], pads: [0, 0, 0, 0] }), 'h').text).toBe(
      '⌊(28 − 3) / 2⌋ + 1 = 13',
    );
    // PyTorch ceil_mode: the ceiling form is shown
    expect(axisFormula(geo({ inH: 5, outH: 3, kernel: [2, 2], strides: [2, 2] }), 'h').text).toBe(
      '⌈(5 − 2) / 2⌉ + 1 = 3',
    );
  });

  it('usersOf is the reverse of windowCells (stride 2, dilation 2, padding 1)', () => {
    const g = geo({
      inH: 9,
      inW: 9,
      outH: 4,
      outW: 4,
      strides: [2, 2],
      dilation: [2, 2],
      pads: [1, 1, 1, 1],
      padding: 'explicit',
    });
    for (let iy = 0; iy < 9; iy++) {
      for (let ix = 0; ix < 9; ix++) {
        const expected: string[] = [];
        for (let oy = 0; oy < 4; oy++)
          for (let ox = 0; ox < 4; ox++)
            if (windowCells(g, oy, ox).some((c) => c.gy === iy + 1 && c.gx === ix + 1)) expected.push(`${oy},${ox}`);
        expect(usersOf(g, iy, ix).map((u) => `${u.oy},${u.ox}`)).toEqual(expected);
      }
    }
  });
});

describe('stamp arithmetic equals the engine', () => {
  const run = runFile('examples/textbook_cnn.py', 'sneaker.png');

  for (const index of [0, 2]) {
    it(`textbook_cnn layer ${index}: Σ x·w over every input channel + bias = pre-activation, relu(pre) = feature map, at every cell of 3 filters`, () => {
      const v = layerView(run, index);
      const [, h, w] = v.output.shape;
      for (const f of [0, 7, v.output.shape[0] - 1]) {
        for (let oy = 0; oy < h; oy++) {
          for (let ox = 0; ox < w; ox++) {
            const s = convStamp(v, f, 0, oy, ox)!;
            expect(s.complete).toBe(true);
            expect(s.channels).toBe(v.input.shape[0]);
            expect(Math.abs(s.pre - at(v.preActivation!, f, oy, ox))).toBeLessThan(1e-5);
            expect(Math.abs(s.activated! - at(v.output, f, oy, ox))).toBeLessThan(1e-5);
          }
        }
      }
    });
  }

  for (const mode of ['zeros', 'reflect', 'replicate', 'circular'] as const) {
    it(`padding_mode='${mode}': the stamp reads what the padding holds, Σ x·w + bias = the engine's value at every cell (borders too)`, () => {
      const src = `import torch
import torch.nn as nn

class Pad(nn.Module):
    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(3, 4, (3, 4), padding=(2, 1), dilation=(1, 2), padding_mode='${mode}')

    def forward(self, x):
        return self.c(x)

model = Pad()
model(torch.zeros(1, 3, 12, 12))
`;
      const r = runSource(src, { image: 'sneaker.png' });
      const v = layerView(r, 0);
      expect(v.geometry!.fill ?? 'zeros').toBe(mode);
      const [, h, w] = v.output.shape;
      expect([h, w]).toEqual([14, 8]);
      let borderPads = 0;
      for (const f of [0, 3])
        for (let oy = 0; oy < h; oy++)
          for (let ox = 0; ox < w; ox++) {
            const s = convStamp(v, f, 0, oy, ox)!;
            expect(Math.abs(s.pre - at(v.output, f, oy, ox)), `filter ${f} at (${oy}, ${ox})`).toBeLessThan(1e-5);
            borderPads += s.cells.filter((c) => c.pad && c.value !== 0).length;
          }
      // zeros pad with 0; the other modes repeat input values (the image is not 0 at its border)
      if (mode === 'zeros') expect(borderPads).toBe(0);
      else expect(borderPads).toBeGreaterThan(0);
    });
  }

  it('fillIndex: the input index a padding cell repeats, as F.pad has it', () => {
    // size 4: indices -2 … 5
    const at = (fill: 'reflect' | 'replicate' | 'circular' | 'zeros') =>
      [-2, -1, 0, 3, 4, 5].map((i) => fillIndex(fill, 4, i));
    expect(at('reflect')).toEqual([2, 1, 0, 3, 2, 1]);
    expect(at('replicate')).toEqual([0, 0, 0, 3, 3, 3]);
    expect(at('circular')).toEqual([2, 3, 0, 3, 0, 1]);
    expect(at('zeros')).toEqual([-1, -1, 0, 3, -1, -1]);
  });

  it('textbook_cnn layer 1 (max pooling 2): the pooled value is the window maximum; the average map is the window mean', () => {
    const v = layerView(run, 1);
    for (let c = 0; c < 4; c++) {
      for (let oy = 0; oy < 14; oy++) {
        for (let ox = 0; ox < 14; ox++) {
          const max = poolStamp(v, 'max', c, oy, ox, at(v.output, c, oy, ox))!;
          expect(max.value).toBe(at(v.output, c, oy, ox));
          expect(max.cells[max.winner]!.value).toBe(max.value);
          const avg = poolStamp(v, 'avg', c, oy, ox, at(v.otherPool!, c, oy, ox))!;
          expect(Math.abs(avg.value - at(v.otherPool!, c, oy, ox))).toBeLessThan(1e-6);
          expect(avg.divisor).toBe(4);
        }
      }
    }
  });

  it('activations: relu, sigmoid, unknown → null', () => {
    expect(activate('relu', -2)).toBe(0);
    expect(activate('sigmoid', 0)).toBe(0.5);
    expect(activate(null, 3)).toBe(3);
    expect(activate('some_custom_fn', 1)).toBeNull();
  });
});

describe('colour tables', () => {
  it('viridis and blue-white-red packed for the canvas equal the host tables (src/shared/colormaps.ts) entry for entry', () => {
    for (const [name, ref] of [
      ['viridis', viridis],
      ['blue-white-red', blueWhiteRed],
    ] as const) {
      const table = lut(name);
      for (let i = 0; i < 256; i++)
        expect(rgbOf(table[i]!)).toEqual([ref.table[i * 3], ref.table[i * 3 + 1], ref.table[i * 3 + 2]]);
    }
  });

  it('magma runs from near black to pale yellow; gray from black to white', () => {
    expect(rgbOf(lut('magma')[0]!)).toEqual([0, 0, 4]);
    expect(rgbOf(lut('magma')[255]!)).toEqual([252, 253, 191]);
    expect(rgbOf(lut('gray')[0]!)).toEqual([0, 0, 0]);
    expect(rgbOf(lut('gray')[255]!)).toEqual([255, 255, 255]);
  });
});
