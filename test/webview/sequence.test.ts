/**
 * The chapter's first picture in Chromium: Conv1D(1, kernel_size=3) on ten numbers, the stamp
 * sliding along a 1×10 strip with its arithmetic, 'valid' vs 'same' (participation 1 2 3 … 3 2 1
 * and one zero at each end), stride 1 vs 2 side by side; the stamp opening on a lively cell after
 * a layer switch; participation captions that stay true on 4×4 (the textbook's 1 2 2 1 / 2 4 4 2
 * and 4 6 6 4 / 6 9 9 6) and 28×28. Oracles: sums of products by hand with known weights, the
 * textbook's counts, the output-size formula, Keras's 'same' rule.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/analyze';
import { LineMap } from '../../src/analysis/python/lines';
import { tensor } from '../../src/engine';
import { layerRows } from '../../src/present/layerView';
import { computeLayerView } from '../../src/present/panelJob';
import type { LayerView, ModelState } from '../../src/shared/protocol';
import { conv4Source, grid4, modelState, runFile, runSource, settingsMsg, stateMsg } from './fixtures';
import { ensureBuilt, hoverCell, launch, openPanel, screenshotPath, skipBrowserTests, type Panel } from './harness';
import type { ThemeName } from './themes';

const TEN = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
const W = [1, 2, -1];
const B = 0.5;

const conv1d = (padding: 'valid' | 'same', strides = 1) => `from tensorflow import keras
model = keras.Sequential([
    keras.layers.Conv1D(1, kernel_size=3, padding='${padding}', strides=${strides}, input_shape=(10, 1)),
    keras.layers.MaxPooling1D(2),
])
`;

/** The model state of layer `index` on TEN with the kernel W and bias B. */
function state1d(source: string, index: number): ModelState {
  const graph = analyze(source).models[0]!;
  const view: LayerView = computeLayerView({
    graph,
    index,
    input: tensor([1, 10, 1], Float32Array.from(TEN)),
    seed: 0,
    fileWeights: [
      [
        graph.layers[0]!.spec.id,
        [
          ['kernel', Float32Array.from(W)],
          ['bias', Float32Array.from([B])],
        ],
      ],
    ],
    preset: null,
    weightsInfo: { kind: 'file', file: 'textbook.weights.h5' },
    preprocessing: [],
  });
  return {
    kind: 'model',
    modelName: graph.name,
    framework: graph.framework,
    layers: layerRows(graph, (o) => new LineMap(source).position(o).line, new Map()),
    selected: index,
    layer: view,
    inputName: 'ten numbers',
    busy: false,
    message: null,
  };
}

/** y[i] = Σ_t p[i·s + t]·w[t] + b over the input padded with zeros, written out by hand. */
function byHand(padLeft: number, padRight: number, out: number, s = 1): number[] {
  const p = [...Array<number>(padLeft).fill(0), ...TEN, ...Array<number>(padRight).fill(0)];
  return Array.from({ length: out }, (_, i) => p[i * s]! * W[0]! + p[i * s + 1]! * W[1]! + p[i * s + 2]! * W[2]! + B);
}

async function countsOf(panel: Panel, mode: string): Promise<number[][]> {
  const rows = panel.page.locator(`.compare-col[data-mode="${mode}"] table.counts tr`);
  const out: number[][] = [];
  for (let i = 0; i < (await rows.count()); i++)
    out.push((await rows.nth(i).locator('td').allTextContents()).map(Number));
  return out;
}

