// The fixture manifest (test/fixtures/MANIFEST.json): for every fixture generator
// (scripts/gen-*.py, gen-*.mjs, gen-*.ts), what it was run with — the sha256 of its source, the
// command and arguments, the interpreter's and the imported packages' versions — and the sha256
// of every file that run wrote. test/unit/package/fixtures.test.ts recomputes the hashes and
// fails when a generator changed after its fixtures were written, or a fixture no longer is what
// its generator wrote (edited by hand, or regenerated without recording).
//
//   npx tsx scripts/fixtures-manifest.ts record -- /usr/bin/python3 scripts/gen-torch-values.py
//       runs the generator and, only when it exits 0, records the run: the files it wrote
//       (tracked or new files of the checkout under test/fixtures, media or src/engine/wasm
//       modified during the run) with their hashes; earlier runs of the same generator source
//       keep the files this one did not rewrite;
//       --fresh FILE removes FILE first, for a generator that does not rewrite identical output
//   npx tsx scripts/fixtures-manifest.ts check
//       the test's check, printed
//
// An entry can only be made by running its generator: there is no command that re-hashes files
// in place.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..');
export const MANIFEST = join(ROOT, 'test', 'fixtures', 'MANIFEST.json');
const GENERATOR = /^scripts\/gen-[\w-]+\.(py|mjs|ts)$/;
/** Where generators write: a file elsewhere changed during a run is not taken as an output. */
const OUTPUT_ROOTS = ['test/fixtures/', 'media/', 'src/engine/wasm/'];

export interface Run {
  /** The command as run (repository paths relative). */
  command: string[];
  /** Environment variables that change what the interpreter loads (PYTHONPATH), when set. */
  env?: Record<string, string>;
  /** The interpreter's version and the versions of the packages it loaded. */
  versions: Record<string, string>;
  recorded: string;
  /** Every file the run wrote (and no later run rewrote), with its sha256. */
  outputs: Record<string, string>;
}

export interface Entry {
  /** sha256 of the generator's source. */
  sha256: string;
  /**
   * The runs whose files are in the checkout: one for most generators; several when parts of a
   * generator run in different environments (gen-summary-oracle.py torch / keras) or one run
   * rewrote only some files.
   */
  runs: Run[];
}

export interface Manifest {
  about?: string;
  generators: Record<string, Entry>;
  /** Generators without an entry, with the reason. */
  unrecorded: Record<string, string>;
}

export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The fixture generators of the checkout, as repository paths. */
export function generators(): string[] {
  return readdirSync(join(ROOT, 'scripts'))
    .map((f) => `scripts/${f}`)
    .filter((p) => GENERATOR.test(p))
    .sort();
}

export function readManifest(): Manifest {
  if (!existsSync(MANIFEST)) return { generators: {}, unrecorded: {} };
  return JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
}

/**
 * What is wrong between the manifest and the checkout, one line each (empty: every recorded
 * fixture is what its generator wrote, and every generator is recorded or listed with a reason).
 */
export function problems(m: Manifest = readManifest()): string[] {
  const out: string[] = [];
  const recorded = m.generators ?? {};
  const unrecorded = m.unrecorded ?? {};
  for (const g of generators())
    if (!recorded[g] && !unrecorded[g])
      out.push(`${g} has no entry: run it with npx tsx scripts/fixtures-manifest.ts record -- <interpreter> ${g}`);
  for (const [g, e] of Object.entries(recorded)) {
    if (!existsSync(join(ROOT, g))) {
      out.push(`${g} is recorded but no longer exists`);
      continue;
    }
    const rerun = (r: Run): string =>
      `re-run it: npx tsx scripts/fixtures-manifest.ts record -- ${r.command.join(' ')}`;
    if (sha256(join(ROOT, g)) !== e.sha256)
      out.push(`${g} changed since it wrote its fixtures; ${e.runs.map(rerun).join('; ')}`);
    for (const r of e.runs)
      for (const [file, hash] of Object.entries(r.outputs)) {
        if (!existsSync(join(ROOT, file))) out.push(`${file} (written by ${g}) is missing; ${rerun(r)}`);
        else if (sha256(join(ROOT, file)) !== hash)
          out.push(`${file} is not what ${g} wrote (edited by hand, or regenerated without recording); ${rerun(r)}`);
      }
  }
  return out;
}

