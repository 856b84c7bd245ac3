/**
 * The `convlens` executable (src/cli/launch.ts → dist/cli.js) and its V8 code cache: where the
 * cache lives, that a run writes it once and later runs take it as it is, that a damaged or
 * foreign cache is replaced, that caches of other bundles are removed, and that a cache folder
 * that cannot be written changes nothing in what the command does; and that relaxed SIMD is
 * switched on where V8 has it behind a flag, so `forward` runs the fused multiply-add kernels.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheFolder, cacheName, relaxedSimdFlag } from '../../../src/cli/launch';
import { relaxedSimdSupported } from '../../../src/engine';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const dir = mkdtempSync(join(tmpdir(), 'convlens-launch-'));

beforeAll(() => {
  if (!existsSync('dist/cli.js') || !existsSync('dist/cli-main.js'))
    execFileSync(npm, ['run', 'build'], { stdio: 'ignore', timeout: 180_000 });
}, 200_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the cache folder', () => {
  it("is the platform's per-user cache folder, or CONVLENS_CACHE_DIR (empty: none)", () => {
    expect(cacheFolder({}, 'linux', '/home/a')).toBe('/home/a/.cache/convlens');
    expect(cacheFolder({ XDG_CACHE_HOME: '/x/cache' }, 'linux', '/home/a')).toBe('/x/cache/convlens');
    // a relative XDG_CACHE_HOME is invalid (XDG Base Directory): ignored
    expect(cacheFolder({ XDG_CACHE_HOME: 'rel' }, 'linux', '/home/a')).toBe('/home/a/.cache/convlens');
    expect(cacheFolder({}, 'darwin', '/Users/a')).toBe('/Users/a/Library/Caches/convlens');
    expect(cacheFolder({ LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' }, 'win32', '')).toMatch(/convlens.Cache$/);
    expect(cacheFolder({}, 'win32', 'C:\\Users\\a')).toBeNull();
    expect(cacheFolder({}, 'linux', '')).toBeNull();
    expect(cacheFolder({ CONVLENS_CACHE_DIR: '/c' }, 'linux', '/home/a')).toBe('/c');
    expect(cacheFolder({ CONVLENS_CACHE_DIR: '' }, 'linux', '/home/a')).toBeNull();
  });

  it('names a file per bundle content, Node version, architecture and command', () => {
    const a = cacheName('source a', 'forward', 'v20.20.2', 'x64');
    expect(a).toMatch(/^cli-[0-9a-f]{16}-v20\.20\.2-x64-forward\.v8$/);
    expect(cacheName('source b', 'forward', 'v20.20.2', 'x64')).not.toBe(a);
    expect(cacheName('source a', 'summary', 'v20.20.2', 'x64')).not.toBe(a);
    expect(cacheName('source a', 'forward', 'v22.1.0', 'x64')).not.toBe(a);
    // anything but a plain command word shares one name, and never reaches the path
    expect(cacheName('source a', '../../etc', 'v20', 'x64')).toMatch(/-other\.v8$/);
    expect(cacheName('source a', undefined, 'v20', 'x64')).toMatch(/-other\.v8$/);
  });
});

describe('dist/cli.js with the code cache', () => {
  const example = join('examples', 'textbook_cnn.py');
  const run = (cache: string) =>
    spawnSync(process.execPath, ['dist/cli.js', 'summary', example, '--ascii'], {
      encoding: 'utf8',
      env: { ...process.env, CONVLENS_CACHE_DIR: cache },
    });

  it('writes the cache once; later runs take it as it is and print the same', () => {
    const cache = join(dir, 'a');
    const plain = run('');
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stdout).toContain('Total params: 333,526');
    const first = run(cache);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toBe(plain.stdout);
    const files = readdirSync(cache);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^cli-[0-9a-f]{16}-v[\d.]+-\w+-summary\.v8$/);
    const file = join(cache, files[0]!);
    const before = { ino: statSync(file).ino, bytes: readFileSync(file) };
    expect(before.bytes.length).toBeGreaterThan(1000);
    const second = run(cache);
    expect(second.stdout).toBe(plain.stdout);
    // not written again: V8 accepted it (a refused cache is replaced, a new file by rename)
    expect(statSync(file).ino).toBe(before.ino);
    expect(readFileSync(file).equals(before.bytes)).toBe(true);
  });

  it('a damaged cache is replaced; caches of other bundles are removed', () => {
    const cache = join(dir, 'b');
    expect(run(cache).status).toBe(0);
    const [name] = readdirSync(cache);
    const file = join(cache, name!);
    writeFileSync(file, Buffer.from('not a code cache'.repeat(100)));
    const old = join(cache, `cli-0123456789abcdef-${process.version}-${process.arch}-summary.v8`);
    writeFileSync(old, 'an older bundle');
    const r = run(cache);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Total params: 333,526');
    expect(readFileSync(file).toString('latin1')).not.toContain('not a code cache');
    expect(existsSync(old)).toBe(false);
  });

  it('a missing or damaged bundle is one line on stderr and exit status 2, not a stack trace', () => {
    const copy = join(dir, 'dist-copy');
    mkdirSync(copy);
    copyFileSync('dist/cli.js', join(copy, 'cli.js'));
    const start = () =>
      spawnSync(process.execPath, [join(copy, 'cli.js'), '--version'], {
        encoding: 'utf8',
        env: { ...process.env, CONVLENS_CACHE_DIR: '' },
      });
    const missing = start();
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^convlens: cannot start: .*cli-main\.js: ENOENT[^\n]*\n$/);
    writeFileSync(join(copy, 'cli-main.js'), 'this is not JavaScript (');
    const damaged = start();
    expect(damaged.status).toBe(2);
    expect(damaged.stderr).toMatch(/^convlens: cannot start: .*cli-main\.js: [^\n]+\n$/);
    writeFileSync(join(copy, 'cli-main.js'), 'module.exports = {};');
    const foreign = start();
    expect(foreign.status).toBe(2);
    expect(foreign.stderr).toMatch(/is not the ConvLens command bundle\n$/);
  });

  it('a cache folder that cannot be made changes nothing', () => {
    const blocker = join(dir, 'file');
    writeFileSync(blocker, 'a file where the folder would be');
    const r = run(join(blocker, 'cache'));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(run('').stdout);
  });
});

describe('relaxed SIMD', () => {
  it('is switched on for V8 11 (Node 20, 21) only: older V8s had a draft of the instructions', () => {
    expect(relaxedSimdFlag('11.3.244.8-node.33')).toBe('--experimental-wasm-relaxed-simd');
    expect(relaxedSimdFlag('11.8.172.17-node.18')).toBe('--experimental-wasm-relaxed-simd');
    expect(relaxedSimdFlag('10.2.154.26-node.31')).toBeNull();
    expect(relaxedSimdFlag('12.4.254.21-node.33')).toBeNull();
  });

  it("forward's index.json says which kernels computed the values: fused multiply-adds where the runtime has them", () => {
    const out = join(dir, 'fwd');
    const r = spawnSync(
      process.execPath,
      ['dist/cli.js', 'forward', 'examples/textbook_cnn.py', '--input', 'media/samples/digit-3.png', '--out', out],
      { encoding: 'utf8', env: { ...process.env, CONVLENS_CACHE_DIR: '' } },
    );
    expect(r.status, r.stderr).toBe(0);
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as { kernels: string };
    // this process has relaxed SIMD natively (V8 ≥ 11.4) or the command switches it on (V8 11)
    const fma = relaxedSimdSupported() || relaxedSimdFlag(process.versions.v8) !== null;
    expect(index.kernels).toMatch(fma ? /^wasm-simd(-threads)?, fused multiply-add$/ : /^wasm-simd(-threads)?$/);
  });
});
