/**
 * Sliding windows as the learner sees them in Chromium: the participation heatmap (the textbook's
 * 4/2/1 on a 4×4 input with a 3×3 kernel and no padding, 9/6/4 with one pixel of padding), a
 * max-pooled cell equal to the maximum of its window on the input, and the border a pooling
 * window never reaches.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at } from '../../webview/arithmetic';
import { conv4Source, grid4, layerView, modelState, runFile, runSource, settingsMsg, stateMsg } from './fixtures';
import { ensureBuilt, hoverCell, launch, openPanel, skipBrowserTests, type Panel } from './harness';

async function countsOf(panel: Panel, mode: string): Promise<number[][]> {
  const rows = panel.page.locator(`.compare-col[data-mode="${mode}"] table.counts tr`);
  const out: number[][] = [];
  for (let i = 0; i < (await rows.count()); i++)
    out.push((await rows.nth(i).locator('td').allTextContents()).map(Number));
  return out;
}

describe.skipIf(skipBrowserTests())('sliding windows', () => {
  let browser: Browser;
  let panel: Panel | undefined;

  beforeAll(async () => {
    await ensureBuilt();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function show(run: ReturnType<typeof runSource>, index: number): Promise<Panel> {
    await panel?.page.close();
    panel = await openPanel(browser);
    await panel.send(settingsMsg());
    await panel.send(stateMsg(modelState(run, index)));
    return panel;
  }

  it("x=4×4 k=3 'valid': the heatmap reads 1 2 2 1 / 2 4 4 2 (4/2/1); the 'same' column reads 9/6/4", async () => {
    const p = await show(runSource(conv4Source('valid'), { tensor: grid4() }), 0);
    expect(await p.page.locator('.compare-col.current').getAttribute('data-mode')).toBe('valid');
    expect(await countsOf(p, 'valid')).toEqual([
      [1, 2, 2, 1],
      [2, 4, 4, 2],
      [2, 4, 4, 2],
      [1, 2, 2, 1],
    ]);
    expect(await p.page.locator('.compare-col[data-mode="valid"] .compare-summary').textContent()).toBe(
      '1× to 4× · corner 1× · most (4×): rows 1–2, columns 1–2',
    );
    expect(await countsOf(p, 'same')).toEqual([
      [4, 6, 6, 4],
      [6, 9, 9, 6],
      [6, 9, 9, 6],
      [4, 6, 6, 4],
    ]);
    expect(await p.page.locator('.compare-col[data-mode="valid"] .compare-size').textContent()).toBe('4×4 → 2×2');
    await p.page.locator('.compare-col[data-mode="same"] button').click();
    expect((await p.posted()).filter((m) => m.type === 'whatIf')).toEqual([
      { type: 'whatIf', change: { padding: 'same' } },
    ]);
  });

  it("x=4×4 k=3 padding='same' (one pixel of zeros): this layer's heatmap reads 9/6/4, the input shows the zero ring", async () => {
    const p = await show(runSource(conv4Source('same'), { tensor: grid4() }), 0);
    expect(await p.page.locator('.compare-col.current').getAttribute('data-mode')).toBe('same');
    expect(await p.page.locator('.compare-col.current .compare-summary').textContent()).toBe(
      '4× to 9× · corner 4× · most (9×): rows 1–2, columns 1–2',
    );
    expect(await countsOf(p, 'same')).toEqual([
      [4, 6, 6, 4],
      [6, 9, 9, 6],
      [6, 9, 9, 6],
      [4, 6, 6, 4],
    ]);
    // the input grid is 6×6 with the padding ring; the stamp at (0, 0) covers two padding sides
    const input = p.page.locator('.stage .mapview').first();
    expect([await input.getAttribute('data-rows'), await input.getAttribute('data-cols')]).toEqual(['6', '6']);
    await hoverCell(p.page, '.stage [data-focus-key="stamp-output"]', 0, 0);
    expect(await p.page.locator('.stage .arith .term.pad').count()).toBe(5);
    expect(await p.page.locator('.stage .arith').getAttribute('data-match')).toBe('true');
  });

  it('max pooling: every pooled cell pointed at equals the maximum of its window on the input', async () => {
    const run = runFile('examples/textbook_cnn.py', 'tshirt.png');
    const p = await show(run, 1);
    const v = layerView(run, 1);
    for (const [oy, ox] of [
      [3, 4],
      [7, 7],
      [13, 13],
      [0, 0],
    ] as const) {
      await hoverCell(p.page, '.stage [data-focus-key="pool-max"]', oy, ox);
      const arith = p.page.locator('.stage .arith');
      await expect.poll(() => arith.getAttribute('data-mode')).toBe('max');
      await expect
        .poll(() => p.page.locator('.stage-readout').textContent())
        .toContain(`Output row ${oy}, column ${ox}`);
      const values = JSON.parse((await arith.getAttribute('data-values'))!) as number[];
      const shown = Number(await arith.getAttribute('data-out'));
      expect(values).toHaveLength(4);
      expect(shown).toBe(Math.max(...values));
      const window = [0, 1].flatMap((dy) => [0, 1].map((dx) => at(v.input, 0, 2 * oy + dy, 2 * ox + dx)));
      expect(shown).toBe(Math.max(...window));
      expect(await p.page.locator('.stage .arith .term.hot').count()).toBe(1);
    }
    // the average map beside it: the mean of the same window
    await hoverCell(p.page, '.stage [data-focus-key="pool-avg"]', 7, 7);
    const arith = p.page.locator('.stage .arith');
    await expect.poll(() => arith.getAttribute('data-mode')).toBe('avg');
    const values = JSON.parse((await arith.getAttribute('data-values'))!) as number[];
    expect(Number(await arith.getAttribute('data-out'))).toBeCloseTo(values.reduce((a, b) => a + b, 0) / 4, 6);
    expect(await arith.getAttribute('data-match')).toBe('true');
  });

  it('a 5×5 map pooled by 2: the last row and column are marked as dropped', async () => {
    const src = `from tensorflow import keras
model = keras.Sequential([
    keras.layers.Conv2D(3, 3, activation='relu', input_shape=(7, 7, 1)),
    keras.layers.MaxPooling2D(2),
])
`;
    const tensor = { shape: [1, 7, 7, 1], data: Float32Array.from({ length: 49 }, (_, i) => Math.sin(i) + 1) };
    const p = await show(runSource(src, { tensor }), 1);
    expect(await p.page.locator('.legend-hatch').textContent()).toBe('border the window never reaches (dropped)');
    expect(await p.page.locator('.stage .mapview').first().getAttribute('data-rows')).toBe('5');
    expect(await p.page.locator('.layer-summary').textContent()).toContain('5×5 → 2×2');
  });
});
