/**
 * Finding site-packages without running Python (src/analysis/environments.ts), over real folder
 * trees in a temp dir read through the CLI's disk reader: venv layouts of Linux (lib/python3.X,
 * the lib64 → lib link venv makes) and Windows (Scripts/python.exe, Lib/site-packages), pyvenv.cfg's
 * version choosing among several python3.* folders, the forms of convlens.pythonPath, where the
 * search upward stops, the order of the sources, and the caps. Windows drive paths with
 * backslashes are checked over an in-memory file system.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DISCOVERY_LIMITS,
  DiscoveryCache,
  discoverSitePackages,
  type DiscoveryRequest,
  type EnvironmentHost,
} from '../../../src/analysis/environments';
import { sourceFiles } from '../../../src/io/sourceFiles';

const tmp = mkdtempSync(join(tmpdir(), 'convlens-envs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let serial = 0;

/** A fresh folder tree: paths ending in '/' are folders, others files with the given text. */
function tree(entries: Record<string, string>): string {
  const root = join(tmp, `t${serial++}`);
  mkdirSync(root);
  for (const [rel, text] of Object.entries(entries)) {
    const p = join(root, rel);
    if (rel.endsWith('/')) mkdirSync(p, { recursive: true });
    else {
      mkdirSync(join(p, '..'), { recursive: true });
      writeFileSync(p, text);
    }
  }
  return root;
}

function venv(prefix: string, version: string, pythons: string[] = [version.split('.').slice(0, 2).join('.')]) {
  const out: Record<string, string> = {
    [`${prefix}/pyvenv.cfg`]: `home = /usr/bin\ninclude-system-site-packages = false\nversion = ${version}\n`,
    [`${prefix}/bin/python`]: '',
  };
  for (const v of pythons) out[`${prefix}/lib/python${v}/site-packages/`] = '';
  return out;
}

/** The disk reader, counting what discovery asks of it. */
function counting(host: EnvironmentHost = sourceFiles) {
  const calls = { exists: 0, readdir: 0, readFile: 0, realpath: 0, largestListing: 0 };
  const h: EnvironmentHost = {
    exists: (p) => (calls.exists++, host.exists(p)),
    readFile: (p) => (calls.readFile++, host.readFile(p)),
    readdir: (p, limit) => {
      calls.readdir++;
      const names = host.readdir(p, limit);
      calls.largestListing = Math.max(calls.largestListing, names?.length ?? 0);
      return names;
    },
    realpath: (p) => (calls.realpath++, host.realpath ? host.realpath(p) : p),
  };
  return { host: h, calls, total: () => calls.exists + calls.readdir + calls.readFile + calls.realpath };
}

function paths(req: DiscoveryRequest, host: EnvironmentHost = sourceFiles): string[] {
  return discoverSitePackages(req, host).sitePackages.map((s) => s.path);
}

