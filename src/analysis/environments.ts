/**
 * Where the user's Python packages are, found without running Python: the site-packages folders
 * of the environment the user named (convlens.pythonPath, `--python`), of the interpreter the
 * Python extension uses, of virtual environments next to the file (`.venv`, `venv`, `env`,
 * `.env` with a pyvenv.cfg, or a conda `conda-meta`) up to the workspace folder, and of
 * VIRTUAL_ENV / CONDA_PREFIX. The file system is injected (the CLI's disk reader, the
 * extension's); paths use '/'. The work is capped: folders climbed, folders listed and entries
 * read per listing, probes in all, folders returned.
 */

export interface EnvironmentHost {
  /** The file's text, or null when it is missing, unreadable or too large. */
  readFile(path: string): string | null;
  exists(path: string): boolean;
  /** At most `limit` names of the entries of a folder; null when it is not a readable folder. */
  readdir(path: string, limit: number): string[] | null;
  /** The path with symbolic links resolved (to tell `lib64` → `lib` apart); absent: paths are compared as given. */
  realpath?(path: string): string | null;
}

export interface DiscoveryRequest {
  /** The analyzed file: virtual environments are looked for in its folder and the folders above. */
  file: string;
  /**
   * The workspace folder: the search upward stops there. Without one it stops at a folder with a
   * project marker (pyproject.toml, setup.py, setup.cfg, .git) or after DISCOVERY_LIMITS.parentLevels.
   */
  root?: string | null;
  /** An interpreter, an environment folder or a site-packages folder the user named. */
  pythonPath?: string | null;
  /** The interpreter (or environment folder) the Python extension uses for this file. */
  interpreter?: string | null;
  /** Environment variables: VIRTUAL_ENV, CONDA_PREFIX, and HOME/USERPROFILE for `~`. */
  env?: Readonly<Record<string, string | undefined>>;
}

export type EnvironmentSource = 'setting' | 'interpreter' | 'venv' | 'VIRTUAL_ENV' | 'CONDA_PREFIX';

export interface SitePackages {
  path: string;
  source: EnvironmentSource;
  /** The environment folder it belongs to. */
  env: string;
}

export interface Discovery {
  /** In search order, without duplicates. */
  sitePackages: SitePackages[];
  /** What was named but gave nothing (a setting pointing nowhere), for the log or stderr. */
  notes: string[];
}

export const DISCOVERY_LIMITS = {
  /** Folders climbed from the file's folder (the file's own folder included). */
  parentLevels: 10,
  /** Site-packages folders returned. */
  folders: 8,
  /** Entries read from one folder listing (`lib/`). */
  listing: 64,
  /** python3.X folders of one environment looked into. */
  versions: 4,
  /** Existence checks, listings and reads in one discovery. */
  probes: 300,
  /** Characters of a path or a pyvenv.cfg read. */
  text: 4096,
};

export const VENV_NAMES = ['.venv', 'venv', 'env', '.env'] as const;
const ROOT_MARKERS = ['pyproject.toml', 'setup.py', 'setup.cfg', '.git'];
const INTERPRETER = /^(python|pythonw|pypy)(\d+(\.\d+)*t?)?(\.exe)?$/i;
const PACKAGES_DIR = /^(site|dist)-packages$/i;
const VERSION_DIR = /^(python|pypy)(\d+)(?:\.(\d+))?t?$/;

export function normalize(p: string): string {
  const s = p.replace(/\\/g, '/').replace(/\/{2,}/g, '/');
  return s.length > 1 && s.endsWith('/') && !/^[A-Za-z]:\/$/.test(s) ? s.slice(0, -1) : s;
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  if (/^[A-Za-z]:$/.test(p.slice(0, i))) return p.slice(0, i + 1); // C:/
  return p.slice(0, i);
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function join(dir: string, ...parts: string[]): string {
  return [dir.endsWith('/') ? dir.slice(0, -1) : dir, ...parts].join('/');
}

function isAbsolute(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:\//.test(p);
}

/** `key = value` lines of a pyvenv.cfg. */
export function parsePyvenvCfg(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.slice(0, DISCOVERY_LIMITS.text).split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][\w.-]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out.set(m[1]!.toLowerCase(), m[2]!);
  }
  return out;
}

