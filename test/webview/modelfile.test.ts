/**
 * The model file editor's webview (dist/modelfile.js) in Chromium, on the summary the host builds
 * from a real saved Keras model (test/fixtures/modelfiles/keras, saved by Keras 3.15): the table
 * has the file's layers with model.summary()'s shapes and counts, every weighted layer a histogram,
 * the selected layer its weights in detail; rows are chosen by click and arrow keys and say so to
 * the host; bad messages are dropped; nothing breaks the CSP. Screenshots in test-results/webview.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelFile, modelFileSummary, type LoadedModelFile } from '../../src/present/modelFileView';
import { canvasColors, ensureBuilt, launch, openPanel, screenshotPath, skipBrowserTests } from './harness';

const DIR = 'test/fixtures/modelfiles/keras';

interface TruthRow {
  name: string;
  class: string;
  output_shape: (number | null)[];
  params: number;
}

function load(file: string): LoadedModelFile {
  const res = loadModelFile({ bytes: new Uint8Array(readFileSync(`${DIR}/${file}`)), name: file, inputShape: null });
  if (!res.ok) throw new Error(res.message);
  return res.loaded;
}

function truth(model: string): { layers: TruthRow[]; total_params: number } {
  return (JSON.parse(readFileSync(`${DIR}/truth.json`, 'utf8')) as { models: Record<string, never> }).models[model]!;
}

/** Keras's shape notation of a summary row: (None, 28, 28, 32). */
const kerasShape = (s: (number | null)[]): string => `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;

describe.skipIf(skipBrowserTests())('the model file editor', () => {
  let browser: Browser;
  beforeAll(async () => {
    await ensureBuilt();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("a BatchNorm model: the file's rows, shapes and counts, each weighted layer's histogram", async () => {
    const loaded = load('bn_pool.keras');
    const summary = modelFileSummary(loaded, 'bn_pool.keras', 0, 'en');
    const t = truth('bn_pool');
    const panel = await openPanel(browser, { bundle: 'modelfile.js', theme: 'dark' });
    await panel.send({ type: 'state', state: summary, locale: 'en' });
    const rows = await panel.page.locator('tbody tr').allInnerTexts();
    // as model.summary() lists them, the InputLayer of a functional model included
    const shown = t.layers;
    expect(rows).toHaveLength(shown.length);
    shown.forEach((l, i) => {
      expect(rows[i]).toContain(`${l.name} (${l.class})`);
      expect(rows[i]).toContain(kerasShape(l.output_shape));
      expect(rows[i]).toContain(l.params.toLocaleString('en-US'));
    });
    expect(await panel.page.locator('.mf-facts').innerText()).toContain(t.total_params.toLocaleString('en-US'));
    // one small histogram per layer with weights, each drawn (more than the background colour)
    const weighted = summary.rows.filter((r) => r.weights.length > 0).length;
    expect(weighted).toBe(shown.filter((l) => l.params > 0).length);
    const small = await canvasColors(panel.page, 'td.mf-weights canvas');
    expect(small).toHaveLength(weighted);
    expect(small.every((c) => c > 1)).toBe(true);
    await panel.page.screenshot({ path: screenshotPath('modelfile-dark'), fullPage: true });
    expect(await panel.problems()).toEqual([]);
  });

  it("the detail of the selected layer: each tensor's mean and std as computed from the file's values", async () => {
    const loaded = load('bn_pool.keras');
    const bnIndex = loaded.file.graph!.layers.findIndex((l) => l.spec.type === 'BatchNormalization');
    const summary = modelFileSummary(loaded, 'bn_pool.keras', bnIndex, 'en');
    const panel = await openPanel(browser, { bundle: 'modelfile.js', theme: 'light' });
    await panel.send({ type: 'state', state: summary, locale: 'en' });
    const detail = await panel.page.locator('.mf-detail').innerText();
    // gamma, beta, moving_mean, moving_variance: the four tensors Keras saves for BatchNormalization
    const bn = loaded.file.graph!.layers[bnIndex]!;
    const tensors = loaded.file.weights.filter((w) => w.layer === bn.name);
    expect(tensors.map((w) => w.param).sort()).toEqual(['beta', 'gamma', 'moving_mean', 'moving_variance']);
    for (const w of tensors) {
      expect(detail).toContain(`${w.param} (${w.shape.join(', ')})`);
      const mean = w.data.reduce((a, b) => a + b, 0) / w.data.length;
      const std = Math.sqrt(w.data.reduce((a, b) => a + (b - mean) ** 2, 0) / w.data.length);
      const fmt = (v: number) => (Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(2) : v.toPrecision(3));
      expect(detail).toContain(`mean ${fmt(mean)} · std ${fmt(std)}`);
    }
    await panel.page.screenshot({ path: screenshotPath('modelfile-light-batchnorm'), fullPage: true });
    expect(await panel.problems()).toEqual([]);
  });

  it('a click and the arrow keys choose rows and tell the host; Korean; malformed states are dropped', async () => {
    const loaded = load('two_branch.keras');
    const panel = await openPanel(browser, { bundle: 'modelfile.js', lang: 'ko' });
    await panel.send({ type: 'state', state: modelFileSummary(loaded, 'two_branch.keras', 0, 'ko'), locale: 'ko' });
    expect(await panel.page.locator('thead').innerText()).toContain('출력 크기');
    await panel.page.locator('tbody tr').nth(2).click();
    await panel.page.keyboard.press('ArrowDown');
    const posted = (await panel.posted()).filter((m) => m.type === 'selectLayer').map((m) => m['index']);
    expect(posted).toEqual([2, 3]);
    expect(await panel.page.locator('tbody tr.selected').count()).toBe(1);
    expect(await panel.page.locator('tbody tr').nth(3).getAttribute('aria-selected')).toBe('true');
    // a state that fails validation leaves the table as it was, with a notice that says so
    await panel.send({ type: 'state', state: { kind: 'summary', file: 'x', rows: 'nope' }, locale: 'en' });
    expect(await panel.page.locator('tbody tr').count()).toBe(loaded.file.graph!.layers.length);
    expect(await panel.page.locator('.mf-refused').innerText()).toBe(
      '이 모델의 새 내용을 보여 줄 수 없습니다. 확장이 보낸 내용이 너무 커서 그릴 수 없습니다.',
    );
    await panel.send({
      type: 'state',
      state: { kind: 'error', file: 'x.onnx', message: 'x.onnx: truncated' },
      locale: 'en',
    });
    expect(await panel.page.locator('body').innerText()).toContain('x.onnx: truncated');
    expect(await panel.problems()).toEqual([]);
  });
});