describe('virtual environments next to the file', () => {
  it('a Linux venv: .venv/lib/python3.11/site-packages, once although venv links lib64 → lib', () => {
    const root = tree({ ...venv('.venv', '3.11.4'), 'src/net.py': '' });
    symlinkSync('lib', join(root, '.venv', 'lib64'));
    const d = discoverSitePackages({ file: join(root, 'src', 'net.py'), root }, sourceFiles);
    expect(d.sitePackages).toEqual([
      { path: `${root}/.venv/lib/python3.11/site-packages`, source: 'venv', env: `${root}/.venv` },
    ]);
    expect(d.notes).toEqual([]);
  });

  it('several python3.* folders: the one pyvenv.cfg names first, then the newest', () => {
    const root = tree({ ...venv('.venv', '3.11.9', ['3.9', '3.12', '3.11', '3.10']), 'net.py': '' });
    expect(paths({ file: join(root, 'net.py'), root })).toEqual(
      ['3.11', '3.12', '3.10', '3.9'].map((v) => `${root}/.venv/lib/python${v}/site-packages`),
    );
    // virtualenv writes version_info instead of version
    writeFileSync(join(root, '.venv', 'pyvenv.cfg'), 'home = /usr/bin\nversion_info = 3.10.2.final.0\n');
    expect(paths({ file: join(root, 'net.py'), root })[0]).toBe(`${root}/.venv/lib/python3.10/site-packages`);
    // without a version: newest first (3.12 before 3.9: compared as numbers)
    writeFileSync(join(root, '.venv', 'pyvenv.cfg'), 'home = /usr/bin\n');
    expect(paths({ file: join(root, 'net.py'), root })).toEqual(
      ['3.12', '3.11', '3.10', '3.9'].map((v) => `${root}/.venv/lib/python${v}/site-packages`),
    );
  });

  it('venv, env and .env count only as folders with a pyvenv.cfg (or conda-meta); a .env file does not', () => {
    const root = tree({
      ...venv('venv', '3.12.1'),
      '.env': 'SECRET=1\n',
      'env/conda-meta/': '',
      'env/lib/python3.10/site-packages/': '',
      'notanenv/lib/python3.12/site-packages/': '',
      'a.py': '',
    });
    const d = discoverSitePackages({ file: join(root, 'a.py'), root }, sourceFiles);
    expect(d.sitePackages.map((s) => [s.path, s.env])).toEqual([
      [`${root}/venv/lib/python3.12/site-packages`, `${root}/venv`],
      [`${root}/env/lib/python3.10/site-packages`, `${root}/env`],
    ]);
    const withDir = tree({ ...venv('.env', '3.11.0'), 'a.py': '' });
    expect(paths({ file: join(withDir, 'a.py'), root: withDir })).toEqual([
      `${withDir}/.env/lib/python3.11/site-packages`,
    ]);
  });

  it('nearest first, up to the workspace folder and not above it', () => {
    const outer = tree({
      ...venv('.venv', '3.11.1'),
      ...venv('ws/.venv', '3.12.0'),
      ...venv('ws/pkg/sub/.venv', '3.10.0'),
      'ws/pkg/sub/deep/net.py': '',
    });
    const file = join(outer, 'ws', 'pkg', 'sub', 'deep', 'net.py');
    expect(paths({ file, root: join(outer, 'ws') })).toEqual([
      `${outer}/ws/pkg/sub/.venv/lib/python3.10/site-packages`,
      `${outer}/ws/.venv/lib/python3.12/site-packages`,
    ]);
    // the workspace folder wins over project markers below it (a monorepo's shared .venv)
    writeFileSync(join(outer, 'ws', 'pkg', 'pyproject.toml'), '');
    expect(paths({ file, root: join(outer, 'ws') })).toHaveLength(2);
  });

  it('without a workspace folder the search stops at the first project marker', () => {
    const outer = tree({ ...venv('.venv', '3.11.1'), 'proj/pyproject.toml': '', 'proj/src/net.py': '' });
    expect(paths({ file: join(outer, 'proj', 'src', 'net.py') })).toEqual([]);
    rmSync(join(outer, 'proj', 'pyproject.toml'));
    expect(paths({ file: join(outer, 'proj', 'src', 'net.py') })).toContain(
      `${outer}/.venv/lib/python3.11/site-packages`,
    );
  });

  it('a Windows venv: Lib/site-packages', () => {
    const root = tree({
      '.venv/pyvenv.cfg': 'home = C:\\Python311\nversion = 3.11.4\n',
      '.venv/Scripts/python.exe': '',
      '.venv/Lib/site-packages/': '',
      'net.py': '',
    });
    expect(paths({ file: join(root, 'net.py'), root })).toEqual([`${root}/.venv/Lib/site-packages`]);
    expect(paths({ file: join(root, 'net.py'), pythonPath: join(root, '.venv', 'Scripts', 'python.exe') })).toEqual([
      `${root}/.venv/Lib/site-packages`,
    ]);
  });

  it('include-system-site-packages: the base interpreter’s packages after the venv’s own', () => {
    const root = tree({
      ...venv('.venv', '3.11.2'),
      'base/bin/python3.11': '',
      'base/lib/python3.11/site-packages/': '',
      'net.py': '',
    });
    writeFileSync(
      join(root, '.venv', 'pyvenv.cfg'),
      `home = ${join(root, 'base', 'bin')}\ninclude-system-site-packages = true\nversion = 3.11.2\n`,
    );
    expect(paths({ file: join(root, 'net.py'), root })).toEqual([
      `${root}/.venv/lib/python3.11/site-packages`,
      `${root}/base/lib/python3.11/site-packages`,
    ]);
  });
});

