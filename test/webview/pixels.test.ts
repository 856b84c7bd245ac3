/**
 * The pictures carry the numbers: every feature-map tile, kernel tile and stage canvas is read back
 * pixel by pixel (getImageData), each colour decoded through the colour table to the values it
 * stands for (test/webview/pixels.ts), and compared with the engine's output for that filter read
 * here straight from the framework-layout tensor (NHWC for Keras, NCHW for PyTorch) — not through
 * the layer view the panel was sent. The scale is recomputed here too: per map, a filter's own
 * min…max; per layer, the min…max over every channel; kernels, ±max |w| over the layer's kernel.
 * Convolutions (Keras and PyTorch) and a pooling layer; several colour maps, both scale modes, light
 * and dark themes; one screenshot per theme checks what reaches the screen (no CSS filter or
 * overlay changes a tile's colours).
 */
import type { Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/engine';
import { paramSpecs } from '../../src/model/nodes';
import type { ColormapName } from '../../src/shared/colormaps';
import type { PanelSettings } from '../../src/shared/protocol';
import { modelState, runFile, SAMPLES, settingsMsg, stateMsg, type Run } from './fixtures';
import { ensureBuilt, launch, openPanel, skipBrowserTests, type Panel } from './harness';
import { describeMismatches, minMax, mismatches, readCanvases, tableProblems, type CanvasPixels } from './pixels';
import type { ThemeName } from './themes';

/** Channel c of a batch-1 image tensor in its framework layout, row-major (h × w). */
function channel(t: Tensor, channelsLast: boolean, c: number): Float64Array {
  const [, a, b, d] = t.shape as [number, number, number, number];
  const [h, w, n] = channelsLast ? [a, b, d] : [b, d, a];
  if (c >= n) throw new Error(`channel ${c} of ${n}`);
  const out = new Float64Array(h * w);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) out[y * w + x] = t.data[channelsLast ? (y * w + x) * n + c : (c * h + y) * w + x]!;
  return out;
}

function channels(t: Tensor, channelsLast: boolean): number {
  return t.shape[channelsLast ? 3 : 1]!;
}

/** The kernel of conv layer `index`, as the weights the engine ran with: W[f][c] as kh × kw, and max |w|. */
function kernelOf(run: Run, index: number): { slice: (f: number, c: number) => Float64Array; absMax: number } {
  const node = run.graph.layers[index]!;
  const spec = paramSpecs(node)!.find((p) => p.role === 'kernel')!;
  const w = run.weights(node, spec);
  const keras = run.graph.framework === 'keras';
  // Keras (kh, kw, cin, cout); PyTorch (cout, cin, kh, kw)
  const [kh, kw, cin, cout] = keras
    ? (spec.shape as [number, number, number, number])
    : [spec.shape[2]!, spec.shape[3]!, spec.shape[1]!, spec.shape[0]!];
  let absMax = 0;
  for (const v of w) absMax = Math.max(absMax, Math.abs(v));
  return {
    absMax,
    slice: (f, c) => {
      const out = new Float64Array(kh * kw);
      for (let y = 0; y < kh; y++)
        for (let x = 0; x < kw; x++)
          out[y * kw + x] = w[keras ? ((y * kw + x) * cin + c) * cout + f : ((f * cin + c) * kh + y) * kw + x]!;
      return out;
    },
  };
}

