#!/usr/bin/env node
// In-host tests (test/electron, mocha) in a real VS Code, in three modes: 'en' (trusted
// workspace), 'ko' (--locale ko with a Korean language pack stub) and 'restricted' (workspace
// trust on, the folder not trusted).
//
//   node scripts/test-electron.mjs                       VS Code 1.100.3 downloaded by @vscode/test-electron
//   node scripts/test-electron.mjs --host code-server    offline: code-server's Node extension host
//                                                        (bash scripts/setup-code-server.sh, Debian's Chromium)
// Options: --mode en|ko|restricted (repeatable; default: all three), --vscode-version 1.100.3,
//          --no-build (electron host: use dist/ as it is), --grep PATTERN (mocha grep).
// Needs mocha (devDependency; or CONVLENS_MOCHA_PATH=<mocha package folder>). On Linux without a
// display the electron host re-runs itself under `xvfb-run -a` when that is installed.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

function parseArgs(argv) {
  const o = {
    host: 'electron',
    modes: [],
    version: process.env.CONVLENS_VSCODE_VERSION || '1.100.3',
    build: true,
    grep: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--host') o.host = argv[++i];
    else if (a === '--mode') o.modes.push(argv[++i]);
    else if (a === '--vscode-version') o.version = argv[++i];
    else if (a === '--no-build') o.build = false;
    else if (a === '--grep') o.grep = argv[++i];
    else throw new Error(`unknown argument ${a}`);
  }
  if (!['electron', 'code-server'].includes(o.host)) throw new Error(`--host electron|code-server, not ${o.host}`);
  if (o.modes.length === 0) o.modes = ['en', 'ko', 'restricted'];
  for (const m of o.modes)
    if (!['en', 'ko', 'restricted'].includes(m)) throw new Error(`--mode en|ko|restricted, not ${m}`);
  return o;
}

const opts = parseArgs(process.argv.slice(2));

// The electron host needs a display on Linux.
if (
  opts.host === 'electron' &&
  process.platform === 'linux' &&
  !process.env.DISPLAY &&
  !process.env.CONVLENS_UNDER_XVFB
) {
  if (spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status === 0) {
    const r = spawnSync('xvfb-run', ['-a', process.execPath, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, CONVLENS_UNDER_XVFB: '1' },
    });
    process.exit(r.status ?? 1);
  }
  console.warn('No DISPLAY and no xvfb-run (apt-get install -y xvfb): VS Code may fail to start.');
}

function mochaFolder() {
  if (process.env.CONVLENS_MOCHA_PATH) return path.resolve(process.env.CONVLENS_MOCHA_PATH);
  try {
    return path.dirname(createRequire(path.join(root, 'package.json')).resolve('mocha/package.json'));
  } catch {
    console.error(
      'mocha is needed for the in-host tests: npm install --save-dev mocha@^11.8.0 (or set CONVLENS_MOCHA_PATH).',
    );
    process.exit(2);
  }
}

const mochaPath = mochaFolder();
const outDir = path.join(root, 'out', 'test', 'electron');
fs.rmSync(outDir, { recursive: true, force: true });
const tests = fs
  .readdirSync('test/electron')
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => `test/electron/${f}`);
await esbuild.build({
  entryPoints: ['test/electron/index.ts', ...tests],
  outdir: outDir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});

let failed = 0;
const results = [];

