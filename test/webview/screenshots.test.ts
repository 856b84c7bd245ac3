/**
 * Screenshots of the panel for people to look at (test-results/webview/*.png): the textbook CNN's
 * first convolution in the light and dark themes and in Korean, high contrast, pooling, the
 * softmax output, the 4×4 textbook grid, and a narrow side panel. Each page must render without a
 * script error or CSP violation and with the stage on screen.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PanelSettings } from '../../src/shared/protocol';
import {
  conv4Source,
  grid4,
  modelState,
  runFile,
  runSource,
  SAMPLES,
  settingsMsg,
  stateMsg,
  type Run,
} from './fixtures';
import { ensureBuilt, hoverCell, launch, openPanel, screenshotPath, skipBrowserTests } from './harness';
import type { ThemeName } from './themes';

interface Shot {
  name: string;
  theme: ThemeName;
  run: () => Run;
  index: number;
  settings?: Partial<PanelSettings>;
  width?: number;
  /** Output cell to put the stamp on before the picture. */
  stamp?: [number, number];
}

describe.skipIf(skipBrowserTests())('screenshots', () => {
  let browser: Browser;
  const runs = new Map<string, Run>();
  const textbook =
    (image = 'sneaker.png') =>
    (): Run => {
      if (!runs.has(image)) runs.set(image, runFile('examples/textbook_cnn.py', image));
      return runs.get(image)!;
    };

  beforeAll(async () => {
    await ensureBuilt();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const shots: Shot[] = [
    { name: 'conv-light', theme: 'light', run: textbook(), index: 0, stamp: [20, 8] },
    { name: 'conv-dark', theme: 'dark', run: textbook(), index: 0, stamp: [20, 8] },
    { name: 'conv-korean', theme: 'light', run: textbook(), index: 0, settings: { locale: 'ko' }, stamp: [20, 8] },
    { name: 'conv-high-contrast', theme: 'hc', run: textbook(), index: 2, settings: { colormap: 'magma' } },
    { name: 'pool-dark', theme: 'dark', run: textbook('tshirt.png'), index: 1 },
    { name: 'dense-softmax-light', theme: 'light', run: textbook(), index: 7 },
    { name: 'flatten-dark', theme: 'dark', run: textbook(), index: 4 },
    {
      name: 'textbook-4x4-light',
      theme: 'light',
      run: () => runSource(conv4Source('valid'), { tensor: grid4() }),
      index: 0,
      stamp: [1, 1],
    },
    {
      name: 'lenet-narrow-dark',
      theme: 'dark',
      run: () => runFile('examples/lenet.py', 'digit-3.png'),
      index: 0,
      width: 560,
    },
  ];

  for (const s of shots) {
    it(`${s.name}.png`, async () => {
      const p = await openPanel(browser, { theme: s.theme, width: s.width ?? 1280, height: 900 });
      await p.send(settingsMsg(s.settings));
      await p.send(SAMPLES);
      await p.send(stateMsg(modelState(s.run(), s.index)));
      if (s.stamp) await hoverCell(p.page, '.stage [data-focus-key="stamp-output"]', ...s.stamp);
      await p.page.screenshot({ path: screenshotPath(s.name), fullPage: true });
      expect(await p.problems()).toEqual([]);
      expect(await p.page.locator('.layer-head').count()).toBe(1);
      await p.page.close();
    });
  }
});