/** Files of the checkout: tracked, and untracked ones git does not ignore. */
function checkoutFiles(): string[] {
  const r = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`git ls-files failed: ${r.stderr}`);
  return [...new Set(r.stdout.split('\0').filter(Boolean))].filter((p) => existsSync(join(ROOT, p)));
}

/** Top-level modules a Python source imports, or npm packages a JS/TS source imports. */
function importsOf(generator: string): string[] {
  const src = readFileSync(join(ROOT, generator), 'utf8');
  const names = new Set<string>();
  if (generator.endsWith('.py')) {
    for (const m of src.matchAll(/^\s*(?:import\s+([\w.]+(?:\s*,\s*[\w.]+)*)|from\s+([\w.]+)\s+import)/gm))
      for (const n of (m[1] ?? m[2]!).split(',')) if (!n.trim().startsWith('.')) names.add(n.trim().split('.')[0]!);
  } else {
    for (const m of src.matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*)['"]([^'"./][^'"]*)['"]/g)) {
      const spec = m[1]!;
      if (spec.startsWith('node:')) continue;
      names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  }
  return [...names].sort();
}

const PY_VERSIONS = `
import importlib, json, sys
out = {'python': sys.version.split()[0]}
for name in sys.argv[1:]:
    if name in sys.builtin_module_names or name in getattr(sys, 'stdlib_module_names', ()):
        continue
    try:
        mod = importlib.import_module(name)
    except Exception:
        continue
    v = getattr(mod, '__version__', None)
    if isinstance(v, str):
        out[name] = v
# frameworks loaded behind the imports (Keras's backend, torch under torchvision)
for name in ('tensorflow', 'torch', 'jax', 'keras', 'numpy', 'h5py', 'onnx', 'onnxruntime', 'torchvision', 'timm', 'torchinfo'):
    v = getattr(sys.modules.get(name), '__version__', None)
    if isinstance(v, str):
        out[name] = v
print(json.dumps(dict(sorted(out.items()))))
`;