describe.skipIf(skipBrowserTests())('1-D layers, strides, the first stamp, participation captions', () => {
  let browser: Browser;
  let panel: Panel | undefined;

  beforeAll(async () => {
    await ensureBuilt();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function show(state: ModelState, o: { theme?: ThemeName; locale?: 'en' | 'ko' } = {}): Promise<Panel> {
    await panel?.page.close();
    panel = await openPanel(browser, { theme: o.theme ?? 'light', width: 1280, height: 900 });
    await panel.send(settingsMsg({ locale: o.locale ?? 'en' }));
    await panel.send(stateMsg(state));
    return panel;
  }

  it('predict the output: a 1-D layer asks for one length, (10 − 3) / 1 + 1 = 8', async () => {
    const p = await show(state1d(conv1d('valid'), 0));
    const card = p.page.locator('.predict');
    expect(await card.locator('.givens').textContent()).toBe("Input 10, Kernel 3, Stride 1, Padding 'valid'");
    expect(await card.locator('input[type=number]').count()).toBe(1);
    await card.locator('input[type=number]').fill('9');
    await card.locator('button', { hasText: 'Check' }).click();
    expect(await card.locator('.predict-result strong').textContent()).toBe('✗ Not quite: the output is 8 long.');
    await card.locator('input[type=number]').fill('8');
    await card.locator('button', { hasText: 'Check' }).click();
    // the card is drawn again on the next frame
    await card.locator('.predict-result[data-right="true"]').waitFor({ timeout: 5000 });
    expect(await card.locator('.predict-result strong').textContent()).toBe('✓ Right!');
    expect(await card.locator('.formula').textContent()).toMatch(/^L = /);
  });

  it('Conv1D(1, 3) on 10 numbers: a 1×10 strip, a kernel of "3", 8 outputs; the stamp reads Σ x·w + b by hand', async () => {
    const p = await show(state1d(conv1d('valid'), 0));
    const y = byHand(0, 0, 8);
    const maps = p.page.locator('.stage .mapview');
    expect(await maps.nth(0).getAttribute('data-rows')).toBe('1');
    expect(await maps.nth(0).getAttribute('data-cols')).toBe('10');
    expect(await maps.nth(1).getAttribute('data-cols')).toBe('3');
    expect(await maps.nth(2).getAttribute('data-cols')).toBe('8');
    const captions = await p.page.locator('.stage figcaption').allTextContents();
    expect(captions[1]).toBe('Kernel · 3');
    expect(captions[2]).toBe('Feature map 0 · 8');
    expect(await p.page.locator('.layer-summary').textContent()).toContain(' of 3 slide over');
    expect(await p.page.locator('.layer-summary').textContent()).toContain(
      "1 filter (stamps) of 3 slide over the 1-channel input with stride 1 and 'valid' padding → 1 feature map of 8.",
    );
    // no 3×3 image presets for a kernel of three
    expect(await p.page.locator('.preset-pick').count()).toBe(0);
    for (let i = 0; i < 8; i++) {
      await hoverCell(p.page, '.stage [data-focus-key="stamp-output"]', 0, i);
      await expect.poll(() => p.page.locator('.stage-readout').textContent()).toBe(`Output position ${i}`);
      const arith = p.page.locator('.stage .arith');
      expect(Number(await arith.getAttribute('data-pre'))).toBeCloseTo(y[i]!, 5);
      expect(Number(await arith.getAttribute('data-shown'))).toBeCloseTo(y[i]!, 5);
      expect(await arith.getAttribute('data-match')).toBe('true');
      // the three products as the textbook draws them: x[i..i+2] over w1..w3
      expect(await arith.locator('.term .term-x').allTextContents()).toEqual(TEN.slice(i, i + 3).map(String));
      expect(await arith.locator('.term .term-w').allTextContents()).toEqual(['× 1', '× 2', '× -1']);
    }
    // pointing at an input number: the stamp positions that use it
    await hoverCell(p.page, '.stage .mapview >> nth=0', 0, 1);
    expect(await p.page.locator('.stage-readout').textContent()).toBe('Input position 1 is used by 2 stamp positions');
    expect(await p.problems()).toEqual([]);
  });

  it("the stamp opens on the output of largest |value|; 'valid' reads 1 2 3 3 3 3 3 3 2 1, 'same' 2 3 … 3 2", async () => {
    const p = await show(state1d(conv1d('valid'), 0));
    const y = byHand(0, 0, 8);
    const lively = y.map(Math.abs).indexOf(Math.max(...y.map(Math.abs)));
    expect(await p.page.locator('.stage-readout').textContent()).toBe(`Output position ${lively}`);
    expect(await countsOf(p, 'valid')).toEqual([[1, 2, 3, 3, 3, 3, 3, 3, 2, 1]]);
    expect(await countsOf(p, 'same')).toEqual([[2, 3, 3, 3, 3, 3, 3, 3, 3, 2]]);
    const valid = p.page.locator('.compare-col[data-mode="valid"]');
    expect(await valid.locator('.compare-size').textContent()).toBe('10 → 8');
    expect(await valid.locator('.compare-summary').textContent()).toBe('1× to 3× · ends 1× · most (3×): positions 2–7');
    expect(await valid.locator('.compare-counts').textContent()).toBe('each position: 1 2 3 3 3 3 3 3 2 1');
    const same = p.page.locator('.compare-col[data-mode="same"]');
    expect(await same.locator('.compare-size').textContent()).toBe('10 → 10');
    expect(await same.locator('.compare-col >> text=pad left 1, right 1').count()).toBe(0);
    expect(await same.textContent()).toContain('pad left 1, right 1');
  });

  it("Keras 'same' on 10 keeps 10 with one zero at each end: the stamp at 0 covers the left zero", async () => {
    const p = await show(state1d(conv1d('same'), 0));
    const y = byHand(1, 1, 10);
    const input = p.page.locator('.stage .mapview').first();
    expect(await input.getAttribute('data-cols')).toBe('12');
    expect(await p.page.locator('.stage .mapview').nth(2).getAttribute('data-cols')).toBe('10');
    for (const i of [0, 5, 9]) {
      await hoverCell(p.page, '.stage [data-focus-key="stamp-output"]', 0, i);
      const arith = p.page.locator('.stage .arith');
      await expect.poll(() => arith.getAttribute('data-pre').then(Number)).toBeCloseTo(y[i]!, 5);
      expect(await arith.locator('.term.pad').count()).toBe(i === 0 || i === 9 ? 1 : 0);
      expect(await arith.getAttribute('data-match')).toBe('true');
    }
    expect(await p.page.locator('.compare-col.current').getAttribute('data-mode')).toBe('same');
  });

  it('stride 1 vs 2 side by side: 10 → 8 and 10 → 4 with the formula, where the stamp starts; this layer marked', async () => {
    const p = await show(state1d(conv1d('valid'), 0));
    const col = (s: number) => p.page.locator(`.stride-col[data-stride="${s}"]`);
    expect(await col(1).locator('.compare-size').textContent()).toBe('10 → 8');
    expect(await col(1).locator('.compare-formula').textContent()).toBe('(10 − 3) + 1 = 8');
    expect(await col(1).locator('.compare-summary').getAttribute('data-starts')).toBe('0 1 2 3 4 5 6 7');
    expect(await col(2).locator('.compare-size').textContent()).toBe('10 → 4');
    expect(await col(2).locator('.compare-formula').textContent()).toBe('⌊(10 − 3) / 2⌋ + 1 = 4');
    expect(await col(2).locator('.compare-summary').getAttribute('data-starts')).toBe('0 2 4 6');
    // the last number (index 9) is never reached by a window starting at 0, 2, 4, 6
    expect(await col(2).locator('.compare-summary').getAttribute('data-unused')).toBe('1');
    expect(await p.page.locator('.stride-col.current').getAttribute('data-stride')).toBe('1');
    expect(await col(1).locator('.badge').textContent()).toBe('this layer');

    // a layer with stride 2: its own numbers (the engine's) agree with the stride-2 column
    const q = await show(state1d(conv1d('valid', 2), 0));
    expect(await q.page.locator('.stride-col.current').getAttribute('data-stride')).toBe('2');
    expect(await q.page.locator('.stage .mapview').nth(2).getAttribute('data-cols')).toBe('4');
    await hoverCell(q.page, '.stage [data-focus-key="stamp-output"]', 0, 3);
    expect(Number(await q.page.locator('.stage .arith').getAttribute('data-pre'))).toBeCloseTo(
      byHand(0, 0, 4, 2)[3]!,
      5,
    );

    // 2-D: the textbook CNN's 'same' 3×3 convolution, 28 → 28 and 28 → 14 (⌈28 / 2⌉)
    const r = await show(modelState(runFile('examples/textbook_cnn.py', 'digit-3.png'), 0));
    expect(await r.page.locator('.stride-col[data-stride="1"] .compare-size').textContent()).toBe('28×28 → 28×28');
    expect(await r.page.locator('.stride-col[data-stride="2"] .compare-size').textContent()).toBe('28×28 → 14×14');
    expect(await r.page.locator('.stride-col[data-stride="2"] .compare-formula').textContent()).toBe(
      'H, W: ⌈28 / 2⌉ = 14',
    );
  });

  it('MaxPooling1D(2): 8 → 4 with stride 2 (the pool size) marked as this layer', async () => {
    const p = await show(state1d(conv1d('valid'), 1));
    expect(await p.page.locator('.stride-col.current').getAttribute('data-stride')).toBe('2');
    expect(await p.page.locator('.stride-col[data-stride="1"] .compare-size').textContent()).toBe('8 → 7');
    expect(await p.page.locator('.stride-col[data-stride="2"] .compare-size').textContent()).toBe('8 → 4');
    expect(await p.problems()).toEqual([]);
  });

  it('after a cursor-driven switch (busy, then the view) the stamp opens on the largest |value|, not (0, 0)', async () => {
    const run = runFile('examples/textbook_cnn.py', 'digit-3.png');
    const first = modelState(run, 0);
    const p = await show(first);
    // the host first says layer 2 is selected and busy, then sends its view
    await p.send(stateMsg({ ...first, selected: 2, layer: null, busy: true }));
    const second = modelState(run, 2);
    await p.send(stateMsg(second));
    const v = second.layer!;
    const [, h, w] = v.output.shape;
    // the first filter whose map is not constant, and its largest |value| (ties: any of them)
    let f = 0;
    for (; f < v.output.shape[0]; f++) {
      const plane = v.output.data.subarray(f * h * w, (f + 1) * h * w);
      if (Math.max(...plane) > Math.min(...plane)) break;
    }
    const plane = Array.from(v.output.data.subarray(f * h * w, (f + 1) * h * w), Math.abs);
    const best = Math.max(...plane);
    expect(best).toBeGreaterThan(0);
    const readout = (await p.page.locator('.stage-readout').textContent())!;
    const [, oy, ox] = /Output row (\d+), column (\d+)/.exec(readout)!.map(Number);
    expect(plane[oy! * w + ox!]).toBe(best);
    expect(await p.page.locator('.stage .card-title').first().textContent()).toBe(`The stamp · Filter ${f}`);
  });

  it('participation captions: 4×4 reads the textbook (1 2 2 1 / 2 4 4 2; 4 6 6 4 / 6 9 9 6) and 28×28 stays true', async () => {
    const p = await show(modelState(runSource(conv4Source('valid'), { tensor: grid4() }), 0));
    const col = (mode: string) => p.page.locator(`.compare-col[data-mode="${mode}"]`);
    expect(await col('valid').locator('.compare-summary').textContent()).toBe(
      '1× to 4× · corner 1× · most (4×): rows 1–2, columns 1–2',
    );
    expect(await col('valid').locator('.compare-counts').textContent()).toBe('first row: 1 2 2 1');
    expect((await countsOf(p, 'valid')).slice(0, 2)).toEqual([
      [1, 2, 2, 1],
      [2, 4, 4, 2],
    ]);
    expect(await col('same').locator('.compare-summary').textContent()).toBe(
      '4× to 9× · corner 4× · most (9×): rows 1–2, columns 1–2',
    );
    expect(await col('same').locator('.compare-counts').textContent()).toBe('first row: 4 6 6 4');
    expect((await countsOf(p, 'same')).slice(0, 2)).toEqual([
      [4, 6, 6, 4],
      [6, 9, 9, 6],
    ]);

    // 28×28, 3×3: 'valid' stamps the corner once, the cell beside it twice and every cell from
    // the third row and column on 9 times; 'same' stamps the corner 4 times, the edges 6
    const q = await show(modelState(runFile('examples/textbook_cnn.py', 'digit-3.png'), 0));
    const c2 = (mode: string) => q.page.locator(`.compare-col[data-mode="${mode}"]`);
    expect(await c2('valid').locator('.compare-summary').textContent()).toBe(
      '1× to 9× · corner 1× · most (9×): rows 2–25, columns 2–25',
    );
    expect(await c2('valid').locator('.compare-counts').textContent()).toBe('first row: 1 2 3 3 3 … 3 3 3 2 1');
    expect(await c2('same').locator('.compare-summary').textContent()).toBe(
      '4× to 9× · corner 4× · most (9×): rows 1–26, columns 1–26',
    );
    expect(await c2('same').locator('.compare-counts').textContent()).toBe('first row: 4 6 6 6 6 … 6 6 6 6 4');
    expect(await q.problems()).toEqual([]);
  });

  for (const [name, theme, locale] of [
    ['conv1d-light', 'light', 'en'],
    ['conv1d-dark', 'dark', 'en'],
    ['conv1d-korean', 'light', 'ko'],
  ] as const) {
    it(`screenshot ${name}.png`, async () => {
      const p = await show(state1d(conv1d('same'), 0), { theme, locale });
      await p.page.screenshot({ path: screenshotPath(name), fullPage: true });
      expect(await p.problems()).toEqual([]);
    });
  }

  it('screenshot stride-2d-dark.png and pool1d-light.png', async () => {
    const p = await show(modelState(runSource(conv4Source('valid'), { tensor: grid4() }), 0), { theme: 'dark' });
    await p.page.locator('.stride-compare').screenshot({ path: screenshotPath('stride-2d-dark') });
    const q = await show(state1d(conv1d('valid'), 1));
    await q.page.screenshot({ path: screenshotPath('pool1d-light'), fullPage: true });
    expect(await q.problems()).toEqual([]);
  });
});
