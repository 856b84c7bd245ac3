/**
 * Tensor values sent once (src/shared/viewCache.ts), in Chromium: a layer shown again from
 * references draws exactly what it drew from its values (every canvas, pixel for pixel, and the
 * stamp's arithmetic), a ReLU's output computed in the panel draws what its values drew, the
 * next layer's input comes from the output already sent, and a panel
 * given a reference it does not hold asks for the state again instead of drawing anything wrong.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/analyze';
import { LineMap } from '../../src/analysis/python/lines';
import { tensor } from '../../src/engine';
import { layerRows } from '../../src/present/layerView';
import { clearActivations, computeLayerView } from '../../src/present/panelJob';
import type { ModelState, PanelState } from '../../src/shared/protocol';
import { SentTensors } from '../../src/shared/viewCache';
import { randomArray, rng } from '../unit/helpers/random';
import { settingsMsg, stateMsg } from './fixtures';
import { ensureBuilt, launch, openPanel, skipBrowserTests, type Panel } from './harness';

const SOURCE = `import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=(12, 12, 2)),
    layers.Conv2D(4, 3, padding='same', activation='relu'),
    layers.MaxPooling2D(2),
    layers.Conv2D(3, 3),
])
`;

const graph = analyze(SOURCE).models[0]!;
const input = tensor([1, 12, 12, 2], randomArray(rng(21), 288));

/** The panel's state for a layer, computed as the worker does (activations kept, so every tensor has a key). */
function stateAt(index: number): ModelState {
  const layer = computeLayerView({
    graph,
    index,
    input,
    seed: 4,
    weightsKey: 'seed:4',
    fileWeights: null,
    preset: null,
    weightsInfo: { kind: 'random', seed: 4 },
    preprocessing: [],
  });
  return {
    kind: 'model',
    modelName: graph.name,
    framework: graph.framework,
    layers: layerRows(graph, (o) => new LineMap(SOURCE).position(o).line, new Map()),
    selected: index,
    layer,
    inputName: 'noise',
    busy: false,
    message: null,
  };
}

interface CanvasLike {
  className: string;
  width: number;
  height: number;
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

/** An FNV-1a hash of every canvas's pixels, in document order. */
async function pixels(panel: Panel): Promise<string[]> {
  return panel.page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<CanvasLike> } })
      .document;
    return Array.from(doc.querySelectorAll('canvas'), (c) => {
      const ctx = c.getContext('2d');
      if (!ctx || c.width === 0 || c.height === 0) return `${c.className}:empty`;
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let h = 0x811c9dc5;
      for (let i = 0; i < d.length; i++) h = Math.imul(h ^ d[i]!, 0x01000193) >>> 0;
      return `${c.className}:${c.width}x${c.height}:${h.toString(16)}`;
    });
  });
}

const refsIn = (s: PanelState): number =>
  s.kind === 'model' && s.layer
    ? [s.layer.input, ...s.layer.inputs, s.layer.output, s.layer.preActivation, s.layer.otherPool].filter((t) => t?.ref)
        .length
    : 0;

describe.skipIf(skipBrowserTests())('tensor values sent once per webview', () => {
  let browser: Browser;

  beforeAll(async () => {
    await ensureBuilt();
    browser = await launch();
    clearActivations();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function fresh(): Promise<Panel> {
    const p = await openPanel(browser, { width: 1280, height: 900 });
    await p.send(settingsMsg());
    return p;
  }

  it('a layer drawn again from references is the same, pixel for pixel, as drawn from its values', async () => {
    const [s0, s1] = [stateAt(0), stateAt(1)];
    const whole = await fresh();
    await whole.send(stateMsg(s0));
    const want = await pixels(whole);
    const wantSums = await whole.page
      .locator('.sum-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-sum')));
    expect(want.length).toBeGreaterThan(4);
    await whole.page.close();

    const host = new SentTensors(1 << 24);
    const kept = await fresh();
    const first = host.encode(s0)!;
    const next = host.encode(s1)!;
    const back = host.encode(s0)!;
    // the pooling's input is the convolution's output just sent; going back sends no values at all
    expect(refsIn(first)).toBe(1); // input and inputs[0] are one tensor
    // the convolution's ReLU output is computed in the panel from its pre-activation
    expect((first as ModelState).layer!.output.derived).toBe('relu');
    expect((next as ModelState).layer!.input.ref).toBe(true);
    expect(refsIn(back)).toBe(4); // input twice, output, pre-activation
    for (const s of [first, next, back]) await kept.send(stateMsg(s));
    expect(await kept.page.locator('.layer-title .layer-name').textContent()).toBe(s0.layer!.name);
    expect(await pixels(kept)).toEqual(want);
    expect(
      await kept.page.locator('.sum-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-sum'))),
    ).toEqual(wantSums);
    expect(await kept.problems()).toEqual([]);
    expect((await kept.posted()).some((m) => m.type === 'resend')).toBe(false);
    await kept.page.close();
  });

  it('a reference the panel does not hold: it asks for the state again and draws nothing from it', async () => {
    const host = new SentTensors(1 << 24);
    host.encode(stateAt(0))!;
    const refs = host.encode(stateAt(0))!;
    const p = await fresh();
    await p.send(stateMsg(refs));
    const posted = await p.posted();
    expect(posted.some((m) => m.type === 'resend')).toBe(true);
    expect(await p.page.locator('.layer-title .layer-name').count()).toBe(0);
    // the host forgets what it sent and sends the state whole: it is drawn
    host.clear();
    await p.send(stateMsg(host.encode(stateAt(0))!));
    expect(await p.page.locator('.layer-title .layer-name').textContent()).toBe(stateAt(0).layer!.name);
    expect(await p.problems()).toEqual([]);
    await p.page.close();
  });
});
