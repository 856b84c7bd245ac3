/**
 * End-to-end harness: the packaged extension in a real VS Code (code-server 4.100.3 = VS Code
 * 1.100.3, set up by scripts/setup-code-server.sh), driven through Debian's Chromium with
 * playwright-core. Everything a user would do goes through the keyboard and the workbench DOM.
 *
 * - prerequisites(): code-server set up and a Chromium binary; what is missing and the command
 *   that sets it up.
 * - ensureVsix(): builds and packages the extension once per test run from a snapshot of the
 *   sources (in .vscode-test/e2e/stage, so a concurrent `npm run build` in the checkout can never
 *   leave a half-written dist/ in the package); reused while the sources hash the same.
 * - CodeServer.start(): a fresh user-data dir, extensions dir and XDG dirs in a temp folder, the
 *   .vsix installed, the server on a free 127.0.0.1 port in its own process group (stopped as a
 *   group, also from a process 'exit' hook and from the global teardown via pid files).
 * - Workbench: one Chromium page on one server with the helpers the scenarios use.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Frame, type Locator, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import * as inPage from './inPage';
import type { CanvasStats } from './inPage';

export type { CanvasStats };

/** The checkout: the nearest folder upward with ConvLens's package.json (this module may be bundled elsewhere). */
function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (
      fs.existsSync(manifest) &&
      (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'convlens'
    )
      return dir;
    if (path.dirname(dir) === dir) throw new Error(`no ConvLens checkout above ${from}`);
  }
}

export const ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));
export const CODE_SERVER_VERSION = '4.100.3';
export const CODE_SERVER_DIR = path.join(ROOT, '.vscode-test', 'code-server');
export const CODE_SERVER_ENTRY = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const SETUP_COMMAND = 'bash scripts/setup-code-server.sh';
export const E2E_CACHE = path.join(ROOT, '.vscode-test', 'e2e');
export const RESULTS_DIR = path.join(ROOT, 'test-results', 'e2e');
export const FIXTURES = path.join(ROOT, 'test', 'e2e', 'fixtures');
const PID_DIR = path.join(E2E_CACHE, 'pids');
/** The built snapshot that ensureVsix() packages (also usable as --extensionDevelopmentPath). */
export const STAGE_DIR = path.join(E2E_CACHE, 'stage');

export const IS_CI = process.env['CI'] === 'true';

// ---------------------------------------------------------------------------------------------
// prerequisites

/** $CONVLENS_E2E_CHROMIUM when set (and only it), else Debian's /usr/bin/chromium. */
export function chromiumPath(): string | null {
  const override = process.env['CONVLENS_E2E_CHROMIUM'];
  const candidates = override ? [override] : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p) => isExecutable(p)) ?? null;
}

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

export interface Prerequisites {
  ok: boolean;
  problems: string[];
  /** What to run to fix them. */
  fix: string;
}

export function prerequisites(): Prerequisites {
  const problems: string[] = [];
  if (
    !fs.existsSync(path.join(CODE_SERVER_DIR, `.ready-${CODE_SERVER_VERSION}`)) ||
    !fs.existsSync(CODE_SERVER_ENTRY)
  ) {
    problems.push(`code-server ${CODE_SERVER_VERSION} is not set up in ${path.relative(ROOT, CODE_SERVER_DIR)}`);
  }
  if (!chromiumPath())
    problems.push(
      process.env['CONVLENS_E2E_CHROMIUM']
        ? `no Chromium at $CONVLENS_E2E_CHROMIUM (${process.env['CONVLENS_E2E_CHROMIUM']})`
        : 'no Chromium at /usr/bin/chromium',
    );
  return { ok: problems.length === 0, problems, fix: SETUP_COMMAND };
}

export function prerequisiteMessage(p: Prerequisites): string {
  return `ConvLens e2e: ${p.problems.join('; ')}. Set it up with: ${p.fix}`;
}

// ---------------------------------------------------------------------------------------------
// build + package (once per run, reused while the sources are unchanged)

/** What goes into the package: the sources the build reads and the files vsce ships. */
const PACKAGE_INPUTS = [
  'src',
  'webview',
  'scripts/build.mjs',
  'scripts/gen-wasm.mjs',
  'scripts/web-bundles.mjs',
  'scripts/notices.mjs',
  'THIRD_PARTY_NOTICES.md',
  'media',
  'l10n',
  'package.json',
  'package.nls.json',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  '.vscodeignore',
  'tsconfig.json',
];

function packageInputs(): string[] {
  const extra = fs.readdirSync(ROOT).filter((f) => /^package\.nls\.[\w-]+\.json$/.test(f));
  return [...PACKAGE_INPUTS, ...extra].filter((p) => fs.existsSync(path.join(ROOT, p)));
}

function walk(rel: string, out: string[]): void {
  const abs = path.join(ROOT, rel);
  const st = fs.statSync(abs);
  if (st.isDirectory()) {
    for (const e of fs.readdirSync(abs).sort()) walk(path.join(rel, e), out);
  } else if (st.isFile()) out.push(rel);
}

