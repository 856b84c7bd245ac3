/**
 * ConvLens's web build (package.json `browser`: dist/web/extension.js) in the web worker extension
 * host of a browser-hosted VS Code: code-server 4.100.3 (VS Code 1.100.3) in Chromium, with the
 * user setting `remote.extensionKind` = ["web"] for ConvLens, so that VS Code runs the installed
 * extension in the browser's web worker extension host instead of the server's Node extension
 * host. A user opens a Python file, hovers a layer, sees the inline shapes and a shape error in
 * Problems, opens the panel, and opens a saved .keras model.
 *
 * That the web build is what runs is checked, not assumed: the server's Node extension host never
 * activates ConvLens (its exthost log), the extension's output channel carries the line only the
 * web platform writes, and the engine's Web Worker (dist/web/worker.js) is started by the page.
 *
 * Prerequisites as for e2e.test.ts: `bash scripts/setup-code-server.sh` and Debian's Chromium.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import * as inPage from './inPage';
import {
  CodeServer,
  copyWorkspace,
  launchChromium,
  positionOf,
  prerequisiteMessage,
  prerequisites,
  waitFor,
  Workbench,
} from './harness';

const pre = prerequisites();
const vsix = inject('convlensVsix');
const skip = !pre.ok || !vsix;
const skipReason = !pre.ok
  ? prerequisiteMessage(pre)
  : 'no packaged extension: run the e2e project of vitest.config.mts (its globalSetup packages it)';

/** The line activateWith logs where the platform has no disk (src/extension/extension.ts). */
const WEB_ONLY_LOG_LINE = 'Imports of other files and packages are not followed here';

describe('ConvLens web build in the web worker extension host (code-server in Chromium)', () => {
  test('e2e prerequisites', () => {
    if (skip) console.warn(`[e2e web] skipped: ${skipReason}`);
    expect(true).toBe(true);
  });
});

