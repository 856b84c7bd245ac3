/**
 * Runs the real panel bundle (dist/webview.js + dist/webview.css) in Debian's Chromium through
 * playwright-core, on a page like VS Code's webview: the same strict CSP (scripts by nonce only,
 * no inline styles), the theme's --vscode-* variables set from script, and an acquireVsCodeApi()
 * stub that records what the panel posts and saves. Messages are sent with window.postMessage, so
 * tensors arrive as real Float32Arrays (they cross page.evaluate as base64 and are rebuilt there).
 * The bundle is rebuilt (`npm run build`) when it is missing or older than webview/ or
 * src/shared; a lock keeps parallel test files from building at once.
 * No Chromium: in CI (CI=true) the tests fail; elsewhere they are skipped with the reason.
 */
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { THEMES, type ThemeName } from './themes';

export const ROOT = resolve(__dirname, '../..');
export const RESULTS = join(ROOT, 'test-results', 'webview');
const CHROMIUM = process.env['CONVLENS_CHROMIUM'] ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Why the browser tests cannot run here, or null when they can. */
export function missingBrowser(): string | null {
  if (!existsSync(CHROMIUM)) return `Chromium not found at ${CHROMIUM}; install it with: apt-get install -y chromium`;
  try {
    createRequire(__filename).resolve('playwright-core');
  } catch {
    return 'playwright-core is not installed; run: npm install --save-dev playwright-core@1.65.1';
  }
  return null;
}

/** True when the suite should be skipped (printing why); in CI a missing browser is a failure instead. */
export function skipBrowserTests(): boolean {
  const why = missingBrowser();
  if (why === null || process.env['CI'] === 'true') return false;
  console.warn(`[webview tests skipped] ${why}`);
  return true;
}

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((n) => newestMtime(join(path, n))));
}

function bundleIsStale(): boolean {
  const outs = ['dist/webview.js', 'dist/modelfile.js', 'dist/webview.css'].map((p) => join(ROOT, p));
  if (!outs.every(existsSync)) return true;
  const built = Math.min(...outs.map((p) => statSync(p).mtimeMs));
  const sources = Math.max(...['webview', 'src/shared', 'scripts/build.mjs'].map((p) => newestMtime(join(ROOT, p))));
  return sources > built;
}