describe('convlens.pythonPath and the Python extension’s interpreter', () => {
  const env = tree({
    ...venv('envs/t', '3.11.0'),
    'envs/t/lib/python3.11/dist-packages/': '',
    ...venv('proj/.venv', '3.12.0'),
    'proj/net.py': '',
  });
  const file = join(env, 'proj', 'net.py');
  const t = `${env}/envs/t`;
  const own = [`${t}/lib/python3.11/site-packages`, `${t}/lib/python3.11/dist-packages`];
  const local = `${env}/proj/.venv/lib/python3.12/site-packages`;

  it('an interpreter, an environment folder or a site-packages folder, first and before the local .venv', () => {
    const root = join(env, 'proj');
    expect(paths({ file, root, pythonPath: `${t}/bin/python` })).toEqual([...own, local]);
    expect(paths({ file, root, pythonPath: `${t}/bin/python3.11` })).toEqual([...own, local]);
    expect(paths({ file, root, pythonPath: t })).toEqual([...own, local]);
    expect(paths({ file, root, pythonPath: `${t}/` })).toEqual([...own, local]);
    expect(paths({ file, root, pythonPath: `${t}/lib/python3.11/site-packages` })).toEqual([own[0], local]);
    const d = discoverSitePackages({ file, root, pythonPath: t }, sourceFiles);
    expect(d.sitePackages.map((s) => s.source)).toEqual(['setting', 'setting', 'venv']);
  });

  it('relative to the workspace folder, ${workspaceFolder}, ~', () => {
    const root = env;
    expect(paths({ file, root, pythonPath: 'envs/t' })[0]).toBe(own[0]);
    expect(paths({ file, root, pythonPath: './envs/t/bin/python' })[0]).toBe(own[0]);
    expect(paths({ file, root, pythonPath: '${workspaceFolder}/envs/t/bin/python' })[0]).toBe(own[0]);
    expect(paths({ file, root, pythonPath: '~/t', env: { HOME: `${env}/envs` } })[0]).toBe(own[0]);
  });

  it('a setting that points nowhere says so, and discovery goes on', () => {
    const d = discoverSitePackages(
      { file, root: join(env, 'proj'), pythonPath: `${env}/nope/bin/python` },
      sourceFiles,
    );
    expect(d.sitePackages.map((s) => s.path)).toEqual([local]);
    expect(d.notes).toEqual([`no site-packages folder found for ${env}/nope/bin/python`]);
  });

  it('order: setting, interpreter, venvs, VIRTUAL_ENV, CONDA_PREFIX; each folder once', () => {
    const more = tree({ ...venv('a', '3.10.0'), ...venv('b', '3.9.0'), ...venv('c', '3.8.0') });
    const d = discoverSitePackages(
      {
        file,
        root: join(env, 'proj'),
        pythonPath: `${more}/a`,
        interpreter: `${more}/b/bin/python`,
        env: { VIRTUAL_ENV: `${more}/c`, CONDA_PREFIX: `${more}/a` },
      },
      sourceFiles,
    );
    expect(d.sitePackages.map((s) => [s.source, s.path])).toEqual([
      ['setting', `${more}/a/lib/python3.10/site-packages`],
      ['interpreter', `${more}/b/lib/python3.9/site-packages`],
      ['venv', local],
      ['VIRTUAL_ENV', `${more}/c/lib/python3.8/site-packages`],
    ]);
  });

  it("a bare command ('python', the Python extension's default) names no environment", () => {
    expect(paths({ file, root: join(env, 'proj'), interpreter: 'python' })).toEqual([local]);
    expect(paths({ file, root: join(env, 'proj'), interpreter: 'python3' })).toEqual([local]);
  });
});

describe('Windows paths (in-memory file system)', () => {
  /** Case-insensitive, '/'-normalized, as Windows answers. */
  function memory(files: string[]): EnvironmentHost {
    const all = new Set<string>();
    for (const f of files) {
      const parts = f.toLowerCase().split('/');
      for (let i = 1; i <= parts.length; i++) all.add(parts.slice(0, i).join('/'));
    }
    const key = (p: string) => p.replace(/\\/g, '/').toLowerCase();
    return {
      exists: (p) => all.has(key(p)),
      readFile: (p) => (all.has(key(p)) ? 'version = 3.11.4\n' : null),
      readdir: (p) => {
        const k = key(p);
        if (!all.has(k)) return null;
        return [...all]
          .filter((x) => x.startsWith(`${k}/`) && !x.slice(k.length + 1).includes('/'))
          .map((x) => x.slice(k.length + 1));
      },
    };
  }
  const host = memory([
    'C:/x/.venv/pyvenv.cfg',
    'C:/x/.venv/Scripts/python.exe',
    'C:/x/.venv/Lib/site-packages/torchvision/__init__.py',
    'C:/x/net.py',
    'D:/conda/envs/t/python.exe',
    'D:/conda/envs/t/Lib/site-packages/timm/__init__.py',
  ]);

  it('C:\\x\\.venv\\Scripts\\python.exe and a conda env whose python.exe is at its top', () => {
    expect(paths({ file: 'C:\\x\\net.py', pythonPath: 'C:\\x\\.venv\\Scripts\\python.exe' }, host)).toEqual([
      'C:/x/.venv/Lib/site-packages',
    ]);
    expect(
      paths({ file: 'C:\\x\\net.py', root: 'C:\\x', interpreter: 'D:\\conda\\envs\\t\\python.exe' }, host),
    ).toEqual(['D:/conda/envs/t/Lib/site-packages', 'C:/x/.venv/Lib/site-packages']);
    expect(
      paths({ file: 'C:\\x\\net.py', root: 'C:\\x\\', env: { CONDA_PREFIX: 'D:\\conda\\envs\\t' } }, host),
    ).toEqual(['C:/x/.venv/Lib/site-packages', 'D:/conda/envs/t/Lib/site-packages']);
  });

  it('the search upward ends at the drive', () => {
    expect(paths({ file: 'C:\\x\\y\\z\\net.py' }, host)).toEqual(['C:/x/.venv/Lib/site-packages']);
  });
});