describe.skipIf(skipBrowserTests())('pixels decode to the engine’s values', () => {
  let browser: Browser;
  let textbook: Run;
  let lenet: Run;
  let panel: Panel | undefined;

  beforeAll(async () => {
    await ensureBuilt();
    browser = await launch();
    textbook = runFile('examples/textbook_cnn.py', 'sneaker.png');
    lenet = runFile('examples/lenet.py', 'digit-3.png');
  });
  afterAll(async () => {
    await panel?.page.close();
    await browser?.close();
  });

  async function open(run: Run, index: number, theme: ThemeName, settings: Partial<PanelSettings>): Promise<Panel> {
    await panel?.page.close();
    panel = await openPanel(browser, { theme });
    await panel.send(settingsMsg(settings));
    await panel.send(SAMPLES);
    await panel.send(stateMsg(modelState(run, index)));
    return panel;
  }

  /** Checks tile i of the grid against channel i of the layer's output (and no tile is missing or extra). */
  function expectMapsMatch(
    run: Run,
    index: number,
    tiles: CanvasPixels[],
    map: ColormapName,
    normalization: PanelSettings['normalization'],
  ): void {
    const last = run.graph.framework === 'keras';
    const out = run.outputs[index]!;
    const n = channels(out, last);
    expect(tiles).toHaveLength(n);
    const planes = Array.from({ length: n }, (_, f) => channel(out, last, f));
    const layerRange = minMax(planes.flatMap((p) => Array.from(p)));
    const problems: string[] = [];
    planes.forEach((values, f) => {
      const range = normalization === 'per-layer' ? layerRange : minMax(values);
      const m = mismatches(tiles[f]!, values, range, map);
      if (m.length) problems.push(describeMismatches(`tile ${f}`, m));
    });
    expect(problems.join('\n')).toBe('');
  }

  it('the colour tables start and end on the published colours', () => {
    for (const name of ['viridis', 'magma', 'gray', 'blue-white-red'] as const) expect(tableProblems(name)).toEqual([]);
  });

  const cases: [ThemeName, PanelSettings['colormap'], PanelSettings['normalization']][] = [
    ['dark', 'viridis', 'per-map'],
    ['light', 'viridis', 'per-map'],
    ['dark', 'magma', 'per-map'],
    ['light', 'gray', 'per-map'],
    ['dark', 'gray', 'per-layer'],
    ['light', 'magma', 'per-layer'],
  ];
  for (const [theme, colormap, normalization] of cases) {
    it(`Keras conv2d (NHWC), ${colormap}, ${normalization}, ${theme}: tile f holds filter f at the legend's scale`, async () => {
      const { page } = await open(textbook, 0, theme, { colormap, normalization });
      expectMapsMatch(textbook, 0, await readCanvases(page, '.maps .tile-canvas'), colormap, normalization);
      expect(await panel!.problems()).toEqual([]);
    });
  }

  it('Keras conv2d_1 (64 filters over 32 channels), viridis per layer', async () => {
    const { page } = await open(textbook, 2, 'dark', { colormap: 'viridis', normalization: 'per-layer' });
    expectMapsMatch(textbook, 2, await readCanvases(page, '.maps .tile-canvas'), 'viridis', 'per-layer');
  });

  it('PyTorch conv1 (NCHW, signed values before the relu), magma per map and gray per layer', async () => {
    for (const [colormap, normalization] of [
      ['magma', 'per-map'],
      ['gray', 'per-layer'],
    ] as const) {
      const { page } = await open(lenet, 0, 'light', { colormap, normalization });
      const tiles = await readCanvases(page, '.maps .tile-canvas');
      // conv1's output is signed: the check would be blind to an inverted map if every value were ≥ 0
      expect(minMax(lenet.outputs[0]!.data)[0]).toBeLessThan(0);
      expectMapsMatch(lenet, 0, tiles, colormap, normalization);
    }
  });

  it('pooled maps (MaxPooling2D after conv2d): tile c holds channel c, per map and per layer', async () => {
    for (const [theme, colormap, normalization] of [
      ['dark', 'viridis', 'per-map'],
      ['light', 'magma', 'per-layer'],
    ] as const) {
      const { page } = await open(textbook, 1, theme, { colormap, normalization });
      expectMapsMatch(textbook, 1, await readCanvases(page, '.maps .tile-canvas'), colormap, normalization);
    }
  });

  it('switching the scale in the panel redraws every tile at the new scale', async () => {
    const { page } = await open(textbook, 0, 'dark', { colormap: 'viridis', normalization: 'per-map' });
    await page.locator('.maps [data-focus-key="scale-1"]').click();
    await expect.poll(() => page.locator('.maps [data-focus-key="scale-1"]').getAttribute('aria-checked')).toBe('true');
    expectMapsMatch(textbook, 0, await readCanvases(page, '.maps .tile-canvas'), 'viridis', 'per-layer');
  });

  it('stepping between layers: tiles drawn on the replaced view’s canvases hold each layer’s values', async () => {
    const { page } = await open(textbook, 2, 'dark', { colormap: 'viridis', normalization: 'per-map' });
    // each canvas of the grid is tagged, to see which of them the next view takes over
    const tag = (n: number) =>
      page.evaluate((k) => {
        const doc = (globalThis as any).document;
        for (const c of doc.querySelectorAll('.maps .tile-canvas')) c.__tag ??= k;
      }, n);
    const taken = () =>
      page.evaluate(
        () =>
          (Array.from((globalThis as any).document.querySelectorAll('.maps .tile-canvas')) as any[]).filter(
            (c) => c.__tag,
          ).length,
      );
    // conv2d_1 (64 maps of 14×14) → max_pooling2d (32 of 14×14) → conv2d_1 → conv2d (32 of 28×28)
    // → conv2d_1 again, the same state twice
    const steps: [number, number][] = [
      [1, 32],
      [2, 32],
      [0, 0],
      [2, 0],
      [2, 64],
    ];
    for (const [i, [index, reused]] of steps.entries()) {
      await tag(i + 1);
      await panel!.send(stateMsg(modelState(textbook, index)));
      expect(await page.locator('.layer-title .layer-name').textContent()).toBe(textbook.graph.layers[index]!.name);
      expect(await taken()).toBe(reused);
      expectMapsMatch(textbook, index, await readCanvases(page, '.maps .tile-canvas'), 'viridis', 'per-map');
    }
    expect(await panel!.problems()).toEqual([]);
  });

  it('kernel tiles hold each filter’s weights for the chosen channel, ±max |w| around white', async () => {
    for (const [run, index] of [
      [textbook, 0],
      [textbook, 2],
      [lenet, 0],
    ] as const) {
      const { page } = await open(run, index, 'dark', { colormap: 'viridis' });
      const k = kernelOf(run, index);
      const tiles = await readCanvases(page, '.kernels .tile-canvas');
      const n = channels(run.outputs[index]!, run.graph.framework === 'keras');
      expect(tiles).toHaveLength(n);
      const problems = tiles.map((px, f) =>
        describeMismatches(`kernel ${f}`, mismatches(px, k.slice(f, 0), [-k.absMax, k.absMax], 'blue-white-red')),
      );
      expect(problems.filter(Boolean).join('\n')).toBe('');
    }
  });

  it('the stage shows the chosen filter: input (gray), its kernel and its feature map decode to the engine’s values', async () => {
    for (const [theme, colormap] of [
      ['dark', 'viridis'],
      ['light', 'magma'],
    ] as const) {
      const { page } = await open(textbook, 0, theme, { colormap, normalization: 'per-map' });
      for (const f of [5, 17]) {
        await page.locator('.maps .tile-btn').nth(f).click();
        await expect.poll(() => page.locator('.stage .card-title').textContent()).toMatch(new RegExp(`\\b${f}$`));
        const [input, kernel, output, ...rest] = await readCanvases(page, '.stage .mapview-base');
        expect(rest).toHaveLength(0);
        const x = channel(textbook.input, true, 0);
        const k = kernelOf(textbook, 0);
        const y = channel(textbook.outputs[0]!, true, f);
        const problems = [
          describeMismatches('input', mismatches(input!, x, minMax(x), 'gray')),
          describeMismatches(
            `kernel ${f}`,
            mismatches(kernel!, k.slice(f, 0), [-k.absMax, k.absMax], 'blue-white-red'),
          ),
          describeMismatches(`feature map ${f}`, mismatches(output!, y, minMax(y), colormap)),
        ];
        expect(problems.filter(Boolean).join('\n')).toBe('');
      }
    }
  });

  for (const theme of ['dark', 'light'] as const) {
    it(`on screen (${theme} theme): the tiles' pixels as painted decode to the same values`, async () => {
      const { page } = await open(textbook, 0, theme, { colormap: 'viridis', normalization: 'per-map' });
      const grid = page.locator('.maps .tile-canvas');
      const problems: string[] = [];
      for (const f of [0, 1, 2, 31]) {
        const shot = PNG.sync.read(await grid.nth(f).screenshot({ animations: 'disabled' }));
        const [h, w] = [28, 28];
        // sample the centre of each cell of the scaled-up tile
        const rgba = new Uint8Array(h * w * 4);
        for (let y = 0; y < h; y++)
          for (let x = 0; x < w; x++) {
            const sx = Math.min(shot.width - 1, Math.floor(((x + 0.5) * shot.width) / w));
            const sy = Math.min(shot.height - 1, Math.floor(((y + 0.5) * shot.height) / h));
            rgba.set(shot.data.subarray((sy * shot.width + sx) * 4, (sy * shot.width + sx) * 4 + 4), (y * w + x) * 4);
          }
        const values = channel(textbook.outputs[0]!, true, f);
        const m = mismatches({ width: w, height: h, rgba }, values, minMax(values), 'viridis');
        if (m.length) problems.push(describeMismatches(`screen tile ${f}`, m));
      }
      expect(problems.join('\n')).toBe('');
    });
  }
});