/** Builds the bundles once if dist/webview.* is missing or stale. */
export async function ensureBuilt(): Promise<void> {
  const lock = join(tmpdir(), `convlens-build-${createHash('sha1').update(ROOT).digest('hex').slice(0, 10)}.lock`);
  const start = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // another test file is building; a lock older than 3 minutes is left over from a crash
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 180_000)
        rmSync(lock, { recursive: true, force: true });
      if (Date.now() - start > 180_000) throw new Error(`timed out waiting for the build lock ${lock}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (bundleIsStale()) execSync('npm run build', { cwd: ROOT, stdio: 'pipe' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export async function launch(): Promise<Browser> {
  const why = missingBrowser();
  if (why) throw new Error(why);
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface PanelOptions {
  theme?: ThemeName;
  /** <html lang>, as VS Code sets it from the display language. */
  lang?: string;
  /** What vscode.getState() returns (a state saved by an earlier page). */
  saved?: unknown;
  width?: number;
  height?: number;
  /** The bundle: the explorer (default) or the model file editor. */
  bundle?: 'webview.js' | 'modelfile.js';
}

function pageHtml(o: PanelOptions): string {
  const theme = THEMES[o.theme ?? 'dark'];
  const dist = (f: string): string => pathToFileURL(join(ROOT, 'dist', f)).href;
  const csp = "default-src 'none'; img-src data: blob:; style-src file:; script-src 'nonce-test'; font-src file:";
  const boot = {
    vars: theme.vars,
    bodyClass: theme.bodyClass,
    saved: o.saved ?? null,
  };
  return `<!DOCTYPE html>
<html lang="${o.lang ?? 'en'}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${dist('webview.css')}">
<title>ConvLens</title>
</head>
<body>
<main id="root"></main>
<script nonce="test">
// functions passed to page.evaluate were compiled by esbuild with keepNames (vitest, tsx)
window.__name = (f) => f;
(() => {
  const boot = ${JSON.stringify(boot)};
  for (const [k, v] of Object.entries(boot.vars)) document.documentElement.style.setProperty('--vscode-' + k, v);
  document.body.classList.add(boot.bodyClass);
  window.__posted = [];
  window.__saved = boot.saved;
  window.__saves = 0;
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return {
      postMessage: (m) => window.__posted.push(m),
      // VS Code keeps the state as JSON
      getState: () => window.__saved === null ? undefined : JSON.parse(JSON.stringify(window.__saved)),
      setState: (s) => { window.__saved = JSON.parse(JSON.stringify(s)); window.__saves++; },
    };
  };
})();
</script>
<script nonce="test" src="${dist(o.bundle ?? 'webview.js')}"></script>
</body>
</html>`;
}

/** What the page knows about the stub (typed here: the test tsconfig has no DOM lib). */
interface PageGlobals {
  __posted: { type: string; [k: string]: unknown }[];
  __saved: unknown;
  __saves: number;
  __cspViolations: string[];
  postMessage(m: unknown, target: string): void;
  atob(s: string): string;
  requestAnimationFrame(cb: () => void): number;
}

export interface Panel {
  page: Page;
  /** Messages the panel posted so far. */
  posted(): Promise<{ type: string; [k: string]: unknown }[]>;
  /** The state the panel saved with setState (JSON, as VS Code keeps it). */
  saved(): Promise<unknown>;
  /** Sends a host message as VS Code does (window message event); tensors survive as Float32Array. Resolves once drawn (nextFrame). */
  send(msg: unknown): Promise<void>;
  /** Sends a host message and resolves at once (the panel may not have drawn it yet). */
  post(msg: unknown): Promise<void>;
  /** Errors thrown in the page and CSP violations. */
  problems(): Promise<string[]>;
}

/** Replaces Float32Arrays with base64 of their bytes (rebuilt in the page). */
export function encodeTensors(v: unknown): unknown {
  if (v instanceof Float32Array) return { __f32: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  if (Array.isArray(v)) return v.map(encodeTensors);
  if (typeof v === 'object' && v !== null)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeTensors(x)]));
  return v;
}

const tmp = mkdtempSync(join(tmpdir(), 'convlens-webview-'));

export async function openPanel(browser: Browser, o: PanelOptions = {}): Promise<Panel> {
  const page = await browser.newPage({
    viewport: { width: o.width ?? 1280, height: o.height ?? 900 },
    deviceScaleFactor: 1,
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  const file = join(tmp, `panel-${Math.random().toString(36).slice(2)}.html`);
  writeFileSync(file, pageHtml(o));
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__posted.some((m) => m.type === 'ready'));
  return {
    page,
    posted: () => page.evaluate(() => (globalThis as unknown as PageGlobals).__posted.map((m) => ({ ...m }))),
    saved: () => page.evaluate(() => (globalThis as unknown as PageGlobals).__saved),
    send: async (msg) => {
      await post(msg);
      // the panel renders synchronously on a message; wait one frame for deferred drawing
      await nextFrame(page);
    },
    post: (msg) => post(msg),
    problems: async () => [
      ...errors,
      ...(await page.evaluate(() => (globalThis as unknown as PageGlobals).__cspViolations)),
    ],
  };

  async function post(msg: unknown): Promise<void> {
    await page.evaluate((encoded) => {
      const g = globalThis as unknown as PageGlobals;
      const decode = (v: unknown): unknown => {
        if (Array.isArray(v)) return v.map(decode);
        if (typeof v !== 'object' || v === null) return v;
        const o = v as Record<string, unknown>;
        if (typeof o['__f32'] === 'string') {
          const bin = g.atob(o['__f32']);
          const bytes = new Uint8Array(bin.length);
          for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
          return new Float32Array(bytes.buffer);
        }
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decode(x)]));
      };
      g.postMessage(decode(encoded), '*');
    }, encodeTensors(msg));
  }
}

/**
 * Resolves after the page has drawn a frame (deferred re-renders have run) and every card off
 * screen has been built (webview/deferred.ts).
 */
export async function nextFrame(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise((r) => (globalThis as unknown as PageGlobals).requestAnimationFrame(() => r(null))),
  );
  await page.waitForFunction(
    () =>
      !(globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector(
        '.card.pending',
      ),
  );
}

interface CanvasLike {
  width: number;
  height: number;
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

/** How many distinct colours each canvas matching the selector holds (1 = blank). */
export async function canvasColors(page: Page, selector: string): Promise<number[]> {
  return page.evaluate((sel) => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<CanvasLike> } })
      .document;
    return Array.from(doc.querySelectorAll(sel), (c) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < d.length; i += 4) seen.add((d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!);
      return seen.size;
    });
  }, selector);
}

/** Points the mouse at cell (y, x) of the map view matching the selector. */
export async function hoverCell(page: Page, selector: string, y: number, x: number): Promise<void> {
  const map = page.locator(selector);
  const box = (await map.boundingBox())!;
  const rows = Number(await map.getAttribute('data-rows'));
  const cols = Number(await map.getAttribute('data-cols'));
  await page.mouse.move(box.x + ((x + 0.5) * box.width) / cols, box.y + ((y + 0.5) * box.height) / rows);
}

export function screenshotPath(name: string): string {
  mkdirSync(RESULTS, { recursive: true });
  return join(RESULTS, `${name}.png`);
}