describe('caps', () => {
  it('a listing reads at most DISCOVERY_LIMITS.listing entries; at most DISCOVERY_LIMITS.versions python3.* folders', () => {
    const entries: Record<string, string> = { '.venv/pyvenv.cfg': 'version = 3.99.0\n', 'net.py': '' };
    for (let i = 0; i < 300; i++) entries[`.venv/lib/python3.${i}/site-packages/`] = '';
    const root = tree(entries);
    const c = counting();
    const found = paths({ file: join(root, 'net.py'), root }, c.host);
    expect(c.calls.largestListing).toBe(DISCOVERY_LIMITS.listing);
    expect(found).toHaveLength(DISCOVERY_LIMITS.versions);
  });

  it('at most DISCOVERY_LIMITS.folders folders, and at most DISCOVERY_LIMITS.probes file-system calls', () => {
    const entries: Record<string, string> = {};
    let dir = '';
    for (let i = 0; i < 30; i++) {
      Object.assign(entries, venv(`${dir}.venv`, '3.11.0'), venv(`${dir}venv`, '3.12.0'));
      dir += `d${i}/`;
    }
    entries[`${dir}net.py`] = '';
    const root = tree(entries);
    const c = counting();
    const found = paths({ file: join(root, dir, 'net.py'), root }, c.host);
    expect(found).toHaveLength(DISCOVERY_LIMITS.folders);
    expect(c.total()).toBeLessThanOrEqual(DISCOVERY_LIMITS.probes);
  });

  it('the climb stops after DISCOVERY_LIMITS.parentLevels folders', () => {
    const deep = Array.from({ length: 30 }, (_, i) => `d${i}`).join('/');
    const root = tree({
      ...venv('.venv', '3.11.0'),
      ...venv(`${deep.split('/').slice(0, 25).join('/')}/.venv`, '3.12.0'),
      [`${deep}/net.py`]: '',
    });
    const c = counting();
    expect(paths({ file: join(root, deep, 'net.py'), root }, c.host)).toEqual([
      `${root}/${deep.split('/').slice(0, 25).join('/')}/.venv/lib/python3.12/site-packages`,
    ]);
    expect(c.total()).toBeLessThanOrEqual(DISCOVERY_LIMITS.probes);
  });

  it('a long path setting is cut, not trusted', () => {
    const root = tree({ 'net.py': '' });
    const d = discoverSitePackages({ file: join(root, 'net.py'), pythonPath: `/${'x'.repeat(100_000)}` }, sourceFiles);
    expect(d.sitePackages).toEqual([]);
    expect(d.notes[0]!.length).toBeLessThan(DISCOVERY_LIMITS.text + 100);
  });
});

describe('DiscoveryCache', () => {
  it('one discovery per folder until cleared', () => {
    const root = tree({ ...venv('.venv', '3.11.0'), 'a.py': '', 'b.py': '' });
    const c = counting();
    const cache = new DiscoveryCache(c.host);
    const first = cache.get({ file: join(root, 'a.py'), root });
    const used = c.total();
    expect(cache.get({ file: join(root, 'b.py'), root })).toBe(first);
    expect(c.total()).toBe(used);
    // another setting is another request
    expect(cache.get({ file: join(root, 'a.py'), root, pythonPath: '/nowhere' })).not.toBe(first);
    cache.clear();
    const again = cache.get({ file: join(root, 'a.py'), root });
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });
});
