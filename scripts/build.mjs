// Builds the bundles from one script: extension (Node, `vscode` external), webviews (browser
// IIFEs: the explorer, and the model file editor), CLI (Node, executable) and engine worker
// (Node worker_threads entry that hosts the panel's and the model files' jobs), analysis worker
// (the editor's analyses, off the extension host's main thread); and the web extension's bundles
// (scripts/web-bundles.mjs: dist/web/extension.js and its Web Worker).
// First step: assemble the engine's WebAssembly kernels (src/engine/wasm/*.wat) into
// src/engine/wasm/kernels.gen.ts (scripts/gen-wasm.mjs; the file is committed and rewritten
// only when the sources changed, and test/unit/engine/wasm-module.test.ts checks it is current).
// Usage: node scripts/build.mjs [--watch] [--dev]
import * as esbuild from 'esbuild';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { generate, GENERATED } from './gen-wasm.mjs';
import { webBundles } from './web-bundles.mjs';
import { writeNotices } from './notices.mjs';

const kernels = await generate();
if (!existsSync(GENERATED) || readFileSync(GENERATED, 'utf8') !== kernels) {
  writeFileSync(GENERATED, kernels);
  console.log(`wrote ${GENERATED}`);
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

const watch = process.argv.includes('--watch');
const dev = process.argv.includes('--dev') || watch;

const common = {
  bundle: true,
  sourcemap: dev ? 'inline' : false,
  minify: !dev,
  legalComments: 'none',
  // the inputs tell which npm packages are bundled: their licences go to THIRD_PARTY_NOTICES.md
  metafile: true,
  logLevel: 'info',
  target: 'es2022',
  define: { __CONVLENS_VERSION__: JSON.stringify(pkg.version) },
};

const node = { ...common, platform: 'node', format: 'cjs', target: 'node20' };

const bundles = [
  { ...node, entryPoints: ['src/extension/node.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli-main.js' },
  // the executable: loads dist/cli-main.js with V8's code cache
  { ...node, entryPoints: ['src/cli/launch.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { ...node, entryPoints: ['src/present/worker.ts'], outfile: 'dist/worker.js' },
  { ...node, entryPoints: ['src/extension/analysisWorker.ts'], outfile: 'dist/analysisWorker.js' },
  { ...common, platform: 'browser', format: 'iife', entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js' },
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    entryPoints: ['webview/modelfile/main.ts'],
    outfile: 'dist/modelfile.js',
  },
  { ...common, entryPoints: ['webview/styles.css'], outfile: 'dist/webview.css' },
  ...webBundles(common),
];

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist', { recursive: true });
if (watch) {
  for (const b of bundles) await (await esbuild.context(b)).watch();
} else {
  const results = await Promise.all(bundles.map((b) => esbuild.build(b)));
  chmodSync('dist/cli.js', 0o755);
  writeNotices(results.map((r) => r.metafile));
}
