/**
 * Cards built when they can be seen (webview/deferred.ts), in Chromium: the cards on screen are
 * built with the message that brings the layer, the others a moment later; a layer replaced
 * before then never builds its off-screen cards; scrolling builds what comes into view at once;
 * in the end the panel is the same as one built whole.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelState, runFile, settingsMsg, stateMsg, type Run } from './fixtures';
import { ensureBuilt, launch, nextFrame, openPanel, skipBrowserTests } from './harness';

interface Snapshot {
  title: string;
  built: string[];
  pending: number;
  pendingOnScreen: number;
}

/** In the page: the cards right after the panel handled the next message (its listener runs first). */
function snapshotAfterNextMessage(scrollToEnd: boolean): Promise<Snapshot> {
  const g = globalThis as any;
  const doc = g.document;
  return new Promise((resolve) => {
    const take = (): Snapshot => {
      const pending = Array.from(doc.querySelectorAll('.card.pending')) as any[];
      return {
        title: String(doc.querySelector('.layer-name')?.textContent ?? ''),
        built: (Array.from(doc.querySelectorAll('.card:not(.pending)')) as any[]).map((c) =>
          String(c.className).replace(/^card ?/, ''),
        ),
        pending: pending.length,
        pendingOnScreen: pending.filter((e) => {
          const r = e.getBoundingClientRect();
          return r.bottom > 0 && r.top < g.innerHeight;
        }).length,
      };
    };
    const onMessage = (): void => {
      g.removeEventListener('message', onMessage);
      if (!scrollToEnd) {
        resolve(take());
        return;
      }
      g.scrollTo(0, doc.documentElement.scrollHeight);
      // the scroll event comes before the next frame
      g.requestAnimationFrame(() => resolve(take()));
    };
    g.addEventListener('message', onMessage);
  });
}

describe.skipIf(skipBrowserTests())('cards built when they can be seen', () => {
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

  it('the cards on screen come with the message; the others a moment later, and the panel is then whole', async () => {
    const p = await openPanel(browser, { width: 700, height: 800 });
    await p.send(settingsMsg());
    const snap = p.page.evaluate(snapshotAfterNextMessage, false);
    await p.post(stateMsg(modelState(run, 2)));
    const first = await snap;
    expect(first.title).toBe('conv2d_1');
    // the stamp is drawn with the message; the screen holds nothing still to build
    expect(first.built).toContain('stage');
    expect(first.pendingOnScreen).toBe(0);
    expect(first.pending).toBeGreaterThan(2);
    expect(first.built).not.toContain('kernels');

    await nextFrame(p.page);
    const whole = await p.page.evaluate(() =>
      Array.from((globalThis as any).document.querySelectorAll('.card') as ArrayLike<any>).map((c) =>
        String(c.className),
      ),
    );
    expect(whole.some((c) => c.includes('pending'))).toBe(false);

    // the same layer built in a panel tall enough to build everything with the message
    const q = await openPanel(browser, { width: 700, height: 20_000 });
    await q.send(settingsMsg());
    const all = q.page.evaluate(snapshotAfterNextMessage, false);
    await q.post(stateMsg(modelState(run, 2)));
    const tall = await all;
    expect(tall.pending).toBe(0);
    expect(whole).toEqual(tall.built.map((c) => (c ? `card ${c}` : 'card')));
    expect(await p.problems()).toEqual([]);
  });

  it('a layer replaced before its cards off screen are built never builds them', async () => {
    const p = await openPanel(browser, { width: 700, height: 800 });
    await p.send(settingsMsg());
    await p.page.evaluate(() => {
      const g = globalThis as any;
      g.__kernelCards = 0;
      new g.MutationObserver((records: any[]) => {
        for (const r of records)
          for (const n of Array.from(r.addedNodes) as any[])
            if (n.classList?.contains('kernels') || n.querySelector?.('.kernels')) g.__kernelCards++;
      }).observe(g.document.body, { subtree: true, childList: true });
    });
    // conv2d_1, then at once max_pooling2d (no kernels card)
    await p.post(stateMsg(modelState(run, 2)));
    await p.send(stateMsg(modelState(run, 1)));
    expect(await p.page.locator('.layer-name').textContent()).toBe('max_pooling2d');
    expect(await p.page.evaluate(() => (globalThis as any).__kernelCards)).toBe(0);
    // shown for a while, the convolution builds its kernels card
    await p.send(stateMsg(modelState(run, 2)));
    expect(await p.page.evaluate(() => (globalThis as any).__kernelCards)).toBe(1);
  });

  it('scrolled down before the cards below are built: those in view are built at once', async () => {
    const p = await openPanel(browser, { width: 700, height: 800 });
    await p.send(settingsMsg());
    const snap = p.page.evaluate(snapshotAfterNextMessage, true);
    await p.post(stateMsg(modelState(run, 2)));
    const s = await snap;
    expect(s.pendingOnScreen).toBe(0);
    // (the cards between the top and the end are still to build: this was not the later build)
    expect(s.pending).toBeGreaterThan(0);
    expect(await p.problems()).toEqual([]);
  });
});