if (opts.host === 'code-server') {
  const launchFile = path.join(root, 'out', 'test', 'electron-launch', 'launch.mjs');
  await esbuild.build({
    entryPoints: ['test/electron/launch.ts'],
    outfile: launchFile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  const launch = await import(pathToFileURL(launchFile).href);
  // as the end-to-end suite: without code-server or Chromium the run is skipped with the reason,
  // except in CI (CI=true), where it fails
  const pre = launch.prerequisites();
  if (!pre.ok) {
    const ci = process.env.CI === 'true';
    console.error(`${launch.prerequisiteMessage(pre)}${ci ? ' (CI=true: the in-host suite is required)' : ''}`);
    console.log(ci ? 'in-host tests: FAILED (prerequisites)' : 'in-host tests: skipped (prerequisites)');
    process.exit(ci ? 1 : 0);
  }
  for (const mode of opts.modes) {
    const t0 = Date.now();
    console.log(`\n== in-host tests, ${mode}, code-server (VS Code 1.100.3 server)`);
    const code = await launch.runInCodeServer({ mode, testsDir: outDir, mochaPath, grep: opts.grep });
    results.push({ mode, code, s: (Date.now() - t0) / 1000 });
    if (code !== 0) failed++;
  }
} else {
  const { downloadAndUnzipVSCode, resolveCliPathFromVSCodeExecutablePath } = await import('@vscode/test-electron');
  if (opts.build) {
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
    if (b.status !== 0) process.exit(b.status ?? 1);
  }
  const launchFile = path.join(root, 'out', 'test', 'electron-launch', 'launch.mjs');
  await esbuild.build({
    entryPoints: ['test/electron/launch.ts'],
    outfile: launchFile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  const launch = await import(pathToFileURL(launchFile).href);
  let exe;
  try {
    exe = await downloadAndUnzipVSCode({ version: opts.version, cachePath: path.join(root, '.vscode-test') });
  } catch (e) {
    console.error(
      `Could not download VS Code ${opts.version} (${e.message}).\nWithout internet, run the same tests in code-server: node scripts/test-electron.mjs --host code-server`,
    );
    process.exit(2);
  }
  for (const mode of opts.modes) {
    const t0 = Date.now();
    console.log(`\n== in-host tests, ${mode}, VS Code ${opts.version}`);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `convlens-inhost-${mode}-`));
    const userData = path.join(tmp, 'user-data');
    const extensions = path.join(tmp, 'extensions');
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    fs.mkdirSync(extensions, { recursive: true });
    fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(launch.USER_SETTINGS, null, 2));
    if (mode === 'ko') {
      const pack = await launch.koreanLanguagePack();
      const cli = resolveCliPathFromVSCodeExecutablePath(exe);
      const r = spawnSync(
        cli,
        ['--extensions-dir', extensions, '--user-data-dir', userData, '--install-extension', pack],
        { stdio: 'inherit' },
      );
      if (r.status !== 0) throw new Error('installing the Korean language pack stub failed');
      launch.writeLanguagePacksJson(extensions, userData);
    }
    const workspace = launch.prepareWorkspace();
    const args = [
      workspace,
      '--no-sandbox',
      '--disable-gpu-sandbox',
      '--disable-updates',
      '--skip-welcome',
      '--skip-release-notes',
      '--disable-telemetry',
      `--extensionDevelopmentPath=${root}`,
      `--extensionTestsPath=${path.join(outDir, 'index.js')}`,
      `--user-data-dir=${userData}`,
      `--extensions-dir=${extensions}`,
      // @vscode/test-electron's runTests always passes --disable-workspace-trust; restricted mode must not.
      ...(mode === 'restricted' ? [] : ['--disable-workspace-trust']),
      ...(mode === 'ko' ? ['--locale', 'ko'] : []),
    ];
    const env = {
      ...process.env,
      CONVLENS_TEST_MODE: mode,
      CONVLENS_MOCHA_PATH: mochaPath,
      ...(opts.grep ? { CONVLENS_TEST_GREP: opts.grep } : {}),
    };
    const code = await new Promise((resolve) => {
      const child = spawn(exe, args, { env, stdio: 'inherit' });
      child.on('error', (e) => {
        console.error(e);
        resolve(1);
      });
      child.on('exit', (c, sig) => resolve(c ?? (sig ? 1 : 0)));
    });
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(workspace, { recursive: true, force: true });
    results.push({ mode, code, s: (Date.now() - t0) / 1000 });
    if (code !== 0) failed++;
  }
}

console.log('\nin-host tests:');
for (const r of results)
  console.log(`  ${r.mode.padEnd(10)} ${r.code === 0 ? 'passed' : `FAILED (exit ${r.code})`}  ${r.s.toFixed(1)} s`);
process.exit(failed ? 1 : 0);
