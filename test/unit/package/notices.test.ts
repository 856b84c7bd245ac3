/**
 * THIRD_PARTY_NOTICES.md lists every npm package the bundles contain, with its licence text, and
 * ships in the .vsix. The bundles are read here by esbuild itself (every entry point of
 * scripts/build.mjs, for its platform), independently of the build that wrote the file.
 */
import * as esbuild from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the build, without types
import { bundledPackageDirs } from '../../../scripts/notices.mjs';
// @ts-expect-error: a plain ES module of the build, without types
import { webBundles } from '../../../scripts/web-bundles.mjs';

const notices = readFileSync('THIRD_PARTY_NOTICES.md', 'utf8');

/** Each bundle of build.mjs: its entry point and whether it is built for the browser. */
function bundlesOfBuild(): { entry: string; browser: boolean }[] {
  const src = readFileSync('scripts/build.mjs', 'utf8');
  const list = src.slice(src.indexOf('const bundles = ['));
  const objects = list.slice(0, list.indexOf('\n];')).split(/\n  \{/);
  return objects.flatMap((o) => {
    const entry = /entryPoints: \['([^']+)'\]/.exec(o)?.[1];
    return entry && /\.ts$/.test(entry) ? [{ entry, browser: /platform: 'browser'/.test(o) }] : [];
  });
}

/** The web extension's bundles (scripts/web-bundles.mjs), all for the browser. */
function webBundlesOfBuild(): { entry: string; browser: boolean }[] {
  return (webBundles({}) as { entryPoints: string[] }[]).map((b) => ({ entry: b.entryPoints[0]!, browser: true }));
}

describe('third-party notices', () => {
  it('lists exactly the packages the bundles are built from, each with its licence file', async () => {
    const bundles = [...bundlesOfBuild(), ...webBundlesOfBuild()];
    expect(bundles.map((b) => b.entry)).toEqual(
      expect.arrayContaining(['src/extension/node.ts', 'src/extension/web.ts', 'src/cli/main.ts', 'webview/main.ts']),
    );
    const metafiles = [];
    for (const b of bundles) {
      const r = await esbuild.build({
        entryPoints: [b.entry],
        bundle: true,
        write: false,
        metafile: true,
        platform: b.browser ? 'browser' : 'node',
        format: b.browser ? 'iife' : 'cjs',
        external: ['vscode'],
        outfile: 'out.js',
        logLevel: 'silent',
      });
      metafiles.push(r.metafile);
    }
    const dirs = bundledPackageDirs(metafiles) as string[];
    // the parser, the image codecs, the HDF5 and protobuf readers are bundled at least
    const names = dirs.map((d) => (JSON.parse(readFileSync(`${d}/package.json`, 'utf8')) as { name: string }).name);
    expect(names).toEqual(expect.arrayContaining(['@lezer/python', 'fflate', 'jpeg-js', 'jsfive', 'protobufjs']));
    const listed = [...notices.matchAll(/^## (\S+) (\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    const bundled = dirs.map((d) => {
      const p = JSON.parse(readFileSync(`${d}/package.json`, 'utf8')) as { name: string; version: string };
      return `${p.name} ${p.version}`;
    });
    expect([...listed].sort(), 'THIRD_PARTY_NOTICES.md is current: npm run build').toEqual([...bundled].sort());
    for (const d of dirs) {
      const lic = readdirLicence(d);
      expect(lic.length, `${d} has a licence file`).toBeGreaterThan(0);
      for (const text of lic) expect(notices, `${d}'s licence text`).toContain(text.trim().split('\n')[0]!);
    }
  });

  it("each MIT package's text is the MIT licence with its copyright line", () => {
    const sections = notices.split(/^## /m).slice(1);
    const mit = sections.filter((s) => /^Licence: MIT$/m.test(s));
    expect(mit.length).toBeGreaterThan(3);
    for (const s of mit) {
      expect(s, s.split('\n')[0]).toMatch(/Permission is hereby granted, free of charge/);
      expect(s, s.split('\n')[0]).toMatch(/Copyright/i);
    }
  });

  it('ships in the .vsix', () => {
    expect(readFileSync('.vscodeignore', 'utf8').split('\n')).toContain('!THIRD_PARTY_NOTICES.md');
  });
});

function readdirLicence(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /^(licen[cs]e|copying|notice)([.-].*)?$/i.test(f))
    .map((f) => readFileSync(`${dir}/${f}`, 'utf8'));
}