function sourcesHash(inputs: string[]): string {
  const files: string[] = [];
  for (const i of inputs) walk(i, files);
  const h = createHash('sha256');
  for (const f of files) {
    h.update(f);
    h.update('\0');
    h.update(fs.readFileSync(path.join(ROOT, f)));
    h.update('\0');
  }
  return h.digest('hex');
}

function run(
  cmd: string,
  args: string[],
  opts: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${path.basename(cmd)} ${args.join(' ')} timed out after ${opts.timeoutMs} ms\n${output.slice(-4000)}`,
        ),
      );
    }, opts.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * The packaged extension, built from a snapshot of the current sources. The snapshot lives in
 * .vscode-test/e2e/stage (module resolution walks up to the checkout's node_modules), vsce runs
 * the `vscode:prepublish` build there, and the .vsix is kept with the hash of its inputs.
 */
export async function ensureVsix(log: (s: string) => void = console.log): Promise<string> {
  const inputs = packageInputs();
  const hash = sourcesHash(inputs);
  const vsix = path.join(E2E_CACHE, 'convlens-e2e.vsix');
  const stamp = `${vsix}.sha256`;
  if (fs.existsSync(vsix) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === hash) {
    log(`e2e: reusing ${path.relative(ROOT, vsix)} (sources unchanged)`);
    return vsix;
  }
  const t0 = Date.now();
  const stage = STAGE_DIR;
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(stage, { recursive: true });
  for (const i of inputs) fs.cpSync(path.join(ROOT, i), path.join(stage, i), { recursive: true });
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  fs.rmSync(vsix, { force: true });
  fs.rmSync(stamp, { force: true });
  const res = await run(process.execPath, [vsce, 'package', '--no-dependencies', '--out', vsix], {
    cwd: stage,
    timeoutMs: 300_000,
  });
  if (res.code !== 0 || !fs.existsSync(vsix))
    throw new Error(`e2e: building and packaging the extension failed (exit ${res.code}):\n${res.output.slice(-6000)}`);
  // The hash of what was copied: a source edited during the build makes the next run rebuild.
  fs.writeFileSync(stamp, hash);
  log(`e2e: built and packaged ${path.relative(ROOT, vsix)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return vsix;
}

/**
 * A minimal language pack for `languageId` (no translations), packaged once. VS Code reports
 * `vscode.env.language` = the requested locale only when a language pack for it is installed:
 * without one, `--locale ko` (or argv.json "locale") resolves to 'en' (the server's
 * resolveNLSConfiguration falls back to its default configuration). The Marketplace packs
 * cannot be downloaded here; an empty pack is enough for the extension host to run in Korean
 * (the workbench's own strings stay English, ConvLens's come from package.nls.ko.json and
 * l10n/bundle.l10n.ko.json).
 */
export async function ensureLanguagePack(
  languageId: string,
  languageName: string,
  localizedName: string,
): Promise<string> {
  const vsix = path.join(E2E_CACHE, `language-pack-${languageId}.vsix`);
  if (fs.existsSync(vsix)) return vsix;
  const dir = path.join(E2E_CACHE, `language-pack-${languageId}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'translations'), { recursive: true });
  const manifest = {
    name: `e2e-language-pack-${languageId}`,
    displayName: `${languageName} language pack (ConvLens e2e stub, no translations)`,
    description: 'Makes VS Code run with this display language offline; translations fall back to English.',
    publisher: 'convlens-e2e',
    version: '1.100.0',
    license: 'MIT',
    engines: { vscode: '^1.100.0' },
    categories: ['Language Packs'],
    contributes: {
      localizations: [
        {
          languageId,
          languageName,
          localizedLanguageName: localizedName,
          translations: [{ id: 'vscode', path: './translations/main.i18n.json' }],
        },
      ],
    },
  };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(
    path.join(dir, 'README.md'),
    `# ${manifest.displayName}\n\nTest-only: lets the ConvLens e2e suite run VS Code with \`--locale ${languageId}\` offline.\n`,
  );
  fs.writeFileSync(
    path.join(dir, 'translations', 'main.i18n.json'),
    JSON.stringify({ version: '1.0.0', contents: {} }),
  );
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const res = await run(
    process.execPath,
    [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix],
    { cwd: dir, timeoutMs: 120_000 },
  );
  if (res.code !== 0 || !fs.existsSync(vsix))
    throw new Error(`e2e: packaging the ${languageId} language pack failed:\n${res.output.slice(-3000)}`);
  return vsix;
}

// ---------------------------------------------------------------------------------------------
// workspaces

/** A fresh copy of a fixture workspace in a temp dir (plus any generated files). */
export function copyWorkspace(fixture: string, generated: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `convlens-e2e-ws-`));
  fs.cpSync(path.join(FIXTURES, fixture), dir, { recursive: true });
  for (const [name, text] of Object.entries(generated)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/** 1-based line and column of the first occurrence of `needle` (optionally after `after`). */
export function positionOf(text: string, needle: string, after?: string): { line: number; col: number } {
  const start = after === undefined ? 0 : text.indexOf(after);
  if (start < 0) throw new Error(`"${after}" is not in the text`);
  const i = text.indexOf(needle, start);
  if (i < 0) throw new Error(`"${needle}" is not in the text`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, col: before[before.length - 1]!.length + 1 };
}

// ---------------------------------------------------------------------------------------------
// code-server

export interface ServerOptions {
  /** Names the log file and the temp dir. */
  label: string;
  workspace: string;
  /** `--locale` (e.g. 'ko'). */
  locale?: string;
  /** false: no --disable-workspace-trust, so the folder opens untrusted unless trusted in the UI. */
  disableWorkspaceTrust?: boolean;
  /** User settings (settings.json in the fresh user-data dir), over the harness defaults. */
  userSettings?: Record<string, unknown>;
  /** argv.json in the user-data dir (e.g. { locale: 'ko' }). */
  argv?: Record<string, unknown>;
  /** More .vsix files to install (e.g. a language pack). */
  extraExtensions?: string[];
  /** More environment for the server (and so for its extension host). */
  env?: Record<string, string>;
  /** Extra server arguments. */
  args?: string[];
}

/** Quiet, deterministic workbench: no welcome page, tips, update checks or extension prompts. */
const DEFAULT_USER_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.editor.enablePreview': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'editor.minimap.enabled': false,
  'editor.hover.delay': 300,
  'editor.accessibilitySupport': 'off',
  'files.autoSave': 'off',
  'git.enabled': false,
  'python.languageServer': 'None',
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

const running = new Set<number>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

process.on('exit', () => {
  for (const pid of running) killGroup(pid, 'SIGKILL');
});

/** Kills process groups left behind by a crashed test worker (from the global teardown). */
export function killLeftovers(): void {
  if (!fs.existsSync(PID_DIR)) return;
  for (const f of fs.readdirSync(PID_DIR)) {
    const pid = Number(f.replace(/\.pid$/, ''));
    if (Number.isInteger(pid) && pid > 1) killGroup(pid, 'SIGKILL');
    fs.rmSync(path.join(PID_DIR, f), { force: true });
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function httpOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Writes <user-data>/languagepacks.json for the language packs installed in an extensions dir,
 * as VS Code's LanguagePacksCache does when a pack is installed in a running VS Code. An install
 * from the command line does not (the CLI never instantiates the language pack service), and
 * without this file VS Code resolves every locale to English.
 */
export function writeLanguagePacksJson(extensionsDir: string, userDataDir: string): void {
  const packs: Record<
    string,
    {
      hash: string;
      extensions: { extensionIdentifier: { id: string }; version: string }[];
      translations: Record<string, string>;
      label: string;
    }
  > = {};
  for (const dir of fs.readdirSync(extensionsDir)) {
    const manifestFile = path.join(extensionsDir, dir, 'package.json');
    if (!fs.existsSync(manifestFile)) continue;
    const m = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as {
      name: string;
      publisher: string;
      version: string;
      contributes?: {
        localizations?: {
          languageId: string;
          languageName: string;
          localizedLanguageName?: string;
          translations: { id: string; path: string }[];
        }[];
      };
    };
    for (const loc of m.contributes?.localizations ?? []) {
      const id = `${m.publisher}.${m.name}`.toLowerCase();
      const entry = (packs[loc.languageId] ??= {
        hash: '',
        extensions: [],
        translations: {},
        label: loc.localizedLanguageName ?? loc.languageName,
      });
      entry.extensions.push({ extensionIdentifier: { id }, version: m.version });
      for (const t of loc.translations) entry.translations[t.id] = path.join(extensionsDir, dir, t.path);
      const h = createHash('md5');
      for (const e of entry.extensions) h.update(e.extensionIdentifier.id).update(e.version);
      entry.hash = h.digest('hex');
    }
  }
  if (Object.keys(packs).length) {
    fs.mkdirSync(userDataDir, { recursive: true });
    fs.writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify(packs));
  }
}

export class CodeServer {
  private proc: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  port = 0;

  private constructor(
    readonly options: ServerOptions,
    /** Temp folder with user-data, extensions and XDG dirs. */
    readonly root: string,
    readonly logFile: string,
  ) {}

  get userDataDir(): string {
    return path.join(this.root, 'user-data');
  }

  get extensionsDir(): string {
    return path.join(this.root, 'extensions');
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  folderUrl(): string {
    return `${this.url}/?folder=${encodeURIComponent(this.options.workspace)}`;
  }

  private env(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!/^(VSCODE_|ELECTRON_)/.test(k)) env[k] = v;
    return {
      ...env,
      XDG_CONFIG_HOME: path.join(this.root, 'xdg-config'),
      XDG_DATA_HOME: path.join(this.root, 'xdg-data'),
      XDG_CACHE_HOME: path.join(this.root, 'xdg-cache'),
      ...this.options.env,
    };
  }

  private log(s: string): void {
    fs.appendFileSync(this.logFile, s);
  }

  /** Fresh dirs, the extension(s) installed, the server listening. */
  static async start(options: ServerOptions, vsix: string | null): Promise<CodeServer> {
    fs.mkdirSync(path.join(RESULTS_DIR, 'logs'), { recursive: true });
    const root = fs.mkdtempSync(path.join(os.tmpdir(), `convlens-e2e-${options.label}-`));
    const logFile = path.join(RESULTS_DIR, 'logs', `code-server-${options.label}.log`);
    fs.writeFileSync(logFile, '');
    const server = new CodeServer(options, root, logFile);
    const userDir = path.join(server.userDataDir, 'User');
    fs.mkdirSync(userDir, { recursive: true });
    fs.mkdirSync(server.extensionsDir, { recursive: true });
    fs.writeFileSync(
      path.join(userDir, 'settings.json'),
      JSON.stringify({ ...DEFAULT_USER_SETTINGS, ...options.userSettings }, null, 2),
    );
    if (options.argv) fs.writeFileSync(path.join(userDir, 'argv.json'), JSON.stringify(options.argv, null, 2));
    const toInstall = [...(vsix ? [vsix] : []), ...(options.extraExtensions ?? [])];
    try {
      if (toInstall.length) await server.install(toInstall);
      writeLanguagePacksJson(server.extensionsDir, server.userDataDir);
    } catch (e) {
      await server.stop();
      throw e;
    }
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await server.listen();
        return server;
      } catch (e) {
        lastError = e;
        await server.stop({ keepDirs: true });
        if (!/EADDRINUSE/.test(String(e))) break;
      }
    }
    await server.stop();
    throw lastError;
  }

  private baseArgs(): string[] {
    return [
      '--user-data-dir',
      this.userDataDir,
      '--extensions-dir',
      this.extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
    ];
  }

  private async install(vsixes: string[]): Promise<void> {
    const args = [CODE_SERVER_ENTRY, ...this.baseArgs()];
    for (const v of vsixes) args.push('--install-extension', v);
    const res = await run(process.execPath, args, { cwd: this.root, timeoutMs: 120_000, env: this.env() });
    this.log(`$ code-server --install-extension ${vsixes.map((v) => path.basename(v)).join(' ')}\n${res.output}\n`);
    if (res.code !== 0 || /Failed Installing|^\s*Error\b/im.test(res.output)) {
      throw new Error(
        `installing ${vsixes.map((v) => path.basename(v)).join(', ')} into code-server failed (exit ${res.code}):\n${res.output.slice(-3000)}`,
      );
    }
  }

  private async listen(): Promise<void> {
    this.port = await freePort();
    const o = this.options;
    const args = [
      CODE_SERVER_ENTRY,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${this.port}`,
      ...this.baseArgs(),
      '--disable-getting-started-override',
      '--ignore-last-opened',
    ];
    if (o.disableWorkspaceTrust !== false) args.push('--disable-workspace-trust');
    if (o.locale) args.push('--locale', o.locale);
    args.push(...(o.args ?? []), o.workspace);
    this.log(`$ code-server ${args.slice(1).join(' ')}\n`);
    const proc = spawn(process.execPath, args, {
      cwd: this.root,
      env: this.env(),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    const pid = proc.pid!;
    running.add(pid);
    fs.mkdirSync(PID_DIR, { recursive: true });
    fs.writeFileSync(path.join(PID_DIR, `${pid}.pid`), String(pid));
    let output = '';
    const onData = (d: Buffer) => {
      output += d.toString();
      this.log(d.toString());
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    this.exited = new Promise((resolve) => proc.on('exit', () => resolve()));
    let exitCode: number | null | undefined;
    proc.on('exit', (code) => (exitCode = code));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (exitCode !== undefined)
        throw new Error(`code-server exited (${exitCode}) before listening:\n${output.slice(-3000)}`);
      if (/HTTP server listening on/.test(output) && (await httpOk(`${this.url}/healthz`))) return;
      await sleep(150);
    }
    throw new Error(`code-server did not listen on ${this.url} within 60 s:\n${output.slice(-3000)}`);
  }

  /** Stops the whole process group (server, extension host, file watcher…) and removes the dirs. */
  async stop(opts: { keepDirs?: boolean } = {}): Promise<void> {
    const proc = this.proc;
    this.proc = null;
    if (proc?.pid) {
      const pid = proc.pid;
      killGroup(pid, 'SIGTERM');
      const done = await Promise.race([this.exited.then(() => true), sleep(5000).then(() => false)]);
      // The group may outlive its leader (the extension host is a child): always finish it.
      killGroup(pid, 'SIGKILL');
      if (!done) await Promise.race([this.exited, sleep(2000)]);
      running.delete(pid);
      fs.rmSync(path.join(PID_DIR, `${pid}.pid`), { force: true });
    }
    // VS Code's own logs (server, extension host, ConvLens's output channel) go with the results.
    const logs = path.join(this.userDataDir, 'logs');
    if (fs.existsSync(logs))
      fs.cpSync(logs, path.join(RESULTS_DIR, 'logs', `vscode-${this.options.label}`), { recursive: true });
    if (!opts.keepDirs && !process.env['CONVLENS_E2E_KEEP']) fs.rmSync(this.root, { recursive: true, force: true });
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

// ---------------------------------------------------------------------------------------------
// browser

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('no Chromium');
  return chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Polls `check` until it returns a truthy value; the last error or value goes in the message. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 20_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last !== undefined ? ` (last: ${last instanceof Error ? last.message : JSON.stringify(last)})` : ''}`,
      );
    await sleep(intervalMs);
  }
}