class Probe {
  private used = 0;
  constructor(private readonly host: EnvironmentHost) {}

  private spend(): boolean {
    return ++this.used <= DISCOVERY_LIMITS.probes;
  }
  exists(p: string): boolean {
    return this.spend() && this.host.exists(p);
  }
  readdir(p: string): string[] | null {
    return this.spend() ? this.host.readdir(p, DISCOVERY_LIMITS.listing) : null;
  }
  readFile(p: string): string | null {
    return this.spend() ? this.host.readFile(p) : null;
  }
  realpath(p: string): string {
    const real = this.host.realpath && this.spend() ? this.host.realpath(p) : null;
    return real ? normalize(real) : p;
  }
}

/** The site-packages folders of an environment folder (a venv, a conda env, a Python prefix). */
function environmentPackages(env: string, probe: Probe, withBase = true): string[] {
  // Windows: <env>/Lib/site-packages
  const win = join(env, 'Lib', 'site-packages');
  if (probe.exists(win)) return [win];
  const cfg = probe.readFile(join(env, 'pyvenv.cfg'));
  const conf = cfg === null ? null : parsePyvenvCfg(cfg);
  const version = /^(\d+)\.(\d+)/.exec(conf?.get('version') ?? conf?.get('version_info') ?? '');
  const found: string[] = [];
  for (const lib of ['lib', 'lib64']) {
    const names = probe.readdir(join(env, lib)) ?? [];
    const versions = names
      .map((n) => ({ n, m: VERSION_DIR.exec(n) }))
      .filter((x): x is { n: string; m: RegExpExecArray } => x.m !== null)
      .map(({ n, m }) => ({
        n,
        major: Number(m[2]),
        minor: m[3] === undefined ? -1 : Number(m[3]),
        own: version !== null && m[2] === version[1] && m[3] === version[2],
      }))
      // the version pyvenv.cfg names first, then the newest
      .sort((a, b) => Number(b.own) - Number(a.own) || b.major - a.major || b.minor - a.minor)
      .slice(0, DISCOVERY_LIMITS.versions);
    for (const v of versions)
      for (const dir of ['site-packages', 'dist-packages']) {
        const p = join(env, lib, v.n, dir);
        if (probe.exists(p)) found.push(p);
      }
  }
  // a venv made with --system-site-packages also sees its base interpreter's packages
  const home = conf?.get('home');
  if (withBase && home && /^true$/i.test(conf?.get('include-system-site-packages') ?? '')) {
    const h = normalize(home);
    const base = /^(bin|Scripts)$/i.test(basename(h)) ? dirname(h) : h;
    if (base !== env) found.push(...environmentPackages(base, probe, false));
  }
  return found;
}

/** An interpreter path, an environment folder or a site-packages folder → site-packages folders. */
function fromPythonPath(raw: string, probe: Probe): { env: string; folders: string[] } {
  const p = normalize(raw);
  const base = basename(p);
  if (PACKAGES_DIR.test(base)) return { env: dirname(p), folders: probe.exists(p) ? [p] : [] };
  let env = p;
  if (INTERPRETER.test(base)) {
    const bin = dirname(p);
    env = /^(bin|Scripts)$/i.test(basename(bin)) ? dirname(bin) : bin;
  }
  return { env, folders: environmentPackages(env, probe) };
}