describe.skipIf(skip)('ConvLens web build in the web worker extension host (code-server in Chromium)', () => {
  let browser: Browser | undefined;
  let server: CodeServer | undefined;
  let wb: Workbench | undefined;
  let workspace = '';
  const consoleLines: string[] = [];

  beforeAll(async () => {
    workspace = copyWorkspace('workspace');
    // a saved Keras model (the trained textbook CNN shipped in media/models): zip and HDF5 in the browser
    fs.copyFileSync(
      path.join(__dirname, '..', '..', 'media', 'models', 'textbook-cnn.keras'),
      path.join(workspace, 'textbook-cnn.keras'),
    );
    server = await CodeServer.start(
      {
        label: 'web',
        workspace,
        userSettings: { 'remote.extensionKind': { 'convlens.convlens': ['web'] } },
      },
      vsix,
    );
    browser = await launchChromium();
    wb = await Workbench.open(browser, server);
    wb.page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  });

  afterAll(async () => {
    const results = path.join(path.dirname(server?.logFile ?? '.'), 'web-browser-console.log');
    if (server) fs.writeFileSync(results, consoleLines.join('\n'));
    await wb?.close();
    await browser?.close();
    await server?.stop();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  const text = (file: string) => fs.readFileSync(path.join(workspace, file), 'utf8');

  test('a hover on a Keras layer shows its shape; the inline shapes are drawn', async () => {
    const w = wb!;
    await w.openFile('keras_cnn.py');
    const at = positionOf(text('keras_cnn.py'), 'Conv2D');
    await w.gotoLineCol(at.line, at.col);
    const hover = await w.showHoverText((t) => t.includes('Conv2D') && t.includes('→'), 90_000);
    expect(hover).toContain('conv2d · Conv2D');
    expect(hover).toContain('(None, 28, 28, 1) → (None, 28, 28, 32)');
    expect(hover).toMatch(/Parameters: 3·3·1·32 \+ 32 = 320/);
    await w.screenshot('web-1-hover');
    await w.hideHover();
    const lines = await waitFor('inline shapes', async () => {
      const l = await w.editorDomLines();
      return l.some((x) => x.includes('→ (None, 28, 28, 32) · 320')) ? l : null;
    });
    expect(lines.find((x) => x.includes('Dense(10,'))).toMatch(/→ \(None, 10\) · 1,010$/);
  });

  test('a shape error is in Problems, at its place', async () => {
    const page = w();
    await page.openFile('shape_error.py');
    const problems = await page.problemsText((t) => t.includes('in_features'));
    expect(problems).toContain("Linear 'fc1': in_features=256 but the input has 400 features");
    const at = positionOf(text('shape_error.py'), '256', 'nn.Linear');
    expect(problems).toContain(`[Ln ${at.line}, Col ${at.col}]`);
    await page.screenshot('web-2-problems');
    await page.hidePanel();
  });

  test('it is the web build that runs: not in the Node extension host, and the web platform logs its line', async () => {
    const logs = path.join(server!.userDataDir, 'logs');
    const files = fs.readdirSync(logs, { recursive: true, encoding: 'utf8' }) as string[];
    const exthost = files
      .filter((f) => /exthost\d*[/\\]remoteexthost\.log$|remoteexthost\.log$/.test(f))
      .map((f) => fs.readFileSync(path.join(logs, f), 'utf8'))
      .join('\n');
    // the Node extension host ran (built-in extensions activated there) but never activated ConvLens
    expect(exthost).toMatch(/ExtensionService#_doActivateExtension vscode\./);
    expect(exthost).not.toMatch(/_doActivateExtension convlens\./i);
    // the output channel of the web worker extension host
    const page = w().page;
    await w().closeQuickInput();
    await page.keyboard.press('F1');
    await w().quickInput.waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.type('Output: Show Output Channels');
    await w()
      .quickInput.locator('.quick-input-list .monaco-list-row', { hasText: 'Show Output Channels' })
      .first()
      .waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Enter');
    await w().pickQuickItem('ConvLens');
    let lastOutput = '';
    const out = await waitFor(
      'the ConvLens output channel',
      async () => {
        const t = await w()
          .page.locator('.part.panel .monaco-editor .view-lines')
          .first()
          .innerText()
          .then((x) => x.replace(/\s/g, ' ')) // Monaco renders spaces as U+00A0
          .catch(() => '');
        lastOutput = t;
        return t.includes(WEB_ONLY_LOG_LINE) ? t : null;
      },
      30_000,
    ).catch(async (e: Error) => {
      await w().screenshot('FAILED-web-output-channel');
      throw new Error(`${e.message}; the output view showed: ${JSON.stringify(lastOutput)}`);
    });
    expect(out).toContain(WEB_ONLY_LOG_LINE);
    await w().screenshot('web-3-output-channel');
    await w().hidePanel();
  });

  test('Visualize Layer at Cursor opens the panel with non-blank feature maps', async () => {
    const page = w();
    await page.openFile('keras_cnn.py');
    const conv = positionOf(text('keras_cnn.py'), 'Conv2D');
    await page.gotoLineCol(conv.line, conv.col);
    await page.runCommand('ConvLens: Visualize Layer at Cursor');
    const maps = await waitFor(
      'feature maps with non-blank pixels',
      async () => {
        const m = await page.featureMaps();
        return m.some((c) => c.variance > 10) ? m : null;
      },
      120_000,
      500,
    );
    expect(maps.filter((c) => c.width === 28 && c.height === 28).length).toBeGreaterThanOrEqual(32);
    expect((await page.panelLayer()).title).toContain('conv2d');
    await page.screenshot('web-4-panel');
    const names = await Promise.all(
      page.page
        .workers()
        .map((x) => x.evaluate(() => (globalThis as unknown as { name: string }).name).catch(() => '?')),
    );
    console.log(`[e2e web] workers of the page: ${names.join(', ')}`);
    // the engine ran in its own Web Worker (dist/web/worker.js), started from the extension host
    expect(names.some((n) => /ConvLens engine$/.test(n))).toBe(true);
  });

  test('a saved .keras model opens in its editor, read and summarised by the engine worker', async () => {
    const page = w();
    await page.openFile('textbook-cnn.keras', { text: false });
    const summary = await waitFor(
      'the model file summary',
      async () => {
        const f = await page.webviewFrame(60_000, 'modelfile');
        const t = await f.evaluate(inPage.bodyText);
        return t.includes('(None, 28, 28, 32)') ? t : null;
      },
      90_000,
      250,
    );
    // Keras's own numbers for this model (model.summary() of the saved file)
    for (const want of ['conv2d', 'max_pooling2d_1', 'dense_1', '320', '18,496', '313,700', '333,526'])
      expect(summary).toContain(want);
    expect(summary).toContain('Keras (.keras)');
    await page.screenshot('web-5-model-file');
  });

  function w(): Workbench {
    return wb!;
  }
});
