/**
 * Node-side helpers of scripts/test-electron.mjs (bundled by it with esbuild): the fixture
 * workspace, the Korean language pack stub, and the offline host — the same mocha suite run in
 * code-server's Node extension host (VS Code 1.100.3) instead of a downloaded VS Code.
 *
 * The offline host uses what VS Code's web workbench offers for extension development and tests:
 * the `payload` query parameter with extensionDevelopmentPath / extensionTestsPath (as
 * vscode-remote URIs, so the tests run in the server's extension host), and the page function
 * `codeAutomationExit(code)` the workbench calls when the tests are done (as @vscode/test-web
 * does). The extension host's console is forwarded to the page's console.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { generateLargeModelFile } from '../../scripts/bench-analysis';
import {
  CodeServer,
  copyWorkspace,
  ensureLanguagePack,
  ensureVsix,
  launchChromium,
  prerequisiteMessage,
  prerequisites,
  STAGE_DIR,
  writeLanguagePacksJson,
} from '../e2e/harness';

export type Mode = 'en' | 'ko' | 'restricted';
export const MODES: readonly Mode[] = ['en', 'ko', 'restricted'];

/** A fresh copy of the e2e fixture workspace with the generated 5,000-line file. */
export function prepareWorkspace(): string {
  return copyWorkspace('workspace', { 'big_model.py': generateLargeModelFile() });
}

export function koreanLanguagePack(): Promise<string> {
  return ensureLanguagePack('ko', 'Korean', '한국어');
}

export { prerequisiteMessage, prerequisites, writeLanguagePacksJson };

/** User settings of every in-host run (restricted mode: no trust prompt, the folder stays untrusted). */
export const USER_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.startupPrompt': 'never',
  'workbench.startupEditor': 'none',
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
};

export interface CodeServerRun {
  mode: Mode;
  /** Bundled tests: the folder with index.js and *.test.js. */
  testsDir: string;
  /** Resolved mocha package folder for the extension host (CONVLENS_MOCHA_PATH). */
  mochaPath: string;
  timeoutMs?: number;
  grep?: string;
}

export async function runInCodeServer(run: CodeServerRun): Promise<number> {
  const pre = prerequisites();
  if (!pre.ok) throw new Error(prerequisiteMessage(pre));
  await ensureVsix(); // builds the snapshot in STAGE_DIR: the extension under development
  const workspace = prepareWorkspace();
  const env: Record<string, string> = {
    CONVLENS_TEST_MODE: run.mode,
    CONVLENS_MOCHA_PATH: run.mochaPath,
    NO_COLOR: '1',
  };
  if (run.grep) env['CONVLENS_TEST_GREP'] = run.grep;
  const server = await CodeServer.start(
    {
      label: `inhost-${run.mode}`,
      workspace,
      disableWorkspaceTrust: run.mode !== 'restricted',
      ...(run.mode === 'ko' ? { locale: 'ko', extraExtensions: [await koreanLanguagePack()] } : {}),
      userSettings: USER_SETTINGS,
      env,
    },
    null,
  );
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    let resolveExit!: (code: number) => void;
    const exited = new Promise<number>((r) => (resolveExit = r));
    await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
    // The extension host's console (mocha's reporter), as the workbench hands it to test drivers.
    let logged = false;
    const noise =
      /open-vsx\.org|^\s+at |Creating a socket|connection token|Service Worker|builtin extensions cache|ChatSessionStore|^\s*$/;
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      logged = true;
      const text = format(...(Array.isArray(args) ? args : [args]));
      const lines = text.split('\n').filter((l) => !noise.test(l));
      if (lines.length) console.log(lines.join('\n'));
    });
    page.on('console', (m) => {
      if (process.env['CONVLENS_DEBUG_CONSOLE']) console.log('[page]', m.text());
      else if (!logged && /Extension Host/.test(m.text())) console.log(m.text().replace(/%c/g, ''));
    });
    const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(STAGE_DIR)],
      ['extensionTestsPath', remote(path.join(run.testsDir, 'index.js'))],
    ]);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
    const timeout = new Promise<number>((r) => setTimeout(() => r(-1), run.timeoutMs ?? 300_000));
    const code = await Promise.race([exited, timeout]);
    if (code === -1) console.error(`in-host tests (${run.mode}) did not finish in time; server log: ${server.logFile}`);
    return code;
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}