/** The interpreter's version and the versions of the packages the generator imports. */
function versionsOf(command: string[], generator: string): Record<string, string> {
  const imports = importsOf(generator);
  if (generator.endsWith('.py')) {
    const r = spawnSync(command[0]!, ['-c', PY_VERSIONS, ...imports], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`could not read package versions with ${command[0]}: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, string>;
  }
  const out: Record<string, string> = { node: process.versions.node };
  for (const name of imports) {
    const pkg = join(ROOT, 'node_modules', name, 'package.json');
    if (existsSync(pkg)) out[name] = (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  }
  return out;
}

function record(command: string[], fresh: string[]): void {
  const generator = command.map((a) => relative(ROOT, resolve(a))).find((a) => GENERATOR.test(a));
  if (!generator) throw new Error(`no generator (scripts/gen-*.py|mjs|ts) in: ${command.join(' ')}`);
  const before = new Map(checkoutFiles().map((p) => [p, statSync(join(ROOT, p)).mtimeMs]));
  // --fresh files are removed first, so a generator that leaves identical output alone writes them
  const saved = new Map(fresh.map((p) => [p, readFileSync(join(ROOT, p))]));
  const restore = (): void => {
    for (const [p, bytes] of saved) if (!existsSync(join(ROOT, p))) writeFileSync(join(ROOT, p), bytes);
  };
  for (const p of fresh) rmSync(join(ROOT, p));
  const start = Date.now();
  console.log(`$ ${command.join(' ')}`);
  const r = spawnSync(command[0]!, command.slice(1), { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    restore();
    console.error(`${generator} failed (exit ${r.status ?? r.signal}); the manifest is unchanged`);
    process.exit(1);
  }
  const missing = fresh.filter((p) => !existsSync(join(ROOT, p)));
  if (missing.length) {
    restore();
    console.error(`${generator} did not write ${missing.join(', ')}; the manifest is unchanged`);
    process.exit(1);
  }
  const written = checkoutFiles()
    .filter((p) => p !== relative(ROOT, MANIFEST) && OUTPUT_ROOTS.some((r) => p.startsWith(r)))
    .filter((p) => {
      const m = statSync(join(ROOT, p)).mtimeMs;
      return m >= start - 1 && m !== before.get(p);
    })
    .sort();
  if (written.length === 0) {
    console.error(`${generator} wrote no file of the checkout; the manifest is unchanged`);
    process.exit(1);
  }
  const m = readManifest();
  const previous = m.generators?.[generator];
  const hash = sha256(join(ROOT, generator));
  const run: Run = {
    command: command.map((a) => (resolve(a).startsWith(ROOT + '/') ? relative(ROOT, resolve(a)) : a)),
    ...(process.env['PYTHONPATH'] ? { env: { PYTHONPATH: process.env['PYTHONPATH'] } } : {}),
    versions: versionsOf(command, generator),
    recorded: new Date(start).toISOString().replace(/\.\d+Z$/, 'Z'),
    outputs: Object.fromEntries(written.map((p) => [p, sha256(join(ROOT, p))])),
  };
  // earlier runs keep the files this one did not rewrite, while the generator is the same
  const earlier = previous && previous.sha256 === hash ? previous.runs : [];
  const runs = [
    ...earlier
      .map((r) => ({
        ...r,
        outputs: Object.fromEntries(Object.entries(r.outputs).filter(([p]) => !written.includes(p))),
      }))
      .filter((r) => Object.keys(r.outputs).length > 0),
    run,
  ];
  const gone = previous && previous.sha256 !== hash ? previous.runs.flatMap((r) => Object.keys(r.outputs)) : [];
  const entry: Entry = { sha256: hash, runs };
  const gens = { ...(m.generators ?? {}), [generator]: entry };
  const unrecorded = { ...(m.unrecorded ?? {}) };
  delete unrecorded[generator];
  const next: Manifest = {
    about:
      'Fixture provenance: written by scripts/fixtures-manifest.ts record, checked by test/unit/package/fixtures.test.ts.',
    generators: Object.fromEntries(
      Object.keys(gens)
        .sort()
        .map((k) => [k, gens[k]!]),
    ),
    unrecorded,
  };
  writeFileSync(MANIFEST, JSON.stringify(next, null, 2) + '\n');
  console.log(`${basename(MANIFEST)}: ${generator} wrote ${written.length} file(s)`);
  for (const p of gone.filter((p) => !written.includes(p)))
    console.warn(`  written by the generator's previous version, not by this run (dropped): ${p}`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === __filename) {
  const [cmd, ...rest] = process.argv.slice(2);
  const sep = rest.indexOf('--');
  const opts = sep < 0 ? [] : rest.slice(0, sep);
  const fresh = opts.filter((_, i) => opts[i - 1] === '--fresh').map((p) => relative(ROOT, resolve(p)));
  if (cmd === 'record' && sep >= 0 && rest.length > sep + 1 && opts.length === 2 * fresh.length)
    record(rest.slice(sep + 1), fresh);
  else if (cmd === 'check') {
    const p = problems();
    for (const line of p) console.log(line);
    console.log(p.length ? `${p.length} problem(s)` : 'every recorded fixture matches its generator');
    process.exit(p.length ? 1 : 0);
  } else {
    console.error(
      'usage: npx tsx scripts/fixtures-manifest.ts record [--fresh FILE]… -- <interpreter> scripts/gen-X.py [args…] | check',
    );
    process.exit(2);
  }
}
