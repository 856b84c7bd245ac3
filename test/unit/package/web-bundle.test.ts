/**
 * The web extension's bundles (scripts/web-bundles.mjs: dist/web/extension.js, `browser` in
 * package.json, and its engine worker dist/web/worker.js) are built here as the build builds them
 * and checked for anything of Node: no import but `vscode` (none in the worker), no Node built-in
 * or Node-only package among their inputs, and no use of Node's globals (`process`, `Buffer`,
 * `require` of anything but `vscode`, `__dirname`, `setImmediate`) that is not guarded; `global`
 * is defined as globalThis by the build.
 */
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import * as esbuild from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a build script without types
import { webBundles } from '../../../scripts/web-bundles.mjs';

interface Built {
  outfile: string;
  text: string;
  outputImports: string[];
  inputs: string[];
}

const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
/** Packages that need Node (or its polyfills) and must not be in a browser bundle. */
const NODE_ONLY_PACKAGES = ['pngjs', 'buffer', 'process', 'util', 'stream', 'zlib', 'events', 'path'];

const built: Built[] = [];

beforeAll(async () => {
  const options = (webBundles as (c: object) => esbuild.BuildOptions[])({
    bundle: true,
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    target: 'es2022',
    define: { __CONVLENS_VERSION__: '"0.0.0"' },
  });
  for (const o of options) {
    const r = await esbuild.build({ ...o, write: false, metafile: true });
    const out = Object.values(r.metafile.outputs)[0]!;
    built.push({
      outfile: String(o.outfile),
      text: r.outputFiles[0]!.text,
      outputImports: [...new Set(out.imports.map((i) => i.path))],
      inputs: Object.keys(r.metafile.inputs),
    });
  }
}, 120_000);

/** The bundle's code with string literals blanked, so that words inside messages are not taken for code. */
function codeOnly(text: string): string {
  return text.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""');
}

/** Each free use of `name` (not a property `x.name`, not a key `name:`) with the code before it. */
function freeUses(code: string, name: string): { at: number; before: string; after: string }[] {
  const re = new RegExp(`(?<![.\\w$])${name}(?![\\w$]|\\s*:)`, 'g');
  return [...code.matchAll(re)].map((m) => ({
    at: m.index,
    before: code.slice(Math.max(0, m.index - 120), m.index),
    after: code.slice(m.index, m.index + 40),
  }));
}

describe('web bundles', () => {
  it('are the browser entry and the engine Web Worker that package.json and the platform name', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { browser?: string; main?: string };
    expect(built.map((b) => b.outfile)).toEqual(['dist/web/extension.js', 'dist/web/worker.js']);
    expect(pkg.browser).toBe('./dist/web/extension.js');
    expect(readFileSync('src/platform/web.ts', 'utf8')).toContain("workerScript: ['dist', 'web', 'worker.js']");
  });

  it('import nothing but vscode (the worker: nothing at all)', () => {
    const [ext, worker] = built;
    expect(ext!.outputImports).toEqual(['vscode']);
    expect(worker!.outputImports).toEqual([]);
  });

  it('hold no Node built-in and no Node-only package among their inputs', () => {
    for (const b of built) {
      const bad = b.inputs.filter(
        (p) =>
          NODE_BUILTINS.has(p) ||
          p.startsWith('node:') ||
          NODE_ONLY_PACKAGES.some((name) => p.includes(`node_modules/${name}/`)) ||
          /src\/(io\/sourceFiles|worker\/(threads|nodeWorker)|platform\/node)\.ts$/.test(p),
      );
      expect(bad, b.outfile).toEqual([]);
      // the codecs that replace them are in
      expect(b.inputs.some((p) => p.endsWith('src/io/pngDecode.ts'))).toBe(true);
    }
  });

  it('use process only behind a typeof guard, and Buffer only where jpeg-js is asked for typed arrays', () => {
    // jpeg-js allocates a Buffer only without `useTArray: true`, which the decoder always passes
    expect(readFileSync('src/io/image.ts', 'utf8')).toMatch(/decodeJpeg\(bytes, \{\s*useTArray: true,/);
    for (const b of built) {
      const code = codeOnly(b.text);
      for (const use of freeUses(code, 'process')) {
        expect(use.before, `${b.outfile}: ${use.before}${use.after}`).toMatch(/typeof process\s*!=\s*""[^;]*$/);
      }
      const buffers = freeUses(code, 'Buffer');
      for (const use of buffers) {
        expect(use.before, `${b.outfile}: ${use.before}${use.after}`).toMatch(/useTArray\?new Uint8Array\(\w+\):$/);
      }
      expect(buffers.length, b.outfile).toBeLessThanOrEqual(1);
    }
  });

  it('call require only for vscode, and use no other Node global', () => {
    for (const b of built) {
      const code = codeOnly(b.text);
      const requires = [...b.text.matchAll(/(?<![.\w$])require\(([^)]*)\)/g)].map((m) => m[1]);
      expect(new Set(requires), b.outfile).toEqual(new Set(b.outfile.endsWith('extension.js') ? ['"vscode"'] : []));
      for (const name of ['__dirname', '__filename', 'setImmediate']) {
        expect(
          freeUses(code, name).map((u) => u.before.slice(-40) + u.after),
          `${b.outfile}: ${name}`,
        ).toEqual([]);
      }
    }
  });
});
