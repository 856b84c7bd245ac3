/**
 * The `convlens` executable (dist/cli.js): loads the command's bundle (dist/cli-main.js) with
 * V8's code cache, so a run after the first does not parse and compile the bundle again (about
 * 40 ms of a `convlens forward` that takes 0.3 s), with WebAssembly relaxed SIMD on where V8
 * has it behind a flag. Plain Node, nothing bundled but this file.
 *
 * The cache is one file per command, bundle content, Node version and architecture, in the
 * user's cache folder (`$XDG_CACHE_HOME/convlens` or `~/.cache/convlens`, `~/Library/Caches/convlens`
 * on macOS, `%LOCALAPPDATA%\convlens\Cache` on Windows; `CONVLENS_CACHE_DIR` chooses another, and
 * set empty turns the cache off). It is written when the command ends, once: when it is missing
 * or V8 refused it (another V8 or other flags), so it holds the functions that command compiled.
 * Writing replaces the file atomically and removes caches of other bundles. Nothing about the cache
 * can fail a command: a folder that cannot be read or written only means no cache.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** The folder of the code cache, or null for none. */
export function cacheFolder(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string | null {
  const chosen = env['CONVLENS_CACHE_DIR'];
  if (chosen !== undefined) return chosen === '' ? null : chosen;
  if (platform === 'win32') {
    const local = env['LOCALAPPDATA'];
    return local ? join(local, 'convlens', 'Cache') : null;
  }
  if (!home) return null;
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'convlens');
  const xdg = env['XDG_CACHE_HOME'];
  return join(xdg && xdg.startsWith('/') ? xdg : join(home, '.cache'), 'convlens');
}

/** The cache file's name: the bundle's content, the runtime, and the command (its first argument). */
export function cacheName(source: string, command: string | undefined, version: string, arch: string): string {
  const id = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const cmd = command !== undefined && /^[a-z]{1,16}$/.test(command) ? command : 'other';
  return `cli-${id}-${version.replace(/[^0-9A-Za-z.]/g, '')}-${arch.replace(/\W/g, '')}-${cmd}.v8`;
}

function readCache(path: string | null): Buffer | undefined {
  if (path === null) return undefined;
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** Writes the cache file atomically; removes the caches of other bundles (older versions). */
function writeCache(folder: string, name: string, data: Buffer): void {
  const part = join(folder, `${name}.${process.pid}.part`);
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    writeFileSync(part, data, { mode: 0o600 });
    renameSync(part, join(folder, name));
    const bundle = name.slice(0, name.indexOf('-', 4) + 1);
    for (const f of readdirSync(folder))
      if (/^cli-[0-9a-f]{16}-.*\.v8$/.test(f) && !f.startsWith(bundle)) rmSync(join(folder, f), { force: true });
  } catch {
    // no cache then (and no piece of one left behind)
    try {
      rmSync(part, { force: true });
    } catch {
      // the folder cannot be written at all
    }
  }
}

/**
 * The V8 flag that turns on WebAssembly relaxed SIMD where V8 has it but not by default (V8 11.0
 * to 11.3: Node 20; from 11.4 it is on, and the flag is harmless), so the engine's fused
 * multiply-add kernels run (src/engine/wasm/runtime.ts: 15–20% faster convolutions); null for
 * other versions (older ones had a draft of the instructions).
 */
export function relaxedSimdFlag(v8Version: string): string | null {
  return /^11\./.test(v8Version) ? '--experimental-wasm-relaxed-simd' : null;
}

/** Loads and starts the bundle at `file` with the code cache of `folder` (null: none). */
export function launch(file: string, folder: string | null, argv: readonly string[]): void {
  // before any WebAssembly is compiled, and before the code cache is read (it records the flags)
  const flag = relaxedSimdFlag(process.versions.v8);
  if (flag) setFlagsFromString(flag);
  const source = readFileSync(file, 'utf8');
  const name = folder === null ? null : cacheName(source, argv[0], process.version, process.arch);
  const path = folder === null || name === null ? null : join(folder, name);
  const cachedData = readCache(path);
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  if (folder !== null && name !== null && (cachedData === undefined || script.cachedDataRejected === true))
    process.once('exit', () => writeCache(folder, name, script.createCachedData()));
  const mod: { exports: { start?: () => void } } = { exports: {} };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
  if (typeof mod.exports.start !== 'function') throw new Error(`${file} is not the ConvLens command bundle`);
  mod.exports.start();
}

function home(): string {
  try {
    return homedir();
  } catch {
    return '';
  }
}

if (require.main === module) {
  const bundle = join(__dirname, 'cli-main.js');
  try {
    launch(bundle, cacheFolder(process.env, process.platform, home()), process.argv.slice(2));
  } catch (e) {
    // a broken installation (the bundle missing or damaged): one line, not a stack trace
    const why = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    process.stderr.write(`convlens: cannot start: ${bundle}: ${why.slice(0, 300)}\n`);
    process.exitCode = 2;
  }
}
