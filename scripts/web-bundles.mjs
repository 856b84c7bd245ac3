// The web extension's bundles, for the web worker extension host of browser-hosted VS Code
// (vscode.dev, github.dev, code-server's web extensions): the extension (`browser` in
// package.json: CommonJS, `vscode` external, no Node built-ins) and the engine's Web Worker.
// build.mjs builds them; test/unit/package/web-bundle.test.ts builds them again and checks that
// nothing of Node got in.

/** @param {Record<string, unknown>} common options shared by every bundle (minify, sourcemap, define) */
export function webBundles(common) {
  const web = {
    ...common,
    platform: 'browser',
    // a worker has no `window`: what a browser package would reach through it must not be there
    define: { .../** @type {object} */ (common.define ?? {}), global: 'globalThis' },
  };
  return [
    {
      ...web,
      format: 'cjs',
      entryPoints: ['src/extension/web.ts'],
      outfile: 'dist/web/extension.js',
      external: ['vscode'],
    },
    { ...web, format: 'iife', entryPoints: ['src/present/webWorker.ts'], outfile: 'dist/web/worker.js' },
  ];
}