export class Workbench {
  private constructor(
    readonly server: CodeServer,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  static async open(browser: Browser, server: CodeServer): Promise<Workbench> {
    const context = await browser.newContext({
      viewport: { width: 1600, height: 1000 },
      locale: server.options.locale ?? 'en-US',
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const page = await context.newPage();
    page.on('pageerror', (e) => fs.appendFileSync(server.logFile, `[page error] ${e.message}\n`));
    // Console errors of the workbench and of the webviews (their frames report to the page too).
    page.on('console', (m) => {
      if (m.type() === 'error')
        fs.appendFileSync(server.logFile, `[console error] ${m.text()} (${m.location().url})\n`);
      else if (process.env.DEBUG_WV && /service worker|controller/i.test(m.text()))
        fs.appendFileSync(
          server.logFile,
          `[console ${m.type()}] ${Date.now()} ${m.text()} (${m.location().url.slice(0, 200)})\n`,
        );
    });
    const wb = new Workbench(server, context, page);
    await page.goto(server.folderUrl());
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    // The explorer shows the folder once the workbench has restored (also behind the trust prompt).
    await page
      .locator('.explorer-folders-view, .explorer-viewlet')
      .first()
      .waitFor({ state: 'visible', timeout: 60_000 });
    return wb;
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }

  /** test-results/e2e/<name>.png */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `${name}.png`);
    // Finite CSS animations (the hover's fade-in) are fast-forwarded, so nothing is caught half-drawn.
    await this.page.screenshot({ path: file, animations: 'disabled' });
    return file;
  }

  /**
   * A picture for the README (test-results/e2e/readme/<name>.png; `npm run screenshots` copies
   * them to media/screenshots): the page at its fixed 1600×1000 viewport, cropped to the union of
   * the boxes of `parts` (each clipped to `within`, when given) with a margin.
   */
  async screenshotRegion(name: string, parts: Locator[], within?: Locator, margin = 12): Promise<string> {
    const boxes = (await Promise.all(parts.map((p) => p.boundingBox()))).filter((b) => b !== null);
    if (boxes.length === 0) throw new Error(`screenshot ${name}: nothing to show`);
    const bound = within ? await within.boundingBox() : null;
    let x0 = Math.min(...boxes.map((b) => b.x)) - margin;
    let y0 = Math.min(...boxes.map((b) => b.y)) - margin;
    let x1 = Math.max(...boxes.map((b) => b.x + b.width)) + margin;
    let y1 = Math.max(...boxes.map((b) => b.y + b.height)) + margin;
    if (bound) {
      x0 = Math.max(x0, bound.x);
      y0 = Math.max(y0, bound.y);
      x1 = Math.min(x1, bound.x + bound.width);
      y1 = Math.min(y1, bound.y + bound.height);
    }
    return this.screenshotClip(name, { x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
  }

  /** A picture for the README of one rectangle of the page (test-results/e2e/readme/<name>.png). */
  async screenshotClip(name: string, r: { x: number; y: number; width: number; height: number }): Promise<string> {
    const dir = path.join(RESULTS_DIR, 'readme');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name}.png`);
    const clip = { x: Math.round(r.x), y: Math.round(r.y), width: Math.round(r.width), height: Math.round(r.height) };
    await this.page.screenshot({ path: file, animations: 'disabled', clip });
    return file;
  }

  // ---- quick input (quick open, command palette, go to line, quick picks) ----

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  private async openQuickInput(keys: string): Promise<void> {
    await waitFor(
      `the quick input after ${keys}`,
      async () => {
        if (await this.quickInput.isVisible()) return true;
        await this.page.keyboard.press(keys);
        return this.quickInput.waitFor({ state: 'visible', timeout: 2000 }).then(
          () => true,
          () => false,
        );
      },
      15_000,
      50,
    );
  }

  async closeQuickInput(): Promise<void> {
    if (await this.quickInput.isVisible()) {
      await this.page.keyboard.press('Escape');
      await this.quickInput.waitFor({ state: 'hidden', timeout: 5000 });
    }
  }

  /**
   * Waits for a row of the visible quick pick whose label contains `label`, focuses it and accepts
   * it; then waits for the quick input to close, unless what was picked opens another pick (`next`).
   */
  async pickQuickItem(
    label: string,
    opts: { timeoutMs?: number; next?: boolean; picked?: () => void } = {},
  ): Promise<void> {
    const rows = this.quickInput.locator('.quick-input-list .monaco-list-row');
    const row = rows.filter({ hasText: label }).first();
    await row.waitFor({ state: 'visible', timeout: opts.timeoutMs ?? 20_000 });
    const focused = rows.and(this.page.locator('.focused')).first();
    const focusedText = (await focused.count()) ? await focused.innerText() : '';
    // (`picked`: the moment the item is taken, before the key or click that takes it)
    opts.picked?.();
    if (focusedText.includes(label)) await this.page.keyboard.press('Enter');
    else await row.click();
    if (!opts.next) await this.quickInput.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  async quickInputText(): Promise<string> {
    return this.quickInput.locator('input').first().inputValue();
  }

  /**
   * Ctrl+P, the file name, Enter; waits for its tab and, for a text file, its editor (a model
   * file opens in ConvLens's own editor, a webview: `text: false`).
   */
  async openFile(name: string, opts: { text?: boolean } = {}): Promise<void> {
    await this.closeQuickInput();
    await this.openQuickInput('Control+P');
    await this.page.keyboard.type(name);
    await this.pickQuickItem(name, { timeoutMs: 30_000 });
    await this.page
      .locator(`.tabs-container .tab.active[aria-label^="${name}"]`)
      .waitFor({ state: 'visible', timeout: 20_000 });
    if (opts.text === false) return;
    await this.activeEditor().locator('.view-lines .view-line').first().waitFor({ state: 'visible', timeout: 20_000 });
    await this.focusEditor();
  }

  activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor:not(.is-diff-editor)').first();
  }

  async focusEditor(): Promise<void> {
    await waitFor(
      'the editor to have focus',
      async () => {
        if (await this.activeEditor().evaluate(inPage.hasFocusInside)) return true;
        await this.page.keyboard.press('Control+1');
        return false;
      },
      10_000,
      150,
    );
  }

  /** The cursor position the status bar shows (Ln, Col). */
  async cursor(): Promise<{ line: number; col: number } | null> {
    const item = this.page.locator('[id="status.editor.selection"]');
    if (!(await item.isVisible())) return null;
    const m = /(\d+)\D+(\d+)/.exec(await item.innerText());
    return m ? { line: Number(m[1]), col: Number(m[2]) } : null;
  }

  /** Ctrl+G `line:col` Enter, verified on the status bar, retried if focus was elsewhere. */
  /** Moves the cursor to line:col (1-based) through "Go to Line"; `moved` is called as the Enter key that moves it is pressed. */
  async gotoLineCol(line: number, col: number, moved?: () => void): Promise<void> {
    await waitFor(
      `the cursor at ${line}:${col}`,
      async () => {
        const at = await this.cursor();
        if (at && at.line === line && at.col === col) return true;
        await this.closeQuickInput();
        await this.focusEditor();
        await this.openQuickInput('Control+G');
        await this.page.keyboard.type(`${line}:${col}`);
        await this.page.keyboard.press('Enter');
        moved?.();
        await this.quickInput.waitFor({ state: 'hidden', timeout: 5000 });
        const now = await waitFor(
          'the status bar to follow',
          async () => {
            const c = await this.cursor();
            return c && c.line === line && c.col === col ? c : null;
          },
          3000,
        ).catch(() => null);
        return !!now;
      },
      30_000,
      50,
    );
  }

  visibleHover(): Locator {
    return this.page.locator('.monaco-editor .monaco-hover:visible').first();
  }

  /**
   * Ctrl+K Ctrl+I (Show Hover) at the cursor; returns the hover's text once `ready` accepts it.
   * Retries (Escape, refocus, again) when the hover does not come or shows something else yet.
   */
  async showHoverText(
    ready: (text: string) => boolean = (t) => t.trim().length > 0,
    timeoutMs = 30_000,
  ): Promise<string> {
    let last = '';
    return waitFor(
      'a hover',
      async () => {
        await this.focusEditor();
        await this.page.keyboard.press('Control+K');
        await this.page.keyboard.press('Control+I');
        const hover = this.visibleHover();
        const text = await waitFor(
          'hover text',
          async () => {
            if (!(await hover.isVisible())) return null;
            const t = await hover.innerText();
            last = t;
            return ready(t) ? t : null;
          },
          4000,
        ).catch(() => null);
        if (text) return text;
        await this.page.keyboard.press('Escape');
        return null;
      },
      timeoutMs,
      200,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; last hover text: ${JSON.stringify(last)}`);
    });
  }

  /** Hides the bottom panel (Problems, Output…) if it is open. */
  async hidePanel(): Promise<void> {
    const panel = this.page.locator('.part.panel').first();
    await waitFor(
      'the bottom panel to hide',
      async () => {
        if (!(await panel.isVisible())) return true;
        await this.page.keyboard.press('Control+J');
        return panel.waitFor({ state: 'hidden', timeout: 2000 }).then(
          () => true,
          () => false,
        );
      },
      10_000,
      100,
    );
  }

  async hideHover(): Promise<void> {
    if (await this.visibleHover().isVisible()) await this.page.keyboard.press('Escape');
    await this.visibleHover()
      .waitFor({ state: 'hidden', timeout: 5000 })
      .catch(() => undefined);
  }

  /** F1, the command's title, Enter (the row is checked first); `next`: the command opens a quick pick. */
  /** F1, the command's title, the command taken (`picked` is called just before: see pickQuickItem). */
  async runCommand(title: string, opts: { next?: boolean; picked?: () => void } = {}): Promise<void> {
    await this.closeQuickInput();
    await this.openQuickInput('F1');
    await waitFor('the command palette prefix', async () => (await this.quickInputText()).startsWith('>'), 5000);
    await this.page.keyboard.type(title);
    await this.pickQuickItem(title, opts);
  }

  /**
   * F1, a command that asks for a value in an input box (its title containing `boxTitle`), the
   * value, Enter.
   */
  async runCommandWithInput(title: string, boxTitle: string, value: string): Promise<void> {
    await this.closeQuickInput();
    await this.openQuickInput('F1');
    await waitFor('the command palette prefix', async () => (await this.quickInputText()).startsWith('>'), 5000);
    await this.page.keyboard.type(title);
    const row = this.quickInput.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first();
    await row.waitFor({ state: 'visible', timeout: 20_000 });
    await this.page.keyboard.press('Enter');
    await waitFor(
      `the input box '${boxTitle}'`,
      async () => ((await this.quickInput.innerText().catch(() => '')).includes(boxTitle) ? true : null),
      15_000,
      100,
    );
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.type(value);
    await this.page.keyboard.press('Enter');
    await this.quickInput.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /**
   * A command that asks where to save (VS Code's save dialog in a browser: a path box, its value
   * the default path): once that path is shown, it is replaced by `file` and accepted.
   */
  async runCommandSavingAs(title: string, file: string): Promise<void> {
    await this.runCommand(title);
    await waitFor(
      'the save dialog with its default path',
      async () => ((await this.quickInputText().catch(() => '')).startsWith('/') ? true : null),
      15_000,
      100,
    );
    await this.quickInput.locator('input').first().fill(file);
    await this.page.keyboard.press('Enter');
    await this.quickInput.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** Text of the Problems panel (opened if it is not visible). */
  async problemsText(ready: (text: string) => boolean = (t) => t.trim().length > 0): Promise<string> {
    const panel = this.page.locator('.markers-panel').first();
    if (!(await panel.isVisible())) {
      await this.page.keyboard.press('Control+Shift+M');
      await panel.waitFor({ state: 'visible', timeout: 10_000 });
    }
    return waitFor(
      'problems',
      async () => {
        const t = await panel.innerText();
        return ready(t) ? t : null;
      },
      20_000,
    );
  }

  /** The rendered lines of the active editor, top to bottom, with injected text (inlay hints) as shown. */
  async editorDomLines(): Promise<string[]> {
    return this.activeEditor().evaluate(inPage.renderedLines);
  }

  /** Ctrl+. at the cursor, then the code action titled `title` (Enter when focused, else a click). */
  async quickFix(title: string): Promise<void> {
    const widget = this.page.locator('.action-widget');
    const row = widget.locator(`.monaco-list-row.action[aria-label="${title}"]`);
    await waitFor(
      `the code action "${title}"`,
      async () => {
        if (await row.isVisible()) return true;
        await this.page.keyboard.press('Escape');
        await this.focusEditor();
        await this.page.keyboard.press('Control+.');
        return row.waitFor({ state: 'visible', timeout: 4000 }).then(
          () => true,
          () => false,
        );
      },
      30_000,
      100,
    );
    if ((await row.getAttribute('class'))?.includes('focused')) await this.page.keyboard.press('Enter');
    else await row.click();
    await widget.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** The trust prompt shown when a folder opens with workspace trust enabled: answers it. */
  async answerTrustPrompt(trust: boolean): Promise<void> {
    const dialog = this.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    // The buttons: "No, I don't trust the authors" / "Yes, I trust the authors".
    const button = dialog
      .locator('.monaco-button')
      .filter({ hasText: trust ? /Yes, I trust/ : /No, I don.t trust/ })
      .first();
    await button.click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** The editor's whole text, exactly: Ctrl+A, Ctrl+C and the clipboard; the selection is then collapsed back to `restore`. */
  async editorText(restore?: { line: number; col: number }): Promise<string> {
    await this.focusEditor();
    await this.page.evaluate(inPage.clipboardWrite, '\u0000e2e-empty');
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.press('Control+C');
    const text = await waitFor(
      'the clipboard',
      async () => {
        const t = await this.page.evaluate(inPage.clipboardRead);
        return t !== '\u0000e2e-empty' ? t : null;
      },
      5000,
    );
    if (restore) await this.gotoLineCol(restore.line, restore.col);
    return text;
  }

  // ---- webviews ----

  /**
   * The inner frame (#active-frame) of a visible ConvLens webview: the explorer panel beside the
   * code (`where: 'panel'`, the default) or the explorer's side view in the ConvLens side bar
   * (`where: 'side'`), told apart by the part of the workbench the webview lies over; or the model
   * file editor (its #root is marked data-view="modelfile").
   */
  async webviewFrame(
    timeoutMs = 30_000,
    kind: 'explorer' | 'modelfile' = 'explorer',
    where: 'panel' | 'side' = 'panel',
  ): Promise<Frame> {
    return (await this.webview(timeoutMs, kind, where)).inner;
  }

  /** The outer iframe (as laid over the workbench) and the inner frame of a ConvLens webview (see webviewFrame). */
  private async webview(
    timeoutMs: number,
    kind: 'explorer' | 'modelfile',
    where: 'panel' | 'side',
  ): Promise<{ outer: Locator; inner: Frame }> {
    const label =
      kind === 'modelfile' ? 'model file editor' : where === 'side' ? "explorer's side view" : 'explorer panel';
    return waitFor(
      `the ConvLens ${label} webview`,
      async () => {
        // (VS Code lays webviews over their part: the iframe is not inside it in the DOM) — the
        // candidates in one round trip, so that polling this costs little
        const candidates: number[] = await this.page.evaluate(inPage.convlensWebviews, {
          part: kind === 'explorer' ? (where === 'side' ? '.part.sidebar' : '.part.editor') : null,
        });
        const frames = this.page.locator('iframe.webview');
        for (const i of candidates) {
          const outer = frames.nth(i);
          const outerFrame = await (await outer.elementHandle())?.contentFrame();
          if (!outerFrame) continue;
          const active = await outerFrame.$('#active-frame');
          const inner = await active?.contentFrame();
          const root = inner ? await inner.$('#root').catch(() => null) : null;
          if (!inner || !root) continue;
          const view = await root.getAttribute('data-view').catch(() => null);
          if ((view === 'modelfile') === (kind === 'modelfile')) return { outer, inner };
        }
        return null;
      },
      timeoutMs,
      200,
    );
  }

  /**
   * What the screen shows where the explorer panel (or side view) lies, as the user sees it: the
   * page's own pixels there (not the webview's DOM, which can be complete while nothing is painted).
   * Returns the share of pixels that differ from the most common colour (the background).
   */
  async webviewPaintedShare(where: 'panel' | 'side' = 'panel'): Promise<number> {
    const { outer } = await this.webview(30_000, 'explorer', where);
    const box = (await outer.boundingBox())!;
    const png = PNG.sync.read(await this.page.screenshot({ clip: box }));
    const counts = new Map<number, number>();
    const n = png.width * png.height;
    for (let i = 0; i < n; i++) {
      const c = png.data.readUInt32BE(i * 4);
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    let most = 0;
    for (const v of counts.values()) most = Math.max(most, v);
    return 1 - most / n;
  }

  /**
   * Moves the cursor to line:col and returns the time from the key press that moves it to the
   * panel drawing layer `name`, both on the machine's clock (the page records the draw, so the
   * polling below does not add to it).
   */
  async timeToDrawn(frame: Frame, name: string, line: number, col: number, timeoutMs: number): Promise<number> {
    return (await this.moveAndDraw(frame, name, line, col, timeoutMs)).ms;
  }

  /**
   * A cursor move to `line:col` until the panel has drawn `name`: the time from the key press
   * (`ms`), when the page received the state it drew (`toState`, after the key press; the host's
   * part: the cursor event, the worker, the transport) and the time its renders took (`renderMs`).
   */
  async moveAndDraw(frame: Frame, name: string, line: number, col: number, timeoutMs: number): Promise<Move> {
    await frame.evaluate(inPage.armDrawn, name);
    let t0 = 0;
    // the time the first Enter key of "Go to Line" is sent (should it not take, a later one moves
    // the cursor: the time counted is then longer than the move took, never shorter)
    await this.gotoLineCol(line, col, () => (t0 ||= Date.now()));
    const at = await waitFor(`the panel drawing ${name}`, () => frame.evaluate(inPage.drawnAt), timeoutMs, 20);
    const d = await frame.evaluate(inPage.drawnDetail);
    return {
      ms: at - t0,
      toState: d.lastState === null ? null : Math.round(d.lastState - t0),
      renderMs: Math.round(d.renderMs),
    };
  }

  /** The layer the panel (or the side view) shows: its title (name, type, kind) and the current chip of the model strip. */
  async panelLayer(
    where: 'panel' | 'side' = 'panel',
  ): Promise<{ title: string; name: string; current: string; busy: boolean }> {
    const f = await this.webviewFrame(30_000, 'explorer', where);
    return f.evaluate(inPage.panelLayer);
  }

  /** The feature-map canvases of the panel (the tiles and the large map labelled "Feature map …"). */
  async featureMaps(
    label: RegExp = /^(Feature map|특성 맵)/,
    where: 'panel' | 'side' = 'panel',
  ): Promise<CanvasStats[]> {
    return (await this.canvasStats(where)).filter((c) => label.test(c.label));
  }

  async webviewText(kind: 'explorer' | 'modelfile' = 'explorer'): Promise<string> {
    const f = await this.webviewFrame(30_000, kind);
    return f.evaluate(inPage.bodyText);
  }

  /** Every canvas in the panel (or the side view), read back through a 2-D canvas (works for any context type). */
  async canvasStats(where: 'panel' | 'side' = 'panel'): Promise<CanvasStats[]> {
    const f = await this.webviewFrame(30_000, 'explorer', where);
    return f.evaluate(inPage.canvasStats);
  }
}

/** A cursor move until the panel drew its layer (Workbench.moveAndDraw). */
export interface Move {
  ms: number;
  toState: number | null;
  renderMs: number;
}

/** "name total (state received in the page at / renders took)", as the scenarios print a move. */
export function moveText(name: string, m: Move): string {
  return `${name} ${m.ms} (${m.toState ?? '?'}/${m.renderMs})`;
}
