/**
 * The explorer panel in Chromium with real layer views of examples/textbook_cnn.py run on a
 * bundled image: what a learner sees and what the panel tells the host.
 */
import type { Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../src/shared/protocol';
import { at } from '../../webview/arithmetic';
import { layerView, modelState, runFile, SAMPLES, settingsMsg, stateMsg, type Run } from './fixtures';
import { canvasColors, ensureBuilt, hoverCell, launch, openPanel, skipBrowserTests, type Panel } from './harness';

describe.skipIf(skipBrowserTests())('explorer panel', () => {
  let browser: Browser;
  let run: Run;
  let panel: Panel;

  beforeAll(async () => {
    await ensureBuilt();
    browser = await launch();
    run = runFile('examples/textbook_cnn.py', 'sneaker.png');
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(index: number, over = {}): Promise<Panel> {
    await panel?.page.close();
    panel = await openPanel(browser);
    await panel.send(settingsMsg());
    await panel.send(SAMPLES);
    await panel.send(stateMsg(modelState(run, index, over)));
    return panel;
  }

  it(`says ready (protocol ${PROTOCOL_VERSION}) before anything else`, async () => {
    const p = await openPanel(browser);
    expect((await p.posted())[0]).toEqual({ type: 'ready', protocol: PROTOCOL_VERSION });
    await p.page.close();
  });

  it('the model strip lists every layer with its type and output shape; the selected one is current', async () => {
    const { page } = await open(0);
    const chips = page.locator('.strip .chip-main');
    expect(await chips.count()).toBe(run.graph.layers.length);
    await expect.poll(() => chips.nth(0).textContent()).toBe('conv2dConv2D(None, 28, 28, 32)');
    expect(await chips.nth(4).textContent()).toContain('(None, 3136)');
    expect(await page.locator('.chip.current .chip-name').textContent()).toBe('conv2d');
    expect(await page.locator('.chip.current .chip-main').getAttribute('aria-current')).toBe('step');
    expect(await panel.problems()).toEqual([]);
  });

  it('clicking a chip posts selectLayer; its ↗ posts revealLayer; arrow keys move between chips', async () => {
    const { page } = await open(0);
    await page.locator('.strip .chip-main').nth(3).click();
    await page.locator('.strip .chip-src').nth(5).click();
    await page.locator('.strip .chip-main').nth(1).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    const posted = (await panel.posted()).filter((m) => m.type === 'selectLayer' || m.type === 'revealLayer');
    expect(posted).toEqual([
      { type: 'selectLayer', index: 3 },
      { type: 'revealLayer', index: 5 },
      { type: 'selectLayer', index: 2 },
    ]);
  });

  it('a layer with an error is marked, with the message as tooltip and ARIA description', async () => {
    const state = modelState(run, 0);
    state.layers[5] = { ...state.layers[5]!, error: 'Dense expects 3136 inputs, got 3137' };
    await panel?.page.close();
    panel = await openPanel(browser);
    await panel.send(stateMsg(state));
    const chip = panel.page.locator('.chip').nth(5);
    expect(await chip.getAttribute('class')).toContain('has-error');
    expect(await chip.locator('.chip-main').getAttribute('aria-description')).toBe(
      'Error: Dense expects 3136 inputs, got 3137',
    );
    expect(await chip.locator('.chip-main').getAttribute('title')).toBe('Error: Dense expects 3136 inputs, got 3137');
  });

  it('draws one feature map per filter, none of them blank, plus the kernels', async () => {
    const { page } = await open(0);
    const maps = await canvasColors(page, '.maps .tile-canvas');
    expect(maps).toHaveLength(32);
    // a filter can be dead after ReLU on one image, but most must show structure
    expect(maps.filter((n) => n > 8).length).toBeGreaterThan(24);
    expect(await canvasColors(page, '.kernels .tile-canvas')).toHaveLength(32);
    expect(Math.min(...(await canvasColors(page, '.stage .mapview-base')))).toBeGreaterThan(8);
  });

  it('the stamp: pointing at an output cell writes Σ x·w + bias → relu = the feature map value shown', async () => {
    const { page } = await open(0);
    const v = layerView(run, 0);
    for (const [oy, ox] of [
      [10, 12],
      [27, 27],
      [0, 0],
    ] as const) {
      await hoverCell(page, '.stage [data-focus-key="stamp-output"]', oy, ox);
      const arith = page.locator('.stage .arith');
      await expect.poll(() => page.locator('.stage-readout').textContent()).toBe(`Output row ${oy}, column ${ox}`);
      const d = (k: string): Promise<number> => arith.getAttribute(`data-${k}`).then(Number);
      expect(Math.abs((await d('sum')) + (await d('bias')) - (await d('pre')))).toBeLessThan(1e-9);
      expect(await d('out')).toBeCloseTo(Math.max(0, await d('pre')), 9);
      expect(await d('shown')).toBe(at(v.output, 0, oy, ox));
      expect(Math.abs((await d('out')) - at(v.output, 0, oy, ox))).toBeLessThan(1e-5);
      expect(await arith.getAttribute('data-match')).toBe('true');
      expect(await arith.locator('.arith-verdict').textContent()).toContain('✓');
    }
  });

  it('the stamp sums over all 32 input channels of conv2d_1, and arrow keys move it', async () => {
    const { page } = await open(2);
    const v = layerView(run, 2);
    const out = page.locator('.stage [data-focus-key="stamp-output"]');
    await hoverCell(page, '.stage [data-focus-key="stamp-output"]', 5, 5);
    await out.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('.stage-readout').textContent()).toBe('Output row 6, column 6');
    const arith = page.locator('.stage .arith');
    expect(await arith.locator('.arith-line').nth(1).textContent()).toContain('Σ over all 32 input channels');
    expect(Math.abs(Number(await arith.getAttribute('data-out')) - at(v.output, 0, 6, 6))).toBeLessThan(1e-5);
    expect(await arith.getAttribute('data-match')).toBe('true');
  });

  it('play slides the stamp in reading order and pause stops it', async () => {
    const { page } = await open(0);
    await page.locator('.stage .btn.play').click();
    await page.waitForTimeout(700);
    await page.locator('.stage .btn.play').click();
    const stopped = await page.locator('.stage-readout').textContent();
    await page.waitForTimeout(400);
    expect(await page.locator('.stage-readout').textContent()).toBe(stopped);
    expect(await page.locator('.stage .btn.play').getAttribute('aria-pressed')).toBe('false');
  });

  it('the tile grid is one tab stop: arrow keys move between maps, Enter selects', async () => {
    const { page } = await open(0);
    expect(await page.locator('.maps .tile-btn[tabindex="0"]').count()).toBe(1);
    await page.locator('.maps .tile-btn[tabindex="0"]').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator('.maps .tile-btn[aria-pressed="true"]').getAttribute('data-index')).toBe('2');
    await expect
      .poll(() =>
        page.evaluate(() =>
          (
            globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } } }
          ).document.activeElement.getAttribute('data-focus-key'),
        ),
      )
      .toBe('map-2');
  });

  it('selecting a feature map tile (Enter) shows it enlarged in the stage; per-layer scale posts setNormalization', async () => {
    const { page } = await open(0);
    await page.locator('.maps .tile-btn').nth(5).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.stage .card-title').textContent()).toContain('Filter 5');
    expect(await page.locator('.maps .tile-btn').nth(5).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('radio', { name: 'Per layer' }).click();
    const legend = page.locator('.maps .legend');
    const v = layerView(run, 0);
    await expect.poll(() => legend.getAttribute('data-max').then(Number)).toBe(v.output.max);
    expect((await panel.posted()).filter((m) => m.type === 'setNormalization')).toEqual([
      { type: 'setNormalization', value: 'per-layer' },
    ]);
    await page.getByLabel('Before the activation (relu)').check();
    await expect.poll(() => legend.getAttribute('data-max').then(Number)).toBe(v.preActivation!.max);
  });

  it('the weights badge says random untrained weights with the seed; Export PNG posts exportPng; a preset posts setPreset', async () => {
    const { page } = await open(0);
    expect(await page.locator('.badge.weights').textContent()).toBe('Random weights (seed 42), untrained');
    await page.getByRole('button', { name: 'Export PNG' }).click();
    expect((await panel.posted()).filter((m) => m.type === 'exportPng')).toEqual([{ type: 'exportPng' }]);
    await page.locator('.kernels .preset-pick select').selectOption('sobel_x');
    expect((await panel.posted()).filter((m) => m.type === 'setPreset')).toEqual([
      { type: 'setPreset', filter: 0, preset: 'sobel_x' },
    ]);
  });

  it('what if: changing the stride posts whatIf, "Apply to code" posts applyWhatIf with the same change', async () => {
    const { page } = await open(0);
    await page.locator('[data-focus-key="wi-stride"]').selectOption('2');
    await page.getByRole('button', { name: 'Apply to code' }).click();
    const posted = (await panel.posted()).filter((m) => m.type === 'whatIf' || m.type === 'applyWhatIf');
    expect(posted).toEqual([
      { type: 'whatIf', change: { stride: 2 } },
      { type: 'applyWhatIf', change: { stride: 2 } },
    ]);
    await expect.poll(() => page.getByRole('button', { name: 'Apply to code' }).isDisabled()).toBe(true);
  });

  it('predict the output shape: hidden until answered, then the formula and whether it was right', async () => {
    const { page } = await open(0);
    await page.getByLabel('Hide the output until I answer').check();
    await expect.poll(() => page.locator('.maps .tile').count()).toBe(0);
    expect(await page.locator('.chip.current .chip-shape').textContent()).toBe('(?)');
    await page.locator('input[name="predict-h"]').fill('26');
    await page.locator('input[name="predict-w"]').fill('26');
    await page.getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => page.locator('.predict-result').getAttribute('data-right')).toBe('false');
    expect(await page.locator('.predict-result .formula').textContent()).toBe('H = ⌈28 / 1⌉ = 28W = ⌈28 / 1⌉ = 28');
    expect(await page.locator('.maps .tile').count()).toBe(32);
    await page.locator('input[name="predict-h"]').fill('28');
    await page.locator('input[name="predict-w"]').fill('28');
    await page.getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => page.locator('.predict-result').getAttribute('data-right')).toBe('true');
  });

  it('the equivalent layer of the other framework is shown with the layout note', async () => {
    const { page } = await open(0);
    expect(await page.locator('.equivalent code').textContent()).toBe(
      'nn.Conv2d(1, 32, kernel_size=3, padding=1), nn.ReLU()',
    );
    expect(await page.locator('.equivalent').textContent()).toContain('channels-last (N, H, W, C)');
  });

  it('Dense after softmax: probabilities as bars labelled 0..9 with the top class marked', async () => {
    const { page } = await open(7);
    const v = layerView(run, 7);
    const values = Array.from(v.output.data);
    const top = values.indexOf(Math.max(...values));
    expect(await page.locator('.bars .bar').count()).toBe(10);
    expect(await page.locator('.bars .bar-label').allTextContents()).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
    ]);
    expect(await page.locator('.bars .bar.top .bar-label').textContent()).toBe(String(top));
    expect(await page.locator('.outputs .badge').textContent()).toContain(`class ${top}`);
  });

  it('Flatten: the channels-last reading order is this layer’s, with the real shape', async () => {
    const { page } = await open(4);
    expect(await page.locator('.flatten-order.current').getAttribute('data-order')).toBe('channels-last');
    expect(await page.locator('.flatten .card-head .badge').textContent()).toBe('(7, 7, 64) → 3,136 values');
  });

  it('inputs: sample, workspace and file buttons post chooseInput; the drawing pad posts a 28×28 drawnInput', async () => {
    const { page } = await open(0);
    await page.getByRole('button', { name: 'digit-3.png' }).click();
    await page.getByRole('button', { name: 'Workspace image…' }).click();
    await page.getByRole('button', { name: 'Open file…' }).click();
    // the pad starts open for a 28×28 one-channel model (MNIST-like)
    if ((await page.locator('.draw-details').getAttribute('open')) === null)
      await page.locator('.draw-details summary').click();
    const pad = (await page.locator('.drawpad-canvas').boundingBox())!;
    await page.mouse.move(pad.x + pad.width / 2, pad.y + 20);
    await page.mouse.down();
    await page.mouse.move(pad.x + pad.width / 2, pad.y + pad.height - 20, { steps: 8 });
    await page.mouse.up();
    await page.getByRole('button', { name: 'Use drawing' }).click();
    const posted = await panel.posted();
    expect(posted.filter((m) => m.type === 'chooseInput')).toEqual([
      { type: 'chooseInput', source: 'sample', id: 'digit-3' },
      { type: 'chooseInput', source: 'workspace' },
      { type: 'chooseInput', source: 'file' },
    ]);
    const drawn = await page.evaluate(() => {
      const m = (
        globalThis as unknown as {
          __posted: { type: string; width: number; height: number; pixels: Uint8ClampedArray }[];
        }
      ).__posted.find((x) => x.type === 'drawnInput')!;
      let lit = 0;
      for (let i = 0; i < m.pixels.length; i += 4) if (m.pixels[i]! > 128) lit++;
      return {
        width: m.width,
        height: m.height,
        bytes: m.pixels.length,
        isClamped: m.pixels instanceof Uint8ClampedArray,
        lit,
      };
    });
    expect(drawn).toMatchObject({ width: 28, height: 28, bytes: 28 * 28 * 4, isClamped: true });
    expect(drawn.lit).toBeGreaterThan(10);
    expect(await page.locator('.steps li').count()).toBe(run.preprocessing.length);
  });

  it('an image file dropped on the panel is read and posted as drawnInput, scaled down to ≤ 512 px', async () => {
    const { page } = await open(0);
    const png = new PNG({ width: 800, height: 600 });
    for (let i = 0; i < 800 * 600; i++) png.data.set([((i % 800) * 255) / 800, 100, 200, 255], i * 4);
    const b64 = PNG.sync.write(png).toString('base64');
    await page.evaluate((data) => {
      interface Dom {
        atob(s: string): string;
        File: new (parts: Uint8Array[], name: string, o: { type: string }) => unknown;
        DataTransfer: new () => { items: { add(f: unknown): void } };
        DragEvent: new (type: string, o: object) => unknown;
        document: { body: { dispatchEvent(e: unknown): void } };
      }
      const g = globalThis as unknown as Dom;
      const bin = g.atob(data);
      const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
      const dt = new g.DataTransfer();
      dt.items.add(new g.File([bytes], 'photo.png', { type: 'image/png' }));
      for (const type of ['dragenter', 'dragover', 'drop'])
        g.document.body.dispatchEvent(new g.DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, b64);
    await expect.poll(async () => (await panel.posted()).some((m) => m.type === 'drawnInput')).toBe(true);
    const drawn = (await panel.posted()).find((m) => m.type === 'drawnInput')!;
    expect([drawn['width'], drawn['height']]).toEqual([512, 384]);
    expect(await page.locator('.drop-overlay.visible').count()).toBe(0);
  });

  it('busy with no layer shows progress; a message shows as a notice; the empty state shows its title and hint', async () => {
    const { page } = await open(0);
    await panel.send(stateMsg({ ...modelState(run, 2), layer: null, busy: true, message: 'Computing conv2d_1…' }));
    expect(await page.getByRole('progressbar').count()).toBeGreaterThan(0);
    expect(await page.locator('.notice').textContent()).toBe('Computing conv2d_1…');
    expect(await page.locator('main.layer').getAttribute('aria-busy')).toBe('true');
    await panel.send(
      stateMsg({ kind: 'empty', title: 'No layer selected', hint: 'Put the cursor on a Conv2D layer.' }),
    );
    expect(await page.locator('.empty-title').textContent()).toBe('No layer selected');
    expect(await page.locator('.empty-hint').textContent()).toBe('Put the cursor on a Conv2D layer.');
  });

  it("Korean (locale 'ko'): the textbook's terms", async () => {
    const { page } = await open(0);
    await panel.send(settingsMsg({ locale: 'ko' }));
    expect(await page.locator('html').getAttribute('lang')).toBe('ko');
    const text = await page.locator('body').textContent();
    for (const term of ['특성 맵', '도장', '커널', '세임 패딩', '밸리드 패딩', '스트라이드', '랜덤 가중치'])
      expect(text).toContain(term);
    expect(await page.locator('.stage-readout').textContent()).toMatch(/^출력 \d+행, \d+열$/);
    expect(await panel.problems()).toEqual([]);
  });
});