/** A path the user wrote, made absolute: `~`, `${workspaceFolder}`, relative to the workspace or the file's folder. */
function expand(raw: string, req: DiscoveryRequest, fileDir: string): string {
  let p = raw.trim().slice(0, DISCOVERY_LIMITS.text);
  const root = req.root ? normalize(req.root) : null;
  if (root) p = p.replace(/\$\{workspaceFolder\}/g, root);
  const home = req.env?.['HOME'] ?? req.env?.['USERPROFILE'];
  if (home && (p === '~' || /^~[\\/]/.test(p))) p = home + p.slice(1);
  p = normalize(p);
  if (!isAbsolute(p)) p = normalize(join(root ?? fileDir, p.replace(/^\.\//, '')));
  return p;
}

/** Virtual environments in the file's folder and the folders above it, nearest first. */
function localEnvironments(fileDir: string, root: string | null, probe: Probe): string[] {
  const envs: string[] = [];
  let dir = fileDir;
  const inRoot = root !== null && (dir === root || dir.startsWith(root.endsWith('/') ? root : `${root}/`));
  for (let level = 0; level < DISCOVERY_LIMITS.parentLevels; level++) {
    for (const name of VENV_NAMES) {
      const env = join(dir, name);
      if (probe.exists(join(env, 'pyvenv.cfg')) || probe.exists(join(env, 'conda-meta'))) envs.push(env);
    }
    if (inRoot ? dir === root : ROOT_MARKERS.some((m) => probe.exists(join(dir, m)))) break;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return envs;
}

export function discoverSitePackages(req: DiscoveryRequest, host: EnvironmentHost): Discovery {
  const probe = new Probe(host);
  const file = normalize(req.file);
  const fileDir = dirname(file);
  const root = req.root ? normalize(req.root) : null;
  const out: SitePackages[] = [];
  const notes: string[] = [];
  const seen = new Set<string>();
  const add = (source: EnvironmentSource, env: string, folders: string[]): void => {
    for (const path of folders) {
      const real = probe.realpath(path);
      if (seen.has(path) || seen.has(real) || out.length >= DISCOVERY_LIMITS.folders) continue;
      seen.add(path).add(real);
      out.push({ path, source, env });
    }
  };
  if (req.pythonPath?.trim()) {
    const p = expand(req.pythonPath, req, fileDir);
    const got = fromPythonPath(p, probe);
    if (got.folders.length === 0) notes.push(`no site-packages folder found for ${p}`);
    add('setting', got.env, got.folders);
  }
  const interpreter = req.interpreter?.trim();
  // a bare command ('python', the Python extension's default setting) names no folder
  if (interpreter && /[\\/]/.test(interpreter)) {
    const got = fromPythonPath(expand(interpreter, req, fileDir), probe);
    add('interpreter', got.env, got.folders);
  }
  for (const env of localEnvironments(fileDir, root, probe)) add('venv', env, environmentPackages(env, probe));
  for (const name of ['VIRTUAL_ENV', 'CONDA_PREFIX'] as const) {
    const v = req.env?.[name]?.trim();
    if (v && isAbsolute(normalize(v))) {
      const env = normalize(v);
      add(name, env, environmentPackages(env, probe));
    }
  }
  return { sitePackages: out, notes };
}

/**
 * Discoveries kept per folder and request (every file of a folder shares one); cleared when a
 * setting or the Python extension's environment changes, or an environment appears.
 */
export class DiscoveryCache {
  private readonly entries = new Map<string, Discovery>();

  constructor(
    private readonly host: EnvironmentHost,
    private readonly maxEntries = 64,
  ) {}

  get(req: DiscoveryRequest): Discovery {
    const key = JSON.stringify([
      dirname(normalize(req.file)),
      req.root ?? null,
      req.pythonPath ?? null,
      req.interpreter ?? null,
      req.env?.['VIRTUAL_ENV'] ?? null,
      req.env?.['CONDA_PREFIX'] ?? null,
    ]);
    const hit = this.entries.get(key);
    if (hit) return hit;
    const d = discoverSitePackages(req, this.host);
    this.entries.set(key, d);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return d;
  }

  clear(): void {
    this.entries.clear();
  }
}
