/**
 * The textbook's concepts in the panel, in Chromium with real layer views: the feature maps
 * stacked into the layer's 3-D block, a filter's sum over every input channel (checked against the
 * engine's value), merges showing every branch (Keras Add and Concatenate, PyTorch torch.cat),
 * the explanation cards (batch normalization, dropout, relu, flatten's reading order), max and
 * average pooling of the same window, and the "hide the output" exercise telling the host.
 * Screenshots go to test-results/webview/concept-*.png.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LayerView, PanelSettings } from '../../src/shared/protocol';
import { at } from '../../webview/arithmetic';
import { layerView, modelState, runFile, runSource, SAMPLES, settingsMsg, stateMsg, type Run } from './fixtures';
import { ensureBuilt, hoverCell, launch, openPanel, screenshotPath, skipBrowserTests, type Panel } from './harness';
import type { ThemeName } from './themes';

export const BRANCHES_KERAS = `from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(16, 16, 3))
a = layers.Conv2D(16, 3, padding='same', activation='relu')(inputs)
b = layers.Conv2D(16, 3, padding='same')(inputs)
s = layers.Add()([a, b])
c = layers.Concatenate()([s, b])
x = layers.BatchNormalization()(c)
x = layers.Activation('relu')(x)
x = layers.Dropout(0.3)(x)
x = layers.MaxPooling2D(2)(x)
x = layers.Flatten()(x)
model = keras.Model(inputs, x)
`;

export const CAT_TORCH = `import torch
import torch.nn as nn

class Branches(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(3, 8, 3, padding=1)
        self.b = nn.Conv2d(3, 6, 3, padding=1)

    def forward(self, x):
        return torch.cat([self.a(x), self.b(x)], dim=1)

net = Branches()
net(torch.zeros(1, 3, 16, 16))
`;

const SUB_TORCH = `import torch
import torch.nn as nn

class Diff(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(3, 4, 3, padding=1)
        self.b = nn.Conv2d(3, 4, 3, padding=1)

    def forward(self, x):
        return (self.a(x) - self.b(x)) * 0.5

model = Diff()
model(torch.zeros(1, 3, 16, 16))
`;

function indexOf(run: Run, type: string): number {
  const i = run.graph.layers.findIndex((l) => l.spec.type === type);
  if (i < 0) throw new Error(`no ${type} in ${run.graph.layers.map((l) => l.spec.type).join(', ')}`);
  return i;
}

describe.skipIf(skipBrowserTests())('concepts in the panel', () => {
  let browser: Browser;
  let textbook: Run;
  let keras: Run;
  let panel: Panel | undefined;

  beforeAll(async () => {
    await ensureBuilt();
    browser = await launch();
    textbook = runFile('examples/textbook_cnn.py', 'sneaker.png');
    keras = runSource(BRANCHES_KERAS, { image: 'scene-224.png' });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(
    run: Run,
    index: number,
    o: { theme?: ThemeName; settings?: Partial<PanelSettings>; saved?: unknown } = {},
  ): Promise<Panel> {
    await panel?.page.close();
    panel = await openPanel(browser, { theme: o.theme ?? 'dark', width: 1280, height: 900, saved: o.saved });
    await panel.send(settingsMsg(o.settings));
    await panel.send(SAMPLES);
    await panel.send(stateMsg(modelState(run, index)));
    return panel;
  }

  async function shot(p: Panel, name: string): Promise<void> {
    await p.page.screenshot({ path: screenshotPath(name), fullPage: true });
    expect(await p.problems()).toEqual([]);
  }

  it('a convolution also draws its maps as the block they stack into, labelled with the layer’s shape', async () => {
    const p = await open(textbook, 0, { theme: 'light' });
    const stack = p.page.locator('.stack-card');
    // the Keras layout (H, W, C) of 32 filters on a 28×28 'same' convolution
    expect(await stack.locator('.stack-shape').textContent()).toBe('(28, 28, 32): 32 feature maps stacked');
    const canvas = stack.locator('canvas');
    expect(await canvas.getAttribute('data-count')).toBe('32');
    // the selected map is in front; selecting another brings it forward
    await p.page.locator('.maps .tile-btn').nth(5).click();
    // the panel draws again on the next frame
    await expect.poll(() => p.page.locator('.stack-card canvas').getAttribute('data-front')).toBe('5');
    await shot(p, 'concept-stack-light');
  });

  it('PyTorch writes the block channels first', async () => {
    const run = runFile('examples/lenet.py', 'digit-3.png');
    const v = layerView(run, 0);
    const p = await open(run, 0);
    const [c, h, w] = [v.output.totalChannels, v.output.shape[1], v.output.shape[2]];
    expect(await p.page.locator('.stack-shape').textContent()).toBe(`(${c}, ${h}, ${w}): ${c} feature maps stacked`);
  });

  it('conv2d_1: one partial sum per input channel (32), which with the bias add up to the engine’s value at the stamp', async () => {
    const p = await open(textbook, 2, { theme: 'light' });
    const v = layerView(textbook, 2);
    const card = p.page.locator('.channel-sums');
    for (const [oy, ox] of [
      [0, 13],
      [6, 6],
    ] as const) {
      await hoverCell(p.page, '.stage [data-focus-key="stamp-output"]', oy, ox);
      await expect.poll(() => card.locator('.muted.small').first().textContent()).toContain(`(${oy}, ${ox})`);
      const rows = card.locator('.sum-row');
      expect(await rows.count()).toBe(32);
      const sums = (await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-sum'))))) as number[];
      const f = Number((await card.locator('.muted.small').first().textContent())!.match(/filter (\d+)/)![1]);
      const bias = v.kernels!.bias![f]!;
      // the engine's value before relu at that cell (the engine is checked against Keras elsewhere)
      const engine = at(v.preActivation!, f, oy, ox);
      expect(Math.abs(sums.reduce((a, b) => a + b, 0) + bias - engine)).toBeLessThan(1e-5);
      expect(await card.locator('.sum-total .arith-verdict').textContent()).toContain('✓');
      // the kernel slices drawn small: one per channel
      expect(await card.locator('canvas.sum-kernel').count()).toBe(32);
    }
    await shot(p, 'concept-channels-light');
    await card.screenshot({ path: screenshotPath('concept-channels-card-light') });
    await p.page.locator('.stack-card').screenshot({ path: screenshotPath('concept-stack-card-light') });
  });

  it('an RGB input: three partial sums, one per colour channel, adding up to the engine’s value', async () => {
    const i = indexOf(keras, 'Conv2D');
    const v = layerView(keras, i);
    const p = await open(keras, i);
    const card = p.page.locator('.channel-sums');
    const rows = card.locator('.sum-row');
    expect(await rows.count()).toBe(3);
    const sums = (await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-sum'))))) as number[];
    const f = Number((await card.locator('.muted.small').first().textContent())!.match(/filter (\d+)/)![1]);
    const [oy, ox] = (await card.locator('.muted.small').first().textContent())!
      .match(/\((\d+), (\d+)\)/)!
      .slice(1)
      .map(Number) as [number, number];
    const engine = at(v.preActivation!, f, oy, ox);
    expect(Math.abs(sums.reduce((a, b) => a + b, 0) + v.kernels!.bias![f]! - engine)).toBeLessThan(1e-5);
  });

  it('Keras Add shows both branches and A + B = out, one cell recomputed from the branches', async () => {
    const i = indexOf(keras, 'Add');
    const v = layerView(keras, i);
    expect(v.inputs).toHaveLength(2);
    const p = await open(keras, i, { theme: 'light' });
    const card = p.page.locator('.merge-card');
    expect(await card.locator('.card-title').textContent()).toBe('Element-wise merge: A + B = out');
    expect(await card.locator('.merge-col').count()).toBe(3);
    expect(await card.locator('[data-input="B"] .tile-canvas').count()).toBe(16);
    const check = card.locator('.merge-check');
    const computed = Number(await check.getAttribute('data-computed'));
    const engine = Number(await check.getAttribute('data-engine'));
    expect(Math.abs(computed - engine)).toBeLessThan(1e-5);
    // element-wise addition (Keras Add) at every cell of channel 0, from the branches' own outputs
    for (let y = 0; y < 16; y++)
      for (let x = 0; x < 16; x++)
        expect(at(v.output, 0, y, x)).toBeCloseTo(at(v.inputs[0]!, 0, y, x) + at(v.inputs[1]!, 0, y, x), 5);
    await shot(p, 'concept-add-light');
  });

  it('Keras Concatenate: 16 + 16 = 32 channels; output map 16 is B’s map 0', async () => {
    const i = indexOf(keras, 'Concatenate');
    const v = layerView(keras, i);
    const p = await open(keras, i);
    const card = p.page.locator('.merge-card');
    expect(await card.locator('.card-title').textContent()).toBe(
      'Concatenate along the channels: 16 + 16 = 32 channels',
    );
    const caps = await card.locator('.merge-out .tile-cap').allTextContents();
    expect(caps).toHaveLength(32);
    expect(caps[0]).toBe('A0');
    expect(caps[16]).toBe('B0');
    expect(caps[31]).toBe('B15');
    // concatenation on the last axis (Keras' default): channel 16 + j of the output is channel j of B
    const hw = 16 * 16;
    expect(Array.from(v.output.data.subarray(16 * hw, 17 * hw))).toEqual(Array.from(v.inputs[1]!.data.subarray(0, hw)));
    await shot(p, 'concept-concat-dark');
  });

  it('PyTorch torch.cat(dim=1): both branches, 8 + 6 = 14 channels', async () => {
    const run = runSource(CAT_TORCH, { image: 'scene-224.png' });
    const i = run.graph.layers.findIndex((l) => l.spec.cfg.kind === 'merge');
    expect(i).toBeGreaterThan(0);
    const v = layerView(run, i);
    expect(v.explain).toEqual({ kind: 'merge', op: 'concat', alongChannels: true });
    const p = await open(run, i);
    const card = p.page.locator('.merge-card');
    expect(await card.locator('.card-title').textContent()).toBe('Concatenate along the channels: 8 + 6 = 14 channels');
    expect(await card.locator('[data-input="A"] figcaption').textContent()).toBe('A · (8, 16, 16)');
    expect(await card.locator('[data-input="B"] .tile-canvas').count()).toBe(6);
    expect((await card.locator('.merge-out .tile-cap').allTextContents())[8]).toBe('B0');
  });

  it('PyTorch a − b: both branches and A − B = out, one cell recomputed as A − B; x · 0.5 written out', async () => {
    const run = runSource(SUB_TORCH, { image: 'scene-224.png' });
    const i = indexOf(run, 'sub');
    const v = layerView(run, i);
    expect(v.explain).toEqual({ kind: 'merge', op: 'subtract', alongChannels: false });
    const p = await open(run, i);
    const card = p.page.locator('.merge-card');
    expect(await card.locator('.card-title').textContent()).toBe('Element-wise merge: A − B = out');
    const check = card.locator('.merge-check');
    const computed = Number(await check.getAttribute('data-computed'));
    const engine = Number(await check.getAttribute('data-engine'));
    expect(Math.abs(computed - engine)).toBeLessThan(1e-5);
    // subtraction, not addition: every cell of channel 0 is A − B
    for (let y = 0; y < 16; y++)
      for (let x = 0; x < 16; x++)
        expect(at(v.output, 0, y, x)).toBeCloseTo(at(v.inputs[0]!, 0, y, x) - at(v.inputs[1]!, 0, y, x), 5);
    const j = indexOf(run, 'mul_scalar');
    const q = await open(run, j);
    expect(await q.page.locator('.explain-arith .card-title').textContent()).toBe('Element-wise arithmetic');
    expect(await q.page.locator('.explain-arith .formula-line').textContent()).toBe('out = x × 0.5');
    // x × 0.5 at every cell of channel 0
    const w = layerView(run, j);
    for (let y = 0; y < 16; y++)
      for (let x = 0; x < 16; x++) expect(at(w.output, 0, y, x)).toBeCloseTo(at(w.input, 0, y, x) * 0.5, 6);
    await shot(q, 'concept-arith-dark');
  });

  it('BatchNormalization: the formula, and per channel the output mean is γ·(input mean − μ)/√(σ² + ε) + β', async () => {
    const i = indexOf(keras, 'BatchNormalization');
    const v = layerView(keras, i);
    const e = v.explain as Extract<LayerView['explain'], { kind: 'batchNorm' }>;
    expect(e.kind).toBe('batchNorm');
    expect(e.epsilon).toBe(0.001);
    const p = await open(keras, i, { theme: 'light' });
    const rows = p.page.locator('.explain-bn .bn-row');
    expect(await rows.count()).toBe(8);
    for (let c = 0; c < 8; c++) {
      const d = (k: string): Promise<number> => rows.nth(c).getAttribute(`data-${k}`).then(Number);
      const scale = (e.gamma?.[c] ?? 1) / Math.sqrt(e.variance[c]! + e.epsilon);
      // the layer is affine per channel at inference: means and spreads map through it exactly
      expect(await d('out-mean')).toBeCloseTo(((await d('in-mean')) - e.mean[c]!) * scale + (e.beta?.[c] ?? 0), 4);
      expect(await d('out-std')).toBeCloseTo((await d('in-std')) * Math.abs(scale), 4);
    }
    expect(await p.page.locator('.explain-bn').textContent()).toContain('… and 24 more channels');
    await shot(p, 'concept-batchnorm-light');
  });

  it('Dropout: the identity at inference, and its rate', async () => {
    const p = await open(keras, indexOf(keras, 'Dropout'), { settings: { locale: 'ko' }, theme: 'light' });
    const card = p.page.locator('.explain-dropout');
    expect(await card.locator('.card-title').textContent()).toBe('드롭아웃');
    expect(await card.locator('.dropout-identity').getAttribute('data-max-diff')).toBe('0');
    expect(await card.textContent()).toContain('1 / (1 − 0.3) = 1.429');
    await shot(p, 'concept-dropout-korean');
  });

  it('relu: its graph over the input range and how many values became 0 (the negative inputs)', async () => {
    const i = indexOf(keras, 'Activation');
    const v = layerView(keras, i);
    const p = await open(keras, i);
    const z = p.page.locator('.explain-act .act-zeroed');
    // relu(x) = max(0, x): exactly the negative inputs become 0
    const negatives = Array.from(v.input.data).filter((x) => x < 0).length;
    expect(negatives).toBeGreaterThan(0);
    expect(Number(await z.getAttribute('data-k'))).toBe(negatives);
    expect(Number(await z.getAttribute('data-n'))).toBe(v.input.data.length);
    expect(await z.textContent()).toMatch(/^[\d,]+ of [\d,]+ values became 0/);
    expect(await p.page.locator('.explain-act canvas.act-graph').count()).toBe(1);
    await shot(p, 'concept-relu-dark');
  });

  it('Flatten: each index of the vector is read from the cell (h, w, c) in Keras order, (c, h, w) in PyTorch', async () => {
    const i = indexOf(keras, 'Flatten');
    const v = layerView(keras, i);
    const p = await open(keras, i);
    const rows = p.page.locator('.flatten-reading .reading-row');
    const [C, H, W] = [v.input.totalChannels, v.input.shape[1], v.input.shape[2]];
    expect(await rows.count()).toBeGreaterThan(3);
    for (const row of await rows.all()) {
      const idx = Number(await row.getAttribute('data-index'));
      const [c, h, w] = (await row.getAttribute('data-cell'))!.split(',').map(Number) as [number, number, number];
      // numpy's C-order reshape of an (H, W, C) array: index = (h·W + w)·C + c
      expect((h * W + w) * C + c).toBe(idx);
      expect(v.output.data[idx]).toBe(at(v.input, c, h, w));
    }
    expect(await rows.nth(1).locator('code').textContent()).toBe('[1] ← (0, 0, 1)');
    expect(H).toBe(8);
  });

  it('pooling: the same window’s maximum and average side by side, the layer’s own mode marked', async () => {
    const i = indexOf(keras, 'MaxPooling2D');
    const v = layerView(keras, i);
    const p = await open(keras, i, { theme: 'light' });
    await hoverCell(p.page, '.pool-stage .mapview[data-mode="max"]', 3, 5);
    const both = p.page.locator('.pool-both');
    await expect.poll(() => both.textContent()).toContain('(3, 5)');
    const c = 0;
    const win = [at(v.input, c, 6, 10), at(v.input, c, 6, 11), at(v.input, c, 7, 10), at(v.input, c, 7, 11)];
    expect(Number(await both.getAttribute('data-max'))).toBe(Math.max(...win));
    expect(Number(await both.getAttribute('data-avg'))).toBeCloseTo(win.reduce((a, b) => a + b, 0) / 4, 5);
    expect(await both.locator('.pool-both-value.current').getAttribute('data-mode')).toBe('max');
    await shot(p, 'concept-pool-light');
  });

  it('"hide the output until I answer" tells the host which layer is hidden, and when it is shown again', async () => {
    const p = await open(textbook, 0);
    await p.page.locator('[data-focus-key="quiz"]').click();
    await expect
      .poll(async () => (await p.posted()).filter((m) => m.type === 'outputHidden'))
      .toEqual([{ type: 'outputHidden', index: 0, name: 'conv2d', hidden: true }]);
    expect(await p.page.locator('.stack-card').count()).toBe(0);
    await p.page.locator('input[name="predict-h"]').fill('28');
    await p.page.locator('input[name="predict-w"]').fill('28');
    await p.page.locator('[data-focus-key="predict-check"]').click();
    await expect
      .poll(async () => (await p.posted()).filter((m) => m.type === 'outputHidden'))
      .toEqual([
        { type: 'outputHidden', index: 0, name: 'conv2d', hidden: true },
        { type: 'outputHidden', index: 0, name: 'conv2d', hidden: false },
      ]);
    await expect.poll(() => p.page.locator('.stack-card').count()).toBe(1);
  });

  it('Korean: the block and the channel sums', async () => {
    const p = await open(textbook, 2, { settings: { locale: 'ko' }, theme: 'light' });
    expect(await p.page.locator('.stack-shape').textContent()).toBe('(14, 14, 64): 특성 맵 64개를 쌓음');
    expect(await p.page.locator('.channel-sums .card-title').textContent()).toBe('필터는 모든 입력 채널을 더합니다');
    await shot(p, 'concept-conv-korean');
  });

  // every new view in the light and dark themes and in Korean, for people to look at
  const VIEWS: [string, () => [Run, number]][] = [
    ['conv-block-channels', () => [textbook, 2]],
    ['add', () => [keras, indexOf(keras, 'Add')]],
    ['concat', () => [keras, indexOf(keras, 'Concatenate')]],
    ['batchnorm', () => [keras, indexOf(keras, 'BatchNormalization')]],
    ['relu', () => [keras, indexOf(keras, 'Activation')]],
    ['dropout', () => [keras, indexOf(keras, 'Dropout')]],
    ['pool', () => [keras, indexOf(keras, 'MaxPooling2D')]],
    ['flatten', () => [keras, indexOf(keras, 'Flatten')]],
  ];
  for (const [name, pick] of VIEWS)
    it(`${name}: light, dark and Korean render without a script error or a CSP violation`, async () => {
      const [run, index] = pick();
      for (const [variant, o] of [
        ['light', { theme: 'light' as const }],
        ['dark', { theme: 'dark' as const }],
        ['korean', { theme: 'dark' as const, settings: { locale: 'ko' as const } }],
      ] as const) {
        const p = await open(run, index, o);
        await shot(p, `views-${name}-${variant}`);
      }
    });
});
