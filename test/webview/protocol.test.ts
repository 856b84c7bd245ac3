/**
 * The panel's side of the protocol in Chromium: malformed host messages (wrong types, oversized
 * or mismatched tensors, unknown kinds) and states older than the last one shown are ignored;
 * the last state is saved with setState as JSON (as VS Code keeps it) and restored from
 * getState without the host; nothing violates the strict CSP.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_VIEW_ELEMENTS } from '../../src/shared/protocol';
import { modelState, runFile, settingsMsg, stateMsg, type Run } from './fixtures';
import { ensureBuilt, launch, nextFrame, openPanel, skipBrowserTests } from './harness';

describe.skipIf(skipBrowserTests())('protocol guard and persistence', () => {
  let browser: Browser;
  let run: Run;

  beforeAll(async () => {
    await ensureBuilt();
    browser = await launch();
    run = runFile('examples/textbook_cnn.py', 'sneaker.png');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('drops malformed messages, oversized tensors and stale run ids; keeps showing the last good state', async () => {
    const p = await openPanel(browser);
    await p.send(settingsMsg());
    await p.send(stateMsg(modelState(run, 2), 10));
    const title = (): Promise<string | null> => p.page.locator('.layer-name').textContent();
    expect(await title()).toBe('conv2d_1');

    const good = modelState(run, 0);
    const bad: unknown[] = [
      { type: 'state', runId: '11', state: good },
      { type: 'state', runId: 11.5, state: good },
      { type: 'state', runId: 11, state: { ...good, layers: 'all of them' } },
      {
        type: 'state',
        runId: 11,
        state: {
          ...good,
          layer: { ...good.layer!, output: { ...good.layer!.output, data: Array.from(good.layer!.output.data) } },
        },
      },
      {
        type: 'state',
        runId: 11,
        state: { ...good, layer: { ...good.layer!, output: { ...good.layer!.output, data: new Float32Array(7) } } },
      },
      {
        type: 'state',
        runId: 11,
        state: {
          ...good,
          layer: {
            ...good.layer!,
            output: { shape: [1, 2000, 2001], data: new Float32Array(2000 * 2001), min: 0, max: 0, totalChannels: 1 },
          },
        },
      },
      { type: 'state', runId: 11, state: { ...good, modelName: 'x'.repeat(501) } },
      { type: 'settings', settings: { colormap: 'jet', normalization: 'per-map', locale: 'en' } },
      { type: 'samples', samples: Array.from({ length: 201 }, (_, i) => ({ id: String(i), label: String(i) })) },
      { type: 'locale', locale: 'ko' },
      { type: 'exec', code: 'alert(1)' },
      null,
      'state',
    ];
    expect(2000 * 2001).toBeGreaterThan(MAX_VIEW_ELEMENTS);
    for (const m of bad) await p.send(m);
    expect(await title()).toBe('conv2d_1');
    expect(await p.page.locator('html').getAttribute('lang')).toBe('en');

    // an older run id is dropped, a newer one shown
    await p.send(stateMsg(modelState(run, 0), 9));
    expect(await title()).toBe('conv2d_1');
    await p.send(stateMsg(modelState(run, 1), 12));
    expect(await title()).toBe('max_pooling2d');
    // each state drawn is acknowledged (the host then sends it to the side view); the dropped ones are not
    const shown = (await p.posted()).filter((m) => m.type === 'shown').map((m) => m['runId']);
    expect(shown).toEqual([10, 12]);
    expect(await p.problems()).toEqual([]);
  });

  it('saves the state with setState (JSON) and restores it with getState, before the host says anything', async () => {
    const p = await openPanel(browser);
    await p.send(settingsMsg({ locale: 'ko', colormap: 'magma' }));
    await p.send(stateMsg(modelState(run, 0), 3));
    await p.page.getByRole('radio', { name: '층 전체' }).click();
    await p.page.waitForFunction(() => (globalThis as unknown as { __saves: number }).__saves > 0);
    await p.page.waitForTimeout(300);
    const saved = await p.saved();
    expect(JSON.stringify(saved).length).toBeLessThan(4_000_000);

    const q = await openPanel(browser, { saved });
    await nextFrame(q.page);
    expect(await q.page.locator('.layer-name').textContent()).toBe('conv2d');
    expect(await q.page.locator('.maps .tile-canvas').count()).toBe(32);
    expect(await q.page.locator('html').getAttribute('lang')).toBe('ko');
    expect(await q.page.getByRole('radio', { name: '층 전체' }).getAttribute('aria-checked')).toBe('true');
    // the restored state does not hold back the host's new run ids (they restart with the panel)
    await q.send(stateMsg(modelState(run, 1), 1));
    expect(await q.page.locator('.layer-name').textContent()).toBe('max_pooling2d');
    expect(await q.problems()).toEqual([]);
  });

  it('garbage in getState is ignored', async () => {
    const p = await openPanel(browser, {
      saved: { v: 1, state: { kind: 'model', layers: 5 }, settings: 'x', ui: null },
    });
    expect(await p.page.getByRole('progressbar').count()).toBe(1);
    expect((await p.posted()).map((m) => m.type)).toEqual(['ready']);
    expect(await p.problems()).toEqual([]);
  });
});
